// Turns the engine's compiled permission filter plus a ListQuery (the caller's filters) into
// parameterised SQL for one record table and dialect.
//
// The permission part is specialised to the level, because one generic predicate gets one
// generic plan (STACK.md): "all" adds no predicate, "none" skips the query, ResponsibleIn becomes
// `responsible_user_id = ?` or `IN (?, ...)`, and stage audiences become plain AND/OR terms:
//   (NOT (<listed stages>) AND <otherwise>) OR (<stage group 1> AND <audience 1>) OR ...
// where stages with the same pipeline and audience share one `status_id IN (...)`. Pages by
// updated_at instead merge disjoint branches of the filter, each read in order from one index
// (PermissionBranches, BuildSelect). Values are only ever bound as parameters; the SQL text
// depends on the shape of the query alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/ids.h"
#include "policy/list_filter.h"
#include "storage/query.h"
#include "storage/record_traits.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage {

// The tables of the record kinds (TableTraits and the kinds' traits: record_traits.h).
inline constexpr const TableTraits& kLeadsTable = RecordTraits<Lead>::kTable;
inline constexpr const TableTraits& kContactsTable = RecordTraits<Contact>::kTable;
inline constexpr const TableTraits& kTasksTable = RecordTraits<Task>::kTable;

// A WHERE condition (without the keyword) and its parameters, in order.
struct SqlCondition {
  std::string sql{};
  std::vector<sql::Value> params{};
  bool matches_nothing = false;  // the permission filter admits no row: run no query
};

// The permission predicate alone; empty sql when every row qualifies.
SqlCondition PermissionCondition(const policy::ListFilter& filter, bool with_stages);

// The permission predicate as disjoint branches whose union is exactly the rows it admits, each
// of a shape one index returns in (updated_at, id) order, so a page can take the first rows of
// every branch and merge them instead of walking the updated_at index and discarding rows:
//   - one per responsible user named by an audience: `responsible_user_id = ?`, plus, with
//     stage audiences, `AND NOT (<stages hidden from that user>)` when the default audience
//     admits the user, else `AND (<stages shown to that user>)`;
//   - one per stage open to everyone (leads): `pipeline_id = ? AND status_id = ?`;
//   - when the default audience is "all" and stages are listed: `NOT (<listed stages>)`.
// Empty when the filter admits no row; one branch with empty sql when it admits every row.
std::vector<SqlCondition> PermissionBranches(const policy::ListFilter& filter, bool with_stages);

// At most this many branches are merged in one statement (SQLite allows 500 compound terms;
// PostgreSQL plans each branch). Wider filters use the single predicate.
inline constexpr std::size_t kMaxMergedBranches = 64;

// A complete statement and its parameters.
struct SqlStatement {
  std::string sql{};
  std::vector<sql::Value> params{};
  bool matches_nothing = false;
  // The best plan does not depend on the bound values, so one cached generic plan serves every
  // run: set for the merged page shape without caller filters, where each branch is an equality
  // prefix of the index that orders it (and a cursor only moves where that index starts).
  bool value_independent_plan = false;
};

// A page of the rows `permission` admits (the engine's compiled filter for the caller) and the
// query's filters select, in the query's order, fetching `limit` rows (the caller asks for one more
// than a page to detect the next page) after skipping `offset` (ignored with a cursor).
// kInvalidArgument (naming the filter) for a filter the table has no column for.
//
// Two shapes, the same rows. The plain one:
//   SELECT <columns> FROM <table> WHERE account_id = ? AND <permission> AND <filters>
//     ORDER BY <order>, id LIMIT ? [OFFSET ?]
// When ordering by updated_at (every responsible index and the leads stage index end in
// (updated_at, id)), without an id filter, and the permission has 2..kMaxMergedBranches
// branches, the merged one takes the keys of the first offset+limit rows of each branch from
// its index, keeps the first ones overall, and reads only those rows:
//   SELECT <columns> FROM (SELECT k_value, k_id FROM (
//       SELECT * FROM (SELECT updated_at AS k_value, id AS k_id FROM <table>
//                      WHERE account_id = ? AND <branch 1> AND <filters>
//                      ORDER BY updated_at, id LIMIT ?) AS b1
//       UNION ALL ...) AS u ORDER BY k_value, k_id LIMIT ? [OFFSET ?]) AS p
//     JOIN <table> ON <table>.id = p.k_id ORDER BY p.k_value, p.k_id
// A cursor adds `updated_at <= ? AND (updated_at < ? OR (updated_at = ? AND id < ?))` (for
// descending order; the first term lets an index start at the cursor) to the plain WHERE or to
// every branch.
base::Result<SqlStatement> BuildSelect(const TableTraits& table, std::string_view columns,
                                       const policy::ListFilter& permission, const ListQuery& query,
                                       domain::AccountId account_id, int limit,
                                       std::int64_t offset);

// "SELECT COUNT(*) FROM <table> WHERE ..." with the same filters (paging ignored). When stage
// audiences apply and the permission has 2..kMaxMergedBranches branches:
// "SELECT (SELECT COUNT(*) ... <branch 1> ...) + ...", each term a range of one index instead of
// a scan of the account.
base::Result<SqlStatement> BuildCount(const TableTraits& table,
                                      const policy::ListFilter& permission, const ListQuery& query,
                                      domain::AccountId account_id);

// "SELECT <columns> FROM <table> WHERE <the rows BuildCount counts> GROUP BY <group_by>" (no
// GROUP BY when `group_by` is empty): aggregates over exactly the rows the list of `query` under
// `permission` shows on all its pages (paging and order ignored), in one statement.
base::Result<SqlStatement> BuildAggregate(const TableTraits& table, std::string_view columns,
                                          const policy::ListFilter& permission,
                                          const ListQuery& query, domain::AccountId account_id,
                                          std::string_view group_by);

// "SELECT COUNT(*) FROM <table> WHERE account_id = ? AND <allowed> AND NOT COALESCE((<minus>),
// FALSE)": the rows `allowed` admits and `minus` does not. COALESCE keeps the rows for which
// <minus> is NULL rather than TRUE or FALSE (`responsible_user_id IN (...)` on a record with
// nobody responsible): `minus` does not admit them, so they count. matches_nothing when
// `allowed` admits no row or `minus` admits every row (run no query); the NOT term is left out
// when `minus` admits no row.
SqlStatement BuildDifferenceCount(const TableTraits& table, const policy::ListFilter& allowed,
                                  const policy::ListFilter& minus, domain::AccountId account_id);

// The column an order field sorts by.
std::string_view OrderColumn(OrderField field);

}  // namespace gatehouse::storage
