// Names of the custom field types, and the parsers of the values they share with filters.
#include "domain/custom_fields.h"

#include <array>
#include <utility>

namespace gatehouse::domain {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 10> kTypeNames = {{
    {FieldType::kText, "text"},
    {FieldType::kNumeric, "numeric"},
    {FieldType::kCheckbox, "checkbox"},
    {FieldType::kSelect, "select"},
    {FieldType::kMultiselect, "multiselect"},
    {FieldType::kDate, "date"},
    {FieldType::kUrl, "url"},
    {FieldType::kTextarea, "textarea"},
    {FieldType::kPrice, "price"},
    {FieldType::kMultitext, "multitext"},
}};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int Digits(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::optional<std::string> ParseDecimal(std::string_view s) {
  std::size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  std::size_t digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++digits;
    } else if (s[i] == '.' && !dot && digits > 0) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || s.back() == '.' || s.size() > 40) return std::nullopt;
  return std::string(s);
}

std::optional<std::int64_t> ParseDate(std::string_view s) {
  if (!s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos) {
    std::int64_t n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
  }
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int y = Digits(s.substr(0, 4));
  const int m = Digits(s.substr(5, 2));
  const int d = Digits(s.substr(8, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400;
}

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "text";
}

std::optional<FieldType> FieldTypeFromName(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool FieldTypeHasEnums(FieldType type) {
  return type == FieldType::kSelect || type == FieldType::kMultiselect ||
         type == FieldType::kMultitext;
}

bool FieldTypeIsMultiple(FieldType type) {
  return type == FieldType::kMultiselect || type == FieldType::kMultitext;
}

const FieldEnum* CustomField::FindEnum(std::int64_t enum_id) const {
  for (const FieldEnum& e : enums) {
    if (e.id == enum_id) return &e;
  }
  return nullptr;
}

const FieldEnum* CustomField::FindEnumByValue(std::string_view value) const {
  for (const FieldEnum& e : enums) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

}  // namespace gatehouse::domain
