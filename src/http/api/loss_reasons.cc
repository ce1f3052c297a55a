// /api/v4/leads/loss_reasons: the account's loss reasons (Kommo). GET lists them (by sort) and
// one by id, POST adds a batch of {name, sort?} (administrators), DELETE /{id} removes one
// (administrators; the leads lost for it keep no reason).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

constexpr std::string_view kPath = "/api/v4/leads/loss_reasons";

json ReasonJson(const Request& r, const storage::LossReason& reason) {
  return {{"id", reason.id},
          {"name", reason.name},
          {"sort", reason.sort},
          {"created_at", reason.created_at},
          {"updated_at", reason.updated_at},
          {"_links", SelfLinks(r, std::string(kPath) + "/" + std::to_string(reason.id))}};
}

std::variant<std::vector<service::NewLossReason>, Response> ParseNew(const Batch& batch) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<service::NewLossReason> out;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    const json& item = *batch.parts.items[i];
    service::NewLossReason in;
    for (const auto& [key, value] : item.items()) {
      if (key != "name" && key != "sort" && key != "request_id") {
        errors[i].push_back({key, "NotSupported", key + " is not a field of a loss reason"});
      }
    }
    auto name = item.find("name");
    if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
      errors[i].push_back({"name", "Required", "name must be a non-empty string"});
    } else if (auto error =
                   CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
      errors[i].push_back(std::move(*error));
    } else {
      in.name = name->get<std::string>();
    }
    auto sort = item.find("sort");
    if (sort != item.end() && !sort->is_null()) {
      if (!sort->is_number_integer() || sort->get<std::int64_t>() < 0 ||
          sort->get<std::int64_t>() > 1'000'000'000) {
        errors[i].push_back({"sort", "InvalidValue", "sort must be an integer 0..1000000000"});
      } else {
        in.sort = sort->get<std::int64_t>();
      }
    }
    failed = failed || !errors[i].empty();
    out.push_back(std::move(in));
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return out;
}

}  // namespace

void RegisterLossReasonRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, std::string(kPath),
             [service](Request& r) -> Response {
               base::Status known = r.query.CheckKnownKeys({"page", "limit"});
               if (!known.ok()) return ProblemResponse(known);
               auto paging = ParsePaging(r.query);
               if (!paging.ok()) return ProblemResponse(paging.status());
               auto reasons = service->ListLossReasons(CallerOf(r));
               if (!reasons.ok()) return ProblemResponse(reasons.status());
               const PageSpan span = SpanOf(*paging, reasons->size());
               json items = json::array();
               for (std::size_t i = span.begin; i < span.end; ++i) {
                 items.push_back(ReasonJson(r, (*reasons)[i]));
               }
               return ListResponse(r, "loss_reasons", std::move(items), paging->page,
                                   span.has_next);
             },
             {.name = "leads.loss_reasons.list"});

  router.Add(Method::kGet, std::string(kPath) + "/{id:int}",
             [service](Request& r) -> Response {
               return OneById(
                   r,
                   [&](const service::Caller& c, std::int64_t id) {
                     return service->GetLossReason(c, id);
                   },
                   [&](const service::Caller&, const storage::LossReason& reason) {
                     return JsonResponse(200, ReasonJson(r, reason));
                   });
             },
             {.name = "leads.loss_reasons.get"});

  router.Add(Method::kPost, std::string(kPath),
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto inputs = ParseNew(*batch);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               std::size_t failed = 0;
               auto created = service->AddLossReasons(
                   CallerOf(r), std::get<std::vector<service::NewLossReason>>(inputs), &failed);
               if (!created.ok()) {
                 return BatchProblem(created.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               json items = json::array();
               for (std::size_t i = 0; i < created->size(); ++i) {
                 json item = ReasonJson(r, (*created)[i]);
                 item["request_id"] = batch->parts.request_ids[i];
                 items.push_back(std::move(item));
               }
               return JsonResponse(200, {{"_links", SelfLinks(r, r.path)},
                                         {"_embedded", {{"loss_reasons", std::move(items)}}}});
             },
             {.name = "leads.loss_reasons.add"});

  router.Add(Method::kDelete, std::string(kPath) + "/{id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               base::Status status = service->DeleteLossReason(CallerOf(r), *id);
               if (!status.ok()) return ProblemResponse(status);
               return Response::NoContent();
             },
             {.name = "leads.loss_reasons.delete"});
}

}  // namespace gatehouse::http::api::records
