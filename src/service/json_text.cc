#include "service/json_text.h"

namespace gatehouse::service {

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string EventValue(std::string_view key, const nlohmann::json& value) {
  if (value.is_null()) return "[]";
  return Dump(nlohmann::json::array({{{std::string(key), value}}}));
}

}  // namespace gatehouse::service
