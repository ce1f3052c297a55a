-- Version 14: notes of leads, contacts and companies (Kommo's /api/v4/{entity}/notes).
--
-- A note belongs to one record, named by entity_type ("leads", "contacts", "companies") and
-- entity_id; it has no rights of its own (SPEC §2: visible and editable exactly when its record
-- is), so lists join it to its record and filter by the record's permission predicate. params
-- holds the type's parameters as a JSON object, validated per note_type by the service.
-- Deleting a record deletes its notes (AccountWriter::Delete), as it deletes its tasks.
-- responsible_user_id and created_by/updated_by name users without a foreign key, like the
-- records' created_by: a note keeps its author after the user is removed.
CREATE TABLE notes (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  entity_type TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  note_type TEXT NOT NULL,
  params TEXT NOT NULL,
  responsible_user_id BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX notes_entity ON notes (account_id, entity_type, entity_id, id);
CREATE INDEX notes_updated ON notes (account_id, entity_type, updated_at, id);
