#include "http/request.h"

#include <array>
#include <charconv>

namespace gatehouse::http {

namespace {

struct MethodEntry {
  Method method;
  std::string_view name;
};

constexpr std::array<MethodEntry, 7> kMethods = {{{Method::kGet, "GET"},
                                                  {Method::kHead, "HEAD"},
                                                  {Method::kPost, "POST"},
                                                  {Method::kPut, "PUT"},
                                                  {Method::kPatch, "PATCH"},
                                                  {Method::kDelete, "DELETE"},
                                                  {Method::kOptions, "OPTIONS"}}};

}  // namespace

std::string_view MethodName(Method method) {
  for (const MethodEntry& e : kMethods) {
    if (e.method == method) return e.name;
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  for (const MethodEntry& e : kMethods) {
    if (e.name == name) return e.method;
  }
  return Method::kOther;
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

}  // namespace gatehouse::http
