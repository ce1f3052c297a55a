// JSON helpers for handlers: parse a request body, render HAL JSON.
//
// This header includes nlohmann/json; include it from handler .cc files only, never from
// headers other headers include (../../STACK.md: ~3.8 s per TU).
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/request.h"
#include "http/response.h"

namespace gatehouse::http {

// Nesting deeper than this is refused before parsing.
inline constexpr int kMaxJsonDepth = 64;

// Parses request.body as JSON. Errors (kInvalidArgument, one FieldError with path "body" and
// code "InvalidJson"): an empty body, nesting deeper than kMaxJsonDepth, a syntax error (the
// detail names the byte offset). A key given twice in one object is refused too (code
// "DuplicateKey", path of the key, e.g. "0._embedded.contacts.1.name"). Content-Type is not
// checked: clients send GETs with it and POSTs without it.
base::Result<nlohmann::json> ParseJsonBody(const Request& request);

// A response with `body` serialized as `content_type` (application/hal+json by default).
// Invalid UTF-8 in strings is replaced, never thrown.
Response JsonResponse(int status, const nlohmann::json& body,
                      std::string_view content_type = kHalJson);

}  // namespace gatehouse::http
