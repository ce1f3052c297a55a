// Pipelines and their stages: reading them (sorted) and writing them with their rules (a main
// pipeline, an incoming stage, won 142 and lost 143 in every pipeline).
#include <map>
#include <utility>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

Result<std::vector<domain::Pipeline>> LoadPipelines(sql::Connection& c, AccountId account,
                                                    PipelineId only) {
  Where pipelines{"account_id = ?", {Int(account)}};
  pipelines.Add("id = ?", only != 0, Int(only));
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT id, name, sort, is_main FROM pipelines "
                                              "WHERE " +
                                                  pipelines.sql + " ORDER BY sort, id",
                                              pipelines.params));
  std::vector<domain::Pipeline> out;
  std::map<PipelineId, std::size_t> index;
  for (const auto& r : rows.rows) {
    RowReader row(r);
    out.push_back(
        {.id = row.Int(), .name = row.Text(), .sort = row.SmallInt(), .is_main = row.Bool()});
    index[out.back().id] = out.size() - 1;
  }
  Where stages_of{"account_id = ?", {Int(account)}};
  stages_of.Add("pipeline_id = ?", only != 0, Int(only));
  GH_ASSIGN_OR_RETURN(sql::Rows stages,
                      c.Query("SELECT pipeline_id, status_id, name, sort, type, color FROM "
                              "statuses WHERE " +
                                  stages_of.sql + " ORDER BY pipeline_id, sort, status_id",
                              stages_of.params));
  for (const auto& r : stages.rows) {
    RowReader row(r);
    auto it = index.find(row.Int());
    if (it == index.end()) continue;
    out[it->second].stages.push_back({.id = row.Int(),
                                      .name = row.Text(),
                                      .sort = row.SmallInt(),
                                      .type = row.SmallInt(),
                                      .color = row.Text()});
  }
  return out;
}

}  // namespace

Result<std::vector<domain::Pipeline>> AccountReader::ListPipelines() const {
  return WithConnection([&](sql::Connection& c) { return LoadPipelines(c, account_id_, 0); });
}

Result<domain::Pipeline> AccountReader::GetPipeline(PipelineId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<domain::Pipeline> {
    if (id == 0) return Status::NotFound("pipeline not found");
    GH_ASSIGN_OR_RETURN(auto pipelines, LoadPipelines(c, account_id_, id));
    if (pipelines.empty()) return Status::NotFound("pipeline not found");
    return std::move(pipelines.front());
  });
}

namespace {

Result<StatusId> NewStatusId(sql::Connection& c, AccountId account) {
  Params params{Int(account)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("INSERT INTO stage_ids (account_id) VALUES (?) RETURNING id", params));
  // Offset keeps generated ids clear of the shared closing stages 142 and 143.
  return 1000 + sql::AsInt(rows.rows.at(0).at(0));
}

Status InsertStatus(sql::Connection& c, AccountId account, PipelineId pipeline,
                    const domain::Stage& stage) {
  Params params{Int(account),    Int(pipeline),   Int(stage.id),    Text(stage.name),
                Int(stage.sort), Int(stage.type), Text(stage.color)};
  return c
      .Execute(
          "INSERT INTO statuses (account_id, pipeline_id, status_id, name, sort, type, color) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

Status RequireName(std::string_view name, std::string field) {
  if (!name.empty()) return Status::Ok();
  return Status::InvalidField(std::move(field), "Required", "name is required");
}

}  // namespace

Result<domain::Pipeline> AccountWriter::CreatePipeline(std::string_view name, int sort,
                                                       bool is_main,
                                                       const std::vector<domain::Stage>& stages) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  Params count_params{Int(account_id_)};
  GH_ASSIGN_OR_RETURN(sql::Rows count, fixed_->Query("SELECT COUNT(*) FROM pipelines WHERE "
                                                     "account_id = ?",
                                                     count_params));
  const std::int64_t existing = sql::AsInt(count.rows.at(0).at(0));
  if (existing >= 50) {
    return Status::Error(Code::kFailedPrecondition, "an account has at most 50 pipelines");
  }
  if (stages.size() > 97) {
    return Status::InvalidField("_embedded.statuses", "TooMany",
                                "a pipeline has at most 100 stages, system stages included");
  }
  if (existing == 0) is_main = true;
  if (is_main) {
    GH_RETURN_IF_ERROR(
        fixed_->Execute("UPDATE pipelines SET is_main = 0 WHERE account_id = ?", count_params)
            .status());
  }
  Params params{Int(account_id_), Text(std::string(name)), Int(sort), Bool(is_main), Int(Now())};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO pipelines (account_id, name, sort, is_main, "
                                    "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    params));
  const PipelineId id = sql::AsInt(rows.rows.at(0).at(0));
  std::vector<domain::Stage> all;
  GH_ASSIGN_OR_RETURN(StatusId incoming, NewStatusId(*fixed_, account_id_));
  all.push_back({incoming, "Incoming leads", 10, domain::kStageTypeIncoming});
  for (std::size_t i = 0; i < stages.size(); ++i) {
    GH_RETURN_IF_ERROR(
        RequireName(stages[i].name, "_embedded.statuses." + std::to_string(i) + ".name"));
    GH_ASSIGN_OR_RETURN(StatusId status_id, NewStatusId(*fixed_, account_id_));
    all.push_back({status_id, stages[i].name,
                   stages[i].sort != 0 ? stages[i].sort : 20 + 10 * static_cast<int>(i),
                   domain::kStageTypeNormal, stages[i].color});
  }
  all.push_back({domain::kWonStatusId, "Closed - won", 10000, domain::kStageTypeNormal});
  all.push_back({domain::kLostStatusId, "Closed - lost", 11000, domain::kStageTypeNormal});
  for (const domain::Stage& stage : all) {
    GH_RETURN_IF_ERROR(InsertStatus(*fixed_, account_id_, id, stage));
  }
  return GetPipeline(id);
}

Status AccountWriter::UpdatePipeline(PipelineId id, std::string_view name, int sort, bool is_main) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  if (is_main) {
    Params clear{Int(account_id_)};
    GH_RETURN_IF_ERROR(
        fixed_->Execute("UPDATE pipelines SET is_main = 0 WHERE account_id = ?", clear).status());
  }
  Params params{Text(std::string(name)), Int(sort), Bool(is_main), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE pipelines SET name = ?, sort = ?, is_main = ? WHERE account_id = ? "
                    "AND id = ?",
                    params, "pipeline");
}

Status AccountWriter::DeletePipeline(PipelineId id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(
      auto r, QueryRow(*fixed_,
                       "SELECT (SELECT COUNT(*) FROM pipelines WHERE account_id = p.account_id), "
                       "(SELECT COUNT(*) FROM leads l WHERE l.account_id = p.account_id AND "
                       "l.pipeline_id = p.id), "
                       "(SELECT COUNT(*) FROM incoming_leads i WHERE i.account_id = "
                       "p.account_id AND i.pipeline_id = p.id) "
                       "FROM pipelines p WHERE p.account_id = ? AND p.id = ?",
                       params, "pipeline"));
  if (sql::AsInt(r[0]) <= 1) {
    return Status::Error(Code::kFailedPrecondition, "the last pipeline cannot be deleted");
  }
  if (sql::AsInt(r[1]) + sql::AsInt(r[2]) != 0) {
    return Status::Error(Code::kFailedPrecondition,
                         "the pipeline still has leads; move or delete them first");
  }
  return ExecuteOne(*fixed_, "DELETE FROM pipelines WHERE account_id = ? AND id = ?", params,
                    "pipeline");
}

Result<StatusId> AccountWriter::AddStage(PipelineId pipeline_id, const domain::Stage& stage) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(stage.name, "name"));
  GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, GetPipeline(pipeline_id));
  if (pipeline.stages.size() >= 100) {
    return Status::Error(Code::kFailedPrecondition, "a pipeline has at most 100 stages");
  }
  GH_ASSIGN_OR_RETURN(StatusId id, NewStatusId(*fixed_, account_id_));
  domain::Stage added = stage;
  added.id = id;
  added.type = domain::kStageTypeNormal;
  GH_RETURN_IF_ERROR(InsertStatus(*fixed_, account_id_, pipeline_id, added));
  return id;
}

Status AccountWriter::UpdateStage(PipelineId pipeline_id, const domain::Stage& stage) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(stage.name, "name"));
  Params params{Text(stage.name), Int(stage.sort),  Text(stage.color),
                Int(account_id_), Int(pipeline_id), Int(stage.id)};
  return ExecuteOne(*fixed_,
                    "UPDATE statuses SET name = ?, sort = ?, color = ? WHERE account_id = ? AND "
                    "pipeline_id = ? AND status_id = ?",
                    params, "stage");
}

Status AccountWriter::DeleteStage(PipelineId pipeline_id, StatusId status_id) {
  MarkSecurityChanged();
  GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, GetPipeline(pipeline_id));
  const domain::Stage* target = nullptr;
  const domain::Stage* first_other = nullptr;
  for (const domain::Stage& stage : pipeline.stages) {
    if (stage.id == status_id) target = &stage;
    const bool working = stage.type == domain::kStageTypeNormal &&
                         stage.id != domain::kWonStatusId && stage.id != domain::kLostStatusId;
    if (working && stage.id != status_id && first_other == nullptr) first_other = &stage;
  }
  if (target == nullptr) return Status::NotFound("stage not found");
  if (target->type == domain::kStageTypeIncoming || status_id == domain::kWonStatusId ||
      status_id == domain::kLostStatusId) {
    return Status::Error(Code::kFailedPrecondition, "system stages cannot be deleted");
  }
  if (first_other == nullptr) {
    return Status::Error(Code::kFailedPrecondition, "a pipeline keeps at least one working stage");
  }
  Params move{Int(first_other->id), Int(Now()), Int(account_id_), Int(pipeline_id), Int(status_id)};
  GH_RETURN_IF_ERROR(
      MoveLeads(
          "UPDATE leads SET status_id = ?, updated_at = ? WHERE account_id = ? AND pipeline_id = ? "
          "AND status_id = ?",
          move,
          [&](LeadCell moved) {
            moved.status_id = status_id;
            return moved;
          })
          .status());
  Params params{Int(account_id_), Int(pipeline_id), Int(status_id)};
  return ExecuteOne(*fixed_,
                    "DELETE FROM statuses WHERE account_id = ? AND pipeline_id = ? AND "
                    "status_id = ?",
                    params, "stage");
}

}  // namespace gatehouse::storage
