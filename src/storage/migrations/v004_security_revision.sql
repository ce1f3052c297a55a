-- Version 4: each account's security revision.
--
-- Increased in the same transaction as any change of users, groups, roles, pipelines, sessions,
-- API tokens or security settings (Store::Write), so a server process can tell by one cheap
-- read that another process changed what its cached policies and tokens were built from.
ALTER TABLE accounts ADD COLUMN security_revision BIGINT NOT NULL DEFAULT 0;
