// Point-in-time replay: the account model and records as they were at a past time, rebuilt
// from the version rows migration 19's triggers write (see v019_replay_history.cc for what is
// versioned and why). Each version is a row's whole access-relevant state from `at` on; the
// state at T is, per row, the version with the highest seq among those with at <= T.
#include <map>
#include <optional>
#include <vector>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::int64_t> AccountReader::ReplayStart() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::int64_t> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        auto r, QueryRow(c, "SELECT started_at FROM replay_starts WHERE account_id = ?", params,
                         "replay start"));
    return sql::AsInt(r[0]);
  });
}

namespace {

// The users of `account` as they were at `at`, by id, from their latest versions; names and
// emails (not versioned) from `now` for the users that still exist.
Result<std::vector<domain::User>> UsersAt(sql::Connection& c, AccountId account, std::int64_t at,
                                          const std::vector<domain::User>& now) {
  Params params{Int(account), Int(at)};
  // Ascending seq: a later version of the same user replaces an earlier one.
  GH_ASSIGN_OR_RETURN(
      sql::Rows users,
      c.Query("SELECT user_id, removed, " + std::string(kUserAccessColumns) +
                  " FROM user_versions WHERE account_id = ? AND at <= ? ORDER BY seq",
              params));
  std::map<UserId, std::optional<domain::User>> latest;
  for (const auto& row : users.rows) {
    RowReader r(row);
    domain::User user{.id = r.Int()};
    std::optional<domain::User>& slot = latest[user.id];
    if (r.Bool()) {  // removed
      slot.reset();
      continue;
    }
    GH_RETURN_IF_ERROR(ReadUserAccess(r, user));
    slot = std::move(user);
  }
  std::map<UserId, const domain::User*> current;
  for (const domain::User& user : now) current[user.id] = &user;
  std::vector<domain::User> out;
  for (auto& [id, user] : latest) {
    if (!user) continue;
    if (auto it = current.find(id); it != current.end()) {
      user->name = it->second->name;
      user->email = it->second->email;
    }
    out.push_back(std::move(*user));
  }
  return out;
}

// The pipelines of `account` with the stages that existed at `at`, by id; names, order and stage
// types from `now` for what still exists.
Result<std::vector<domain::Pipeline>> PipelinesAt(sql::Connection& c, AccountId account,
                                                  std::int64_t at,
                                                  const std::vector<domain::Pipeline>& now) {
  Params params{Int(account), Int(at)};
  GH_ASSIGN_OR_RETURN(sql::Rows stages,
                      c.Query("SELECT pipeline_id, status_id, removed FROM stage_versions "
                              "WHERE account_id = ? AND at <= ? ORDER BY seq",
                              params));
  std::map<domain::StageKey, bool> exists;
  for (const auto& r : stages.rows) {
    exists[{sql::AsInt(r[0]), sql::AsInt(r[1])}] = sql::AsInt(r[2]) == 0;
  }
  std::map<PipelineId, domain::Pipeline> pipelines;
  for (const auto& [key, present] : exists) {
    if (!present) continue;
    domain::Pipeline& pipeline = pipelines[key.pipeline_id];
    pipeline.id = key.pipeline_id;
    pipeline.stages.push_back({key.status_id, "", 0, domain::kStageTypeNormal});
  }
  for (const domain::Pipeline& current : now) {
    auto it = pipelines.find(current.id);
    if (it == pipelines.end()) continue;
    it->second.name = current.name;
    it->second.sort = current.sort;
    it->second.is_main = current.is_main;
    for (domain::Stage& stage : it->second.stages) {
      for (const domain::Stage& known : current.stages) {
        if (known.id == stage.id) stage = known;
      }
    }
  }
  std::vector<domain::Pipeline> out;
  for (auto& [id, pipeline] : pipelines) out.push_back(std::move(pipeline));
  return out;
}

}  // namespace

Result<domain::AccountModel> AccountReader::LoadAccountModelAt(std::int64_t at) const {
  // Groups, roles and custom fields as now (see store.h); users and stages replace the current
  // ones.
  GH_ASSIGN_OR_RETURN(domain::AccountModel now, LoadAccountModel());
  domain::AccountModel model{.id = account_id_,
                             .groups = std::move(now.groups),
                             .roles = std::move(now.roles),
                             .custom_fields = std::move(now.custom_fields)};
  GH_RETURN_IF_ERROR(WithConnection([&](sql::Connection& c) -> Status {
    GH_ASSIGN_OR_RETURN(model.users, UsersAt(c, account_id_, at, now.users));
    GH_ASSIGN_OR_RETURN(model.pipelines, PipelinesAt(c, account_id_, at, now.pipelines));
    return Status::Ok();
  }));
  return model;
}

Result<std::optional<domain::RecordRef>> AccountReader::RecordAt(domain::DataSet data_set,
                                                                 RecordId id,
                                                                 std::int64_t at) const {
  if (data_set == domain::DataSet::kIncomingLeads) {
    return Status::InvalidField("entity_type", "NotSupportedChoice",
                                "incoming leads have no replay history");
  }
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<domain::RecordRef>> {
    Params params{Int(account_id_), Text(std::string(domain::DataSetName(data_set))), Int(id),
                  Int(at)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT removed, responsible_user_id, pipeline_id, status_id "
                                "FROM record_versions WHERE account_id = ? AND entity_type = ? "
                                "AND record_id = ? AND at <= ? ORDER BY seq DESC LIMIT 1",
                                params));
    std::optional<domain::RecordRef> out;
    if (rows.empty()) return out;
    RowReader row(rows.rows[0]);
    if (row.Bool()) return out;  // removed by then
    out = domain::RecordRef{.data_set = data_set,
                            .responsible_user_id = row.Int(),
                            .pipeline_id = row.Int(),
                            .status_id = row.Int()};
    return out;
  });
}

}  // namespace gatehouse::storage
