// Custom field definitions (custom_fields.h); the records' values are custom_field_values.cc's.
#include "service/admin/custom_fields.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "service/admin/admin_internal.h"
#include "service/admin/admin_service.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::CustomField;
using domain::DataSet;
using domain::FieldType;
using internal::BatchInvalid;
using internal::CanViewField;

namespace {

constexpr std::size_t kMaxCustomFieldsBatch = 250;

// The enums Kommo gives its phone and e-mail multitext fields.
const std::vector<std::string> kPhoneEnums = {"WORK", "WORKDD", "MOB", "FAX", "HOME", "OTHER"};
const std::vector<std::string> kEmailEnums = {"WORK", "PRIV", "OTHER"};

bool ValidCode(const std::string& code) {
  if (code.size() > 255) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

json FieldFacts(const CustomField& f) {
  json enums = json::array();
  for (const domain::FieldEnum& e : f.enums) {
    enums.push_back({{"id", e.id}, {"value", e.value}, {"sort", e.sort}});
  }
  return {{"name", f.name},
          {"type", domain::FieldTypeName(f.type)},
          {"code", f.code},
          {"sort", f.sort},
          {"is_api_only", f.is_api_only},
          {"entity_type", domain::DataSetName(f.data_set)},
          {"enums", std::move(enums)}};
}

// Replaces the enums of `field` by `enums` (values checked, each once), appending errors.
void ApplyEnums(const std::vector<EnumInput>& enums, CustomField& field,
                std::vector<FieldError>& errors) {
  field.enums.clear();
  std::set<std::string> seen;
  int sort = 0;
  for (std::size_t j = 0; j < enums.size(); ++j) {
    const EnumInput& e = enums[j];
    const std::string path = "enums." + std::to_string(j) + ".value";
    if (Status s = internal::CheckName(e.value, path, kMaxFieldName); !s.ok()) {
      errors.push_back({path, "Invalid", "an enum value is 1 to 255 characters"});
      continue;
    }
    if (!seen.insert(e.value).second) {
      errors.push_back({path, "Duplicate", "enum value \"" + e.value + "\" is listed twice"});
      continue;
    }
    sort = e.sort.value_or(sort + 1);
    field.enums.push_back({e.id, e.value, sort});
  }
}

// Applies `in` to `field` (new or current), appending errors.
void ApplyInput(const CustomFieldInput& in, bool creating, CustomField& field,
                std::vector<FieldError>& errors) {
  if (in.name) field.name = *in.name;
  if (creating || in.name) {
    if (Status s = internal::CheckName(field.name, "name", kMaxFieldName); !s.ok()) {
      for (const FieldError& e : s.fields()) errors.push_back(e);
      if (s.fields().empty()) errors.push_back({"name", "Invalid", s.message()});
    }
  }
  if (creating) {
    if (!in.type) {
      errors.push_back({"type", "Required", "type is required"});
    } else if (auto type = domain::FieldTypeFromName(*in.type)) {
      field.type = *type;
    } else {
      errors.push_back({"type", "NotSupportedChoice",
                        "type must be one of text, numeric, checkbox, select, multiselect, date, "
                        "url, textarea, price, multitext"});
    }
  } else if (in.type && domain::FieldTypeFromName(*in.type) != field.type) {
    errors.push_back({"type", "NotSupported", "the type of a field cannot change"});
  }
  if (in.code) {
    field.code = *in.code;
    if (!ValidCode(field.code)) {
      errors.push_back(
          {"code", "InvalidValue", "code is upper-case letters, digits and _ (at most 255)"});
    }
  }
  if (in.sort) field.sort = *in.sort;
  if (in.is_api_only) field.is_api_only = *in.is_api_only;
  if (in.enums) ApplyEnums(*in.enums, field, errors);
  if (creating && field.type == FieldType::kMultitext && field.enums.empty()) {
    const std::vector<std::string>& codes = field.code == "EMAIL" ? kEmailEnums : kPhoneEnums;
    int sort = 0;
    for (const std::string& code : codes) field.enums.push_back({0, code, sort += 2});
  }
  if (domain::FieldTypeHasEnums(field.type) && field.enums.empty() &&
      (creating || in.enums.has_value())) {
    errors.push_back(
        {"enums", "Required",
         std::string(domain::FieldTypeName(field.type)) + " fields need at least one enum"});
  }
  if (!domain::FieldTypeHasEnums(field.type) && in.enums && !in.enums->empty()) {
    errors.push_back({"enums", "NotSupported",
                      std::string(domain::FieldTypeName(field.type)) + " fields have no enums"});
  }
}

// A taken code among `fields` of the kind (other than `self`).
bool CodeTaken(const std::vector<CustomField>& fields, const std::string& code, std::int64_t self) {
  if (code.empty()) return false;
  return std::any_of(fields.begin(), fields.end(),
                     [&](const CustomField& f) { return f.id != self && f.code == code; });
}

// Removes the rights of field `id` of `data_set` from every role (and so its holders) and every
// user without a role.
Status DropFieldRights(storage::AccountWriter& w, DataSet data_set, std::int64_t id) {
  return internal::PruneRights(w, [&](domain::Rights& rights) {
    const std::size_t before = rights.field_rights.size();
    std::erase_if(rights.field_rights, [&](const domain::FieldRight& f) {
      return f.data_set == data_set && f.field_id == id;
    });
    return rights.field_rights.size() != before;
  });
}

// What a batch write of custom fields checks first: an administrator, 1..kMaxCustomFieldsBatch
// items.
Status CheckBatch(const Caller& caller, std::size_t size) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  return internal::CheckBatchSize(size, kMaxCustomFieldsBatch, "custom fields");
}

}  // namespace

Result<std::vector<CustomField>> AdminService::ListCustomFields(const Caller& caller,
                                                                DataSet data_set) const {
  if (!caller.policy) return Status::Internal("no policy for the caller");
  GH_ASSIGN_OR_RETURN(std::vector<CustomField> fields,
                      deps_.store->Reader(caller.account_id).ListCustomFields(data_set));
  std::erase_if(fields,
                [&](const CustomField& f) { return !CanViewField(caller, data_set, f.id); });
  return fields;
}

Result<CustomField> AdminService::GetCustomField(const Caller& caller, DataSet data_set,
                                                 std::int64_t id) const {
  if (!caller.policy) return Status::Internal("no policy for the caller");
  GH_ASSIGN_OR_RETURN(CustomField field,
                      deps_.store->Reader(caller.account_id).GetCustomField(data_set, id));
  if (!CanViewField(caller, data_set, id)) return Status::NotFound("custom field not found");
  return field;
}

namespace {

FieldError CodeTakenError(const std::string& code) {
  return {"code", "AlreadyExists", "code " + code + " is taken"};
}

// What an update made wrong in `field` (stored as `before`) that ApplyInput cannot see: a code
// another field has, an enum id that is not one of this field's.
void CheckUpdatedField(const std::vector<CustomField>& existing, const CustomField& before,
                       const CustomField& field, std::vector<FieldError>& errors) {
  if (CodeTaken(existing, field.code, field.id)) errors.push_back(CodeTakenError(field.code));
  for (std::size_t j = 0; j < field.enums.size(); ++j) {
    if (field.enums[j].id != 0 && before.FindEnum(field.enums[j].id) == nullptr) {
      errors.push_back({"enums." + std::to_string(j) + ".id", "NotFound",
                        "enum " + std::to_string(field.enums[j].id) + " is not one of this field"});
    }
  }
}

// Each item of an update applied to the field it names, as (before, after) pairs; every item's
// errors otherwise (a lone item naming no field is kNotFound).
using FieldChanges = std::vector<std::pair<CustomField, CustomField>>;
Result<FieldChanges> PlanFieldUpdates(const std::vector<CustomField>& existing,
                                      const std::vector<CustomFieldInput>& items,
                                      std::vector<ItemErrors>* item_errors) {
  std::vector<ItemErrors> failed;
  FieldChanges changes;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<FieldError> errors;
    auto it = std::find_if(existing.begin(), existing.end(),
                           [&](const CustomField& f) { return f.id == items[i].id; });
    if (it == existing.end()) {
      if (items.size() == 1) return Status::NotFound("custom field not found");
      failed.push_back(
          {internal::ItemId(items[i].request_id, i),
           {{"id", "NotFound", "custom field " + std::to_string(items[i].id) + " not found"}}});
      continue;
    }
    CustomField field = *it;
    ApplyInput(items[i], /*creating=*/false, field, errors);
    CheckUpdatedField(existing, *it, field, errors);
    if (!errors.empty()) {
      failed.push_back({internal::ItemId(items[i].request_id, i), std::move(errors)});
    }
    changes.emplace_back(*it, std::move(field));
  }
  if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
  return changes;
}

}  // namespace

Result<std::vector<CustomField>> AdminService::CreateCustomFields(
    const Caller& caller, DataSet data_set, const std::vector<CustomFieldInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(CheckBatch(caller, items.size()));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<std::vector<CustomField>> {
        GH_ASSIGN_OR_RETURN(std::vector<CustomField> existing, w.ListCustomFields(data_set));
        std::vector<ItemErrors> failed;
        std::vector<CustomField> fields;
        for (std::size_t i = 0; i < items.size(); ++i) {
          std::vector<FieldError> errors;
          CustomField field{.data_set = data_set};
          ApplyInput(items[i], /*creating=*/true, field, errors);
          if (CodeTaken(existing, field.code, 0) || CodeTaken(fields, field.code, 0)) {
            errors.push_back(CodeTakenError(field.code));
          }
          if (!errors.empty()) {
            failed.push_back({internal::ItemId(items[i].request_id, i), std::move(errors)});
          }
          fields.push_back(std::move(field));
        }
        if (!failed.empty()) return BatchInvalid(std::move(failed), item_errors);
        std::vector<CustomField> created;
        for (const CustomField& field : fields) {
          GH_ASSIGN_OR_RETURN(CustomField stored, w.CreateCustomField(field));
          GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                         {"custom_field_added", "custom_field", stored.id, "[]",
                                          EventValue("custom_field", FieldFacts(stored))}));
          created.push_back(std::move(stored));
        }
        return created;
      });
}

Result<std::vector<CustomField>> AdminService::UpdateCustomFields(
    const Caller& caller, DataSet data_set, const std::vector<CustomFieldInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(CheckBatch(caller, items.size()));
  const std::int64_t now = deps_.clock->NowSeconds();
  // Ids and data sets stay as they are, so the account's model (and policy) is unchanged: a plain
  // write, not WriteModel.
  return deps_.store->WriteResult(
      caller.account_id, [&](storage::AccountWriter& w) -> Result<std::vector<CustomField>> {
        GH_ASSIGN_OR_RETURN(std::vector<CustomField> existing, w.ListCustomFields(data_set));
        GH_ASSIGN_OR_RETURN(const FieldChanges changes,
                            PlanFieldUpdates(existing, items, item_errors));
        std::vector<CustomField> updated;
        for (const auto& [before, after] : changes) {
          GH_ASSIGN_OR_RETURN(CustomField stored, w.UpdateCustomField(after));
          GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                         {"custom_field_updated", "custom_field", stored.id,
                                          EventValue("custom_field", FieldFacts(before)),
                                          EventValue("custom_field", FieldFacts(stored))}));
          updated.push_back(std::move(stored));
        }
        return updated;
      });
}

Status AdminService::DeleteCustomField(const Caller& caller, DataSet data_set,
                                       std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(CustomField current, w.GetCustomField(data_set, id));
    GH_RETURN_IF_ERROR(w.DeleteCustomField(data_set, id));
    GH_RETURN_IF_ERROR(DropFieldRights(w, data_set, id));
    return RecordEvent(w, caller, now,
                       {"custom_field_deleted", "custom_field", id,
                        EventValue("custom_field", FieldFacts(current)), "[]"});
  });
}

}  // namespace gatehouse::service
