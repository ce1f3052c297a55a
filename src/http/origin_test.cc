#include "http/origin.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

TEST(OriginTest, ParsePublicUrl) {
  struct Case {
    const char* in;
    const char* out;  // nullptr: refused
  };
  const Case cases[] = {
      {"https://crm.example", "https://crm.example"},
      {"https://crm.example/", "https://crm.example"},
      {"HTTPS://CRM.Example:8443", "https://crm.example:8443"},
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"http://[::1]:8080/", "http://[::1]:8080"},
      {"crm.example", nullptr},
      {"ftp://crm.example", nullptr},
      {"https://", nullptr},
      {"https://crm.example/base", nullptr},
      {"https://crm.example?x=1", nullptr},
      {"https://user@crm.example", nullptr},
      {"https://crm example", nullptr},
      {"https://crm.example:port", nullptr},
  };
  for (const Case& c : cases) {
    base::Result<std::string> url = ParsePublicUrl(c.in);
    if (c.out == nullptr) {
      ASSERT_FALSE(url.ok()) << c.in;
      EXPECT_EQ(url.status().code(), base::Code::kInvalidArgument);
      ASSERT_EQ(url.status().fields().size(), 1u) << c.in;
      EXPECT_EQ(url.status().fields()[0].path, "public_url");
    } else {
      ASSERT_TRUE(url.ok()) << c.in << ": " << url.status().ToString();
      EXPECT_EQ(*url, c.out);
    }
  }
}

TEST(OriginTest, OriginOfAddressAndAuthority) {
  EXPECT_EQ(OriginOfAddress("127.0.0.1", false, 8080), "http://127.0.0.1:8080");
  EXPECT_EQ(OriginOfAddress("::1", true, 80), "http://[::1]:80");
  EXPECT_EQ(AuthorityOf("https://crm.example:8443"), "crm.example:8443");
}

TEST(OriginTest, ForwardedOriginTakesTheProxysOwnValues) {
  const std::string fallback = "http://10.0.0.5:8080";
  Headers none;
  EXPECT_EQ(ForwardedOrigin(none, fallback), fallback);

  Headers tls;
  tls.Add("X-Forwarded-Proto", "https");
  tls.Add("X-Forwarded-Host", "crm.example");
  EXPECT_EQ(ForwardedOrigin(tls, fallback), "https://crm.example");

  // A client's own value comes first; the proxy appends (or adds a line): the right-most wins.
  Headers appended;
  appended.Add("X-Forwarded-Proto", "http");
  appended.Add("X-Forwarded-Proto", "https");
  appended.Add("X-Forwarded-Host", "evil.example, crm.example");
  EXPECT_EQ(ForwardedOrigin(appended, fallback), "https://crm.example");

  // Garbage from the proxy falls back part by part.
  Headers bad;
  bad.Add("X-Forwarded-Proto", "javascript");
  bad.Add("X-Forwarded-Host", "crm.example/evil");
  EXPECT_EQ(ForwardedOrigin(bad, fallback), fallback);
  Headers proto_only;
  proto_only.Add("X-Forwarded-Proto", "HTTPS");
  EXPECT_EQ(ForwardedOrigin(proto_only, fallback), "https://10.0.0.5:8080");
}

}  // namespace
}  // namespace gatehouse::http
