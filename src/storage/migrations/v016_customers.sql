-- Version 16: customers (issue 15 §4): Kommo's repeat buyers, their statuses and their links.
--
-- customer_statuses: the account's customer statuses (Kommo's /api/v4/customers/statuses).
-- Every account has the system ones (is_default 1): "Recently bought" first (type 4) and the
-- three final ones, "Expected purchase" (1), "Purchase missed" (2) and "Closed" (3); plus one
-- regular status (type 0), "Buy soon", that administrators may rename or delete like the ones
-- they add. They are inserted here for the accounts that exist and by Store::CreateAccount for
-- new ones.
--
-- customers: one row per customer; status_id is one of its account's customer statuses (not
-- a lead stage). customer_contacts / customer_companies link customers to contacts (many, one
-- main) and to a company (at most one), as lead_contacts / lead_companies do for leads.
--
-- Customers are counted per responsible user in record_totals (data_set 'customers', migration
-- 10) from the start: there are none yet, so there is nothing to fill.
CREATE TABLE customer_statuses (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  sort BIGINT NOT NULL DEFAULT 0,
  type BIGINT NOT NULL DEFAULT 0,
  color TEXT NOT NULL DEFAULT '',
  is_default INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_statuses_account ON customer_statuses (account_id, sort, id);
INSERT INTO customer_statuses (account_id, name, sort, type, color, is_default)
  SELECT id, 'Recently bought', 10, 4, '#87f2c0', 1 FROM accounts;
INSERT INTO customer_statuses (account_id, name, sort, type, color, is_default)
  SELECT id, 'Buy soon', 20, 0, '#fffeb2', 0 FROM accounts;
INSERT INTO customer_statuses (account_id, name, sort, type, color, is_default)
  SELECT id, 'Expected purchase', 10000, 1, '#98cbff', 1 FROM accounts;
INSERT INTO customer_statuses (account_id, name, sort, type, color, is_default)
  SELECT id, 'Purchase missed', 10001, 2, '#ff8f92', 1 FROM accounts;
INSERT INTO customer_statuses (account_id, name, sort, type, color, is_default)
  SELECT id, 'Closed', 10002, 3, '#e6e8ea', 1 FROM accounts;

CREATE TABLE customers (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL DEFAULT '',
  next_price BIGINT NOT NULL DEFAULT 0,
  next_date BIGINT,
  status_id BIGINT NOT NULL REFERENCES customer_statuses(id),
  periodicity BIGINT NOT NULL DEFAULT 0,
  responsible_user_id BIGINT REFERENCES users(id),
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closest_task_at BIGINT,
  custom_fields TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_account_id ON customers (account_id, id);
CREATE INDEX customers_account_updated ON customers (account_id, updated_at, id);
CREATE INDEX customers_account_created ON customers (account_id, created_at, id);
CREATE INDEX customers_account_responsible
  ON customers (account_id, responsible_user_id, updated_at, id);
CREATE INDEX customers_account_status ON customers (account_id, status_id, updated_at, id);

CREATE TABLE customer_contacts (
  account_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  is_main INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (customer_id, contact_id)
);
CREATE INDEX customer_contacts_contact ON customer_contacts (contact_id);

CREATE TABLE customer_companies (
  account_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
  company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE
);
CREATE INDEX customer_companies_company ON customer_companies (company_id);
