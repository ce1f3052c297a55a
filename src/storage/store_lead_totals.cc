// The lead totals (migration 9): pending changes of a transaction, their flush, and the readers.
//
// Exactness rests on three rules:
//   - every AccountWriter method that inserts, updates or deletes lead rows counts the cells
//     it changed from what the statement actually touched (the inserted values, DELETE/UPDATE
//     ... RETURNING, or a row locked before it is rewritten), never from an earlier read that a
//     concurrent writer may have outdated;
//   - the changes are summed per cell in memory and written once per cell at the end of the
//     transaction, so they commit or roll back with the rows;
//   - each write is "count = count + delta" (an upsert), applied in cell order, so concurrent
//     writers neither overwrite each other's increments nor wait on each other in a cycle.
#include <algorithm>
#include <string>
#include <string_view>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::size_t kCellsPerStatement = 100;

// Defers `INSERT <head> VALUES (...), ... <tail>` for `count` rows of `width` values each,
// kCellsPerStatement rows a statement; `append(i, params)` appends row i's values.
template <typename Append>
Status DeferInserts(sql::Connection& c, std::string_view head, std::string_view tail, int width,
                    std::size_t count, Append append) {
  const std::string tuple = Tuple(width);
  for (std::size_t at = 0; at < count; at += kCellsPerStatement) {
    const std::size_t end = std::min(count, at + kCellsPerStatement);
    std::string sql = "INSERT INTO " + std::string(head) + " VALUES ";
    Params params;
    params.reserve((end - at) * static_cast<std::size_t>(width));
    for (std::size_t i = at; i < end; ++i) {
      sql += (i == at ? "" : ", ") + tuple;
      append(i, params);
    }
    GH_RETURN_IF_ERROR(c.Defer(sql + " " + std::string(tail), params));
  }
  return Status::Ok();
}

LeadCell ReadCell(RowReader& row) {
  return {.pipeline_id = row.Int(), .status_id = row.Int(), .responsible_user_id = row.Int()};
}

}  // namespace

void AccountWriter::CountLeadCell(const LeadCell& cell, int sign, std::int64_t price) {
  // The cell and its stage's rollup (migration 10), which sorts before the stage's cells.
  for (UserId user : {cell.responsible_user_id, policy::kEveryone}) {
    CellChange& change = lead_totals_pending_[{cell.pipeline_id, cell.status_id, user}];
    change.count += sign;
    change.price += sign * price;
  }
}

Result<std::int64_t> AccountWriter::MoveLeads(
    std::string_view update, const Params& params,
    const std::function<LeadCell(LeadCell)>& old_cell_of) {
  // The totals move by the rows the UPDATE actually changed (RETURNING), not by a prior count.
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query(std::string(update) + " RETURNING pipeline_id, status_id, "
                                                          "COALESCE(responsible_user_id, 0), price",
                                    params));
  for (const auto& row : rows.rows) {
    RowReader r(row);
    const LeadCell moved = ReadCell(r);
    const std::int64_t price = r.Int();
    CountLeadCell(old_cell_of(moved), -1, price);
    CountLeadCell(moved, +1, price);
  }
  return static_cast<std::int64_t>(rows.rows.size());
}

void AccountWriter::CountRecord(domain::DataSet data_set, UserId responsible_user_id,
                                std::int64_t delta) {
  record_totals_pending_[{data_set, responsible_user_id}] += delta;
  record_totals_pending_[{data_set, policy::kEveryone}] += delta;
}

Status AccountWriter::FlushTotals() {
  GH_RETURN_IF_ERROR(FlushLeadTotals());
  return FlushRecordTotals();
}

Status AccountWriter::FlushRecordTotals() {
  std::vector<std::pair<std::pair<domain::DataSet, UserId>, std::int64_t>> changes;
  for (const auto& [key, change] : record_totals_pending_) {
    if (change != 0) changes.emplace_back(key, change);
  }
  record_totals_pending_.clear();
  return DeferInserts(
      *fixed_, "record_totals (account_id, data_set, responsible_user_id, record_count)",
      "ON CONFLICT (account_id, data_set, responsible_user_id) DO UPDATE SET "
      "record_count = record_totals.record_count + excluded.record_count",
      4, changes.size(), [&](std::size_t i, Params& params) {
        const auto& [key, change] = changes[i];
        params.insert(params.end(), {Int(account_id_), Text(std::string(TotalsName(key.first))),
                                     Int(key.second), Int(change)});
      });
}

Status AccountWriter::FlushLeadTotals() {
  std::vector<std::pair<LeadCell, CellChange>> changes;
  for (const auto& [cell, change] : lead_totals_pending_) {
    // A lead renamed, or moved and moved back, changes nothing: no statement, no lock.
    if (change.count != 0 || change.price != 0) changes.emplace_back(cell, change);
  }
  lead_totals_pending_.clear();
  return DeferInserts(
      *fixed_,
      "lead_totals (account_id, pipeline_id, status_id, responsible_user_id, lead_count, "
      "price_sum)",
      "ON CONFLICT (account_id, pipeline_id, status_id, responsible_user_id) DO UPDATE SET "
      "lead_count = lead_totals.lead_count + excluded.lead_count, "
      "price_sum = lead_totals.price_sum + excluded.price_sum",
      6, changes.size(), [&](std::size_t i, Params& params) {
        const auto& [cell, change] = changes[i];
        params.insert(params.end(),
                      {Int(account_id_), Int(cell.pipeline_id), Int(cell.status_id),
                       Int(cell.responsible_user_id), Int(change.count), Int(change.price)});
      });
}

Result<std::vector<LeadCellTotals>> AccountReader::LeadTotals(PipelineId pipeline_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LeadCellTotals>> {
    Where where{"account_id = ? AND lead_count <> 0 AND responsible_user_id >= 0",
                {Int(account_id_)}};
    where.Add("pipeline_id = ?", pipeline_id != 0, Int(pipeline_id));
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT pipeline_id, status_id, responsible_user_id, lead_count, price_sum FROM "
                "lead_totals WHERE " +
                    where.sql + " ORDER BY pipeline_id, status_id, responsible_user_id",
                where.params));
    std::vector<LeadCellTotals> out;
    out.reserve(rows.rows.size());
    for (const auto& row : rows.rows) {
      RowReader r(row);
      out.push_back({.cell = ReadCell(r), .count = r.Int(), .price = r.Int()});
    }
    return out;
  });
}

Result<std::vector<LeadTotalsDifference>> AccountReader::VerifyLeadTotals() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LeadTotalsDifference>> {
    Params params{Int(account_id_), Int(account_id_), Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT pipeline_id, status_id, responsible_user_id, "
                "CAST(SUM(sc) AS BIGINT), CAST(SUM(sp) AS BIGINT), CAST(SUM(ac) AS BIGINT), "
                "CAST(SUM(ap) AS BIGINT) FROM ("
                "SELECT pipeline_id, status_id, responsible_user_id, lead_count AS sc, "
                "price_sum AS sp, 0 AS ac, 0 AS ap FROM lead_totals WHERE account_id = ? "
                "UNION ALL "
                "SELECT pipeline_id, status_id, COALESCE(responsible_user_id, 0), 0, 0, "
                "COUNT(*), CAST(SUM(price) AS BIGINT) FROM leads WHERE account_id = ? "
                "GROUP BY pipeline_id, status_id, COALESCE(responsible_user_id, 0) "
                "UNION ALL "
                "SELECT pipeline_id, status_id, -1, 0, 0, COUNT(*), CAST(SUM(price) AS BIGINT) "
                "FROM leads WHERE account_id = ? GROUP BY pipeline_id, status_id"
                ") AS t GROUP BY pipeline_id, status_id, responsible_user_id "
                "HAVING SUM(sc) <> SUM(ac) OR SUM(sp) <> SUM(ap) "
                "ORDER BY pipeline_id, status_id, responsible_user_id",
                params));
    std::vector<LeadTotalsDifference> out;
    for (const auto& row : rows.rows) {
      RowReader r(row);
      out.push_back({.cell = ReadCell(r),
                     .stored_count = r.Int(),
                     .stored_price = r.Int(),
                     .actual_count = r.Int(),
                     .actual_price = r.Int()});
    }
    return out;
  });
}

}  // namespace gatehouse::storage
