// Who sees which activity-log entries, filters applied before paging, and Explain.
#include "service/admin/admin_events.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

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
  auto page = admin_service_.ListEvents(As(ann_), {});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Types(*page), (std::vector<std::string>{"lead_status_changed:" + std::to_string(own_),
                                                    "lead_added:" + std::to_string(own_)}));
  EXPECT_FALSE(page->has_next);
}

TEST_F(AdminEventsTest, AdministratorSeesEverything) {
  auto page = admin_service_.ListEvents(Admin(), {});
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
                            GH_ASSIGN_OR_RETURN(storage::Lead lead, w.Get<storage::Lead>(own_));
                            lead.responsible_user_id = admin_id_;
                            return w.Update(lead);
                          })
                  .ok());
  auto page = admin_service_.ListEvents(As(ann_), {});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
}

TEST_F(AdminEventsTest, PagingCountsOnlyVisibleEvents) {
  for (int i = 0; i < 300; ++i) AddEvent("lead_added", "lead", other_, admin_id_);  // hidden
  AddEvent("task_added", "task", 0, ann_);  // entity 0: not a record, hidden
  // One visible event a page, newest first, then an empty page.
  const std::vector<std::string> visible = {"lead_status_changed", "lead_added"};
  EventFilter filter;
  filter.limit = 1;
  for (std::size_t page = 1; page <= visible.size() + 1; ++page) {
    filter.page = static_cast<int>(page);
    auto listed = admin_service_.ListEvents(As(ann_), filter);
    ASSERT_TRUE(listed.ok()) << "page " << page;
    const std::size_t expected = page <= visible.size() ? 1 : 0;
    ASSERT_EQ(listed->items.size(), expected) << "page " << page;
    if (expected == 1) {
      EXPECT_EQ(listed->items[0].type, visible[page - 1]);
    }
    EXPECT_EQ(listed->has_next, page < visible.size()) << "page " << page;
  }
}

// Pages past the store's first batch (250 rows): a batch whose last event is visible carries on
// after that event, so walking every page lists each visible event exactly once.
TEST_F(AdminEventsTest, PagesPastOneBatchListEachVisibleEventOnce) {
  for (int i = 0; i < 600; ++i) {
    AddEvent("lead_status_changed", "lead", own_, admin_id_);           // visible to ann
    if (i % 3 == 0) AddEvent("lead_added", "lead", other_, admin_id_);  // hidden from her
  }
  EventFilter filter;
  filter.limit = 50;
  std::set<std::string> ids;
  std::size_t rows = 0;
  for (filter.page = 1; filter.page <= 20; ++filter.page) {
    auto listed = admin_service_.ListEvents(As(ann_), filter);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    for (const storage::EventRow& e : listed->items) ids.insert(e.id);
    rows += listed->items.size();
    if (!listed->has_next) break;
  }
  EXPECT_EQ(rows, 602u);  // the 600, and the two of SetUp on her lead
  EXPECT_EQ(ids.size(), rows);
}

TEST_F(AdminEventsTest, Filters) {
  EventFilter by_type;
  by_type.types = {"lead_added"};
  EXPECT_EQ(admin_service_.ListEvents(Admin(), by_type)->items.size(), 2u);
  EventFilter by_actor;
  by_actor.created_by = {ann_};
  EXPECT_EQ(admin_service_.ListEvents(Admin(), by_actor)->items.size(), 2u);
  const EventFilter by_entity{.entity_types = {"lead"}, .entity_ids = {own_}};
  EXPECT_EQ(admin_service_.ListEvents(Admin(), by_entity)->items.size(), 2u);
  EventFilter by_time;
  by_time.created_at.from = clock_.NowSeconds() + 1;
  EXPECT_TRUE(admin_service_.ListEvents(Admin(), by_time)->items.empty());
  auto all = admin_service_.ListEvents(Admin(), {});
  EventFilter by_id;
  by_id.ids = {all->items[1].id};
  auto one = admin_service_.ListEvents(Admin(), by_id);
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].id, all->items[1].id);
}

TEST_F(AdminEventsTest, ValuesOmitLinkedRecordsTheCallerMayNotView) {
  domain::Rights rights = LeadsView(Level::kIfResponsible);
  rights.Set(DataSet::kContacts, Action::kView, Level::kIfResponsible);
  const domain::UserId bea = AddUser("bea@acme.test", rights);
  const domain::RecordId lead = AddLead(bea, "Bea's").id;
  domain::RecordId hidden = 0, shown = 0;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            const storage::Contact admins{.name = "Admin's contact",
                                                          .responsible_user_id = admin_id_};
                            GH_ASSIGN_OR_RETURN(storage::Contact a, w.Create(admins));
                            const storage::Contact beas{.name = "Bea's contact",
                                                        .responsible_user_id = bea};
                            GH_ASSIGN_OR_RETURN(storage::Contact b, w.Create(beas));
                            hidden = a.id;
                            shown = b.id;
                            return base::Status::Ok();
                          })
                  .ok());
  // The lead is Bea's; one linked contact is hers, the other is hidden from her.
  auto log = [&](const std::string& type, std::string before, std::string after) {
    clock_.Advance(1);
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](storage::AccountWriter& w) {
                              return RecordEvent(w, Admin(), clock_.NowSeconds(),
                                                 {type, "lead", lead, before, after});
                            })
                    .ok());
  };
  log("entity_linked", "[]", internal::LinkValue("contact", hidden));
  log("entity_linked", "[]", internal::LinkValue("contact", shown));
  log("entity_linked", internal::LinkValue("company", 424242), "[]");  // no such company
  log("lead_status_changed", internal::StatusValue(1, 2), internal::StatusValue(1, 3));

  EventFilter mine;
  mine.entity_ids = {lead};
  auto page = admin_service_.ListEvents(As(bea), mine);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 4u);
  // Newest first: the status change keeps its values, the hidden records are gone from the
  // values while the events on her lead stay.
  EXPECT_EQ(page->items[0].value_after_json, internal::StatusValue(1, 3));
  EXPECT_EQ(page->items[1].value_before_json, "[]");
  EXPECT_EQ(page->items[2].value_after_json, internal::LinkValue("contact", shown));
  EXPECT_EQ(page->items[3].value_after_json, "[]");
  auto one = admin_service_.GetEvent(As(bea), page->items[3].id);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->value_after_json, "[]");
  EXPECT_EQ(one->value_after_json.find(std::to_string(hidden)), std::string::npos);

  // An administrator sees every value as written.
  auto all = admin_service_.ListEvents(Admin(), mine);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->items.size(), 4u);
  EXPECT_EQ(all->items[3].value_after_json, internal::LinkValue("contact", hidden));
  EXPECT_EQ(all->items[1].value_before_json, internal::LinkValue("company", 424242));
}

TEST_F(AdminEventsTest, GetEventFollowsTheListsVisibility) {
  auto all = admin_service_.ListEvents(Admin(), {});
  ASSERT_TRUE(all.ok());
  auto id_of = [&](const std::string& type, domain::RecordId entity) {
    for (const storage::EventRow& e : all->items) {
      if (e.type == type && e.entity_id == entity) return e.id;
    }
    ADD_FAILURE() << "no " << type << " of " << entity;
    return std::string();
  };
  const std::string own_added = id_of("lead_added", own_);
  const std::string other_added = id_of("lead_added", other_);
  const std::string login = id_of("login_succeeded", 0);
  const std::string gone = id_of("lead_deleted", 987654);

  auto mine = admin_service_.GetEvent(As(ann_), own_added);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->id, own_added);
  EXPECT_EQ(mine->type, "lead_added");
  EXPECT_EQ(mine->entity_id, own_);
  // Invisible and missing look the same.
  const base::Status missing =
      admin_service_.GetEvent(As(ann_), "0000000000000000000000000z").status();
  EXPECT_EQ(missing.code(), Code::kNotFound);
  for (const std::string& hidden : {other_added, login, gone}) {
    const base::Status status = admin_service_.GetEvent(As(ann_), hidden).status();
    EXPECT_EQ(status.code(), Code::kNotFound) << hidden;
    EXPECT_EQ(status.message(), missing.message()) << hidden;
    auto admin = admin_service_.GetEvent(Admin(), hidden);
    ASSERT_TRUE(admin.ok()) << hidden;
    EXPECT_EQ(admin->id, hidden);
  }
  // Another account's event does not exist here.
  auto other = CreateAccountWithAdmin(*store_, {"beta", "Beta", kSeats, 0},
                                      {"admin@beta.test", "Admin", ""}, clock_.NowSeconds());
  ASSERT_TRUE(other.ok());
  storage::EventQuery query;
  auto theirs = store_->Reader(other->id).ListEvents(query);
  ASSERT_TRUE(theirs.ok() && !theirs->empty());
  EXPECT_EQ(admin_service_.GetEvent(Admin(), theirs->front().id).status().code(), Code::kNotFound);
}

// Value filters run through the real writers (RecordService), so the stored texts and the
// filter's texts come from the same serializer.
class EventValueFiltersTest : public AdminEventsTest {
 protected:
  void SetUp() override {
    AdminEventsTest::SetUp();
    auto pipelines = Reader().ListPipelines();
    ASSERT_TRUE(pipelines.ok() && !pipelines->empty());
    pipeline_ = pipelines->front().id;
    for (const domain::Stage& stage : pipelines->front().stages) {
      if (stage.type == domain::kStageTypeIncoming || stage.id == domain::kWonStatusId ||
          stage.id == domain::kLostStatusId) {
        continue;
      }
      working_.push_back(stage.id);
    }
    ASSERT_GE(working_.size(), 2u);
    records_ = std::make_unique<RecordService>(*store_, clock_);
  }

  void Update(LeadInput input) {
    clock_.Advance(1);
    auto written = records_->Update<storage::Lead>(Admin(), std::vector{input});
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }
  void MoveLead(domain::RecordId id, domain::StatusId status) {
    Update({.id = id, .status_id = status});
  }

  // type:entity_id of each event of the page.
  std::vector<std::string> Page(const Caller& caller, const EventFilter& filter) {
    auto page = admin_service_.ListEvents(caller, filter);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Types(*page) : std::vector<std::string>{};
  }

  domain::PipelineId pipeline_ = 0;
  std::vector<domain::StatusId> working_;
  std::unique_ptr<RecordService> records_;
};

TEST_F(EventValueFiltersTest, LeadsStatusesMatchBeforePaging) {
  const domain::StatusId first = working_[0], second = working_[1];
  MoveLead(own_, second);    // own: first -> second
  MoveLead(other_, second);  // other: first -> second
  MoveLead(own_, first);     // own: second -> first (newest, matches only value_before)
  const std::string own = "lead_status_changed:" + std::to_string(own_);
  const std::string other = "lead_status_changed:" + std::to_string(other_);

  EventFilter to_second;
  to_second.value_after.leads_statuses = {{pipeline_, second}};
  EXPECT_EQ(Page(Admin(), to_second), (std::vector<std::string>{other, own}));
  EXPECT_EQ(Page(As(ann_), to_second), std::vector<std::string>{own});
  // Paging counts matching, visible events only: page 2 of 1 is the older match.
  to_second.limit = 1;
  auto first_page = admin_service_.ListEvents(Admin(), to_second);
  ASSERT_TRUE(first_page.ok());
  EXPECT_EQ(Types(*first_page), std::vector<std::string>{other});
  EXPECT_TRUE(first_page->has_next);
  to_second.page = 2;
  auto second_page = admin_service_.ListEvents(Admin(), to_second);
  EXPECT_EQ(Types(*second_page), std::vector<std::string>{own});
  EXPECT_FALSE(second_page->has_next);
  auto ann_page = admin_service_.ListEvents(As(ann_), to_second);
  EXPECT_TRUE(ann_page->items.empty());  // ann's one match is on page 1

  EventFilter from_second;
  from_second.value_before.leads_statuses = {{pipeline_, second}};
  EXPECT_EQ(Page(Admin(), from_second), std::vector<std::string>{own});
  const EventFilter moved{
      .value_before = {.leads_statuses = {{pipeline_, first}}},
      .value_after = {.leads_statuses = {{pipeline_, second}, {pipeline_, 999}}}};
  EXPECT_EQ(Page(Admin(), moved), (std::vector<std::string>{other, own}));
  EventFilter other_pipeline;
  other_pipeline.value_after.leads_statuses = {{pipeline_ + 1000, second}};
  EXPECT_TRUE(Page(Admin(), other_pipeline).empty());
  // filter[type] naming other types leaves nothing; naming this one changes nothing.
  to_second.page = 1;
  to_second.limit = 50;
  to_second.types = {"lead_added"};
  EXPECT_TRUE(Page(Admin(), to_second).empty());
  to_second.types = {"lead_added", "lead_status_changed"};
  EXPECT_EQ(Page(Admin(), to_second).size(), 2u);
}

TEST_F(EventValueFiltersTest, ResponsibleUserAndInvalidCombinations) {
  Update({.id = own_, .responsible_user_id = admin_id_});  // ann loses her lead
  const std::string changed = "entity_responsible_changed:" + std::to_string(own_);
  EventFilter to_admin;
  to_admin.value_after.responsible_user_ids = {admin_id_};
  EXPECT_EQ(Page(Admin(), to_admin), std::vector<std::string>{changed});
  EXPECT_TRUE(Page(As(ann_), to_admin).empty());  // the lead is no longer hers
  EventFilter from_ann;
  from_ann.value_before.responsible_user_ids = {ann_};
  EXPECT_EQ(Page(Admin(), from_ann), std::vector<std::string>{changed});
  EventFilter to_ann;
  to_ann.value_after.responsible_user_ids = {ann_};
  EXPECT_TRUE(Page(Admin(), to_ann).empty());

  const EventFilter mixed{.value_before = {.responsible_user_ids = {ann_}},
                          .value_after = {.leads_statuses = {{pipeline_, working_[0]}}}};
  auto refused = admin_service_.ListEvents(Admin(), mixed);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(refused.status().fields().size(), 1u);
  EXPECT_EQ(refused.status().fields()[0].path, "filter[value_after]");
  const EventFilter both{.value_after = {.leads_statuses = {{pipeline_, working_[0]}},
                                         .responsible_user_ids = {ann_}}};
  EXPECT_EQ(admin_service_.ListEvents(Admin(), both).status().code(), Code::kInvalidArgument);
}

TEST_F(AdminEventsTest, ExplainNamesTheRule) {
  ExplainRequest request{ann_, DataSet::kLeads, other_, Action::kView, std::nullopt};
  auto denied = admin_service_.ExplainAccess(Admin(), request);
  ASSERT_TRUE(denied.ok()) << denied.status().ToString();
  EXPECT_FALSE(denied->explanation.decision.allowed);
  EXPECT_EQ(denied->explanation.decision.rule, policy::Rule::kGeneralRight);
  EXPECT_EQ(denied->explanation.decision.level, Level::kIfResponsible);
  EXPECT_EQ(denied->explanation.decision.match, policy::Match::kNotResponsible);
  request.entity_id = own_;
  EXPECT_TRUE(admin_service_.ExplainAccess(Admin(), request)->explanation.decision.allowed);
  request.entity_id = 987654;
  EXPECT_EQ(admin_service_.ExplainAccess(Admin(), request).status().code(), Code::kNotFound);
  // Ann may ask about herself, never about the record she may not view (it does not exist for
  // her) nor about another user.
  EXPECT_EQ(admin_service_.ExplainAccess(As(ann_), request).status().code(), Code::kNotFound);
  request.entity_id = other_;
  EXPECT_EQ(admin_service_.ExplainAccess(As(ann_), request).status().code(), Code::kNotFound);
  request.entity_id = own_;
  auto own = admin_service_.ExplainAccess(As(ann_), request);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_TRUE(own->explanation.decision.allowed);
  request.user_id = admin_id_;
  EXPECT_EQ(admin_service_.ExplainAccess(As(ann_), request).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace gatehouse::service
