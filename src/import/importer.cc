#include "import/importer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "base/clock.h"
#include "http/api/admin/rights_json.h"
#include "policy/account_policy.h"
#include "service/admin/admin.h"
#include "service/admin/custom_fields.h"
#include "service/caller.h"
#include "service/events.h"
#include "service/records/notes.h"

namespace gatehouse::import {

using base::Result;
using base::Status;
using nlohmann::json;
using storage::AccountWriter;
using storage::UserId;

namespace {

// The phases, in the order their ids are needed.
constexpr std::array<std::string_view, 11> kPhases = {
    "groups",    "pipelines", "custom_fields", "roles", "users", "contacts",
    "companies", "leads",     "tasks",         "notes", "finish"};
constexpr std::array<std::string_view, 3> kNoted = {"leads", "contacts", "companies"};

std::int64_t IntOf(const json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string TextOf(const json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool BoolOf(const json& object, std::string_view key, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// `_embedded.<key>` of an item, or an empty array.
const json& Embedded(const json& item, std::string_view key) {
  static const json kEmpty = json::array();
  if (!item.is_object()) return kEmpty;
  auto embedded = item.find("_embedded");
  if (embedded == item.end() || !embedded->is_object()) return kEmpty;
  auto it = embedded->find(key);
  return it != embedded->end() && it->is_array() ? *it : kEmpty;
}

bool IsSystemStage(std::int64_t status_id) {
  return status_id == domain::kWonStatusId || status_id == domain::kLostStatusId;
}

// Kommo's tag colours may carry a '#'; Gatehouse keeps six hex digits or none.
std::string TagColor(std::string color) {
  if (!color.empty() && color.front() == '#') color.erase(0, 1);
  const bool hex =
      color.size() == 6 && std::all_of(color.begin(), color.end(),
                                       [](unsigned char c) { return std::isxdigit(c) != 0; });
  return hex ? color : "";
}

class Run {
 public:
  Run(storage::Store& store, KommoSource& source, const ImportProgress& progress, std::int64_t now)
      : store_(store), source_(source), progress_(progress), now_(now) {
    system_.via = service::Via::kSystem;
    system_.client_ip = "cli";
  }

  Result<ImportSummary> Go(const ImportOptions& options) {
    GH_ASSIGN_OR_RETURN(json account, source_.GetObject("/api/v4/account?with=users_groups"));
    source_account_id_ = IntOf(account, "id");
    summary_.source = source_.origin();
    summary_.subdomain =
        options.subdomain.empty() ? TextOf(account, "subdomain") : options.subdomain;
    if (summary_.subdomain.empty()) {
      return Status::InvalidField("subdomain", "Required",
                                  "the source names no subdomain: give one with --subdomain");
    }
    GH_RETURN_IF_ERROR(OpenAccount(TextOf(account, "name")));
    for (std::string_view phase : kPhases) counts_[std::string(phase)];

    GH_RETURN_IF_ERROR(Groups(account));
    GH_RETURN_IF_ERROR(Pipelines());
    GH_RETURN_IF_ERROR(CustomFields());
    GH_RETURN_IF_ERROR(Roles());
    GH_RETURN_IF_ERROR(Users(TextOf(account, "name")));
    GH_RETURN_IF_ERROR(FieldWriter());
    GH_RETURN_IF_ERROR(Contacts());
    GH_RETURN_IF_ERROR(Companies());
    GH_RETURN_IF_ERROR(Leads());
    GH_RETURN_IF_ERROR(Tasks());
    GH_RETURN_IF_ERROR(Notes());
    GH_RETURN_IF_ERROR(Finish());

    for (std::string_view phase : kPhases) {
      if (phase != "finish") {
        summary_.counts.emplace_back(std::string(phase), counts_[std::string(phase)]);
      }
    }
    for (const auto& [reason, n] : left_out_) {
      summary_.not_carried.push_back(std::to_string(n) + " " + reason);
    }
    summary_.requests = source_.requests();
    summary_.throttled = source_.throttled();
    return summary_;
  }

 private:
  // ---- the target account ----

  Status OpenAccount(const std::string& name) {
    auto existing = store_.FindAccount(summary_.subdomain);
    if (existing.ok()) {
      account_ = existing->id;
      storage::AccountReader reader = store_.Reader(account_);
      GH_ASSIGN_OR_RETURN(std::optional<storage::ImportSourceRow> from, reader.ImportSource());
      if (from) {
        if (from->source != summary_.source || from->source_account_id != source_account_id_) {
          return Status::InvalidField(
              "subdomain", "AlreadyExists",
              "account '" + summary_.subdomain + "' was imported from " + from->source +
                  " (account " + std::to_string(from->source_account_id) + "), not from " +
                  summary_.source + " (account " + std::to_string(source_account_id_) +
                  "): import into another subdomain");
        }
        summary_.resumed = true;
      } else {
        // An account created by an interrupted first run has no users yet: it is taken over.
        GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, reader.ListUsers());
        if (!users.empty()) {
          return Status::InvalidField("subdomain", "AlreadyExists",
                                      "account '" + summary_.subdomain +
                                          "' exists and was not created by an import: import "
                                          "into another subdomain");
        }
      }
    } else if (existing.status().code() == base::Code::kNotFound) {
      GH_ASSIGN_OR_RETURN(
          storage::AccountRow created,
          store_.CreateAccount(
              {summary_.subdomain, name.empty() ? summary_.subdomain : name, 10, now_}));
      account_ = created.id;
      summary_.created_account = true;
    } else {
      return existing.status();
    }
    summary_.account_id = account_;
    system_.account_id = account_;
    if (summary_.resumed) return Status::Ok();
    return store_.Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(w.PutImportSource({summary_.source, source_account_id_, now_, 0}));
      json after = json::array(
          {{{"import", {{"source", summary_.source}, {"source_account_id", source_account_id_}}}}});
      return service::RecordEvent(w, system_, now_,
                                  {"import_started", "account", account_, "[]", after.dump()});
    });
  }

  // ---- maps ----

  // The mappings of `kind` committed so far (read once per run; then kept up to date here).
  std::map<std::int64_t, std::int64_t>& Map(const std::string& kind) {
    auto it = maps_.find(kind);
    if (it != maps_.end()) return it->second;
    auto stored = store_.Reader(account_).ImportMap(kind);
    return maps_[kind] = stored.ok() ? *stored : std::map<std::int64_t, std::int64_t>{};
  }
  std::optional<std::int64_t> Local(const std::string& kind, std::int64_t source_id) {
    auto& map = Map(kind);
    auto it = map.find(source_id);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }
  Status Remember(AccountWriter& w, const std::string& kind, std::int64_t source_id,
                  std::int64_t local_id) {
    GH_RETURN_IF_ERROR(w.MapImported(kind, source_id, local_id));
    Map(kind)[source_id] = local_id;
    return Status::Ok();
  }
  // A user reference (responsible, created_by): 0 (nobody, the robot) and unknown users are 0.
  UserId LocalUser(std::int64_t source_id) {
    if (source_id == 0) return 0;
    return Local("user", source_id).value_or(0);
  }

  // ---- bookkeeping ----

  void LeaveOut(std::string_view phase, const std::string& reason, std::int64_t n = 1) {
    counts_[std::string(phase)].left_out += n;
    left_out_[reason] += n;
  }
  void Progress(std::string_view phase) {
    if (!progress_) return;
    const auto at = std::find(kPhases.begin(), kPhases.end(), phase) - kPhases.begin();
    const KindCount& count = counts_[std::string(phase)];
    progress_(phase, static_cast<int>(at), static_cast<int>(kPhases.size()), count.read);
  }

  // ---- rights ----

  // The source's rights object with its stage ids made local (an entry naming a stage that
  // was not imported is dropped, said in the summary), validated and normalized as
  // PATCH /api/v4/users and /roles do (http::api::ParseRights + service::ResolveRights).
  Result<domain::Rights> LocalRights(const json& source_rights, service::UserFlagsInput* flags,
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
      return Status::Invalid(
          "the rights of " + who + " are invalid: " + resolved.status().message(),
          resolved.status().fields());
    }
    return resolved;
  }

  // ---- phases ----

  Status Groups(const json& account) {
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

  Status Pipelines() {
    GH_RETURN_IF_ERROR(source_.ForEachPage(
        "/api/v4/leads/pipelines", "", "pipelines",
        [&](const json& items) {
          std::vector<json> sorted(items.begin(), items.end());
          std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
            return IntOf(a, "sort") < IntOf(b, "sort");
          });
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

  Status Pipeline(AccountWriter& w, const json& pipeline) {
    const std::int64_t id = IntOf(pipeline, "id");
    ++counts_["pipelines"].read;
    if (Local("pipeline", id)) return Status::Ok();
    std::vector<json> statuses(Embedded(pipeline, "statuses").begin(),
                               Embedded(pipeline, "statuses").end());
    std::stable_sort(statuses.begin(), statuses.end(), [](const json& a, const json& b) {
      return IntOf(a, "sort") < IntOf(b, "sort");
    });
    std::vector<const json*> working;
    const json* incoming = nullptr;
    for (const json& status : statuses) {
      if (IsSystemStage(IntOf(status, "id"))) continue;
      if (IntOf(status, "type") == domain::kStageTypeIncoming) {
        incoming = &status;
      } else {
        working.push_back(&status);
      }
    }
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
      GH_RETURN_IF_ERROR(w.UpdatePipeline(local_id, name, sort, true));
      std::vector<domain::Stage> old;
      for (const domain::Stage& stage : main->stages) {
        if (stage.type == domain::kStageTypeNormal && !IsSystemStage(stage.id))
          old.push_back(stage);
      }
      for (std::size_t i = 0; i < working.size(); ++i) {
        const std::string stage_name = TextOf(*working[i], "name");
        const int stage_sort = static_cast<int>(IntOf(*working[i], "sort"));
        if (i < old.size()) {
          GH_RETURN_IF_ERROR(w.UpdateStage(local_id, old[i].id, stage_name, stage_sort));
        } else {
          GH_RETURN_IF_ERROR(w.AddStage(local_id, stage_name, stage_sort).status());
        }
      }
      for (std::size_t i = working.size(); i < old.size(); ++i) {
        GH_RETURN_IF_ERROR(w.DeleteStage(local_id, old[i].id));
      }
    } else {
      std::vector<domain::Stage> stages;
      for (const json* status : working) {
        stages.push_back({0, TextOf(*status, "name"), static_cast<int>(IntOf(*status, "sort")),
                          domain::kStageTypeNormal});
      }
      GH_ASSIGN_OR_RETURN(domain::Pipeline created, w.CreatePipeline(name, sort, false, stages));
      local_id = created.id;
    }
    GH_ASSIGN_OR_RETURN(domain::Pipeline stored, w.GetPipeline(local_id));
    std::vector<domain::Stage> local_working;
    for (const domain::Stage& stage : stored.stages) {
      if (stage.type == domain::kStageTypeIncoming && incoming != nullptr) {
        GH_RETURN_IF_ERROR(Remember(w, "status", IntOf(*incoming, "id"), stage.id));
      } else if (stage.type == domain::kStageTypeNormal && !IsSystemStage(stage.id)) {
        local_working.push_back(stage);
      }
    }
    std::stable_sort(
        local_working.begin(), local_working.end(),
        [](const domain::Stage& a, const domain::Stage& b) { return a.sort < b.sort; });
    if (local_working.size() != working.size()) {
      return Status::Internal("pipeline '" + name + "': " + std::to_string(working.size()) +
                              " stages in the source, " + std::to_string(local_working.size()) +
                              " here");
    }
    for (std::size_t i = 0; i < working.size(); ++i) {
      GH_RETURN_IF_ERROR(Remember(w, "status", IntOf(*working[i], "id"), local_working[i].id));
    }
    GH_RETURN_IF_ERROR(Remember(w, "pipeline", id, local_id));
    ++counts_["pipelines"].created;
    return Status::Ok();
  }

  // Definitions of the custom fields of leads, contacts and companies, with their enums (each
  // enum id mapped too: select values and multitext tags name them).
  Status CustomFields() {
    for (std::string_view entity : kNoted) {
      const std::string entity_type(entity);
      const domain::DataSet data_set = *domain::DataSetFromName(entity_type);
      GH_RETURN_IF_ERROR(source_.ForEachPage(
          "/api/v4/" + entity_type + "/custom_fields", "", "custom_fields", [&](const json& items) {
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
      const domain::DataSet data_set = *domain::DataSetFromName(entity);
      GH_ASSIGN_OR_RETURN(std::vector<domain::CustomField> fields,
                          store_.Reader(account_).ListCustomFields(data_set));
      for (const domain::CustomField& field : fields)
        local_fields_.emplace_back(data_set, field.id);
    }
    return Status::Ok();
  }

  Status CustomField(AccountWriter& w, const std::string& entity_type, domain::DataSet data_set,
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
    domain::CustomField field;
    field.data_set = data_set;
    field.name = TextOf(item, "name");
    field.code = TextOf(item, "code");
    field.type = *type;
    field.sort = static_cast<int>(IntOf(item, "sort"));
    field.is_api_only = BoolOf(item, "is_api_only", false);
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
  Status FieldWriter() {
    std::optional<UserId> admin;
    for (const auto& [source_id, local] : Map("user")) {
      if (admin) break;
      auto row = store_.Reader(account_).GetUser(local);
      if (row.ok() && row->user.is_admin && row->user.is_active && !row->user.is_free) {
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

  Status FieldValues(AccountWriter& w, const std::string& entity_type, storage::RecordId record,
                     const json& item) {
    auto it = item.find("custom_fields_values");
    if (it == item.end() || !it->is_array() || it->empty()) return Status::Ok();
    if (!field_writer_.policy) {
      ++left_out_["records' custom field values (no active administrator to write them)"];
      return Status::Ok();
    }
    json sent = json::array();
    for (const json& entry : *it) {
      auto field = Local("field:" + entity_type, IntOf(entry, "field_id"));
      if (!field) {
        ++left_out_["values of custom fields that were not imported"];
        continue;
      }
      json values = json::array();
      if (entry.contains("values") && entry["values"].is_array()) {
        for (json value : entry["values"]) {
          if (value.is_object() && value.contains("enum_id")) {
            auto local = Local("enum:" + entity_type, IntOf(value, "enum_id"));
            if (local) {
              value["enum_id"] = *local;
            } else {
              value.erase("enum_id");
            }
          }
          values.push_back(std::move(value));
        }
      }
      sent.push_back({{"field_id", *field}, {"values", std::move(values)}});
    }
    if (sent.empty()) return Status::Ok();
    auto wrote = service::internal::WriteFieldValues(
        field_writer_, w, *domain::DataSetFromName(entity_type), record, sent.dump());
    if (!wrote.ok()) {
      const base::Code code = wrote.status().code();
      if (code != base::Code::kInvalidArgument && code != base::Code::kPermissionDenied) {
        return wrote.status();
      }
      ++left_out_["records' custom field values Gatehouse refuses (" +
                  (wrote.status().fields().empty() ? wrote.status().message()
                                                   : wrote.status().fields().front().detail) +
                  ")"];
    }
    return Status::Ok();
  }

  Status Roles() {
    GH_RETURN_IF_ERROR(source_.ForEachPage("/api/v4/roles", "", "roles", [&](const json& items) {
      Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
        for (const json& role : items) {
          const std::int64_t id = IntOf(role, "id");
          ++counts_["roles"].read;
          if (Local("role", id)) continue;
          const std::string name = TextOf(role, "name");
          GH_ASSIGN_OR_RETURN(
              domain::Rights rights,
              LocalRights(role.value("rights", json::object()), nullptr, "role '" + name + "'"));
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

  Status Users(const std::string& account_name) {
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

  Status User(AccountWriter& w, const json& user) {
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
    service::UserFlagsInput flags;
    GH_ASSIGN_OR_RETURN(domain::Rights rights, LocalRights(*rights_it, &flags, "user " + email));
    storage::UserRow row;
    row.user.name = TextOf(user, "name");
    row.user.email = email;
    row.user.is_admin = flags.is_admin.value_or(false);
    row.user.is_free = flags.is_free.value_or(false);
    // Active while records are imported (storage refuses a deactivated responsible user on a
    // new record); Finish gives every user the source's state.
    row.user.is_active = true;
    row.user.group_id = default_group_;
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
    // No password: Kommo never reveals them (the summary says how each user gets in).
    GH_ASSIGN_OR_RETURN(UserId local, w.CreateUser(row));
    GH_RETURN_IF_ERROR(Remember(w, "user", id, local));
    ++counts_["users"].created;
    return Status::Ok();
  }

  // Tags of a record: the entity type's catalog gets each tag once (by the source's id),
  // reusing a tag of the same name.
  Status Tags(AccountWriter& w, domain::DataSet entity_type, storage::RecordId record,
              const json& item) {
    const json& tags = Embedded(item, "tags");
    if (tags.empty()) return Status::Ok();
    const std::string kind = "tag:" + std::string(domain::DataSetName(entity_type));
    std::vector<std::int64_t> ids;
    for (const json& tag : tags) {
      const std::int64_t id = IntOf(tag, "id");
      auto local = Local(kind, id);
      if (!local) {
        storage::TagQuery query;
        query.name = TextOf(tag, "name");
        query.limit = 1;
        GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> same, w.ListTags(entity_type, query));
        if (same.empty()) {
          GH_ASSIGN_OR_RETURN(
              storage::Tag created,
              w.CreateTag(entity_type, {0, query.name, TagColor(TextOf(tag, "color"))}));
          local = created.id;
        } else {
          local = same.front().id;
        }
        GH_RETURN_IF_ERROR(Remember(w, kind, id, *local));
      }
      ids.push_back(*local);
    }
    return w.SetRecordTags(entity_type, record, ids);
  }

  // Writes `record` (a contact, company or lead) with the source item's tags and custom field
  // values; returns it as stored.
  template <typename R>
  Result<R> CreateTagged(AccountWriter& w, const R& record, const json& item) {
    const std::string plural(storage::RecordTraits<R>::kPlural);
    GH_ASSIGN_OR_RETURN(R stored, w.Create(record));
    GH_RETURN_IF_ERROR(Tags(w, storage::RecordTraits<R>::kDataSet, stored.id, item));
    GH_RETURN_IF_ERROR(FieldValues(w, plural, stored.id, item));
    return stored;
  }

  template <typename R>
  void Ownership(R& record, const json& item) {
    record.responsible_user_id = LocalUser(IntOf(item, "responsible_user_id"));
    record.created_by = LocalUser(IntOf(item, "created_by"));
    record.updated_by = LocalUser(IntOf(item, "updated_by"));
    record.created_at = IntOf(item, "created_at");
    record.updated_at = IntOf(item, "updated_at");
  }

  // Walks a record list, one transaction per page; `create` makes one record (its mapping is
  // written here, in the same transaction).
  Status Records(std::string_view phase, const std::string& path, const std::string& query,
                 const std::string& plural, const std::string& kind,
                 const std::function<Result<std::int64_t>(AccountWriter&, const json&)>& create) {
    return source_.ForEachPage(path, query, plural, [&](const json& items) {
      Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
        for (const json& item : items) {
          const std::int64_t id = IntOf(item, "id");
          ++counts_[std::string(phase)].read;
          if (Local(kind, id)) continue;
          GH_ASSIGN_OR_RETURN(std::int64_t local, create(w, item));
          if (local == 0) continue;  // left out, counted by `create`
          GH_RETURN_IF_ERROR(Remember(w, kind, id, local));
          ++counts_[std::string(phase)].created;
        }
        return Status::Ok();
      });
      Progress(phase);
      return s;
    });
  }

  Status Contacts() {
    return Records("contacts", "/api/v4/contacts", "", "contacts", "contact",
                   [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                     storage::Contact contact;
                     contact.name = TextOf(item, "name");
                     contact.first_name = TextOf(item, "first_name");
                     contact.last_name = TextOf(item, "last_name");
                     Ownership(contact, item);
                     GH_ASSIGN_OR_RETURN(storage::Contact stored, CreateTagged(w, contact, item));
                     return stored.id;
                   });
  }

  Status Companies() {
    return Records("companies", "/api/v4/companies", "", "companies", "company",
                   [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                     storage::Company company;
                     company.name = TextOf(item, "name");
                     Ownership(company, item);
                     GH_ASSIGN_OR_RETURN(storage::Company stored, CreateTagged(w, company, item));
                     return stored.id;
                   });
  }

  Status Leads() {
    return Records("leads", "/api/v4/leads", "with=contacts", "leads", "lead",
                   [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                     storage::Lead lead;
                     lead.name = TextOf(item, "name");
                     lead.price = IntOf(item, "price");
                     const auto pipeline = Local("pipeline", IntOf(item, "pipeline_id"));
                     const std::int64_t status = IntOf(item, "status_id");
                     const auto local_status = IsSystemStage(status)
                                                   ? std::optional<std::int64_t>(status)
                                                   : Local("status", status);
                     if (!pipeline || !local_status) {
                       LeaveOut("leads", "leads in a stage the source did not list");
                       return std::int64_t{0};
                     }
                     lead.pipeline_id = *pipeline;
                     lead.status_id = *local_status;
                     lead.closed_at = IntOf(item, "closed_at");
                     if (IntOf(item, "loss_reason_id") != 0) {
                       ++left_out_["leads' loss reasons (loss reasons are not imported)"];
                     }
                     Ownership(lead, item);
                     GH_ASSIGN_OR_RETURN(storage::Lead stored, CreateTagged(w, lead, item));
                     for (const json& contact : Embedded(item, "contacts")) {
                       if (auto local = Local("contact", IntOf(contact, "id"))) {
                         GH_RETURN_IF_ERROR(
                             w.LinkContact(stored.id, *local, BoolOf(contact, "is_main", false)));
                       } else {
                         ++left_out_["lead-contact links to a contact the source did not list"];
                       }
                     }
                     for (const json& company : Embedded(item, "companies")) {
                       if (auto local = Local("company", IntOf(company, "id"))) {
                         GH_RETURN_IF_ERROR(w.LinkCompany(stored.id, *local));
                       } else {
                         ++left_out_["lead-company links to a company the source did not list"];
                       }
                     }
                     return stored.id;
                   });
  }

  // The local record a task or note is attached to: {its kind, its local id}, or nullopt.
  std::optional<std::pair<domain::DataSet, std::int64_t>> Attached(const std::string& entity_type,
                                                                   std::int64_t entity_id) {
    static const std::map<std::string, std::string> kKinds = {
        {"leads", "lead"}, {"contacts", "contact"}, {"companies", "company"}};
    const std::optional<domain::DataSet> data_set = domain::AttachableDataSetFromName(entity_type);
    auto kind = kKinds.find(entity_type);
    if (!data_set || kind == kKinds.end()) return std::nullopt;
    auto local = Local(kind->second, entity_id);
    if (!local) return std::nullopt;
    return std::make_pair(*data_set, *local);
  }

  Status Tasks() {
    return Records(
        "tasks", "/api/v4/tasks", "", "tasks", "task",
        [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
          storage::Task task;
          const std::string entity_type = TextOf(item, "entity_type");
          const std::int64_t entity_id = IntOf(item, "entity_id");
          if (!entity_type.empty() || entity_id != 0) {
            auto attached = Attached(entity_type, entity_id);
            if (!attached) {
              LeaveOut("tasks", "tasks of records that were not imported (customers, ...)");
              return std::int64_t{0};
            }
            task.entity_type = attached->first;
            task.entity_id = attached->second;
          }
          task.task_type_id = IntOf(item, "task_type_id");
          if (task.task_type_id != 1 && task.task_type_id != 2) {
            ++left_out_["tasks' account-specific types (kept as follow-ups)"];
            task.task_type_id = 1;
          }
          task.text = TextOf(item, "text");
          task.complete_till = IntOf(item, "complete_till");
          task.duration = IntOf(item, "duration");
          task.is_completed = BoolOf(item, "is_completed", false);
          if (auto result = item.find("result"); result != item.end() && result->is_object()) {
            task.result_text = TextOf(*result, "text");
          }
          Ownership(task, item);
          GH_ASSIGN_OR_RETURN(storage::Task stored, w.Create(task));
          return stored.id;
        });
  }

  Status Notes() {
    for (std::string_view entity : kNoted) {
      const std::string entity_type(entity);
      GH_RETURN_IF_ERROR(Records(
          "notes", "/api/v4/" + entity_type + "/notes", "", "notes", "note:" + entity_type,
          [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
            auto attached = Attached(entity_type, IntOf(item, "entity_id"));
            if (!attached) {
              LeaveOut("notes", "notes of records that were not imported");
              return std::int64_t{0};
            }
            const std::string type = TextOf(item, "note_type");
            const json params = item.value("params", json::object());
            auto canonical = service::ValidateNoteParams(type, params.dump());
            if (!canonical.ok()) {
              LeaveOut("notes", "notes of type '" + type + "', which Gatehouse does not keep (" +
                                    canonical.status().message() + ")");
              return std::int64_t{0};
            }
            storage::Note note;
            note.entity_type = attached->first;
            note.entity_id = attached->second;
            note.note_type = type;
            note.params_json = *canonical;
            note.responsible_user_id = LocalUser(IntOf(item, "responsible_user_id"));
            note.created_by = LocalUser(IntOf(item, "created_by"));
            note.updated_by = LocalUser(IntOf(item, "updated_by"));
            note.created_at = IntOf(item, "created_at");
            note.updated_at = IntOf(item, "updated_at");
            GH_ASSIGN_OR_RETURN(storage::Note stored, w.CreateNote(note));
            return stored.id;
          }));
    }
    return Status::Ok();
  }

  // Users get the source's active state, the account its finish time, the log the counts.
  Status Finish() {
    Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
      for (const auto& [source_id, active] : source_active_) {
        auto local = Local("user", source_id);
        if (!local) continue;
        GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(*local));
        if (row.user.is_active == active) continue;
        row.user.is_active = active;
        GH_RETURN_IF_ERROR(w.UpdateUser(row));
      }
      GH_RETURN_IF_ERROR(w.PutImportSource({summary_.source, source_account_id_, now_, now_}));
      json counts = json::object();
      for (const auto& [kind, count] : counts_) {
        if (kind == "finish") continue;
        counts[kind] = {
            {"read", count.read}, {"created", count.created}, {"left_out", count.left_out}};
      }
      json after = json::array({{{"import",
                                  {{"source", summary_.source},
                                   {"source_account_id", source_account_id_},
                                   {"counts", counts}}}}});
      return service::RecordEvent(w, system_, now_,
                                  {"import_finished", "account", account_, "[]", after.dump()});
    });
    Progress("finish");
    return s;
  }

  storage::Store& store_;
  KommoSource& source_;
  const ImportProgress& progress_;
  std::int64_t now_;
  service::Caller system_;
  storage::AccountId account_ = 0;
  std::int64_t source_account_id_ = 0;
  storage::GroupId default_group_ = 0;
  std::vector<domain::Pipeline> pipelines_;
  std::vector<std::pair<domain::DataSet, std::int64_t>> local_fields_;  // for rights checks
  service::Caller field_writer_;  // an imported administrator, once users exist
  std::map<std::string, std::map<std::int64_t, std::int64_t>> maps_;
  std::map<std::string, KindCount> counts_;
  std::map<std::string, std::int64_t> left_out_;  // reason -> how many
  std::map<std::int64_t, bool> source_active_;    // source user id -> is_active
  std::int64_t free_active_ = 0;
  ImportSummary summary_;
};

}  // namespace

Result<ImportSummary> Import(storage::Store& store, KommoSource& source,
                             const ImportOptions& options, const ImportProgress& progress) {
  const std::int64_t now = options.now != 0 ? options.now : base::SystemClock().NowSeconds();
  Run run(store, source, progress, now);
  return run.Go(options);
}

}  // namespace gatehouse::import
