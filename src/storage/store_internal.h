// Helpers shared by the store's .cc files (not part of the public interface).
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "domain/rights.h"
#include "storage/query.h"
#include "storage/sql/connection.h"
#include "storage/sql_terms.h"

namespace gatehouse::storage::internal {

// What every store .cc file names (they say `using namespace internal;`).
using base::Code;
using base::Result;
using base::Status;
using sql::Value;
using Params = std::vector<Value>;

// Reads the columns of a row in order (rows without a field table: users, notes, an import's
// state, pipelines and custom fields). With designated initializers, whose clauses are evaluated
// in order, a read names the member each column goes to.
class RowReader {
 public:
  // From column `from` on (a row that joins a table after others).
  explicit RowReader(const std::vector<Value>& row, std::size_t from = 0) : row_(row), i_(from) {}
  std::int64_t Int() { return sql::AsInt(row_[i_++]); }
  // A column the schema keeps small (sort, type); the domain holds it as an int.
  int SmallInt() { return static_cast<int>(Int()); }
  bool Bool() { return sql::AsInt(row_[i_++]) != 0; }
  std::string Text() { return sql::AsText(row_[i_++]); }
  // nullopt for NULL (an optional reference).
  std::optional<std::int64_t> OptionalInt() {
    const Value& v = row_[i_++];
    return sql::IsNull(v) ? std::nullopt : std::optional<std::int64_t>(sql::AsInt(v));
  }

 private:
  const std::vector<Value>& row_;
  std::size_t i_ = 0;
};

// The columns that decide what a user may do, as both users and user_versions (the history that
// replay reads) hold them, and their reader: the next of `row`'s columns into `user`.
inline constexpr std::string_view kUserAccessColumns =
    "is_admin, is_active, is_free, group_id, role_id, rights_json";
Status ReadUserAccess(RowReader& row, domain::User& user);

// 0 means "none" in the row structs and NULL in the tables (nullable references/times).
inline Value NullIfZero(std::int64_t value) { return value == 0 ? Value{} : Value{value}; }
inline Value Int(std::int64_t value) { return Value{value}; }
inline Value Bool(bool value) { return Value{std::int64_t{value ? 1 : 0}}; }
inline Value Text(std::string value) { return Value{std::move(value)}; }
// A record kind as the entity_type columns keep it (tags, notes, tasks): its data set's name.
inline Value DataSetText(domain::DataSet data_set) {
  return Text(std::string(domain::DataSetName(data_set)));
}

// Page `page` (from 1; less counts as 1) of `limit` rows (within 1..kMaxPageLimit): the rows it
// holds and the rows before it.
struct PageWindow {
  int limit = 0;
  std::int64_t offset = 0;
};
inline PageWindow WindowOf(int limit, int page) {
  const int rows = std::clamp(limit, 1, kMaxPageLimit);
  return {rows, static_cast<std::int64_t>(std::max(page, 1) - 1) * rows};
}

// "(?, ?, ...)" with n placeholders.
inline std::string Tuple(int n) { return "(" + Placeholders(static_cast<std::size_t>(n)) + ")"; }

// Appends " AND `column` IN (?, ...)" to `sql` and binds `values` (ids or texts) in `params`;
// nothing for no values.
template <typename Values>
void AndIn(std::string& sql, Params& params, std::string_view column, const Values& values) {
  if (std::empty(values)) return;
  sql += " AND " + std::string(column) + " IN (" + Placeholders(std::size(values)) + ")";
  for (const auto& value : values) params.push_back(Value{value});
}

// Cuts a page read with one row more than `limit` (to learn whether more follow) back to
// `limit`; `next` then points after its last item, whose order value is `value_of(last)`.
template <typename R, typename ValueOf>
void CutToLimit(Page<R>& page, int limit, ValueOf value_of) {
  if (static_cast<int>(page.items.size()) <= limit) return;
  page.items.resize(static_cast<std::size_t>(limit));
  const R& last = page.items.back();
  page.next = Cursor{value_of(last), last.id};
}

// A WHERE clause built one ANDed condition at a time, its parameters in placeholder order.
// `sql` starts as the first condition (the account) with its parameters in `params`.
struct Where {
  std::string sql{};
  Params params{};

  // " AND `condition`" (one placeholder) with `value`, when `wanted`.
  void Add(std::string_view condition, bool wanted, Value value) {
    if (!wanted) return;
    sql += " AND " + std::string(condition);
    params.push_back(std::move(value));
  }
  // " AND `column` IN (?, ...)", one placeholder per value (ids or texts); nothing for none.
  template <typename T>
  void AddIn(std::string_view column, const std::vector<T>& values) {
    AndIn(sql, params, column, values);
  }
  // " AND `column` >= ?" and " AND `column` <= ?" for the bounds `range` has.
  void AddRange(std::string_view column, const Range& range) {
    Add(std::string(column) + " >= ?", range.from.has_value(), Int(range.from.value_or(0)));
    Add(std::string(column) + " <= ?", range.to.has_value(), Int(range.to.value_or(0)));
  }
};

// Runs `sql` and returns its single row, or kNotFound with `what` when there is none.
inline base::Result<std::vector<Value>> QueryRow(sql::Connection& c, std::string_view sql,
                                                 const Params& params, std::string_view what) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
  if (rows.empty()) return base::Status::NotFound(std::string(what) + " not found");
  return std::move(rows.rows.front());
}

// Runs a statement that must change exactly one row; kNotFound with `what` otherwise.
inline base::Status ExecuteOne(sql::Connection& c, std::string_view sql, const Params& params,
                               std::string_view what) {
  GH_ASSIGN_OR_RETURN(std::int64_t changed, c.Execute(sql, params));
  if (changed == 0) return base::Status::NotFound(std::string(what) + " not found");
  return base::Status::Ok();
}

// The data_set value of record_totals (migration 10) for contacts, companies, tasks and
// customers (migration 16).
// Leads keep theirs in lead_totals and incoming leads none: "".
inline std::string_view TotalsName(domain::DataSet data_set) {
  const bool kept =
      data_set != domain::DataSet::kLeads && data_set != domain::DataSet::kIncomingLeads;
  return kept ? domain::DataSetName(data_set) : std::string_view();
}

// The tables linking a record kind to contacts (many, one of them main) and to one company:
// leads and customers. Rows are (account_id, <owner>, contact_id, is_main) and
// (account_id, <owner>, company_id).
struct LinkTables {
  std::string_view contacts{};
  std::string_view companies{};
  std::string_view owner{};  // the linking record's id column
};
inline constexpr LinkTables kLeadLinks{"lead_contacts", "lead_companies", "lead_id"};
inline constexpr LinkTables kCustomerLinks{"customer_contacts", "customer_companies",
                                           "customer_id"};

// The contacts linked to record `owner`, the main one first, as Links {owner, contact, is_main}.
template <typename Link>
Result<std::vector<Link>> ContactLinksOf(sql::Connection& c, const LinkTables& tables,
                                         AccountId account, RecordId owner) {
  const std::string column(tables.owner);
  Params params{Int(account), Int(owner)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT " + column + ", contact_id, is_main FROM " + std::string(tables.contacts) +
                  " WHERE account_id = ? AND " + column + " = ? ORDER BY is_main DESC, contact_id",
              params));
  std::vector<Link> out;
  for (const auto& r : rows.rows) {
    out.push_back({sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsInt(r[2]) != 0});
  }
  return out;
}
// The company linked to record `owner`, if any.
Result<std::optional<RecordId>> CompanyLinkOf(sql::Connection& c, const LinkTables& tables,
                                              AccountId account, RecordId owner);
// Links `contact` to record `owner` (again: updates is_main); a new main contact ends the main
// link of the one before.
Status LinkContactTo(sql::Connection& c, const LinkTables& tables, AccountId account,
                     RecordId owner, RecordId contact, bool is_main);
// Makes `company` the one company of record `owner`.
Status LinkCompanyTo(sql::Connection& c, const LinkTables& tables, AccountId account,
                     RecordId owner, RecordId company);

}  // namespace gatehouse::storage::internal
