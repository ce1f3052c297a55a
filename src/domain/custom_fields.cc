// Names of the custom field types.
#include "domain/custom_fields.h"

#include <array>
#include <utility>

namespace gatehouse::domain {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 10> kTypeNames = {{
    {FieldType::kText, "text"},
    {FieldType::kNumeric, "numeric"},
    {FieldType::kCheckbox, "checkbox"},
    {FieldType::kSelect, "select"},
    {FieldType::kMultiselect, "multiselect"},
    {FieldType::kDate, "date"},
    {FieldType::kUrl, "url"},
    {FieldType::kTextarea, "textarea"},
    {FieldType::kPrice, "price"},
    {FieldType::kMultitext, "multitext"},
}};

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "text";
}

std::optional<FieldType> FieldTypeFromName(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool FieldTypeHasEnums(FieldType type) {
  return type == FieldType::kSelect || type == FieldType::kMultiselect ||
         type == FieldType::kMultitext;
}

bool FieldTypeIsMultiple(FieldType type) {
  return type == FieldType::kMultiselect || type == FieldType::kMultitext;
}

const FieldEnum* CustomField::FindEnum(std::int64_t enum_id) const {
  for (const FieldEnum& e : enums) {
    if (e.id == enum_id) return &e;
  }
  return nullptr;
}

const FieldEnum* CustomField::FindEnumByValue(std::string_view value) const {
  for (const FieldEnum& e : enums) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

}  // namespace gatehouse::domain
