// A realistic demo workspace: groups, roles with varied rights (general and per stage),
// pipelines, users at every level, and N leads with contacts, companies, tasks, links and
// Shared Inbox conversations.
//
// Fast bulk load: one transaction, multi-row INSERTs with reused prepared statements; the
// records skip per-row validation because every reference is generated from rows created in
// the same transaction. Deterministic for a given seed (names, prices, owners, stages).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::storage {

struct DemoOptions {
  std::string subdomain = "demo";
  std::string account_name = "Demo Workspace";
  std::int64_t leads = 1000;  // contacts = leads/2, companies = leads/10, tasks = leads/2
  std::uint64_t seed = 42;
  std::string admin_email = "admin@demo.example";
  // Every demo user gets this password (generated when empty) and the one hash of it below.
  std::string password{};
  // Turns a password into the stored hash (the caller's Argon2id). Empty: no password is set
  // (demo users cannot log in until one is).
  std::function<std::string(std::string_view)> hash_password{};
  std::int64_t now = 0;  // 0: the current time; records are spread over the two years before
};

struct DemoResult {
  AccountId account_id = 0;
  std::string admin_email{};
  std::string password{};
  bool created_account = false;
  std::int64_t users = 0;
  std::int64_t leads = 0;
  std::int64_t contacts = 0;
  std::int64_t companies = 0;
  std::int64_t tasks = 0;
  std::int64_t links = 0;
  std::int64_t conversations = 0;  // Shared Inbox: leads/4, at most 300
  std::int64_t customers = 0;      // leads/10, at most 500, in every customer status
};

// Called after every batch with records written so far and the total; may be empty.
using DemoProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Creates the account `subdomain` when missing (with the admin user, groups Sales/Marketing/
// Support, roles, pipelines and ~30 users), then adds the records. On an existing account the
// structure is reused and only records are added. Everything happens in one transaction:
// on failure nothing is written.
base::Result<DemoResult> FillDemo(Store& store, const DemoOptions& options,
                                  const DemoProgress& progress = {});

}  // namespace gatehouse::storage
