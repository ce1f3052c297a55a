// The Kommo-API-v4-shaped resources: what the server registers, and what every handler shares.
//
// Handlers parse the request into a struct, call a service and render; they make no rights
// decisions (services ask the engine through the Caller's policy). One file per resource
// family, each with a Register...Routes(Router&, ApiContext&) function declared here; the record
// kinds share one registration (records_routes.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "service/caller.h"
#include "service/policy_cache.h"
#include "storage/store.h"

namespace gatehouse::service {
class AdminService;
class SecurityService;
}  // namespace gatehouse::service

namespace gatehouse::http::api {

struct AuthServices;  // defined by the auth layer (http/api/auth_*.h)

struct ApiContext {
  storage::Store* store = nullptr;
  service::PolicyCache* policies = nullptr;
  const base::Clock* clock = nullptr;
  // Owned here, created by RegisterAuthRoutes (shared_ptr: the type is incomplete here).
  std::shared_ptr<AuthServices> auth{};
  // The administrative family over store, policies and clock, created by RegisterAdminRoutes.
  std::shared_ptr<const service::AdminService> admin{};
  // The security family: created by RegisterAuthRoutes over the AuthService; RegisterAdminRoutes
  // creates it without one when the auth routes are not registered (tests of the admin
  // resources, whose security methods need no AuthService).
  std::shared_ptr<const service::SecurityService> security{};
};

// The Caller the auth middleware attached to `request`. Only valid on routes that are not
// anonymous (the middleware refuses a request it cannot authenticate before the handler).
const service::Caller& CallerOf(const Request& request);
void SetCaller(Request& request, service::Caller caller);

// The GET of one item by the path's {id}, taking no query parameters: `get(caller, id)` answers
// a Result, `render(caller, value)` the Response; an error becomes `error(status)`, the
// problem+json of the resource family.
template <typename Get, typename Render, typename Error>
Response OneById(const Request& request, Get get, Render render, Error error) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return error(id.status());
  base::Status known = request.query.CheckKnownKeys({});
  if (!known.ok()) return error(known);
  const service::Caller& caller = CallerOf(request);
  auto found = get(caller, *id);
  if (!found.ok()) return error(found.status());
  return render(caller, *found);
}

// The DELETE of the item the path's {id} names: `remove(caller, id)` answers a Status; 204 when
// done, else `error(status)`, the problem+json of the resource family.
template <typename Remove, typename Error>
Response RemoveById(const Request& request, Remove remove, Error error) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return error(id.status());
  base::Status removed = remove(CallerOf(request), *id);
  return removed.ok() ? Response::NoContent() : error(removed);
}

// Middleware for routes registered with RouteOptions::administrators_only: a caller who is not
// an administrator (with X-Context-User-ID: the user acted as) gets service::RequireAdmin's 403
// problem. The auth middleware runs it once the Caller is attached; tests that attach the
// Caller themselves install it with Router::Use.
std::optional<Response> AdministratorsOnly(Request& request);

// Registration, one per resource family.
void RegisterAuthRoutes(Router& router, ApiContext& context);  // /auth, /oauth, tokens, middleware
void RegisterRecordRoutes(
    Router& router, ApiContext& context);  // leads, contacts, companies, tasks, unsorted, export
void RegisterAdminRoutes(Router& router,
                         ApiContext& context);  // account, users, roles, groups, pipelines, events
// All of the above and the OpenAPI document: what `gatehouse serve` registers.
void RegisterApi(Router& router, ApiContext& context);

}  // namespace gatehouse::http::api
