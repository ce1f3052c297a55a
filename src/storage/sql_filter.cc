// Query building. Only shapes reach the SQL text (how many ids, which filters are present);
// every value goes into the parameter vector, so statement caches stay small and nothing a
// caller sends can change the statement.
#include "storage/sql_filter.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "storage/sql_terms.h"

namespace gatehouse::storage {

using base::Result;
using base::Status;
using policy::Audience;
using sql::Value;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace internal {

// "?, ?, ?" for n values.
std::string Placeholders(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += i == 0 ? "?" : ", ?";
  return text;
}

void Append(SqlCondition& to, const SqlCondition& from) {
  to.sql += from.sql;
  to.params.insert(to.params.end(), from.params.begin(), from.params.end());
}

void And(SqlCondition& where, std::string_view sql) {
  where.sql += " AND ";
  where.sql += sql;
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

}  // namespace internal

namespace {

// The audience's own condition; empty for kAll. Not called for kNone.
SqlCondition AudienceCondition(const Audience& audience) {
  SqlCondition out;
  if (audience.kind == Audience::Kind::kResponsibleIn) {
    AppendIn("responsible_user_id", audience.users, out);
  }
  return out;
}

// The stages `filter` lists, in its order.
std::vector<domain::StageKey> ListedStages(const policy::ListFilter& filter) {
  std::vector<domain::StageKey> listed;
  for (const policy::StageAudience& stage : filter.stages) listed.push_back(stage.stage);
  return listed;
}

// `open` ("(" or "NOT (") + the condition on `stages` + ")", and " AND " the audience's own
// condition when it has one.
SqlCondition StagesTerm(std::string_view open, const std::vector<domain::StageKey>& stages,
                        const Audience& audience) {
  SqlCondition term;
  term.sql = std::string(open);
  Append(term, StagesCondition(stages));
  term.sql += ")";
  SqlCondition condition = AudienceCondition(audience);
  if (!condition.sql.empty()) {
    term.sql += " AND ";
    Append(term, condition);
  }
  return term;
}

// The listed stages that some audience sees, grouped by audience (in order of first listing).
std::vector<std::pair<const Audience*, std::vector<domain::StageKey>>> StagesByAudience(
    const policy::ListFilter& filter) {
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
  return groups;
}

// "((t1) OR (t2) ...)"; matches nothing for no terms.
SqlCondition AnyOf(const std::vector<SqlCondition>& terms) {
  SqlCondition out;
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
    terms.push_back(StagesTerm("NOT (", ListedStages(filter), filter.otherwise));
  }
  // Stages with the same audience share one term.
  for (const auto& [audience, keys] : StagesByAudience(filter)) {
    terms.push_back(StagesTerm("(", keys, *audience));
  }
  return AnyOf(terms);
}

namespace {

// Whether the audience names `user` (kAll does not: its rows have a branch of their own).
bool Names(const Audience& audience, domain::UserId user) {
  return audience.kind == Audience::Kind::kResponsibleIn &&
         std::binary_search(audience.users.begin(), audience.users.end(), user);
}

// Every user some audience of `filter` names, sorted, once each.
std::vector<domain::UserId> NamedUsers(const policy::ListFilter& filter) {
  std::vector<domain::UserId> users;
  if (filter.otherwise.kind == Audience::Kind::kResponsibleIn) users = filter.otherwise.users;
  for (const policy::StageAudience& stage : filter.stages) {
    if (stage.audience.kind == Audience::Kind::kResponsibleIn) {
      users.insert(users.end(), stage.audience.users.begin(), stage.audience.users.end());
    }
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

// The rows of `user` that `filter` admits: responsible_user_id = user, and the stages where the
// user's rows are visible, or not those where they are hidden.
SqlCondition UserBranch(const policy::ListFilter& filter, domain::UserId user) {
  const bool by_default = Names(filter.otherwise, user);
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
  return branch;
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
  // Rows of unlisted stages when they are open to everyone (kAll adds no condition).
  if (otherwise.kind == Audience::Kind::kAll) {
    out.push_back(StagesTerm("NOT (", ListedStages(filter), otherwise));
  }
  // Listed stages open to everyone, one each (the stage index orders each by updated_at).
  for (const policy::StageAudience& stage : filter.stages) {
    if (stage.audience.kind == Audience::Kind::kAll) out.push_back(StagesCondition({stage.stage}));
  }
  // Every other visible row has a named responsible user: one branch per user, with the
  // stages where that user's rows are visible and no kAll stage (those rows are above).
  for (domain::UserId user : NamedUsers(filter)) out.push_back(UserBranch(filter, user));
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

// " LIMIT ?" and, when skip > 0, " OFFSET ?".
void AppendPage(SqlStatement& out, int limit, std::int64_t skip) {
  out.sql += " LIMIT ?";
  out.params.emplace_back(std::int64_t{limit});
  if (skip > 0) {
    out.sql += " OFFSET ?";
    out.params.emplace_back(skip);
  }
}

// The statement of a list no row can enter: it is not run.
SqlStatement MatchesNothing() {
  SqlStatement out;
  out.matches_nothing = true;
  return out;
}

// What every list statement of `table` starts from: the caller's filters of `query` and the
// permission condition of `filter`.
struct ListConditions {
  SqlCondition filters;
  SqlCondition permission;
};
Result<ListConditions> ConditionsOf(const TableTraits& table, const policy::ListFilter& filter,
                                    const ListQuery& query) {
  GH_ASSIGN_OR_RETURN(SqlCondition filters, CallerFilters(table, query));
  return ListConditions{.filters = std::move(filters),
                        .permission = PermissionCondition(filter, table.stages)};
}

}  // namespace

Result<SqlStatement> BuildSelect(const TableTraits& table, std::string_view columns,
                                 const policy::ListFilter& filter, const ListQuery& query,
                                 domain::AccountId account_id, int limit, std::int64_t offset) {
  GH_ASSIGN_OR_RETURN(ListConditions conditions, ConditionsOf(table, filter, query));
  if (conditions.permission.matches_nothing) return MatchesNothing();
  const SqlCondition& filters = conditions.filters;
  const SqlCondition& permission = conditions.permission;
  SqlStatement out;
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
              " ORDER BY " + OrderBy(query, column, "id");
    out.params = std::move(where.params);
    AppendPage(out, limit, skip);
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
            ") AS u ORDER BY " + OrderBy(query, "k_value", "k_id");
  AppendPage(out, limit, skip);
  out.sql += ") AS p JOIN " + name + " ON " + name + ".id = p.k_id ORDER BY " +
             OrderBy(query, "p.k_value", "p.k_id");
  out.value_independent_plan = filters.sql.empty();
  return out;
}

Result<SqlStatement> BuildCount(const TableTraits& table, const policy::ListFilter& filter,
                                const ListQuery& query, domain::AccountId account_id) {
  GH_ASSIGN_OR_RETURN(ListConditions conditions, ConditionsOf(table, filter, query));
  if (conditions.permission.matches_nothing) return MatchesNothing();
  const SqlCondition& filters = conditions.filters;
  const SqlCondition& permission = conditions.permission;
  SqlStatement out;
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

Result<SqlStatement> BuildAggregate(const TableTraits& table, std::string_view columns,
                                    const policy::ListFilter& filter, const ListQuery& query,
                                    domain::AccountId account_id, std::string_view group_by) {
  GH_ASSIGN_OR_RETURN(ListConditions conditions, ConditionsOf(table, filter, query));
  if (conditions.permission.matches_nothing) return MatchesNothing();
  SqlCondition where =
      Scoped(account_id, conditions.permission, conditions.filters, SqlCondition{});
  SqlStatement out;
  out.sql = "SELECT " + std::string(columns) + " FROM " + std::string(table.table) + " WHERE " +
            where.sql;
  if (!group_by.empty()) out.sql += " GROUP BY " + std::string(group_by);
  out.params = std::move(where.params);
  return out;
}

SqlStatement BuildDifferenceCount(const TableTraits& table, const policy::ListFilter& allowed,
                                  const policy::ListFilter& minus, domain::AccountId account_id) {
  const SqlCondition admitted = PermissionCondition(allowed, table.stages);
  const SqlCondition removed = PermissionCondition(minus, table.stages);
  // An empty, matching condition is "every row": nothing is left after taking it away.
  if (admitted.matches_nothing || (!removed.matches_nothing && removed.sql.empty())) {
    return MatchesNothing();
  }
  SqlStatement out;
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
