// The RecordService tests' fixture (records_test.cc, records_incoming_test.cc,
// records_kinds_test.cc): the RecordsFixture's account with a user at every rights level.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "service/records/records.h"
#include "service/service_test_util.h"

namespace gatehouse::service::testing {

// admin_ and, in group sales unless named: allowed_ (Allowed everywhere), mine_ and mate_ (If
// responsible), team_ (Team-wide), outsider_ (If responsible, in marketing), denied_ (Denied),
// viewer_ (view only, leads, contacts and tasks).
class RecordsTest : public testing::RecordsFixture {
 protected:
  void SetUp() override {
    RecordsFixture::SetUp();
    if (HasFatalFailure()) return;
    admin_ = AddUser("admin@acme.test", {}, sales_, /*admin=*/true);
    allowed_ = AddUser("all@acme.test", Uniform(Level::kAllowed), sales_);
    mine_ = AddUser("mine@acme.test", Uniform(Level::kIfResponsible), sales_);
    team_ = AddUser("team@acme.test", Uniform(Level::kTeamWide), sales_);
    mate_ = AddUser("mate@acme.test", Uniform(Level::kIfResponsible), sales_);
    outsider_ = AddUser("out@acme.test", Uniform(Level::kIfResponsible), marketing_);
    denied_ = AddUser("none@acme.test", Uniform(Level::kDenied), sales_);
    domain::Rights view_only;
    view_only.Set(DataSet::kLeads, Action::kView, Level::kAllowed);
    view_only.Set(DataSet::kContacts, Action::kView, Level::kAllowed);
    view_only.Set(DataSet::kTasks, Action::kView, Level::kAllowed);
    viewer_ = AddUser("viewer@acme.test", view_only, sales_);
  }

  std::vector<RecordId> LeadIds(const Caller& caller, storage::ListQuery query = {}) {
    auto page = service_->List<storage::Lead>(caller, query, {});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> ids;
    if (page.ok()) {
      for (const LeadView& v : page->items) ids.push_back(v.record.id);
    }
    return ids;
  }

  domain::UserId admin_ = 0, allowed_ = 0, mine_ = 0, team_ = 0, mate_ = 0, outsider_ = 0,
                 denied_ = 0, viewer_ = 0;
};

}  // namespace gatehouse::service::testing

namespace gatehouse::service {
using testing::RecordsTest;
}  // namespace gatehouse::service
