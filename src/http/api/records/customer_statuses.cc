// /api/v4/customers/statuses (Kommo's customer statuses): every user reads them, administrators
// add, change and delete them (the service decides). The customers themselves are registered
// with the other record kinds (records_routes.cc).
#include "http/api/api.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

constexpr std::string_view kStatusesPath = "/api/v4/customers/statuses";

json StatusJson(const Request& r, const storage::CustomerStatus& s, domain::AccountId account_id) {
  return {{"id", s.id},
          {"name", s.name},
          {"sort", s.sort},
          {"is_default", s.is_default},
          {"color", s.color},
          {"type", s.type},
          // Kommo's entry and exit conditions: not kept by Gatehouse (nor writable through
          // Kommo's API), so there are none.
          {"conditions", json::array()},
          {"account_id", account_id},
          {"_links", SelfLinks(r, std::string(kStatusesPath) + "/" + std::to_string(s.id))}};
}

Response Collection(const Request& r, const std::vector<storage::CustomerStatus>& statuses,
                    domain::AccountId account_id) {
  if (statuses.empty()) return Response::NoContent();
  json items = json::array();
  for (const storage::CustomerStatus& s : statuses) items.push_back(StatusJson(r, s, account_id));
  return EmbeddedResponse(r, "statuses", std::move(items), /*with_total=*/true);
}

// How an item is read: POST (name required), PATCH on the collection (id required) or PATCH
// /{id} (neither: the path names the status).
enum class Mode { kAdd, kPatchBatch, kPatchOne };

// One item: name, sort, color (request_id echoed, not stored).
service::CustomerStatusInput ParseStatus(const json& item, Mode mode,
                                         std::vector<base::FieldError>& errors) {
  service::CustomerStatusInput in;
  BodyReader f(item, errors);
  if (mode == Mode::kPatchBatch) in.id = f.Int("id", /*required=*/true).value_or(0);
  in.name = f.String("name", /*required=*/mode == Mode::kAdd);
  if (in.name) {
    if (auto error = CheckText("name", *in.name, TextKind::kLine, kMaxNameChars)) {
      errors.push_back(*error);
    }
  }
  in.sort = f.Int("sort");
  in.color = f.String("color");
  return in;
}

std::variant<std::vector<service::CustomerStatusInput>, Response> ParseAll(const Batch& batch,
                                                                           Mode mode) {
  return ParseEach<service::CustomerStatusInput>(
      batch, [mode](const json& item, std::vector<base::FieldError>& errors) {
        return ParseStatus(item, mode, errors);
      });
}

// POST / PATCH on the collection: {_total_items, _embedded.statuses: [status + request_id]}.
Response Written(const Request& r, const Batch& batch,
                 const std::vector<storage::CustomerStatus>& statuses,
                 domain::AccountId account_id) {
  json items = WithRequestIds(batch, statuses, [&](const storage::CustomerStatus& status) {
    return StatusJson(r, status, account_id);
  });
  json out = {{"_total_items", items.size()}};
  out["_embedded"]["statuses"] = std::move(items);
  return JsonResponse(200, out);
}

Response WriteBatch(const Service& service, Request& r, bool patch) {
  const service::Caller& caller = CallerOf(r);
  const Mode mode = patch ? Mode::kPatchBatch : Mode::kAdd;
  return BatchWrite<service::CustomerStatusInput>(
      r,
      [mode](const json& item, std::vector<base::FieldError>& errors) {
        return ParseStatus(item, mode, errors);
      },
      [&](const std::vector<service::CustomerStatusInput>& items, std::size_t* failed) {
        return patch ? service->UpdateCustomerStatuses(caller, items, failed)
                     : service->AddCustomerStatuses(caller, items, failed);
      },
      [&](const Batch& batch, const auto& written) {
        return Written(r, batch, *written, caller.account_id);
      });
}

// PATCH /{id}: one object, the path naming the status.
Response UpdateOne(const Service& service, Request& r) {
  auto id = r.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  auto batch = ReadObject(r);
  if (!batch.ok()) return ProblemResponse(batch.status());
  auto inputs = ParseAll(*batch, Mode::kPatchOne);
  if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
  auto& items = std::get<std::vector<service::CustomerStatusInput>>(inputs);
  items.front().id = *id;  // the path decides which status
  const service::Caller& caller = CallerOf(r);
  auto written = service->UpdateCustomerStatuses(caller, items);
  if (!written.ok()) return BatchProblem(written.status(), 0, batch->parts.request_ids, false);
  return JsonResponse(200, StatusJson(r, written->front(), caller.account_id));
}

}  // namespace

void RegisterCustomerStatusRoutes(Router& router, const Service& service) {
  const std::string collection(kStatusesPath);
  const std::string one = collection + "/{id:int}";
  router.Add(Method::kGet, collection,
             [service](Request& r) -> Response {
               base::Status known = r.query.CheckKnownKeys({});
               if (!known.ok()) return ProblemResponse(known);
               const service::Caller& caller = CallerOf(r);
               auto statuses = service->ListCustomerStatuses(caller);
               if (!statuses.ok()) return ProblemResponse(statuses.status());
               return Collection(r, *statuses, caller.account_id);
             },
             {.name = "customers.statuses.list"});
  router.Add(Method::kGet, one,
             OneByIdHandler(service, &service::RecordService::GetCustomerStatus, StatusJson),
             {.name = "customers.statuses.get"});
  router.Add(Method::kPost, collection,
             [service](Request& r) -> Response { return WriteBatch(service, r, /*patch=*/false); },
             {.name = "customers.statuses.add"});
  router.Add(Method::kPatch, collection,
             [service](Request& r) -> Response { return WriteBatch(service, r, /*patch=*/true); },
             {.name = "customers.statuses.update"});
  router.Add(Method::kPatch, one,
             [service](Request& r) -> Response { return UpdateOne(service, r); },
             {.name = "customers.statuses.update_one"});
  router.Add(Method::kDelete, one,
             [service](Request& r) -> Response {
               return RemoveById(r, [&](const service::Caller& c, std::int64_t id) {
                 return service->DeleteCustomerStatus(c, id);
               });
             },
             {.name = "customers.statuses.delete"});
}

}  // namespace gatehouse::http::api::records
