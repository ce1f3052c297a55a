// The records' custom field values (custom_fields.h): each sent value checked against its field
// and stored in canonical form, rendered back as Kommo's custom_fields_values.
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/text.h"
#include "service/admin/admin_internal.h"
#include "service/admin/custom_fields.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::CustomField;
using domain::DataSet;
using domain::FieldType;

namespace {

constexpr std::size_t kMaxTextChars = 256;
constexpr std::size_t kMaxTextareaChars = 10000;
constexpr std::size_t kMaxUrlChars = 2048;

}  // namespace

namespace internal {
namespace {

// One sent value checked against its field: the canonical stored value, or an error (detail).
struct Checked {
  domain::FieldValue value{};
  std::string error_path{};  // relative to the value object: "value", "enum_id", "enum_code"
  std::string error_code{};
  std::string error{};
};

// A decimal number as text ("-12", "3.50"), from a JSON number or string; nullopt otherwise.
std::optional<std::string> Decimal(const json& v) {
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    std::string text = v.dump();
    return text;
  }
  if (!v.is_string()) return std::nullopt;
  return domain::ParseDecimal(v.get<std::string>());
}

// Unix seconds from an integer, a string of digits, or "YYYY-MM-DD" (midnight UTC).
std::optional<std::int64_t> Date(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (!v.is_string()) return std::nullopt;
  return domain::ParseDate(v.get<std::string>());
}

bool ValidUrl(const std::string& s) {
  std::size_t scheme = 0;
  if (s.rfind("http://", 0) == 0) {
    scheme = 7;
  } else if (s.rfind("https://", 0) == 0) {
    scheme = 8;
  } else {
    return false;
  }
  if (s.size() <= scheme || s.size() > kMaxUrlChars) return false;
  const std::size_t host_end = s.find_first_of("/?#", scheme);
  const std::string host =
      s.substr(scheme, host_end == std::string::npos ? std::string::npos : host_end - scheme);
  if (host.empty()) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

Checked Fail(std::string path, std::string code, std::string detail) {
  return Checked{
      .error_path = std::move(path), .error_code = std::move(code), .error = std::move(detail)};
}

Checked Stored(domain::FieldValue value) { return Checked{.value = std::move(value)}; }

// text, textarea: a string (or a number, kept as its text) without control characters.
Checked CheckText(const CustomField& field, const json* value, const std::string& type) {
  if (value == nullptr) return Fail("value", "Required", "value is required");
  std::string text;
  if (value->is_string()) {
    text = value->get<std::string>();
  } else if (value->is_number()) {
    text = value->dump();
  } else {
    return Fail("value", "InvalidType", "a " + type + " value is a string");
  }
  const bool multiline = field.type == FieldType::kTextarea;
  if (base::HasControlCharacter(text, multiline)) {
    return Fail("value", "InvalidCharacter", "the value contains a control character");
  }
  const std::size_t max = multiline ? kMaxTextareaChars : kMaxTextChars;
  if (base::CodePoints(text) > max) {
    return Fail("value", "TooLong",
                "a " + type + " value is at most " + std::to_string(max) + " characters");
  }
  return Stored({std::move(text), 0});
}

// numeric, price (>= 0): a decimal number.
Checked CheckNumber(const CustomField& field, const json* value, const std::string& type) {
  std::optional<std::string> number = value ? Decimal(*value) : std::nullopt;
  if (!number) return Fail("value", "InvalidType", "a " + type + " value is a number");
  if (field.type == FieldType::kPrice && (*number)[0] == '-') {
    return Fail("value", "InvalidValue", "a price is >= 0");
  }
  return Stored({std::move(*number), 0});
}

// select, multiselect: an enum by enum_id, else by its value.
Checked CheckSelect(const CustomField& field, const json& item, const json* value,
                    const std::string& type) {
  const domain::FieldEnum* chosen = nullptr;
  if (auto it = item.find("enum_id"); it != item.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Fail("enum_id", "InvalidType", "enum_id is an integer");
    chosen = field.FindEnum(it->get<std::int64_t>());
    if (chosen == nullptr) {
      return Fail("enum_id", "NotFound",
                  "enum " + it->dump() + " is not one of field " + std::to_string(field.id));
    }
  } else if (value != nullptr && value->is_string()) {
    chosen = field.FindEnumByValue(value->get<std::string>());
    if (chosen == nullptr) {
      return Fail("value", "NotFound",
                  "\"" + value->get<std::string>() + "\" is not an enum of field " +
                      std::to_string(field.id));
    }
  } else {
    return Fail("enum_id", "Required", "a " + type + " value needs enum_id or value");
  }
  return Stored({chosen->value, chosen->id});
}

// multitext: one line of text with an enum (by enum_id or enum_code; the first by default).
Checked CheckMultitext(const CustomField& field, const json& item, const json* value) {
  if (value == nullptr || !value->is_string() || value->get<std::string>().empty()) {
    return Fail("value", "Required", "a multitext value is a non-empty string");
  }
  const std::string text = value->get<std::string>();
  if (base::HasControlCharacter(text, false) || base::CodePoints(text) > kMaxTextChars) {
    return Fail("value", "InvalidValue", "a multitext value is one line of at most 256 characters");
  }
  const domain::FieldEnum* chosen = nullptr;
  if (auto it = item.find("enum_id"); it != item.end() && !it->is_null()) {
    chosen = it->is_number_integer() ? field.FindEnum(it->get<std::int64_t>()) : nullptr;
    if (chosen == nullptr) return Fail("enum_id", "NotFound", "unknown enum_id");
  } else if (auto code = item.find("enum_code"); code != item.end() && !code->is_null()) {
    chosen = code->is_string() ? field.FindEnumByValue(code->get<std::string>()) : nullptr;
    if (chosen == nullptr) return Fail("enum_code", "NotFound", "unknown enum_code");
  } else if (!field.enums.empty()) {
    chosen = &field.enums.front();  // Kommo: WORK when none is given
  }
  return Stored({text, chosen != nullptr ? chosen->id : 0});
}

Checked Check(const CustomField& field, const json& item) {
  if (!item.is_object()) return Fail("", "InvalidType", "each value must be an object");
  const json* value = nullptr;
  if (auto it = item.find("value"); it != item.end() && !it->is_null()) value = &*it;
  const std::string type(domain::FieldTypeName(field.type));
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kTextarea:
      return CheckText(field, value, type);
    case FieldType::kNumeric:
    case FieldType::kPrice:
      return CheckNumber(field, value, type);
    case FieldType::kCheckbox:
      if (value == nullptr || !value->is_boolean()) {
        return Fail("value", "InvalidType", "a checkbox value is true or false");
      }
      return Stored({value->get<bool>() ? "1" : "0", 0});
    case FieldType::kDate: {
      std::optional<std::int64_t> at = value ? Date(*value) : std::nullopt;
      if (!at) {
        return Fail("value", "InvalidValue", "a date value is unix seconds or a YYYY-MM-DD date");
      }
      return Stored({std::to_string(*at), 0});
    }
    case FieldType::kUrl:
      if (value == nullptr || !value->is_string() || !ValidUrl(value->get<std::string>())) {
        return Fail("value", "InvalidValue", "a url value is an http:// or https:// address");
      }
      return Stored({value->get<std::string>(), 0});
    case FieldType::kSelect:
    case FieldType::kMultiselect:
      return CheckSelect(field, item, value, type);
    case FieldType::kMultitext:
      return CheckMultitext(field, item, value);
  }
  return Checked{};
}

json RenderValue(const CustomField& field, const domain::FieldValue& v) {
  switch (field.type) {
    case FieldType::kCheckbox:
      return {{"value", v.value == "1"}};
    case FieldType::kDate: {
      std::int64_t at = 0;
      try {
        at = std::stoll(v.value);
      } catch (const std::exception&) {
      }
      return {{"value", at}};
    }
    case FieldType::kSelect:
    case FieldType::kMultiselect: {
      const domain::FieldEnum* e = field.FindEnum(v.enum_id);
      return {{"value", e != nullptr ? e->value : v.value},
              {"enum_id", v.enum_id},
              {"enum_code", nullptr}};
    }
    case FieldType::kMultitext: {
      const domain::FieldEnum* e = field.FindEnum(v.enum_id);
      return {{"value", v.value},
              {"enum_id", v.enum_id},
              {"enum_code", e != nullptr ? json(e->value) : json(nullptr)}};
    }
    default:
      return {{"value", v.value}};
  }
}

// A field's values as a custom_field_value_changed event shows them (FieldChange). A field
// cleared is named all the same, so that the event can be checked against field rights.
std::string ChangeValue(const CustomField& field, const std::vector<domain::FieldValue>& values) {
  json out = json::array();
  auto entry = [&](const domain::FieldValue* v) {
    json enum_id = v != nullptr && v->enum_id != 0 ? json(v->enum_id) : json(nullptr);
    json text = v != nullptr ? json(FieldValueText(field, *v)) : json(nullptr);
    return json{{"custom_field_value",
                 {{"field_id", field.id},
                  {"field_type", domain::FieldTypeName(field.type)},
                  {"enum_id", std::move(enum_id)},
                  {"text", std::move(text)}}}};
  };
  for (const domain::FieldValue& v : values) out.push_back(entry(&v));
  if (values.empty()) out.push_back(entry(nullptr));
  return Dump(out);
}

}  // namespace

Result<std::vector<FieldChange>> WriteFieldValues(const Caller& caller, storage::AccountWriter& w,
                                                  DataSet data_set, domain::RecordId record_id,
                                                  const std::string& sent) {
  if (sent.empty()) return std::vector<FieldChange>{};
  GH_ASSIGN_OR_RETURN(std::vector<CustomField> fields, w.ListCustomFields(data_set));
  GH_ASSIGN_OR_RETURN(std::vector<FieldWrite> writes,
                      CheckFieldValues(caller, data_set, fields, sent));
  return StoreFieldValues(w, data_set, record_id, writes);
}

namespace {

// The field entry `base` names (by field_id, else by field_code) when `may_view` it; otherwise
// nullptr, with the error added to `errors`.
template <typename MayView>
const CustomField* EntryField(const json& entry, const std::string& base,
                              std::span<const CustomField> fields, DataSet data_set,
                              const MayView& may_view, std::vector<FieldError>& errors) {
  const CustomField* field = nullptr;
  auto id_it = entry.find("field_id");
  auto code_it = entry.find("field_code");
  if (id_it != entry.end() && !id_it->is_null()) {
    if (!id_it->is_number_integer()) {
      errors.push_back({base + ".field_id", "InvalidType", "field_id must be an integer"});
      return nullptr;
    }
    const std::int64_t id = id_it->get<std::int64_t>();
    for (const CustomField& f : fields) field = f.id == id ? &f : field;
    // A field the caller may not view does not exist for them: the same answer.
    if (field == nullptr || !may_view(id)) {
      errors.push_back({base + ".field_id", "NotFound",
                        std::string(domain::DataSetName(data_set)) + " have no custom field " +
                            std::to_string(id)});
      return nullptr;
    }
    return field;
  }
  if (code_it != entry.end() && code_it->is_string() && !code_it->get<std::string>().empty()) {
    for (const CustomField& f : fields) {
      field = f.code == code_it->get<std::string>() ? &f : field;
    }
    if (field == nullptr || !may_view(field->id)) {
      errors.push_back({base + ".field_code", "NotFound",
                        "no custom field has code " + code_it->get<std::string>()});
      return nullptr;
    }
    return field;
  }
  errors.push_back({base + ".field_id", "Required", "field_id (or field_code) is required"});
  return nullptr;
}

// The canonical values of entry `base` for `field` (a multiselect choice once); false, with the
// error added to `errors`, when "values" is missing, not an array or null, or too long. A value
// that fails its check adds its error and is left out.
bool EntryValues(const CustomField& field, const json& entry, const std::string& base,
                 std::vector<domain::FieldValue>& values, std::vector<FieldError>& errors) {
  auto values_it = entry.find("values");
  if (values_it == entry.end()) {
    errors.push_back({base + ".values", "Required", "values is required (null clears)"});
    return false;
  }
  if (values_it->is_null()) return true;
  if (!values_it->is_array()) {
    errors.push_back({base + ".values", "InvalidType", "values must be an array or null"});
    return false;
  }
  if (values_it->size() > 1 && !domain::FieldTypeIsMultiple(field.type)) {
    errors.push_back({base + ".values", "TooMany",
                      std::string("a ") + std::string(domain::FieldTypeName(field.type)) +
                          " field holds one value"});
    return false;
  }
  if (values_it->size() > 100) {
    errors.push_back({base + ".values", "TooMany", "at most 100 values per field"});
    return false;
  }
  for (std::size_t m = 0; m < values_it->size(); ++m) {
    Checked checked = Check(field, (*values_it)[m]);
    if (!checked.error.empty()) {
      const std::string path = base + ".values." + std::to_string(m) +
                               (checked.error_path.empty() ? "" : "." + checked.error_path);
      errors.push_back({path, checked.error_code, checked.error});
      continue;
    }
    // A multiselect lists each choice once.
    if (field.type == FieldType::kMultiselect &&
        std::any_of(values.begin(), values.end(), [&](const domain::FieldValue& v) {
          return v.enum_id == checked.value.enum_id;
        })) {
      continue;
    }
    values.push_back(std::move(checked.value));
  }
  return true;
}

}  // namespace

Result<std::vector<FieldWrite>> CheckFieldValues(const Caller& caller, DataSet data_set,
                                                 std::span<const CustomField> fields,
                                                 const std::string& sent, FieldRightsCheck rights) {
  std::vector<FieldWrite> writes;
  if (sent.empty()) return writes;
  const json entries = json::parse(sent, nullptr, /*allow_exceptions=*/false);
  if (!entries.is_array()) {
    return Status::InvalidField("custom_fields_values", "InvalidType",
                                "custom_fields_values must be an array");
  }
  const bool enforce = rights == FieldRightsCheck::kEnforce;
  auto may_view = [&](std::int64_t id) {
    return !enforce || caller.policy->CanViewField(caller.user_id, data_set, id);
  };
  std::vector<FieldError> errors;
  std::set<std::int64_t> seen;
  for (std::size_t n = 0; n < entries.size(); ++n) {
    const std::string base = "custom_fields_values." + std::to_string(n);
    const json& entry = entries[n];
    if (!entry.is_object()) {
      errors.push_back({base, "InvalidType", "each entry must be an object"});
      continue;
    }
    const CustomField* field = EntryField(entry, base, fields, data_set, may_view, errors);
    if (field == nullptr) continue;
    if (!seen.insert(field->id).second) {
      errors.push_back({base + ".field_id", "Duplicate",
                        "field " + std::to_string(field->id) + " is listed twice"});
      continue;
    }
    std::vector<domain::FieldValue> values;
    if (!EntryValues(*field, entry, base, values, errors)) continue;
    writes.push_back({field, std::move(values)});
  }
  if (!errors.empty()) {
    std::string message = errors.size() == 1 ? errors[0].path + ": " + errors[0].detail
                                             : std::string("custom_fields_values are not valid");
    return Status::Invalid(std::move(message), std::move(errors));
  }
  for (const auto& [field, values] : writes) {
    if (enforce && !caller.policy->CanEditField(caller.user_id, data_set, field->id)) {
      return Status::Denied("custom field " + std::to_string(field->id) + " (" + field->name +
                            ") of " + std::string(domain::DataSetName(data_set)) +
                            ": edit is D (denied)");
    }
  }
  return writes;
}

Result<std::vector<FieldChange>> StoreFieldValues(storage::AccountWriter& w, DataSet data_set,
                                                  domain::RecordId record_id,
                                                  std::span<const FieldWrite> writes) {
  std::vector<FieldChange> changes;
  if (writes.empty()) return changes;
  const std::vector<domain::RecordId> ids = {record_id};
  GH_ASSIGN_OR_RETURN(std::vector<storage::FieldValueRow> stored, w.FieldValues(data_set, ids));
  for (const auto& [field, values] : writes) {
    std::vector<domain::FieldValue> before;
    for (const storage::FieldValueRow& row : stored) {
      if (row.field_id == field->id) before.push_back(row.value);
    }
    if (before == values) continue;
    GH_RETURN_IF_ERROR(w.SetFieldValues(data_set, record_id, field->id, values));
    changes.push_back({field->id, ChangeValue(*field, before), ChangeValue(*field, values)});
  }
  return changes;
}

std::optional<std::int64_t> FieldOfValueEvent(const std::string& before_json,
                                              const std::string& after_json) {
  for (const std::string* text : {&after_json, &before_json}) {
    const json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!value.is_array()) continue;
    for (const json& entry : value) {
      if (!entry.is_object()) continue;
      auto inner = entry.find("custom_field_value");
      if (inner == entry.end() || !inner->is_object()) continue;
      auto id = inner->find("field_id");
      if (id != inner->end() && id->is_number_integer()) return id->get<std::int64_t>();
    }
  }
  return std::nullopt;
}

std::string FieldValueText(const CustomField& field, const domain::FieldValue& value) {
  if (field.type == FieldType::kSelect || field.type == FieldType::kMultiselect) {
    if (const domain::FieldEnum* e = field.FindEnum(value.enum_id)) return e->value;
  }
  return value.value;
}

std::string VisibleFieldEntries(const Caller& caller, DataSet data_set,
                                std::span<const CustomField> fields, const std::string& sent) {
  if (sent.empty() || (caller.policy && caller.policy->SeesAllFields(caller.user_id, data_set))) {
    return sent;
  }
  const json entries = json::parse(sent, nullptr, /*allow_exceptions=*/false);
  if (!entries.is_array()) return sent;
  auto hidden = [&](const json& entry) {
    if (!entry.is_object()) return false;
    const CustomField* field = nullptr;
    auto id = entry.find("field_id");
    auto code = entry.find("field_code");
    for (const CustomField& f : fields) {
      if (id != entry.end() && id->is_number_integer() && f.id == id->get<std::int64_t>()) {
        field = &f;
      }
      if ((id == entry.end() || id->is_null()) && code != entry.end() && code->is_string() &&
          !f.code.empty() && f.code == code->get<std::string>()) {
        field = &f;
      }
    }
    return field != nullptr && !CanViewField(caller, data_set, field->id);
  };
  json shown = json::array();
  for (const json& entry : entries) {
    if (!hidden(entry)) shown.push_back(entry);
  }
  return Dump(shown);
}

std::string RenderFieldValues(const Caller& caller, DataSet data_set,
                              std::span<const CustomField> fields,
                              std::span<const storage::FieldValueRow> rows,
                              const std::string& legacy) {
  json out = json::array();
  const bool all = caller.policy && caller.policy->SeesAllFields(caller.user_id, data_set);
  for (const CustomField& field : fields) {
    json values = json::array();
    for (const storage::FieldValueRow& row : rows) {
      if (row.field_id == field.id) values.push_back(RenderValue(field, row.value));
    }
    if (values.empty()) continue;
    if (!all && !CanViewField(caller, data_set, field.id)) continue;
    out.push_back({{"field_id", field.id},
                   {"field_name", field.name},
                   {"field_code", field.code.empty() ? json(nullptr) : json(field.code)},
                   {"field_type", domain::FieldTypeName(field.type)},
                   {"values", std::move(values)}});
  }
  if (!legacy.empty()) {
    const json stored = json::parse(legacy, nullptr, /*allow_exceptions=*/false);
    if (stored.is_array()) {
      for (const json& entry : stored) {
        bool defined = false;
        if (entry.is_object()) {
          auto id = entry.find("field_id");
          if (id != entry.end() && id->is_number_integer()) {
            for (const CustomField& f : fields)
              defined = defined || f.id == id->get<std::int64_t>();
          }
        }
        if (!defined) out.push_back(entry);
      }
    }
  }
  if (out.empty()) return "";
  return Dump(out);
}

}  // namespace internal
}  // namespace gatehouse::service
