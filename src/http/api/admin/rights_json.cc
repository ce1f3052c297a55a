// Rights leave in Kommo's letters and come in as raw letters: judging them is the policy's
// job (policy::Validate), so the reader here only checks the JSON shape.
#include "http/api/admin/rights_json.h"

#include <limits>

#include "domain/rights.h"

namespace gatehouse::http::api {
namespace {

using base::FieldError;
using domain::Action;
using domain::DataSet;
using nlohmann::json;

std::string Letter(domain::Level level) { return std::string(1, domain::LevelLetter(level)); }

json DataSetJson(const domain::Rights& rights, DataSet data_set) {
  json out = json::object();
  for (Action action : domain::kAllActions) {
    if (!domain::ActionApplies(data_set, action)) continue;
    out[std::string(domain::ActionName(action))] = Letter(rights.Get(data_set, action));
  }
  return out;
}

json StageRightsJson(const domain::Rights& rights) {
  json out = json::array();
  for (const domain::StageRights& stage : rights.stage_rights) {
    json levels = json::object();
    for (Action action : domain::kStageActions) {
      if (auto level = stage.Get(action))
        levels[std::string(domain::ActionName(action))] = Letter(*level);
    }
    out.push_back({{"entity_type", "leads"},
                   {"pipeline_id", stage.stage.pipeline_id},
                   {"status_id", stage.stage.status_id},
                   {"rights", std::move(levels)}});
  }
  return out;
}

// A row of the rights matrix (Kommo's data sets plus our incoming_leads).
bool IsDataSetKey(std::string_view key) { return domain::DataSetFromName(key).has_value(); }

// A letter as sent; non-strings keep their JSON text so the validation error can quote them.
std::string LetterOf(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Whether `value`, a member that may be null, is to be read: not when null (nothing to read), nor
// when it is not of `type` (then an InvalidType error `detail` at `path`).
bool ToRead(const json& value, json::value_t type, const std::string& path, std::string detail,
            std::vector<FieldError>& errors) {
  if (value.is_null()) return false;
  if (value.type() != type) {
    errors.push_back({path, "InvalidType", std::move(detail)});
    return false;
  }
  return true;
}

void ParseStages(const json& value, const std::string& path, service::RightsInput& out,
                 std::vector<FieldError>& errors) {
  out.has_status_rights = true;
  if (!ToRead(value, json::value_t::array, path, "status_rights must be an array or null",
              errors)) {
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "." + std::to_string(i);
    const json& item = value[i];
    if (!item.is_object()) {
      errors.push_back({item_path, "InvalidType", "a stage entry must be an object"});
      continue;
    }
    BodyReader fields(item, errors, item_path);
    if (auto entity = fields.String("entity_type"); entity && *entity != "leads") {
      errors.push_back(
          {item_path + ".entity_type", "NotSupportedChoice", "stage rights exist for leads only"});
    }
    policy::RawStageRights stage{.pipeline_id = fields.Int("pipeline_id", true).value_or(0),
                                 .status_id = fields.Int("status_id", true).value_or(0)};
    const json* rights = fields.Find("rights");
    if (rights != nullptr && rights->is_object()) {
      for (auto it = rights->begin(); it != rights->end(); ++it) {
        stage.actions.emplace_back(it.key(), LetterOf(it.value()));
      }
    } else if (rights != nullptr && !rights->is_null()) {
      errors.push_back({item_path + ".rights", "InvalidType", "rights must be an object"});
    }
    fields.RefuseUnread();
    out.raw.stages.push_back(std::move(stage));
  }
}

}  // namespace

namespace {

// {"leads": {"<field_id>": {"view": "A"|"D", "edit": "A"|"D"}}, ...}: null or {} clears.
void ParseFieldRights(const json& value, const std::string& path, service::RightsInput& out,
                      std::vector<FieldError>& errors) {
  out.has_custom_fields_rights = true;
  if (!ToRead(value, json::value_t::object, path, "custom_fields_rights must be an object or null",
              errors)) {
    return;
  }
  for (auto set = value.begin(); set != value.end(); ++set) {
    const std::string set_path = path + "." + set.key();
    if (!ToRead(set.value(), json::value_t::object, set_path, set.key() + " must be an object",
                errors)) {
      continue;
    }
    for (auto field = set.value().begin(); field != set.value().end(); ++field) {
      const std::string field_path = set_path + "." + field.key();
      service::RawFieldRight raw{set.key(), field.key()};
      const json& entry = field.value();
      if (!entry.is_object()) {
        errors.push_back({field_path, "InvalidType", "a field right is {\"view\", \"edit\"}"});
        continue;
      }
      for (auto it = entry.begin(); it != entry.end(); ++it) {
        if (it.key() == "view") {
          raw.view = LetterOf(it.value());
        } else if (it.key() == "edit") {
          raw.edit = LetterOf(it.value());
        } else {
          errors.push_back({field_path + "." + it.key(), "NotSupported",
                            "a field right has view and edit only"});
        }
      }
      out.field_rights.push_back(std::move(raw));
    }
  }
}

json FieldRightsJson(const domain::Rights& rights) {
  if (rights.field_rights.empty()) return nullptr;
  json out = json::object();
  for (const domain::FieldRight& f : rights.field_rights) {
    out[std::string(domain::DataSetName(f.data_set))][std::to_string(f.field_id)] = {
        {"view", f.view ? "A" : "D"}, {"edit", f.edit ? "A" : "D"}};
  }
  return out;
}

}  // namespace

json RoleRightsJson(const domain::Rights& rights) {
  json out = json::object();
  for (DataSet data_set : domain::kAllDataSets) {
    out[std::string(domain::DataSetName(data_set))] = DataSetJson(rights, data_set);
  }
  out["mail_access"] = rights.mail_access;
  out["catalog_access"] = rights.catalog_access;
  out["files_access"] = rights.files_access;
  out["status_rights"] = StageRightsJson(rights);
  out["custom_fields_rights"] = FieldRightsJson(rights);
  return out;
}

json UserRightsJson(const domain::User& user) {
  json out = RoleRightsJson(user.rights);
  out["catalog_rights"] = nullptr;
  out["oper_day_reports_view_access"] = false;
  out["oper_day_user_tracking"] = false;
  out["is_admin"] = user.is_admin;
  out["is_free"] = user.is_free;
  out["is_active"] = user.is_active;
  out["group_id"] = user.group_id;
  out["role_id"] = user.role_id ? json(*user.role_id) : json(nullptr);
  return out;
}

void ParseRights(const json& rights, const std::string& path, service::RightsInput& out,
                 service::UserFlagsInput* flags, std::vector<FieldError>& errors) {
  if (!ToRead(rights, json::value_t::object, path, "rights must be an object", errors)) return;
  BodyReader fields(rights, errors, path);
  for (auto it = rights.begin(); it != rights.end(); ++it) {
    const std::string& key = it.key();
    if (!IsDataSetKey(key) && key != "status_rights" && key != "custom_fields_rights") continue;
    const json& value = *fields.Find(key);
    if (IsDataSetKey(key)) {
      out.data_sets.push_back(key);
      if (!ToRead(value, json::value_t::object, path + "." + key, key + " must be an object",
                  errors)) {
        continue;
      }
      for (auto action = value.begin(); action != value.end(); ++action) {
        out.raw.general.push_back({key, action.key(), LetterOf(action.value())});
      }
    } else if (key == "status_rights") {
      ParseStages(value, path + ".status_rights", out, errors);
    } else if (key == "custom_fields_rights") {
      ParseFieldRights(value, path + ".custom_fields_rights", out, errors);
    }
  }
  out.mail_access = fields.Bool("mail_access");
  out.catalog_access = fields.Bool("catalog_access");
  out.files_access = fields.Bool("files_access");
  if (flags != nullptr) {
    flags->is_admin = fields.Bool("is_admin");
    flags->is_free = fields.Bool("is_free");
    flags->is_active = fields.Bool("is_active");
    flags->group_id = fields.NullableInt("group_id");
    flags->role_id = fields.NullableInt("role_id");
    flags->group_id_path = path + ".group_id";
    flags->role_id_path = path + ".role_id";
  }
  fields.RefuseUnread({"catalog_rights", "oper_day_reports_view_access", "oper_day_user_tracking"});
}

void ParseUserFlags(BodyReader& fields, service::UserFlagsInput& flags) {
  if (auto v = fields.Bool("is_admin")) flags.is_admin = v;
  if (auto v = fields.Bool("is_free")) flags.is_free = v;
  if (auto v = fields.Bool("is_active")) flags.is_active = v;
  if (auto v = fields.NullableInt("group_id")) {
    flags.group_id = v;
    flags.group_id_path = "group_id";
  }
  if (auto v = fields.NullableInt("role_id")) {
    flags.role_id = v;
    flags.role_id_path = "role_id";
  }
}

service::UserPatch ParseUserPatch(BodyReader& fields, std::vector<FieldError>& errors) {
  service::UserPatch patch{.name = fields.String("name"), .lang = fields.String("lang")};
  if (const json* rights = fields.Find("rights")) {
    ParseRights(*rights, "rights", patch.rights, &patch.flags, errors);
  }
  ParseUserFlags(fields, patch.flags);
  return patch;
}

service::UserPatch ParseUserPatch(const json& body, std::vector<FieldError>& errors) {
  BodyReader fields(body, errors);
  service::UserPatch patch = ParseUserPatch(fields, errors);
  fields.RefuseUnread(kUserReadOnly);
  return patch;
}

service::NewUserInput ParseNewUser(const json& item, std::size_t index,
                                   std::vector<base::FieldError>& errors) {
  BodyReader fields(item, errors);
  service::NewUserInput in{.request_id = RequestIdOf(item, index),
                           .name = fields.String("name", true).value_or(""),
                           .email = fields.String("email", true).value_or(""),
                           .password = fields.String("password", true).value_or(""),
                           .lang = fields.String("lang").value_or("")};
  if (const json* rights = fields.Find("rights")) {
    ParseRights(*rights, "rights", in.rights, &in.flags, errors);
  }
  ParseUserFlags(fields, in.flags);
  fields.RefuseUnread(kUserReadOnly);
  return in;
}

void ParseRoleInput(const json& item, service::RoleInput& in, std::vector<FieldError>& errors) {
  BodyReader fields(item, errors);
  ParseRoleInput(fields, in, errors);
  fields.RefuseUnread(kRoleReadOnly);
}

void ParseRoleInput(BodyReader& fields, service::RoleInput& in, std::vector<FieldError>& errors) {
  in.name = fields.String("name");
  if (const json* rights = fields.Find("rights")) {
    ParseRights(*rights, "rights", in.rights, nullptr, errors);
  }
}

}  // namespace gatehouse::http::api
