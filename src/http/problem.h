// problem+json (RFC 7807) as Kommo API v4 renders errors (kommo-api-v4.md §3, §16.6).
//
//   Content-Type: application/problem+json            (exactly; no parameters)
//   {"title":"Bad Request","type":"https://httpstatus.es/400","status":400,
//    "detail":"...","validation-errors":[{"request_id":"0",
//                                         "errors":[{"code":"...","path":"...","detail":"..."}]}]}
//
// `validation-errors` appears only for kInvalidArgument with field errors. kInternal never
// shows its message: the detail is generic and the real one goes to Response::log_cause, which
// the server logs with the request id. kUnavailable (503) carries Retry-After.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "http/response.h"

namespace gatehouse::http {

// The Retry-After (seconds) of a 503 answered for kUnavailable (e.g. PostgreSQL unreachable).
inline constexpr int kUnavailableRetryAfterSeconds = 2;

// The one table from base::Code to an HTTP status (kOk -> 200).
int HttpStatusFor(base::Code code);

// Optional adjustments for special cases.
struct ProblemOptions {
  int http_status = 0;           // overrides the table (e.g. 402 for seats); 0 = from the code
  std::string type_suffix{};     // "two-factor-required" -> type ".../401/two-factor-required"
  std::string title{};           // overrides the reason phrase
  std::string request_id = "0";  // the batch item's request_id in validation-errors
  // Members added to the body, each a string (OAuth's "hint").
  std::vector<std::pair<std::string, std::string>> members{};
  std::string_view content_type = kProblemJson;  // OAuth clients read application/json
};

// One batch item's field errors, for validation-errors.
struct ItemErrors {
  std::string request_id{};
  std::vector<base::FieldError> errors{};
};

// The one mapping of a non-OK status to its response: the table's HTTP status, the message as
// detail, field errors as validation-errors (kInvalidArgument), Retry-After for kUnavailable.
// Internal errors (5xx) show a generic detail and put the cause in Response::log_cause, which
// the server logs (time, request id, route, cause) at error level. Other functions that answer
// a status wrap this one and only adjust `options` or add headers.
Response ProblemResponse(const base::Status& status, const ProblemOptions& options = {});
// A problem response for a bare HTTP status and a detail (404, 405, 413, ...).
Response ProblemResponse(int http_status, std::string_view detail,
                         std::string_view type_suffix = {});
// A 400 with one validation-errors entry per batch item.
Response ValidationProblem(const std::vector<ItemErrors>& items,
                           std::string_view detail = "Request validation failed");

// The detail shown for kInternal and for exceptions.
inline constexpr std::string_view kInternalDetail = "An internal error occurred";

}  // namespace gatehouse::http
