#include "auth/recovery_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace gatehouse::auth {
namespace {

TEST(RecoveryCodesTest, TenReadableUniqueCodesWithMatchingHashes) {
  RecoveryCodes rc = NewRecoveryCodes();
  ASSERT_EQ(rc.codes.size(), 10u);
  ASSERT_EQ(rc.hashes.size(), 10u);
  std::regex shape("[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}");
  std::set<std::string> unique;
  for (std::size_t i = 0; i < rc.codes.size(); ++i) {
    EXPECT_TRUE(std::regex_match(rc.codes[i], shape)) << rc.codes[i];
    EXPECT_EQ(rc.hashes[i], HashRecoveryCode(rc.codes[i]));
    EXPECT_EQ(rc.hashes[i].size(), 64u);
    EXPECT_EQ(rc.hashes[i].find(rc.codes[i].substr(0, 4)), std::string::npos);  // not plain
    unique.insert(rc.codes[i]);
  }
  EXPECT_EQ(unique.size(), 10u);
}

TEST(RecoveryCodesTest, NormalizationTable) {
  const std::pair<const char*, const char*> cases[] = {
      {"abcd-efgh-jkmn", "abcdefghjkmn"},
      {"ABCD-EFGH-JKMN", "abcdefghjkmn"},
      {"abcd efgh jkmn", "abcdefghjkmn"},
      {" abcdefghjkmn ", "abcdefghjkmn"},
      {"ab-cd-ef-gh-jk-mn", "abcdefghjkmn"},
      {"abcd-efgh-jkm", ""},
      {"abcd-efgh-jkmnp", ""},
      {"abcd-efgh-ijkl", ""},  // i, l not in the alphabet
      {"abcd-efgh-jkm0", ""},
      {"", ""},
      {"abcd_efgh_jkmn", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NormalizeRecoveryCode(in), want) << in;
}

TEST(RecoveryCodesTest, ConsumeFindsTheCodeOnceThenNotAgain) {
  RecoveryCodes rc = NewRecoveryCodes();
  std::vector<std::string> stored = rc.hashes;
  std::string typed = rc.codes[3];
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto index = ConsumeRecoveryCode(typed, stored);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(*index, 3u);
  stored[*index].clear();  // what the caller persists
  auto again = ConsumeRecoveryCode(rc.codes[3], stored);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), base::Code::kNotFound);
  // The others still work.
  EXPECT_EQ(*ConsumeRecoveryCode(rc.codes[9], stored), 9u);
  EXPECT_EQ(*ConsumeRecoveryCode(rc.codes[0], stored), 0u);
}

TEST(RecoveryCodesTest, WrongOrMalformedCodesAreNotFound) {
  RecoveryCodes rc = NewRecoveryCodes();
  RecoveryCodes other = NewRecoveryCodes();
  for (const std::string& bad : {other.codes[0], std::string("zzzz-zzzz-zzz"), std::string(""),
                                 std::string("----"), rc.hashes[0]}) {
    EXPECT_EQ(ConsumeRecoveryCode(bad, rc.hashes).status().code(), base::Code::kNotFound) << bad;
  }
  EXPECT_FALSE(ConsumeRecoveryCode(rc.codes[0], {}).ok());
  EXPECT_FALSE(ConsumeRecoveryCode(rc.codes[0], {"", "", ""}).ok());
  EXPECT_EQ(HashRecoveryCode("nope"), "");
}

}  // namespace
}  // namespace gatehouse::auth
