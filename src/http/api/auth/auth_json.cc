#include "http/api/auth/auth_json.h"

#include "http/json.h"
#include "http/query.h"

namespace gatehouse::http::api {

using nlohmann::json;

namespace {

bool IsForm(const Request& request) {
  std::string_view type = request.headers.Get("content-type");
  return type.substr(0, type.find(';')) == "application/x-www-form-urlencoded";
}

}  // namespace

base::Result<json> ParseObjectBody(const Request& request) {
  if (IsForm(request)) {
    GH_ASSIGN_OR_RETURN(Query form, Query::Parse(request.body));
    json object = json::object();
    for (const auto& [key, node] : form.root().children()) {
      if (node.is_value()) object[key] = node.value();
    }
    return object;
  }
  GH_ASSIGN_OR_RETURN(json body, ParseJsonBody(request));
  if (!body.is_object()) {
    return base::Status::InvalidField("body", "InvalidType", "the body must be a JSON object");
  }
  return body;
}

std::optional<std::string> CodeField(BodyReader& fields, bool required) {
  if (const json* number = fields.Find("code"); number != nullptr && number->is_number_unsigned()) {
    std::string digits = std::to_string(number->get<std::uint64_t>());
    return std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') + digits;
  }
  return fields.String("code", required);
}

}  // namespace gatehouse::http::api
