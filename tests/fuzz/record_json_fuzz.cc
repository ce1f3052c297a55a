// Fuzzes the record body readers (http/api/records/record_json.h): the JSON bodies of POST and
// PATCH on leads, contacts, companies, tasks and customers (ParseRecordWrite, the server's own
// tables of accepted keys), of POST /api/v4/leads/complex and of POST
// /api/v4/leads/unsorted/forms and /sip, from the raw body through ParseJsonBody and the batch
// split to the per-item readers.
//
// Invariants: a refused body is kInvalidArgument naming a field; a batch has 1..250 items and
// one request_id each; every field error has a path and a code; custom_fields_values is kept
// as JSON text that parses back to the array sent; PATCH items without errors carry a positive
// id; a tag named in a write has a positive id or a non-empty name, and its path; a key
// CheckBodyFields refuses is one the body has; created_at/updated_at read are in range. No
// reader throws (an exception escaping here is a crash).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "http/api/records/record_json.h"
#include "http/request.h"

namespace {

namespace records = gatehouse::http::api::records;
using gatehouse::base::FieldError;
using nlohmann::json;

void CheckErrors(const std::vector<FieldError>& errors) {
  for (const FieldError& e : errors) {
    FUZZ_CHECK(!e.path.empty() && !e.code.empty(), "a field error has a path and a code");
  }
}

void CheckCustomFields(const json& item, const std::optional<std::string>& text) {
  if (!text || text->empty()) return;
  json parsed = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_array() && parsed == item.at("custom_fields_values"),
             "custom_fields_values is kept as the array sent");
}

void CheckTagRefs(const std::vector<gatehouse::service::TagRef>& refs) {
  FUZZ_CHECK(refs.size() <= records::kMaxTagsPerWrite, "at most kMaxTagsPerWrite tags");
  for (const auto& ref : refs) {
    FUZZ_CHECK((ref.id > 0) != !ref.name.empty(), "a tag is named by an id or by a name");
    FUZZ_CHECK(!ref.path.empty(), "a tag carries its path");
  }
}

template <typename Input>
void CheckItem(bool patch, const Input& in, const std::vector<FieldError>& errors) {
  CheckErrors(errors);
  if (patch && errors.empty()) FUZZ_CHECK(in.id > 0, "a PATCH item has a positive id");
  if constexpr (requires { in.tags; }) {
    if (in.tags.set) CheckTagRefs(*in.tags.set);
    CheckTagRefs(in.tags.add);
    CheckTagRefs(in.tags.remove);
  }
}

// The lead table of records_routes.cc, near enough: what matters is that every refused key is
// one the item has, at the top level or under _embedded.
constexpr std::string_view kTop[] = {"name", "price", "id", "_embedded", "request_id"};
constexpr std::string_view kEmbedded[] = {"tags", "contacts"};

void CheckFieldsAndStamps(const json& item) {
  std::vector<FieldError> errors;
  records::CheckBodyFields(item, {kTop, kEmbedded}, errors);
  CheckErrors(errors);
  // A member named "" is refused under the path '""' (CheckBodyFields).
  auto key_of = [](std::string path) { return path == "\"\"" ? std::string() : path; };
  for (const FieldError& e : errors) {
    const bool top = item.is_object() && item.contains(key_of(e.path));
    const bool embedded = e.path.rfind("_embedded.", 0) == 0 && item.contains("_embedded") &&
                          item["_embedded"].is_object() &&
                          item["_embedded"].contains(key_of(e.path.substr(10)));
    FUZZ_CHECK(top || embedded, "a refused key is one the body has");
  }
  errors.clear();
  gatehouse::service::Stamps stamps = records::ParseStamps(item, errors);
  CheckErrors(errors);
  for (const auto& at : {stamps.created_at, stamps.updated_at}) {
    if (at) FUZZ_CHECK(*at >= 1 && *at <= records::kMaxTimestamp, "a timestamp is in range");
  }
}

// A complex lead: at most one contact and one company, each either new or linked, never both;
// errors about a new one are under its own path.
void CheckComplexLead(const json& item) {
  std::vector<FieldError> errors;
  gatehouse::service::ComplexLeadInput in = records::ParseComplexLead(item, errors);
  CheckErrors(errors);
  CheckItem(false, in.lead, errors);
  if (in.new_contact) {
    FUZZ_CHECK(in.lead.contacts.empty(), "a new contact is not also linked by id");
    CheckItem(false, *in.new_contact, errors);
  }
  if (in.new_company) FUZZ_CHECK(!in.lead.company, "a new company is not also linked by id");
  if (errors.empty()) {
    FUZZ_CHECK(in.lead.contacts.size() + (in.new_contact ? 1 : 0) <= 1, "at most one contact");
  }
}

void ReadItems(const records::Batch& batch) {
  FUZZ_CHECK(!batch.parts.items.empty() && batch.parts.items.size() <= 250, "1..250 items");
  FUZZ_CHECK(batch.parts.request_ids.size() == batch.parts.items.size(), "a request_id per item");
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    auto id = batch.parts.items[i]->find("request_id");
    if (id != batch.parts.items[i]->end() && id->is_number_integer()) {
      FUZZ_CHECK(batch.parts.request_ids[i] == id->dump(),
                 "a numeric request_id is echoed as sent");
    }
  }
  for (const json* item : batch.parts.items) {
    CheckFieldsAndStamps(*item);
    for (bool patch : {false, true}) {
      std::vector<FieldError> errors;
      auto lead = records::ParseRecordWrite<gatehouse::storage::Lead>(*item, patch, errors);
      CheckItem(patch, lead, errors);
      if (errors.empty()) CheckCustomFields(*item, lead.custom_fields_json);
      errors.clear();
      CheckItem(patch, records::ParseRecordWrite<gatehouse::storage::Contact>(*item, patch, errors),
                errors);
      errors.clear();
      CheckItem(patch, records::ParseRecordWrite<gatehouse::storage::Company>(*item, patch, errors),
                errors);
      errors.clear();
      CheckItem(patch, records::ParseRecordWrite<gatehouse::storage::Task>(*item, patch, errors),
                errors);
      errors.clear();
      auto customer = records::ParseRecordWrite<gatehouse::storage::Customer>(*item, patch, errors);
      CheckItem(patch, customer, errors);
      if (errors.empty()) {
        CheckCustomFields(*item, customer.custom_fields_json);
        FUZZ_CHECK(customer.next_price.value_or(0) >= 0 && customer.next_date.value_or(0) >= 0 &&
                       customer.periodicity.value_or(0) >= 0,
                   "an accepted customer has no negative amount, date or periodicity");
      }
    }
    CheckComplexLead(*item);
    std::vector<FieldError> errors;
    auto form = records::ParseIncomingForm(*item, errors);
    CheckErrors(errors);
    if (errors.empty()) FUZZ_CHECK(!form.source_uid.empty(), "a form has a source_uid");
    errors.clear();
    auto call = records::ParseIncomingSip(*item, errors);
    CheckErrors(errors);
    if (errors.empty()) {
      FUZZ_CHECK(!call.source_uid.empty() && call.call.has_value(),
                 "an accepted call has a source_uid and its call");
      FUZZ_CHECK(!call.call->uniq.empty() && !call.call->phone.empty() && call.call->duration >= 0,
                 "a call has a uniq, a phone and a duration >= 0");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gatehouse::http::Request request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  for (bool one : {false, true}) {
    auto batch = one ? records::ReadObject(request) : records::ReadBatch(request);
    if (!batch.ok()) {
      FUZZ_CHECK(batch.status().code() == gatehouse::base::Code::kInvalidArgument,
                 "a refused body is kInvalidArgument");
      FUZZ_CHECK(!batch.status().fields().empty(), "a refused body names a field");
      continue;
    }
    ReadItems(*batch);
  }
  return 0;
}
