// Test support for the admin services and resources: a fresh SQLite store (temp file) holding
// one account (5 seats) with its administrator, a policy cache and a fake clock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "service/admin.h"
#include "service/bootstrap.h"
#include "service/events.h"
#include "service/policy_cache.h"
#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::service::testing {

class AdminFixture : public ::testing::Test {
 protected:
  static constexpr std::int64_t kSeats = 5;

  void SetUp() override {
    bool skip = false;
    const std::string url = db_.Create(storage::testing::Engine::kSqlite, &skip);
    auto store = storage::Store::Open(url, 3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    store_->set_clock(&clock_);
    ASSERT_TRUE(store_->Migrate().ok());
    auto account = CreateAccountWithAdmin(*store_, {"acme", "Acme", kSeats, 0},
                                          {"admin@acme.test", "Admin", ""}, clock_.NowSeconds());
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    auto admin = Reader().FindUserByEmail("admin@acme.test");
    ASSERT_TRUE(admin.ok());
    admin_id_ = admin->user.id;
    auto group = Reader().DefaultGroupId();
    ASSERT_TRUE(group.ok());
    default_group_ = *group;
    cache_ = std::make_unique<PolicyCache>(store_.get());
    deps_ = {store_.get(), cache_.get(), &clock_};
  }

  storage::AccountReader Reader() { return store_->Reader(account_); }

  // A caller acting as `user` with the account's current policy.
  Caller As(domain::UserId user) {
    Caller caller;
    caller.account_id = account_;
    caller.user_id = user;
    caller.actor_id = user;
    caller.client_ip = "127.0.0.1";
    auto policy = cache_->Get(account_);
    EXPECT_TRUE(policy.ok());
    if (policy.ok()) caller.policy = *policy;
    return caller;
  }
  Caller Admin() { return As(admin_id_); }

  // Adds a user straight through the store (no password hashing).
  domain::UserId AddUser(const std::string& email, domain::Rights rights = {},
                         domain::GroupId group = 0, bool is_admin = false, bool is_free = false,
                         bool is_active = true) {
    domain::UserId id = 0;
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      storage::UserRow row;
      row.user.name = email.substr(0, email.find('@'));
      row.user.email = email;
      row.user.group_id = group;
      row.user.is_admin = is_admin;
      row.user.is_free = is_free;
      row.user.is_active = is_active;
      row.user.rights = std::move(rights);
      GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    RefreshPolicy(deps_, account_);
    return id;
  }

  storage::Lead AddLead(domain::UserId responsible, const std::string& name = "Deal") {
    storage::Lead lead;
    lead.name = name;
    lead.responsible_user_id = responsible;
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(lead, w.Create(lead));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return lead;
  }

  // Appends an event as `actor` (what the record services do for their writes).
  void AddEvent(const std::string& type, const std::string& entity_type, std::int64_t entity_id,
                domain::UserId actor) {
    // A second apart: event ids order by time only to the millisecond of the wall clock.
    clock_.Advance(1);
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) {
      return RecordEvent(w, As(actor), clock_.NowSeconds(), {type, entity_type, entity_id});
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  // Every event, newest first.
  std::vector<storage::EventRow> AllEvents() {
    storage::EventQuery query;
    query.limit = 250;
    auto events = Reader().ListEvents(query);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<storage::EventRow>{};
  }
  std::vector<storage::EventRow> EventsOfType(const std::string& type) {
    std::vector<storage::EventRow> out;
    for (storage::EventRow& e : AllEvents()) {
      if (e.type == type) out.push_back(e);
    }
    return out;
  }

  static domain::Rights LeadsView(domain::Level level) {
    domain::Rights rights;
    rights.Set(domain::DataSet::kLeads, domain::Action::kView, level);
    return rights;
  }

  storage::testing::TestDatabase db_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<PolicyCache> cache_;
  base::FakeClock clock_;
  AdminDeps deps_;
  domain::AccountId account_ = 0;
  domain::UserId admin_id_ = 0;
  domain::GroupId default_group_ = 0;
};

}  // namespace gatehouse::service::testing
