#include "auth/tokens.h"

#include <gtest/gtest.h>

#include <set>

namespace gatehouse::auth {
namespace {

TEST(TokensTest, NewTokenIs43UrlSafeCharactersAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string t = NewToken();
    ASSERT_EQ(t.size(), 43u);
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << t;
    auto raw = Base64UrlDecode(t);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw->size(), kTokenBytes);
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(TokensTest, TokenHashIsSha256Hex) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(TokenHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string t = NewToken();
  EXPECT_EQ(TokenHash(t), TokenHash(t));
  EXPECT_NE(TokenHash(t), TokenHash(t + "x"));
}

TEST(TokensTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret1"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

TEST(TokensTest, RandomIdsAndUuids) {
  std::string id = NewRandomId();
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(NewRandomId(4).size(), 8u);
  EXPECT_NE(NewRandomId(), NewRandomId());
  std::string u = NewUuid();
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[8], '-');
  EXPECT_EQ(u[13], '-');
  EXPECT_EQ(u[14], '4');                                          // version
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);  // variant
  EXPECT_EQ(RandomBytes(0).size(), 0u);
}

struct B64Case {
  const char* bytes;
  const char* text;
};

TEST(TokensTest, Base64UrlRoundTripTable) {
  // RFC 4648 §10 vectors without padding.
  const B64Case cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const B64Case& c : cases) {
    EXPECT_EQ(Base64UrlEncode(c.bytes), c.text);
    auto back = Base64UrlDecode(c.text);
    ASSERT_TRUE(back.ok()) << c.text;
    EXPECT_EQ(*back, c.bytes);
  }
}

TEST(TokensTest, Base64UrlRejectsOtherAlphabetsAndPadding) {
  for (const char* bad : {"Zg==", "Zm9v+", "Zm9v/", "Zm 9v", "Z", "Zm9v!", "Zm9vY\n"}) {
    EXPECT_FALSE(Base64UrlDecode(bad).ok()) << bad;
  }
}

TEST(TokensTest, PercentEncodeKeepsOnlyTheUnreservedBytes) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b&c=d/e?f#g+h%"), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
  EXPECT_EQ(PercentEncode("\xc3\xa9"), "%C3%A9");  // UTF-8 by bytes, upper-case hex
  EXPECT_EQ(PercentEncode(std::string("\x00\xff", 2)), "%00%FF");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(TokensTest, HexEncode) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

}  // namespace
}  // namespace gatehouse::auth
