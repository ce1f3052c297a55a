-- Version 20: imports from a Kommo account (`gatehouse import`, SPEC §6, issue 16).
--
-- import_sources: the one source an account was created from (the source's origin and account
-- id), so that a second import into it is refused unless it names the same source, and when
-- the last run finished (0 while never finished).
-- import_map: per imported object, (kind, id in the source) -> id here. Written in the same
-- transaction as the object, so a run killed at any point resumes without creating anything
-- twice: an object whose source id is mapped already is skipped. Kinds are the importer's
-- ("user", "group", "role", "pipeline", "status", "lead", "contact", ...).
CREATE TABLE import_sources (
  account_id BIGINT PRIMARY KEY REFERENCES accounts(id),
  source TEXT NOT NULL,
  source_account_id BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE import_map (
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,
  source_id BIGINT NOT NULL,
  local_id BIGINT NOT NULL,
  PRIMARY KEY (account_id, kind, source_id)
);
