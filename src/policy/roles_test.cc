#include "policy/roles.h"

#include <gtest/gtest.h>

namespace gatehouse::policy {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;

domain::Role MakeRole(domain::RoleId id, Level leads_view) {
  domain::Role role{.id = id, .name = "role " + std::to_string(id)};
  role.rights.Set(DataSet::kLeads, Action::kView, leads_view);
  return role;
}

domain::AccountModel Model() {
  domain::AccountModel model{
      .roles = {MakeRole(1, Level::kIfResponsible), MakeRole(2, Level::kAllowed)}};
  for (domain::UserId id : {10, 11, 12, 13}) model.users.push_back({.id = id});
  ApplyRole(model.roles[0], model.users[0]);
  ApplyRole(model.roles[0], model.users[1]);
  ApplyRole(model.roles[1], model.users[2]);
  return model;
}

TEST(RolesTest, ApplyRoleCopiesRightsAndLinks) {
  const domain::Role role = MakeRole(7, Level::kTeamWide);
  domain::User user;
  user.rights.mail_access = true;
  ApplyRole(role, user);
  EXPECT_EQ(user.role_id, 7);
  EXPECT_EQ(user.rights, role.rights);
  EXPECT_FALSE(user.rights.mail_access);
}

TEST(RolesTest, UpdateRoleReachesEveryHolderOnly) {
  domain::AccountModel model = Model();
  model.users[1].rights.Set(DataSet::kLeads, Action::kView, Level::kTeamWide);
  // A user already equal to the new rights is a holder but not "changed".
  domain::Role updated = MakeRole(1, Level::kTeamWide);
  const std::vector<domain::UserId> changed = UpdateRole(model, updated);
  EXPECT_EQ(changed, std::vector<domain::UserId>{10});
  EXPECT_EQ(model.roles[0], updated);
  EXPECT_EQ(model.users[0].rights, updated.rights);
  EXPECT_EQ(model.users[1].rights, updated.rights);
  EXPECT_EQ(model.users[2].rights.Get(DataSet::kLeads, Action::kView), Level::kAllowed);
  EXPECT_EQ(model.users[3].rights, domain::Rights{});
  EXPECT_EQ(model.users[3].role_id, std::nullopt);
}

TEST(RolesTest, UpdateOfAnUnknownRoleAddsIt) {
  domain::AccountModel model = Model();
  EXPECT_TRUE(UpdateRole(model, MakeRole(9, Level::kAllowed)).empty());
  ASSERT_NE(model.FindRole(9), nullptr);
  EXPECT_EQ(model.roles.size(), 3u);
}

TEST(RolesTest, SetUserRightsDetaches) {
  domain::AccountModel model = Model();
  domain::Rights rights;
  rights.Set(DataSet::kTasks, Action::kView, Level::kAllowed);
  SetUserRights(model.users[0], rights);
  EXPECT_EQ(model.users[0].role_id, std::nullopt);
  EXPECT_EQ(model.users[0].rights, rights);
  // A later edit of the role no longer reaches the detached user.
  EXPECT_EQ(UpdateRole(model, MakeRole(1, Level::kDenied)), std::vector<domain::UserId>{11});
  EXPECT_EQ(model.users[0].rights, rights);
}

TEST(RolesTest, Holders) {
  domain::AccountModel model = Model();
  EXPECT_EQ(RoleHolders(model, 1), (std::vector<domain::UserId>{10, 11}));
  EXPECT_EQ(RoleHolders(model, 2), std::vector<domain::UserId>{12});
  EXPECT_TRUE(RoleHolders(model, 3).empty());
  SetUserRights(model.users[2], {});
  EXPECT_TRUE(RoleHolders(model, 2).empty());
}

}  // namespace
}  // namespace gatehouse::policy
