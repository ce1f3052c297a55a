// Building blocks of the SQL conditions that sql_filter.cc (permission conditions, statements)
// and caller_filters.cc (the caller's filters) share. Internal to storage/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "storage/query.h"
#include "storage/sql_filter.h"

namespace gatehouse::storage::internal {

// "?, ?, ?" for n values.
std::string Placeholders(std::size_t n);

// `column = ?` for one value, `column IN (?, ...)` for several: ids, or texts.
template <typename Values>
void AppendIn(std::string_view column, const Values& values, SqlCondition& out) {
  out.sql += column;
  out.sql += values.size() == 1 ? " = ?" : " IN (" + Placeholders(values.size()) + ")";
  for (const auto& value : values) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
      out.params.emplace_back(value);
    } else {
      out.params.emplace_back(static_cast<std::int64_t>(value));
    }
  }
}

// Appends `from`'s text and parameters to `to`.
void Append(SqlCondition& to, const SqlCondition& from);

// Appends " AND " and `sql` to `where`.
void And(SqlCondition& where, std::string_view sql);

// Stages grouped by pipeline: "(pipeline_id = ? AND status_id IN (...)) OR ...".
SqlCondition StagesCondition(const std::vector<domain::StageKey>& stages);

// The caller's filters of `q` as " AND ..." terms on `table` (empty when there are none);
// kInvalidArgument for a filter the table has no column for.
base::Result<SqlCondition> CallerFilters(const TableTraits& table, const ListQuery& q);

}  // namespace gatehouse::storage::internal
