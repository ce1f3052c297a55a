#include <cstdio>

#include "auth/password.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/security.h"

namespace gatehouse::cli {
namespace {

// The account and user an operator named, and a system Caller for that account.
struct Target {
  std::unique_ptr<storage::Store> store;
  service::Caller system;
  domain::UserId user_id = 0;
};

base::Result<Target> Resolve(const UserOptions& options) {
  Target target;
  GH_ASSIGN_OR_RETURN(target.store, OpenMigratedStore(options.db, 1));
  GH_ASSIGN_OR_RETURN(storage::AccountRow account,
                      ResolveAccount(*target.store, options.subdomain));
  GH_ASSIGN_OR_RETURN(storage::UserRow user,
                      target.store->Reader(account.id).FindUserByEmail(options.email));
  target.user_id = user.user.id;
  target.system.account_id = account.id;
  target.system.via = service::Via::kSystem;
  target.system.client_ip = "cli";
  return target;
}

}  // namespace

int RunUserResetTwoFactor(const UserOptions& options) {
  auto target = Resolve(options);
  if (!target.ok()) return Fail("cannot find the user", target.status());
  base::SystemClock clock;
  base::Status status =
      service::ResetTwoFactor(*target->store, clock, target->system, target->user_id);
  if (!status.ok()) return Fail("reset-2fa failed", status);
  std::printf("two-step verification of %s turned off; their sessions ended\n",
              options.email.c_str());
  return 0;
}

int RunUserResetPassword(const UserOptions& options) {
  auto target = Resolve(options);
  if (!target.ok()) return Fail("cannot find the user", target.status());
  auto password = PasswordFrom("GATEHOUSE_NEW_PASSWORD", "New password: ");
  if (!password.ok()) return Fail("no password", password.status());
  auto common = auth::CommonPasswords::LoadDefault();
  if (!common.ok()) return Fail("cannot load the common-password list", common.status());
  base::SystemClock clock;
  base::Status status = service::ResetPassword(*target->store, clock, target->system,
                                               target->user_id, *password, *common);
  if (!status.ok()) return Fail("reset-password failed", status);
  std::printf("password of %s set; their sessions ended and tokens revoked\n",
              options.email.c_str());
  return 0;
}

int RunUserEndSessions(const UserOptions& options) {
  auto target = Resolve(options);
  if (!target.ok()) return Fail("cannot find the user", target.status());
  base::SystemClock clock;
  auto ended = service::EndUserSessions(*target->store, clock, target->system, target->user_id);
  if (!ended.ok()) return Fail("end-sessions failed", ended.status());
  std::printf("%lld session(s) of %s ended\n", static_cast<long long>(*ended),
              options.email.c_str());
  return 0;
}

}  // namespace gatehouse::cli
