// /api/v4/companies: list, get, batch add, batch and single update, delete (kommo-api-v4.md §10).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

void RegisterCompanyRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/companies",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kCompanies);
               if (!params.ok()) return Problem(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->List<storage::Company>(caller, params->query, params->embed);
               if (!page.ok()) return Problem(page.status());
               std::vector<std::string> items;
               items.reserve(page->items.size());
               for (const service::CompanyView& view : page->items) {
                 items.push_back(CompanyJson(r, view, caller.account_id, params->embed));
               }
               return ListResponse(r, "companies", std::move(items), params->query.page,
                                   page->has_next);
             },
             {.name = "companies.list"});

  router.Add(Method::kGet, "/api/v4/companies/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto embed = ParseEmbed(r, Resource::kCompanies);
               if (!embed.ok()) return Problem(embed.status());
               const service::Caller& caller = CallerOf(r);
               auto view = service->Get<storage::Company>(caller, *id, *embed);
               if (!view.ok()) return Problem(view.status());
               return Response::Json(200, CompanyJson(r, *view, caller.account_id, *embed));
             },
             {.name = "companies.get"});

  router.Add(Method::kPost, "/api/v4/companies",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::CompanyInput>(*batch, false, &ParseCompany);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::CompanyInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Add<storage::Company>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "companies", *written, batch->parts.request_ids, false);
             },
             {.name = "companies.add"});

  router.Add(Method::kPatch, "/api/v4/companies",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::CompanyInput>(*batch, true, &ParseCompany);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::CompanyInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Update<storage::Company>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "companies", *written, batch->parts.request_ids, true);
             },
             {.name = "companies.update"});

  router.Add(Method::kPatch, "/api/v4/companies/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::CompanyInput>(*batch, false, &ParseCompany);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               auto& items = std::get<std::vector<service::CompanyInput>>(inputs);
               items.front().id = *id;  // the path decides which company
               auto written = service->Update<storage::Company>(CallerOf(r), items);
               if (!written.ok())
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               return WrittenOne(r, "companies", written->front());
             },
             {.name = "companies.update_one"});

  router.Add(Method::kDelete, "/api/v4/companies/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               base::Status status = service->Delete<storage::Company>(CallerOf(r), *id);
               if (!status.ok()) return Problem(status);
               return Response::NoContent();
             },
             {.name = "companies.delete"});
}

}  // namespace gatehouse::http::api::records
