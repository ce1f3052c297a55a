// Tags of records through RecordService, on both engines: the round trip of _embedded.tags,
// tags_to_add and tags_to_delete; filter[tags] inside the permission filter; the rights of
// tag writes and of the catalog; the events; a deleted record or tag leaves no use behind.
#include <gtest/gtest.h>

#include <algorithm>

#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

class RecordTagsTest : public testing::OnEachEngine<testing::RecordsFixture> {
 protected:
  void SetUp() override {
    RecordsFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    admin_ = AddUser("admin@acme.test", testing::Uniform(Level::kAllowed), sales_, true);
    allowed_ = AddUser("all@acme.test", testing::Uniform(Level::kAllowed), sales_);
    mine_ = AddUser("mine@acme.test", testing::Uniform(Level::kIfResponsible), sales_);
    other_ = AddUser("other@acme.test", testing::Uniform(Level::kIfResponsible), marketing_);
    domain::Rights view_only;
    view_only.Set(DataSet::kLeads, Action::kView, Level::kAllowed);
    viewer_ = AddUser("viewer@acme.test", view_only, sales_);
  }

  static TagRef Named(std::string name) { return {0, std::move(name), "test"}; }
  static TagRef ById(std::int64_t id) { return {id, "", "test"}; }

  // The names of a lead's tags as Get shows them (sorted).
  std::vector<std::string> TagNames(RecordId lead, domain::UserId as) {
    auto view = service_->Get<storage::Lead>(As(as), lead);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    std::vector<std::string> names;
    if (!view.ok()) return names;
    for (const storage::Tag& t : view->tags) names.push_back(t.name);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::int64_t TagId(const std::string& name) {
    storage::TagQuery query;
    query.name = name;
    auto page = service_->ListTags<storage::Lead>(As(viewer_), query);
    EXPECT_TRUE(page.ok());
    return page.ok() && page->items.size() == 1 ? page->items.front().id : 0;
  }

  Status UpdateTags(domain::UserId as, RecordId lead, TagsInput tags) {
    const LeadInput in{.id = lead, .tags = std::move(tags)};
    return service_->Update<storage::Lead>(As(as), std::span<const LeadInput>(&in, 1)).status();
  }

  domain::UserId admin_ = 0, allowed_ = 0, mine_ = 0, other_ = 0, viewer_ = 0;
};

TEST_P(RecordTagsTest, TagsRoundTripThroughCreateReplaceAddAndDelete) {
  const LeadInput in{.name = "Tagged",
                     .tags = {.set = std::vector<TagRef>{Named("vip"), Named("hot")}}};
  auto written = service_->Add<storage::Lead>(As(allowed_), std::span<const LeadInput>(&in, 1));
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  const RecordId lead = written->front().id;
  EXPECT_EQ(TagNames(lead, allowed_), (std::vector<std::string>{"hot", "vip"}));
  const std::int64_t vip = TagId("vip");
  ASSERT_NE(vip, 0);

  // _embedded.tags replaces the set (an id names an existing tag).
  const TagsInput replace{.set = std::vector<TagRef>{ById(vip)}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, replace).ok());
  EXPECT_EQ(TagNames(lead, allowed_), (std::vector<std::string>{"vip"}));

  // tags_to_add creates a missing name; tags_to_delete removes by name.
  const TagsInput change{.add = {Named("new"), Named("hot")}, .remove = {Named("vip")}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, change).ok());
  EXPECT_EQ(TagNames(lead, allowed_), (std::vector<std::string>{"hot", "new"}));

  // null (an empty set) clears them.
  const TagsInput clear{.set = std::vector<TagRef>{}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, clear).ok());
  EXPECT_TRUE(TagNames(lead, allowed_).empty());

  // Every change is in the activity log: vip, hot, new added; hot, vip, new removed over time.
  EXPECT_EQ(Events("entity_tag_added").size(), 4u);    // vip, hot, hot (again), new
  EXPECT_EQ(Events("entity_tag_deleted").size(), 4u);  // hot, vip, hot, new
  EXPECT_EQ(Events("tag_added").size(), 3u);           // vip, hot, new entered the catalog
}

TEST_P(RecordTagsTest, AnUnknownTagIdChangesNothing) {
  const RecordId lead = MakeLead(allowed_).id;
  const TagsInput first{.set = std::vector<TagRef>{Named("kept")}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, first).ok());
  const TagsInput bad{.add = {Named("fresh"), {999999, "", "tags_to_add.1"}}};
  Status status = UpdateTags(allowed_, lead, bad);
  ASSERT_EQ(status.code(), base::Code::kInvalidArgument) << status.ToString();
  ASSERT_FALSE(status.fields().empty());
  EXPECT_EQ(status.fields().front().path, "tags_to_add.1.id");
  EXPECT_EQ(TagNames(lead, allowed_), (std::vector<std::string>{"kept"}));
  EXPECT_EQ(TagId("fresh"), 0) << "the tag the failed write named is not created either";
}

TEST_P(RecordTagsTest, ChangingTagsNeedsEditOnTheRecord) {
  const RecordId lead = MakeLead(allowed_).id;
  const TagsInput add{.add = {Named("x")}};
  EXPECT_EQ(UpdateTags(viewer_, lead, add).code(), base::Code::kPermissionDenied);
  // mine_ may view only their own leads: someone else's is not found.
  EXPECT_EQ(UpdateTags(mine_, lead, add).code(), base::Code::kNotFound);
  EXPECT_TRUE(TagNames(lead, allowed_).empty());
  EXPECT_EQ(TagId("x"), 0);
}

TEST_P(RecordTagsTest, FilterByTagsNeverShowsARecordTheUserMayNotView) {
  const RecordId own = MakeLead(mine_).id;
  const RecordId theirs = MakeLead(other_).id;
  const RecordId untagged = MakeLead(mine_).id;
  const RecordId both = MakeLead(mine_).id;
  const TagsInput x{.set = std::vector<TagRef>{Named("x")}};
  for (RecordId id : {own, theirs}) ASSERT_TRUE(UpdateTags(admin_, id, x).ok());
  const TagsInput xy{.set = std::vector<TagRef>{Named("x"), Named("y")}};
  ASSERT_TRUE(UpdateTags(admin_, both, xy).ok());
  const std::int64_t tx = TagId("x"), ty = TagId("y");

  auto ids = [&](domain::UserId as, std::vector<std::int64_t> tags, bool all) {
    auto page = service_->List<storage::Lead>(
        As(as), storage::ListQuery{.tag_ids = std::move(tags), .tags_all = all});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> out;
    if (page.ok()) {
      for (const auto& v : page->items) out.push_back(v.record.id);
    }
    return out;
  };
  EXPECT_EQ(ids(mine_, {tx}, false), (std::vector<RecordId>{own, both}));
  EXPECT_EQ(ids(other_, {tx}, false), (std::vector<RecordId>{theirs}));
  EXPECT_EQ(ids(admin_, {tx}, false), (std::vector<RecordId>{own, theirs, both}));
  EXPECT_EQ(ids(admin_, {tx, ty}, true), (std::vector<RecordId>{both}));
  EXPECT_EQ(ids(admin_, {ty, tx, ty}, true), (std::vector<RecordId>{both}));
  EXPECT_EQ(ids(mine_, {ty}, false), (std::vector<RecordId>{both}));
  (void)untagged;
}

TEST_P(RecordTagsTest, CatalogRightsDuplicatesAndDeletion) {
  // Every user of the account reads the catalog; one who may add or edit leads adds to it.
  std::vector<NewTag> tags = {{"alpha", "DDEBB5"}, {"beta", ""}};
  auto added = service_->AddTags<storage::Lead>(As(mine_), tags);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->size(), 2u);
  EXPECT_EQ(added->front().color, "DDEBB5");
  auto listed = service_->ListTags<storage::Lead>(As(viewer_), {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->items.size(), 2u);
  // Contacts have their own catalog.
  auto contact_tags = service_->ListTags<storage::Contact>(As(viewer_), {});
  ASSERT_TRUE(contact_tags.ok());
  EXPECT_TRUE(contact_tags->items.empty());

  // A duplicate fails the whole batch, reporting its index.
  std::vector<NewTag> dup = {{"gamma", ""}, {"alpha", ""}};
  std::size_t failed = 99;
  auto refused = service_->AddTags<storage::Lead>(As(allowed_), dup, &failed);
  ASSERT_EQ(refused.status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(TagId("gamma"), 0);
  std::vector<NewTag> bad_color = {{"delta", "red"}};
  EXPECT_EQ(service_->AddTags<storage::Lead>(As(allowed_), bad_color).status().code(),
            base::Code::kInvalidArgument);

  // viewer_ may neither add nor edit leads.
  std::vector<NewTag> one = {{"epsilon", ""}};
  EXPECT_EQ(service_->AddTags<storage::Lead>(As(viewer_), one).status().code(),
            base::Code::kPermissionDenied);

  // Deleting is for administrators, and removes the tag from the records.
  const RecordId lead = MakeLead(allowed_).id;
  const TagsInput set{.set = std::vector<TagRef>{Named("alpha"), Named("beta")}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, set).ok());
  const std::int64_t alpha = TagId("alpha");
  const std::int64_t ids[] = {alpha};
  EXPECT_EQ(service_->DeleteTags<storage::Lead>(As(allowed_), ids).code(),
            base::Code::kPermissionDenied);
  ASSERT_TRUE(service_->DeleteTags<storage::Lead>(As(admin_), ids).ok());
  EXPECT_EQ(TagNames(lead, allowed_), (std::vector<std::string>{"beta"}));
  EXPECT_EQ(TagId("alpha"), 0);
  EXPECT_EQ(service_->DeleteTags<storage::Lead>(As(admin_), ids).code(),
            base::Code::kInvalidArgument);
  EXPECT_EQ(Events("tag_deleted").size(), 1u);
}

TEST_P(RecordTagsTest, ADeletedRecordLeavesNoTagsBehind) {
  const RecordId lead = MakeLead(allowed_).id;
  const TagsInput set{.set = std::vector<TagRef>{Named("gone")}};
  ASSERT_TRUE(UpdateTags(allowed_, lead, set).ok());
  ASSERT_TRUE(service_->Delete<storage::Lead>(As(allowed_), lead).ok());
  const RecordId ids[] = {lead};
  auto tags = store_->Reader(account_).TagsOf(DataSet::kLeads, ids);
  ASSERT_TRUE(tags.ok());
  EXPECT_TRUE(tags->empty());
  EXPECT_NE(TagId("gone"), 0) << "the catalog keeps the tag";
}

TEST_P(RecordTagsTest, ListsEmbedEveryRecordsTagsAndContactsAndCompaniesHaveThem) {
  const RecordId a = MakeLead(allowed_).id;
  const RecordId b = MakeLead(allowed_).id;
  const TagsInput set{.set = std::vector<TagRef>{Named("one")}};
  ASSERT_TRUE(UpdateTags(allowed_, a, set).ok());
  auto page = service_->List<storage::Lead>(As(allowed_), {});
  ASSERT_TRUE(page.ok());
  for (const auto& view : page->items) {
    EXPECT_EQ(view.tags.size(), view.record.id == a ? 1u : 0u) << view.record.id;
  }
  (void)b;
  const ContactInput contact{.name = "Ann", .tags = {.add = {Named("friend")}}};
  auto written =
      service_->Add<storage::Contact>(As(allowed_), std::span<const ContactInput>(&contact, 1));
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto read = service_->Get<storage::Contact>(As(allowed_), written->front().id);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->tags.size(), 1u);
  EXPECT_EQ(read->tags.front().name, "friend");
  // A different catalog: a new tag.
  const CompanyInput company{.name = "Acme", .tags = {.set = std::vector<TagRef>{Named("friend")}}};
  auto made =
      service_->Add<storage::Company>(As(allowed_), std::span<const CompanyInput>(&company, 1));
  ASSERT_TRUE(made.ok());
  auto company_read = service_->Get<storage::Company>(As(allowed_), made->front().id);
  ASSERT_TRUE(company_read.ok());
  ASSERT_EQ(company_read->tags.size(), 1u);
  EXPECT_NE(company_read->tags.front().id, read->tags.front().id);
}

TEST_P(RecordTagsTest, LossReasonsAreAdministeredAndALeadsReasonIsValidated) {
  std::vector<NewLossReason> reasons = {{"Too expensive", 10}, {"Went silent", 20}};
  EXPECT_EQ(service_->AddLossReasons(As(allowed_), reasons).status().code(),
            base::Code::kPermissionDenied);
  auto added = service_->AddLossReasons(As(admin_), reasons);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const std::int64_t expensive = added->front().id;
  std::vector<NewLossReason> dup = {{"Too expensive", 0}};
  EXPECT_EQ(service_->AddLossReasons(As(admin_), dup).status().code(),
            base::Code::kInvalidArgument);
  auto listed = service_->ListLossReasons(As(viewer_));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->front().name, "Too expensive");

  // A lead's loss_reason_id must be one of them: on create and on update.
  const LeadInput bad{.name = "Lost", .loss_reason_id = 987654};
  auto refused = service_->Add<storage::Lead>(As(allowed_), std::span<const LeadInput>(&bad, 1));
  ASSERT_EQ(refused.status().code(), base::Code::kInvalidArgument);
  EXPECT_EQ(refused.status().fields().front().path, "loss_reason_id");
  const LeadInput good{.name = "Lost", .loss_reason_id = expensive};
  auto written = service_->Add<storage::Lead>(As(allowed_), std::span<const LeadInput>(&good, 1));
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  const RecordId lead = written->front().id;
  const LeadInput change{.id = lead, .loss_reason_id = 987654};
  EXPECT_EQ(service_->Update<storage::Lead>(As(allowed_), std::span<const LeadInput>(&change, 1))
                .status()
                .code(),
            base::Code::kInvalidArgument);

  // with=loss_reason embeds it; deleting it leaves the lead without one.
  const Embed embed{.loss_reason = true};
  auto read = service_->Get<storage::Lead>(As(allowed_), lead, embed);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->loss_reason.has_value());
  EXPECT_EQ(read->loss_reason->name, "Too expensive");
  EXPECT_EQ(service_->DeleteLossReason(As(allowed_), expensive).code(),
            base::Code::kPermissionDenied);
  ASSERT_TRUE(service_->DeleteLossReason(As(admin_), expensive).ok());
  read = service_->Get<storage::Lead>(As(allowed_), lead, embed);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->record.loss_reason_id, 0);
  EXPECT_FALSE(read->loss_reason.has_value());
  EXPECT_EQ(service_->GetLossReason(As(admin_), expensive).status().code(), base::Code::kNotFound);
  EXPECT_EQ(Events("loss_reason_added").size(), 2u);
  EXPECT_EQ(Events("loss_reason_deleted").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, RecordTagsTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
