-- Version 15: custom fields of leads, contacts and companies (issue 15 §3).
--
-- custom_fields: the definitions (Kommo's /api/v4/{entity}/custom_fields), entity_type "leads",
-- "contacts" or "companies"; custom_field_enums: the choices of select, multiselect and
-- multitext fields, ids unique in the installation as Kommo's enum ids are.
--
-- custom_field_values: one row per value of a field of a record (position orders a
-- multiselect's or multitext's values), so that a page of records reads its values in one
-- statement and a filter on a field is an indexed EXISTS. Deleting a field deletes its values
-- (and its enums); deleting a record deletes its values (AccountWriter::Delete).
--
-- The records' existing `custom_fields` column (the opaque custom_fields_values text stored
-- before this version) is left as it was: entries whose field_id names no definition of the
-- record's kind are still returned as stored, read-only, so that nothing stored before
-- becomes invisible (docs/api.md "Custom fields").
CREATE TABLE custom_fields (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  entity_type TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 0,
  is_api_only INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX custom_fields_account ON custom_fields (account_id, entity_type, sort, id);
CREATE TABLE custom_field_enums (
  id {{id}},
  account_id BIGINT NOT NULL,
  field_id BIGINT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX custom_field_enums_field ON custom_field_enums (account_id, field_id, sort, id);
CREATE TABLE custom_field_values (
  account_id BIGINT NOT NULL,
  entity_type TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  field_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  value TEXT NOT NULL,
  enum_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, entity_type, record_id, field_id, position)
);
CREATE INDEX custom_field_values_field ON custom_field_values (account_id, field_id, value);
