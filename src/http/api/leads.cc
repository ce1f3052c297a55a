// /api/v4/leads: list, get, batch add, batch and single update, delete (kommo-api-v4.md §9).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

void RegisterLeadRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/leads",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kLeads);
               if (!params.ok()) return Problem(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->ListLeads(caller, params->query, params->embed);
               if (!page.ok()) return Problem(page.status());
               std::vector<std::string> items;
               items.reserve(page->items.size());
               for (const service::LeadView& view : page->items) {
                 items.push_back(LeadJson(r, view, caller.account_id, params->embed));
               }
               return ListResponse(r, "leads", std::move(items), params->query.page,
                                   page->has_next);
             },
             {.name = "leads.list"});

  router.Add(Method::kGet, "/api/v4/leads/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto embed = ParseEmbed(r, Resource::kLeads);
               if (!embed.ok()) return Problem(embed.status());
               const service::Caller& caller = CallerOf(r);
               auto view = service->GetLead(caller, *id, *embed);
               if (!view.ok()) return Problem(view.status());
               return Response::Json(200, LeadJson(r, *view, caller.account_id, *embed));
             },
             {.name = "leads.get"});

  router.Add(Method::kPost, "/api/v4/leads",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::LeadInput>(*batch, false, &ParseLead);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::LeadInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->AddLeads(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "leads", *written, batch->parts.request_ids, false);
             },
             {.name = "leads.add"});

  router.Add(Method::kPatch, "/api/v4/leads",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::LeadInput>(*batch, true, &ParseLead);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::LeadInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->UpdateLeads(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "leads", *written, batch->parts.request_ids, true);
             },
             {.name = "leads.update"});

  router.Add(Method::kPatch, "/api/v4/leads/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::LeadInput>(*batch, false, &ParseLead);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               auto& items = std::get<std::vector<service::LeadInput>>(inputs);
               items.front().id = *id;  // the path decides which lead
               auto written = service->UpdateLeads(CallerOf(r), items);
               if (!written.ok())
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               return WrittenOne(r, "leads", written->front());
             },
             {.name = "leads.update_one"});

  router.Add(Method::kDelete, "/api/v4/leads/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               base::Status status = service->DeleteLead(CallerOf(r), *id);
               if (!status.ok()) return Problem(status);
               return Response::NoContent();
             },
             {.name = "leads.delete"});
}

}  // namespace gatehouse::http::api::records
