// The category of an incoming (unsorted) lead: the channel it came in on (Kommo's "unsorted"
// categories). The API and the store name it "sip", "forms", "mail" or "chats"; the names are
// converted here only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gatehouse::domain {

enum class IncomingCategory : std::uint8_t { kSip, kForms, kMail, kChats };
inline constexpr std::array<IncomingCategory, 4> kAllIncomingCategories = {
    IncomingCategory::kSip, IncomingCategory::kForms, IncomingCategory::kMail,
    IncomingCategory::kChats};

std::string_view IncomingCategoryName(IncomingCategory category);  // "sip", "forms", ...
// The category named exactly `name`, or nullopt.
std::optional<IncomingCategory> IncomingCategoryFromName(std::string_view name);

}  // namespace gatehouse::domain
