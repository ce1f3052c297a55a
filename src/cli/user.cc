#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "auth/password.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/security/dormant_users.h"
#include "service/security/security.h"
#include "service/security/security_service.h"

namespace gatehouse::cli {
namespace {

// The account and user an operator named, a system Caller for that account, and the security
// service the commands act through.
struct Target {
  std::unique_ptr<storage::Store> store;
  service::Caller system;
  domain::UserId user_id = 0;
  base::SystemClock clock;

  service::SecurityService Security() const {
    return service::SecurityService(service::AdminDeps{store.get(), nullptr, &clock});
  }
};

base::Result<Target> Resolve(const UserOptions& options) {
  Target target;
  GH_ASSIGN_OR_RETURN(target.store, OpenMigratedStore(options.db, 1));
  GH_ASSIGN_OR_RETURN(storage::AccountRow account,
                      ResolveAccount(*target.store, options.subdomain));
  GH_ASSIGN_OR_RETURN(storage::UserRow user,
                      target.store->Reader(account.id).FindUserByEmail(options.email));
  target.user_id = user.user.id;
  target.system = SystemCaller(account.id);
  return target;
}

// Runs `act` on the user the options name; a failure prints "<command> failed" and exits 1.
int ActOnUser(const UserOptions& options, const std::string& command,
              const std::function<base::Status(const Target&)>& act) {
  auto target = Resolve(options);
  if (!target.ok()) return Fail("cannot find the user", target.status());
  base::Status status = act(*target);
  if (!status.ok()) return Fail(command + " failed", status);
  return 0;
}

// "2026-08-01" (UTC).
std::string Day(std::int64_t at) {
  const std::time_t t = static_cast<std::time_t>(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

// One account's run of deactivate-dormant: a line per user deactivated (or who would be) and
// per administrator kept.
void PrintDormantRun(const service::DormantRun& run, bool dry_run) {
  if (run.dormant_days <= 0) {
    std::printf("%s: dormant_days is 0 (off): nobody to deactivate\n", run.subdomain.c_str());
    return;
  }
  for (const service::DormantUser& d : run.deactivated) {
    const std::string since = d.last_login_at != 0 ? "last login " + Day(d.last_login_at)
                                                   : "never logged in, created " + Day(d.since);
    std::printf("%s: %s user %lld <%s> (%s; inactive since %s; rule: %lld days)",
                run.subdomain.c_str(), dry_run ? "would deactivate" : "deactivated",
                static_cast<long long>(d.user_id), d.email.c_str(), since.c_str(),
                Day(d.since).c_str(), static_cast<long long>(run.dormant_days));
    if (!dry_run) {
      std::printf(": %lld session(s) ended, %lld token(s) revoked",
                  static_cast<long long>(d.sessions_ended),
                  static_cast<long long>(d.tokens_revoked));
    }
    std::printf("\n");
  }
  for (const service::DormantUser& d : run.kept) {
    std::printf("%s: kept user %lld <%s> active: the last active administrator\n",
                run.subdomain.c_str(), static_cast<long long>(d.user_id), d.email.c_str());
  }
}

}  // namespace

int RunUserDeactivateDormant(const DormantOptions& options) {
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  base::SystemClock clock;
  const service::SecurityService security(service::AdminDeps{store->get(), nullptr, &clock});
  base::Result<std::vector<service::DormantRun>> runs = std::vector<service::DormantRun>{};
  if (options.subdomain.empty()) {
    runs = security.DeactivateDormantUsersEverywhere("cli", options.dry_run);
  } else {
    auto account = ResolveAccount(**store, options.subdomain);
    if (!account.ok()) return Fail("cannot find the account", account.status());
    const service::Caller system = SystemCaller(account->id);
    auto run = security.DeactivateDormantUsers(system, options.dry_run);
    if (!run.ok()) return Fail("deactivate-dormant failed", run.status());
    runs->push_back(std::move(run).value());
  }
  if (!runs.ok()) return Fail("deactivate-dormant failed", runs.status());
  std::size_t total = 0;
  for (const service::DormantRun& run : *runs) {
    PrintDormantRun(run, options.dry_run);
    if (run.dormant_days > 0) total += run.deactivated.size();
  }
  if (options.dry_run) {
    std::printf("dry run: %zu user(s) would be deactivated; nothing changed\n", total);
  } else {
    std::printf("%zu user(s) deactivated\n", total);
  }
  return 0;
}

int RunUserResetTwoFactor(const UserOptions& options) {
  return ActOnUser(options, "reset-2fa", [&](const Target& target) -> base::Status {
    GH_RETURN_IF_ERROR(target.Security().ResetTwoFactor(target.system, target.user_id));
    std::printf("two-step verification of %s turned off; their sessions ended\n",
                options.email.c_str());
    return base::Status::Ok();
  });
}

int RunUserResetPassword(const UserOptions& options) {
  auto target = Resolve(options);
  if (!target.ok()) return Fail("cannot find the user", target.status());
  auto password = PasswordFrom("GATEHOUSE_NEW_PASSWORD", "New password: ");
  if (!password.ok()) return Fail("no password", password.status());
  auto common = auth::CommonPasswords::LoadDefault();
  if (!common.ok()) return Fail("cannot load the common-password list", common.status());
  const service::SecurityService security = target->Security();
  base::Status status = security.ResetPassword(target->system, target->user_id, *password, *common);
  if (!status.ok()) return Fail("reset-password failed", status);
  std::printf("password of %s set; their sessions ended and tokens revoked\n",
              options.email.c_str());
  return 0;
}

int RunUserEndSessions(const UserOptions& options) {
  return ActOnUser(options, "end-sessions", [&](const Target& target) -> base::Status {
    GH_ASSIGN_OR_RETURN(std::int64_t ended,
                        target.Security().EndUserSessions(target.system, target.user_id));
    std::printf("%lld session(s) of %s ended\n", static_cast<long long>(ended),
                options.email.c_str());
    return base::Status::Ok();
  });
}

}  // namespace gatehouse::cli
