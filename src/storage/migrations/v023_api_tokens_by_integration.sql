-- Version 23: the unrevoked API tokens of each integration, by expiry (review of the token reads).
--
-- Two statements read api_tokens by (account_id, integration_id): the integrations list counts
-- each integration's live access tokens (a subquery per integration), and deleting an
-- integration revokes its unrevoked ones. The only indexes were by user and by grant, so both
-- read every token of the account. An integration gets a new access token a day and expired ones
-- are never pruned, so the account's rows grow by one per integration and user every day.
--
-- The index holds unrevoked tokens only (revoked ones are never read by integration again);
-- both engines use it when a query says `revoked = 0` as a literal. `revoked`, always 0 here,
-- is also a key: SQLite (3.40) does not take the index's WHERE as settling the query's
-- `revoked = 0`, and with the column in the index it counts from the index alone, as PostgreSQL
-- does. The account's live tokens (not revoked, not expired; Security > API tokens and the
-- security report) are read through it too, by its account_id prefix.
CREATE INDEX api_tokens_live_by_integration
  ON api_tokens (account_id, integration_id, expires_at, revoked) WHERE revoked = 0;
