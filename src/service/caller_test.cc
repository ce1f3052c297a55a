#include "service/caller.h"

#include <gtest/gtest.h>

#include "domain/account.h"

namespace gatehouse::service {
namespace {

// Account 1, group 1: user 1 an administrator, 2 a member, 3 a deactivated administrator.
std::shared_ptr<const policy::AccountPolicy> Policy() {
  const domain::AccountModel model{
      .id = 1,
      .users = {{.id = 1, .is_admin = true, .group_id = 1},
                {.id = 2, .group_id = 1},
                {.id = 3, .is_admin = true, .is_active = false, .group_id = 1}},
      .groups = {{1, "Sales"}}};
  return policy::AccountPolicy::Build(model);
}

TEST(RequireAdminTest, AdmitsAnActiveAdministratorOnly) {
  const auto policy = Policy();
  EXPECT_TRUE(RequireAdmin(Caller{.account_id = 1, .user_id = 1, .policy = policy}).ok());
  for (domain::UserId user : {2, 3, 99}) {
    const base::Status s = RequireAdmin(Caller{.account_id = 1, .user_id = user, .policy = policy});
    EXPECT_EQ(s.code(), base::Code::kPermissionDenied) << "user " << user;
  }
}

TEST(RequireAdminTest, SaysWhatOnlyAdministratorsMayDo) {
  const Caller member{.account_id = 1, .user_id = 2, .policy = Policy()};
  EXPECT_EQ(RequireAdmin(member).message(), "only administrators may do this");
  EXPECT_EQ(RequireAdmin(member, "delete tags").message(), "only administrators may delete tags");
}

TEST(RequireAdminTest, ACallerWithoutAPolicyIsNoAdministrator) {
  // A system caller carries no policy: administrators-only use cases that admit the system
  // check Via::kSystem themselves (RequireAdminOrSystem).
  EXPECT_EQ(RequireAdmin(Caller{.account_id = 1, .user_id = 1}).code(),
            base::Code::kPermissionDenied);
}

}  // namespace
}  // namespace gatehouse::service
