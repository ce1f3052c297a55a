// The auth layer's share of ApiContext (ApiContext::auth) and helpers its route files share.
//
// RegisterAuthRoutes (auth_routes.cc) creates AuthServices, installs the authentication
// middleware and registers /auth/login, /auth/logout, the token, OAuth and security routes.
// The middleware authenticates every route not registered with allow_anonymous: a bearer token
// (Authorization: Bearer <JWT>) or the session cookie (kSessionCookie) plus, for requests that
// change state, X-CSRF-Token (or a form field csrf_token); it answers 401/403 problem+json
// itself and otherwise attaches the service::Caller (SetCaller) and, on routes registered with
// administrators_only, refuses a caller who is not an administrator (AdministratorsOnly).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/api/api.h"
#include "http/request.h"
#include "http/response.h"
#include "service/auth/auth.h"

namespace gatehouse::http::api {

inline constexpr std::string_view kSessionCookie = "gatehouse_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
inline constexpr std::string_view kContextUserHeader = "X-Context-User-ID";

struct AuthServices {
  std::unique_ptr<service::AuthService> service{};
};

// What the service needs to know about the client of `request`.
service::ClientInfo ClientInfoOf(const Request& request);

// The value of cookie `name` in the request's Cookie headers, or "".
std::string CookieValue(const Request& request, std::string_view name);

// A problem+json answer for a failed auth call: the type suffix and, for 429, Retry-After.
Response AuthProblem(const base::Status& status, const service::AuthError& error);

// A handler of a security route (security_routes.cc, security_approvals.cc): the service and
// the request.
using SecurityHandler = Response (*)(const service::SecurityService&, Request&);

// Registers `handler` at (`method`, `pattern`) with `options`, called with `*security` (which
// outlives the router).
void AddSecurityRoute(Router& router, const service::SecurityService* security, Method method,
                      std::string_view pattern, SecurityHandler handler, RouteOptions options);

// Route families registered by RegisterAuthRoutes (one file each).
void RegisterTokenRoutes(Router& router, ApiContext& context);     // security_tokens.cc
void RegisterOAuthRoutes(Router& router, ApiContext& context);     // oauth_routes.cc
void RegisterSecurityRoutes(Router& router, ApiContext& context);  // security_routes.cc
void RegisterApprovalRoutes(Router& router, ApiContext& context);  // security_approvals.cc

}  // namespace gatehouse::http::api
