// Reading the totals (migrations 9 and 10): the counters a count needs, counts answered from
// them, and the verification of the contact, company and task totals against the rows.
#include <algorithm>
#include <string>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// Past this many users a count reads every counter of the account (a few thousand rows at
// most) rather than bind a longer IN list.
constexpr std::size_t kMaxListedUsers = 500;

// " AND responsible_user_id IN (...)" over `needed`, or nothing when it lists too many users.
void AppendUsers(const policy::CellsNeeded& needed, std::string& sql, Params& params) {
  if (needed.users.size() > kMaxListedUsers) return;
  std::vector<domain::UserId> users;
  if (needed.rollups) users.push_back(policy::kEveryone);
  users.insert(users.end(), needed.users.begin(), needed.users.end());
  AndIn(sql, params, "responsible_user_id", users);
}

}  // namespace

bool AnsweredByTotals(DataSet data_set, const ListQuery& q) {
  if (data_set == DataSet::kIncomingLeads) return false;
  if (data_set != DataSet::kLeads && (!q.pipeline_ids.empty() || !q.stages.empty())) return false;
  return q.ids.empty() && q.text.empty() && q.names.empty() && q.created_by.empty() &&
         q.updated_by.empty() && q.task_type_ids.empty() && q.categories.empty() &&
         q.created_at.empty() && q.updated_at.empty() && q.closed_at.empty() &&
         q.closest_task_at.empty() && q.price.empty() && !q.is_completed && !q.entity_type &&
         q.entity_ids.empty() && q.customer_status_ids.empty() && q.next_date.empty() &&
         q.tag_ids.empty() && q.custom_fields.empty();
}

TotalsQuery ToTotalsQuery(const policy::ListFilter& permission, const ListQuery& query) {
  TotalsQuery out{
      .allowed = permission, .pipeline_ids = query.pipeline_ids, .stages = query.stages};
  if (!query.responsible_user_ids.empty()) out.responsible_user_ids = query.responsible_user_ids;
  return out;
}

namespace {

// The SELECT of ReadTotals with kept stages, up to its WHERE (one placeholder: the account,
// which the caller binds after the stages this appends to `params`). Summed per responsible user
// in SQL: the stages of `kept_stages` keep their own cells, every other stage goes into the stage
// {0, 0}. One row per user (and per kept stage and user) instead of one per stage and user.
std::string SummedLeadTotalsSelect(const std::vector<domain::StageKey>& kept_stages,
                                   Params& params) {
  std::string kept;
  for (std::size_t i = 0; i < kept_stages.size(); ++i) {
    kept +=
        i == 0 ? "(pipeline_id = ? AND status_id = ?)" : " OR (pipeline_id = ? AND status_id = ?)";
  }
  std::string sql;
  if (kept.empty()) {
    sql = "SELECT 0, 0, responsible_user_id, ";
  } else {
    sql = "SELECT CASE WHEN " + kept + " THEN pipeline_id ELSE 0 END, CASE WHEN " + kept +
          " THEN status_id ELSE 0 END, responsible_user_id, ";
    for (int copy = 0; copy < 2; ++copy) {
      for (const domain::StageKey& stage : kept_stages) {
        params.push_back(Int(stage.pipeline_id));
        params.push_back(Int(stage.status_id));
      }
    }
  }
  return sql +
         "CAST(SUM(lead_count) AS BIGINT), CAST(SUM(price_sum) AS BIGINT) FROM lead_totals "
         "WHERE account_id = ? AND lead_count <> 0";
}

// The stages any filter of `pairs` lists, sorted, once each.
std::vector<domain::StageKey> ListedStages(
    std::span<const std::pair<policy::ListFilter, policy::ListFilter>> pairs) {
  std::vector<domain::StageKey> listed;
  for (const auto& [allowed, minus] : pairs) {
    for (const policy::ListFilter* filter : {&allowed, &minus}) {
      for (const policy::StageAudience& s : filter->stages) listed.push_back(s.stage);
    }
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  return listed;
}

// A row of ReadTotals' query: pipeline, status, responsible user, count, price.
policy::CellTotals CellTotalsOf(const std::vector<Value>& row) {
  RowReader r(row);
  return {.stage = {.pipeline_id = r.Int(), .status_id = r.Int()},
          .responsible_user_id = r.Int(),
          .count = r.Int(),
          .price = r.Int()};
}

}  // namespace

Result<std::vector<policy::CellTotals>> AccountReader::ReadTotals(
    DataSet data_set, const policy::CellsNeeded& needed, std::span<const PipelineId> pipeline_ids,
    const std::vector<domain::StageKey>* kept_stages) const {
  std::vector<policy::CellTotals> out;
  if (data_set == DataSet::kIncomingLeads) {
    return Status::Invalid("incoming leads have no totals");
  }
  if (!needed.rollups && needed.users.empty()) return out;
  Params params;
  std::string sql;
  const bool leads = data_set == DataSet::kLeads;
  if (leads && kept_stages != nullptr) {
    sql = SummedLeadTotalsSelect(*kept_stages, params);
    params.push_back(Int(account_id_));
  } else if (leads) {
    sql =
        "SELECT pipeline_id, status_id, responsible_user_id, lead_count, price_sum FROM "
        "lead_totals WHERE account_id = ? AND lead_count <> 0";
    params.push_back(Int(account_id_));
  } else {
    sql =
        "SELECT 0, 0, responsible_user_id, record_count, 0 FROM record_totals WHERE "
        "account_id = ? AND data_set = ? AND record_count <> 0";
    params.push_back(Int(account_id_));
    params.push_back(Text(std::string(TotalsName(data_set))));
  }
  if (leads) AndIn(sql, params, "pipeline_id", pipeline_ids);
  AppendUsers(needed, sql, params);
  if (leads && kept_stages != nullptr) {
    sql += kept_stages->empty() ? " GROUP BY responsible_user_id" : " GROUP BY 1, 2, 3";
  }
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<policy::CellTotals>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    out.reserve(rows.rows.size());
    for (const auto& row : rows.rows) out.push_back(CellTotalsOf(row));
    return out;
  });
}

Result<std::map<domain::StageKey, policy::Totals>> AccountReader::TotalsByStage(
    DataSet data_set, const TotalsQuery& query) const {
  std::vector<domain::UserId> responsible;
  if (query.responsible_user_ids) {
    responsible = *query.responsible_user_ids;
    std::sort(responsible.begin(), responsible.end());
    responsible.erase(std::unique(responsible.begin(), responsible.end()), responsible.end());
  }
  const std::vector<domain::UserId>* restriction =
      query.responsible_user_ids ? &responsible : nullptr;
  const policy::CellsNeeded needed = policy::NeededFor(query.allowed, query.minus, restriction);
  GH_ASSIGN_OR_RETURN(std::vector<policy::CellTotals> cells,
                      ReadTotals(data_set, needed, query.pipeline_ids));
  if (data_set == DataSet::kLeads && !query.stages.empty()) {
    std::erase_if(cells, [&](const policy::CellTotals& cell) {
      return std::find(query.stages.begin(), query.stages.end(), cell.stage) == query.stages.end();
    });
  }
  return policy::TotalsByStage(data_set, query.allowed, query.minus, cells, restriction);
}

Result<std::vector<std::int64_t>> AccountReader::CountPermissionDifferences(
    DataSet data_set,
    std::span<const std::pair<policy::ListFilter, policy::ListFilter>> pairs) const {
  std::vector<std::int64_t> out;
  if (fixed_ != nullptr || data_set == DataSet::kIncomingLeads) {
    for (const auto& [allowed, minus] : pairs) {
      GH_ASSIGN_OR_RETURN(std::int64_t count, CountPermissionDifference(data_set, allowed, minus));
      out.push_back(count);
    }
    return out;
  }
  // One read of every counter any pair needs, then each pair from its own users' cells.
  std::vector<policy::CellsNeeded> needs;
  policy::CellsNeeded all;
  for (const auto& [allowed, minus] : pairs) {
    needs.push_back(policy::NeededFor(allowed, minus));
    all.rollups = all.rollups || needs.back().rollups;
    all.users.insert(all.users.end(), needs.back().users.begin(), needs.back().users.end());
  }
  std::sort(all.users.begin(), all.users.end());
  all.users.erase(std::unique(all.users.begin(), all.users.end()), all.users.end());
  // Outside the stages some filter lists, every filter has its `otherwise` audience, so the
  // answer depends only on each user's sum over those stages: the database sums them (into the
  // stage {0, 0}, which no filter lists, so that TotalsByStage applies `otherwise` to it), and
  // the rows read are one per user rather than one per stage and user.
  std::vector<domain::StageKey> listed;
  if (data_set == DataSet::kLeads) listed = ListedStages(pairs);
  GH_ASSIGN_OR_RETURN(std::vector<policy::CellTotals> cells,
                      ReadTotals(data_set, all, {}, &listed));
  std::map<domain::UserId, std::vector<policy::CellTotals>> by_user;
  for (const policy::CellTotals& cell : cells) by_user[cell.responsible_user_id].push_back(cell);
  std::vector<policy::CellTotals> some;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    some.clear();
    auto take = [&](domain::UserId user) {
      if (auto it = by_user.find(user); it != by_user.end()) {
        some.insert(some.end(), it->second.begin(), it->second.end());
      }
    };
    if (needs[i].rollups) take(policy::kEveryone);
    for (domain::UserId user : needs[i].users) take(user);
    std::int64_t count = 0;
    for (const auto& [stage, totals] :
         policy::TotalsByStage(data_set, pairs[i].first, pairs[i].second, some)) {
      count += totals.count;
    }
    out.push_back(count);
  }
  return out;
}

Result<std::vector<RecordTotalsDifference>> AccountReader::VerifyRecordTotals() const {
  // Stored counters and GROUP BY over each table (per user, and -1 for the whole table), in one
  // statement so that PostgreSQL compares one snapshot.
  std::string sql =
      "SELECT data_set, responsible_user_id, CAST(SUM(sc) AS BIGINT), CAST(SUM(ac) AS BIGINT) "
      "FROM (SELECT data_set, responsible_user_id, record_count AS sc, 0 AS ac FROM "
      "record_totals WHERE account_id = ?";
  Params params{Int(account_id_)};
  for (std::string_view table : {"contacts", "companies", "tasks", "customers"}) {
    const std::string name(table);
    sql += " UNION ALL SELECT '" + name + "', COALESCE(responsible_user_id, 0), 0, COUNT(*) FROM " +
           name + " WHERE account_id = ? GROUP BY COALESCE(responsible_user_id, 0)";
    sql +=
        " UNION ALL SELECT '" + name + "', -1, 0, COUNT(*) FROM " + name + " WHERE account_id = ?";
    params.push_back(Int(account_id_));
    params.push_back(Int(account_id_));
  }
  sql +=
      ") AS t GROUP BY data_set, responsible_user_id HAVING SUM(sc) <> SUM(ac) "
      "ORDER BY data_set, responsible_user_id";
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<RecordTotalsDifference>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    std::vector<RecordTotalsDifference> out;
    for (const auto& row : rows.rows) {
      RowReader r(row);
      out.push_back({.data_set = r.Text(),
                     .responsible_user_id = r.Int(),
                     .stored_count = r.Int(),
                     .actual_count = r.Int()});
    }
    return out;
  });
}

}  // namespace gatehouse::storage
