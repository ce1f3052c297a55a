-- Version 9: per-account lead totals by cell (issue 11).
--
-- Every permission predicate of SPEC §2 depends only on a lead's responsible user, pipeline and
-- stage, so one row per (pipeline, stage, responsible user) with the number of leads and the sum
-- of their prices answers any user's visible count and total without reading the leads. The
-- store keeps the rows exact in the same transaction as every lead write (store_lead_totals.cc);
-- responsible_user_id 0 stands for "nobody" so that the key has no NULL. This migration fills
-- them from the leads that exist.
CREATE TABLE lead_totals (
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  pipeline_id BIGINT NOT NULL,
  status_id BIGINT NOT NULL,
  responsible_user_id BIGINT NOT NULL,
  lead_count BIGINT NOT NULL,
  price_sum BIGINT NOT NULL,
  PRIMARY KEY (account_id, pipeline_id, status_id, responsible_user_id)
);
INSERT INTO lead_totals (account_id, pipeline_id, status_id, responsible_user_id, lead_count,
                         price_sum)
  SELECT account_id, pipeline_id, status_id, COALESCE(responsible_user_id, 0), COUNT(*),
         CAST(SUM(price) AS BIGINT)
  FROM leads GROUP BY account_id, pipeline_id, status_id, COALESCE(responsible_user_id, 0);
