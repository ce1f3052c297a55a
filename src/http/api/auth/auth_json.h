// Request bodies of the auth and security routes: a JSON object or, where browsers and OAuth
// clients send it, an application/x-www-form-urlencoded form, then read field by field with
// BodyReader (body_reader.h) in the kFormBody dialect.
//
// Includes nlohmann/json: include from handler .cc files only (as http/json.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/api/body_reader.h"
#include "http/request.h"

namespace gatehouse::http::api {

// The body as a JSON object. A form-encoded body (Content-Type
// application/x-www-form-urlencoded) becomes an object of string values. kInvalidArgument
// (path "body") when it is neither, or not an object.
base::Result<nlohmann::json> ParseObjectBody(const Request& request);

}  // namespace gatehouse::http::api
