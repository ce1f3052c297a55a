// JSON text as the service layer stores and logs it, and as the API reads it back. For .cc files
// only (the service's and the API's): it includes nlohmann, which no public header includes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gatehouse::service {

// `value` as compact JSON text. Invalid UTF-8 in strings becomes U+FFFD instead of throwing
// (our code throws nothing).
std::string Dump(const nlohmann::json& value);

// An event's value_before/value_after in Kommo's shape, [{key: value}]; "[]" when `value` is
// null (no before for an added entity, no after for a deleted one).
std::string EventValue(std::string_view key, const nlohmann::json& value);

// Text the store kept as JSON (custom field values, metadata) as a value: null when the text is
// empty or not JSON.
nlohmann::json StoredJsonOrNull(std::string_view text);

}  // namespace gatehouse::service
