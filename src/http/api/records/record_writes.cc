// How the record resources read a write: per kind the keys it may carry and its reader
// (WriteOf), ParseRecordWrite for POST and PATCH on /api/v4/<plural>, and ParseComplexLead for
// POST /api/v4/leads/complex. Kept apart from the routes so that the fuzz build, which has no
// service or storage layer, reads bodies exactly as the server does (tests/fuzz).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "http/api/records/record_json.h"
#include "storage/record_traits.h"

namespace gatehouse::http::api::records {

using base::FieldError;
using nlohmann::json;

namespace {

template <typename R>
struct WriteOf;

// How a write of each kind is read: kParse, its reader (record_body.cc), and kTop / kEmbedded,
// the keys it may carry (BodyFields in record_json.h): the fields it stores, then the read-only
// ones GET renders or Kommo documents as read-only, which a client may send back unchanged and
// which are ignored.
template <>
struct WriteOf<storage::Lead> {
  static constexpr auto kParse = &ParseLead;
  static constexpr std::string_view kTop[] = {
      "name", "price", "status_id", "pipeline_id", "responsible_user_id", "closed_at",
      "loss_reason_id", "custom_fields_values", "tags_to_add", "tags_to_delete", "created_at",
      "updated_at", "created_by", "updated_by", "_embedded",
      // read-only
      "id", "request_id", "account_id", "group_id", "closest_task_at", "is_deleted", "score",
      "labor_cost", "is_price_modified_by_robot", "_links"};
  static constexpr std::string_view kEmbedded[] = {"tags", "contacts", "companies", "loss_reason"};
};

template <>
struct WriteOf<storage::Contact> {
  static constexpr auto kParse = &ParseContact;
  static constexpr std::string_view kTop[] = {
      "name", "first_name", "last_name", "responsible_user_id", "custom_fields_values",
      "tags_to_add", "tags_to_delete", "created_at", "updated_at", "created_by", "updated_by",
      "_embedded",
      // read-only
      "id", "request_id", "account_id", "group_id", "closest_task_at", "is_deleted", "is_unsorted",
      "_links"};
  // companies: refused by ParseContact with a reason; leads: read-only (with=leads).
  static constexpr std::string_view kEmbedded[] = {"tags", "companies", "leads"};
};

template <>
struct WriteOf<storage::Company> {
  static constexpr auto kParse = &ParseCompany;
  static constexpr std::string_view kTop[] = {
      "name", "responsible_user_id", "custom_fields_values", "tags_to_add", "tags_to_delete",
      "created_at", "updated_at", "created_by", "updated_by", "_embedded",
      // read-only
      "id", "request_id", "account_id", "group_id", "closest_task_at", "is_deleted", "_links"};
  // leads, contacts: read-only (with=leads,contacts).
  static constexpr std::string_view kEmbedded[] = {"tags", "leads", "contacts"};
};

template <>
struct WriteOf<storage::Task> {
  static constexpr auto kParse = &ParseTask;
  static constexpr std::string_view kTop[] = {
      "text", "complete_till", "entity_type", "entity_id", "task_type_id", "duration",
      "is_completed", "responsible_user_id", "result", "created_at", "updated_at", "created_by",
      "updated_by",
      // read-only
      "id", "request_id", "account_id", "group_id", "_links"};
  static constexpr std::span<const std::string_view> kEmbedded = {};
};

template <>
struct WriteOf<storage::Customer> {
  static constexpr auto kParse = &ParseCustomer;
  static constexpr std::string_view kTop[] = {
      "name", "next_price", "next_date", "status_id", "periodicity", "responsible_user_id",
      "custom_fields_values", "tags_to_add", "tags_to_delete", "created_at", "updated_at",
      "created_by", "updated_by", "_embedded",
      // read-only; ltv, purchases_count, average_check: refused with a reason by ParseCustomer
      "id", "request_id", "account_id", "group_id", "closest_task_at", "is_deleted", "ltv",
      "purchases_count", "average_check", "_links"};
  static constexpr std::string_view kEmbedded[] = {"tags", "contacts", "companies"};
};

// `_embedded.<plural of R>` of a complex lead, one record at most. With an id it is an existing
// record, left for the lead's own parser, which links it as POST /leads does: linked, not
// changed, so the fields a client library sends with it (the record as it loaded it) are not
// applied. Without an id it is a new record, parsed as POST /<plural> parses one (its errors
// under "_embedded.<plural>.0.") and taken out of `lead`.
template <typename R>
std::optional<service::Input<R>> TakeNewRecord(json& lead, std::vector<FieldError>& errors) {
  const std::string plural(storage::RecordTraits<R>::kPlural);
  auto embedded = lead.find("_embedded");
  if (embedded == lead.end() || !embedded->is_object()) return std::nullopt;
  auto list = embedded->find(plural);
  // Not an array of objects: the lead's parser says what is wrong with it.
  if (list == embedded->end() || !list->is_array() || list->empty()) return std::nullopt;
  const std::string path = "_embedded." + plural;
  if (list->size() > 1) {
    errors.push_back({path, "TooMany",
                      "a lead added with leads/complex has at most one " +
                          std::string(storage::RecordTraits<R>::kName)});
    embedded->erase(plural);  // said once, not again by the lead's parser
    return std::nullopt;
  }
  const json& entry = list->front();
  if (!entry.is_object() || PresentMember(entry, "id") != nullptr) return std::nullopt;
  std::vector<FieldError> inner;
  service::Input<R> in = ParseRecordWrite<R>(entry, /*patch=*/false, inner);
  AppendUnder(path + ".0.", inner, errors);
  embedded->erase(plural);
  return in;
}

// Whether the lead's one linked contact says whether it is the main one.
bool SaysIsMain(const json& lead) {
  const json* embedded = PresentMember(lead, "_embedded");
  const json* contacts =
      embedded != nullptr && embedded->is_object() ? PresentMember(*embedded, "contacts") : nullptr;
  return contacts != nullptr && contacts->is_array() && !contacts->empty() &&
         contacts->front().is_object() && contacts->front().contains("is_main");
}

}  // namespace

template <typename R>
service::Input<R> ParseRecordWrite(const json& item, bool patch, std::vector<FieldError>& errors) {
  CheckBodyFields(item, {WriteOf<R>::kTop, WriteOf<R>::kEmbedded}, errors);
  service::Input<R> in = WriteOf<R>::kParse(item, patch, errors);
  in.stamps = ParseStamps(item, errors);
  return in;
}

#define GATEHOUSE_RECORD_WRITE(R) \
  template service::Input<R> ParseRecordWrite<R>(const json&, bool, std::vector<FieldError>&);
GATEHOUSE_RECORD_WRITE(storage::Lead)
GATEHOUSE_RECORD_WRITE(storage::Contact)
GATEHOUSE_RECORD_WRITE(storage::Company)
GATEHOUSE_RECORD_WRITE(storage::Task)
GATEHOUSE_RECORD_WRITE(storage::Customer)
#undef GATEHOUSE_RECORD_WRITE

service::ComplexLeadInput ParseComplexLead(const json& item, std::vector<FieldError>& errors) {
  json lead = item;
  service::ComplexLeadInput in;
  if (const json* embedded = PresentMember(lead, "_embedded");
      embedded != nullptr && embedded->is_object() && embedded->contains("metadata")) {
    errors.push_back({"_embedded.metadata", "NotSupported",
                      "incoming leads are added with POST /api/v4/leads/unsorted/forms or /sip"});
    lead["_embedded"].erase("metadata");
  }
  in.new_contact = TakeNewRecord<storage::Contact>(lead, errors);
  in.new_company = TakeNewRecord<storage::Company>(lead, errors);
  in.lead = ParseRecordWrite<storage::Lead>(lead, /*patch=*/false, errors);
  // A lead's only contact is its main one unless the client says otherwise.
  if (in.lead.contacts.size() == 1 && !SaysIsMain(lead)) in.lead.contacts.front().is_main = true;
  return in;
}

}  // namespace gatehouse::http::api::records
