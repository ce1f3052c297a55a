-- Version 18: four-eyes approval (SPEC §6, issue 16).
--
-- approvals: a change to the account's security (IP whitelist, security policy, administrator
-- grant) stored instead of applied while the policy's four_eyes is on, until a second
-- administrator approves (it is applied then, in the same transaction) or rejects it, or it
-- expires. change_json is the change as the service applies it (kind-specific, see
-- service/security/four_eyes.h); status is pending, approved, rejected or expired.
CREATE TABLE approvals (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,
  target_id BIGINT NOT NULL DEFAULT 0,
  change_json TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by BIGINT NOT NULL,
  requested_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  decided_by BIGINT NOT NULL DEFAULT 0,
  decided_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX approvals_account_status ON approvals (account_id, status, id);
