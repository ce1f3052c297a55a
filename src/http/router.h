// Router: maps (method, path) to a handler, with middleware run before handlers.
//
// Patterns are literal segments and parameters: "/api/v4/leads/{id:int}",
// "/api/v4/leads/unsorted/{uid}". "{name}" matches any non-empty segment, "{name:int}" only a
// decimal integer that fits int64. When several routes match, the one with literal segments
// earliest wins ("/api/v4/leads/pipelines" beats "/api/v4/leads/{id}"). A trailing slash is
// ignored. HEAD is served by the GET route (the server drops the body).
//
// Outcomes of Handle: no route for the path -> 404 problem; a route for the path but not the
// method -> 405 problem with an Allow header; otherwise middleware in order (the first that
// returns a Response ends the request) and then the handler.
//
// Thread-safety: register everything before the server starts; afterwards the router is
// read-only and Handle may run on many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/metrics.h"
#include "http/request.h"
#include "http/response.h"

namespace gatehouse::http {

using Handler = std::function<Response(Request&)>;
// Returns a Response to answer the request without the handler (e.g. 401), or nullopt to go on.
using Middleware = std::function<std::optional<Response>(Request&)>;

struct RouteOptions {
  std::string name{};            // metric/log name, e.g. "leads.get"; default: METHOD pattern
  bool blocking = false;         // run middleware + handler on the server's blocking pool
  bool allow_anonymous = false;  // for the auth middleware: no credentials needed
  // For the auth middleware: an authenticated caller who is not an administrator gets 403
  // before the handler runs (http/api AdministratorsOnly). Not with allow_anonymous.
  bool administrators_only = false;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route. An invalid pattern or a duplicate (method, pattern) is a programming
  // error and aborts with a message.
  void Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  // What is registered, in registration order (for the OpenAPI document).
  struct RouteInfo {
    Method method;
    std::string pattern{};  // as registered, e.g. "/api/v4/leads/{id:int}"
    RouteOptions options{};
  };
  std::vector<RouteInfo> Routes() const;

  // Appends a middleware; it runs for matched routes only, in registration order.
  void Use(Middleware middleware);

  // The handler for a GET or HEAD whose path matches no route at all (the web console's pages
  // and assets). It runs like an anonymous route named `options.name`, middleware included;
  // without one, such requests get the 404 problem. Register before the server starts.
  void SetFallback(Handler handler, RouteOptions options);

  // Matches `request.segments`, fills params/route/route_name and runs middleware + handler.
  // Handler exceptions propagate (the server turns them into a 500).
  Response Handle(Request& request) const;

  // The match step alone: fills params/route/route_name and returns the route's handler
  // chain to run, or an error response (404/405).
  struct Route;
  struct Match {
    const Route* route = nullptr;       // non-null when matched
    std::optional<Response> error{};    // set when not matched
    bool blocking = false;              // the route asked for the blocking pool
    Metrics::Series* series = nullptr;  // where to record this request (also when unmatched)
  };
  Match Find(Request& request) const;
  // Runs middleware + handler of a route returned by Find.
  Response Run(const Match& match, Request& request) const;

  // Where requests that match no route (or cannot be read) are counted.
  Metrics::Series* unmatched_series() const { return unmatched_; }

  Metrics& metrics() { return *metrics_; }
  const Metrics& metrics() const { return *metrics_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<std::vector<const Route*>> by_length_;  // routes_ by number of segments
  std::vector<Middleware> middleware_;
  std::unique_ptr<Route> fallback_;
  std::unique_ptr<Metrics> metrics_;
  Metrics::Series* unmatched_ = nullptr;  // 404s and 405s
};

// Registers GET /healthz (200 {"healthy":true}, anonymous) and GET /metrics (Prometheus text,
// anonymous) on `router`, rendering `router.metrics()`.
void AddBuiltinRoutes(Router& router);

}  // namespace gatehouse::http
