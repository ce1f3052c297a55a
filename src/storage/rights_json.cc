// nlohmann-json is used here only; its exceptions are caught at this edge.
#include "storage/rights_json.h"

#include <nlohmann/json.hpp>

namespace gatehouse::storage {

using base::Result;
using base::Status;
using nlohmann::json;

std::string RightsToJson(const domain::Rights& rights) {
  json out = json::object();
  for (domain::DataSet data_set : domain::kAllDataSets) {
    json actions = json::object();
    for (domain::Action action : domain::kAllActions) {
      if (!domain::ActionApplies(data_set, action)) continue;
      actions[std::string(domain::ActionName(action))] =
          std::string(1, domain::LevelLetter(rights.Get(data_set, action)));
    }
    out[std::string(domain::DataSetName(data_set))] = std::move(actions);
  }
  json stages = json::array();
  for (const domain::StageRights& stage : rights.stage_rights) {
    json levels = json::object();
    for (domain::Action action : domain::kStageActions) {
      if (auto level = stage.Get(action)) {
        levels[std::string(domain::ActionName(action))] =
            std::string(1, domain::LevelLetter(*level));
      }
    }
    stages.push_back({{"pipeline_id", stage.stage.pipeline_id},
                      {"status_id", stage.stage.status_id},
                      {"rights", std::move(levels)}});
  }
  out["status_rights"] = std::move(stages);
  out["mail_access"] = rights.mail_access;
  out["catalog_access"] = rights.catalog_access;
  out["files_access"] = rights.files_access;
  if (!rights.field_rights.empty()) {  // absent when nothing is restricted (older rows alike)
    json fields = json::object();
    for (const domain::FieldRight& f : rights.field_rights) {
      fields[std::string(domain::DataSetName(f.data_set))][std::to_string(f.field_id)] = {
          {"view", f.view ? "A" : "D"}, {"edit", f.edit ? "A" : "D"}};
    }
    out["custom_fields_rights"] = std::move(fields);
  }
  return out.dump();
}

Result<domain::Rights> RightsFromJson(std::string_view text) {
  try {
    json in = json::parse(text);
    domain::Rights rights;
    for (domain::DataSet data_set : domain::kAllDataSets) {
      auto set = in.find(std::string(domain::DataSetName(data_set)));
      if (set == in.end()) continue;
      for (auto& [name, letter] : set->items()) {
        auto action = domain::ActionFromName(name);
        auto level = domain::LevelFromLetter(letter.get<std::string>());
        if (!action || !level) return Status::Internal("stored rights hold an unknown value");
        rights.Set(data_set, *action, *level);
      }
    }
    if (auto stages = in.find("status_rights"); stages != in.end()) {
      for (const json& entry : *stages) {
        domain::StageRights stage{
            .stage = {.pipeline_id = entry.at("pipeline_id").get<std::int64_t>(),
                      .status_id = entry.at("status_id").get<std::int64_t>()}};
        for (auto& [name, letter] : entry.at("rights").items()) {
          auto action = domain::ActionFromName(name);
          auto level = domain::LevelFromLetter(letter.get<std::string>());
          if (!action || !level) return Status::Internal("stored stage rights are invalid");
          stage.Set(*action, *level);
        }
        rights.stage_rights.push_back(stage);
      }
    }
    rights.mail_access = in.value("mail_access", false);
    rights.catalog_access = in.value("catalog_access", false);
    rights.files_access = in.value("files_access", false);
    if (auto fields = in.find("custom_fields_rights"); fields != in.end() && fields->is_object()) {
      for (auto& [set_name, entries] : fields->items()) {
        auto data_set = domain::RecordDataSetFromName(set_name);
        if (!data_set) return Status::Internal("stored field rights name an unknown data set");
        for (auto& [id, entry] : entries.items()) {
          rights.field_rights.push_back({*data_set, std::stoll(id),
                                         entry.at("view").get<std::string>() == "A",
                                         entry.at("edit").get<std::string>() == "A"});
        }
      }
      domain::NormalizeFieldRights(rights.field_rights);
    }
    return rights;
  } catch (const std::exception& e) {  // json::exception, or std::stoll's
    return Status::Internal(std::string("stored rights are not valid JSON: ") + e.what());
  }
}

std::string StringsToJson(const std::vector<std::string>& values) { return json(values).dump(); }

Result<std::vector<std::string>> StringsFromJson(std::string_view text) {
  if (text.empty()) return std::vector<std::string>{};
  try {
    return json::parse(text).get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return Status::Internal(std::string("stored list is not valid JSON: ") + e.what());
  }
}

}  // namespace gatehouse::storage
