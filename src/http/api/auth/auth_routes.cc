// The authentication middleware, /auth/login and /auth/logout, and the wiring of every auth and
// security route family.
#include <spdlog/spdlog.h>

#include "base/text.h"
#include "http/api/auth/auth_json.h"
#include "http/api/auth/auth_services.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "http/origin.h"
#include "http/problem.h"
#include "service/security/security_service.h"

namespace gatehouse::http::api {

using base::Code;
using base::Status;
using nlohmann::json;

namespace {

// Routes a session that must first enrol in 2FA may still reach.
constexpr std::string_view kEnrolmentRoutes[] = {
    "auth.session", "auth.logout", "security.two_factor.get", "security.two_factor.enroll",
    "security.two_factor.confirm"};

bool ChangesState(Method method) {
  return method == Method::kPost || method == Method::kPut || method == Method::kPatch ||
         method == Method::kDelete;
}

// The Set-Cookie value of a session cookie (`token` empty: one that clears it).
std::string SessionCookie(std::string_view token, std::int64_t max_age, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

// The CSRF token of a request: the header, or a browser form's csrf_token field.
std::string CsrfTokenOf(const Request& request) {
  if (const std::string* header = request.headers.Find(kCsrfHeader)) {
    return std::string(base::Trim(*header));
  }
  std::string_view type = request.headers.Get("content-type");
  if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded") return "";
  base::Result<Query> form = Query::Parse(request.body);
  if (!form.ok()) return "";
  base::Result<std::optional<std::string>> field = form->GetString("csrf_token");
  return field.ok() && *field ? **field : "";
}

// Authenticates the request and attaches its Caller; the refusal to answer otherwise.
std::optional<Response> AuthenticateRequest(service::AuthService& auth, Request& request) {
  service::Credentials credentials;
  if (const std::string* authorization = request.headers.Find("authorization")) {
    const std::string_view value = base::Trim(*authorization);
    if (value.size() < 7 || !EqualsIgnoreCase(value.substr(0, 7), "Bearer ")) {
      Response response = ProblemResponse(401, "only Bearer authorization is accepted");
      response.headers.Set("WWW-Authenticate", "Bearer");
      return response;
    }
    credentials.bearer = base::Trim(value.substr(7));
  } else {
    credentials.session_token = CookieValue(request, kSessionCookie);
  }
  credentials.changes_state = ChangesState(request.method);
  if (credentials.changes_state && credentials.bearer.empty()) {
    credentials.csrf_token = CsrfTokenOf(request);
  }
  if (const std::string* context = request.headers.Find(kContextUserHeader)) {
    credentials.context_user_id = base::Trim(*context);
  }
  credentials.client = ClientInfoOf(request);
  service::AuthError error;
  base::Result<service::Authenticated> result = auth.Authenticate(credentials, &error);
  if (!result.ok()) {
    Response response = AuthProblem(result.status(), error);
    if (response.status == 401) {
      response.headers.Set("WWW-Authenticate", "Bearer");
      if (!credentials.session_token.empty()) {
        response.headers.Add("Set-Cookie", SessionCookie("", 0, false));
      }
    }
    return response;
  }
  if (result->must_enroll_two_factor &&
      std::find(std::begin(kEnrolmentRoutes), std::end(kEnrolmentRoutes), request.route_name) ==
          std::end(kEnrolmentRoutes)) {
    return ProblemResponse(
        403, "this workspace requires two-step verification: enrol before anything else",
        service::kTwoFactorEnrollmentRequired);
  }
  result->caller.must_enroll_two_factor = result->must_enroll_two_factor;
  if (result->from_trusted_proxy && !request.base_url_configured) {
    request.base_url = ForwardedOrigin(request.headers, request.base_url);
  }
  SetCaller(request, std::move(result->caller));
  return std::nullopt;
}

std::optional<Response> Authenticate(service::AuthService& auth, Request& request) {
  if (request.route != nullptr && request.route->allow_anonymous) return std::nullopt;
  if (std::optional<Response> refused = AuthenticateRequest(auth, request)) return refused;
  return AdministratorsOnly(request);
}

Response Login(service::AuthService& auth, Request& request) {
  service::LoginInput input;
  Status read = ReadFormBody(request, [&](BodyReader& fields) {
    input.email = fields.String("email", true).value_or("");
    input.password = fields.String("password", true).value_or("");
    input.subdomain = fields.String("subdomain", false).value_or("");
    input.code = CodeField(fields, false).value_or("");
  });
  if (!read.ok()) return ProblemResponse(read);
  input.client = ClientInfoOf(request);
  service::AuthError error;
  base::Result<service::LoginResult> result = auth.Login(input, &error);
  if (!result.ok()) {
    Response response = AuthProblem(result.status(), error);
    if (!error.cause.empty()) response.log_cause = "login failed: " + error.cause;
    return response;
  }
  json out = {{"user_id", result->user_id},
              {"account_id", result->account_id},
              {"csrf_token", result->csrf_token},
              {"must_enroll_two_factor", result->must_enroll_two_factor}};
  Response response = JsonResponse(200, out);
  // Secure when the browser reached us over TLS: an https public URL, or a trusted proxy's
  // X-Forwarded-Proto (the service judged that one).
  const bool secure =
      result->secure || (request.base_url_configured && request.base_url.rfind("https://", 0) == 0);
  response.headers.Add("Set-Cookie",
                       SessionCookie(result->session_token, result->max_age_seconds, secure));
  return response;
}

// Who the request authenticates as: what a web page reloaded with only its cookie needs to go
// on (the CSRF token is derived from the session, so it is the same as at login). Signed out
// is an answer here, not an error: 200 {"authenticated": false}, so a page that merely asks
// logs no failed request.
Response CurrentSession(service::AuthService& auth, Request& request) {
  if (std::optional<Response> refused = AuthenticateRequest(auth, request)) {
    if (refused->status != 401) return std::move(*refused);
    // The cookie is cleared only when one was sent: it named a session that expired or was
    // ended, which the page tells its user ("your session has ended").
    const std::string* clear = refused->headers.Find("Set-Cookie");
    json body = {{"authenticated", false}};
    if (clear != nullptr) body["session_ended"] = true;
    Response anonymous = JsonResponse(200, body);
    if (clear != nullptr) anonymous.headers.Add("Set-Cookie", *clear);
    return anonymous;
  }
  const service::Caller& caller = CallerOf(request);
  json out = {{"authenticated", true},
              {"user_id", caller.user_id},
              {"account_id", caller.account_id},
              {"is_admin", caller.is_admin()},
              {"must_enroll_two_factor", caller.must_enroll_two_factor},
              {"via", caller.via == service::Via::kSession ? "session" : "token"}};
  if (caller.via == service::Via::kSession) {
    out["session_id"] = caller.session_id;
    out["csrf_token"] = service::AuthService::CsrfTokenFor(CookieValue(request, kSessionCookie));
  }
  return JsonResponse(200, out);
}

Response Logout(service::AuthService& auth, Request& request) {
  const service::Caller& caller = CallerOf(request);
  if (Status s = auth.Logout(caller); !s.ok()) return ProblemResponse(s);
  Response response = Response::NoContent();
  response.headers.Add("Set-Cookie", SessionCookie("", 0, false));
  return response;
}

}  // namespace

service::ClientInfo ClientInfoOf(const Request& request) {
  return service::ClientInfo{
      .peer = request.peer_address,
      // Every line, in order (RFC 9110 §5.3): with only the first, a client's own line placed
      // before the proxy's would be taken for the proxy's.
      .forwarded_for = request.headers.Combined("x-forwarded-for"),
      .forwarded_proto = request.headers.Combined("x-forwarded-proto"),
      .user_agent = std::string(request.headers.Get("user-agent")),
      .host = std::string(AuthorityOf(BaseUrl(request)))};
}

std::string CookieValue(const Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers.entries()) {
    if (!EqualsIgnoreCase(key, "cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (base::Trim(pair.substr(0, eq)) == name) {
        return std::string(base::Trim(pair.substr(eq + 1)));
      }
    }
  }
  return "";
}

Response AuthProblem(const Status& status, const service::AuthError& error) {
  const ProblemOptions options{.type_suffix = error.type_suffix};
  Response response = ProblemResponse(status, options);
  if (status.code() == Code::kResourceExhausted && error.retry_after > 0) {
    response.headers.Set("Retry-After", std::to_string(error.retry_after));
  }
  return response;
}

void AddSecurityRoute(Router& router, const service::SecurityService* security, Method method,
                      std::string_view pattern, SecurityHandler handler, RouteOptions options) {
  router.Add(
      method, pattern, [security, handler](Request& r) { return handler(*security, r); },
      std::move(options));
}

void RegisterAuthRoutes(Router& router, ApiContext& context) {
  service::AuthOptions options;
  base::Result<auth::CommonPasswords> common = auth::CommonPasswords::LoadDefault();
  if (common.ok()) {
    options.common_passwords = std::move(common).value();
  } else {
    spdlog::warn("common-password list not loaded: {}", common.status().ToString());
  }
  base::Result<std::unique_ptr<auth::GeoIp>> geoip = auth::GeoIp::Open({});
  if (geoip.ok()) options.geoip = std::move(geoip).value();
  auto created = service::AuthService::Create(context.store, context.policies, context.clock,
                                              std::move(options));
  if (!created.ok()) {
    // Without signing keys nothing can be authenticated: fail closed on every route.
    spdlog::error("authentication unavailable: {}", created.status().ToString());
    router.Use([](Request& request) -> std::optional<Response> {
      if (request.route != nullptr && request.route->allow_anonymous) return std::nullopt;
      return ProblemResponse(503, "authentication is unavailable");
    });
    return;
  }
  context.auth = std::make_shared<AuthServices>();
  context.auth->service = std::move(created).value();
  service::AuthService* auth = context.auth->service.get();
  context.security = std::make_shared<const service::SecurityService>(
      service::AdminDeps{context.store, context.policies, context.clock}, auth);
  router.Use([auth](Request& request) { return Authenticate(*auth, request); });

  router.Add(Method::kPost, "/auth/login",
             [auth](Request& request) { return Login(*auth, request); },
             {.name = "auth.login", .blocking = true, .allow_anonymous = true});
  router.Add(Method::kGet, "/auth/session",
             [auth](Request& request) { return CurrentSession(*auth, request); },
             {.name = "auth.session", .allow_anonymous = true});
  router.Add(Method::kPost, "/auth/logout",
             [auth](Request& request) { return Logout(*auth, request); }, {.name = "auth.logout"});
  RegisterTokenRoutes(router, context);
  RegisterOAuthRoutes(router, context);
  RegisterSecurityRoutes(router, context);
}

}  // namespace gatehouse::http::api
