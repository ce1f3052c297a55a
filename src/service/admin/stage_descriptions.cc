// Stage descriptions: checked and written with a stage's add or update, read by every user.
#include "service/admin/stage_descriptions.h"

#include <algorithm>
#include <string>

#include "base/text.h"
#include "service/admin/admin_service.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace internal {

void AddStageDescriptionErrors(const std::vector<StageDescriptionInput>& descriptions,
                               std::vector<FieldError>& errors) {
  for (std::size_t i = 0; i < descriptions.size(); ++i) {
    const std::string path = "descriptions." + std::to_string(i);
    const std::string_view level = domain::StageLevelName(descriptions[i].level);
    const auto first = std::find_if(descriptions.begin(), descriptions.end(), [&](const auto& d) {
      return d.level == descriptions[i].level;
    });
    if (first != descriptions.begin() + static_cast<std::ptrdiff_t>(i)) {
      errors.push_back({path + ".level", "Duplicate",
                        "level " + std::string(level) + " is sent more than once"});
    }
    if (base::CodePoints(descriptions[i].description) > domain::kMaxStageDescription) {
      errors.push_back({path + ".description", "TooLong",
                        "a description has at most " +
                            std::to_string(domain::kMaxStageDescription) + " characters"});
    }
  }
}

Status WriteStageDescriptions(storage::AccountWriter& w, const Caller& caller,
                              domain::PipelineId pipeline_id, domain::StatusId status_id,
                              const std::vector<StageDescriptionInput>& descriptions,
                              nlohmann::json* before, nlohmann::json& after) {
  if (descriptions.empty()) return Status::Ok();
  GH_ASSIGN_OR_RETURN(const std::vector<domain::StageDescription> stored,
                      w.StageDescriptions(pipeline_id));
  nlohmann::json was = nlohmann::json::object(), now = nlohmann::json::object();
  for (const StageDescriptionInput& input : descriptions) {
    const auto current = std::find_if(stored.begin(), stored.end(), [&](const auto& d) {
      return d.status_id == status_id && d.level == input.level;
    });
    const std::string old_text = current == stored.end() ? "" : current->description;
    if (old_text == input.description) continue;
    GH_RETURN_IF_ERROR(w.SetStageDescription(pipeline_id, status_id, input.level, input.description,
                                             caller.user_id));
    const std::string level(domain::StageLevelName(input.level));
    was[level] = old_text;
    now[level] = input.description;
  }
  if (now.empty()) return Status::Ok();
  if (before != nullptr) (*before)["descriptions"] = std::move(was);
  after["descriptions"] = std::move(now);
  return Status::Ok();
}

}  // namespace internal

Result<std::vector<domain::StageDescription>> AdminService::StageDescriptions(
    const Caller& caller, domain::PipelineId pipeline_id) const {
  return deps_.store->Reader(caller.account_id).StageDescriptions(pipeline_id);
}

}  // namespace gatehouse::service
