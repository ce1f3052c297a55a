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

// What a form body does with members its read did not ask for. The OAuth endpoints ignore
// them, as RFC 6749 (3.1, 3.2) requires of an authorization server; every other route refuses
// them (UnknownField), a browser form's csrf_token apart (the CSRF check reads it).
enum class OtherMembers { kRefuse, kIgnore };

// Reads the body (ParseObjectBody) with `read(fields)`, `fields` a kFormBody BodyReader over it:
// OK, or the body's error, or every field error the read found (and the members `others`
// refuses).
template <typename Read>
base::Status ReadFormBody(const Request& request, Read read,
                          OtherMembers others = OtherMembers::kRefuse) {
  base::Result<nlohmann::json> body = ParseObjectBody(request);
  if (!body.ok()) return body.status();
  BodyReader fields(*body, kFormBody);
  read(fields);
  if (others == OtherMembers::kRefuse) fields.RefuseUnread({"csrf_token"});
  return fields.status();
}

// The "code" member (a TOTP or recovery code) as a string: some clients send a TOTP code as a
// number, which keeps its leading zeros up to six digits.
std::optional<std::string> CodeField(BodyReader& fields, bool required);

}  // namespace gatehouse::http::api
