#include "auth/second_factor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/recovery_codes.h"
#include "auth/totp.h"

namespace gatehouse::auth {
namespace {

constexpr char kSecret[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
constexpr std::int64_t kSignInTime = 1'234'567'890;

class SecondFactorTest : public ::testing::Test {
 protected:
  std::optional<SecondFactorMatch> Match(std::string_view code, std::int64_t last_step = 0) {
    return MatchSecondFactor(code, kSecret, last_step, recovery_.hashes, kSignInTime);
  }
  std::string Totp() { return *TotpCode(kSecret, kSignInTime); }

  RecoveryCodes recovery_ = NewRecoveryCodes();
};

TEST_F(SecondFactorTest, ATotpCodeMatchesWithItsStepAsAppsShowIt) {
  const std::string code = Totp();
  for (const std::string& typed :
       {code, code.substr(0, 3) + " " + code.substr(3), " " + code + "\r\n",
        code.substr(0, 3) + "\t" + code.substr(3)}) {
    std::optional<SecondFactorMatch> match = Match(typed);
    ASSERT_TRUE(match) << "'" << typed << "'";
    EXPECT_EQ(match->kind, SecondFactorMatch::Kind::kTotp);
    EXPECT_EQ(match->totp_step, kSignInTime / kTotpStepSeconds);
  }
}

TEST(CompactCodeTest, DropsBlanksAndLineEndsAnywhere) {
  EXPECT_EQ(CompactCode(" 123 456\r\n"), "123456");
  EXPECT_EQ(CompactCode("abcd efgh\tjkmn"), "abcdefghjkmn");
  EXPECT_EQ(CompactCode("abcd-efgh"), "abcd-efgh");  // dashes are the recovery code's business
  EXPECT_EQ(CompactCode(" \t"), "");
}

TEST_F(SecondFactorTest, AUsedStepIsAReplayAndDoesNotMatch) {
  EXPECT_FALSE(Match(Totp(), kSignInTime / kTotpStepSeconds));
  EXPECT_TRUE(Match(Totp(), kSignInTime / kTotpStepSeconds - 2));
}

TEST_F(SecondFactorTest, ARecoveryCodeMatchesItsEntry) {
  std::optional<SecondFactorMatch> match = Match(recovery_.codes[3]);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->kind, SecondFactorMatch::Kind::kRecovery);
  EXPECT_EQ(match->recovery_index, 3u);
  std::string spaced = recovery_.codes[5];
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  ASSERT_TRUE(Match(spaced));
  EXPECT_EQ(Match(spaced)->recovery_index, 5u);
}

TEST_F(SecondFactorTest, AnythingElseMatchesNothing) {
  const std::string code = Totp();
  const std::string wrong = code.substr(0, 5) + (code[5] == '9' ? "0" : "9");
  for (const std::string& typed :
       {wrong, std::string(""), std::string("12345"), std::string("1234567"),
        std::string("abcd-efgh-jkmn"), code + "0"}) {
    EXPECT_FALSE(Match(typed)) << "'" << typed << "'";
  }
}

}  // namespace
}  // namespace gatehouse::auth
