-- Version 12: dormant users (SPEC §6, issue 16).
--
-- users.reactivated_at: when the user was last made active again after a deactivation (unix
-- seconds; 0: never). The dormancy clock of a reactivated user starts there, so that a user an
-- administrator has just brought back is not deactivated again at the next run.
--
-- job_leases: one row per background job of the installation (not per account). A server runs
-- the job only after claiming the row (Store::ClaimLease): several servers on one database run
-- a scheduled job once per period between them, not once each.
ALTER TABLE users ADD COLUMN reactivated_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE job_leases (
  name TEXT NOT NULL PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
