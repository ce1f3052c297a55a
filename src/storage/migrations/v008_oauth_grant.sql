-- Version 8: which authorization code each OAuth token descends from.
--
-- RFC 6749 §4.1.2: a code presented a second time is a sign it leaked, and the tokens already
-- issued from it should be revoked. Access and refresh tokens carry their code's hash as
-- `grant_id`, and a refresh passes it on to the tokens it issues, so one update finds the whole
-- family. Tokens issued before this version have none and are left alone.
ALTER TABLE api_tokens ADD COLUMN grant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_refresh_tokens ADD COLUMN grant_id TEXT NOT NULL DEFAULT '';
CREATE INDEX api_tokens_grant ON api_tokens (account_id, grant_id);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (account_id, grant_id);
