#include <cstdio>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/admin/admin_service.h"

namespace gatehouse::cli {

int RunAuditVerify(const CheckOptions& options) {
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  const auto accounts = AccountsToCheck(**store, options.subdomain);
  if (!accounts) return 1;
  base::SystemClock clock;
  const service::AdminService admin(service::AdminDeps{store->get(), nullptr, &clock});
  int broken = 0;
  for (const storage::AccountRow& account : *accounts) {
    const service::Caller system = SystemCaller(account.id);
    auto report = admin.VerifyAuditLog(system);
    if (!report.ok()) return Fail("cannot verify account " + account.subdomain, report.status());
    std::string unchained;
    if (report->unchained > 0) {
      unchained = ", " + std::to_string(report->unchained) + " older event(s) outside the chain";
    }
    if (report->intact()) {
      std::printf("%s: intact, %lld event(s) checked%s\n", account.subdomain.c_str(),
                  static_cast<long long>(report->checked), unchained.c_str());
    } else {
      ++broken;
      const auto& at = *report->first_break;
      std::printf("%s: BROKEN at event %lld%s: %s\n", account.subdomain.c_str(),
                  static_cast<long long>(at.seq),
                  at.event_id.empty() ? "" : (" (" + at.event_id + ")").c_str(), at.reason.c_str());
    }
  }
  if (broken > 0) {
    std::fprintf(stderr, "gatehouse: the activity log of %d account(s) has been altered\n", broken);
    return 1;
  }
  return 0;
}

}  // namespace gatehouse::cli
