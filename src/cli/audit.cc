#include <cstdio>
#include <optional>
#include <string>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/admin/admin_service.h"

namespace gatehouse::cli {

int RunAuditVerify(const CheckOptions& options) {
  base::SystemClock clock;
  const std::optional<int> broken = CountUnsoundAccounts(
      options.db, options.subdomain,
      [&](storage::Store& store, const storage::AccountRow& account) -> base::Result<bool> {
        const service::AdminService admin(service::AdminDeps{&store, nullptr, &clock});
        GH_ASSIGN_OR_RETURN(const auto report, admin.VerifyAuditLog(SystemCaller(account.id)));
        std::string unchained;
        if (report.unchained > 0) {
          unchained = ", " + std::to_string(report.unchained) + " older event(s) outside the chain";
        }
        if (report.intact()) {
          std::printf("%s: intact, %lld event(s) checked%s\n", account.subdomain.c_str(),
                      static_cast<long long>(report.checked), unchained.c_str());
          return true;
        }
        const auto& at = *report.first_break;
        std::printf("%s: BROKEN at event %lld%s: %s\n", account.subdomain.c_str(),
                    static_cast<long long>(at.seq),
                    at.event_id.empty() ? "" : (" (" + at.event_id + ")").c_str(),
                    at.reason.c_str());
        return false;
      });
  if (!broken) return 1;
  if (*broken > 0) {
    std::fprintf(stderr, "gatehouse: the activity log of %d account(s) has been altered\n",
                 *broken);
    return 1;
  }
  return 0;
}

}  // namespace gatehouse::cli
