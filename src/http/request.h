// Request: what a handler sees of one HTTP request, free of Beast.
//
// The server fills everything but `params`, `route` and `route_name` (the router fills those)
// and `user_id`, `account_id`, `principal` (the auth middleware fills those). A Request is
// owned by one connection and touched by one thread at a time.
#pragma once

#include <any>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "http/headers.h"
#include "http/query.h"

namespace gatehouse::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// "GET", "POST", ... ("OTHER" for kOther).
std::string_view MethodName(Method method);
// Case-sensitive, as HTTP methods are; unknown names give kOther.
Method ParseMethod(std::string_view name);

struct RouteOptions;
struct Request;

// Fills `request.path`, `segments` (percent-decoded), `raw_query` and `query` from
// `request.target`. kInvalidArgument when the target is not a path ("/..."), a segment has
// malformed percent-encoding, or the query does not parse (Query::Parse).
base::Status ParseTarget(Request& request);

struct Request {
  Method method = Method::kGet;
  std::string method_name{};            // as sent, e.g. "PROPFIND" for kOther
  std::string target{};                 // raw request target: "/api/v4/leads?filter%5Bid%5D=1"
  std::string path{};                   // raw path, the target up to '?': "/api/v4/leads"
  std::vector<std::string> segments{};  // percent-decoded path segments: {"api","v4","leads"}
  std::string raw_query{};              // the target after '?', undecoded
  Query query{};                        // parsed raw_query
  Headers headers{};
  std::string body{};
  std::string peer_address{};  // the socket peer's IP ("127.0.0.1"), not X-Forwarded-For
  std::uint16_t peer_port = 0;
  std::string request_id{};  // unique per request; echoed as X-Request-Id and in logs
  // The origin links, redirects and OAuth pages are built from ("https://crm.example"), never
  // the Host header (origin.h): the configured public URL, else the address the client
  // connected to. The auth middleware may replace it by a trusted proxy's
  // X-Forwarded-Proto/Host when base_url_configured is false.
  std::string base_url{};
  bool base_url_configured = false;  // base_url is the operator's public URL

  // Route parameters by name ("id" for "/api/v4/leads/{id:int}"), filled by the router.
  std::vector<std::pair<std::string, std::string>> params{};
  const RouteOptions* route = nullptr;  // the matched route's options, or nullptr
  std::string route_name{};             // the matched route's metric name

  // Set by the auth middleware. user_id and account_id go to the access log (0 = anonymous);
  // `principal` holds whatever type the auth layer defines.
  std::int64_t user_id = 0;
  std::int64_t account_id = 0;
  std::any principal{};

  // The route parameter `name`, or "" when the route has none by that name.
  std::string_view Param(std::string_view name) const;
  // The route parameter `name` as an integer; kInvalidArgument naming it when not one.
  base::Result<std::int64_t> ParamInt(std::string_view name) const;
};

}  // namespace gatehouse::http
