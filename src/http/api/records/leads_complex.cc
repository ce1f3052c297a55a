// POST /api/v4/leads/complex (kommo-api-v4.md §9): leads, each with at most one contact and one
// company, new (a full record, created) or existing ({id}, linked), all in one transaction
// (RecordService::AddComplexLeads). Web forms and shop plug-ins send their leads this way.
//
// Answered as Kommo answers it: 200 with a bare array, per lead {id, contact_id, company_id,
// request_id: [its request_id], merged}. Gatehouse has no duplicate control, so nothing is ever
// merged into an existing lead and `merged` is false.
#include <optional>
#include <string>

#include "http/api/records/record_json.h"
#include "storage/record_traits.h"

namespace gatehouse::http::api::records {
namespace {

using base::FieldError;
using nlohmann::json;

// Kommo's limit per request.
constexpr std::size_t kMaxComplexLeads = 50;

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

service::ComplexLeadInput ParseComplexLead(const json& item, std::vector<FieldError>& errors) {
  json lead = item;
  service::ComplexLeadInput in;
  if (const json* embedded = PresentMember(lead, "_embedded");
      embedded != nullptr && embedded->is_object() && embedded->contains("metadata")) {
    errors.push_back({"_embedded.metadata", "NotSupported",
                      "incoming leads are added with POST /api/v4/leads/unsorted/forms"});
    lead["_embedded"].erase("metadata");
  }
  in.new_contact = TakeNewRecord<storage::Contact>(lead, errors);
  in.new_company = TakeNewRecord<storage::Company>(lead, errors);
  in.lead = ParseRecordWrite<storage::Lead>(lead, /*patch=*/false, errors);
  // A lead's only contact is its main one unless the client says otherwise.
  if (in.lead.contacts.size() == 1 && !SaysIsMain(lead)) in.lead.contacts.front().is_main = true;
  return in;
}

json IdOrNull(domain::RecordId id) { return id == 0 ? json(nullptr) : json(id); }

Response AddComplexLeads(const Service& service, Request& r) {
  auto batch = ReadBatch(r);
  if (!batch.ok()) return ProblemResponse(batch.status());
  if (batch->parts.items.size() > kMaxComplexLeads) {
    return ProblemResponse(base::Status::InvalidField(
        "body", "TooMany",
        "leads/complex takes at most " + std::to_string(kMaxComplexLeads) + " leads a request"));
  }
  auto inputs = ParseEach<service::ComplexLeadInput>(*batch, &ParseComplexLead);
  if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
  std::size_t failed = 0;
  auto written = service->AddComplexLeads(
      CallerOf(r), std::get<std::vector<service::ComplexLeadInput>>(inputs), &failed);
  if (!written.ok()) {
    return BatchProblem(written.status(), failed, batch->parts.request_ids, batch->is_array);
  }
  json items = json::array();
  for (std::size_t i = 0; i < written->size(); ++i) {
    const service::ComplexWritten& lead = (*written)[i];
    items.push_back({{"id", lead.id},
                     {"contact_id", IdOrNull(lead.contact_id)},
                     {"company_id", IdOrNull(lead.company_id)},
                     {"request_id", json::array({batch->parts.request_ids[i]})},
                     {"merged", false}});
  }
  return JsonResponse(200, items);
}

}  // namespace

void RegisterComplexLeadRoute(Router& router, const Service& service) {
  router.Add(Method::kPost, "/api/v4/leads/complex",
             [service](Request& r) -> Response { return AddComplexLeads(service, r); },
             {.name = "leads.add_complex"});
}

}  // namespace gatehouse::http::api::records
