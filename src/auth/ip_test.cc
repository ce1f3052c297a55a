#include "auth/ip.h"

#include <gtest/gtest.h>

#include <string_view>

#include "auth/auth_test_util.h"

namespace gatehouse::auth {
namespace {

IpRange Range(const char* text) {
  auto r = ParseIpRange(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : IpRange{};
}

TEST(IpTest, AddressParsingTable) {
  const std::pair<const char*, const char*> good[] = {
      {"10.0.0.1", "10.0.0.1"},
      {"255.255.255.255", "255.255.255.255"},
      {"2001:DB8::1", "2001:db8::1"},
      {"::1", "::1"},
      {"::", "::"},
      {"::ffff:192.0.2.7", "192.0.2.7"},  // IPv4-mapped is IPv4
      {"::ffff:c000:0207", "192.0.2.7"},
  };
  for (const auto& [in, out] : good) EXPECT_EQ(Ip(in).ToString(), out) << in;
  EXPECT_TRUE(Ip("::ffff:192.0.2.7").v4);
  EXPECT_FALSE(Ip("::192.0.2.7").v4);  // IPv4-compatible (deprecated) is not mapped
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
                          "fe80::1%eth0", "::ffff::1", "example.com", "1.2.3.4/32", "[::1]"}) {
    auto r = ParseIpAddress(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), std::string(bad) + ": not an IP address");
  }
}

// Found by tests/fuzz/ip_fuzz.cc (regressions/ip/embedded-nul): inet_pton stops at a NUL, so
// text with one inside was taken for the address before it.
TEST(IpTest, EmbeddedNulIsNotAnAddress) {
  using namespace std::string_view_literals;
  for (std::string_view bad :
       {"10.0.0.1\0"sv, "10.0.0.1\0junk"sv, "::\0\0\0_0/104"sv, "2001:db8::1\0/8"sv}) {
    EXPECT_FALSE(ParseIpAddress(bad).ok()) << bad.size();
    EXPECT_FALSE(ParseIpRange(bad).ok()) << bad.size();
  }
  EXPECT_FALSE(ParseIpRange("10.0.0.0\0/8"sv).ok());
  EXPECT_FALSE(ParseWhitelistEntry("203.0.113.7\0 evil"sv).ok());
  // The hop with a NUL is garbage: the trusted proxy's own address is the client.
  EXPECT_EQ(ClientAddress(Ip("127.0.0.1"), "203.0.113.9\0"sv, {Range("127.0.0.1")}).ToString(),
            "127.0.0.1");
}

struct RangeCase {
  const char* text;
  const char* normalized;  // "" = error
  const char* error;
};

TEST(IpTest, RangeParsingTable) {
  const RangeCase cases[] = {
      {"10.0.0.0/8", "10.0.0.0/8", ""},
      {"10.1.2.3/8", "10.0.0.0/8", ""},  // host bits cleared
      {"192.168.1.77/26", "192.168.1.64/26", ""},
      {"203.0.113.9", "203.0.113.9", ""},
      {"203.0.113.9/32", "203.0.113.9", ""},
      {"0.0.0.0/0", "0.0.0.0/0", ""},
      {"2001:db8:abcd:12::1/48", "2001:db8:abcd::/48", ""},
      {"2001:db8::1/128", "2001:db8::1", ""},
      {"::/0", "::/0", ""},
      {"::ffff:10.0.0.0/104", "10.0.0.0/8", ""},
      {"10.0.0.0/33", "", "10.0.0.0/33: prefix length must be 0..32"},
      {"2001:db8::/129", "", "2001:db8::/129: prefix length must be 0..128"},
      {"::ffff:10.0.0.0/95", "", "::ffff:10.0.0.0/95: prefix length must be 96..128"},
      {"10.0.0.0/", "", "10.0.0.0/: prefix length is not a number"},
      {"10.0.0.0/-1", "", "10.0.0.0/-1: prefix length is not a number"},
      {"10.0.0.0/8a", "", "10.0.0.0/8a: prefix length is not a number"},
      {"10.0.0.0/0008", "", "10.0.0.0/0008: prefix length is not a number"},
      {"10.0.0.0/8/8", "", "10.0.0.0/8/8: prefix length is not a number"},
      {"10.0.0/8", "", "10.0.0/8: not an IP address"},
      {"/8", "", "/8: not an IP address"},
  };
  for (const RangeCase& c : cases) {
    auto r = ParseIpRange(c.text);
    if (*c.normalized != '\0') {
      ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
      EXPECT_EQ(r->ToString(), c.normalized);
    } else {
      ASSERT_FALSE(r.ok()) << c.text;
      EXPECT_EQ(r.status().code(), base::Code::kInvalidArgument);
      EXPECT_EQ(r.status().message(), c.error);
    }
  }
}

TEST(IpTest, ContainsTable) {
  struct Case {
    const char* range;
    const char* address;
    bool in;
  };
  const Case cases[] = {
      {"10.0.0.0/8", "10.255.1.2", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"192.168.1.64/26", "192.168.1.127", true},
      {"192.168.1.64/26", "192.168.1.128", false},
      {"192.168.1.64/26", "192.168.1.63", false},
      {"203.0.113.9", "203.0.113.9", true},
      {"203.0.113.9", "203.0.113.10", false},
      {"0.0.0.0/0", "8.8.8.8", true},
      {"0.0.0.0/0", "2001:db8::1", false},  // families never mix
      {"::/0", "8.8.8.8", false},
      {"::/0", "2001:db8::1", true},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"10.0.0.0/8", "::ffff:10.1.1.1", true},  // dual-stack peer
      {"::ffff:10.0.0.0/104", "10.20.30.40", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Contains(Range(c.range), Ip(c.address)), c.in) << c.range << " " << c.address;
  }
}

TEST(IpTest, WhitelistEntryErrorsNameTheFieldAndValue) {
  auto ok = ParseWhitelistEntry("  10.0.0.0/8 ");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ToString(), "10.0.0.0/8");
  auto bad = ParseWhitelistEntry("10.0.0.0/33", "entries.2.value");
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.status().fields().size(), 1u);
  EXPECT_EQ(bad.status().fields()[0],
            (base::FieldError{"entries.2.value", "InvalidIpRange",
                              "10.0.0.0/33: prefix length must be 0..32"}));
  auto empty = ParseWhitelistEntry("   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().fields()[0].detail, "empty entry");
  EXPECT_EQ(ParseWhitelistEntry("office").status().fields()[0].detail, "office: not an IP address");
}

TEST(IpTest, PrivateAndLoopback) {
  for (const char* local :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1",
        "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(Ip(local).IsPrivateOrLocal()) << local;
  }
  for (const char* global : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1",
                             "2001:4860:4860::8888", "2a00:1450::1"}) {
    EXPECT_FALSE(Ip(global).IsPrivateOrLocal()) << global;
  }
  EXPECT_TRUE(Ip("127.8.8.8").IsLoopback());
  EXPECT_TRUE(Ip("::1").IsLoopback());
  EXPECT_FALSE(Ip("::2").IsLoopback());
}

class ClientAddressTest : public testing::Test {
 protected:
  std::vector<IpRange> trusted_ = {Range("10.0.0.0/8"), Range("2001:db8:ffff::/48")};
};

TEST_F(ClientAddressTest, Table) {
  struct Case {
    const char* peer;
    const char* xff;
    const char* client;
  };
  const Case cases[] = {
      // Untrusted peer: the header is the attacker's to write and is ignored.
      {"203.0.113.5", "1.1.1.1", "203.0.113.5"},
      {"203.0.113.5", "10.0.0.1", "203.0.113.5"},
      {"203.0.113.5", "", "203.0.113.5"},
      // Trusted peer: right-most untrusted hop.
      {"10.0.0.2", "198.51.100.7", "198.51.100.7"},
      {"10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"},   // spoofed left part skipped
      {"10.0.0.2", "198.51.100.7, 10.0.0.9", "198.51.100.7"},  // chain of our proxies
      {"10.0.0.2", "198.51.100.7,10.9.9.9 , 10.0.0.9", "198.51.100.7"},
      {"10.0.0.2", "198.51.100.7:54321", "198.51.100.7"},
      {"10.0.0.2", "[2001:db8::7]:443", "2001:db8::7"},
      {"10.0.0.2", "2001:db8::7", "2001:db8::7"},
      {"2001:db8:ffff::1", "::ffff:198.51.100.7", "198.51.100.7"},
      {"::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"},  // mapped trusted peer
      // Trusted peer, nothing usable: the last hop we reached.
      {"10.0.0.2", "", "10.0.0.2"},
      {"10.0.0.2", "garbage", "10.0.0.2"},
      {"10.0.0.2", "10.0.0.3, 10.0.0.4", "10.0.0.3"},
      {"10.0.0.2", "198.51.100.7, garbage, 10.0.0.9", "10.0.0.9"},
      {"10.0.0.2", "198.51.100.7,,", "10.0.0.2"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ClientAddress(Ip(c.peer), c.xff, trusted_).ToString(), c.client)
        << c.peer << " / " << c.xff;
  }
}

TEST_F(ClientAddressTest, NoTrustedProxiesMeansPeerAlways) {
  EXPECT_EQ(ClientAddress(Ip("127.0.0.1"), "8.8.8.8", {}).ToString(), "127.0.0.1");
}

}  // namespace
}  // namespace gatehouse::auth
