// Value accessors shared by every driver.
#include "storage/sql/connection.h"

namespace gatehouse::storage::sql {

std::int64_t AsInt(const Value& value, std::int64_t if_null) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) return static_cast<std::int64_t>(*d);
  return if_null;
}

double AsDouble(const Value& value, double if_null) {
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  return if_null;
}

std::string AsText(const Value& value, std::string_view if_null) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return std::string(if_null);
}

bool IsNull(const Value& value) { return std::holds_alternative<std::monostate>(value); }

}  // namespace gatehouse::storage::sql
