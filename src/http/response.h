// Response: what a handler returns, free of Beast and of nlohmann.
//
// Handlers build bodies with http/json.h (HAL JSON) or http/problem.h (problem+json) and the
// server adds Content-Length, X-Request-Id, Connection and the security headers
// (X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Content-Security-Policy,
// Cache-Control: no-store unless the handler set one).
#pragma once

#include <string>
#include <string_view>

#include "http/headers.h"

namespace gatehouse::http {

inline constexpr std::string_view kHalJson = "application/hal+json";
inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kProblemJson = "application/problem+json";
inline constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
inline constexpr std::string_view kTextHtml = "text/html; charset=utf-8";

struct Response {
  int status = 200;
  std::string content_type{};  // empty: no Content-Type header (204)
  Headers headers{};           // extra headers: Allow, Retry-After, Set-Cookie, Location, ...
  std::string body{};
  // Why the request failed, for the server's log only (never sent): the hidden cause of a 500,
  // the reason of a refused login. The server logs it as one line with the request id.
  std::string log_cause{};

  // A body already serialized as JSON, sent as `content_type` (HAL by default).
  static Response Json(int status, std::string serialized,
                       std::string_view content_type = kHalJson);
  static Response Text(int status, std::string text, std::string_view content_type = kTextPlain);
  // 204 with no body and no Content-Type (an empty list, a DELETE).
  static Response NoContent();
};

// The standard reason phrase for `status` ("Not Found"), "Unknown" for unknown codes.
std::string_view ReasonPhrase(int status);

}  // namespace gatehouse::http
