-- Version 24: stage descriptions (Kommo's `descriptions` of a pipeline status): the guidance
-- salespeople read at a stage, one text per experience level ('newbie', 'candidate', 'master',
-- domain/stage_description.h). A level without text has no row.
--
-- Keyed by the stage's pipeline as well as its id: won 142 and lost 143 are stages of every
-- pipeline, each with descriptions of its own. The stage is a foreign key that cascades, so
-- deleting a stage, or a pipeline with its stages, deletes their descriptions. created_by and
-- updated_by are not references: a user who wrote one may be deleted (as for records).
-- GET .../statuses?with=descriptions reads one pipeline's rows at once, by the unique key's
-- (account_id, pipeline_id) prefix.
CREATE TABLE stage_descriptions (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  pipeline_id BIGINT NOT NULL,
  status_id BIGINT NOT NULL,
  level TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  FOREIGN KEY (pipeline_id, status_id) REFERENCES statuses (pipeline_id, status_id)
    ON DELETE CASCADE
);
CREATE UNIQUE INDEX stage_descriptions_by_stage
  ON stage_descriptions (account_id, pipeline_id, status_id, level);
