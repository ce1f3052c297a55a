#include "auth/jwt.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>

#include "auth/tokens.h"

namespace gatehouse::auth {
namespace {

constexpr std::int64_t kNow = 1'751'621'727;

JwtClaims SampleClaims() {
  return JwtClaims{.sub = 42,
                   .acc = 7,
                   .jti = "0123456789abcdef",
                   .iat = kNow,
                   .exp = kNow + 86400,
                   .kind = TokenKind::kOauth,
                   .client_id = "3f2b8c1e-9d4a-4b7e-8f00-1234567890ab",
                   .api_domain = "demo.gatehouse.local"};
}

class JwtTest : public testing::Test {
 protected:
  JwtTest() : key_(NewJwtKey()) { keys_[key_.kid] = key_.secret; }

  JwtKeyLookup Lookup() const {
    return [this](std::string_view kid) -> std::optional<std::string> {
      auto it = keys_.find(std::string(kid));
      if (it == keys_.end()) return std::nullopt;
      return it->second;
    };
  }

  // A token with arbitrary header and payload JSON, signed with `secret`.
  static std::string Forge(const std::string& header, const std::string& payload,
                           const std::string& secret) {
    std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                           reinterpret_cast<const unsigned char*>(secret.data()));
    return input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), sizeof mac));
  }

  std::string Header(const std::string& alg = "HS256") const {
    return R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + key_.kid + R"("})";
  }

  static std::string Payload(std::int64_t exp = kNow + 60) {
    return R"({"sub":"42","acc":7,"jti":"j1","iat":)" + std::to_string(kNow) + R"(,"exp":)" +
           std::to_string(exp) + R"(,"kind":"personal","api_domain":"x"})";
  }

  JwtKey key_;
  std::map<std::string, std::string> keys_;
};

TEST_F(JwtTest, SignThenVerifyRoundTrips) {
  auto token = SignJwt(SampleClaims(), key_);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->rfind("eyJ", 0), 0u);  // Kommo clients sniff this prefix
  auto claims = VerifyJwt(*token, Lookup(), kNow + 10);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(*claims, SampleClaims());

  JwtClaims personal = SampleClaims();
  personal.kind = TokenKind::kPersonal;
  personal.client_id.reset();
  auto t2 = SignJwt(personal, key_);
  ASSERT_TRUE(t2.ok());
  auto c2 = VerifyJwt(*t2, Lookup(), kNow);
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(*c2, personal);
}

TEST_F(JwtTest, ForgedTokenWithTheRightKeyVerifies) {
  // Guards the forging helper itself, so the failures below mean what they say.
  auto claims = VerifyJwt(Forge(Header(), Payload(), key_.secret), Lookup(), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->sub, 42);
}

TEST_F(JwtTest, ExpiredTokenIsRefused) {
  auto token = SignJwt(SampleClaims(), key_);
  ASSERT_TRUE(token.ok());
  const std::int64_t exp = SampleClaims().exp;
  EXPECT_TRUE(VerifyJwt(*token, Lookup(), exp - 1).ok());
  for (std::int64_t now : {exp, exp + 1, exp + 86400}) {
    auto r = VerifyJwt(*token, Lookup(), now);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), base::Code::kUnauthenticated);
    EXPECT_EQ(r.status().message(), "token expired");
  }
}

TEST_F(JwtTest, TokenFromTheFutureIsRefused) {
  auto token = SignJwt(SampleClaims(), key_);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(VerifyJwt(*token, Lookup(), kNow - kJwtClockSkewSeconds).ok());
  auto r = VerifyJwt(*token, Lookup(), kNow - kJwtClockSkewSeconds - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "issued in the future");
}

TEST_F(JwtTest, TamperedTokensAreRefused) {
  auto token = SignJwt(SampleClaims(), key_);
  ASSERT_TRUE(token.ok());
  const std::string t = *token;
  const std::size_t dot1 = t.find('.');
  const std::size_t dot2 = t.rfind('.');
  // Payload swapped for one naming another user, signature kept.
  std::string other_payload = Base64UrlEncode(
      R"({"sub":"1","acc":7,"jti":"j","iat":1751621727,"exp":1851621727,"kind":"personal","api_domain":"x"})");
  std::string swapped = t.substr(0, dot1 + 1) + other_payload + t.substr(dot2);
  // One signature character flipped.
  std::string flipped = t;
  flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
  // Signed with a different key under the same kid.
  std::string wrong_key = Forge(Header(), Payload(), std::string(32, 'k'));
  const std::pair<std::string, std::string> cases[] = {
      {swapped, "bad signature"},
      {flipped, "bad signature"},
      {wrong_key, "bad signature"},
      {t.substr(0, dot2), "malformed token"},
      {t.substr(0, dot2 + 1), "bad signature"},
      {t + ".x", "malformed token"},
      {t.substr(0, dot2 + 1) + "%%%", "bad signature"},
      {"", "malformed token"},
      {"a.b.c", "malformed token"},
      {std::string(kMaxJwtLength + 1, 'a'), "malformed token"},
  };
  for (const auto& [bad, why] : cases) {
    auto r = VerifyJwt(bad, Lookup(), kNow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), base::Code::kUnauthenticated);
    EXPECT_EQ(r.status().message(), why) << bad;
  }
}

TEST_F(JwtTest, OnlyHs256IsAccepted) {
  // alg "none" with an empty signature: the classic bypass.
  std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT","kid":")" + key_.kid + R"("})") +
                     "." + Base64UrlEncode(Payload()) + ".";
  const std::string cases[] = {
      none,
      Forge(Header("none"), Payload(), key_.secret),
      Forge(Header("None"), Payload(), key_.secret),
      Forge(Header("hs256"), Payload(), key_.secret),
      Forge(Header("HS512"), Payload(), key_.secret),
      Forge(Header("RS256"), Payload(), key_.secret),
      Forge(R"({"typ":"JWT","kid":")" + key_.kid + R"("})", Payload(), key_.secret),
      Forge(R"({"alg":["HS256"],"kid":")" + key_.kid + R"("})", Payload(), key_.secret),
  };
  for (const std::string& bad : cases) {
    auto r = VerifyJwt(bad, Lookup(), kNow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), "unsupported alg") << bad;
  }
}

TEST_F(JwtTest, KeysRotateByKid) {
  auto old_token = SignJwt(SampleClaims(), key_);
  ASSERT_TRUE(old_token.ok());
  JwtKey next = NewJwtKey();
  EXPECT_NE(next.kid, key_.kid);
  keys_[next.kid] = next.secret;
  auto new_token = SignJwt(SampleClaims(), next);
  ASSERT_TRUE(new_token.ok());
  EXPECT_TRUE(VerifyJwt(*old_token, Lookup(), kNow).ok());
  EXPECT_TRUE(VerifyJwt(*new_token, Lookup(), kNow).ok());
  keys_.erase(key_.kid);  // old key retired
  auto r = VerifyJwt(*old_token, Lookup(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unknown key id");
  EXPECT_TRUE(VerifyJwt(*new_token, Lookup(), kNow).ok());
  // No kid, or no lookup at all.
  EXPECT_EQ(VerifyJwt(Forge(R"({"alg":"HS256"})", Payload(), next.secret), Lookup(), kNow)
                .status()
                .message(),
            "unknown key id");
  EXPECT_FALSE(VerifyJwt(*new_token, JwtKeyLookup(), kNow).ok());
}

TEST_F(JwtTest, BadClaimsAreRefusedEvenWhenSigned) {
  const std::string payloads[] = {
      R"({"sub":42,"acc":7,"jti":"j","iat":1751621727,"exp":1851621727,"kind":"personal","api_domain":"x"})",
      R"({"sub":"abc","acc":7,"jti":"j","iat":1751621727,"exp":1851621727,"kind":"personal","api_domain":"x"})",
      R"({"sub":"42","acc":"7","jti":"j","iat":1751621727,"exp":1851621727,"kind":"personal","api_domain":"x"})",
      R"({"sub":"42","acc":7,"jti":"","iat":1751621727,"exp":1851621727,"kind":"personal","api_domain":"x"})",
      R"({"sub":"42","acc":7,"jti":"j","iat":1751621727,"exp":1.8e9,"kind":"personal","api_domain":"x"})",
      R"({"sub":"42","acc":7,"jti":"j","iat":1751621727,"kind":"personal","api_domain":"x"})",
      R"({"sub":"42","acc":7,"jti":"j","iat":1751621727,"exp":1851621727,"kind":"admin","api_domain":"x"})",
      R"({"sub":"42","acc":7,"jti":"j","iat":1751621727,"exp":1851621727,"kind":"oauth","api_domain":"x","client_id":5})",
      R"(["not","an","object"])",
      R"(not json)",
  };
  for (const std::string& p : payloads) {
    auto r = VerifyJwt(Forge(Header(), p, key_.secret), Lookup(), kNow);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().code(), base::Code::kUnauthenticated) << p;
  }
}

TEST_F(JwtTest, SignRefusesBadInput) {
  JwtKey short_key{"k", std::string(16, 'x')};
  EXPECT_FALSE(SignJwt(SampleClaims(), short_key).ok());
  EXPECT_FALSE(SignJwt(SampleClaims(), JwtKey{"", key_.secret}).ok());
  JwtClaims backwards = SampleClaims();
  backwards.exp = backwards.iat;
  EXPECT_FALSE(SignJwt(backwards, key_).ok());
  JwtClaims bad_utf8 = SampleClaims();
  bad_utf8.api_domain = "\xff\xfe";
  EXPECT_FALSE(SignJwt(bad_utf8, key_).ok());  // nlohmann's throw caught and returned
}

}  // namespace
}  // namespace gatehouse::auth
