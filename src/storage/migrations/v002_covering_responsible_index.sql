-- Version 2: the leads responsible-user index also carries the stage columns.
--
-- A user with stage rights gets `(NOT <stages> AND responsible_user_id IN (...)) OR <stage>`;
-- with pipeline_id/status_id in the index both engines answer that (and its COUNT) from the
-- index alone instead of visiting the table once per row (SQLite, 1M leads: 4.3 s -> 0.3 s).
DROP INDEX leads_account_responsible;
CREATE INDEX leads_account_responsible
  ON leads (account_id, responsible_user_id, updated_at, id, pipeline_id, status_id);
