// Roles, groups and pipelines: the rules of each and the activity-log entries they leave.
#include "service/admin/admin_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/admin/admin_users.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

class AdminSettingsTest : public testing::AdminFixture {};

RoleInput NamedRole(const std::string& name) { return RoleInput{.name = name}; }

TEST_F(AdminSettingsTest, RolesAreValidatedPerItemAndUniquelyNamed) {
  RoleInput bad{.request_id = "x", .name = "Bad"};
  bad.rights.data_sets = {"leads"};
  bad.rights.raw.general = {{"leads", "add", "G"}};
  std::vector<ItemErrors> errors;
  auto created =
      admin_service_.CreateRoles(Admin(), {NamedRole("Good"), bad, NamedRole("good")}, &errors);
  ASSERT_EQ(created.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].request_id, "x");
  EXPECT_EQ(errors[0].errors.at(0).path, "rights.leads.add");
  EXPECT_EQ(errors[1].request_id, "2");
  EXPECT_EQ(errors[1].errors.at(0).code, "AlreadyExists");
  EXPECT_TRUE(Reader().ListRoles()->empty());
  EXPECT_TRUE(EventsOfType("role_added").empty());
}

TEST_F(AdminSettingsTest, RoleHeldByUsersCannotBeDeleted) {
  auto roles = admin_service_.CreateRoles(Admin(), {NamedRole("Sales")}, nullptr);
  ASSERT_TRUE(roles.ok());
  const domain::RoleId role = roles->at(0).id;
  const domain::UserId user = AddUser("ann@acme.test");
  const UserPatch assign{.flags = {.role_id = std::optional<domain::RoleId>(role)}};
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), user, assign).ok());
  base::Status refused = admin_service_.DeleteRole(Admin(), role);
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.message().find("held by 1 user"), std::string::npos);
  EXPECT_TRUE(EventsOfType("role_deleted").empty());
  // Roles are administrator-only, reads included.
  EXPECT_EQ(admin_service_.ListRoles(As(user)).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(admin_service_.DeleteRole(As(user), role).code(), Code::kPermissionDenied);
}

TEST_F(AdminSettingsTest, GroupRules) {
  auto created = admin_service_.CreateGroups(Admin(), {{"", "Sales"}, {"", "Marketing"}}, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_EQ(created->size(), 2u);
  const domain::GroupId sales = created->at(0).id;
  EXPECT_EQ(EventsOfType("group_added").size(), 2u);
  // The default group and a group with users stay.
  EXPECT_EQ(admin_service_.DeleteGroup(Admin(), default_group_).code(), Code::kFailedPrecondition);
  const domain::UserId user = AddUser("ann@acme.test", {}, sales);
  EXPECT_EQ(admin_service_.DeleteGroup(Admin(), sales).code(), Code::kFailedPrecondition);
  EXPECT_TRUE(EventsOfType("group_deleted").empty());
  // Names are unique.
  EXPECT_EQ(admin_service_.RenameGroup(Admin(), sales, "marketing").status().code(),
            Code::kInvalidArgument);
  auto renamed = admin_service_.RenameGroup(Admin(), sales, "Field sales");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "Field sales");
  auto logged = EventsOfType("group_updated");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].value_before_json, R"([{"group":{"name":"Sales"}}])");
  // Moving the user out lets the group go; non-administrators may read but not write.
  const UserPatch move{
      .flags = {.group_id = std::optional<domain::GroupId>()}};  // null: the default group
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), user, move).ok());
  EXPECT_EQ(admin_service_.DeleteGroup(As(user), sales).code(), Code::kPermissionDenied);
  EXPECT_EQ(admin_service_.ListGroups(As(user))->size(), 3u);
  EXPECT_TRUE(admin_service_.DeleteGroup(Admin(), sales).ok());
  EXPECT_EQ(EventsOfType("group_deleted").size(), 1u);
}

TEST_F(AdminSettingsTest, GroupChangeReachesTheNextPolicy) {
  auto created = admin_service_.CreateGroups(Admin(), {{"", "Sales"}}, nullptr);
  ASSERT_TRUE(created.ok());
  const domain::GroupId sales = created->at(0).id;
  domain::Rights team = LeadsView(Level::kTeamWide);
  const domain::UserId ann = AddUser("ann@acme.test", team, sales);
  const domain::UserId bob = AddUser("bob@acme.test");
  const storage::Lead lead = AddLead(bob);
  const domain::RecordRef ref{DataSet::kLeads, bob, lead.pipeline_id, lead.status_id};
  EXPECT_FALSE(As(ann).policy->Check(ann, Action::kView, ref).allowed);
  const UserPatch move{.flags = {.group_id = std::optional<domain::GroupId>(sales)}};
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), bob, move).ok());
  EXPECT_TRUE(As(ann).policy->Check(ann, Action::kView, ref).allowed);
}

TEST_F(AdminSettingsTest, PipelineRules) {
  auto pipelines = admin_service_.ListPipelines(Admin());
  ASSERT_TRUE(pipelines.ok());
  ASSERT_EQ(pipelines->size(), 1u);
  const domain::PipelineId main = pipelines->at(0).id;
  // The last pipeline stays.
  EXPECT_EQ(admin_service_.DeletePipeline(Admin(), main).code(), Code::kFailedPrecondition);

  const PipelineInput input{
      .name = "Partners",
      .stages = {{"", std::nullopt, "Talk", 20}, {"", domain::kWonStatusId, "Signed", {}}}};
  auto created = admin_service_.CreatePipelines(Admin(), {input}, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const domain::Pipeline& p = created->at(0);
  EXPECT_TRUE(p.HasStage(domain::kWonStatusId));
  EXPECT_TRUE(p.HasStage(domain::kLostStatusId));
  ASSERT_EQ(p.stages.size(), 4u);  // incoming, Talk, won, lost
  EXPECT_EQ(p.stages[0].type, domain::kStageTypeIncoming);
  EXPECT_EQ(p.stages[2].name, "Signed");
  EXPECT_FALSE(p.is_main);
  EXPECT_EQ(EventsOfType("pipeline_added").size(), 1u);

  // The incoming stage is not editable; system stages cannot be deleted.
  StageInput rename{"", std::nullopt, "Inbox", std::nullopt};
  EXPECT_EQ(admin_service_.UpdateStage(Admin(), p.id, p.stages[0].id, rename).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(admin_service_.DeleteStage(Admin(), p.id, domain::kWonStatusId).code(),
            Code::kFailedPrecondition);
  auto added = admin_service_.AddStages(Admin(), p.id,
                                        {{"", std::nullopt, "Proposal", std::nullopt}}, nullptr);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->at(0).sort, 30);  // after Talk
  EXPECT_EQ(EventsOfType("status_added").size(), 1u);

  // Stage rights naming a deleted stage go with it, from users and from roles.
  const domain::StatusId talk = p.stages[1].id;
  UserPatch stage_rights;
  stage_rights.rights.has_status_rights = true;
  stage_rights.rights.raw.stages = {{p.id, talk, {{"view", "A"}}}, {main, 142, {{"view", "D"}}}};
  const domain::UserId user = AddUser("ann@acme.test");
  auto with_stages = admin_service_.UpdateUser(Admin(), user, stage_rights);
  ASSERT_TRUE(with_stages.ok()) << with_stages.status().ToString();
  ASSERT_EQ(with_stages->user.rights.stage_rights.size(), 2u);
  ASSERT_TRUE(admin_service_.DeleteStage(Admin(), p.id, talk).ok());
  auto after = Reader().GetUser(user);
  ASSERT_EQ(after->user.rights.stage_rights.size(), 1u);
  EXPECT_EQ(after->user.rights.stage_rights[0].stage.pipeline_id, main);
  ASSERT_TRUE(admin_service_.DeletePipeline(Admin(), p.id).ok());
  EXPECT_EQ(EventsOfType("pipeline_deleted").size(), 1u);
  EXPECT_EQ(admin_service_.ListPipelines(As(user))->size(), 1u);  // any user reads

  // Writes are for administrators.
  EXPECT_EQ(admin_service_.CreatePipelines(As(user), {input}, nullptr).status().code(),
            Code::kPermissionDenied);
  // A failed write leaves no event.
  const std::size_t events = AllEvents().size();
  PipelineInput unnamed;
  std::vector<ItemErrors> errors;
  EXPECT_EQ(admin_service_.CreatePipelines(Admin(), {unnamed}, &errors).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(errors.at(0).errors.at(0).path, "name");
  EXPECT_EQ(AllEvents().size(), events);
}

TEST_F(AdminSettingsTest, StageRightsOfUnknownStagesAreRefused) {
  const domain::UserId user = AddUser("ann@acme.test");
  UserPatch patch;
  patch.rights.has_status_rights = true;
  patch.rights.raw.stages = {{999, 142, {{"view", "A"}}}};
  auto updated = admin_service_.UpdateUser(Admin(), user, patch);
  ASSERT_EQ(updated.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(updated.status().fields().at(0).path, "rights.status_rights.0.pipeline_id");
}

}  // namespace
}  // namespace gatehouse::service
