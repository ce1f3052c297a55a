// Four-eyes approval requests (table approvals, migration 18).
#include <array>

#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;

namespace {

constexpr std::array kApprovalFields{Field("kind", &ApprovalRow::kind),
                                     Field("target_id", &ApprovalRow::target_id),
                                     Field("change_json", &ApprovalRow::change_json),
                                     Field("status", &ApprovalRow::status),
                                     Field("requested_by", &ApprovalRow::requested_by),
                                     Field("requested_at", &ApprovalRow::requested_at),
                                     Field("expires_at", &ApprovalRow::expires_at),
                                     Field("decided_by", &ApprovalRow::decided_by),
                                     Field("decided_at", &ApprovalRow::decided_at)};
using Codec = RowCodec<ApprovalRow, kApprovalFields>;

// The status a request has at time ?: an overdue pending request is expired.
constexpr std::string_view kStatusAsOf =
    "(CASE WHEN status = 'pending' AND expires_at <= ? THEN 'expired' ELSE status END)";

// Codec::Columns() as of time ? (bound twice): the status above, and an expired request was
// decided when it expired.
const std::string& ColumnsAsOf() {
  static const std::string columns = [] {
    std::string out = "id";
    for (const Field<ApprovalRow>& f : Codec::kFields) {
      out += ", ";
      if (f.column == "status") {
        out += kStatusAsOf;
      } else if (f.column == "decided_at") {
        out +=
            "CASE WHEN status = 'pending' AND expires_at <= ? THEN expires_at ELSE decided_at END";
      } else {
        out += f.column;
      }
    }
    return out;
  }();
  return columns;
}

}  // namespace

Result<std::vector<ApprovalRow>> AccountReader::ListApprovals(std::int64_t now,
                                                              std::string_view status, int limit,
                                                              int offset) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ApprovalRow>> {
    Params params{Int(now), Int(now), Int(account_id_)};
    std::string sql = "SELECT " + ColumnsAsOf() + " FROM approvals WHERE account_id = ?";
    if (!status.empty()) {
      sql += " AND " + std::string(kStatusAsOf) + " = ?";
      params.push_back(Int(now));
      params.push_back(Text(std::string(status)));
    }
    params.push_back(Int(limit));
    params.push_back(Int(offset));
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query(sql + " ORDER BY id DESC LIMIT ? OFFSET ?", params));
    return Codec::FromRows(rows);
  });
}

Result<ApprovalRow> AccountReader::GetApproval(std::int64_t id, std::int64_t now) const {
  return WithConnection([&](sql::Connection& c) -> Result<ApprovalRow> {
    GH_ASSIGN_OR_RETURN(
        std::vector<sql::Value> row,
        QueryRow(c, "SELECT " + ColumnsAsOf() + " FROM approvals WHERE account_id = ? AND id = ?",
                 Params{Int(now), Int(now), Int(account_id_), Int(id)}, "approval request"));
    return Codec::FromRow(row);
  });
}

Result<std::int64_t> AccountWriter::CreateApproval(const ApprovalRow& row) {
  GH_ASSIGN_OR_RETURN(ApprovalRow created,
                      InsertRow<Codec>(*fixed_, "approvals", account_id_, row));
  return created.id;
}

Result<ApprovalRow> AccountWriter::LockApproval(std::int64_t id) {
  const std::string lock = fixed_->dialect() == sql::Dialect::kPostgres ? " FOR UPDATE" : "";
  GH_ASSIGN_OR_RETURN(std::vector<sql::Value> row,
                      QueryRow(*fixed_,
                               "SELECT " + Codec::Columns() +
                                   " FROM approvals WHERE account_id = ? AND id = ?" + lock,
                               Params{Int(account_id_), Int(id)}, "approval"));
  return Codec::FromRow(row);
}

Status AccountWriter::DecideApproval(const ApprovalRow& row) {
  return ExecuteOne(*fixed_,
                    "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ? WHERE "
                    "account_id = ? AND id = ?",
                    Params{Text(row.status), Int(row.decided_by), Int(row.decided_at),
                           Int(account_id_), Int(row.id)},
                    "approval");
}

Result<std::vector<ApprovalRow>> AccountWriter::ExpireApprovals(std::int64_t now) {
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("UPDATE approvals SET status = 'expired', decided_at = expires_at WHERE "
                    "account_id = ? AND status = 'pending' AND expires_at <= ? RETURNING " +
                        Codec::Columns(),
                    Params{Int(account_id_), Int(now)}));
  return Codec::FromRows(rows);
}

}  // namespace gatehouse::storage
