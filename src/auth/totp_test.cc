#include "auth/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::auth {
namespace {

// RFC 6238 appendix B: SHA-1 key "12345678901234567890" (ASCII), in base32.
constexpr char kRfcSecret[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

struct Vector {
  std::int64_t time;
  const char* eight_digits;
};

// The RFC's SHA-1 rows. A 6-digit code is the same truncated value mod 10^6, i.e. the last six
// digits of the 8-digit code (both are (binary code) mod 10^digits).
constexpr Vector kRfcVectors[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(TotpTest, Rfc6238Sha1Vectors) {
  for (const Vector& v : kRfcVectors) {
    auto eight = TotpCode(kRfcSecret, v.time, 8);
    ASSERT_TRUE(eight.ok()) << eight.status().ToString();
    EXPECT_EQ(*eight, v.eight_digits) << v.time;
    auto six = TotpCode(kRfcSecret, v.time);
    ASSERT_TRUE(six.ok());
    EXPECT_EQ(*six, std::string(v.eight_digits).substr(2)) << v.time;
  }
}

TEST(TotpTest, VerifyAcceptsRfcCodesAndReturnsTheStep) {
  for (const Vector& v : kRfcVectors) {
    std::string six = std::string(v.eight_digits).substr(2);
    auto step = VerifyTotp(kRfcSecret, six, v.time, 0);
    ASSERT_TRUE(step.ok()) << v.time << " " << step.status().ToString();
    EXPECT_EQ(*step, v.time / 30);
  }
  // Lower-case secret, as a person might type it.
  EXPECT_TRUE(VerifyTotp("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", "287082", 59, 0).ok());
}

TEST(TotpTest, WindowIsOneStepEitherSide) {
  const std::int64_t t = 1111111111;  // step 37037037
  auto code = TotpCode(kRfcSecret, t);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*VerifyTotp(kRfcSecret, *code, t - 30, 0), TotpStep(t));  // our clock behind
  EXPECT_EQ(*VerifyTotp(kRfcSecret, *code, t + 30, 0), TotpStep(t));  // our clock ahead
  EXPECT_FALSE(VerifyTotp(kRfcSecret, *code, t - 60, 0).ok());
  EXPECT_FALSE(VerifyTotp(kRfcSecret, *code, t + 60, 0).ok());
}

TEST(TotpTest, WrongCodeIsRefused) {
  const std::int64_t t = 1234567890;
  auto r = VerifyTotp(kRfcSecret, "005925", t, 0);  // right code is 005924
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Code::kUnauthenticated);
  EXPECT_EQ(r.status().message(), "wrong TOTP code");
}

TEST(TotpTest, ReusedCodeIsRefused) {
  const std::int64_t t = 2000000000;
  auto code = TotpCode(kRfcSecret, t);
  ASSERT_TRUE(code.ok());
  auto first = VerifyTotp(kRfcSecret, *code, t, 0);
  ASSERT_TRUE(first.ok());
  // Same code again, within the same step and in the next one (still inside the window).
  for (std::int64_t later : {t, t + 1, t + 30}) {
    auto again = VerifyTotp(kRfcSecret, *code, later, *first);
    ASSERT_FALSE(again.ok()) << later;
    EXPECT_EQ(again.status().code(), base::Code::kUnauthenticated);
    EXPECT_EQ(again.status().message(), "TOTP code already used");
  }
  // A code from an earlier step than the last used one is refused too.
  auto previous = TotpCode(kRfcSecret, t - 30);
  ASSERT_TRUE(previous.ok());
  EXPECT_FALSE(VerifyTotp(kRfcSecret, *previous, t, *first).ok());
  // The next step's code is fine.
  auto next = TotpCode(kRfcSecret, t + 30);
  ASSERT_TRUE(next.ok());
  auto second = VerifyTotp(kRfcSecret, *next, t + 30, *first);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first + 1);
}

TEST(TotpTest, CodeFormatTable) {
  const std::pair<const char*, bool> cases[] = {
      {"123456", true},        {"000000", true},   {"12345", false},   {"1234567", false},
      {"12345a", false},       {" 123456", false}, {"123 456", false}, {"", false},
      {"１２３４５６", false}, {"-12345", false},
  };
  for (const auto& [code, ok] : cases) {
    base::Status s = ValidateTotpCodeFormat(code);
    EXPECT_EQ(s.ok(), ok) << code;
    if (!ok) {
      ASSERT_EQ(s.fields().size(), 1u);
      EXPECT_EQ(s.fields()[0].path, "code");
      EXPECT_EQ(s.code(), base::Code::kInvalidArgument);
      EXPECT_EQ(VerifyTotp(kRfcSecret, code, 59, 0).status().code(), base::Code::kInvalidArgument);
    }
  }
}

TEST(TotpTest, BadSecretIsAnError) {
  EXPECT_FALSE(TotpCode("not base32!", 59).ok());
  EXPECT_FALSE(TotpCode("", 59).ok());
  EXPECT_EQ(VerifyTotp("1111", "123456", 59, 0).status().code(), base::Code::kInternal);
}

TEST(TotpTest, NewSecretIs32Base32CharactersAndWorks) {
  std::string s = NewTotpSecret();
  EXPECT_EQ(s.size(), 32u);
  EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos) << s;
  EXPECT_NE(s, NewTotpSecret());
  const std::int64_t now = 1'764'000'000;
  auto code = TotpCode(s, now);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*VerifyTotp(s, *code, now, 0), TotpStep(now));
}

TEST(TotpTest, OtpauthUri) {
  EXPECT_EQ(OtpauthUri("Gatehouse", "anna.k+crm@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Gatehouse:anna.k%2Bcrm%40example.com?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("My Co", "a@b", "X").substr(0, 29), "otpauth://totp/My%20Co:a%40b?");
}

TEST(TotpTest, StepIsFloorOfThirtySeconds) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(-1), -1);
}

}  // namespace
}  // namespace gatehouse::auth
