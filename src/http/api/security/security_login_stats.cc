// GET /api/v4/security/login_stats?days=N (administrators): successful and failed logins per
// UTC day from the activity log (service/security/login_stats.h), for the console's chart:
//   {"days": [{"date": "YYYY-MM-DD", "succeeded": n, "failed": n}, ...],  oldest first
//    "_links": {"self": {"href"}}}
// `days` defaults to 30; outside 1..366, or any other parameter, is a 400 naming it.
#include "http/api/admin/admin_routes.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/security/login_stats.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

constexpr int kDefaultDays = 30;

Response LoginStats(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  if (base::Status s = request.query.CheckKnownKeys({"days"}); !s.ok()) return ErrorResponse(s);
  auto days = request.query.GetInt("days");
  if (!days.ok()) return ErrorResponse(days.status());
  // Range-checked here too: a huge value must not wrap when narrowed to int.
  const std::int64_t wanted = days->value_or(kDefaultDays);
  const int n = wanted < 0 || wanted > service::kMaxLoginStatsDays ? 0 : static_cast<int>(wanted);
  auto stats = SecurityOf(context).LoginStats(caller, n);
  if (!stats.ok()) return ErrorResponse(stats.status());
  json items = json::array();
  for (const service::LoginDay& day : *stats) {
    items.push_back({{"date", day.date}, {"succeeded", day.succeeded}, {"failed", day.failed}});
  }
  return JsonResponse(200, {{"days", std::move(items)},
                            {"_links", SelfLinks(request, "/api/v4/security/login_stats")}});
}

}  // namespace

void RegisterLoginStatsRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/security/login_stats", Bind(context, LoginStats),
             {.name = "security.login_stats", .administrators_only = true});
}

}  // namespace gatehouse::http::api
