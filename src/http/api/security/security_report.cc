// GET /api/v4/security/report (SPEC §6): administrators only. Runs every check of
// service/security/security_report.h and renders the document described in security_report.h.
#include "http/api/security/security_report.h"

#include "http/api/admin/admin_routes.h"
#include "http/api/hal.h"
#include "http/json.h"

namespace gatehouse::http::api {
namespace {

// Ordered, so members read in the documented order.
using nlohmann::ordered_json;

ordered_json AffectedJson(const service::Affected& a) {
  ordered_json out = {{"type", a.type}};
  if (a.key.empty()) {
    out["id"] = a.id;
  } else {
    out["id"] = a.key;
  }
  out["name"] = a.name;
  if (a.user_id != 0 && a.type != "user") out["user_id"] = a.user_id;
  if (!a.detail.empty()) out["detail"] = a.detail;
  if (!a.counts.empty()) {
    ordered_json counts = ordered_json::object();
    for (const auto& [name, n] : a.counts) counts[name] = n;
    out["counts"] = std::move(counts);
  }
  return out;
}

ordered_json DormantUsersJson(const std::vector<service::DormantUser>& users) {
  ordered_json out = ordered_json::array();
  for (const service::DormantUser& d : users) {
    out.push_back({{"id", d.user_id},
                   {"name", d.name},
                   {"email", d.email},
                   {"is_admin", d.is_admin},
                   {"last_login_at", d.last_login_at},
                   {"inactive_since", d.since},
                   {"deactivate_at", d.deactivate_at}});
  }
  return out;
}

Response Report(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  if (base::Status s = CheckQuery(request, {}); !s.ok()) return ErrorResponse(s);
  auto report = SecurityOf(context).BuildSecurityReport(caller);
  if (!report.ok()) return ErrorResponse(report.status());
  const std::string self = BaseUrl(request) + "/api/v4/security/report";
  return Response::Json(200, SecurityReportJson(*report, self));
}

}  // namespace

std::string SecurityReportJson(const service::SecurityReport& report, std::string_view self_href) {
  ordered_json findings = ordered_json::array();
  for (const service::Finding& f : report.findings) {
    ordered_json affected = ordered_json::array();
    for (const service::Affected& a : f.affected) affected.push_back(AffectedJson(a));
    findings.push_back({{"code", f.code},
                        {"severity", service::SeverityName(f.severity)},
                        {"title", f.title},
                        {"affected", std::move(affected)},
                        {"fix", f.fix}});
  }
  ordered_json out = {{"generated_at", report.generated_at},
                      {"summary",
                       {{"high", report.Count(service::Severity::kHigh)},
                        {"medium", report.Count(service::Severity::kMedium)},
                        {"low", report.Count(service::Severity::kLow)}}},
                      {"findings", std::move(findings)},
                      {"dormant_deactivations",
                       {{"dormant_days", report.dormant.dormant_days},
                        {"within_days", report.dormant.within_days},
                        {"users", DormantUsersJson(report.dormant.upcoming)},
                        {"kept", DormantUsersJson(report.dormant.kept)}}},
                      {"_links", {{"self", {{"href", std::string(self_href)}}}}}};
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

void RegisterSecurityReportRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/security/report", Bind(context, Report),
             {.name = "security.report", .administrators_only = true});
}

}  // namespace gatehouse::http::api
