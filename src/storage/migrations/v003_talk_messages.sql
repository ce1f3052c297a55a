-- Version 3: messages of the Shared Inbox conversations.
--
-- A message belongs to one conversation of the same account and is read in write order, so the
-- one index is (account_id, conversation_id, id). author_user_id is 0 for the system and, like
-- created_by elsewhere, no foreign key: a message keeps its author after the user is removed.
CREATE TABLE talk_messages (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  conversation_id BIGINT NOT NULL REFERENCES conversations(id),
  author_user_id BIGINT NOT NULL DEFAULT 0,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX talk_messages_account_conversation
  ON talk_messages (account_id, conversation_id, id);
