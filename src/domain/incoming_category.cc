// Names of the incoming-lead categories (incoming_category.h).
#include "domain/incoming_category.h"

#include "base/enum_names.h"

namespace gatehouse::domain {
namespace {

constexpr base::EnumNames<IncomingCategory, kAllIncomingCategories.size()> kNames{
    {{IncomingCategory::kSip, "sip"},
     {IncomingCategory::kForms, "forms"},
     {IncomingCategory::kMail, "mail"},
     {IncomingCategory::kChats, "chats"}}};

}  // namespace

std::string_view IncomingCategoryName(IncomingCategory category) {
  return base::NameOf(kNames, category);
}

std::optional<IncomingCategory> IncomingCategoryFromName(std::string_view name) {
  return base::ValueOf(kNames, name);
}

}  // namespace gatehouse::domain
