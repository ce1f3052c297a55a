#include <any>
#include <cstdio>
#include <cstdlib>

#include "http/api/api.h"
#include "http/problem.h"
#include "service/admin/admin.h"

namespace gatehouse::http::api {

const service::Caller& CallerOf(const Request& request) {
  const auto* caller = std::any_cast<service::Caller>(&request.principal);
  if (caller == nullptr) {
    // A route that needs a caller ran without the auth middleware: a wiring bug, never input.
    std::fprintf(stderr, "no authenticated caller on route %s\n", request.route_name.c_str());
    std::abort();
  }
  return *caller;
}

void SetCaller(Request& request, service::Caller caller) {
  request.user_id = caller.user_id;
  request.account_id = caller.account_id;
  request.principal = std::move(caller);
}

std::optional<Response> AdministratorsOnly(Request& request) {
  if (request.route == nullptr || !request.route->administrators_only) return std::nullopt;
  // The same check and answer the handlers made themselves before the flag existed.
  if (base::Status s = service::RequireAdmin(CallerOf(request)); !s.ok()) {
    return ProblemResponse(s);
  }
  return std::nullopt;
}

}  // namespace gatehouse::http::api
