#include <cstdio>

#include "auth/password.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/bootstrap.h"

namespace gatehouse::cli {

int RunInit(const InitOptions& options) {
  auto password = AdminPassword();
  if (!password.ok()) return Fail("no administrator password", password.status());
  auto common = auth::CommonPasswords::LoadDefault();
  if (!common.ok()) return Fail("cannot load the common-password list", common.status());
  base::Status policy = auth::CheckPasswordPolicy(*password, options.admin_email, *common);
  if (!policy.ok()) return Fail("password refused", policy);
  auto hash = auth::HashPassword(*password);
  if (!hash.ok()) return Fail("cannot hash the password", hash.status());

  auto store = OpenMigratedStore(options.db, 1, storage::sql::IfMissing::kCreate);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  base::SystemClock clock;
  storage::NewAccount account{options.subdomain, options.name, options.seats, clock.NowSeconds()};
  auto created = service::CreateAccountWithAdmin(
      **store, account, {options.admin_email, options.admin_name, *hash}, clock.NowSeconds());
  if (!created.ok()) return Fail("cannot create the account", created.status());
  std::printf("%lld\n", static_cast<long long>(created->id));
  return 0;
}

}  // namespace gatehouse::cli
