// /api/v4/leads/unsorted: incoming leads waiting to be accepted or declined (kommo-api-v4.md
// §12). Web forms and calls (sip) can be created here, as Kommo's API allows, one item shape for
// both but their metadata; accept turns an item into a lead. The summary counts the items the
// caller may view.
#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/records/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

json UidLinks(const Request& r, const std::string& uid) {
  return SelfLinks(r, "/api/v4/leads/unsorted/" + uid);
}

// POST /api/v4/leads/unsorted/forms and .../sip: a batch of items read by `parse`, added in one
// transaction, answered with their uids.
Handler AddIncomingHandler(Service service,
                           service::IncomingInput (*parse)(const json&,
                                                           std::vector<base::FieldError>&)) {
  return [service = std::move(service), parse](Request& r) -> Response {
    const service::Caller& caller = CallerOf(r);
    return BatchWrite<service::IncomingInput>(
        r, parse,
        [&](const std::vector<service::IncomingInput>& items, std::size_t* failed) {
          return service->AddIncoming(caller, items, failed);
        },
        [&](const Batch& batch, const auto& created) {
          json out = WithRequestIds(batch, *created, [&](const storage::IncomingLead& item) {
            return json{{"uid", item.uid},
                        {"account_id", caller.account_id},
                        {"_links", UidLinks(r, item.uid)}};
          });
          return EmbeddedResponse(r, "unsorted", std::move(out), /*with_total=*/true);
        });
  };
}

constexpr std::string_view kAcceptKeys[] = {"status_id", "user_id"};
constexpr std::string_view kDeclineKeys[] = {"user_id"};

// The optional body of accept or decline (kommo-api-v4.md §12): `keys` only. Kommo's `user_id`
// names who decides; here that is the caller, so another id is refused rather than ignored (an
// administrator acts as another user with X-Context-User-ID). Returns status_id (0: none).
base::Result<std::int64_t> ReadDecision(const Request& r, std::span<const std::string_view> keys) {
  if (r.body.empty()) return 0;
  GH_ASSIGN_OR_RETURN(json body, ParseJsonBody(r));
  if (!body.is_object()) {
    return base::Status::InvalidField("body", "InvalidType", "the body must be a JSON object");
  }
  std::vector<base::FieldError> errors;
  CheckBodyFields(body, {keys, {}}, errors);
  BodyReader fields(body, errors, "", kRecordBody);
  const std::int64_t status_id = fields.Int("status_id").value_or(0);
  const std::optional<std::int64_t> user_id = fields.Int("user_id");
  const domain::UserId caller = CallerOf(r).user_id;
  if (user_id && *user_id != caller) {
    fields.Add("user_id", "NotSupported",
               "user_id must be the caller's id (" + std::to_string(caller) +
                   "): an incoming lead is decided by the user making the request");
  }
  GH_RETURN_IF_ERROR(fields.status());
  return status_id;
}

}  // namespace

void RegisterUnsortedRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/leads/unsorted",
             [service](Request& r) -> Response {
               auto params = ParseListParams(r, Resource::kUnsorted);
               if (!params.ok()) return ProblemResponse(params.status());
               const service::Caller& caller = CallerOf(r);
               auto page = service->ListIncoming(caller, params->query);
               if (!page.ok()) return ProblemResponse(page.status());
               json items = json::array();
               for (const storage::IncomingLead& item : page->items) {
                 items.push_back(IncomingJson(r, item, caller.account_id));
               }
               return ListResponse(r, "unsorted", std::move(items), params->query.page,
                                   page->has_next);
             },
             {.name = "unsorted.list"});

  // A literal segment wins over {uid} (router.h), so "summary" is never read as an item's uid.
  router.Add(
      Method::kGet, "/api/v4/leads/unsorted/summary",
      [service](Request& r) -> Response {
        auto query = ParseUnsortedSummaryQuery(r);
        if (!query.ok()) return ProblemResponse(query.status());
        auto summary = service->SummarizeIncoming(CallerOf(r), *query);
        if (!summary.ok()) return ProblemResponse(summary.status());
        json categories = json::object();
        for (const storage::IncomingCategoryCount& c : summary->categories) {
          categories[std::string(domain::IncomingCategoryName(c.category))] = {{"total", c.total}};
        }
        return JsonResponse(200, {{"total", summary->total},
                                  {"accepted", summary->accepted},
                                  {"declined", summary->declined},
                                  {"average_sort_time", summary->average_sort_time},
                                  {"categories", std::move(categories)}});
      },
      {.name = "unsorted.summary"});

  router.Add(Method::kGet, "/api/v4/leads/unsorted/{uid}",
             [service](Request& r) -> Response {
               base::Status known = r.query.CheckKnownKeys({});
               if (!known.ok()) return ProblemResponse(known);
               const service::Caller& caller = CallerOf(r);
               auto item = service->GetIncoming(caller, r.Param("uid"));
               if (!item.ok()) return ProblemResponse(item.status());
               return JsonResponse(200, IncomingJson(r, *item, caller.account_id));
             },
             {.name = "unsorted.get"});

  router.Add(Method::kPost, "/api/v4/leads/unsorted/forms",
             AddIncomingHandler(service, &ParseIncomingForm), {.name = "unsorted.add_forms"});
  router.Add(Method::kPost, "/api/v4/leads/unsorted/sip",
             AddIncomingHandler(service, &ParseIncomingSip), {.name = "unsorted.add_sip"});

  router.Add(
      Method::kPost, "/api/v4/leads/unsorted/{uid}/accept",
      [service](Request& r) -> Response {
        base::Result<std::int64_t> status_id = ReadDecision(r, kAcceptKeys);
        if (!status_id.ok()) return ProblemResponse(status_id.status());
        const service::Caller& caller = CallerOf(r);
        const std::string uid(r.Param("uid"));
        auto lead = service->AcceptIncoming(caller, uid, *status_id);
        if (!lead.ok()) return ProblemResponse(lead.status());
        json body = {
            {"uid", uid},
            {"account_id", caller.account_id},
            {"_links", UidLinks(r, uid)},
            {"_embedded",
             {{"leads", json::array({{{"id", lead->id},
                                      {"pipeline_id", lead->pipeline_id},
                                      {"status_id", lead->status_id},
                                      {"_links", SelfLinks(r, "/api/v4/leads/" +
                                                                  std::to_string(lead->id))}}})}}}};
        return JsonResponse(200, body);
      },
      {.name = "unsorted.accept"});

  router.Add(Method::kDelete, "/api/v4/leads/unsorted/{uid}/decline",
             [service](Request& r) -> Response {
               base::Result<std::int64_t> decision = ReadDecision(r, kDeclineKeys);
               if (!decision.ok()) return ProblemResponse(decision.status());
               const service::Caller& caller = CallerOf(r);
               auto item = service->DeclineIncoming(caller, r.Param("uid"));
               if (!item.ok()) return ProblemResponse(item.status());
               json body = {{"uid", item->uid},
                            {"account_id", caller.account_id},
                            {"state", item->state},
                            {"_links", UidLinks(r, item->uid)}};
               return JsonResponse(200, body);
             },
             {.name = "unsorted.decline"});
}

}  // namespace gatehouse::http::api::records
