// An enum's names kept as one table per enum, read both ways: the name of a value (for logs,
// JSON and the activity log) and the value of a name (at the edges that parse one).
//
//   constexpr base::EnumNames<Rule, 2> kRuleNames{{{Rule::kAdmin, "admin"}, ...}};
//   NameOf(kRuleNames, rule);          // "admin", or the fallback for a value not in the table
//   ValueOf(kRuleNames, "admin");      // Rule::kAdmin, or nullopt
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gatehouse::base {

template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;  // a string literal: NUL-terminated, lives for the program
};

template <typename Enum, std::size_t N>
using EnumNames = std::array<EnumName<Enum>, N>;

template <typename Enum, std::size_t N>
constexpr const char* NameOf(const EnumNames<Enum, N>& names, Enum value,
                             const char* fallback = "unknown") {
  for (const EnumName<Enum>& entry : names) {
    if (entry.value == value) return entry.name;
  }
  return fallback;
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> ValueOf(const EnumNames<Enum, N>& names, std::string_view name) {
  for (const EnumName<Enum>& entry : names) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace gatehouse::base
