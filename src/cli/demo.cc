#include "storage/demo.h"

#include <cstdio>

#include "auth/password.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"

namespace gatehouse::cli {
int RunDemo(const DemoOptions& options) {
  auto store = OpenMigratedStore(options.db, 1, storage::sql::IfMissing::kCreate);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());

  storage::DemoOptions demo{.subdomain = options.subdomain,
                            .leads = options.leads,
                            .seed = options.seed,
                            .admin_email = "admin@" + options.subdomain + ".gatehouse.local"};
  if (const char* env = std::getenv("GATEHOUSE_ADMIN_PASSWORD"); env != nullptr && *env != 0) {
    demo.password = env;
  }
  // One Argon2id hash for every demo user: hashing ~30 passwords separately would cost seconds.
  std::string cached_password, cached_hash;
  demo.hash_password = [&](std::string_view password) {
    if (cached_hash.empty() || password != cached_password) {
      auto hash = auth::HashPassword(password);
      cached_password = std::string(password);
      cached_hash = hash.ok() ? *hash : std::string();
    }
    return cached_hash;
  };
  ProgressBar bar("demo");
  auto result = storage::FillDemo(
      **store, demo, [&](std::int64_t done, std::int64_t total) { bar.Update(done, total); });
  if (!result.ok()) return Fail("demo failed", result.status());
  std::printf(
      "demo workspace '%s' (account %lld): %lld users, %lld leads, %lld contacts, "
      "%lld companies, %lld tasks, %lld conversations, %lld customers\n",
      options.subdomain.c_str(), static_cast<long long>(result->account_id),
      static_cast<long long>(result->users), static_cast<long long>(result->leads),
      static_cast<long long>(result->contacts), static_cast<long long>(result->companies),
      static_cast<long long>(result->tasks), static_cast<long long>(result->conversations),
      static_cast<long long>(result->customers));
  if (result->created_account) {
    std::printf("log in as %s with password %s (every demo user has this password)\n",
                result->admin_email.c_str(), result->password.c_str());
  }
  return 0;
}

}  // namespace gatehouse::cli
