// AccountReader::SummarizeIncoming on every engine: the counts per state and category and the
// mean sorting time (rounded down alike on SQLite and PostgreSQL) of exactly the incoming leads
// the list shows under the same permission filter and query; another account's never count.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using domain::IncomingCategory;
using policy::Audience;
using policy::ListFilter;

class IncomingSummaryTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("acme");
    first_ = StagesOf(account_).front().pipeline_id;
    second_ = NewPipeline(account_, "Second", {{0, "A", 20, 0}}).id;
    owner_ = NewUser(account_, "owner@x.io");
    other_ = NewUser(account_, "other@x.io");
    // Decided after 10 and 15 seconds, and one whose sent creation time is after its decision
    // (counts 0): 25 / 3 is 8.33, so the mean is 8 on both engines.
    Add("a-sip", IncomingCategory::kSip, first_, owner_, 1000, 1010);
    Add("d-sip", IncomingCategory::kSip, first_, other_, 2000, -2015);
    Add("a-late", IncomingCategory::kForms, second_, owner_, 5000, 4000);
    Add("p-forms", IncomingCategory::kForms, first_, 0, 3000, 0);
    Add("p-chats", IncomingCategory::kChats, second_, other_, 4000, 0);
    // Never counted: another account's, decided, in its own pipeline.
    const AccountId elsewhere = NewAccount("other");
    const PipelineId theirs = StagesOf(elsewhere).front().pipeline_id;
    NewRecord(elsewhere, IncomingLead{.uid = "a-sip",
                                      .category = IncomingCategory::kSip,
                                      .pipeline_id = theirs,
                                      .created_at = 1000});
  }

  // Adds an item created at `created_at`; `decided` > 0 accepts it then, < 0 declines it at
  // -decided, 0 leaves it pending.
  void Add(const std::string& uid, IncomingCategory category, PipelineId pipeline, UserId owner,
           std::int64_t created_at, std::int64_t decided) {
    const IncomingLead item = NewRecord(account_, IncomingLead{.uid = uid,
                                                               .category = category,
                                                               .pipeline_id = pipeline,
                                                               .responsible_user_id = owner,
                                                               .created_at = created_at});
    if (decided == 0) return;
    const Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
      if (decided < 0) return w.DeclineIncomingLead(item.id, -decided);
      return w.AcceptIncomingLead(item.id, owner_, 0, decided).status();
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  IncomingSummary Summary(const ListFilter& permission, const ListQuery& query = {}) {
    Result<IncomingSummary> summary = store_->Reader(account_).SummarizeIncoming(permission, query);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : IncomingSummary{};
  }

  // The categories sip, forms, mail, chats with these totals.
  static std::vector<IncomingCategoryCount> Categories(std::int64_t sip, std::int64_t forms,
                                                       std::int64_t mail, std::int64_t chats) {
    return {{IncomingCategory::kSip, sip},
            {IncomingCategory::kForms, forms},
            {IncomingCategory::kMail, mail},
            {IncomingCategory::kChats, chats}};
  }

  AccountId account_ = 0;
  PipelineId first_ = 0, second_ = 0;
  UserId owner_ = 0, other_ = 0;
};

TEST_P(IncomingSummaryTest, CountsStatesCategoriesAndTheMeanSortingTime) {
  const IncomingSummary all = Summary(ListFilter::All());
  EXPECT_EQ(all, (IncomingSummary{.total = 5,
                                  .accepted = 2,
                                  .declined = 1,
                                  .average_sort_time = 8,
                                  .categories = Categories(2, 2, 0, 1)}));
  // The same rows as the list.
  auto listed = store_->Reader(account_).List<IncomingLead>(ListFilter::All(), {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(static_cast<std::int64_t>(listed->items.size()), all.total);
}

TEST_P(IncomingSummaryTest, AppliesUidCreatedAtAndPipelineFilters) {
  EXPECT_EQ(Summary(ListFilter::All(), {.uids = {"a-sip", "d-sip"}}),
            (IncomingSummary{.total = 2,
                             .accepted = 1,
                             .declined = 1,
                             .average_sort_time = 12,  // 25 / 2, rounded down
                             .categories = Categories(2, 0, 0, 0)}));
  EXPECT_EQ(Summary(ListFilter::All(), {.created_at = {.from = 2000, .to = 4000}}),
            (IncomingSummary{.total = 3,
                             .accepted = 0,
                             .declined = 1,
                             .average_sort_time = 15,
                             .categories = Categories(1, 1, 0, 1)}));
  EXPECT_EQ(Summary(ListFilter::All(), {.pipeline_ids = {second_}}),
            (IncomingSummary{.total = 2,
                             .accepted = 1,
                             .declined = 0,
                             .average_sort_time = 0,  // decided before its sent creation time
                             .categories = Categories(0, 1, 0, 1)}));
  EXPECT_EQ(Summary(ListFilter::All(), {.uids = {"none"}}),
            (IncomingSummary{.categories = Categories(0, 0, 0, 0)}));
  // A uid filter is refused where there are no uids.
  auto leads = store_->Reader(account_).List<Lead>(ListFilter::All(), {.uids = {"a-sip"}});
  EXPECT_EQ(leads.status().code(), Code::kInvalidArgument);
}

TEST_P(IncomingSummaryTest, CountsOnlyWhatThePermissionAdmits) {
  const ListFilter owned{.otherwise = {Audience::Kind::kResponsibleIn, {owner_}}};
  EXPECT_EQ(Summary(owned), (IncomingSummary{.total = 2,
                                             .accepted = 2,
                                             .declined = 0,
                                             .average_sort_time = 5,  // (10 + 0) / 2
                                             .categories = Categories(1, 1, 0, 0)}));
  auto listed = store_->Reader(account_).List<IncomingLead>(owned, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(Summary(owned, {.pipeline_ids = {second_}}).total, 1);
  // Nothing admitted: zeros, every category listed.
  EXPECT_EQ(Summary(ListFilter{}), (IncomingSummary{.categories = Categories(0, 0, 0, 0)}));
}

GH_INSTANTIATE_STORE_TEST(IncomingSummaryTest);

}  // namespace
}  // namespace gatehouse::storage
