// Four-eyes approval requests (table approvals, migration 18).
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;

namespace {

constexpr std::string_view kColumns =
    "id, kind, target_id, change_json, status, requested_by, requested_at, expires_at, "
    "decided_by, decided_at";

// The status and decided_at a request has at time ? (bound twice): an overdue pending request
// is expired, decided when it expired.
constexpr std::string_view kStatusAsOf =
    "(CASE WHEN status = 'pending' AND expires_at <= ? THEN 'expired' ELSE status END)";
constexpr std::string_view kColumnsAsOf =
    "id, kind, target_id, change_json, "
    "CASE WHEN status = 'pending' AND expires_at <= ? THEN 'expired' ELSE status END, "
    "requested_by, requested_at, expires_at, decided_by, "
    "CASE WHEN status = 'pending' AND expires_at <= ? THEN expires_at ELSE decided_at END";

ApprovalRow FromRow(const std::vector<sql::Value>& r) {
  return ApprovalRow{sql::AsInt(r[0]),  sql::AsText(r[1]), sql::AsInt(r[2]), sql::AsText(r[3]),
                     sql::AsText(r[4]), sql::AsInt(r[5]),  sql::AsInt(r[6]), sql::AsInt(r[7]),
                     sql::AsInt(r[8]),  sql::AsInt(r[9])};
}

std::vector<ApprovalRow> FromRows(const sql::Rows& rows) {
  std::vector<ApprovalRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace

Result<std::vector<ApprovalRow>> AccountReader::ListApprovals(std::int64_t now,
                                                              std::string_view status, int limit,
                                                              int offset) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ApprovalRow>> {
    Params params{Int(now), Int(now), Int(account_id_)};
    std::string sql =
        "SELECT " + std::string(kColumnsAsOf) + " FROM approvals WHERE account_id = ?";
    if (!status.empty()) {
      sql += " AND " + std::string(kStatusAsOf) + " = ?";
      params.push_back(Int(now));
      params.push_back(Text(std::string(status)));
    }
    params.push_back(Int(limit));
    params.push_back(Int(offset));
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query(sql + " ORDER BY id DESC LIMIT ? OFFSET ?", params));
    return FromRows(rows);
  });
}

Result<ApprovalRow> AccountReader::GetApproval(std::int64_t id, std::int64_t now) const {
  return WithConnection([&](sql::Connection& c) -> Result<ApprovalRow> {
    GH_ASSIGN_OR_RETURN(
        std::vector<sql::Value> row,
        QueryRow(c,
                 "SELECT " + std::string(kColumnsAsOf) +
                     " FROM approvals WHERE account_id = ? AND id = ?",
                 Params{Int(now), Int(now), Int(account_id_), Int(id)}, "approval request"));
    return FromRow(row);
  });
}

Result<std::int64_t> AccountWriter::CreateApproval(const ApprovalRow& row) {
  Params params{Int(account_id_),      Text(row.kind),     Int(row.target_id),
                Text(row.change_json), Text(row.status),   Int(row.requested_by),
                Int(row.requested_at), Int(row.expires_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO approvals (account_id, kind, target_id, "
                                    "change_json, status, requested_by, requested_at, expires_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

Result<ApprovalRow> AccountWriter::LockApproval(std::int64_t id) {
  const std::string lock = fixed_->dialect() == sql::Dialect::kPostgres ? " FOR UPDATE" : "";
  GH_ASSIGN_OR_RETURN(std::vector<sql::Value> row,
                      QueryRow(*fixed_,
                               "SELECT " + std::string(kColumns) +
                                   " FROM approvals WHERE account_id = ? AND id = ?" + lock,
                               Params{Int(account_id_), Int(id)}, "approval"));
  return FromRow(row);
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
                        std::string(kColumns),
                    Params{Int(account_id_), Int(now)}));
  return FromRows(rows);
}

}  // namespace gatehouse::storage
