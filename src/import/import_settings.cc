// The settings phases of an import: groups, pipelines and their stages, custom fields (and the
// administrator who writes their values), roles and users with their rights, stage
// descriptions.
#include <algorithm>

#include "base/text.h"
#include "http/api/admin/rights_json.h"
#include "import/import_run.h"
#include "policy/account_policy.h"
#include "service/admin/custom_fields.h"
#include "service/events.h"

namespace gatehouse::import::internal {

// The source's rights object with its stage ids made local (an entry naming a stage that
// was not imported is dropped, said in the summary), validated and normalized as
// PATCH /api/v4/users and /roles do (http::api::ParseRights + service::ResolveRights).
Result<domain::Rights> Run::LocalRights(const json& source_rights, service::UserFlagsInput* flags,
                                        const std::string& who) {
  json rights = source_rights.is_object() ? source_rights : json::object();
  if (auto it = rights.find("status_rights"); it != rights.end() && it->is_array()) {
    json kept = json::array();
    for (json entry : *it) {
      const auto pipeline = Local("pipeline", IntOf(entry, "pipeline_id"));
      const std::int64_t status = IntOf(entry, "status_id");
      const auto local_status =
          IsSystemStage(status) ? std::optional<std::int64_t>(status) : Local("status", status);
      if (!pipeline || !local_status) {
        ++left_out_["stage rights naming a stage that was not imported"];
        continue;
      }
      entry["pipeline_id"] = *pipeline;
      entry["status_id"] = *local_status;
      kept.push_back(std::move(entry));
    }
    *it = std::move(kept);
  }
  // Field rights: {"leads": {"<field id>": {"view", "edit"}}, ...}, ids made local.
  if (auto it = rights.find("custom_fields_rights"); it != rights.end() && it->is_object()) {
    json kept = json::object();
    for (const auto& [entity_type, fields] : it->items()) {
      if (!fields.is_object()) continue;
      for (const auto& [field_id, right] : fields.items()) {
        const std::int64_t id = std::strtoll(field_id.c_str(), nullptr, 10);
        if (auto local = Local("field:" + entity_type, id)) {
          kept[entity_type][std::to_string(*local)] = right;
        } else {
          ++left_out_["field rights naming a custom field that was not imported"];
        }
      }
    }
    *it = std::move(kept);
  }
  service::RightsInput input;
  std::vector<base::FieldError> errors;
  http::api::ParseRights(rights, "rights", input, flags, errors);
  if (!errors.empty()) return Status::Invalid("the rights of " + who + " are invalid", errors);
  auto resolved = service::ResolveRights(input, nullptr, pipelines_, local_fields_);
  if (!resolved.ok()) {
    return Status::Invalid("the rights of " + who + " are invalid: " + resolved.status().message(),
                           resolved.status().fields());
  }
  return resolved;
}

Status Run::Groups(const json& account) {
  const json& groups = Embedded(account, "users_groups");
  // Kommo's default group is id 0; a source without one (Gatehouse) lists it first.
  std::int64_t default_id = groups.empty() ? 0 : IntOf(groups.front(), "id");
  for (const json& group : groups) {
    if (IntOf(group, "id") == 0) default_id = 0;
  }
  Status written = store_.Write(account_, [&](AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::GroupId default_group, w.DefaultGroupId());
    default_group_ = default_group;
    for (const json& group : groups) {
      const std::int64_t id = IntOf(group, "id");
      ++counts_["groups"].read;
      if (Local("group", id)) continue;
      storage::GroupId local = default_group;
      if (id != default_id) {
        GH_ASSIGN_OR_RETURN(local, w.CreateGroup(TextOf(group, "name")));
      } else if (!TextOf(group, "name").empty()) {
        GH_RETURN_IF_ERROR(w.RenameGroup(local, TextOf(group, "name")));
      }
      GH_RETURN_IF_ERROR(Remember(w, "group", id, local));
      ++counts_["groups"].created;
    }
    return Status::Ok();
  });
  Progress("groups");
  return written;
}

Status Run::Pipelines() {
  GH_RETURN_IF_ERROR(source_.ForEachPage(
      "/api/v4/leads/pipelines", "", "pipelines",
      [&](const json& items) {
        std::vector<json> sorted(items.begin(), items.end());
        std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
          return IntOf(a, "sort") < IntOf(b, "sort");
        });
        for (const json& pipeline : sorted) source_pipelines_.push_back(IntOf(pipeline, "id"));
        return store_.Write(account_, [&](AccountWriter& w) -> Status {
          for (const json& pipeline : sorted) GH_RETURN_IF_ERROR(Pipeline(w, pipeline));
          return Status::Ok();
        });
      },
      /*paged=*/false));
  GH_ASSIGN_OR_RETURN(pipelines_, store_.Reader(account_).ListPipelines());
  Progress("pipelines");
  return Status::Ok();
}

namespace {

// A source pipeline's statuses in sort order: its incoming stage (if any) and its working
// stages; won and lost are left out (the same ids in every account).
struct SourceStages {
  std::optional<json> incoming;
  std::vector<json> working;
};

SourceStages StagesOf(const json& pipeline) {
  std::vector<json> statuses(Embedded(pipeline, "statuses").begin(),
                             Embedded(pipeline, "statuses").end());
  std::stable_sort(statuses.begin(), statuses.end(), [](const json& a, const json& b) {
    return IntOf(a, "sort") < IntOf(b, "sort");
  });
  SourceStages out;
  for (json& status : statuses) {
    if (IsSystemStage(IntOf(status, "id"))) continue;
    if (IntOf(status, "type") == domain::kStageTypeIncoming) {
      out.incoming = std::move(status);
    } else {
      out.working.push_back(std::move(status));
    }
  }
  return out;
}

// A working stage of the source as it is kept here: name, sort and Kommo's colour (a colour
// that is not '#' and six hex digits is left to the stage's position).
domain::Stage StageOf(const json& status) {
  std::string color = TextOf(status, "color");
  if (!domain::IsStageColor(color)) color.clear();
  return {.id = 0,
          .name = TextOf(status, "name"),
          .sort = static_cast<int>(IntOf(status, "sort")),
          .type = domain::kStageTypeNormal,
          .color = std::move(color)};
}

// The new account's main pipeline takes the source main pipeline's name, sort and working
// stages: its own working stages are renamed in order, then added or deleted to match.
Status ReshapeMainPipeline(AccountWriter& w, const domain::Pipeline& main, const std::string& name,
                           int sort, const std::vector<json>& working) {
  GH_RETURN_IF_ERROR(w.UpdatePipeline(main.id, name, sort, true));
  std::vector<domain::Stage> old;
  for (const domain::Stage& stage : main.stages) {
    if (stage.type == domain::kStageTypeNormal && !IsSystemStage(stage.id)) old.push_back(stage);
  }
  for (std::size_t i = 0; i < working.size(); ++i) {
    domain::Stage stage = StageOf(working[i]);
    if (i < old.size()) {
      stage.id = old[i].id;
      GH_RETURN_IF_ERROR(w.UpdateStage(main.id, stage));
    } else {
      GH_RETURN_IF_ERROR(w.AddStage(main.id, stage).status());
    }
  }
  for (std::size_t i = working.size(); i < old.size(); ++i) {
    GH_RETURN_IF_ERROR(w.DeleteStage(main.id, old[i].id));
  }
  return Status::Ok();
}

}  // namespace

Status Run::Pipeline(AccountWriter& w, const json& pipeline) {
  const std::int64_t id = IntOf(pipeline, "id");
  ++counts_["pipelines"].read;
  if (Local("pipeline", id)) return Status::Ok();
  const SourceStages stages = StagesOf(pipeline);
  const std::string name = TextOf(pipeline, "name");
  const int sort = static_cast<int>(IntOf(pipeline, "sort"));
  GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> locals, w.ListPipelines());
  // The new account's main pipeline (with its two default working stages) becomes the
  // source's main one, so the account has no pipeline the source lacks.
  const domain::Pipeline* main = nullptr;
  for (const domain::Pipeline& local : locals) {
    bool mapped = false;
    for (const auto& [from, to] : Map("pipeline")) mapped = mapped || to == local.id;
    if (local.is_main && !mapped) main = &local;
  }
  domain::PipelineId local_id = 0;
  if (BoolOf(pipeline, "is_main", false) && main != nullptr) {
    local_id = main->id;
    GH_RETURN_IF_ERROR(ReshapeMainPipeline(w, *main, name, sort, stages.working));
  } else {
    std::vector<domain::Stage> created_stages;
    for (const json& status : stages.working) created_stages.push_back(StageOf(status));
    GH_ASSIGN_OR_RETURN(domain::Pipeline created,
                        w.CreatePipeline(name, sort, false, created_stages));
    local_id = created.id;
  }
  GH_RETURN_IF_ERROR(RememberStages(w, local_id, name, stages.incoming, stages.working));
  GH_RETURN_IF_ERROR(Remember(w, "pipeline", id, local_id));
  ++counts_["pipelines"].created;
  return Status::Ok();
}

Status Run::RememberStages(AccountWriter& w, domain::PipelineId local_id, const std::string& name,
                           const std::optional<json>& incoming, const std::vector<json>& working) {
  GH_ASSIGN_OR_RETURN(domain::Pipeline stored, w.GetPipeline(local_id));
  std::vector<domain::Stage> local_working;
  for (const domain::Stage& stage : stored.stages) {
    if (stage.type == domain::kStageTypeIncoming && incoming) {
      GH_RETURN_IF_ERROR(Remember(w, "status", IntOf(*incoming, "id"), stage.id));
    } else if (stage.type == domain::kStageTypeNormal && !IsSystemStage(stage.id)) {
      local_working.push_back(stage);
    }
  }
  std::stable_sort(local_working.begin(), local_working.end(),
                   [](const domain::Stage& a, const domain::Stage& b) { return a.sort < b.sort; });
  if (local_working.size() != working.size()) {
    return Status::Internal("pipeline '" + name + "': " + std::to_string(working.size()) +
                            " stages in the source, " + std::to_string(local_working.size()) +
                            " here");
  }
  for (std::size_t i = 0; i < working.size(); ++i) {
    GH_RETURN_IF_ERROR(Remember(w, "status", IntOf(working[i], "id"), local_working[i].id));
  }
  return Status::Ok();
}

// The descriptions of every pipeline the source lists (with=descriptions on its statuses: Kommo's
// pipeline list does not take it), one transaction per pipeline.
Status Run::StageDescriptions() {
  for (const std::int64_t source_id : source_pipelines_) {
    const auto local = Local("pipeline", source_id);
    if (!local) continue;
    GH_RETURN_IF_ERROR(Pages(
        "/api/v4/leads/pipelines/" + std::to_string(source_id) + "/statuses", "with=descriptions",
        "statuses",
        [&](const json& statuses) {
          Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
            for (const json& status : statuses) {
              auto it = status.find("descriptions");
              if (it == status.end() || !it->is_array()) continue;
              for (const json& d : *it) GH_RETURN_IF_ERROR(StageDescription(w, *local, status, d));
            }
            return Status::Ok();
          });
          Progress("stage_descriptions");
          return s;
        },
        /*paged=*/false));
  }
  return Status::Ok();
}

// One level's text of a stage, written by its last writer (Kommo's dates are not kept: the
// description is dated by its import).
Status Run::StageDescription(AccountWriter& w, domain::PipelineId pipeline, const json& status,
                             const json& description) {
  const std::int64_t id = IntOf(description, "id");
  ++counts_["stage_descriptions"].read;
  if (id != 0 && Local("stage_description", id)) return Status::Ok();
  const std::int64_t source_status = IntOf(status, "id");
  const auto local_status = IsSystemStage(source_status)
                                ? std::optional<std::int64_t>(source_status)
                                : Local("status", source_status);
  const auto level = domain::StageLevelFromName(TextOf(description, "level"));
  const std::string text = TextOf(description, "description");
  if (!local_status || !level) {
    LeaveOut("stage_descriptions",
             "stage descriptions of a stage or level Gatehouse does not keep");
    return Status::Ok();
  }
  if (text.empty()) return Status::Ok();  // no text is no description
  if (base::CodePoints(text) > domain::kMaxStageDescription) {
    LeaveOut("stage_descriptions", "stage descriptions longer than " +
                                       std::to_string(domain::kMaxStageDescription) +
                                       " characters, which Gatehouse does not keep");
    return Status::Ok();
  }
  GH_RETURN_IF_ERROR(w.SetStageDescription(pipeline, *local_status, *level, text,
                                           LocalUser(IntOf(description, "updated_by"))));
  GH_ASSIGN_OR_RETURN(std::vector<domain::StageDescription> stored, w.StageDescriptions(pipeline));
  for (const domain::StageDescription& d : stored) {
    if (id == 0 || d.status_id != *local_status || d.level != *level) continue;
    GH_RETURN_IF_ERROR(Remember(w, "stage_description", id, d.id));
  }
  ++counts_["stage_descriptions"].created;
  return Status::Ok();
}

// Definitions of the custom fields of leads, contacts, companies and customers, with their
// enums (each enum id mapped too: select values and multitext tags name them).
Status Run::CustomFields() {
  for (std::string_view entity : kNoted) {
    const std::string entity_type(entity);
    const domain::DataSet data_set = *domain::RecordDataSetFromName(entity_type);
    GH_RETURN_IF_ERROR(Pages("/api/v4/" + entity_type + "/custom_fields", "", "custom_fields",
                             [&](const json& items) {
                               Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
                                 for (const json& item : items) {
                                   GH_RETURN_IF_ERROR(CustomField(w, entity_type, data_set, item));
                                 }
                                 return Status::Ok();
                               });
                               Progress("custom_fields");
                               return s;
                             }));
  }
  local_fields_.clear();
  for (std::string_view entity : kNoted) {
    const domain::DataSet data_set = *domain::RecordDataSetFromName(entity);
    GH_ASSIGN_OR_RETURN(std::vector<domain::CustomField> fields,
                        store_.Reader(account_).ListCustomFields(data_set));
    for (const domain::CustomField& field : fields) local_fields_.emplace_back(data_set, field.id);
  }
  return Status::Ok();
}

Status Run::CustomField(AccountWriter& w, const std::string& entity_type, domain::DataSet data_set,
                        const json& item) {
  const std::int64_t id = IntOf(item, "id");
  ++counts_["custom_fields"].read;
  if (Local("field:" + entity_type, id)) return Status::Ok();
  const std::string type_name = TextOf(item, "type");
  const auto type = domain::FieldTypeFromName(type_name);
  if (!type) {
    LeaveOut("custom_fields", "custom fields of type '" + type_name +
                                  "', which Gatehouse does not keep (with their values)");
    return Status::Ok();
  }
  domain::CustomField field{.data_set = data_set,
                            .name = TextOf(item, "name"),
                            .code = TextOf(item, "code"),
                            .type = *type,
                            .sort = static_cast<int>(IntOf(item, "sort")),
                            .is_api_only = BoolOf(item, "is_api_only", false)};
  const json enums =
      item.contains("enums") && item["enums"].is_array() ? item["enums"] : json::array();
  if (domain::FieldTypeHasEnums(*type)) {
    for (const json& e : enums) {
      field.enums.push_back({0, TextOf(e, "value"), static_cast<int>(IntOf(e, "sort"))});
    }
  }
  GH_ASSIGN_OR_RETURN(domain::CustomField created, w.CreateCustomField(field));
  GH_RETURN_IF_ERROR(Remember(w, "field:" + entity_type, id, created.id));
  if (domain::FieldTypeHasEnums(*type)) {
    for (const json& e : enums) {
      if (const domain::FieldEnum* local = created.FindEnumByValue(TextOf(e, "value"))) {
        GH_RETURN_IF_ERROR(Remember(w, "enum:" + entity_type, IntOf(e, "id"), local->id));
      }
    }
  }
  ++counts_["custom_fields"].created;
  return Status::Ok();
}

// Values are written as the API writes them (type checks included), by an imported
// administrator: the policy's field rights then let every field through.
Status Run::FieldWriter() {
  std::optional<UserId> admin;
  for (const auto& [source_id, local] : Map("user")) {
    if (admin) break;
    auto row = store_.Reader(account_).GetUser(local);
    if (row.ok() && row->user.IsActiveAdmin()) {
      admin = local;
    }
  }
  if (!admin) return Status::Ok();  // values are then left out, said per record
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, store_.Reader(account_).LoadAccountModel());
  field_writer_.account_id = account_;
  field_writer_.user_id = *admin;
  field_writer_.actor_id = *admin;
  field_writer_.via = service::Via::kSystem;
  field_writer_.client_ip = "cli";
  field_writer_.policy = policy::AccountPolicy::Build(model);
  return Status::Ok();
}

Status Run::Roles() {
  GH_RETURN_IF_ERROR(source_.ForEachPage("/api/v4/roles", "", "roles", [&](const json& items) {
    Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
      for (const json& role : items) {
        const std::int64_t id = IntOf(role, "id");
        ++counts_["roles"].read;
        if (Local("role", id)) continue;
        const std::string name = TextOf(role, "name");
        GH_ASSIGN_OR_RETURN(domain::Rights rights, LocalRights(role.value("rights", json::object()),
                                                               nullptr, "role '" + name + "'"));
        GH_ASSIGN_OR_RETURN(storage::RoleId local, w.CreateRole({0, name, rights}));
        GH_RETURN_IF_ERROR(Remember(w, "role", id, local));
        ++counts_["roles"].created;
      }
      return Status::Ok();
    });
    Progress("roles");
    return s;
  }));
  return Status::Ok();
}

Status Run::Users(const std::string& account_name) {
  GH_RETURN_IF_ERROR(
      source_.ForEachPage("/api/v4/users", "with=role,group", "users", [&](const json& items) {
        Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
          for (const json& user : items) GH_RETURN_IF_ERROR(User(w, user));
          return Status::Ok();
        });
        Progress("users");
        return s;
      }));
  // Seats: enough for every active paid user of the source, so that the server's seat checks
  // hold for the imported team.
  std::int64_t paid = 0;
  for (const ImportedUser& user : summary_.users) paid += user.is_active ? 1 : 0;
  paid -= free_active_;
  return store_.Write(account_, [&](AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::AccountRow row, w.Account());
    const std::string name = account_name.empty() ? row.name : account_name;
    if (row.seats >= paid && row.name == name) return Status::Ok();
    return w.UpdateAccount(name, std::max(row.seats, paid));
  });
}

Status Run::User(AccountWriter& w, const json& user) {
  const std::int64_t id = IntOf(user, "id");
  const std::string email = TextOf(user, "email");
  ++counts_["users"].read;
  auto rights_it = user.find("rights");
  if (rights_it == user.end() || !rights_it->is_object()) {
    return Status::Error(base::Code::kPermissionDenied,
                         "the source shows no rights of user " + std::to_string(id) +
                             ": the token must be an administrator's");
  }
  const bool active = BoolOf(*rights_it, "is_active", true);
  const bool is_free = BoolOf(*rights_it, "is_free", false);
  summary_.users.push_back(
      {email, TextOf(user, "name"), BoolOf(*rights_it, "is_admin", false), active});
  if (active && is_free) ++free_active_;
  source_active_[id] = active;
  if (auto local = Local("user", id)) {
    // A rerun may add records owned by a user the last run deactivated: active again until
    // Finish (storage takes only active users as responsible for new records).
    GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(*local));
    if (!row.user.is_active) {
      row.user.is_active = true;
      GH_RETURN_IF_ERROR(w.UpdateUser(row));
    }
    return Status::Ok();
  }
  GH_ASSIGN_OR_RETURN(storage::UserRow row, NewUserRow(user, *rights_it));
  // No password: Kommo never reveals them (the summary says how each user gets in).
  GH_ASSIGN_OR_RETURN(UserId local, w.CreateUser(row));
  GH_RETURN_IF_ERROR(Remember(w, "user", id, local));
  ++counts_["users"].created;
  return Status::Ok();
}

Result<storage::UserRow> Run::NewUserRow(const json& user, const json& source_rights) {
  const std::string email = TextOf(user, "email");
  service::UserFlagsInput flags;
  GH_ASSIGN_OR_RETURN(domain::Rights rights, LocalRights(source_rights, &flags, "user " + email));
  storage::UserRow row{.user = {.name = TextOf(user, "name"),
                                .email = email,
                                .is_admin = flags.is_admin.value_or(false),
                                // Active while records are imported (storage refuses a
                                // deactivated responsible user on a new record); Finish gives
                                // every user the source's state.
                                .is_active = true,
                                .is_free = flags.is_free.value_or(false),
                                .group_id = default_group_}};
  if (flags.group_id && *flags.group_id) {
    row.user.group_id = Local("group", **flags.group_id).value_or(default_group_);
  }
  if (flags.role_id && *flags.role_id) {
    if (auto role = Local("role", **flags.role_id)) {
      row.user.role_id = *role;
    } else {
      ++left_out_["users' links to a role the source did not list (their rights are kept)"];
    }
  }
  row.user.rights = rights;
  row.lang = TextOf(user, "lang").empty() ? "en" : TextOf(user, "lang");
  row.created_at = now_;
  return row;
}

}  // namespace gatehouse::import::internal
