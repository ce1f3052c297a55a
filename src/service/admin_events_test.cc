// Who sees which activity-log entries, filters applied before paging, and Explain.
#include "service/admin_events.h"

#include <gtest/gtest.h>

#include "service/admin_test_util.h"

namespace gatehouse::service {
namespace {

using base::Code;
using domain::Action;
using domain::DataSet;
using domain::Level;

class AdminEventsTest : public testing::AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    ann_ = AddUser("ann@acme.test", LeadsView(Level::kIfResponsible));
    own_ = AddLead(ann_, "Ann's").id;
    other_ = AddLead(admin_id_, "Admin's").id;
    AddEvent("lead_added", "lead", own_, ann_);
    AddEvent("lead_added", "lead", other_, admin_id_);
    AddEvent("lead_status_changed", "lead", own_, admin_id_);
    AddEvent("lead_deleted", "lead", 987654, admin_id_);  // no longer exists
    AddEvent("login_succeeded", "session", 0, ann_);
  }

  std::vector<std::string> Types(const EventPage& page) {
    std::vector<std::string> out;
    for (const storage::EventRow& e : page.items)
      out.push_back(e.type + ":" + std::to_string(e.entity_id));
    return out;
  }

  domain::UserId ann_ = 0;
  domain::RecordId own_ = 0;
  domain::RecordId other_ = 0;
};

TEST_F(AdminEventsTest, NonAdministratorSeesEventsOfViewableRecordsOnly) {
  auto page = ListEvents(deps_, As(ann_), {});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Types(*page), (std::vector<std::string>{"lead_status_changed:" + std::to_string(own_),
                                                    "lead_added:" + std::to_string(own_)}));
  EXPECT_FALSE(page->has_next);
}

TEST_F(AdminEventsTest, AdministratorSeesEverything) {
  auto page = ListEvents(deps_, Admin(), {});
  ASSERT_TRUE(page.ok());
  // The 5 above, account_created and the bootstrap admin's user_added (ann was added through
  // the store, which writes no event).
  EXPECT_EQ(page->items.size(), 7u);
  EXPECT_EQ(page->items.front().type, "login_succeeded");
}

TEST_F(AdminEventsTest, VisibilityFollowsRightsNow) {
  // Ann loses her lead to the admin: its history disappears for her at once.
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(storage::Lead lead, w.GetLead(own_));
                            lead.responsible_user_id = admin_id_;
                            return w.UpdateLead(lead);
                          })
                  .ok());
  auto page = ListEvents(deps_, As(ann_), {});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
}

TEST_F(AdminEventsTest, PagingCountsOnlyVisibleEvents) {
  for (int i = 0; i < 300; ++i) AddEvent("lead_added", "lead", other_, admin_id_);  // hidden
  AddEvent("task_added", "task", 0, ann_);  // entity 0: not a record, hidden
  EventFilter filter;
  filter.limit = 1;
  auto first = ListEvents(deps_, As(ann_), filter);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].type, "lead_status_changed");
  EXPECT_TRUE(first->has_next);
  filter.page = 2;
  auto second = ListEvents(deps_, As(ann_), filter);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].type, "lead_added");
  EXPECT_FALSE(second->has_next);
  filter.page = 3;
  EXPECT_TRUE(ListEvents(deps_, As(ann_), filter)->items.empty());
}

TEST_F(AdminEventsTest, Filters) {
  EventFilter by_type;
  by_type.types = {"lead_added"};
  EXPECT_EQ(ListEvents(deps_, Admin(), by_type)->items.size(), 2u);
  EventFilter by_actor;
  by_actor.created_by = {ann_};
  EXPECT_EQ(ListEvents(deps_, Admin(), by_actor)->items.size(), 2u);
  EventFilter by_entity;
  by_entity.entity_types = {"lead"};
  by_entity.entity_ids = {own_};
  EXPECT_EQ(ListEvents(deps_, Admin(), by_entity)->items.size(), 2u);
  EventFilter by_time;
  by_time.created_at.from = clock_.NowSeconds() + 1;
  EXPECT_TRUE(ListEvents(deps_, Admin(), by_time)->items.empty());
  auto all = ListEvents(deps_, Admin(), {});
  EventFilter by_id;
  by_id.ids = {all->items[1].id};
  auto one = ListEvents(deps_, Admin(), by_id);
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].id, all->items[1].id);
}

TEST_F(AdminEventsTest, ExplainNamesTheRule) {
  ExplainRequest request{ann_, DataSet::kLeads, other_, Action::kView};
  auto denied = ExplainAccess(deps_, Admin(), request);
  ASSERT_TRUE(denied.ok()) << denied.status().ToString();
  EXPECT_FALSE(denied->explanation.decision.allowed);
  EXPECT_EQ(denied->explanation.decision.rule, policy::Rule::kGeneralRight);
  EXPECT_EQ(denied->explanation.decision.level, Level::kIfResponsible);
  EXPECT_EQ(denied->explanation.decision.match, policy::Match::kNotResponsible);
  request.entity_id = own_;
  EXPECT_TRUE(ExplainAccess(deps_, Admin(), request)->explanation.decision.allowed);
  request.entity_id = 987654;
  EXPECT_EQ(ExplainAccess(deps_, Admin(), request).status().code(), Code::kNotFound);
  EXPECT_EQ(ExplainAccess(deps_, As(ann_), request).status().code(), Code::kPermissionDenied);
}

}  // namespace
}  // namespace gatehouse::service
