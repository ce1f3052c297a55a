// filter[custom_fields_values]: a condition as sent, checked against its field's definition and
// the caller's field rights, becomes one the store can run (custom_fields.h).
#include <cmath>
#include <cstdlib>

#include "service/admin/custom_fields.h"
#include "service/service_names.h"

namespace gatehouse::service::internal {

using domain::CustomField;
using domain::FieldType;
using storage::FieldCondition;

namespace {

std::string PathOf(const FieldCondition& c) {
  return "filter[custom_fields_values][" + std::to_string(c.field_id) + "]";
}

// A number of a numeric, price or date field as sent; nullopt when it is not one.
std::optional<double> NumberOf(FieldType type, const std::string& sent) {
  if (type == FieldType::kDate) {
    std::optional<std::int64_t> at = domain::ParseDate(sent);
    if (!at) return std::nullopt;
    return static_cast<double>(*at);
  }
  std::optional<std::string> text = domain::ParseDecimal(sent);
  if (!text) return std::nullopt;
  const double d = std::strtod(text->c_str(), nullptr);
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// numeric, price, date: values and bounds as numbers (dates as unix seconds).
void ResolveNumbers(const CustomField& field, FieldCondition& c, const std::string& path,
                    const std::string& type, std::vector<FieldError>& errors) {
  const std::string expected =
      field.type == FieldType::kDate ? "unix seconds or YYYY-MM-DD" : "a number";
  c.match = FieldCondition::Match::kNumber;
  for (std::size_t i = 0; i < c.sent.size(); ++i) {
    std::optional<double> n = NumberOf(field.type, c.sent[i]);
    if (!n) {
      errors.push_back({path + "[" + std::to_string(i) + "]", "InvalidValue",
                        "a " + type + " value is " + expected});
      continue;
    }
    c.numbers.push_back(*n);
  }
  auto bound = [&](const std::optional<std::string>& sent, std::string_view key,
                   std::optional<double>& out) {
    if (!sent) return;
    out = NumberOf(field.type, *sent);
    if (!out) {
      errors.push_back({path + "[" + std::string(key) + "]", "InvalidValue",
                        "a " + type + " bound is " + expected});
    }
  };
  bound(c.sent_from, "from", c.from);
  bound(c.sent_to, "to", c.to);
}

// checkbox: true or false (not both); false matches every record without a checked value.
void ResolveCheckbox(FieldCondition& c, const std::string& path, std::vector<FieldError>& errors) {
  bool checked = false;
  bool unchecked = false;
  for (const std::string& v : c.sent) {
    if (v == "1" || v == "true") {
      checked = true;
    } else if (v == "0" || v == "false") {
      unchecked = true;
    } else {
      errors.push_back({path, "InvalidValue", "a checkbox value is true, false, 1 or 0"});
      return;
    }
  }
  if (checked && unchecked) {
    errors.push_back({path, "InvalidValue", "filter a checkbox on true or on false, not both"});
    return;
  }
  // Unchecked: every record without a checked value, whether it was never set or cleared.
  c.match = FieldCondition::Match::kText;
  c.texts = {"1"};
  c.negate = unchecked;
}

// select, multiselect: enums by value, else by id.
void ResolveEnums(const CustomField& field, FieldCondition& c, const std::string& path,
                  std::vector<FieldError>& errors) {
  c.match = FieldCondition::Match::kEnum;
  for (const std::string& v : c.sent) {
    const domain::FieldEnum* e = field.FindEnumByValue(v);
    if (e == nullptr && !v.empty() && v.find_first_not_of("0123456789") == std::string::npos &&
        v.size() <= 18) {
      e = field.FindEnum(std::strtoll(v.c_str(), nullptr, 10));
    }
    if (e == nullptr) {
      errors.push_back({path, "NotFound",
                        "\"" + v + "\" is neither an enum id nor an enum value of field " +
                            std::to_string(field.id)});
      continue;
    }
    c.enum_ids.push_back(e->id);
  }
}

// Resolves one condition against its field; appends errors.
void Resolve(const CustomField& field, FieldCondition& c, std::vector<FieldError>& errors) {
  const std::string path = PathOf(c);
  const std::string type(domain::FieldTypeName(field.type));
  const bool numeric = field.type == FieldType::kNumeric || field.type == FieldType::kPrice ||
                       field.type == FieldType::kDate;
  if (c.sent.empty() && !c.sent_from && !c.sent_to) {
    errors.push_back({path, "Required", "give values ([]=v) or a range ([from], [to])"});
    return;
  }
  if ((c.sent_from || c.sent_to) && !numeric) {
    errors.push_back({path, "NotSupported",
                      "[from] and [to] apply to numeric, price and date fields, not " + type});
    return;
  }
  switch (field.type) {
    case FieldType::kNumeric:
    case FieldType::kPrice:
    case FieldType::kDate:
      return ResolveNumbers(field, c, path, type, errors);
    case FieldType::kCheckbox:
      return ResolveCheckbox(c, path, errors);
    case FieldType::kSelect:
    case FieldType::kMultiselect:
      return ResolveEnums(field, c, path, errors);
    case FieldType::kText:
    case FieldType::kTextarea:
    case FieldType::kUrl:
    case FieldType::kMultitext:
      c.match = FieldCondition::Match::kText;
      c.texts = c.sent;
      return;
  }
}

}  // namespace

Status ResolveFieldFilters(const Caller& caller, const storage::AccountReader& reader,
                           domain::DataSet data_set, std::vector<FieldCondition>& conditions) {
  if (conditions.empty()) return Status::Ok();
  if (!caller.policy) return Status::Internal("no policy for the caller");
  GH_ASSIGN_OR_RETURN(std::vector<CustomField> fields, reader.ListCustomFields(data_set));
  std::vector<FieldError> errors;
  for (FieldCondition& c : conditions) {
    const CustomField* field = nullptr;
    for (const CustomField& f : fields) field = f.id == c.field_id ? &f : field;
    // A field the caller may not view is answered exactly as one that does not exist.
    if (field == nullptr || !caller.policy->CanViewField(caller.user_id, data_set, c.field_id)) {
      errors.push_back({PathOf(c), "NotFound",
                        std::string(domain::DataSetName(data_set)) + " have no custom field " +
                            std::to_string(c.field_id)});
      continue;
    }
    Resolve(*field, c, errors);
  }
  if (errors.empty()) return Status::Ok();
  std::string message = errors.size() == 1
                            ? "invalid query: " + errors[0].path + ": " + errors[0].detail
                            : std::string("invalid query: filter[custom_fields_values]");
  return Status::Invalid(std::move(message), std::move(errors));
}

}  // namespace gatehouse::service::internal
