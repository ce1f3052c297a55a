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

// Reads the body (ParseObjectBody) with `read(fields)`, `fields` a kFormBody BodyReader over it:
// OK, or the body's error, or every field error the read found.
template <typename Read>
base::Status ReadFormBody(const Request& request, Read read) {
  base::Result<nlohmann::json> body = ParseObjectBody(request);
  if (!body.ok()) return body.status();
  BodyReader fields(*body, kFormBody);
  read(fields);
  return fields.status();
}

// The "code" member (a TOTP or recovery code) as a string: some clients send a TOTP code as a
// number, which keeps its leading zeros up to six digits.
std::optional<std::string> CodeField(BodyReader& fields, bool required);

}  // namespace gatehouse::http::api
