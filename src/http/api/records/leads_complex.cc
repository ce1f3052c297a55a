// POST /api/v4/leads/complex (kommo-api-v4.md §9): leads, each with at most one contact and one
// company, new (a full record, created) or existing ({id}, linked), all in one transaction
// (RecordService::AddComplexLeads). Web forms and shop plug-ins send their leads this way.
//
// Answered as Kommo answers it: 200 with a bare array, per lead {id, contact_id, company_id,
// request_id: [its request_id], merged}. Gatehouse has no duplicate control, so nothing is ever
// merged into an existing lead and `merged` is false.
#include <string>

#include "http/api/records/record_json.h"

namespace gatehouse::http::api::records {
namespace {

using nlohmann::json;

// Kommo's limit per request.
constexpr std::size_t kMaxComplexLeads = 50;

json IdOrNull(domain::RecordId id) { return id == 0 ? json(nullptr) : json(id); }

Response AddComplexLeads(const Service& service, Request& r) {
  return BatchWrite<service::ComplexLeadInput>(
      r, &ParseComplexLead,
      [&](const std::vector<service::ComplexLeadInput>& items, std::size_t* failed) {
        return service->AddComplexLeads(CallerOf(r), items, failed);
      },
      [](const Batch& batch, const auto& written) {
        json items = json::array();
        for (std::size_t i = 0; i < written->size(); ++i) {
          const service::ComplexWritten& lead = (*written)[i];
          items.push_back({{"id", lead.id},
                           {"contact_id", IdOrNull(lead.contact_id)},
                           {"company_id", IdOrNull(lead.company_id)},
                           {"request_id", json::array({batch.parts.request_ids[i]})},
                           {"merged", false}});
        }
        return JsonResponse(200, items);
      },
      kMaxComplexLeads);
}

}  // namespace

void RegisterComplexLeadRoute(Router& router, const Service& service) {
  router.Add(Method::kPost, "/api/v4/leads/complex",
             [service](Request& r) -> Response { return AddComplexLeads(service, r); },
             {.name = "leads.add_complex"});
}

}  // namespace gatehouse::http::api::records
