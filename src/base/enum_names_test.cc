#include "base/enum_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "base/status.h"

namespace gatehouse::base {
namespace {

enum class Color { kRed, kGreen, kBlue };

constexpr EnumNames<Color, 2> kColorNames{{{Color::kRed, "red"}, {Color::kGreen, "green"}}};

TEST(EnumNamesTest, NamesAValueAndFallsBackForOneNotInTheTable) {
  EXPECT_STREQ(NameOf(kColorNames, Color::kGreen), "green");
  EXPECT_STREQ(NameOf(kColorNames, Color::kBlue), "unknown");
  EXPECT_STREQ(NameOf(kColorNames, Color::kBlue, "none"), "none");
}

TEST(EnumNamesTest, ReadsOnlyAnExactName) {
  EXPECT_EQ(ValueOf(kColorNames, "red"), Color::kRed);
  EXPECT_EQ(ValueOf(kColorNames, "Red"), std::nullopt);
  EXPECT_EQ(ValueOf(kColorNames, "re"), std::nullopt);
  EXPECT_EQ(ValueOf(kColorNames, ""), std::nullopt);
  EXPECT_EQ(ValueOf(kColorNames, std::string_view("red\0", 4)), std::nullopt);
}

TEST(EnumNamesTest, WorksAtCompileTime) {
  static_assert(ValueOf(kColorNames, "green") == Color::kGreen);
  static_assert(NameOf(kColorNames, Color::kRed)[0] == 'r');
}

TEST(EnumNamesTest, EveryStatusCodeHasItsOwnName) {
  std::set<std::string> seen;
  for (int i = 0; i <= static_cast<int>(Code::kInternal); ++i) {
    const std::string name = CodeName(static_cast<Code>(i));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_TRUE(seen.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace gatehouse::base
