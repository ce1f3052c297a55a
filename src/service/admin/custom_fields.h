// Custom fields of leads, contacts, companies and customers (issue 15 §3-§4, SPEC §2):
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
#include "service/admin/admin.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::service {

struct EnumInput {
  std::int64_t id = 0;  // PATCH: an existing enum of the field; 0: a new one
  std::string value{};
  std::optional<int> sort{};
};

// POST items and PATCH items (PATCH: id required, type cannot change).
struct CustomFieldInput {
  std::string request_id{};
  std::int64_t id = 0;
  std::optional<std::string> name{};
  std::optional<std::string> type{};
  std::optional<std::string> code{};
  std::optional<int> sort{};
  std::optional<bool> is_api_only{};
  std::optional<std::vector<EnumInput>> enums{};  // PATCH: replaces the enums when present
};

inline constexpr std::size_t kMaxFieldName = 255;

namespace internal {

// The custom_fields_values a record sends (the JSON array text the HTTP layer read), checked
// against the definitions of `data_set`: per type (400 at "custom_fields_values.N.field_id",
// "custom_fields_values.N.values.M.value", ...), then the caller's edit right on each field
// sent (403 naming the field). Writes the fields sent, each replacing that field's values
// (values null or []: cleared); fields not sent, hidden ones included, stay as they are.
// Returns the fields whose stored values changed, each with its values before and after as
// the custom_field_value_changed event shows them (FieldChange).
struct FieldChange {
  std::int64_t field_id = 0;
  // [{"custom_field_value": {"field_id", "field_type", "enum_id", "text"}}, ...], one entry
  // per value ([] when none): Kommo's value shape for this event. The field id it names is
  // what the activity log checks against the reader's field rights (admin_events.cc).
  std::string before_json{};
  std::string after_json{};
};
base::Result<std::vector<FieldChange>> WriteFieldValues(const Caller& caller,
                                                        storage::AccountWriter& w,
                                                        domain::DataSet data_set,
                                                        domain::RecordId record_id,
                                                        const std::string& sent);

// The two halves of WriteFieldValues, for values checked before their record exists (an
// incoming lead's contacts and company: checked when the form is sent, stored on accept).
// One field's checked values, ready to store; `field` points into the definitions checked
// against.
struct FieldWrite {
  const domain::CustomField* field = nullptr;
  std::vector<domain::FieldValue> values{};
};
// kEnforce: the caller's view and edit rights apply as in WriteFieldValues. kAuthorized: the
// values were checked under someone's rights before (the form's sender); only their shape is
// checked again, against today's definitions.
enum class FieldRightsCheck { kEnforce, kAuthorized };
base::Result<std::vector<FieldWrite>> CheckFieldValues(
    const Caller& caller, domain::DataSet data_set, std::span<const domain::CustomField> fields,
    const std::string& sent, FieldRightsCheck rights = FieldRightsCheck::kEnforce);
base::Result<std::vector<FieldChange>> StoreFieldValues(storage::AccountWriter& w,
                                                        domain::DataSet data_set,
                                                        domain::RecordId record_id,
                                                        std::span<const FieldWrite> writes);

// A custom_fields_values array kept as text outside the values table (an incoming lead's
// contacts and company) as `caller` may see it: the entries naming a field of `fields` the
// caller may not view are left out, the others kept as they are.
std::string VisibleFieldEntries(const Caller& caller, domain::DataSet data_set,
                                std::span<const domain::CustomField> fields,
                                const std::string& sent);

// The custom field a custom_field_value_changed event names (FieldChange), nullopt when it
// names none (events logged before fields were named).
std::optional<std::int64_t> FieldOfValueEvent(const std::string& before_json,
                                              const std::string& after_json);

// Kommo's custom_fields_values of one record as `caller` may see it, as JSON text ("" when
// there is nothing to show): the defined fields the caller may view that have values, in the
// definitions' order, then the entries of the record's `legacy` text (stored before migration
// 15) whose field_id names no definition of the kind. `rows`: the record's stored values,
// ordered by (field, position).
std::string RenderFieldValues(const Caller& caller, domain::DataSet data_set,
                              std::span<const domain::CustomField> fields,
                              std::span<const storage::FieldValueRow> rows,
                              const std::string& legacy);

// A stored value as plain text (an export cell): the enum's current value for select and
// multiselect, "1"/"0" for a checkbox, the stored text otherwise.
std::string FieldValueText(const domain::CustomField& field, const domain::FieldValue& value);

// filter[custom_fields_values] (custom_field_filters.cc): resolves each condition of
// `conditions` as sent against the definition of its field of `data_set` and sets its match
// (storage::FieldCondition). Per type: text, textarea, url, multitext: any of the values, equal;
// numeric, price: numbers, equal, and [from]/[to]; date: unix seconds or YYYY-MM-DD, likewise;
// checkbox: true/1 (checked) or false/0 (never checked or unchecked); select, multiselect: enum
// ids or enum values. A field that does not exist and one the caller may not view are the same
// kInvalidArgument at "filter[custom_fields_values][ID]" (NotFound): a hidden field does not
// exist for the caller, so filtering cannot reveal it. Other errors are kInvalidArgument at the
// same path or its [from]/[to].
base::Status ResolveFieldFilters(const Caller& caller, const storage::AccountReader& reader,
                                 domain::DataSet data_set,
                                 std::vector<storage::FieldCondition>& conditions);

}  // namespace internal
}  // namespace gatehouse::service
