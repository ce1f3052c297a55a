// /api/v4/contacts: list, get, batch add, batch and single update, delete (kommo-api-v4.md §10).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

void RegisterContactRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/contacts",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kContacts);
               if (!params.ok()) return Problem(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->List<storage::Contact>(caller, params->query, params->embed);
               if (!page.ok()) return Problem(page.status());
               std::vector<std::string> items;
               items.reserve(page->items.size());
               for (const service::ContactView& view : page->items) {
                 items.push_back(ContactJson(r, view, caller.account_id, params->embed));
               }
               return ListResponse(r, "contacts", std::move(items), params->query.page,
                                   page->has_next);
             },
             {.name = "contacts.list"});

  router.Add(Method::kGet, "/api/v4/contacts/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto embed = ParseEmbed(r, Resource::kContacts);
               if (!embed.ok()) return Problem(embed.status());
               const service::Caller& caller = CallerOf(r);
               auto view = service->Get<storage::Contact>(caller, *id, *embed);
               if (!view.ok()) return Problem(view.status());
               return Response::Json(200, ContactJson(r, *view, caller.account_id, *embed));
             },
             {.name = "contacts.get"});

  router.Add(Method::kPost, "/api/v4/contacts",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::ContactInput>(*batch, false, &ParseContact);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::ContactInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Add<storage::Contact>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "contacts", *written, batch->parts.request_ids, false);
             },
             {.name = "contacts.add"});

  router.Add(Method::kPatch, "/api/v4/contacts",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::ContactInput>(*batch, true, &ParseContact);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::ContactInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Update<storage::Contact>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "contacts", *written, batch->parts.request_ids, true);
             },
             {.name = "contacts.update"});

  router.Add(Method::kPatch, "/api/v4/contacts/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::ContactInput>(*batch, false, &ParseContact);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               auto& items = std::get<std::vector<service::ContactInput>>(inputs);
               items.front().id = *id;  // the path decides which contact
               auto written = service->Update<storage::Contact>(CallerOf(r), items);
               if (!written.ok())
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               return WrittenOne(r, "contacts", written->front());
             },
             {.name = "contacts.update_one"});

  router.Add(Method::kDelete, "/api/v4/contacts/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               base::Status status = service->Delete<storage::Contact>(CallerOf(r), *id);
               if (!status.ok()) return Problem(status);
               return Response::NoContent();
             },
             {.name = "contacts.delete"});
}

}  // namespace gatehouse::http::api::records
