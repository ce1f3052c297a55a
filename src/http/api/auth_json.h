// Request-body readers for the auth and security routes: a JSON object (or, where browsers and
// OAuth clients send it, an application/x-www-form-urlencoded form) read field by field with
// one FieldError per missing or mistyped field.
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
#include "http/request.h"

namespace gatehouse::http::api {

// The body as a JSON object. A form-encoded body (Content-Type
// application/x-www-form-urlencoded) becomes an object of string values. kInvalidArgument
// (path "body") when it is neither, or not an object.
base::Result<nlohmann::json> ParseObjectBody(const Request& request);

// Reads members of one object, collecting errors.
class BodyFields {
 public:
  explicit BodyFields(const nlohmann::json& object) : object_(object) {}

  // A string member; nullopt when absent (an error when `required`) or mistyped.
  std::optional<std::string> String(std::string_view name, bool required);
  // An integer member; a string of decimal digits is accepted too (forms).
  std::optional<std::int64_t> Int(std::string_view name, bool required);
  // A boolean member; "1"/"0"/"true"/"false" strings are accepted too (forms).
  std::optional<bool> Bool(std::string_view name, bool required);
  // The member itself when present (no type check).
  const nlohmann::json* Find(std::string_view name) const;

  void AddError(std::string path, std::string code, std::string detail);
  // OK, or kInvalidArgument with every collected error.
  base::Status status() const;

 private:
  const nlohmann::json& object_;
  std::vector<base::FieldError> errors_;
};

}  // namespace gatehouse::http::api
