#include "base/text.h"

#include <gtest/gtest.h>

namespace gatehouse::base {
namespace {

TEST(TextTest, AsciiLowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Ann.Smith@ACME.test"), "ann.smith@acme.test");
  EXPECT_EQ(AsciiLower("GET /Path?Q=1"), "get /path?q=1");
  // UTF-8 bytes of "Ä" and "İ" are left as they are: folding them is not ASCII's business.
  EXPECT_EQ(AsciiLower("\xC3\x84\xC4\xB0Z"), "\xC3\x84\xC4\xB0z");
  EXPECT_EQ(AsciiLower(""), "");
  EXPECT_EQ(AsciiLower('Q'), 'q');
  EXPECT_EQ(AsciiLower('@'), '@');
  EXPECT_EQ(AsciiLower('['), '[');  // the byte after 'Z'
}

TEST(TextTest, TrimRemovesOnlyTheGivenCharactersAtBothEnds) {
  EXPECT_EQ(Trim("  a b\t"), "a b");
  EXPECT_EQ(Trim(" \t "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("x"), "x");
  EXPECT_EQ(Trim(" line\r\n"), "line\r\n");  // blanks only by default
  EXPECT_EQ(Trim("\r\n line \r\n", kWhitespace), "line");
  EXPECT_EQ(Trim("--a-b--", "-"), "a-b");
}

TEST(TextTest, CodePointsCountCharactersNotBytes) {
  EXPECT_EQ(CodePoints(""), 0u);
  EXPECT_EQ(CodePoints("abc"), 3u);
  EXPECT_EQ(CodePoints("Stra\xC3\x9F"
                       "e"),
            6u);  // "Straße": ß is two bytes
  EXPECT_EQ(CodePoints("\xE2\x82\xAC"
                       "1"),
            2u);                                  // "€1": € is three bytes
  EXPECT_EQ(CodePoints("\xF0\x9F\x99\x82"), 1u);  // an emoji: four bytes
}

TEST(TextTest, ControlCharactersAllowedOnlyAsLineBreaksAndTabsOfMultilineText) {
  EXPECT_FALSE(HasControlCharacter("plain text \xC3\xA9", false));
  EXPECT_TRUE(HasControlCharacter(std::string_view("a\0b", 3), false));
  EXPECT_TRUE(HasControlCharacter(std::string_view("a\0b", 3), true));  // NUL never
  EXPECT_TRUE(HasControlCharacter("a\x7F", true));                      // nor DEL
  EXPECT_TRUE(HasControlCharacter("a\x1B[31m", true));                  // nor escapes
  for (const char* breaks : {"a\nb", "a\r\nb", "a\tb"}) {
    EXPECT_TRUE(HasControlCharacter(breaks, false)) << breaks;
    EXPECT_FALSE(HasControlCharacter(breaks, true)) << breaks;
  }
}

TEST(TextTest, HexColorsAreSixHexDigits) {
  for (const char* good : {"DDEBB5", "99ccff", "000000"}) EXPECT_TRUE(IsHexColor(good)) << good;
  for (const char* bad : {"", "#99ccff", "99ccf", "99ccffa", "99ccfg", "red"}) {
    EXPECT_FALSE(IsHexColor(bad)) << bad;
  }
}

}  // namespace
}  // namespace gatehouse::base
