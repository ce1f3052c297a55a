// The summary of incoming leads (GET /api/v4/leads/unsorted/summary): one aggregate statement
// over the rows the incoming-leads list would show, grouped by category.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// Per category: the items, the accepted, the declined, and the seconds from creation to
// decision summed over the decided ones. The sums are cast because PostgreSQL's SUM of BIGINT
// is NUMERIC; the mean is taken from the exact sum afterwards, so neither engine's AVG (REAL on
// SQLite, NUMERIC on PostgreSQL) decides its rounding. A form may send a creation time after the
// decision: such a wait counts as 0, never as a negative time.
constexpr std::string_view kSummaryColumns =
    "category, COUNT(*), "
    "CAST(SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END) AS BIGINT), "
    "CAST(SUM(CASE WHEN state = 'declined' THEN 1 ELSE 0 END) AS BIGINT), "
    "CAST(SUM(CASE WHEN state <> 'pending' AND updated_at > created_at "
    "THEN updated_at - created_at ELSE 0 END) AS BIGINT)";

Result<IncomingSummary> SummaryOf(const sql::Rows& rows) {
  IncomingSummary out;
  for (domain::IncomingCategory category : domain::kAllIncomingCategories) {
    out.categories.push_back({.category = category});
  }
  std::int64_t waited = 0;
  for (const auto& row : rows.rows) {
    RowReader r(row);
    const std::string name = r.Text();
    const std::int64_t total = r.Int();
    out.total += total;
    out.accepted += r.Int();
    out.declined += r.Int();
    waited += r.Int();
    // The column holds IncomingCategoryName only (RecordTraits<IncomingLead>::Resolve).
    const std::optional<domain::IncomingCategory> category = domain::IncomingCategoryFromName(name);
    auto it = std::find_if(out.categories.begin(), out.categories.end(),
                           [&](const IncomingCategoryCount& c) { return c.category == category; });
    if (it == out.categories.end()) {
      return Status::Internal("incoming leads of an unknown category: " + name);
    }
    it->total += total;
  }
  const std::int64_t decided = out.accepted + out.declined;
  out.average_sort_time = decided == 0 ? 0 : waited / decided;
  return out;
}

}  // namespace

Result<IncomingSummary> AccountReader::SummarizeIncoming(const policy::ListFilter& permission,
                                                         const ListQuery& query) const {
  GH_ASSIGN_OR_RETURN(SqlStatement statement,
                      BuildAggregate(RecordTraits<IncomingLead>::kTable, kSummaryColumns,
                                     permission, query, account_id_, "category"));
  if (statement.matches_nothing) return SummaryOf(sql::Rows{});
  return WithConnection([&](sql::Connection& c) -> Result<IncomingSummary> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.QueryPlannedWithValues(statement.sql, statement.params));
    return SummaryOf(rows);
  });
}

}  // namespace gatehouse::storage
