#include "service/json_text.h"

namespace gatehouse::service {

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string EventValue(std::string_view key, const nlohmann::json& value) {
  if (value.is_null()) return "[]";
  return Dump(nlohmann::json::array({{{std::string(key), value}}}));
}

nlohmann::json StoredJsonOrNull(std::string_view text) {
  if (text.empty()) return nullptr;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? nlohmann::json(nullptr) : value;
}

}  // namespace gatehouse::service
