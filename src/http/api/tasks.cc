// /api/v4/tasks: list, get, batch add, batch and single update, delete (kommo-api-v4.md §11).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

void RegisterTaskRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/tasks",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kTasks);
               if (!params.ok()) return Problem(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->List<storage::Task>(caller, params->query);
               if (!page.ok()) return Problem(page.status());
               std::vector<std::string> items;
               items.reserve(page->items.size());
               for (const service::TaskView& view : page->items) {
                 items.push_back(TaskJson(r, view, caller.account_id));
               }
               return ListResponse(r, "tasks", std::move(items), params->query.page,
                                   page->has_next);
             },
             {.name = "tasks.list"});

  router.Add(
      Method::kGet, "/api/v4/tasks/{id:int}",
      [service](Request& r) -> Response {
        return OneById(
            r, [&](const service::Caller& c, std::int64_t id) { return service->Get<storage::Task>(c, id); },
            [&](const service::Caller& c, const service::TaskView& view) {
              return Response::Json(200, TaskJson(r, view, c.account_id));
            });
      },
      {.name = "tasks.get"});

  router.Add(Method::kPost, "/api/v4/tasks",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::TaskInput>(*batch, false, &ParseTask);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::TaskInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Add<storage::Task>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "tasks", *written, batch->parts.request_ids, false);
             },
             {.name = "tasks.add"});

  router.Add(Method::kPatch, "/api/v4/tasks",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::TaskInput>(*batch, true, &ParseTask);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const auto& items = std::get<std::vector<service::TaskInput>>(inputs);
               std::size_t failed = 0;
               auto written = service->Update<storage::Task>(CallerOf(r), items, &failed);
               if (!written.ok()) {
                 return BatchProblem(written.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return WrittenResponse(r, "tasks", *written, batch->parts.request_ids, true);
             },
             {.name = "tasks.update"});

  router.Add(Method::kPatch, "/api/v4/tasks/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               auto batch = ReadObject(r);
               if (!batch.ok()) return Problem(batch.status());
               auto inputs = ParseItems<service::TaskInput>(*batch, false, &ParseTask);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               auto& items = std::get<std::vector<service::TaskInput>>(inputs);
               items.front().id = *id;  // the path decides which task
               auto written = service->Update<storage::Task>(CallerOf(r), items);
               if (!written.ok())
                 return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
               return WrittenOne(r, "tasks", written->front());
             },
             {.name = "tasks.update_one"});

  router.Add(Method::kDelete, "/api/v4/tasks/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return Problem(id.status());
               base::Status status = service->Delete<storage::Task>(CallerOf(r), *id);
               if (!status.ok()) return Problem(status);
               return Response::NoContent();
             },
             {.name = "tasks.delete"});
}

}  // namespace gatehouse::http::api::records
