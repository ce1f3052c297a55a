#include "http/api/auth_json.h"

#include <charconv>
#include <limits>

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

const json* BodyFields::Find(std::string_view name) const {
  auto it = object_.find(name);
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

void BodyFields::AddError(std::string path, std::string code, std::string detail) {
  errors_.push_back({std::move(path), std::move(code), std::move(detail)});
}

std::optional<std::string> BodyFields::String(std::string_view name, bool required) {
  const json* value = Find(name);
  if (value == nullptr) {
    if (required) AddError(std::string(name), "Required", std::string(name) + " is required");
    return std::nullopt;
  }
  if (!value->is_string()) {
    AddError(std::string(name), "InvalidType", std::string(name) + " must be a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::int64_t> BodyFields::Int(std::string_view name, bool required) {
  const json* value = Find(name);
  if (value == nullptr) {
    if (required) AddError(std::string(name), "Required", std::string(name) + " is required");
    return std::nullopt;
  }
  // is_number_integer() is true for unsigned numbers too: those past int64 would wrap around.
  if (value->is_number_unsigned()) {
    if (value->get<std::uint64_t>() <=
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(value->get<std::uint64_t>());
    }
  } else if (value->is_number_integer()) {
    return value->get<std::int64_t>();
  } else if (value->is_string()) {
    const std::string& text = value->get_ref<const std::string&>();
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return out;
  }
  AddError(std::string(name), "InvalidType", std::string(name) + " must be an integer");
  return std::nullopt;
}

std::optional<bool> BodyFields::Bool(std::string_view name, bool required) {
  const json* value = Find(name);
  if (value == nullptr) {
    if (required) AddError(std::string(name), "Required", std::string(name) + " is required");
    return std::nullopt;
  }
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) {
    const std::string& text = value->get_ref<const std::string&>();
    if (text == "1" || text == "true") return true;
    if (text == "0" || text == "false") return false;
  }
  AddError(std::string(name), "InvalidType", std::string(name) + " must be true or false");
  return std::nullopt;
}

base::Status BodyFields::status() const {
  if (errors_.empty()) return base::Status::Ok();
  return base::Status::Invalid("Request validation failed", errors_);
}

}  // namespace gatehouse::http::api
