-- Version 10: stage rollups of the lead totals, and totals of contacts, companies and tasks per
-- responsible user (issue 11).
--
-- A rollup is the lead_totals row of a stage whose responsible_user_id is -1 (policy::kEveryone):
-- the count and price sum of every lead of the stage. With them, a user who may see a whole
-- stage reads one row for it instead of one per responsible user; the index by responsible user
-- lets a count read just the rollups and the cells of the users a filter names.
--
-- record_totals holds, per (data set, responsible user), the number of contacts, companies or
-- tasks (data_set 'contacts', 'companies', 'tasks'; responsible 0: nobody; -1: the rollup of
-- the data set). Both are kept exact by the store in the writing transaction and filled here
-- from the rows that exist.
INSERT INTO lead_totals (account_id, pipeline_id, status_id, responsible_user_id, lead_count,
                         price_sum)
  SELECT account_id, pipeline_id, status_id, -1, COUNT(*), CAST(SUM(price) AS BIGINT)
  FROM leads GROUP BY account_id, pipeline_id, status_id;
CREATE INDEX lead_totals_by_user ON lead_totals (account_id, responsible_user_id);
CREATE TABLE record_totals (
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  data_set TEXT NOT NULL,
  responsible_user_id BIGINT NOT NULL,
  record_count BIGINT NOT NULL,
  PRIMARY KEY (account_id, data_set, responsible_user_id)
);
INSERT INTO record_totals (account_id, data_set, responsible_user_id, record_count)
  SELECT account_id, 'contacts', COALESCE(responsible_user_id, 0), COUNT(*) FROM contacts
  GROUP BY account_id, COALESCE(responsible_user_id, 0);
INSERT INTO record_totals (account_id, data_set, responsible_user_id, record_count)
  SELECT account_id, 'companies', COALESCE(responsible_user_id, 0), COUNT(*) FROM companies
  GROUP BY account_id, COALESCE(responsible_user_id, 0);
INSERT INTO record_totals (account_id, data_set, responsible_user_id, record_count)
  SELECT account_id, 'tasks', COALESCE(responsible_user_id, 0), COUNT(*) FROM tasks
  GROUP BY account_id, COALESCE(responsible_user_id, 0);
INSERT INTO record_totals (account_id, data_set, responsible_user_id, record_count)
  SELECT account_id, data_set, -1, SUM(record_count) FROM record_totals
  GROUP BY account_id, data_set;
