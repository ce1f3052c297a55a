// Query building. Only shapes reach the SQL text (how many ids, which filters are present);
// every value goes into the parameter vector, so statement caches stay small and nothing a
// caller sends can change the statement.
#include "storage/sql_filter.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

namespace gatehouse::storage {

using base::Result;
using base::Status;
using policy::Audience;

const TableTraits kLeadsTable{
    .table = "leads", .stages = true, .pipeline = true, .price = true, .closed_at = true};
const TableTraits kContactsTable{.table = "contacts"};
const TableTraits kCompaniesTable{.table = "companies"};
const TableTraits kTasksTable{
    .table = "tasks", .name_column = "task_text", .completed = true, .entity = true};
const TableTraits kIncomingLeadsTable{
    .table = "incoming_leads", .name_column = "lead_name", .pipeline = true};
const TableTraits kConversationsTable{
    .table = "conversations", .name_column = "subject", .entity = true};

namespace {

// "?, ?, ?" for n values.
std::string Placeholders(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += i == 0 ? "?" : ", ?";
  return text;
}

// `column = ?` for one value, `column IN (?, ...)` for several.
template <typename Ids>
void AppendIn(std::string_view column, const Ids& ids, SqlCondition& out) {
  out.sql += column;
  out.sql += ids.size() == 1 ? " = ?" : " IN (" + Placeholders(ids.size()) + ")";
  for (auto id : ids) out.params.emplace_back(static_cast<std::int64_t>(id));
}

// The audience's own condition; empty for kAll. Not called for kNone.
SqlCondition AudienceCondition(const Audience& audience) {
  SqlCondition out;
  if (audience.kind == Audience::Kind::kResponsibleIn) {
    AppendIn("responsible_user_id", audience.users, out);
  }
  return out;
}

void Append(SqlCondition& to, const SqlCondition& from) {
  to.sql += from.sql;
  to.params.insert(to.params.end(), from.params.begin(), from.params.end());
}

// Stages grouped by pipeline: "(pipeline_id = ? AND status_id IN (...)) OR ...".
SqlCondition StagesCondition(const std::vector<domain::StageKey>& stages) {
  std::map<domain::PipelineId, std::vector<domain::StatusId>> by_pipeline;
  for (const domain::StageKey& stage : stages) {
    by_pipeline[stage.pipeline_id].push_back(stage.status_id);
  }
  SqlCondition out;
  for (const auto& [pipeline_id, statuses] : by_pipeline) {
    if (!out.sql.empty()) out.sql += " OR ";
    out.sql += "(pipeline_id = ? AND ";
    out.params.emplace_back(static_cast<std::int64_t>(pipeline_id));
    AppendIn("status_id", statuses, out);
    out.sql += ")";
  }
  return out;
}

}  // namespace

SqlCondition PermissionCondition(const policy::ListFilter& filter, bool with_stages) {
  SqlCondition out;
  const bool stages = with_stages && !filter.stages.empty();
  if (!stages) {
    if (filter.otherwise.kind == Audience::Kind::kNone) out.matches_nothing = true;
    if (filter.otherwise.kind == Audience::Kind::kResponsibleIn) {
      out = AudienceCondition(filter.otherwise);
    }
    return out;
  }

  std::vector<SqlCondition> terms;
  if (filter.otherwise.kind != Audience::Kind::kNone) {
    std::vector<domain::StageKey> listed;
    for (const policy::StageAudience& stage : filter.stages) listed.push_back(stage.stage);
    SqlCondition term;
    term.sql = "NOT (";
    Append(term, StagesCondition(listed));
    term.sql += ")";
    SqlCondition audience = AudienceCondition(filter.otherwise);
    if (!audience.sql.empty()) {
      term.sql += " AND ";
      Append(term, audience);
    }
    terms.push_back(std::move(term));
  }
  // Stages with the same audience share one term.
  std::vector<std::pair<const Audience*, std::vector<domain::StageKey>>> groups;
  for (const policy::StageAudience& stage : filter.stages) {
    if (stage.audience.kind == Audience::Kind::kNone) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return *group.first == stage.audience; });
    if (it == groups.end()) {
      groups.emplace_back(&stage.audience, std::vector<domain::StageKey>{});
      it = std::prev(groups.end());
    }
    it->second.push_back(stage.stage);
  }
  for (const auto& [audience, keys] : groups) {
    SqlCondition term;
    term.sql = "(";
    Append(term, StagesCondition(keys));
    term.sql += ")";
    SqlCondition condition = AudienceCondition(*audience);
    if (!condition.sql.empty()) {
      term.sql += " AND ";
      Append(term, condition);
    }
    terms.push_back(std::move(term));
  }
  if (terms.empty()) {
    out.matches_nothing = true;
    return out;
  }
  out.sql = "(";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out.sql += " OR ";
    out.sql += "(";
    Append(out, terms[i]);
    out.sql += ")";
  }
  out.sql += ")";
  return out;
}

std::string_view OrderColumn(OrderField field) {
  switch (field) {
    case OrderField::kCreatedAt:
      return "created_at";
    case OrderField::kUpdatedAt:
      return "updated_at";
    case OrderField::kId:
      break;
  }
  return "id";
}

namespace {

void And(SqlCondition& where, std::string_view sql) {
  where.sql += " AND ";
  where.sql += sql;
}

void AddRange(std::string_view column, const Range& range, SqlCondition& where) {
  if (range.from) {
    And(where, std::string(column) + " >= ?");
    where.params.emplace_back(*range.from);
  }
  if (range.to) {
    And(where, std::string(column) + " <= ?");
    where.params.emplace_back(*range.to);
  }
}

Status Unsupported(const TableTraits& table, std::string_view filter) {
  return Status::InvalidField(
      "filter." + std::string(filter), "NotSupported",
      "filter " + std::string(filter) + " does not apply to " + std::string(table.table));
}

// The complete WHERE condition: account first, then permission, then the caller's filters.
Result<SqlCondition> Where(const TableTraits& table, const ListQuery& q,
                           domain::AccountId account_id) {
  if (!q.pipeline_ids.empty() && !table.pipeline) return Unsupported(table, "pipeline_id");
  if (!q.stages.empty() && !table.stages) return Unsupported(table, "statuses");
  if (!q.price.empty() && !table.price) return Unsupported(table, "price");
  if (!q.closed_at.empty() && !table.closed_at) return Unsupported(table, "closed_at");
  if (q.is_completed && !table.completed) return Unsupported(table, "is_completed");
  if ((!q.entity_type.empty() || !q.entity_ids.empty()) && !table.entity) {
    return Unsupported(table, "entity_type");
  }
  if (!q.entity_ids.empty() && q.entity_type.empty()) {
    return Status::InvalidField("filter.entity_id", "Required",
                                "filter entity_id needs filter entity_type");
  }

  SqlCondition where;
  where.sql = "account_id = ?";
  where.params.emplace_back(account_id);
  SqlCondition permission = PermissionCondition(q.permission, table.stages);
  if (permission.matches_nothing) {
    where.matches_nothing = true;
    return where;
  }
  if (!permission.sql.empty()) {
    where.sql += " AND ";
    Append(where, permission);
  }

  SqlCondition filters;
  if (!q.ids.empty()) {
    filters.sql += " AND ";
    AppendIn("id", q.ids, filters);
  }
  if (!q.text.empty()) {
    std::string pattern = "%";
    for (char c : q.text) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    And(filters, "lower(" + std::string(table.name_column) + ") LIKE lower(?) ESCAPE '\\'");
    filters.params.emplace_back(std::move(pattern));
  }
  if (!q.pipeline_ids.empty()) {
    filters.sql += " AND ";
    AppendIn("pipeline_id", q.pipeline_ids, filters);
  }
  if (!q.stages.empty()) {
    filters.sql += " AND (";
    Append(filters, StagesCondition(q.stages));
    filters.sql += ")";
  }
  if (!q.responsible_user_ids.empty()) {
    // 0 asks for records with nobody responsible (stored as NULL).
    std::vector<domain::UserId> ids;
    bool nobody = false;
    for (domain::UserId id : q.responsible_user_ids) {
      if (id == 0) {
        nobody = true;
      } else {
        ids.push_back(id);
      }
    }
    filters.sql += " AND (";
    if (!ids.empty()) AppendIn("responsible_user_id", ids, filters);
    if (nobody) filters.sql += ids.empty() ? "" : " OR ";
    if (nobody) filters.sql += "responsible_user_id IS NULL";
    filters.sql += ")";
  }
  if (!q.created_by.empty()) {
    filters.sql += " AND ";
    AppendIn("created_by", q.created_by, filters);
  }
  AddRange("created_at", q.created_at, filters);
  AddRange("updated_at", q.updated_at, filters);
  AddRange("closed_at", q.closed_at, filters);
  AddRange("price", q.price, filters);
  if (q.is_completed) {
    And(filters, "is_completed = ?");
    filters.params.emplace_back(std::int64_t{*q.is_completed ? 1 : 0});
  }
  if (!q.entity_type.empty()) {
    And(filters, "entity_type = ?");
    filters.params.emplace_back(q.entity_type);
    if (!q.entity_ids.empty()) {
      filters.sql += " AND ";
      AppendIn("entity_id", q.entity_ids, filters);
    }
  }
  Append(where, filters);
  return where;
}

}  // namespace

Result<SqlStatement> BuildSelect(const TableTraits& table, std::string_view columns,
                                 const ListQuery& query, domain::AccountId account_id, int limit,
                                 std::int64_t offset) {
  GH_ASSIGN_OR_RETURN(SqlCondition where, Where(table, query, account_id));
  SqlStatement out;
  if (where.matches_nothing) {
    out.matches_nothing = true;
    return out;
  }
  const std::string column(OrderColumn(query.order_field));
  const bool desc = query.order_direction == OrderDirection::kDesc;
  if (query.after) {
    const char* cmp = desc ? " < ?" : " > ?";
    if (query.order_field == OrderField::kId) {
      And(where, std::string("id") + cmp);
      where.params.emplace_back(query.after->id);
    } else {
      And(where, "(" + column + cmp + " OR (" + column + " = ? AND id" + cmp + "))");
      where.params.emplace_back(query.after->value);
      where.params.emplace_back(query.after->value);
      where.params.emplace_back(query.after->id);
    }
  }
  const std::string dir = desc ? " DESC" : " ASC";
  out.sql = "SELECT " + std::string(columns) + " FROM " + std::string(table.table) + " WHERE " +
            where.sql + " ORDER BY ";
  if (query.order_field != OrderField::kId) out.sql += column + dir + ", ";
  out.sql += "id" + dir + " LIMIT ?";
  out.params = std::move(where.params);
  out.params.emplace_back(std::int64_t{limit});
  if (offset > 0 && !query.after) {
    out.sql += " OFFSET ?";
    out.params.emplace_back(offset);
  }
  return out;
}

Result<SqlStatement> BuildCount(const TableTraits& table, const ListQuery& query,
                                domain::AccountId account_id) {
  GH_ASSIGN_OR_RETURN(SqlCondition where, Where(table, query, account_id));
  SqlStatement out;
  out.matches_nothing = where.matches_nothing;
  if (out.matches_nothing) return out;
  out.sql = "SELECT COUNT(*) FROM " + std::string(table.table) + " WHERE " + where.sql;
  out.params = std::move(where.params);
  return out;
}

}  // namespace gatehouse::storage
