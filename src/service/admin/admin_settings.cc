// Roles, groups and pipelines. Each write is one transaction holding the change and its
// activity-log entries; the policy is rebuilt after the commit.
#include "service/admin/admin_settings.h"

#include <algorithm>
#include <set>

#include "base/text.h"
#include "policy/roles.h"
#include "service/admin/admin_internal.h"
#include "service/admin/admin_service.h"
#include "service/admin/stage_descriptions.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

using internal::AddError;
using internal::BatchInvalid;
using internal::ItemId;
using internal::RightsEventJson;

constexpr std::size_t kMaxRoleName = 100;
constexpr std::size_t kMaxPipelineName = 100;
constexpr std::size_t kMaxSettingsBatch = 50;

Status NameTaken(std::string path, const std::string& name) {
  return Status::InvalidField(std::move(path), "AlreadyExists",
                              "the name '" + name + "' is already used");
}

nlohmann::json RoleFacts(const domain::Role& role) {
  return {{"name", role.name}, {"rights", RightsEventJson(role.rights)}};
}

// kInvalidArgument at `path` unless `color` is absent or a stage colour ("#rrggbb").
Status CheckStageColor(const std::optional<std::string>& color, std::string path) {
  if (!color || domain::IsStageColor(*color)) return Status::Ok();
  return Status::InvalidField(std::move(path), "InvalidValue",
                              "color must be '#' and six hexadecimal digits (e.g. \"#99ccff\")");
}

// A status's facts in the activity log: its pipeline, name, sort and (when set) colour.
nlohmann::json StageFacts(domain::PipelineId pipeline_id, const domain::Stage& stage) {
  nlohmann::json facts = {{"pipeline_id", pipeline_id}, {"name", stage.name}, {"sort", stage.sort}};
  if (!stage.color.empty()) facts["color"] = stage.color;
  return facts;
}

nlohmann::json PipelineFacts(const domain::Pipeline& p) {
  nlohmann::json statuses = nlohmann::json::array();
  for (const domain::Stage& s : p.stages) statuses.push_back({{"id", s.id}, {"name", s.name}});
  return {{"name", p.name}, {"sort", p.sort}, {"is_main", p.is_main}, {"statuses", statuses}};
}

// Removes the stage rights `drop` selects from every role (and so its holders) and from every
// user without a role, so no right names a stage that no longer exists.
template <typename Pred>
Status DropStageRights(storage::AccountWriter& w, const Pred& drop) {
  return internal::PruneRights(w, [&](domain::Rights& rights) {
    const std::size_t before = rights.stage_rights.size();
    std::erase_if(rights.stage_rights, [&](const domain::StageRights& s) { return drop(s.stage); });
    return rights.stage_rights.size() != before;
  });
}

Result<domain::Role> FindRole(const storage::AccountReader& reader, domain::RoleId id) {
  GH_ASSIGN_OR_RETURN(std::vector<domain::Role> roles, reader.ListRoles());
  for (domain::Role& role : roles) {
    if (role.id == id) return std::move(role);
  }
  return Status::NotFound("role", id);
}

Result<domain::Group> FindGroup(const storage::AccountReader& reader, domain::GroupId id) {
  GH_ASSIGN_OR_RETURN(std::vector<domain::Group> groups, reader.ListGroups());
  for (domain::Group& group : groups) {
    if (group.id == id) return std::move(group);
  }
  return Status::NotFound("group", id);
}

const domain::Stage* FindStage(const domain::Pipeline& pipeline, domain::StatusId id) {
  for (const domain::Stage& stage : pipeline.stages) {
    if (stage.id == id) return &stage;
  }
  return nullptr;
}

}  // namespace

// ---- roles ----

Result<std::vector<domain::Role>> AdminService::ListRoles(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  return deps_.store->Reader(caller.account_id).ListRoles();
}

Result<domain::Role> AdminService::GetRole(const Caller& caller, domain::RoleId id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  return FindRole(deps_.store->Reader(caller.account_id), id);
}

Result<std::vector<std::pair<domain::RoleId, domain::UserId>>> AdminService::RoleHolders(
    const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users,
                      deps_.store->Reader(caller.account_id).ListUsers());
  std::vector<std::pair<domain::RoleId, domain::UserId>> out;
  for (const storage::UserRow& row : users) {
    if (row.user.role_id) out.emplace_back(*row.user.role_id, row.user.id);
  }
  return out;
}

Result<std::vector<domain::Role>> AdminService::CreateRoles(
    const Caller& caller, const std::vector<RoleInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(items.size(), kMaxSettingsBatch, "roles"));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<std::vector<domain::Role>> {
        GH_ASSIGN_OR_RETURN(domain::AccountModel model, w.LoadAccountModel());
        std::set<std::string> names;
        for (const domain::Role& role : model.roles) names.insert(base::AsciiLower(role.name));
        std::vector<ItemErrors> failed;
        std::vector<domain::Role> roles;
        for (std::size_t i = 0; i < items.size(); ++i) {
          std::vector<FieldError> errors;
          domain::Role role{.name = items[i].name.value_or("")};
          if (Status s = internal::CheckName(role.name, "name", kMaxRoleName); !s.ok()) {
            AddError(errors, s);
          } else if (!names.insert(base::AsciiLower(role.name)).second) {
            AddError(errors, NameTaken("name", role.name));
          }
          auto rights =
              ResolveRights(items[i].rights, nullptr, model.pipelines, model.custom_fields);
          if (rights.ok()) {
            role.rights = std::move(rights).value();
          } else {
            AddError(errors, rights.status());
          }
          if (!errors.empty()) {
            failed.push_back({ItemId(items[i].request_id, i), std::move(errors)});
          }
          roles.push_back(std::move(role));
        }
        if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
        for (domain::Role& role : roles) {
          GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
          GH_RETURN_IF_ERROR(RecordEvent(
              w, caller, now,
              {"role_added", "role", role.id, "[]", EventValue("role", RoleFacts(role))}));
        }
        return roles;
      });
}

Status RequireChange(const RoleInput& input) {
  if (input.name || input.rights.HasMatrix()) return Status::Ok();
  return Status::InvalidField("body", "Required", "nothing to change: send name or rights");
}

Result<domain::Role> ApplyRoleInput(const domain::AccountModel& model, domain::RoleId id,
                                    const RoleInput& input) {
  const domain::Role* current = model.FindRole(id);
  if (current == nullptr) return Status::NotFound("role", id);
  domain::Role updated = *current;
  std::vector<FieldError> errors;
  if (input.name) {
    updated.name = *input.name;
    if (Status s = internal::CheckName(updated.name, "name", kMaxRoleName); !s.ok()) {
      AddError(errors, s);
    } else {
      for (const domain::Role& other : model.roles) {
        if (other.id != id && base::AsciiLower(other.name) == base::AsciiLower(updated.name)) {
          AddError(errors, NameTaken("name", updated.name));
          break;
        }
      }
    }
  }
  if (input.rights.HasMatrix()) {
    auto rights =
        ResolveRights(input.rights, &current->rights, model.pipelines, model.custom_fields);
    if (rights.ok()) {
      updated.rights = std::move(rights).value();
    } else {
      AddError(errors, rights.status());
    }
  }
  if (!errors.empty()) {
    std::string message =
        errors.size() == 1 ? errors[0].path + ": " + errors[0].detail : "Request validation failed";
    return Status::Invalid(std::move(message), std::move(errors));
  }
  return updated;
}

Result<domain::Role> AdminService::UpdateRole(const Caller& caller, domain::RoleId id,
                                              const RoleInput& input) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(input));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Result<domain::Role> {
    domain::Role updated;
    GH_ASSIGN_OR_RETURN(domain::AccountModel model, w.LoadAccountModel());
    GH_ASSIGN_OR_RETURN(updated, ApplyRoleInput(model, id, input));
    const domain::Role* current = model.FindRole(id);
    GH_RETURN_IF_ERROR(w.UpdateRole(updated));  // copies the rights to every holder
    nlohmann::json after = RoleFacts(updated);
    after["holders_updated"] = static_cast<std::int64_t>(policy::RoleHolders(model, id).size());
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now,
                    {"role_updated", "role", id, EventValue("role", RoleFacts(*current)),
                     EventValue("role", after)}));
    return updated;
  });
}

Status AdminService::DeleteRole(const Caller& caller, domain::RoleId id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(domain::AccountModel model, w.LoadAccountModel());
    const domain::Role* role = model.FindRole(id);
    if (role == nullptr) return Status::NotFound("role", id);
    const std::size_t holders = policy::RoleHolders(model, id).size();
    if (holders != 0) {
      return Status::Error(Code::kFailedPrecondition,
                           "role " + std::to_string(id) + " is held by " + std::to_string(holders) +
                               " user(s); give them another role or rights first");
    }
    const nlohmann::json before = RoleFacts(*role);
    GH_RETURN_IF_ERROR(w.DeleteRole(id));
    return RecordEvent(w, caller, now,
                       {"role_deleted", "role", id, EventValue("role", before), "[]"});
  });
}

// ---- groups ----

Result<std::vector<domain::Group>> AdminService::ListGroups(const Caller& caller) const {
  return deps_.store->Reader(caller.account_id).ListGroups();
}

Result<std::vector<domain::Group>> AdminService::CreateGroups(
    const Caller& caller, const std::vector<GroupInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(items.size(), kMaxSettingsBatch, "groups"));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<std::vector<domain::Group>> {
        GH_ASSIGN_OR_RETURN(std::vector<domain::Group> groups, w.ListGroups());
        std::set<std::string> names;
        for (const domain::Group& group : groups) names.insert(base::AsciiLower(group.name));
        std::vector<ItemErrors> failed;
        for (std::size_t i = 0; i < items.size(); ++i) {
          std::vector<FieldError> errors;
          if (Status s = internal::CheckName(items[i].name, "name", kMaxGroupName); !s.ok()) {
            AddError(errors, s);
          } else if (!names.insert(base::AsciiLower(items[i].name)).second) {
            AddError(errors, NameTaken("name", items[i].name));
          }
          if (!errors.empty()) {
            failed.push_back({ItemId(items[i].request_id, i), std::move(errors)});
          }
        }
        if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
        std::vector<domain::Group> created;
        for (const GroupInput& item : items) {
          GH_ASSIGN_OR_RETURN(domain::GroupId id, w.CreateGroup(item.name));
          GH_RETURN_IF_ERROR(RecordEvent(
              w, caller, now,
              {"group_added", "group", id, "[]", EventValue("group", {{"name", item.name}})}));
          created.push_back({id, item.name});
        }
        return created;
      });
}

Result<domain::Group> AdminService::RenameGroup(const Caller& caller, domain::GroupId id,
                                                const std::string& name) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckName(name, "name", kMaxGroupName));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Result<domain::Group> {
    domain::Group renamed;
    GH_ASSIGN_OR_RETURN(std::vector<domain::Group> groups, w.ListGroups());
    GH_ASSIGN_OR_RETURN(domain::Group current, FindGroup(w, id));
    for (const domain::Group& other : groups) {
      if (other.id != id && base::AsciiLower(other.name) == base::AsciiLower(name)) {
        return NameTaken("name", name);
      }
    }
    GH_RETURN_IF_ERROR(w.RenameGroup(id, name));
    renamed = {id, name};
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now,
                    {"group_updated", "group", id, EventValue("group", {{"name", current.name}}),
                     EventValue("group", {{"name", name}})}));
    return renamed;
  });
}

Status AdminService::DeleteGroup(const Caller& caller, domain::GroupId id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(domain::Group current, FindGroup(w, id));
    GH_RETURN_IF_ERROR(w.DeleteGroup(id));  // refuses the default group and one with users
    return RecordEvent(
        w, caller, now,
        {"group_deleted", "group", id, EventValue("group", {{"name", current.name}}), "[]"});
  });
}

// ---- pipelines and stages ----

Result<std::vector<domain::Pipeline>> AdminService::ListPipelines(const Caller& caller) const {
  return deps_.store->Reader(caller.account_id).ListPipelines();
}

Result<domain::Pipeline> AdminService::GetPipeline(const Caller& caller,
                                                   domain::PipelineId id) const {
  return deps_.store->Reader(caller.account_id).GetPipeline(id);
}

namespace {

// A pipeline's body writes no stage descriptions: they are the statuses' (their POST and PATCH).
void RefuseStageDescriptions(const PipelineInput& item, std::vector<FieldError>& errors) {
  for (std::size_t j = 0; j < item.stages.size(); ++j) {
    if (item.stages[j].descriptions.empty()) continue;
    errors.push_back({"_embedded.statuses." + std::to_string(j) + ".descriptions", "NotSupported",
                      "descriptions are written through the pipeline's statuses"});
  }
}

// What is wrong with a new pipeline's name and its stages' names.
std::vector<FieldError> NewPipelineErrors(const PipelineInput& item) {
  std::vector<FieldError> errors;
  if (Status s = internal::CheckName(item.name.value_or(""), "name", kMaxPipelineName); !s.ok()) {
    AddError(errors, s);
  }
  for (std::size_t j = 0; j < item.stages.size(); ++j) {
    const std::string path = "_embedded.statuses." + std::to_string(j);
    if (Status s =
            internal::CheckName(item.stages[j].name.value_or(""), path + ".name", kMaxPipelineName);
        !s.ok()) {
      AddError(errors, s);
    }
    if (Status s = CheckStageColor(item.stages[j].color, path + ".color"); !s.ok()) {
      AddError(errors, s);
    }
  }
  RefuseStageDescriptions(item, errors);
  return errors;
}

// Creates one pipeline with its working stages, renames its closing stages (142/143) as asked,
// and logs "pipeline_added".
Result<domain::Pipeline> WriteNewPipeline(storage::AccountWriter& w, const Caller& caller,
                                          std::int64_t now, const PipelineInput& item) {
  std::vector<domain::Stage> working;
  std::vector<const StageInput*> closing;
  for (const StageInput& stage : item.stages) {
    if (stage.id == domain::kWonStatusId || stage.id == domain::kLostStatusId) {
      closing.push_back(&stage);
    } else {
      working.push_back({.id = 0,
                         .name = stage.name.value_or(""),
                         .sort = stage.sort.value_or(0),
                         .type = domain::kStageTypeNormal,
                         .color = stage.color.value_or("")});
    }
  }
  GH_ASSIGN_OR_RETURN(
      domain::Pipeline pipeline,
      w.CreatePipeline(*item.name, item.sort.value_or(0), item.is_main.value_or(false), working));
  for (const StageInput* stage : closing) {
    const domain::Stage* stored = FindStage(pipeline, *stage->id);
    GH_RETURN_IF_ERROR(
        w.UpdateStage(pipeline.id, {.id = *stage->id,
                                    .name = *stage->name,
                                    .sort = stage->sort.value_or(stored ? stored->sort : 10000),
                                    .type = domain::kStageTypeNormal,
                                    .color = stage->color.value_or("")}));
  }
  GH_ASSIGN_OR_RETURN(pipeline, w.GetPipeline(pipeline.id));
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                 {"pipeline_added", "pipeline", pipeline.id, "[]",
                                  EventValue("pipeline", PipelineFacts(pipeline))}));
  return pipeline;
}

}  // namespace

Result<std::vector<domain::Pipeline>> AdminService::CreatePipelines(
    const Caller& caller, const std::vector<PipelineInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(items.size(), kMaxSettingsBatch, "pipelines"));
  std::vector<ItemErrors> failed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<FieldError> errors = NewPipelineErrors(items[i]);
    if (!errors.empty()) failed.push_back({ItemId(items[i].request_id, i), std::move(errors)});
  }
  if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<std::vector<domain::Pipeline>> {
        std::vector<domain::Pipeline> created;
        for (const PipelineInput& item : items) {
          GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, WriteNewPipeline(w, caller, now, item));
          created.push_back(std::move(pipeline));
        }
        return created;
      });
}

Result<domain::Pipeline> AdminService::UpdatePipeline(const Caller& caller, domain::PipelineId id,
                                                      const PipelineInput& input) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  if (!input.name && !input.sort && !input.is_main) {
    return Status::InvalidField("body", "Required",
                                "nothing to change: send name, sort or is_main");
  }
  if (input.name) GH_RETURN_IF_ERROR(internal::CheckName(*input.name, "name", kMaxPipelineName));
  std::vector<FieldError> refused;
  RefuseStageDescriptions(input, refused);
  if (!refused.empty()) {
    return Status::Invalid("descriptions are written through the pipeline's statuses",
                           std::move(refused));
  }
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Result<domain::Pipeline> {
    domain::Pipeline updated;
    GH_ASSIGN_OR_RETURN(const domain::Pipeline current, w.GetPipeline(id));
    if (current.is_main && input.is_main == false) {
      return Status::InvalidField("is_main", "NotSupportedChoice",
                                  "an account keeps one main pipeline: make another pipeline "
                                  "main instead");
    }
    GH_RETURN_IF_ERROR(w.UpdatePipeline(id, input.name.value_or(current.name),
                                        input.sort.value_or(current.sort),
                                        input.is_main.value_or(current.is_main)));
    GH_ASSIGN_OR_RETURN(updated, w.GetPipeline(id));
    nlohmann::json before = PipelineFacts(current), after = PipelineFacts(updated);
    before.erase("statuses");
    after.erase("statuses");
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now,
                    {"pipeline_updated", "pipeline", id, EventValue("pipeline", before),
                     EventValue("pipeline", after)}));
    return updated;
  });
}

Status AdminService::DeletePipeline(const Caller& caller, domain::PipelineId id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(const domain::Pipeline current, w.GetPipeline(id));
    GH_RETURN_IF_ERROR(w.DeletePipeline(id));  // refuses the last one and one with leads
    GH_RETURN_IF_ERROR(
        DropStageRights(w, [id](const domain::StageKey& key) { return key.pipeline_id == id; }));
    return RecordEvent(
        w, caller, now,
        {"pipeline_deleted", "pipeline", id, EventValue("pipeline", PipelineFacts(current)), "[]"});
  });
}

Result<std::vector<domain::Stage>> AdminService::AddStages(
    const Caller& caller, domain::PipelineId pipeline_id, const std::vector<StageInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(items.size(), kMaxSettingsBatch, "statuses"));
  std::vector<ItemErrors> failed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<FieldError> errors;
    if (Status s = internal::CheckName(items[i].name.value_or(""), "name", kMaxPipelineName);
        !s.ok()) {
      AddError(errors, s);
    }
    if (Status s = CheckStageColor(items[i].color, "color"); !s.ok()) AddError(errors, s);
    internal::AddStageDescriptionErrors(items[i].descriptions, errors);
    if (!errors.empty()) failed.push_back({ItemId(items[i].request_id, i), std::move(errors)});
  }
  if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<std::vector<domain::Stage>> {
        std::vector<domain::Stage> added;
        GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, w.GetPipeline(pipeline_id));
        int last_sort = 10;
        for (const domain::Stage& stage : pipeline.stages) {
          if (stage.sort < 10000) last_sort = std::max(last_sort, stage.sort);
        }
        for (const StageInput& item : items) {
          domain::Stage stage{.id = 0,
                              .name = *item.name,
                              .sort = item.sort.value_or(last_sort += 10),
                              .type = domain::kStageTypeNormal,
                              .color = item.color.value_or("")};
          GH_ASSIGN_OR_RETURN(stage.id, w.AddStage(pipeline_id, stage));
          nlohmann::json facts = StageFacts(pipeline_id, stage);
          GH_RETURN_IF_ERROR(internal::WriteStageDescriptions(w, caller, pipeline_id, stage.id,
                                                              item.descriptions, nullptr, facts));
          GH_RETURN_IF_ERROR(
              RecordEvent(w, caller, now,
                          {"status_added", "status", stage.id, "[]", EventValue("status", facts)}));
          added.push_back(std::move(stage));
        }
        return added;
      });
}

Result<domain::Stage> AdminService::UpdateStage(const Caller& caller,
                                                domain::PipelineId pipeline_id,
                                                domain::StatusId status_id,
                                                const StageInput& input) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  if (!input.name && !input.sort && !input.color && input.descriptions.empty()) {
    return Status::InvalidField("body", "Required",
                                "nothing to change: send name, sort, color or descriptions");
  }
  if (input.name) GH_RETURN_IF_ERROR(internal::CheckName(*input.name, "name", kMaxPipelineName));
  GH_RETURN_IF_ERROR(CheckStageColor(input.color, "color"));
  std::vector<FieldError> description_errors;
  internal::AddStageDescriptionErrors(input.descriptions, description_errors);
  if (!description_errors.empty()) {
    std::string message = description_errors.front().detail;
    return Status::Invalid(std::move(message), std::move(description_errors));
  }
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Result<domain::Stage> {
    domain::Stage updated;
    GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, w.GetPipeline(pipeline_id));
    const domain::Stage* current = FindStage(pipeline, status_id);
    if (current == nullptr) {
      return Status::NotFound("status", status_id);
    }
    if (current->type == domain::kStageTypeIncoming) {
      return Status::Error(Code::kFailedPrecondition, "the incoming-leads stage cannot be edited");
    }
    updated = *current;
    if (input.name) updated.name = *input.name;
    if (input.sort) updated.sort = *input.sort;
    if (input.color) updated.color = *input.color;
    GH_RETURN_IF_ERROR(w.UpdateStage(pipeline_id, updated));
    nlohmann::json before = StageFacts(pipeline_id, *current);
    nlohmann::json after = StageFacts(pipeline_id, updated);
    GH_RETURN_IF_ERROR(internal::WriteStageDescriptions(w, caller, pipeline_id, status_id,
                                                        input.descriptions, &before, after));
    GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                   {"status_updated", "status", status_id,
                                    EventValue("status", before), EventValue("status", after)}));
    return updated;
  });
}

Status AdminService::DeleteStage(const Caller& caller, domain::PipelineId pipeline_id,
                                 domain::StatusId status_id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, w.GetPipeline(pipeline_id));
    const domain::Stage* current = FindStage(pipeline, status_id);
    if (current == nullptr) {
      return Status::NotFound("status", status_id);
    }
    const std::string name = current->name;
    GH_RETURN_IF_ERROR(w.DeleteStage(pipeline_id, status_id));  // leads move to the first stage
    GH_RETURN_IF_ERROR(DropStageRights(w, [&](const domain::StageKey& key) {
      return key.pipeline_id == pipeline_id && key.status_id == status_id;
    }));
    return RecordEvent(
        w, caller, now,
        {"status_deleted", "status", status_id,
         EventValue("status", {{"pipeline_id", pipeline_id}, {"name", name}}), "[]"});
  });
}

}  // namespace gatehouse::service
