#include "service/admin/admin.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "base/text.h"
#include "service/admin/admin_internal.h"
#include "service/admin/admin_service.h"
#include "service/json_text.h"
#include "storage/rights_json.h"

namespace gatehouse::service {

namespace {

// Kommo's task rights are edit and delete only; `view` is ours. A tasks object without it (what
// every Kommo client sends) gets the widest level it grants, or the current view when that is
// wider, so the levels the client sent survive normalization (edit <= view) instead of
// collapsing to D.
void InferTaskView(const RightsInput& input, const domain::Rights* current,
                   policy::RawRights& raw) {
  const std::string tasks(domain::DataSetName(domain::DataSet::kTasks));
  const std::string view(domain::ActionName(domain::Action::kView));
  if (std::find(input.data_sets.begin(), input.data_sets.end(), tasks) == input.data_sets.end()) {
    return;
  }
  domain::Level widest = domain::Level::kDenied;
  for (const policy::RawRight& right : input.raw.general) {
    if (right.data_set != tasks) continue;
    if (right.action == view) return;  // sent: validated as it is
    if (auto level = domain::LevelFromLetter(right.letter)) widest = std::max(widest, *level);
  }
  if (current != nullptr) {
    widest = std::max(widest, current->Get(domain::DataSet::kTasks, domain::Action::kView));
  }
  raw.general.push_back({tasks, view, std::string(1, domain::LevelLetter(widest))});
}

}  // namespace

base::Result<domain::Rights> ResolveMatrix(const RightsInput& input, const domain::Rights* current,
                                           std::span<const domain::Pipeline> pipelines);

namespace {

// rights.custom_fields_rights -> field rights, or the errors of its entries.
std::vector<domain::FieldRight> ResolveFieldRights(
    const RightsInput& input, std::span<const std::pair<domain::DataSet, std::int64_t>> known,
    std::vector<base::FieldError>& errors) {
  std::vector<domain::FieldRight> out;
  for (const RawFieldRight& raw : input.field_rights) {
    const std::string set_path = "rights.custom_fields_rights." + raw.data_set;
    const auto data_set = domain::RecordDataSetFromName(raw.data_set);
    if (!data_set || !domain::HasCustomFields(*data_set)) {
      errors.push_back(
          {set_path, "NotSupportedChoice",
           "custom fields belong to leads, contacts, companies or customers, not " + raw.data_set});
      continue;
    }
    const std::string path = set_path + "." + raw.field_id;
    std::int64_t id = 0;
    const bool digits = !raw.field_id.empty() && raw.field_id.size() <= 18 &&
                        raw.field_id.find_first_not_of("0123456789") == std::string::npos;
    if (digits) id = std::stoll(raw.field_id);
    if (id <= 0 || std::find(known.begin(), known.end(), std::pair(*data_set, id)) == known.end()) {
      errors.push_back({path, "NotFound", raw.data_set + " has no custom field " + raw.field_id});
      continue;
    }
    bool letters_ok = true;
    for (const auto& [name, letter] : {std::pair<std::string, std::string>{"view", raw.view},
                                       std::pair<std::string, std::string>{"edit", raw.edit}}) {
      if (letter != "A" && letter != "D") {
        errors.push_back({path + "." + name, "NotSupportedChoice",
                          "a field right is A (allowed) or D (denied)"});
        letters_ok = false;
      }
    }
    if (letters_ok) out.push_back({*data_set, id, raw.view == "A", raw.edit == "A"});
  }
  domain::NormalizeFieldRights(out);
  return out;
}

}  // namespace

base::Result<domain::Rights> ResolveRights(
    const RightsInput& input, const domain::Rights* current,
    std::span<const domain::Pipeline> pipelines,
    std::span<const std::pair<domain::DataSet, std::int64_t>> custom_fields) {
  std::vector<base::FieldError> field_errors;
  std::vector<domain::FieldRight> field_rights;
  if (input.has_custom_fields_rights) {
    field_rights = ResolveFieldRights(input, custom_fields, field_errors);
  } else if (current != nullptr) {
    field_rights = current->field_rights;
  }
  base::Result<domain::Rights> resolved = ResolveMatrix(input, current, pipelines);
  if (!resolved.ok() || !field_errors.empty()) {
    std::vector<base::FieldError> all;
    if (!resolved.ok()) all = resolved.status().fields();
    if (!resolved.ok() && all.empty()) return resolved.status();
    all.insert(all.end(), field_errors.begin(), field_errors.end());
    std::string message =
        all.size() == 1 ? all[0].path + ": " + all[0].detail : "Request validation failed";
    return base::Status::Invalid(std::move(message), std::move(all));
  }
  resolved->field_rights = std::move(field_rights);
  return resolved;
}

base::Result<domain::Rights> ResolveMatrix(const RightsInput& input, const domain::Rights* current,
                                           std::span<const domain::Pipeline> pipelines) {
  policy::RawRights raw = input.raw;
  if (!input.has_status_rights) raw.stages.clear();
  // Data sets the input leaves out keep their current letters, so a partial edit touches only
  // what it names; they went through validation when they were saved.
  if (current != nullptr) {
    for (domain::DataSet data_set : domain::kAllDataSets) {
      const std::string name(domain::DataSetName(data_set));
      if (std::find(input.data_sets.begin(), input.data_sets.end(), name) !=
          input.data_sets.end()) {
        continue;
      }
      for (domain::Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        raw.general.push_back(
            {name, std::string(domain::ActionName(action)),
             std::string(1, domain::LevelLetter(current->Get(data_set, action)))});
      }
    }
  }
  InferTaskView(input, current, raw);
  raw.mail_access = input.mail_access.value_or(current != nullptr && current->mail_access);
  raw.catalog_access = input.catalog_access.value_or(current != nullptr && current->catalog_access);
  raw.files_access = input.files_access.value_or(current != nullptr && current->files_access);
  GH_ASSIGN_OR_RETURN(domain::Rights rights, policy::Validate(raw, pipelines));
  if (!input.has_status_rights && current != nullptr) {
    // Kept as stored: a stage of a since-deleted pipeline never matches a lead and is not
    // re-validated here.
    rights.stage_rights = current->stage_rights;
    policy::Normalize(rights);
  }
  return rights;
}

void RefreshPolicy(const AdminDeps& deps, domain::AccountId account_id) {
  if (deps.policies == nullptr) return;
  auto refreshed = deps.policies->Refresh(account_id);
  if (!refreshed.ok()) {
    // Through spdlog (whole lines with a time), not stderr, which broke into access-log lines.
    spdlog::error("policy refresh of account {} failed: {}", account_id,
                  refreshed.status().ToString());
  }
}

}  // namespace gatehouse::service

namespace gatehouse::service::internal {

// The store's own text of the rights, so that the log shows every part of them the store keeps
// (it showed no field rights, and a change of those alone was logged with equal sides).
nlohmann::json RightsEventJson(const domain::Rights& rights) {
  return nlohmann::json::parse(storage::RightsToJson(rights));
}

base::Status BatchInvalid(std::vector<ItemErrors> failed, std::vector<ItemErrors>* out) {
  std::vector<base::FieldError> all;
  for (const ItemErrors& item : failed) {
    all.insert(all.end(), item.errors.begin(), item.errors.end());
  }
  std::string message = all.size() == 1 ? all[0].path + ": " + all[0].detail
                                        : std::string("Request validation failed");
  if (out != nullptr) *out = std::move(failed);
  return base::Status::Invalid(std::move(message), std::move(all));
}

base::Status PruneRights(storage::AccountWriter& w,
                         const std::function<bool(domain::Rights&)>& prune) {
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, w.LoadAccountModel());
  for (domain::Role role : model.roles) {
    if (prune(role.rights)) GH_RETURN_IF_ERROR(w.UpdateRole(role));
  }
  for (const domain::User& user : model.users) {
    if (user.role_id) continue;
    domain::Rights rights = user.rights;
    if (!prune(rights)) continue;
    GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(user.id));
    row.user.rights = std::move(rights);
    GH_RETURN_IF_ERROR(w.UpdateUser(row));
  }
  return base::Status::Ok();
}

base::Status CheckBatchSize(std::size_t size, std::size_t max, std::string_view what) {
  if (size == 0) {
    return base::Status::InvalidField("body", "Required", "the body must hold at least one item");
  }
  if (size <= max) return base::Status::Ok();
  return base::Status::InvalidField(
      "body", "TooMany",
      "at most " + std::to_string(max) + " " + std::string(what) + " per request");
}

void AddError(std::vector<base::FieldError>& errors, const base::Status& status) {
  for (const base::FieldError& field : status.fields()) errors.push_back(field);
  if (status.fields().empty()) errors.push_back({"", "Invalid", status.message()});
}

base::Status CheckName(std::string_view name, std::string path, std::size_t max) {
  if (base::Trim(name, base::kWhitespace).empty()) {
    return base::Status::InvalidField(std::move(path), "Required", "a name is required");
  }
  if (base::CodePoints(name) > max) {
    return base::Status::InvalidField(std::move(path), "TooLong",
                                      "a name has at most " + std::to_string(max) + " characters");
  }
  return base::Status::Ok();
}

}  // namespace gatehouse::service::internal

namespace gatehouse::service {

base::Result<storage::AccountRow> AdminService::GetAccount(const Caller& caller) const {
  return deps_.store->Reader(caller.account_id).Account();
}

}  // namespace gatehouse::service
