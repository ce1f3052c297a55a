// Stage descriptions (migration 24): one text per experience level of a stage, read a pipeline
// at a time.
#include <algorithm>
#include <tuple>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::vector<domain::StageDescription>> AccountReader::StageDescriptions(
    PipelineId pipeline_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<domain::StageDescription>> {
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT id, pipeline_id, status_id, level, description, created_at, updated_at, "
                "created_by, updated_by FROM stage_descriptions WHERE account_id = ? AND "
                "pipeline_id = ?",
                Params{Int(account_id_), Int(pipeline_id)}));
    std::vector<domain::StageDescription> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
      RowReader row(r);
      domain::StageDescription d{.id = row.Int(), .pipeline_id = row.Int(), .status_id = row.Int()};
      const std::string level = row.Text();
      // Only the writer below stores levels, from the enum: another name is a damaged row.
      std::optional<domain::StageLevel> parsed = domain::StageLevelFromName(level);
      if (!parsed) return Status::Internal("stage description with unknown level '" + level + "'");
      d.level = *parsed;
      d.description = row.Text();
      d.created_at = row.Int();
      d.updated_at = row.Int();
      d.created_by = row.Int();
      d.updated_by = row.Int();
      out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.status_id, a.level) < std::tie(b.status_id, b.level);
    });
    return out;
  });
}

Status AccountWriter::SetStageDescription(PipelineId pipeline_id, StatusId status_id,
                                          domain::StageLevel level, std::string_view text,
                                          UserId by) {
  // The foreign key names the stage without its account: the account is checked here.
  GH_ASSIGN_OR_RETURN(sql::Rows stage,
                      fixed_->Query("SELECT 1 FROM statuses WHERE account_id = ? AND pipeline_id = "
                                    "? AND status_id = ?",
                                    Params{Int(account_id_), Int(pipeline_id), Int(status_id)}));
  if (stage.empty()) return Status::NotFound("stage not found");
  const std::string level_name(domain::StageLevelName(level));
  if (text.empty()) {
    return fixed_
        ->Execute(
            "DELETE FROM stage_descriptions WHERE account_id = ? AND pipeline_id = ? AND "
            "status_id = ? AND level = ?",
            Params{Int(account_id_), Int(pipeline_id), Int(status_id), Text(level_name)})
        .status();
  }
  const std::int64_t now = Now();
  Params params{
      Int(account_id_), Int(pipeline_id), Int(status_id), Text(level_name), Text(std::string(text)),
      Int(now),         Int(now),         Int(by),        Int(by)};
  return fixed_
      ->Execute(
          "INSERT INTO stage_descriptions (account_id, pipeline_id, status_id, level, description, "
          "created_at, updated_at, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (account_id, pipeline_id, status_id, level) DO UPDATE SET description = "
          "excluded.description, updated_at = excluded.updated_at, updated_by = "
          "excluded.updated_by WHERE stage_descriptions.description <> excluded.description",
          params)
      .status();
}

}  // namespace gatehouse::storage
