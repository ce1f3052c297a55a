-- Version 7: the readiness heartbeat, one row the readiness probe updates (Store::CheckWritable)
-- to prove that a write reaches the disk and commits.
CREATE TABLE readiness_heartbeat (
  id INTEGER NOT NULL PRIMARY KEY,
  beats BIGINT NOT NULL
);
INSERT INTO readiness_heartbeat (id, beats) VALUES (1, 0);
