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
using sql::Value;

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

namespace {

// Whether the audience names `user` (kAll does not: its rows have a branch of their own).
bool Names(const Audience& audience, domain::UserId user) {
  return audience.kind == Audience::Kind::kResponsibleIn &&
         std::binary_search(audience.users.begin(), audience.users.end(), user);
}

}  // namespace

std::vector<SqlCondition> PermissionBranches(const policy::ListFilter& filter, bool with_stages) {
  std::vector<SqlCondition> out;
  const Audience& otherwise = filter.otherwise;
  if (!with_stages || filter.stages.empty()) {
    if (otherwise.kind == Audience::Kind::kAll) out.emplace_back();
    if (otherwise.kind != Audience::Kind::kResponsibleIn) return out;
    for (domain::UserId user : otherwise.users) {
      out.emplace_back();
      AppendIn("responsible_user_id", std::vector<domain::UserId>{user}, out.back());
    }
    return out;
  }

  // Rows of unlisted stages when they are open to everyone.
  if (otherwise.kind == Audience::Kind::kAll) {
    std::vector<domain::StageKey> listed;
    for (const policy::StageAudience& stage : filter.stages) listed.push_back(stage.stage);
    SqlCondition branch;
    branch.sql = "NOT (";
    Append(branch, StagesCondition(listed));
    branch.sql += ")";
    out.push_back(std::move(branch));
  }
  // Listed stages open to everyone, one each (the stage index orders each by updated_at).
  for (const policy::StageAudience& stage : filter.stages) {
    if (stage.audience.kind == Audience::Kind::kAll) out.push_back(StagesCondition({stage.stage}));
  }
  // Every other visible row has a named responsible user: one branch per user, with the
  // stages where that user's rows are visible and no kAll stage (those rows are above).
  std::vector<domain::UserId> users;
  if (otherwise.kind == Audience::Kind::kResponsibleIn) users = otherwise.users;
  for (const policy::StageAudience& stage : filter.stages) {
    if (stage.audience.kind == Audience::Kind::kResponsibleIn) {
      users.insert(users.end(), stage.audience.users.begin(), stage.audience.users.end());
    }
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (domain::UserId user : users) {
    const bool by_default = Names(otherwise, user);
    std::vector<domain::StageKey> stages;  // hidden when by_default, else shown
    for (const policy::StageAudience& stage : filter.stages) {
      if (Names(stage.audience, user) != by_default) stages.push_back(stage.stage);
    }
    SqlCondition branch;
    AppendIn("responsible_user_id", std::vector<domain::UserId>{user}, branch);
    if (!stages.empty()) {
      branch.sql += by_default ? " AND NOT (" : " AND (";
      Append(branch, StagesCondition(stages));
      branch.sql += ")";
    }
    out.push_back(std::move(branch));
  }
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

// " AND [NOT] <table>.id IN (SELECT record_id FROM custom_field_values ...)": the records with a
// value of the field that matches (FieldCondition). Numbers are stored as their text; the cast
// sits inside a CASE on the field so that PostgreSQL, which may evaluate WHERE terms in any
// order, never casts another field's text.
Status AppendFieldCondition(const TableTraits& table, const FieldCondition& c,
                            SqlCondition& filters) {
  using Match = FieldCondition::Match;
  if (c.match == Match::kUnresolved) {
    return Status::Internal("filter custom_fields_values was not resolved against its field");
  }
  const std::string name(table.table);
  filters.sql += " AND " + name + (c.negate ? ".id NOT IN" : ".id IN") +
                 " (SELECT v.record_id FROM custom_field_values AS v WHERE v.account_id = " + name +
                 ".account_id AND v.entity_type = ? AND v.field_id = ?";
  filters.params.emplace_back(name);
  filters.params.emplace_back(c.field_id);
  const std::string number =
      "(CASE WHEN v.field_id = ? THEN CAST(v.value AS DOUBLE PRECISION) END)";
  auto number_term = [&](std::string_view op, std::size_t n) {
    filters.sql += " AND " + number + std::string(op);
    filters.sql += n == 0 ? " ?" : " (" + Placeholders(n) + ")";
    filters.params.emplace_back(c.field_id);
  };
  switch (c.match) {
    case Match::kText:
      if (c.texts.empty()) break;
      filters.sql += " AND v.value";
      filters.sql += c.texts.size() == 1 ? " = ?" : " IN (" + Placeholders(c.texts.size()) + ")";
      for (const std::string& text : c.texts) filters.params.emplace_back(text);
      break;
    case Match::kEnum:
      if (c.enum_ids.empty()) break;
      filters.sql += " AND ";
      AppendIn("v.enum_id", c.enum_ids, filters);
      break;
    case Match::kNumber:
      if (!c.numbers.empty()) {
        number_term(" IN", c.numbers.size());
        for (double d : c.numbers) filters.params.emplace_back(d);
      }
      if (c.from) {
        number_term(" >=", 0);
        filters.params.emplace_back(*c.from);
      }
      if (c.to) {
        number_term(" <=", 0);
        filters.params.emplace_back(*c.to);
      }
      break;
    case Match::kUnresolved:
      break;
  }
  filters.sql += ")";
  return Status::Ok();
}

// The caller's filters as " AND ..." terms (empty when there are none).
Result<SqlCondition> CallerFilters(const TableTraits& table, const ListQuery& q) {
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
  if (!q.updated_by.empty() && !table.updated_by) return Unsupported(table, "updated_by");
  if (!q.task_type_ids.empty() && !table.task_type) return Unsupported(table, "task_type");
  if (!q.categories.empty() && !table.category) return Unsupported(table, "category");
  if (!q.customer_status_ids.empty() && !table.customer_status) return Unsupported(table, "status");
  if (!q.next_date.empty() && !table.next_date) return Unsupported(table, "next_date");
  if (!q.tag_ids.empty() && !table.tags) return Unsupported(table, "tags");
  if (!q.custom_fields.empty() && !table.custom_fields) {
    return Unsupported(table, "custom_fields_values");
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
  if (!q.updated_by.empty()) {
    filters.sql += " AND ";
    AppendIn("updated_by", q.updated_by, filters);
  }
  if (!q.task_type_ids.empty()) {
    filters.sql += " AND ";
    AppendIn("task_type_id", q.task_type_ids, filters);
  }
  if (!q.categories.empty()) {
    filters.sql += " AND category";
    filters.sql +=
        q.categories.size() == 1 ? " = ?" : " IN (" + Placeholders(q.categories.size()) + ")";
    for (const std::string& category : q.categories) filters.params.emplace_back(category);
  }
  AddRange("created_at", q.created_at, filters);
  AddRange("updated_at", q.updated_at, filters);
  AddRange("closed_at", q.closed_at, filters);
  AddRange("price", q.price, filters);
  if (!q.customer_status_ids.empty()) {
    filters.sql += " AND ";
    AppendIn("status_id", q.customer_status_ids, filters);
  }
  AddRange("next_date", q.next_date, filters);
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
  if (!q.tag_ids.empty()) {
    // The table is never aliased in a WHERE of BuildSelect/BuildCount (plain or merged
    // shape), so its name qualifies the record's columns inside the subquery.
    const std::string name(table.table);
    filters.sql += " AND " + name + ".id IN (SELECT rt.record_id FROM record_tags AS rt WHERE " +
                   "rt.account_id = " + name + ".account_id AND rt.entity_type = ? AND ";
    filters.params.emplace_back(name);
    AppendIn("rt.tag_id", q.tag_ids, filters);
    if (q.tags_all) {
      std::vector<std::int64_t> distinct = q.tag_ids;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      filters.sql += " GROUP BY rt.record_id HAVING COUNT(DISTINCT rt.tag_id) = ?";
      filters.params.emplace_back(static_cast<std::int64_t>(distinct.size()));
    }
    filters.sql += ")";
  }
  for (const FieldCondition& condition : q.custom_fields) {
    GH_RETURN_IF_ERROR(AppendFieldCondition(table, condition, filters));
  }
  return filters;
}

// Where a keyset page starts, as " AND ..." terms (empty without a cursor). The redundant
// `column <= ?` (or >=) is what lets an index start at the cursor rather than at the top.
SqlCondition AfterCursor(const ListQuery& query) {
  SqlCondition out;
  if (!query.after) return out;
  const bool desc = query.order_direction == OrderDirection::kDesc;
  const std::string cmp = desc ? " < ?" : " > ?";
  if (query.order_field == OrderField::kId) {
    And(out, "id" + cmp);
    out.params.emplace_back(query.after->id);
    return out;
  }
  const std::string column(OrderColumn(query.order_field));
  And(out, column + (desc ? " <= ?" : " >= ?") + " AND (" + column + cmp + " OR (" + column +
               " = ? AND id" + cmp + "))");
  out.params.insert(out.params.end(), 3, Value(query.after->value));
  out.params.emplace_back(query.after->id);
  return out;
}

// "account_id = ? AND <permission><filters><after>": the account always comes first.
SqlCondition Scoped(domain::AccountId account_id, const SqlCondition& permission,
                    const SqlCondition& filters, const SqlCondition& after) {
  SqlCondition where;
  where.sql = "account_id = ?";
  where.params.emplace_back(account_id);
  if (!permission.sql.empty()) {
    where.sql += " AND ";
    Append(where, permission);
  }
  Append(where, filters);
  Append(where, after);
  return where;
}

// The permission branches when the merged shapes apply (see sql_filter.h), else empty.
std::vector<SqlCondition> MergeableBranches(const TableTraits& table,
                                            const policy::ListFilter& permission,
                                            const ListQuery& q) {
  if (!q.ids.empty()) return {};
  std::vector<SqlCondition> branches = PermissionBranches(permission, table.stages);
  if (branches.size() < 2 || branches.size() > kMaxMergedBranches) return {};
  return branches;
}

// "updated_at DESC, id DESC" and the like, for the columns named `value` and `id`.
std::string OrderBy(const ListQuery& q, std::string_view value, std::string_view id) {
  const std::string dir = q.order_direction == OrderDirection::kDesc ? " DESC" : " ASC";
  std::string out;
  if (q.order_field != OrderField::kId) out = std::string(value) + dir + ", ";
  return out + std::string(id) + dir;
}

}  // namespace

Result<SqlStatement> BuildSelect(const TableTraits& table, std::string_view columns,
                                 const policy::ListFilter& filter, const ListQuery& query,
                                 domain::AccountId account_id, int limit, std::int64_t offset) {
  GH_ASSIGN_OR_RETURN(SqlCondition filters, CallerFilters(table, query));
  SqlStatement out;
  const SqlCondition permission = PermissionCondition(filter, table.stages);
  if (permission.matches_nothing) {
    out.matches_nothing = true;
    return out;
  }
  const SqlCondition after = AfterCursor(query);
  const std::int64_t skip = query.after ? 0 : std::max<std::int64_t>(offset, 0);
  const std::string name(table.table);
  const std::string column(OrderColumn(query.order_field));
  std::vector<SqlCondition> branches;
  if (query.order_field == OrderField::kUpdatedAt) {
    branches = MergeableBranches(table, filter, query);
  }
  if (branches.empty()) {
    SqlCondition where = Scoped(account_id, permission, filters, after);
    out.sql = "SELECT " + std::string(columns) + " FROM " + name + " WHERE " + where.sql +
              " ORDER BY " + OrderBy(query, column, "id") + " LIMIT ?";
    out.params = std::move(where.params);
    out.params.emplace_back(std::int64_t{limit});
    if (skip > 0) {
      out.sql += " OFFSET ?";
      out.params.emplace_back(skip);
    }
    return out;
  }
  // Each branch yields its first skip+limit keys straight from an index; only the rows of the
  // keys that survive the merge are read.
  std::string keys;
  for (std::size_t i = 0; i < branches.size(); ++i) {
    SqlCondition where = Scoped(account_id, branches[i], filters, after);
    keys += i == 0 ? "" : " UNION ALL ";
    keys += "SELECT * FROM (SELECT " + column + " AS k_value, id AS k_id FROM " + name + " WHERE " +
            where.sql + " ORDER BY " + OrderBy(query, column, "id") + " LIMIT ?) AS b" +
            std::to_string(i + 1);
    out.params.insert(out.params.end(), where.params.begin(), where.params.end());
    out.params.emplace_back(skip + limit);
  }
  out.sql = "SELECT " + std::string(columns) + " FROM (SELECT k_value, k_id FROM (" + keys +
            ") AS u ORDER BY " + OrderBy(query, "k_value", "k_id") + " LIMIT ?";
  out.params.emplace_back(std::int64_t{limit});
  if (skip > 0) {
    out.sql += " OFFSET ?";
    out.params.emplace_back(skip);
  }
  out.sql += ") AS p JOIN " + name + " ON " + name + ".id = p.k_id ORDER BY " +
             OrderBy(query, "p.k_value", "p.k_id");
  out.value_independent_plan = filters.sql.empty();
  return out;
}

Result<SqlStatement> BuildCount(const TableTraits& table, const policy::ListFilter& filter,
                                const ListQuery& query, domain::AccountId account_id) {
  GH_ASSIGN_OR_RETURN(SqlCondition filters, CallerFilters(table, query));
  SqlStatement out;
  const SqlCondition permission = PermissionCondition(filter, table.stages);
  if (permission.matches_nothing) {
    out.matches_nothing = true;
    return out;
  }
  const std::string count = "SELECT COUNT(*) FROM " + std::string(table.table) + " WHERE ";
  // Without stage audiences the single predicate is already one index range per user
  // (`responsible_user_id IN (...)`); splitting it only adds planning.
  std::vector<SqlCondition> branches;
  if (table.stages && !filter.stages.empty()) {
    branches = MergeableBranches(table, filter, query);
  }
  if (branches.empty()) branches.push_back(permission);
  // The branches are disjoint, so their counts add up (BIGINT + BIGINT on PostgreSQL).
  for (std::size_t i = 0; i < branches.size(); ++i) {
    SqlCondition where = Scoped(account_id, branches[i], filters, SqlCondition{});
    if (branches.size() == 1) {
      out.sql = count + where.sql;
    } else {
      out.sql += (i == 0 ? "SELECT (" : " + (") + count + where.sql + ")";
    }
    out.params.insert(out.params.end(), where.params.begin(), where.params.end());
  }
  return out;
}

SqlStatement BuildDifferenceCount(const TableTraits& table, const policy::ListFilter& allowed,
                                  const policy::ListFilter& minus, domain::AccountId account_id) {
  SqlStatement out;
  const SqlCondition admitted = PermissionCondition(allowed, table.stages);
  const SqlCondition removed = PermissionCondition(minus, table.stages);
  // An empty, matching condition is "every row": nothing is left after taking it away.
  if (admitted.matches_nothing || (!removed.matches_nothing && removed.sql.empty())) {
    out.matches_nothing = true;
    return out;
  }
  SqlCondition where = Scoped(account_id, admitted, SqlCondition{}, SqlCondition{});
  if (!removed.matches_nothing) {
    where.sql += " AND NOT COALESCE((";
    Append(where, removed);
    where.sql += "), FALSE)";
  }
  out.sql = "SELECT COUNT(*) FROM " + std::string(table.table) + " WHERE " + where.sql;
  out.params = std::move(where.params);
  return out;
}

}  // namespace gatehouse::storage
