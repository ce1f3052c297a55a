#include "http/request.h"

#include <array>
#include <charconv>
#include <optional>

#include "base/enum_names.h"

namespace gatehouse::http {

namespace {

constexpr base::EnumNames<Method, 7> kMethods{{{Method::kGet, "GET"},
                                               {Method::kHead, "HEAD"},
                                               {Method::kPost, "POST"},
                                               {Method::kPut, "PUT"},
                                               {Method::kPatch, "PATCH"},
                                               {Method::kDelete, "DELETE"},
                                               {Method::kOptions, "OPTIONS"}}};

}  // namespace

std::string_view MethodName(Method method) { return base::NameOf(kMethods, method, "OTHER"); }

Method ParseMethod(std::string_view name) {
  return base::ValueOf(kMethods, name).value_or(Method::kOther);
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

base::Result<std::int64_t> Request::ParamInt(std::string_view name) const {
  std::string_view text = Param(name);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return base::Status::InvalidField(std::string(name), "InvalidType",
                                      std::string(name) + ": not an integer");
  }
  return value;
}

base::Status ParseTarget(Request& request) {
  const std::string& target = request.target;
  if (target.empty() || target[0] != '/') {
    return base::Status::Invalid("the request target must be a path");
  }
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  request.raw_query = question == std::string::npos ? "" : target.substr(question + 1);
  request.segments.clear();
  size_t start = 1;
  while (start <= request.path.size()) {
    size_t slash = request.path.find('/', start);
    std::string_view raw = std::string_view(request.path)
                               .substr(start, slash == std::string::npos ? slash : slash - start);
    std::optional<std::string> segment = PercentDecode(raw, false);
    if (!segment) return base::Status::Invalid("malformed percent-encoding in the path");
    request.segments.push_back(std::move(*segment));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (request.segments.size() == 1 && request.segments[0].empty()) request.segments.clear();
  GH_ASSIGN_OR_RETURN(request.query, Query::Parse(request.raw_query));
  return base::Status::Ok();
}

}  // namespace gatehouse::http
