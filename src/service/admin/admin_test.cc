// Users: rights validation and normalization, role precedence and links, seats, the last
// administrator, deactivation and removal, and the activity-log entries of each write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

class AdminUsersTest : public testing::AdminFixture {};

// A rights input with the given (data set, action, letter) entries.
RightsInput Matrix(std::vector<policy::RawRight> entries) {
  RightsInput input;
  for (const policy::RawRight& entry : entries) {
    if (std::find(input.data_sets.begin(), input.data_sets.end(), entry.data_set) ==
        input.data_sets.end()) {
      input.data_sets.push_back(entry.data_set);
    }
    input.raw.general.push_back(entry);
  }
  return input;
}

UserPatch RightsPatch(std::vector<policy::RawRight> entries) {
  return UserPatch{.rights = Matrix(std::move(entries))};
}

UserPatch FlagPatch(std::optional<bool> is_admin, std::optional<bool> is_active,
                    std::optional<bool> is_free = std::nullopt) {
  return UserPatch{.flags = {.is_admin = is_admin, .is_free = is_free, .is_active = is_active}};
}

TEST_F(AdminUsersTest, RightsValidationReportsOneErrorPerField) {
  const domain::UserId user = AddUser("ann@acme.test");
  const std::size_t events_before = AllEvents().size();
  auto updated = admin_service_.UpdateUser(Admin(), user,
                                           RightsPatch({{"leads", "add", "G"},
                                                        {"contacts", "view", "X"},
                                                        {"tasks", "export", "A"},
                                                        {"leads", "view", "A"}}));
  ASSERT_EQ(updated.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(updated.status().fields(),
              UnorderedElementsAre(Field(&base::FieldError::path, "rights.leads.add"),
                                   Field(&base::FieldError::path, "rights.contacts.view"),
                                   Field(&base::FieldError::path, "rights.tasks.export")));
  // Nothing changed, nothing logged.
  auto row = Reader().GetUser(user);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->user.rights, domain::Rights{});
  EXPECT_EQ(AllEvents().size(), events_before);
}

TEST_F(AdminUsersTest, RightsAreNormalizedAndEchoed) {
  const domain::UserId user = AddUser("ann@acme.test");
  auto updated = admin_service_.UpdateUser(Admin(), user,
                                           RightsPatch({{"leads", "view", "M"},
                                                        {"leads", "edit", "A"},
                                                        {"leads", "delete", "A"},
                                                        {"leads", "export", "G"},
                                                        {"leads", "add", "A"}}));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  const domain::Rights& r = updated->user.rights;
  EXPECT_EQ(r.Get(DataSet::kLeads, Action::kView), Level::kIfResponsible);
  EXPECT_EQ(r.Get(DataSet::kLeads, Action::kEdit), Level::kIfResponsible);
  EXPECT_EQ(r.Get(DataSet::kLeads, Action::kDelete), Level::kIfResponsible);
  EXPECT_EQ(r.Get(DataSet::kLeads, Action::kExport), Level::kIfResponsible);
  EXPECT_EQ(r.Get(DataSet::kLeads, Action::kAdd), Level::kAllowed);
  // A partial edit keeps the data sets it does not name.
  clock_.Advance(1);  // orders the two events
  auto second = admin_service_.UpdateUser(Admin(), user, RightsPatch({{"contacts", "view", "A"}}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->user.rights.Get(DataSet::kLeads, Action::kView), Level::kIfResponsible);
  EXPECT_EQ(second->user.rights.Get(DataSet::kContacts, Action::kView), Level::kAllowed);
  // The change is logged with before and after.
  auto logged = EventsOfType("user_rights_changed");
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_NE(logged[1].value_before_json.find("\"view\":\"D\""), std::string::npos);
  EXPECT_NE(logged[1].value_after_json.find("\"view\":\"M\""), std::string::npos);
}

TEST_F(AdminUsersTest, AFieldRightsChangeIsLoggedWithTheFieldRights) {
  const domain::UserId user = AddUser("ann@acme.test");
  domain::CustomField field;
  Status made = store_->Write(account_, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(field,
                        w.CreateCustomField({.data_set = DataSet::kLeads, .name = "Budget"}));
    return Status::Ok();
  });
  ASSERT_TRUE(made.ok()) << made.ToString();
  const UserPatch patch{
      .rights = {.has_custom_fields_rights = true,
                 .field_rights = {{"leads", std::to_string(field.id), "A", "D"}}}};
  auto updated = admin_service_.UpdateUser(Admin(), user, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_EQ(updated->user.rights.field_rights.size(), 1u);
  // Only the field rights changed: the entry shows them, before (none) and after.
  auto logged = EventsOfType("user_rights_changed");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].value_before_json, logged[0].value_after_json);
  EXPECT_EQ(logged[0].value_before_json.find("custom_fields_rights"), std::string::npos);
  const std::string restricted = "\"custom_fields_rights\":{\"leads\":{\"" +
                                 std::to_string(field.id) + "\":{\"edit\":\"D\",\"view\":\"A\"}}}";
  EXPECT_NE(logged[0].value_after_json.find(restricted), std::string::npos)
      << logged[0].value_after_json;
}

TEST_F(AdminUsersTest, KommoTaskRightsWithoutViewKeepTheirLevels) {
  // Kommo's tasks object has edit and delete only; the view it lacks is inferred.
  const domain::UserId user = AddUser("ann@acme.test");
  auto updated = admin_service_.UpdateUser(
      Admin(), user, RightsPatch({{"tasks", "edit", "A"}, {"tasks", "delete", "G"}}));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->user.rights.Get(DataSet::kTasks, Action::kView), Level::kAllowed);
  EXPECT_EQ(updated->user.rights.Get(DataSet::kTasks, Action::kEdit), Level::kAllowed);
  EXPECT_EQ(updated->user.rights.Get(DataSet::kTasks, Action::kDelete), Level::kTeamWide);

  // Narrower edit and delete later: the wider view set before stays.
  auto narrowed = admin_service_.UpdateUser(
      Admin(), user, RightsPatch({{"tasks", "edit", "M"}, {"tasks", "delete", "D"}}));
  ASSERT_TRUE(narrowed.ok()) << narrowed.status().ToString();
  EXPECT_EQ(narrowed->user.rights.Get(DataSet::kTasks, Action::kView), Level::kAllowed);
  EXPECT_EQ(narrowed->user.rights.Get(DataSet::kTasks, Action::kEdit), Level::kIfResponsible);

  // A view that is sent is taken as sent, and narrows the rest as always.
  auto explicit_view = admin_service_.UpdateUser(
      Admin(), user,
      RightsPatch({{"tasks", "view", "M"}, {"tasks", "edit", "A"}, {"tasks", "delete", "A"}}));
  ASSERT_TRUE(explicit_view.ok()) << explicit_view.status().ToString();
  EXPECT_EQ(explicit_view->user.rights.Get(DataSet::kTasks, Action::kView), Level::kIfResponsible);
  EXPECT_EQ(explicit_view->user.rights.Get(DataSet::kTasks, Action::kEdit), Level::kIfResponsible);

  // On create: edit M alone gives view M, and the delete it does not name is D.
  NewUserInput input{
      "", "Kim", "kim@acme.test", "correct horse battery", "", Matrix({{"tasks", "edit", "M"}}),
      {}};
  auto created = admin_service_.CreateUsers(Admin(), {input}, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)[0].user.rights.Get(DataSet::kTasks, Action::kView), Level::kIfResponsible);
  EXPECT_EQ((*created)[0].user.rights.Get(DataSet::kTasks, Action::kEdit), Level::kIfResponsible);
  EXPECT_EQ((*created)[0].user.rights.Get(DataSet::kTasks, Action::kDelete), Level::kDenied);
}

TEST_F(AdminUsersTest, RoleEditReachesHoldersAndTheNextPolicy) {
  const RoleInput role_input{.name = "Sales", .rights = Matrix({{"leads", "view", "A"}})};
  auto roles = admin_service_.CreateRoles(Admin(), {role_input}, nullptr);
  ASSERT_TRUE(roles.ok()) << roles.status().ToString();
  const domain::RoleId role = roles->at(0).id;

  const domain::UserId user = AddUser("ann@acme.test");
  const UserPatch assign{
      .rights = Matrix({{"leads", "view", "D"}}),  // ignored: the role supplies the rights
      .flags = {.role_id = std::optional<domain::RoleId>(role)}};
  auto assigned = admin_service_.UpdateUser(Admin(), user, assign);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->user.role_id, role);
  EXPECT_EQ(assigned->user.rights.Get(DataSet::kLeads, Action::kView), Level::kAllowed);

  const storage::Lead lead = AddLead(admin_id_);
  const domain::RecordRef ref{DataSet::kLeads, admin_id_, lead.pipeline_id, lead.status_id};
  EXPECT_TRUE(As(user).policy->Check(user, Action::kView, ref).allowed);

  auto edited =
      admin_service_.UpdateRole(Admin(), role, {.rights = Matrix({{"leads", "view", "M"}})});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  auto holder = Reader().GetUser(user);
  ASSERT_TRUE(holder.ok());
  EXPECT_EQ(holder->user.role_id, role);
  EXPECT_EQ(holder->user.rights.Get(DataSet::kLeads, Action::kView), Level::kIfResponsible);
  // The very next request's policy (taken from the cache) already denies.
  EXPECT_FALSE(As(user).policy->Check(user, Action::kView, ref).allowed);
  ASSERT_EQ(EventsOfType("role_updated").size(), 1u);
  EXPECT_NE(EventsOfType("role_updated")[0].value_after_json.find("\"holders_updated\":1"),
            std::string::npos);
}

TEST_F(AdminUsersTest, HandEditDetachesFromRole) {
  const RoleInput role_input{.name = "Sales", .rights = Matrix({{"leads", "view", "A"}})};
  auto roles = admin_service_.CreateRoles(Admin(), {role_input}, nullptr);
  ASSERT_TRUE(roles.ok());
  const domain::UserId user = AddUser("ann@acme.test");
  const UserPatch assign{.flags = {.role_id = std::optional<domain::RoleId>(roles->at(0).id)}};
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), user, assign).ok());

  auto edited = admin_service_.UpdateUser(Admin(), user, RightsPatch({{"contacts", "view", "G"}}));
  ASSERT_TRUE(edited.ok());
  EXPECT_FALSE(edited->user.role_id.has_value());
  EXPECT_EQ(edited->user.rights.Get(DataSet::kLeads, Action::kView), Level::kAllowed);  // kept
  EXPECT_EQ(edited->user.rights.Get(DataSet::kContacts, Action::kView), Level::kTeamWide);
  // The role's next edit no longer reaches the detached user.
  const RoleInput edit{.rights = Matrix({{"leads", "view", "D"}})};
  ASSERT_TRUE(admin_service_.UpdateRole(Admin(), roles->at(0).id, edit).ok());
  EXPECT_EQ(Reader().GetUser(user)->user.rights.Get(DataSet::kLeads, Action::kView),
            Level::kAllowed);
  // A role that users hold cannot be deleted; once nobody does, it can.
  EXPECT_TRUE(admin_service_.DeleteRole(Admin(), roles->at(0).id).ok());
}

TEST_F(AdminUsersTest, FreeUserIgnoresRightsRoleAndGroup) {
  const UserPatch patch{
      .rights = Matrix({{"leads", "view", "A"}}),
      .flags = {.is_free = true,
                .group_id = std::optional<domain::GroupId>(987654)}};  // would be an error if read
  const domain::UserId user = AddUser("ann@acme.test", LeadsView(Level::kAllowed));
  auto updated = admin_service_.UpdateUser(Admin(), user, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_TRUE(updated->user.is_free);
  EXPECT_EQ(updated->user.rights, domain::Rights{});
  EXPECT_EQ(updated->user.group_id, default_group_);
}

TEST_F(AdminUsersTest, UnknownRoleOrGroupIsAFieldError) {
  const domain::UserId user = AddUser("ann@acme.test");
  const UserPatch patch{.flags = {.role_id = std::optional<domain::RoleId>(424242)}};
  auto updated = admin_service_.UpdateUser(Admin(), user, patch);
  ASSERT_EQ(updated.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(updated.status().fields(),
              ElementsAre(Field(&base::FieldError::path, "rights.role_id")));
}

TEST_F(AdminUsersTest, CreateUsersValidatesEachItemAndAddsNone) {
  NewUserInput good{"a", "Bob", "bob@acme.test", "correct horse battery", "", {}, {}};
  NewUserInput bad{"b", "", "ADMIN@acme.test", "short", "xx", Matrix({{"leads", "add", "M"}}), {}};
  std::vector<ItemErrors> item_errors;
  auto created = admin_service_.CreateUsers(Admin(), {good, bad}, &item_errors);
  ASSERT_EQ(created.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(item_errors.size(), 1u);
  EXPECT_EQ(item_errors[0].request_id, "b");
  std::vector<std::string> paths;
  for (const auto& e : item_errors[0].errors) paths.push_back(e.path);
  EXPECT_THAT(paths, UnorderedElementsAre("name", "email", "password", "lang", "rights.leads.add"));
  EXPECT_FALSE(Reader().FindUserByEmail("bob@acme.test").ok());
  EXPECT_TRUE(EventsOfType("user_added").size() == 1u);  // the bootstrap admin only
}

TEST_F(AdminUsersTest, CreateUserDefaultsToDeniedAndLogs) {
  NewUserInput in{"", "Bob", "bob@acme.test", "correct horse battery", "ru", {}, {}};
  auto created = admin_service_.CreateUsers(Admin(), {in}, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_EQ(created->size(), 1u);
  const storage::UserRow& row = created->at(0);
  EXPECT_EQ(row.user.rights, domain::Rights{});
  EXPECT_EQ(row.user.group_id, default_group_);
  EXPECT_EQ(row.lang, "ru");
  EXPECT_TRUE(row.password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(EventsOfType("user_added").size(), 2u);
  // The email is unique in the account whatever its case.
  NewUserInput again{"", "Bobby", "BOB@acme.test", "correct horse battery", "", {}, {}};
  std::vector<ItemErrors> errors;
  EXPECT_EQ(admin_service_.CreateUsers(Admin(), {again}, &errors).status().code(),
            Code::kInvalidArgument);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].errors[0].code, "AlreadyExists");
}

TEST_F(AdminUsersTest, SeatsCannotBeExceeded) {
  for (int i = 0; i < kSeats - 1; ++i) AddUser("u" + std::to_string(i) + "@acme.test");
  const domain::UserId off = AddUser("off@acme.test", {}, 0, false, false, /*is_active=*/false);
  NewUserInput extra{"", "Extra", "extra@acme.test", "correct horse battery", "", {}, {}};
  auto created = admin_service_.CreateUsers(Admin(), {extra}, nullptr);
  EXPECT_EQ(created.status().code(), Code::kResourceExhausted);
  EXPECT_NE(created.status().message().find("seat"), std::string::npos);
  EXPECT_FALSE(Reader().FindUserByEmail("extra@acme.test").ok());
  // Reactivating a paid user is refused too; a free user holds no seat.
  EXPECT_EQ(admin_service_.UpdateUser(Admin(), off, FlagPatch(std::nullopt, true)).status().code(),
            Code::kResourceExhausted);
  extra.flags.is_free = true;
  EXPECT_TRUE(admin_service_.CreateUsers(Admin(), {extra}, nullptr).ok());
  // Freeing a seat lets the reactivation through.
  const domain::UserId someone = Reader().FindUserByEmail("u0@acme.test")->user.id;
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), someone, FlagPatch(std::nullopt, false)).ok());
  EXPECT_TRUE(admin_service_.UpdateUser(Admin(), off, FlagPatch(std::nullopt, true)).ok());
  EXPECT_EQ(EventsOfType("user_activated").size(), 1u);
}

TEST_F(AdminUsersTest, LastActiveAdministratorIsProtected) {
  const domain::UserId other = AddUser("ann@acme.test");
  const std::size_t events_before = AllEvents().size();
  EXPECT_EQ(
      admin_service_.UpdateUser(Admin(), admin_id_, FlagPatch(false, std::nullopt)).status().code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(
      admin_service_.UpdateUser(Admin(), admin_id_, FlagPatch(std::nullopt, false)).status().code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(
      admin_service_.UpdateUser(Admin(), admin_id_, FlagPatch(std::nullopt, std::nullopt, true))
          .status()
          .code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(admin_service_.RemoveUser(Admin(), admin_id_, other).status().code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(Reader().GetUser(admin_id_)->user.is_admin);
  EXPECT_EQ(AllEvents().size(), events_before);
  // With a second administrator the first may step down.
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), other, FlagPatch(true, std::nullopt)).ok());
  EXPECT_TRUE(admin_service_.UpdateUser(Admin(), admin_id_, FlagPatch(false, std::nullopt)).ok());
}

TEST_F(AdminUsersTest, DeactivationEndsSessionsAndRevokesTokens) {
  const domain::UserId user = AddUser("ann@acme.test", LeadsView(Level::kAllowed));
  const domain::RecordRef any_lead{DataSet::kLeads, admin_id_, 0, 0};
  ASSERT_TRUE(As(admin_id_).policy->Check(user, Action::kView, any_lead).allowed);
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            const std::int64_t now = clock_.NowSeconds();
                            const storage::SessionRow session{.id = "s1",
                                                              .token_hash = "h1",
                                                              .user_id = user,
                                                              .created_at = now,
                                                              .last_seen_at = now,
                                                              .expires_at = now + 3600};
                            GH_RETURN_IF_ERROR(w.CreateSession(session));
                            const storage::ApiTokenRow token{.user_id = user,
                                                             .name = "ci",
                                                             .token_hash = "t1",
                                                             .created_at = clock_.NowSeconds()};
                            return w.CreateApiToken(token).status();
                          })
                  .ok());
  ASSERT_EQ(Reader().ListSessions(user)->size(), 1u);
  auto updated = admin_service_.UpdateUser(Admin(), user, FlagPatch(std::nullopt, false));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_FALSE(updated->user.is_active);
  EXPECT_TRUE(Reader().ListSessions(user)->empty());
  auto tokens = Reader().ListApiTokens(user);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE(tokens->at(0).revoked);
  auto logged = EventsOfType("user_deactivated");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].entity_id, user);
  EXPECT_EQ(logged[0].actor_user_id, admin_id_);
  EXPECT_NE(logged[0].value_after_json.find("\"sessions_ended\":1"), std::string::npos);
  // The policy no longer knows the user as active.
  EXPECT_FALSE(As(admin_id_).policy->Check(user, Action::kView, any_lead).allowed);
}

TEST_F(AdminUsersTest, RemovalReassignsEverythingInOneStep) {
  const domain::UserId leaving = AddUser("leaving@acme.test");
  const domain::UserId heir = AddUser("heir@acme.test");
  const storage::Lead lead = AddLead(leaving);
  storage::Contact contact;
  storage::Task task;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            const storage::Contact c{.name = "C", .responsible_user_id = leaving};
                            GH_ASSIGN_OR_RETURN(contact, w.Create(c));
                            const storage::Task t{.text = "Call",
                                                  .complete_till = clock_.NowSeconds() + 100,
                                                  .responsible_user_id = leaving};
                            GH_ASSIGN_OR_RETURN(task, w.Create(t));
                            return base::Status::Ok();
                          })
                  .ok());
  // Without a target: refused, naming reassign_to, and nothing moved.
  auto refused = admin_service_.RemoveUser(Admin(), leaving, std::nullopt);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().fields().at(0).path, "reassign_to");
  // An inactive target is refused too.
  const domain::UserId gone = AddUser("gone@acme.test", {}, 0, false, false, false);
  EXPECT_EQ(admin_service_.RemoveUser(Admin(), leaving, gone).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Reader().Get<storage::Lead>(lead.id)->responsible_user_id, leaving);
  EXPECT_TRUE(Reader().GetUser(leaving)->user.is_active);
  EXPECT_TRUE(EventsOfType("user_removed").empty());

  auto removed = admin_service_.RemoveUser(Admin(), leaving, heir);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->leads, 1);
  EXPECT_EQ(removed->contacts, 1);
  EXPECT_EQ(removed->tasks, 1);
  EXPECT_EQ(Reader().Get<storage::Lead>(lead.id)->responsible_user_id, heir);
  EXPECT_EQ(Reader().Get<storage::Contact>(contact.id)->responsible_user_id, heir);
  EXPECT_EQ(Reader().Get<storage::Task>(task.id)->responsible_user_id, heir);
  EXPECT_EQ(Reader().GetUser(leaving).status().code(), Code::kNotFound);
  EXPECT_FALSE(Reader().LoadAccountModel()->FindUser(leaving));
  auto logged = EventsOfType("user_removed");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].value_after_json.find("\"leads\":1"), std::string::npos);
  EXPECT_NE(logged[0].value_after_json.find("\"reassigned_to\":" + std::to_string(heir)),
            std::string::npos);
}

TEST_F(AdminUsersTest, WritesAreForAdministratorsOnly) {
  const domain::UserId user = AddUser("ann@acme.test", LeadsView(Level::kAllowed));
  const std::size_t events_before = AllEvents().size();
  const Caller caller = As(user);
  EXPECT_EQ(admin_service_.UpdateUser(caller, user, FlagPatch(true, std::nullopt)).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(admin_service_.RemoveUser(caller, admin_id_, user).status().code(),
            Code::kPermissionDenied);
  NewUserInput in{"", "Bob", "bob@acme.test", "correct horse battery", "", {}, {}};
  EXPECT_EQ(admin_service_.CreateUsers(caller, {in}, nullptr).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(AllEvents().size(), events_before);
  // Reads are open, without other users' rights.
  auto users = admin_service_.ListUsers(caller);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  for (const UserView& view : *users) EXPECT_FALSE(view.with_rights);
  EXPECT_TRUE(admin_service_.GetUser(caller, user)->with_rights);  // one's own
  EXPECT_FALSE(admin_service_.GetUser(caller, admin_id_)->with_rights);
  EXPECT_TRUE(admin_service_.ListUsers(Admin())->at(0).with_rights);
}

TEST_F(AdminUsersTest, UpdateLogsChangedFieldsOnly) {
  const domain::UserId user = AddUser("ann@acme.test");
  ASSERT_TRUE(admin_service_.UpdateUser(Admin(), user, {.name = "Ann Smith"}).ok());
  auto logged = EventsOfType("user_updated");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].value_before_json, R"([{"user":{"name":"ann"}}])");
  EXPECT_EQ(logged[0].value_after_json, R"([{"user":{"name":"Ann Smith"}}])");
  EXPECT_TRUE(EventsOfType("user_rights_changed").empty());
  EXPECT_EQ(admin_service_.UpdateUser(Admin(), user, UserPatch{}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::service
