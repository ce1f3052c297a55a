// Four-eyes approval requests (API.md "Four-eyes policy"): GET /api/v4/security/approvals and
// POST /api/v4/security/approvals/{id}/approve|reject. Handlers parse, call
// service/security/four_eyes.h and render.
#include <algorithm>

#include "http/api/auth/auth_services.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/json.h"
#include "http/problem.h"
#include "service/security/four_eyes.h"
#include "service/security/security_service.h"

namespace gatehouse::http::api {

using nlohmann::json;

namespace {

constexpr std::string_view kStatuses[] = {"pending", "approved", "rejected", "expired"};

json ApprovalJson(const Request& request, const storage::ApprovalRow& row) {
  json item = {
      {"id", row.id},
      {"kind", row.kind},
      {"status", row.status},
      {"change", json::parse(service::ApprovalChangeJson(row))},
      {"user_id", row.target_id == 0 ? json(nullptr) : json(row.target_id)},
      {"requested_by", row.requested_by},
      {"requested_at", row.requested_at},
      {"expires_at", row.expires_at},
      {"decided_by", row.decided_by == 0 ? json(nullptr) : json(row.decided_by)},
      {"decided_at", row.decided_at == 0 ? json(nullptr) : json(row.decided_at)},
      {"_links", SelfLinks(request, "/api/v4/security/approvals/" + std::to_string(row.id))}};
  return item;
}

Response List(const service::SecurityService& security, Request& request) {
  if (base::Status s = request.query.CheckKnownKeys({"page", "limit"}, {"status"}); !s.ok()) {
    return ProblemResponse(s);
  }
  auto status_filter = request.query.GetString("filter[status]");
  if (!status_filter.ok()) return ProblemResponse(status_filter.status());
  const std::string status = status_filter->value_or("");
  if (!status.empty() &&
      std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
    return ProblemResponse(base::Status::InvalidField(
        "filter[status]", "NotSupportedChoice",
        "filter[status] is one of pending, approved, rejected, expired"));
  }
  auto paging = ParsePaging(request.query);
  if (!paging.ok()) return ProblemResponse(paging.status());
  const std::int64_t n = paging->limit;
  const std::int64_t p = paging->page;
  const std::int64_t offset = (p - 1) * n;  // p <= kMaxPage: no overflow
  // One row past the page says whether there is a next one.
  auto rows = security.ListApprovals(CallerOf(request), status, static_cast<int>(n) + 1,
                                     static_cast<int>(offset));
  if (!rows.ok()) return ProblemResponse(rows.status());
  const bool more = rows->size() > static_cast<std::size_t>(n);
  if (more) rows->pop_back();
  json items = json::array();
  for (const storage::ApprovalRow& row : *rows) items.push_back(ApprovalJson(request, row));
  return ListResponse(request, "approvals", std::move(items), static_cast<int>(p), more);
}

// GET, approve and reject of the request the path's {id} names: `step` of the service, and the
// request as it stands after it.
template <base::Result<storage::ApprovalRow> (service::SecurityService::*step)(
    const service::Caller&, std::int64_t) const>
Response OneApproval(const service::SecurityService& security, Request& request) {
  base::Result<std::int64_t> id = request.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  auto row = (security.*step)(CallerOf(request), *id);
  if (!row.ok()) return ProblemResponse(row.status());
  return JsonResponse(200, ApprovalJson(request, *row));
}

}  // namespace

void RegisterApprovalRoutes(Router& router, ApiContext& context) {
  const service::SecurityService* security = context.security.get();
  // Reading requests is for administrators (the services' RequireAdminOrSystem, checked first by
  // the middleware); deciding is for another administrator, which the service judges itself.
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/approvals", List,
                   {.name = "security.approvals.list", .administrators_only = true});
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/approvals/{id:int}",
                   OneApproval<&service::SecurityService::GetApproval>,
                   {.name = "security.approvals.get", .administrators_only = true});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/approvals/{id:int}/approve",
                   OneApproval<&service::SecurityService::ApproveRequest>,
                   {.name = "security.approvals.approve"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/approvals/{id:int}/reject",
                   OneApproval<&service::SecurityService::RejectRequest>,
                   {.name = "security.approvals.reject"});
}

}  // namespace gatehouse::http::api
