// Custom field definitions of leads, contacts, companies and customers (Kommo's
// /api/v4/{entity}/custom_fields): the common types and what a definition holds. Pure values, as
// rights.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/rights.h"

namespace gatehouse::domain {

// Kommo's common field types (their API names in FieldTypeName).
enum class FieldType : std::uint8_t {
  kText,         // "text": one line
  kNumeric,      // "numeric": a decimal number, kept as its text
  kCheckbox,     // "checkbox": true or false
  kSelect,       // "select": one of the field's enums
  kMultiselect,  // "multiselect": any of the field's enums
  kDate,         // "date": unix seconds
  kUrl,          // "url": an http(s) address
  kTextarea,     // "textarea": several lines
  kPrice,        // "price": a decimal number >= 0, kept as its text
  kMultitext,    // "multitext": phone or e-mail values, each tagged with an enum (WORK, MOB, ...)
};

std::string_view FieldTypeName(FieldType type);
std::optional<FieldType> FieldTypeFromName(std::string_view name);
// select, multiselect and multitext carry enums.
bool FieldTypeHasEnums(FieldType type);
// Whether a value of this type may hold several values (multiselect, multitext).
bool FieldTypeIsMultiple(FieldType type);

// A decimal number written as text ("-12", "3.50"; at most 40 characters): the text as given,
// nullopt when it is not one.
std::optional<std::string> ParseDecimal(std::string_view text);
// A date as unix seconds: decimal digits ("1700000000", at most 12) or "YYYY-MM-DD" (midnight
// UTC); nullopt otherwise.
std::optional<std::int64_t> ParseDate(std::string_view text);

// The data sets that carry custom fields: leads, contacts, companies and customers. Field
// rights are per field, so customers' fields have their own (custom_fields_rights.customers),
// while a customer's record rights are the leads' row.
constexpr bool HasCustomFields(DataSet data_set) {
  return data_set == DataSet::kLeads || data_set == DataSet::kContacts ||
         data_set == DataSet::kCompanies || data_set == DataSet::kCustomers;
}

struct FieldEnum {
  std::int64_t id = 0;
  std::string value{};  // for multitext, the enum code (WORK, MOB, PRIV, ...)
  int sort = 0;
  bool operator==(const FieldEnum&) const = default;
};

struct CustomField {
  std::int64_t id = 0;
  DataSet data_set = DataSet::kLeads;  // leads, contacts or companies
  std::string name{};
  std::string code{};  // optional, upper case; PHONE/EMAIL for the multitext fields Kommo creates
  FieldType type = FieldType::kText;
  int sort = 0;
  bool is_api_only = false;
  std::vector<FieldEnum> enums{};  // ordered by (sort, id)
  bool operator==(const CustomField&) const = default;

  const FieldEnum* FindEnum(std::int64_t enum_id) const;
  const FieldEnum* FindEnumByValue(std::string_view value) const;
};

// A stored value of one field of one record (one per element of Kommo's "values" array).
struct FieldValue {
  std::string value{};       // canonical text: "12.5", "1"/"0" (checkbox), "1700000000" (date)
  std::int64_t enum_id = 0;  // select, multiselect, multitext
  bool operator==(const FieldValue&) const = default;
};

}  // namespace gatehouse::domain
