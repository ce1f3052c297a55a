// RecordService on the record kinds besides leads: tasks follow their responsible user and the
// record they are linked to, contacts and companies the same rules as leads, catalogs need the
// lists feature and administrators create them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/records/records_test_util.h"

namespace gatehouse::service {
namespace {

using ::testing::HasSubstr;

TEST_F(RecordsTest, TasksFollowTheirResponsibleUserAndTheLinkedRecord) {
  const RecordId others_lead = MakeLead(outsider_).id;
  const RecordId own_lead = MakeLead(mine_).id;
  TaskInput task{.text = "Call",
                 .complete_till = 1'800'000'000,
                 .entity_type = DataSet::kLeads,
                 .entity_id = others_lead};
  // The linked lead is invisible to mine_: reported as not found.
  auto hidden = service_->Add<storage::Task>(As(mine_), std::vector{task});
  ASSERT_EQ(hidden.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(hidden.status().fields().at(0).path, "entity_id");
  // A task for someone else with tasks.edit M: the caller could not edit it -> 403.
  task.entity_id = own_lead;
  task.responsible_user_id = mate_;
  EXPECT_EQ(service_->Add<storage::Task>(As(mine_), std::vector{task}).status().code(),
            Code::kPermissionDenied);
  task.responsible_user_id.reset();
  auto added = service_->Add<storage::Task>(As(mine_), std::vector{task});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const RecordId id = (*added)[0].id;
  EXPECT_EQ(Events("task_added").size(), 1u);
  // Invisible to the outsider; the allowed user completes it.
  EXPECT_EQ(service_->Get<storage::Task>(As(outsider_), id).status().code(), Code::kNotFound);
  const TaskInput done{.id = id, .is_completed = true, .result_text = "Done"};
  EXPECT_EQ(service_->Update<storage::Task>(As(outsider_), std::vector{done}).status().code(),
            Code::kNotFound);
  ASSERT_TRUE(service_->Update<storage::Task>(As(allowed_), std::vector{done}).ok());
  EXPECT_TRUE(store_->Reader(account_).Get<storage::Task>(id)->is_completed);
  EXPECT_EQ(Events("task_completed").size(), 1u);
  EXPECT_EQ(Events("task_result_added").size(), 1u);
  auto listed = service_->List<storage::Task>(As(outsider_), {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  EXPECT_EQ(service_->Delete<storage::Task>(As(viewer_), id).code(), Code::kPermissionDenied);
  EXPECT_TRUE(service_->Delete<storage::Task>(As(mine_), id).ok());
  EXPECT_EQ(Events("task_deleted").size(), 1u);
}

TEST_F(RecordsTest, ContactsAndCompaniesFollowTheSameRules) {
  const RecordId contact = MakeContact(outsider_).id;
  const ContactInput in{.id = contact, .name = "Bob"};
  EXPECT_EQ(service_->Update<storage::Contact>(As(mine_), std::vector{in}).status().code(),
            Code::kNotFound);
  auto denied = service_->Update<storage::Contact>(As(viewer_), std::vector{in});
  ASSERT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), "contacts.edit is D (denied)");
  ASSERT_TRUE(service_->Update<storage::Contact>(As(allowed_), std::vector{in}).ok());
  EXPECT_EQ(store_->Reader(account_).Get<storage::Contact>(contact)->name, "Bob");

  const CompanyInput company{.name = "Initech"};
  EXPECT_EQ(service_->Add<storage::Company>(As(viewer_), std::vector{company}).status().code(),
            Code::kPermissionDenied);
  auto added = service_->Add<storage::Company>(As(team_), std::vector{company});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(Events("company_added").size(), 1u);
  auto listed = service_->List<storage::Company>(As(outsider_), {}, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  auto visible = service_->List<storage::Company>(As(mate_), {}, {});
  ASSERT_TRUE(visible.ok());
  EXPECT_TRUE(visible->items.empty());  // M: team_ is responsible, not mate_
  EXPECT_EQ(service_->List<storage::Company>(As(team_), {}, {})->items.size(), 1u);
}

TEST_F(RecordsTest, CatalogsNeedTheListsFeatureAndAdminsCreateThem) {
  domain::Rights with_lists = testing::Uniform(Level::kIfResponsible);
  with_lists.catalog_access = true;
  const domain::UserId lister = AddUser("lists@acme.test", with_lists, sales_);
  const std::vector<CatalogInput> names = {{.name = "Products"}};
  auto refused = service_->ListCatalogs(As(allowed_));
  ASSERT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("catalog_access"));
  EXPECT_EQ(service_->AddCatalogs(As(lister), names).status().code(), Code::kPermissionDenied);
  auto created = service_->AddCatalogs(As(admin_), names);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::int64_t list = (*created)[0].id;
  EXPECT_EQ(Events("catalog_added").size(), 1u);
  ASSERT_EQ(service_->ListCatalogs(As(lister))->size(), 1u);

  const std::vector<ListItemInput> items = {{"Widget", ""}, {"Gadget", ""}};
  EXPECT_EQ(service_->AddCatalogElements(As(allowed_), list, items).status().code(),
            Code::kPermissionDenied);
  ASSERT_TRUE(service_->AddCatalogElements(As(lister), list, items).ok());
  auto page = service_->ListCatalogElements(As(lister), list, 1, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "Widget");
  EXPECT_TRUE(page->has_next);
  EXPECT_FALSE(service_->ListCatalogElements(As(lister), list, 1, 2)->has_next);
  EXPECT_EQ(service_->ListCatalogElements(As(lister), list + 100, 50, 1).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Events("catalog_element_added").size(), 2u);
}

}  // namespace
}  // namespace gatehouse::service
