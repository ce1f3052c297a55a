-- Version 1: every table of SPEC §1 and §3, keyed by account.
--
-- Conventions: ids are global (as in Kommo) and every account-owned row carries account_id;
-- reads always filter on it first, so each index starts with account_id. A missing user
-- reference (nobody responsible) is NULL, created_by 0 is the robot/API. Status ids of working
-- and incoming stages come from `stage_ids` (offset by 1000 so they never meet 142/143); the
-- (pipeline_id, status_id) pair is the stage key.
CREATE TABLE accounts (
  id {{id}},
  subdomain TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  seats BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE user_groups (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX user_groups_account ON user_groups (account_id, id);

CREATE TABLE roles (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  rights_json TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX roles_account ON roles (account_id, id);

CREATE TABLE users (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  email_lc TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  is_active INTEGER NOT NULL DEFAULT 1,
  is_free INTEGER NOT NULL DEFAULT 0,
  group_id BIGINT NOT NULL REFERENCES user_groups(id),
  role_id BIGINT REFERENCES roles(id),
  rights_json TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'en',
  password_hash TEXT NOT NULL DEFAULT '',
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  recovery_codes_json TEXT NOT NULL DEFAULT '[]',
  last_login_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (account_id, email_lc)
);
CREATE INDEX users_account ON users (account_id, id);
CREATE INDEX users_group ON users (group_id);
CREATE INDEX users_role ON users (role_id);

CREATE TABLE pipelines (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  is_main INTEGER NOT NULL DEFAULT 0,
  is_unsorted_on INTEGER NOT NULL DEFAULT 1,
  is_archive INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX pipelines_account ON pipelines (account_id, id);

CREATE TABLE stage_ids (
  id {{id}},
  account_id BIGINT NOT NULL
);

CREATE TABLE statuses (
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  pipeline_id BIGINT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  status_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  type INTEGER NOT NULL DEFAULT 0,
  color TEXT NOT NULL DEFAULT '#99ccff',
  PRIMARY KEY (pipeline_id, status_id)
);
CREATE INDEX statuses_account ON statuses (account_id, pipeline_id, sort);

CREATE TABLE leads (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL DEFAULT '',
  price BIGINT NOT NULL DEFAULT 0,
  pipeline_id BIGINT NOT NULL,
  status_id BIGINT NOT NULL,
  responsible_user_id BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT,
  closest_task_at BIGINT,
  loss_reason_id BIGINT NOT NULL DEFAULT 0,
  custom_fields TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (pipeline_id, status_id) REFERENCES statuses (pipeline_id, status_id)
);
CREATE INDEX leads_account_id ON leads (account_id, id);
CREATE INDEX leads_account_updated ON leads (account_id, updated_at, id);
CREATE INDEX leads_account_created ON leads (account_id, created_at, id);
CREATE INDEX leads_account_responsible ON leads (account_id, responsible_user_id, updated_at, id);
CREATE INDEX leads_account_stage ON leads (account_id, pipeline_id, status_id, updated_at, id);

CREATE TABLE contacts (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL DEFAULT '',
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  responsible_user_id BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closest_task_at BIGINT,
  custom_fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_account_id ON contacts (account_id, id);
CREATE INDEX contacts_account_updated ON contacts (account_id, updated_at, id);
CREATE INDEX contacts_account_created ON contacts (account_id, created_at, id);
CREATE INDEX contacts_account_responsible
  ON contacts (account_id, responsible_user_id, updated_at, id);

CREATE TABLE companies (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL DEFAULT '',
  responsible_user_id BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closest_task_at BIGINT,
  custom_fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX companies_account_id ON companies (account_id, id);
CREATE INDEX companies_account_updated ON companies (account_id, updated_at, id);
CREATE INDEX companies_account_created ON companies (account_id, created_at, id);
CREATE INDEX companies_account_responsible
  ON companies (account_id, responsible_user_id, updated_at, id);

CREATE TABLE lead_contacts (
  account_id BIGINT NOT NULL,
  lead_id BIGINT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  is_main INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lead_id, contact_id)
);
CREATE INDEX lead_contacts_contact ON lead_contacts (contact_id);

CREATE TABLE lead_companies (
  account_id BIGINT NOT NULL,
  lead_id BIGINT NOT NULL PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
  company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE
);
CREATE INDEX lead_companies_company ON lead_companies (company_id);

CREATE TABLE tasks (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  entity_type TEXT NOT NULL DEFAULT '',
  entity_id BIGINT NOT NULL DEFAULT 0,
  task_type_id BIGINT NOT NULL DEFAULT 1,
  task_text TEXT NOT NULL DEFAULT '',
  complete_till BIGINT NOT NULL DEFAULT 0,
  duration BIGINT NOT NULL DEFAULT 0,
  is_completed INTEGER NOT NULL DEFAULT 0,
  result_text TEXT NOT NULL DEFAULT '',
  responsible_user_id BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_account_id ON tasks (account_id, id);
CREATE INDEX tasks_account_updated ON tasks (account_id, updated_at, id);
CREATE INDEX tasks_account_created ON tasks (account_id, created_at, id);
CREATE INDEX tasks_account_responsible ON tasks (account_id, responsible_user_id, updated_at, id);
CREATE INDEX tasks_account_entity ON tasks (account_id, entity_type, entity_id);

CREATE TABLE incoming_leads (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  uid TEXT NOT NULL,
  category TEXT NOT NULL,
  source_uid TEXT NOT NULL DEFAULT '',
  source_name TEXT NOT NULL DEFAULT '',
  pipeline_id BIGINT NOT NULL REFERENCES pipelines(id),
  responsible_user_id BIGINT REFERENCES users(id),
  state TEXT NOT NULL DEFAULT 'pending',
  accepted_lead_id BIGINT NOT NULL DEFAULT 0,
  lead_name TEXT NOT NULL DEFAULT '',
  lead_price BIGINT NOT NULL DEFAULT 0,
  metadata TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (account_id, uid)
);
CREATE INDEX incoming_leads_account_id ON incoming_leads (account_id, id);
CREATE INDEX incoming_leads_account_updated ON incoming_leads (account_id, updated_at, id);
CREATE INDEX incoming_leads_account_created ON incoming_leads (account_id, created_at, id);
CREATE INDEX incoming_leads_account_responsible
  ON incoming_leads (account_id, responsible_user_id, updated_at, id);

CREATE TABLE lists (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX lists_account ON lists (account_id, id);

CREATE TABLE list_items (
  id {{id}},
  account_id BIGINT NOT NULL,
  list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  custom_fields TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX list_items_account_list ON list_items (account_id, list_id, id);

CREATE TABLE conversations (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  channel TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  entity_type TEXT NOT NULL DEFAULT '',
  entity_id BIGINT NOT NULL DEFAULT 0,
  responsible_user_id BIGINT REFERENCES users(id),
  is_closed INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_message_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX conversations_account_id ON conversations (account_id, id);
CREATE INDEX conversations_account_updated ON conversations (account_id, updated_at, id);
CREATE INDEX conversations_account_created ON conversations (account_id, created_at, id);
CREATE INDEX conversations_account_responsible
  ON conversations (account_id, responsible_user_id, updated_at, id);
CREATE INDEX conversations_account_entity ON conversations (account_id, entity_type, entity_id);

CREATE TABLE sessions (
  id TEXT NOT NULL PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT 'unknown',
  second_factor_done INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account_user ON sessions (account_id, user_id);

CREATE TABLE api_tokens (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL DEFAULT 'long_lived',
  integration_id BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL DEFAULT 0,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_account_user ON api_tokens (account_id, user_id);

CREATE TABLE oauth_integrations (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  client_id TEXT NOT NULL UNIQUE,
  client_secret_hash TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  redirect_uri TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX oauth_integrations_account ON oauth_integrations (account_id, id);

CREATE TABLE oauth_codes (
  code_hash TEXT NOT NULL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  integration_id BIGINT NOT NULL REFERENCES oauth_integrations(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  redirect_uri TEXT NOT NULL DEFAULT '',
  expires_at BIGINT NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE oauth_refresh_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  integration_id BIGINT NOT NULL REFERENCES oauth_integrations(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  expires_at BIGINT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX oauth_refresh_tokens_user ON oauth_refresh_tokens (account_id, user_id);

CREATE TABLE installation_keys (
  name TEXT NOT NULL PRIMARY KEY,
  key_value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE security_settings (
  account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts(id),
  policy_json TEXT NOT NULL DEFAULT '{}',
  ip_whitelist_json TEXT NOT NULL DEFAULT '[]',
  updated_at BIGINT NOT NULL
);

CREATE TABLE login_throttle (
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  throttle_key TEXT NOT NULL,
  failures BIGINT NOT NULL DEFAULT 0,
  window_start BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, throttle_key)
);

CREATE TABLE events (
  id TEXT NOT NULL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  actor_user_id BIGINT NOT NULL DEFAULT 0,
  actor_ip TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  entity_type TEXT NOT NULL DEFAULT '',
  entity_id BIGINT NOT NULL DEFAULT 0,
  value_before TEXT NOT NULL DEFAULT '',
  value_after TEXT NOT NULL DEFAULT '',
  prev_hash TEXT,
  hash TEXT
);
CREATE INDEX events_account ON events (account_id, id);
CREATE INDEX events_account_actor ON events (account_id, actor_user_id, id);
CREATE INDEX events_account_type ON events (account_id, type, id);
CREATE INDEX events_account_entity ON events (account_id, entity_type, entity_id, id);
