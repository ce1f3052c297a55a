-- Version 6: the activity log's hash chain (SPEC §5: append-only and tamper-evident).
--
-- Each account numbers its events 1, 2, ... (`seq`) and keeps the number and hash of the last
-- one on its row: appending an event updates that row first, which also serializes concurrent
-- appenders of one account (PostgreSQL row lock), so the chain never forks. Events written
-- before this version have no seq and stay outside the chain.
ALTER TABLE events ADD COLUMN seq BIGINT;
CREATE UNIQUE INDEX events_account_seq ON events (account_id, seq);
ALTER TABLE accounts ADD COLUMN event_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN event_head TEXT NOT NULL DEFAULT '';
