// /api/v4/leads/loss_reasons: the account's loss reasons (Kommo). GET lists them (by sort) and
// one by id, POST adds a batch of {name, sort?} (administrators), DELETE /{id} removes one
// (administrators; the leads lost for it keep no reason).
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

constexpr std::string_view kLossReasonsPath = "/api/v4/leads/loss_reasons";

json ReasonJson(const Request& r, const storage::LossReason& reason) {
  return {
      {"id", reason.id},
      {"name", reason.name},
      {"sort", reason.sort},
      {"created_at", reason.created_at},
      {"updated_at", reason.updated_at},
      {"_links", SelfLinks(r, std::string(kLossReasonsPath) + "/" + std::to_string(reason.id))}};
}

// One item of a POST body: {name, sort?, request_id?}; every other field is refused by name.
service::NewLossReason ParseNew(const json& item, std::vector<base::FieldError>& errors) {
  service::NewLossReason in;
  RefuseUnknownKeys(item, {"name", "sort", "request_id"}, "a loss reason", errors);
  in.name = RequiredName(item, errors);
  if (const json* sort = PresentMember(item, "sort")) {
    if (!sort->is_number_integer() || sort->get<std::int64_t>() < 0 ||
        sort->get<std::int64_t>() > 1'000'000'000) {
      errors.push_back({"sort", "InvalidValue", "sort must be an integer 0..1000000000"});
    } else {
      in.sort = sort->get<std::int64_t>();
    }
  }
  return in;
}

// POST: a batch of {name, sort?}, answered with the reasons and their request_ids.
Response AddReasons(const Service& service, Request& r) {
  return BatchWrite<service::NewLossReason>(
      r, &ParseNew,
      [&](const std::vector<service::NewLossReason>& inputs, std::size_t* failed) {
        return service->AddLossReasons(CallerOf(r), inputs, failed);
      },
      [&](const Batch& batch, const auto& created) {
        json items = WithRequestIds(batch, *created, [&](const storage::LossReason& reason) {
          return ReasonJson(r, reason);
        });
        return EmbeddedResponse(r, "loss_reasons", std::move(items));
      });
}

}  // namespace

void RegisterLossReasonRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, std::string(kLossReasonsPath),
             [service](Request& r) -> Response {
               auto paging = ParseOnlyPaging(r.query);
               if (!paging.ok()) return ProblemResponse(paging.status());
               auto reasons = service->ListLossReasons(CallerOf(r));
               if (!reasons.ok()) return ProblemResponse(reasons.status());
               return PageResponse(
                   r, "loss_reasons", *paging, *reasons,
                   [&](const storage::LossReason& reason) { return ReasonJson(r, reason); });
             },
             {.name = "leads.loss_reasons.list"});

  router.Add(Method::kGet, std::string(kLossReasonsPath) + "/{id:int}",
             OneByIdHandler(service, &service::RecordService::GetLossReason,
                            [](const Request& r, const storage::LossReason& reason,
                               domain::AccountId) { return ReasonJson(r, reason); }),
             {.name = "leads.loss_reasons.get"});

  router.Add(Method::kPost, std::string(kLossReasonsPath),
             [service](Request& r) -> Response { return AddReasons(service, r); },
             {.name = "leads.loss_reasons.add"});

  router.Add(Method::kDelete, std::string(kLossReasonsPath) + "/{id:int}",
             [service](Request& r) -> Response {
               return RemoveById(r, [&](const service::Caller& c, std::int64_t id) {
                 return service->DeleteLossReason(c, id);
               });
             },
             {.name = "leads.loss_reasons.delete"});
}

}  // namespace gatehouse::http::api::records
