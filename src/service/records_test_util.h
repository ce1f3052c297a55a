// Test support for the record use cases: a real SQLite store (temp file), one account with two
// groups and users at every rights level, and Callers whose policy comes from PolicyCache.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "service/caller.h"
#include "service/policy_cache.h"
#include "service/records.h"
#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::service::testing {

using domain::Action;
using domain::DataSet;
using domain::Level;

// Rights with every action of the three record data sets and tasks at `level` (add: A unless
// `level` is D), incoming leads denied.
inline domain::Rights Uniform(Level level) {
  domain::Rights r;
  for (DataSet ds : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kTasks}) {
    for (Action a : domain::kAllActions) {
      if (!domain::ActionApplies(ds, a)) continue;
      Level l = level;
      if (a == Action::kAdd) l = level == Level::kDenied ? Level::kDenied : Level::kAllowed;
      r.Set(ds, a, l);
    }
  }
  return r;
}

class RecordsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    bool skip = false;
    const std::string url = db_.Create(engine(), &skip);
    if (skip) GTEST_SKIP() << "no PostgreSQL test database (GATEHOUSE_TEST_PG_URL)";
    auto store = storage::Store::Open(url, 3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto account = store_->CreateAccount({"acme", "Acme", 50, 0});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    auto other = store_->CreateAccount({"other", "Other", 50, 0});
    ASSERT_TRUE(other.ok());
    other_account_ = other->id;
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](storage::AccountWriter& w) -> base::Status {
                              GH_ASSIGN_OR_RETURN(sales_, w.DefaultGroupId());
                              GH_ASSIGN_OR_RETURN(marketing_, w.CreateGroup("Marketing"));
                              return base::Status::Ok();
                            })
                    .ok());
    auto pipelines = store_->Reader(account_).ListPipelines();
    ASSERT_TRUE(pipelines.ok() && !pipelines->empty());
    pipeline_ = pipelines->front().id;
    for (const domain::Stage& s : pipelines->front().stages) {
      if (s.type == domain::kStageTypeIncoming) continue;
      if (s.id == domain::kWonStatusId || s.id == domain::kLostStatusId) continue;
      working_.push_back(s.id);
    }
    ASSERT_GE(working_.size(), 2u);
    policies_ = std::make_unique<PolicyCache>(store_.get());
    service_ = std::make_unique<RecordService>(*store_, clock_);
  }

  // The engine the store runs on; a fixture run on both overrides it (GetParam()).
  virtual storage::testing::Engine engine() const { return storage::testing::Engine::kSqlite; }

  // Adds a user and refreshes the policy; returns its id.
  domain::UserId AddUser(const std::string& email, domain::Rights rights, domain::GroupId group,
                         bool admin = false, domain::AccountId account = 0) {
    domain::UserId id = 0;
    base::Status status = store_->Write(account == 0 ? account_ : account,
                                        [&](storage::AccountWriter& w) -> base::Status {
                                          storage::UserRow row;
                                          row.user.name = email;
                                          row.user.email = email;
                                          row.user.group_id = group;
                                          row.user.is_admin = admin;
                                          row.user.rights = std::move(rights);
                                          GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
                                          return base::Status::Ok();
                                        });
    EXPECT_TRUE(status.ok()) << status.ToString();
    EXPECT_TRUE(policies_->Refresh(account == 0 ? account_ : account).ok());
    return id;
  }

  Caller As(domain::UserId user, domain::AccountId account = 0) {
    Caller caller;
    caller.account_id = account == 0 ? account_ : account;
    caller.user_id = user;
    caller.actor_id = user;
    caller.via = Via::kToken;
    caller.client_ip = "127.0.0.1";
    auto policy = policies_->Get(caller.account_id);
    EXPECT_TRUE(policy.ok());
    if (policy.ok()) caller.policy = *policy;
    return caller;
  }

  // Direct store writes (no rights involved) for arranging data.
  storage::Lead MakeLead(domain::UserId responsible, domain::StatusId status = 0,
                         const std::string& name = "Deal") {
    storage::Lead lead;
    lead.name = name;
    lead.price = 100;
    lead.pipeline_id = pipeline_;
    lead.status_id = status == 0 ? working_[0] : status;
    lead.responsible_user_id = responsible;
    storage::Lead out;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(lead));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  storage::Contact MakeContact(domain::UserId responsible, const std::string& name = "Ann") {
    storage::Contact contact;
    contact.name = name;
    contact.responsible_user_id = responsible;
    storage::Contact out;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(contact));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  storage::Company MakeCompany(domain::UserId responsible, const std::string& name = "Acme") {
    storage::Company company;
    company.name = name;
    company.responsible_user_id = responsible;
    storage::Company out;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(company));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  void Link(domain::RecordId lead, domain::RecordId contact, domain::RecordId company = 0) {
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      if (contact != 0) GH_RETURN_IF_ERROR(w.LinkContact(lead, contact, true));
      if (company != 0) GH_RETURN_IF_ERROR(w.LinkCompany(lead, company));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  // Every activity-log entry of the account of `type` (all when empty), newest first.
  std::vector<storage::EventRow> Events(const std::string& type = "") {
    storage::EventQuery query;
    if (!type.empty()) query.types = {type};
    query.limit = 250;
    auto events = store_->Reader(account_).ListEvents(query);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<storage::EventRow>{};
  }

  storage::testing::TestDatabase db_;
  std::unique_ptr<storage::Store> store_;
  base::FakeClock clock_;
  std::unique_ptr<PolicyCache> policies_;
  std::unique_ptr<RecordService> service_;
  domain::AccountId account_ = 0;
  domain::AccountId other_account_ = 0;
  domain::GroupId sales_ = 0;
  domain::GroupId marketing_ = 0;
  domain::PipelineId pipeline_ = 0;
  std::vector<domain::StatusId> working_;
};

}  // namespace gatehouse::service::testing
