#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "import/importer.h"
#include "import/kommo_source.h"

namespace gatehouse::cli {
namespace {

// What an import did and left: counts per kind, what was not carried over, the users to give a
// password, and the requests it made.
void PrintSummary(const import::ImportSummary& summary, const std::string& db) {
  std::printf("imported %s into '%s' (account %lld)%s\n", summary.source.c_str(),
              summary.subdomain.c_str(), static_cast<long long>(summary.account_id),
              summary.created_account ? ", a new account"
              : summary.resumed       ? ", continuing the earlier import"
                                      : "");
  int width = 0;  // the longest kind's, so the counts stand in columns
  for (const auto& entry : summary.counts)
    width = std::max(width, static_cast<int>(entry.first.size()));
  for (const auto& [kind, count] : summary.counts) {
    std::printf("  %-*s %6lld read, %6lld created now, %6lld left out\n", width, kind.c_str(),
                static_cast<long long>(count.read), static_cast<long long>(count.created),
                static_cast<long long>(count.left_out));
  }
  std::printf("not carried over:\n");
  std::printf(
      "  passwords of all %zu users (Kommo never reveals them): an imported user has none and "
      "cannot log in until an operator sets one with\n    gatehouse user reset-password --db %s "
      "--subdomain %s --email EMAIL\n  or, once an administrator can sign in, in the console: "
      "Settings > Users > Actions > Set a new password\n  (two-step verification, sessions and "
      "API tokens are not carried either)\n",
      summary.users.size(), db.c_str(), summary.subdomain.c_str());
  for (const std::string& line : summary.not_carried) std::printf("  %s\n", line.c_str());
  std::printf("users to give a password (administrators first):\n");
  for (bool admins : {true, false}) {
    for (const import::ImportedUser& user : summary.users) {
      if (user.is_admin != admins) continue;
      std::printf("  %s  %s%s%s\n", user.email.c_str(), user.name.c_str(),
                  user.is_admin ? "  (administrator)" : "",
                  user.is_active ? "" : "  (deactivated in the source, deactivated here)");
    }
  }
  std::printf("%lld requests to the source (%lld answered 429 and were retried)\n",
              static_cast<long long>(summary.requests), static_cast<long long>(summary.throttled));
}

}  // namespace

int RunImport(const ImportOptions& options) {
  std::string token = options.token;
  if (token.empty()) {
    if (const char* env = std::getenv("GATEHOUSE_IMPORT_TOKEN"); env != nullptr) token = env;
  }
  if (token.empty()) {
    return Fail("no token", base::Status::InvalidField(
                                "token", "Required", "give --token or set GATEHOUSE_IMPORT_TOKEN"));
  }
  const import::SourceOptions source_options{.rate = options.rate,
                                             .page_limit = options.page_limit};
  auto source = import::KommoSource::Open(options.from, token, source_options);
  if (!source.ok()) return Fail("cannot read " + options.from, source.status());
  // Like demo, an import creates the database it is pointed at when missing.
  auto store = OpenMigratedStore(options.db, 2, storage::sql::IfMissing::kCreate);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());

  ProgressBar bar("import");
  const import::ImportOptions import_options{.subdomain = options.subdomain};
  auto summary =
      import::Import(**store, **source, import_options,
                     [&bar](std::string_view phase, int index, int phases, std::int64_t done) {
                       bar.Step(phase, index, phases, done);
                     });
  bar.Finish();
  if (!summary.ok()) {
    // What was committed stays: after a lost source or an engine failure, the same command
    // continues where this run stopped.
    const base::Code code = summary.status().code();
    const bool resumable = code == base::Code::kUnavailable || code == base::Code::kInternal;
    return Fail("import from " + (*source)->origin() +
                    (resumable ? " stopped (run it again to continue)" : " refused"),
                summary.status());
  }
  PrintSummary(*summary, options.db);
  return 0;
}

}  // namespace gatehouse::cli
