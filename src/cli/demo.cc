#include "storage/demo.h"

#include <unistd.h>

#include <cstdio>

#include "auth/password.h"
#include "cli/commands.h"
#include "cli/common.h"

namespace gatehouse::cli {
namespace {

// A one-line progress bar on stderr when it is a terminal; a line per 10% otherwise.
class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(STDERR_FILENO) != 0) {}
  void Update(std::int64_t done, std::int64_t total) {
    if (total <= 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    if (tty_) {
      const int filled = percent * 40 / 100;
      std::fprintf(stderr, "\r[%.*s%*s] %3d%% %lld/%lld", filled,
                   "########################################", 40 - filled, "", percent,
                   static_cast<long long>(done), static_cast<long long>(total));
      if (done >= total) std::fprintf(stderr, "\n");
    } else if (percent % 10 == 0) {
      std::fprintf(stderr, "demo: %d%% (%lld/%lld records)\n", percent,
                   static_cast<long long>(done), static_cast<long long>(total));
    }
  }

 private:
  bool tty_;
  int last_percent_ = -1;
};

}  // namespace

int RunDemo(const DemoOptions& options) {
  auto store = OpenMigratedStore(options.db, 1, storage::sql::IfMissing::kCreate);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());

  storage::DemoOptions demo;
  demo.subdomain = options.subdomain;
  demo.leads = options.leads;
  demo.seed = options.seed;
  demo.admin_email = "admin@" + options.subdomain + ".gatehouse.local";
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
  ProgressBar bar;
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
