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
  std::string type_suffix;       // "two-factor-required" -> type ".../401/two-factor-required"
  std::string title;             // overrides the reason phrase
  std::string request_id = "0";  // the batch item's request_id in validation-errors
};

// One batch item's field errors, for validation-errors.
struct ItemErrors {
  std::string request_id;
  std::vector<base::FieldError> errors;
};

// A problem response for a non-OK status.
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
