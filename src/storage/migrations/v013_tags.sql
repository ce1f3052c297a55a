-- Version 13: tags of leads, contacts and companies (issue 15 §2).
--
-- tags: each account's tag catalog, one per entity type ("leads", "contacts", "companies"; a
-- tag has a different id per entity type, as in Kommo), names unique within it. color: Kommo's
-- six hex digits, or '' for none.
-- record_tags: which tags a record carries. Keyed by (account, entity type, record, tag); the
-- second index answers filter[tags] (the records carrying a tag).
-- loss_reasons: why leads are lost (Kommo's /api/v4/leads/loss_reasons), names unique per
-- account; a lead's loss_reason_id names one of them (0: none).
CREATE TABLE tags (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  entity_type TEXT NOT NULL,
  name TEXT NOT NULL,
  color TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tags_by_name ON tags (account_id, entity_type, name);
CREATE TABLE record_tags (
  account_id BIGINT NOT NULL,
  entity_type TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  tag_id BIGINT NOT NULL,
  PRIMARY KEY (account_id, entity_type, record_id, tag_id)
);
CREATE INDEX record_tags_by_tag ON record_tags (account_id, entity_type, tag_id, record_id);
CREATE TABLE loss_reasons (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  sort BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX loss_reasons_by_name ON loss_reasons (account_id, name);
