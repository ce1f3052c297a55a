-- Version 19: history for point-in-time replay (SPEC §6, issue 16).
--
-- Replay answers "could user U do X on record R at time T" by rebuilding, as of T, exactly what
-- the permission engine reads — users' rights, group, role, admin/active/free state; records'
-- responsible user, pipeline and stage; the pipelines' stages — and running the same engine on
-- it. Only those columns are versioned (never names, prices or custom fields), so a PATCH that
-- changes no ownership column writes nothing here.
--
-- Versions are written by database triggers, not by the application: a trigger fires on every
-- path that touches a row (PATCH, batch writes, reassignment on user removal, stage deletion
-- moving leads, incoming-lead accept, demo bulk inserts, cascades, and any path added later), in
-- the same transaction as the change. Each version row is the new state of one row from time
-- `at` on (`removed` 1: the row was deleted at `at`); the newest version (highest seq) with
-- at <= T is the state at T.
--
-- The time is the writing transaction's, from the server's injected clock (never a record's
-- updated_at, which API clients may set): Store::Write stamps it before the body runs — on
-- SQLite into the one-row replay_clock table (one writer at a time), on PostgreSQL into the
-- transaction-local setting gatehouse.now (set_config in the write's first query, no extra
-- round trip). A write that was not stamped falls back to the database's own clock.
--
-- History starts when this migration runs: every existing user, record and stage gets a
-- version at that time, and replay_starts holds that time for each existing account; a new
-- account's start is its creation (trigger on accounts). Replay before the start is refused.
CREATE TABLE replay_clock (
  id INTEGER NOT NULL PRIMARY KEY,
  now BIGINT NOT NULL
);
INSERT INTO replay_clock (id, now) VALUES (1, 0);

CREATE TABLE replay_starts (
  account_id BIGINT NOT NULL PRIMARY KEY,
  started_at BIGINT NOT NULL
);

CREATE TABLE user_versions (
  seq {{id}},
  account_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0,
  is_admin INTEGER NOT NULL DEFAULT 0,
  is_active INTEGER NOT NULL DEFAULT 0,
  is_free INTEGER NOT NULL DEFAULT 0,
  group_id BIGINT NOT NULL DEFAULT 0,
  role_id BIGINT,
  rights_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_versions_account_at ON user_versions (account_id, at, seq);

CREATE TABLE stage_versions (
  seq {{id}},
  account_id BIGINT NOT NULL,
  pipeline_id BIGINT NOT NULL,
  status_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stage_versions_account_at ON stage_versions (account_id, at, seq);

CREATE TABLE record_versions (
  seq {{id}},
  account_id BIGINT NOT NULL,
  entity_type TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0,
  responsible_user_id BIGINT NOT NULL DEFAULT 0,
  pipeline_id BIGINT NOT NULL DEFAULT 0,
  status_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX record_versions_record ON record_versions (account_id, entity_type, record_id, seq);
