// Custom fields of leads, contacts and companies (issue 15 §3, SPEC §2 "Field rights"):
// the definitions (Kommo's /api/v4/{entity}/custom_fields), and the values of the records
// (custom_fields_values) validated per type, filtered by the caller's field rights.
//
// Definitions: every user reads those of the fields they may view; only administrators
// create, change or delete them (RequireAdmin, here, not in the routes). Deleting a field
// deletes its values and drops it from every user's and role's field rights.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/custom_fields.h"
#include "service/admin.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::service {

struct EnumInput {
  std::int64_t id = 0;  // PATCH: an existing enum of the field; 0: a new one
  std::string value;
  std::optional<int> sort;
};

// POST items and PATCH items (PATCH: id required, type cannot change).
struct CustomFieldInput {
  std::string request_id;
  std::int64_t id = 0;
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<std::string> code;
  std::optional<int> sort;
  std::optional<bool> is_api_only;
  std::optional<std::vector<EnumInput>> enums;  // PATCH: replaces the enums when present
};

inline constexpr std::size_t kMaxFieldName = 255;

base::Result<std::vector<domain::CustomField>> ListCustomFields(const AdminDeps& deps,
                                                                const Caller& caller,
                                                                domain::DataSet data_set);
// kNotFound for a missing field or one the caller may not view.
base::Result<domain::CustomField> GetCustomField(const AdminDeps& deps, const Caller& caller,
                                                 domain::DataSet data_set, std::int64_t id);
base::Result<std::vector<domain::CustomField>> CreateCustomFields(
    const AdminDeps& deps, const Caller& caller, domain::DataSet data_set,
    const std::vector<CustomFieldInput>& items, std::vector<ItemErrors>* item_errors);
base::Result<std::vector<domain::CustomField>> UpdateCustomFields(
    const AdminDeps& deps, const Caller& caller, domain::DataSet data_set,
    const std::vector<CustomFieldInput>& items, std::vector<ItemErrors>* item_errors);
base::Status DeleteCustomField(const AdminDeps& deps, const Caller& caller,
                               domain::DataSet data_set, std::int64_t id);

namespace internal {

// The custom_fields_values a record sends (the JSON array text the HTTP layer read), checked
// against the definitions of `data_set`: per type (400 at "custom_fields_values.N.field_id",
// "custom_fields_values.N.values.M.value", ...), then the caller's edit right on each field
// sent (403 naming the field). Writes the fields sent, each replacing that field's values
// (values null or []: cleared); fields not sent, hidden ones included, stay as they are.
// Returns whether any stored value changed.
base::Result<bool> WriteFieldValues(const Caller& caller, storage::AccountWriter& w,
                                    domain::DataSet data_set, domain::RecordId record_id,
                                    const std::string& sent);

// Kommo's custom_fields_values of one record as `caller` may see it, as JSON text ("" when
// there is nothing to show): the defined fields the caller may view that have values, in the
// definitions' order, then the entries of the record's `legacy` text (stored before migration
// 15) whose field_id names no definition of the kind. `rows`: the record's stored values,
// ordered by (field, position).
std::string RenderFieldValues(const Caller& caller, domain::DataSet data_set,
                              std::span<const domain::CustomField> fields,
                              std::span<const storage::FieldValueRow> rows,
                              const std::string& legacy);

}  // namespace internal
}  // namespace gatehouse::service
