// Account security resources (API.md "Our extensions"): password change, 2FA, sessions, the IP
// whitelist and the security policy. Handlers parse, call service/security/security.h and render.
#include <algorithm>

#include "http/api/auth/auth_json.h"
#include "http/api/auth/auth_services.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/security/security_json.h"
#include "http/json.h"
#include "http/problem.h"
#include "service/security/security.h"
#include "service/security/security_service.h"

namespace gatehouse::http::api {

using base::Status;
using nlohmann::json;

namespace {

json PolicyJson(const service::PolicyView& v) {
  json out = service::SecurityPolicyJson(v.policy);
  out["seats"] = v.seats;
  out["seats_used"] = v.seats_used;
  return out;
}

Response ChangePassword(const service::SecurityService& security, Request& request) {
  std::optional<std::string> current, next;
  Status read = ReadFormBody(request, [&](BodyReader& fields) {
    current = fields.String("current_password", true);
    next = fields.String("new_password", true);
  });
  if (!read.ok()) return ProblemResponse(read);
  Status s = security.ChangePassword(CallerOf(request), *current, *next);
  return s.ok() ? Response::NoContent() : ProblemResponse(s);
}

Response TwoFactorState(const service::SecurityService& security, Request& request) {
  auto state = security.GetTwoFactor(CallerOf(request));
  if (!state.ok()) return ProblemResponse(state.status());
  return JsonResponse(200, {{"enabled", state->enabled},
                            {"pending", state->pending},
                            {"required", state->required},
                            {"recovery_codes_left", state->recovery_codes_left}});
}

Response Enroll(const service::SecurityService& security, Request& request) {
  auto enrollment = security.EnrollTwoFactor(CallerOf(request));
  if (!enrollment.ok()) return ProblemResponse(enrollment.status());
  return JsonResponse(200, {{"secret", enrollment->secret},
                            {"otpauth_uri", enrollment->otpauth_uri},
                            {"qr_svg", enrollment->qr_svg}});
}

// The body's "code" member, required (CodeField).
base::Result<std::string> CodeOf(Request& request) {
  std::optional<std::string> code;
  Status read = ReadFormBody(request, [&](BodyReader& fields) { code = CodeField(fields, true); });
  if (!read.ok()) return read;
  return *code;
}

// The fresh recovery codes of a two-step confirmation or renewal, shown this once.
Response RecoveryCodesResponse(const base::Result<std::vector<std::string>>& codes) {
  if (!codes.ok()) return ProblemResponse(codes.status());
  return JsonResponse(200, {{"recovery_codes", *codes}});
}

Response Confirm(const service::SecurityService& security, Request& request) {
  base::Result<std::string> code = CodeOf(request);
  if (!code.ok()) return ProblemResponse(code.status());
  return RecoveryCodesResponse(security.ConfirmTwoFactor(CallerOf(request), *code));
}

Response Disable(const service::SecurityService& security, Request& request) {
  base::Result<std::string> code = CodeOf(request);
  if (!code.ok()) return ProblemResponse(code.status());
  Status s = security.DisableTwoFactor(CallerOf(request), *code);
  return s.ok() ? Response::NoContent() : ProblemResponse(s);
}

Response NewRecoveryCodes(const service::SecurityService& security, Request& request) {
  base::Result<std::string> code = CodeOf(request);
  if (!code.ok()) return ProblemResponse(code.status());
  return RecoveryCodesResponse(security.RegenerateRecoveryCodes(CallerOf(request), *code));
}

Response ResetTwoFactor(const service::SecurityService& security, Request& request) {
  base::Result<std::int64_t> id = request.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  Status s = security.ResetTwoFactor(CallerOf(request), *id);
  return s.ok() ? Response::NoContent() : ProblemResponse(s);
}

Response ResetPassword(const service::SecurityService& security, Request& request) {
  base::Result<std::int64_t> id = request.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  std::optional<std::string> password;
  Status read = ReadFormBody(
      request, [&](BodyReader& fields) { password = fields.String("password", true); });
  if (!read.ok()) return ProblemResponse(read);
  Status s = security.ResetPassword(CallerOf(request), *id, *password);
  return s.ok() ? Response::NoContent() : ProblemResponse(s);
}

json SessionJson(const Request& request, const service::SessionInfo& s) {
  return {{"id", s.id},
          {"user_id", s.user_id},
          {"device", s.device},
          {"ip", s.ip},
          {"location", s.location},
          {"created_at", s.created_at},
          {"last_activity_at", s.last_activity_at},
          {"current", s.current},
          {"_links", SelfLinks(request, "/api/v4/security/sessions/" + s.id)}};
}

Response ListSessions(const service::SecurityService& security, Request& request) {
  if (Status s = request.query.CheckKnownKeys({"page", "limit"}, {"all", "user_id"}); !s.ok()) {
    return ProblemResponse(s);
  }
  auto all = request.query.GetBool("filter[all]");
  auto user_id = request.query.GetInt("filter[user_id]");
  auto paging = ParsePaging(request.query);
  for (const Status* s : {&all.status(), &user_id.status(), &paging.status()}) {
    if (!s->ok()) return ProblemResponse(*s);
  }
  auto sessions =
      security.ListSessions(CallerOf(request), user_id->value_or(0), all->value_or(false));
  if (!sessions.ok()) return ProblemResponse(sessions.status());
  return PageResponse(request, "sessions", *paging, *sessions,
                      [&](const service::SessionInfo& s) { return SessionJson(request, s); });
}

Response EndSession(const service::SecurityService& security, Request& request) {
  Status s = security.EndSession(CallerOf(request), request.Param("id"));
  return s.ok() ? Response::NoContent() : ProblemResponse(s);
}

Response EndSessions(const service::SecurityService& security, Request& request) {
  std::optional<std::string> scope;
  std::optional<std::int64_t> user_id;
  Status read = ReadFormBody(request, [&](BodyReader& fields) {
    scope = fields.String("scope", true);
    user_id = fields.Int("user_id", false);
  });
  if (!read.ok()) return ProblemResponse(read);
  auto ended = security.EndSessions(CallerOf(request), *scope, user_id.value_or(0));
  if (!ended.ok()) return ProblemResponse(ended.status());
  return JsonResponse(200, {{"scope", *scope}, {"ended", *ended}});
}

Response GetWhitelist(const service::SecurityService& security, Request& request) {
  auto whitelist = security.GetIpWhitelist(CallerOf(request));
  if (!whitelist.ok()) return ProblemResponse(whitelist.status());
  return JsonResponse(200, service::IpWhitelistJson(*whitelist));
}

// The lock-out guard's refusal names the address the server saw in its detail; the problem
// also carries it as the extension member `client_ip` (RFC 9457 §3.2), so a client can show
// it (and offer to add it) without parsing the sentence.
Response WhitelistProblem(const Status& status, const std::string& client_ip) {
  Response response = ProblemResponse(status);
  const bool lock_out = std::any_of(status.fields().begin(), status.fields().end(),
                                    [](const base::FieldError& e) { return e.code == "LockOut"; });
  if (!lock_out) return response;
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return response;
  body["client_ip"] = client_ip;
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

Response PutWhitelist(const service::SecurityService& security, Request& request) {
  base::Result<json> body = ParseObjectBody(request);
  if (!body.ok()) return ProblemResponse(body.status());
  base::Result<service::IpWhitelist> whitelist = ReadIpWhitelist(*body);
  if (!whitelist.ok()) return ProblemResponse(whitelist.status());
  std::int64_t approval_id = 0;
  auto saved = security.PutIpWhitelist(CallerOf(request), std::move(*whitelist), &approval_id);
  if (!saved.ok()) return WhitelistProblem(saved.status(), CallerOf(request).client_ip);
  if (approval_id != 0) return ApprovalPendingResponse(request, approval_id);
  return JsonResponse(200, service::IpWhitelistJson(*saved));
}

Response GetPolicy(const service::SecurityService& security, Request& request) {
  auto policy = security.GetSecurityPolicy(CallerOf(request));
  if (!policy.ok()) return ProblemResponse(policy.status());
  return JsonResponse(200, PolicyJson(*policy));
}

Response PatchPolicy(const service::SecurityService& security, Request& request) {
  base::Result<json> body = ParseObjectBody(request);
  if (!body.ok()) return ProblemResponse(body.status());
  base::Result<service::PolicyPatch> patch = ReadPolicyPatch(*body);
  if (!patch.ok()) return ProblemResponse(patch.status());
  std::int64_t approval_id = 0;
  auto policy = security.PatchSecurityPolicy(CallerOf(request), *patch, &approval_id);
  if (!policy.ok()) return ProblemResponse(policy.status());
  if (approval_id != 0) return ApprovalPendingResponse(request, approval_id);
  return JsonResponse(200, PolicyJson(*policy));
}

}  // namespace

void RegisterSecurityRoutes(Router& router, ApiContext& context) {
  const service::SecurityService* security = context.security.get();
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/password", ChangePassword,
                   {.name = "security.password", .blocking = true});
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/two_factor", TwoFactorState,
                   {.name = "security.two_factor.get"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/two_factor/enroll", Enroll,
                   {.name = "security.two_factor.enroll"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/two_factor/confirm", Confirm,
                   {.name = "security.two_factor.confirm"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/two_factor/disable", Disable,
                   {.name = "security.two_factor.disable"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/two_factor/recovery_codes",
                   NewRecoveryCodes, {.name = "security.two_factor.recovery_codes"});
  // The routes below whose services begin with RequireAdminOrSystem carry the flag: an HTTP
  // caller is never the system, so the middleware's check is the services' own, made first.
  // The services keep theirs for the CLI and the service tests.
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/users/{id:int}/two_factor/reset",
                   ResetTwoFactor,
                   {.name = "security.two_factor.reset", .administrators_only = true});
  AddSecurityRoute(
      router, security, Method::kPost, "/api/v4/users/{id:int}/password", ResetPassword,
      {.name = "security.password.reset", .blocking = true, .administrators_only = true});
  // Listing or ending someone else's sessions needs an administrator, one's own does not.
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/sessions", ListSessions,
                   {.name = "security.sessions.list"});
  AddSecurityRoute(router, security, Method::kDelete, "/api/v4/security/sessions/{id}", EndSession,
                   {.name = "security.sessions.delete"});
  AddSecurityRoute(router, security, Method::kPost, "/api/v4/security/sessions/end", EndSessions,
                   {.name = "security.sessions.end"});
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/ip_whitelist", GetWhitelist,
                   {.name = "security.ip_whitelist.get", .administrators_only = true});
  AddSecurityRoute(router, security, Method::kPut, "/api/v4/security/ip_whitelist", PutWhitelist,
                   {.name = "security.ip_whitelist.put", .administrators_only = true});
  AddSecurityRoute(router, security, Method::kGet, "/api/v4/security/policy", GetPolicy,
                   {.name = "security.policy.get", .administrators_only = true});
  AddSecurityRoute(router, security, Method::kPatch, "/api/v4/security/policy", PatchPolicy,
                   {.name = "security.policy.patch", .administrators_only = true});
  RegisterApprovalRoutes(router, context);
}

}  // namespace gatehouse::http::api
