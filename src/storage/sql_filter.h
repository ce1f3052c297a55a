// Turns a ListQuery (the engine's compiled permission filter plus the caller's filters) into
// parameterised SQL for one record table and dialect.
//
// The permission part is specialised to the level, because one generic predicate gets one
// generic plan (STACK.md): "all" adds no predicate, "none" skips the query, ResponsibleIn becomes
// `responsible_user_id = ?` or `IN (?, ...)`, and stage audiences become plain AND/OR terms:
//   (NOT (<listed stages>) AND <otherwise>) OR (<stage group 1> AND <audience 1>) OR ...
// where stages with the same pipeline and audience share one `status_id IN (...)`. Values are
// only ever bound as parameters; the SQL text depends on the shape of the query alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/ids.h"
#include "policy/list_filter.h"
#include "storage/query.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage {

// Which columns a record table has beyond id, account_id, name, responsible_user_id,
// created_by, created_at and updated_at (which all have).
struct TableTraits {
  std::string_view table;
  std::string_view name_column = "name";
  bool stages = false;    // pipeline_id + status_id, and stage audiences apply (leads)
  bool pipeline = false;  // pipeline_id
  bool price = false;
  bool closed_at = false;
  bool completed = false;  // is_completed
  bool entity = false;     // entity_type + entity_id
};

extern const TableTraits kLeadsTable;
extern const TableTraits kContactsTable;
extern const TableTraits kCompaniesTable;
extern const TableTraits kTasksTable;
extern const TableTraits kIncomingLeadsTable;
extern const TableTraits kConversationsTable;

// A WHERE condition (without the keyword) and its parameters, in order.
struct SqlCondition {
  std::string sql;
  std::vector<sql::Value> params;
  bool matches_nothing = false;  // the permission filter admits no row: run no query
};

// The permission predicate alone; empty sql when every row qualifies.
SqlCondition PermissionCondition(const policy::ListFilter& filter, bool with_stages);

// A complete statement and its parameters.
struct SqlStatement {
  std::string sql;
  std::vector<sql::Value> params;
  bool matches_nothing = false;
};

// "SELECT <columns> FROM <table> WHERE account_id = ? AND ... ORDER BY ... LIMIT ? [OFFSET ?]",
// fetching `limit` rows (the caller asks for one more than a page to detect the next page).
// kInvalidArgument (naming the filter) for a filter the table has no column for.
base::Result<SqlStatement> BuildSelect(const TableTraits& table, std::string_view columns,
                                       const ListQuery& query, domain::AccountId account_id,
                                       int limit, std::int64_t offset);

// "SELECT COUNT(*) FROM <table> WHERE ..." with the same filters (paging ignored).
base::Result<SqlStatement> BuildCount(const TableTraits& table, const ListQuery& query,
                                      domain::AccountId account_id);

// The column an order field sorts by.
std::string_view OrderColumn(OrderField field);

}  // namespace gatehouse::storage
