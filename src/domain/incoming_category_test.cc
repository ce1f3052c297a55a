#include "domain/incoming_category.h"

#include <gtest/gtest.h>

namespace gatehouse::domain {
namespace {

TEST(IncomingCategoryTest, NamesRoundTrip) {
  const struct {
    std::string_view name;
    IncomingCategory category;
  } kCases[] = {{"sip", IncomingCategory::kSip},
                {"forms", IncomingCategory::kForms},
                {"mail", IncomingCategory::kMail},
                {"chats", IncomingCategory::kChats}};
  for (const auto& c : kCases) {
    EXPECT_EQ(IncomingCategoryName(c.category), c.name);
    EXPECT_EQ(IncomingCategoryFromName(c.name), c.category) << c.name;
  }
}

TEST(IncomingCategoryTest, OnlyExactNames) {
  for (std::string_view name : {"", "SIP", "form", "chat", "sip ", "leads"}) {
    EXPECT_EQ(IncomingCategoryFromName(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace gatehouse::domain
