-- Version 11: the lead totals' index by responsible user carries the whole cell (issue 11).
--
-- A team-wide ("G") user's board reads the cells of the 20 users of the team, about 600 rows;
-- a user with stage rights also the stage rollups. The rows of one user are spread over the
-- whole table (cells are made in the order leads first reach them), so with the index of
-- migration 10 (account_id, responsible_user_id) PostgreSQL visited 244 of the table's 286
-- pages for those 600 rows at 1,000,000 leads (0.5-1 ms warm, 8-18 ms when the pages had been
-- evicted). With the stage, count and price in the index both engines answer from the index
-- alone: PostgreSQL by an index-only scan of about 70 index pages (0.14 ms warm; pages that
-- writes changed since the last vacuum are checked in the table), SQLite from its covering
-- index. The counts are index keys, so a counter update rewrites its entry in this index.
DROP INDEX lead_totals_by_user;
CREATE INDEX lead_totals_by_user
  ON lead_totals (account_id, responsible_user_id, pipeline_id, status_id, lead_count, price_sum);
