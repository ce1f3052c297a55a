// Routing by path segments. Routes are few (a hundred or two) and grouped by their number of
// segments, so matching is a scan of the routes of the path's length that keeps the most
// specific match; no trie is needed at this size.
#include "http/router.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "http/problem.h"

namespace gatehouse::http {

// Outside the anonymous namespace: Router::Route, which has external linkage, holds them.
enum class SegmentKind { kLiteral = 2, kInt = 1, kAny = 0 };

struct RouteSegment {
  SegmentKind kind;
  std::string text;  // the literal, or the parameter name
};

namespace {

[[noreturn]] void Die(std::string_view what, std::string_view pattern) {
  std::fprintf(stderr, "router: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(pattern.size()), pattern.data());
  std::abort();
}

std::vector<RouteSegment> ParsePattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') Die("pattern must start with '/'", pattern);
  std::vector<RouteSegment> segments;
  size_t start = 1;
  while (start < pattern.size()) {
    size_t slash = pattern.find('/', start);
    std::string_view part =
        pattern.substr(start, slash == std::string_view::npos ? slash : slash - start);
    start = slash == std::string_view::npos ? pattern.size() : slash + 1;
    if (part.empty()) Die("empty segment", pattern);
    if (part.front() != '{') {
      if (part.find_first_of("{}") != std::string_view::npos) Die("stray brace", pattern);
      segments.push_back({SegmentKind::kLiteral, std::string(part)});
      continue;
    }
    if (part.back() != '}' || part.size() < 3) Die("malformed parameter", pattern);
    std::string_view inner = part.substr(1, part.size() - 2);
    SegmentKind kind = SegmentKind::kAny;
    if (size_t colon = inner.find(':'); colon != std::string_view::npos) {
      if (inner.substr(colon + 1) != "int") Die("unknown parameter type", pattern);
      kind = SegmentKind::kInt;
      inner = inner.substr(0, colon);
    }
    if (inner.empty()) Die("unnamed parameter", pattern);
    segments.push_back({kind, std::string(inner)});
  }
  return segments;
}

bool IsInt(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

constexpr std::uint32_t MethodBit(Method m) { return std::uint32_t{1} << static_cast<int>(m); }

// The Allow header of a 405: the methods of the routes whose pattern matched (`allowed`, a bit
// per Method), HEAD wherever GET is.
std::string AllowHeader(std::uint32_t allowed) {
  std::string allow;
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    const bool has = (allowed & MethodBit(m)) != 0 ||
                     (m == Method::kHead && (allowed & MethodBit(Method::kGet)) != 0);
    if (!has) continue;
    if (!allow.empty()) allow += ", ";
    allow += MethodName(m);
  }
  return allow;
}

Response MethodNotAllowed(const Request& request, std::uint32_t allowed) {
  Response response =
      ProblemResponse(405, "Method " + request.method_name + " is not allowed here");
  response.headers.Set("Allow", AllowHeader(allowed));
  return response;
}

}  // namespace

struct Router::Route {
  Method method;
  std::string pattern;
  std::vector<RouteSegment> segments;
  Handler handler;
  RouteOptions options;
  Metrics::Series* series = nullptr;

  // Whether `path` (as long as `segments`) matches; *rank orders matches by specificity: the
  // segment kinds read as base-3 digits, literal > int > any from the first segment on.
  bool Matches(std::span<const std::string> path, int* rank) const {
    int value = 0;
    for (size_t i = 0; i < path.size(); ++i) {
      const RouteSegment& s = segments[i];
      if (s.kind == SegmentKind::kLiteral && s.text != path[i]) return false;
      if (s.kind == SegmentKind::kInt && !IsInt(path[i])) return false;
      if (s.kind == SegmentKind::kAny && path[i].empty()) return false;
      value = value * 3 + static_cast<int>(s.kind);
    }
    *rank = value;
    return true;
  }
};

Router::Router() : metrics_(std::make_unique<Metrics>()), unmatched_(metrics_->Get("unmatched")) {}
Router::~Router() = default;

void Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->segments = ParsePattern(pattern);
  for (const auto& other : routes_) {
    if (other->method == method && other->pattern == pattern) Die("duplicate route", pattern);
  }
  if (options.allow_anonymous && options.administrators_only) {
    Die("a route cannot be both anonymous and for administrators only", pattern);
  }
  if (options.name.empty()) options.name = std::string(MethodName(method)) + " " + route->pattern;
  route->handler = std::move(handler);
  route->options = std::move(options);
  route->series = metrics_->Get(route->options.name);
  if (by_length_.size() <= route->segments.size()) by_length_.resize(route->segments.size() + 1);
  by_length_[route->segments.size()].push_back(route.get());
  routes_.push_back(std::move(route));
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) out.push_back({route->method, route->pattern, route->options});
  return out;
}

void Router::Use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }

void Router::SetFallback(Handler handler, RouteOptions options) {
  fallback_ = std::make_unique<Route>();
  fallback_->method = Method::kGet;
  options.allow_anonymous = true;
  if (options.name.empty()) options.name = "fallback";
  fallback_->handler = std::move(handler);
  fallback_->options = std::move(options);
  fallback_->series = metrics_->Get(fallback_->options.name);
}

Router::Match Router::Find(Request& request) const {
  std::span<const std::string> path(request.segments);
  if (!path.empty() && path.back().empty()) path = path.first(path.size() - 1);  // trailing /

  const Route* best = nullptr;
  const Route* best_get = nullptr;  // for HEAD without a HEAD route
  int best_rank = -1, best_get_rank = -1, rank = 0;
  std::uint32_t allowed = 0;  // bit per Method of the routes whose pattern matches
  if (path.size() < by_length_.size()) {
    for (const Route* route : by_length_[path.size()]) {
      if (!route->Matches(path, &rank)) continue;
      allowed |= MethodBit(route->method);
      if (route->method == request.method && rank > best_rank) {
        best = route;
        best_rank = rank;
      }
      if (route->method == Method::kGet && rank > best_get_rank) {
        best_get = route;
        best_get_rank = rank;
      }
    }
  }
  if (best == nullptr && request.method == Method::kHead) best = best_get;

  if (best == nullptr && allowed == 0 && fallback_ != nullptr &&
      (request.method == Method::kGet || request.method == Method::kHead)) {
    best = fallback_.get();
  }

  Match match;
  if (best == nullptr) {
    match.series = unmatched_;
    match.error = allowed == 0 ? ProblemResponse(404, "No such resource")
                               : MethodNotAllowed(request, allowed);
    return match;
  }

  request.params.clear();
  for (size_t i = 0; i < best->segments.size(); ++i) {
    if (best->segments[i].kind != SegmentKind::kLiteral) {
      request.params.emplace_back(best->segments[i].text, path[i]);
    }
  }
  request.route = &best->options;
  request.route_name = best->options.name;
  match.route = best;
  match.blocking = best->options.blocking;
  match.series = best->series;
  return match;
}

Response Router::Run(const Match& match, Request& request) const {
  if (match.route == nullptr)
    return match.error ? *match.error : ProblemResponse(404, "No such resource");
  for (const Middleware& middleware : middleware_) {
    if (std::optional<Response> early = middleware(request)) return std::move(*early);
  }
  return match.route->handler(request);
}

Response Router::Handle(Request& request) const { return Run(Find(request), request); }

void AddBuiltinRoutes(Router& router) {
  router.Add(Method::kGet, "/healthz",
             [](Request&) { return Response::Json(200, R"({"healthy":true})", kJson); },
             {.name = "healthz", .allow_anonymous = true});
  const Metrics* metrics = &router.metrics();
  router.Add(Method::kGet, "/metrics",
             [metrics](Request&) {
               return Response::Text(200, metrics->Render(),
                                     "text/plain; version=0.0.4; charset=utf-8");
             },
             {.name = "metrics", .allow_anonymous = true});
}

}  // namespace gatehouse::http
