// /api/v4/leads: list, get, batch add, batch and single update, delete (kommo-api-v4.md §9).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using base::Status;
using nlohmann::json;

void RegisterLeadRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/leads",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kLeads);
               if (!params.ok()) return Problem(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->List<storage::Lead>(caller, params->query, params->embed);
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

  // Our extension: the pipeline board's per-stage counts and totals of the leads the caller
  // may view (service::RecordService::SummarizeLeads).
  router.Add(
      Method::kGet, "/api/v4/leads/summary",
      [service](Request& r) -> Response {
        Status known = r.query.CheckKnownKeys({"filter"}, {"pipeline_id"});
        if (!known.ok()) return Problem(known);
        auto pipeline = r.query.GetInt("filter[pipeline_id]");
        if (!pipeline.ok()) return Problem(pipeline.status());
        if (pipeline->has_value() && **pipeline <= 0) {
          return Problem(Status::InvalidField("filter[pipeline_id]", "InvalidValue",
                                              "filter[pipeline_id] must be a pipeline id"));
        }
        auto summary = service->SummarizeLeads(CallerOf(r), pipeline->value_or(0));
        if (!summary.ok()) return Problem(summary.status());
        json stages = json::array();
        for (const service::StageSummary& stage : summary->stages) {
          stages.push_back({{"pipeline_id", stage.pipeline_id},
                            {"status_id", stage.status_id},
                            {"count", stage.count},
                            {"price", stage.price}});
        }
        json body = {
            {"total", {{"count", summary->count}, {"price", summary->price}}},
            {"_links", SelfLinks(r, r.raw_query.empty() ? r.path : r.path + "?" + r.raw_query)},
            {"_embedded", {{"stages", std::move(stages)}}}};
        return Response::Json(200, body.dump());
      },
      {.name = "leads.summary"});

  router.Add(Method::kGet, "/api/v4/leads/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto embed = ParseEmbed(r, Resource::kLeads);
               if (!embed.ok()) return Problem(embed.status());
               const service::Caller& caller = CallerOf(r);
               auto view = service->Get<storage::Lead>(caller, *id, *embed);
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
               auto written = service->Add<storage::Lead>(CallerOf(r), items, &failed);
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
               auto written = service->Update<storage::Lead>(CallerOf(r), items, &failed);
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
               auto written = service->Update<storage::Lead>(CallerOf(r), items);
               if (!written.ok())
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               return WrittenOne(r, "leads", written->front());
             },
             {.name = "leads.update_one"});

  router.Add(Method::kDelete, "/api/v4/leads/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               base::Status status = service->Delete<storage::Lead>(CallerOf(r), *id);
               if (!status.ok()) return Problem(status);
               return Response::NoContent();
             },
             {.name = "leads.delete"});
}

}  // namespace gatehouse::http::api::records
