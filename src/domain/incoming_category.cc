// Names of the incoming-lead categories (incoming_category.h).
#include "domain/incoming_category.h"

namespace gatehouse::domain {
namespace {

// Indexed by IncomingCategory.
constexpr std::array<std::string_view, kAllIncomingCategories.size()> kNames = {"sip", "forms",
                                                                                "mail", "chats"};

}  // namespace

std::string_view IncomingCategoryName(IncomingCategory category) {
  const auto i = static_cast<std::size_t>(category);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<IncomingCategory> IncomingCategoryFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return kAllIncomingCategories[i];
  }
  return std::nullopt;
}

}  // namespace gatehouse::domain
