// `gatehouse verify counters`: recomputes each account's lead totals (cells and stage rollups)
// and contact, company and task totals from the rows and reports every counter that differs.
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "cli/common.h"

namespace gatehouse::cli {

int RunVerifyCounters(const CheckOptions& options) {
  const std::optional<int> wrong = CountUnsoundAccounts(
      options.db, options.subdomain,
      [](storage::Store& store, const storage::AccountRow& account) -> base::Result<bool> {
        const storage::AccountReader reader = store.Reader(account.id);
        GH_ASSIGN_OR_RETURN(const auto differences, reader.VerifyLeadTotals());
        GH_ASSIGN_OR_RETURN(const auto records, reader.VerifyRecordTotals());
        if (differences.empty() && records.empty()) {
          std::printf("%s: lead, contact, company, task and customer totals exact\n",
                      account.subdomain.c_str());
          return true;
        }
        std::printf("%s: %zu lead total cell(s) and %zu record total(s) differ\n",
                    account.subdomain.c_str(), differences.size(), records.size());
        // Responsible -1 is a rollup: the whole stage, or the whole data set.
        for (const storage::RecordTotalsDifference& d : records) {
          std::printf("  %s responsible %lld: stored %lld, rows %lld\n", d.data_set.c_str(),
                      static_cast<long long>(d.responsible_user_id),
                      static_cast<long long>(d.stored_count),
                      static_cast<long long>(d.actual_count));
        }
        for (const storage::LeadTotalsDifference& d : differences) {
          std::printf(
              "  pipeline %lld status %lld responsible %lld: stored %lld lead(s) / %lld, "
              "rows %lld lead(s) / %lld\n",
              static_cast<long long>(d.cell.pipeline_id), static_cast<long long>(d.cell.status_id),
              static_cast<long long>(d.cell.responsible_user_id),
              static_cast<long long>(d.stored_count), static_cast<long long>(d.stored_price),
              static_cast<long long>(d.actual_count), static_cast<long long>(d.actual_price));
        }
        return false;
      });
  if (!wrong) return 1;
  if (*wrong > 0) {
    std::fprintf(stderr, "gatehouse: the totals of %d account(s) differ from the rows\n", *wrong);
    return 1;
  }
  return 0;
}

}  // namespace gatehouse::cli
