#include "auth/geoip.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "auth/auth_test_util.h"

namespace gatehouse::auth {
namespace {

// Writes a tiny IPv4 MaxMind DB (format 2.0, 24-bit records) mapping each network to
// {"country": {"iso_code": code}}: enough to exercise the libmaxminddb path without shipping a
// commercial database.
class MmdbWriter {
 public:
  void Add(const char* cidr, const std::string& code) {
    IpRange r = *ParseIpRange(cidr);
    networks_.push_back({r, code});
  }

  std::string Write(const std::string& path) {
    // Data section: one map per network.
    std::vector<std::uint32_t> offsets;
    std::string data;
    for (const auto& [range, code] : networks_) {
      offsets.push_back(static_cast<std::uint32_t>(data.size()));
      data += Map(1) + Str("country") + Map(1) + Str("iso_code") + Str(code);
    }
    // Search tree: a binary trie over the prefix bits. kEmpty/kData are placeholders resolved
    // once the node count is known.
    std::vector<std::pair<std::int64_t, std::int64_t>> nodes(1, {kEmpty, kEmpty});
    for (std::size_t n = 0; n < networks_.size(); ++n) {
      const IpRange& r = networks_[n].first;
      std::size_t node = 0;
      for (int bit = 0; bit < r.prefix; ++bit) {
        bool one = (r.network.bytes[bit / 8] >> (7 - bit % 8)) & 1;
        auto rec = [&]() -> std::int64_t& {  // re-fetched: push_back may move `nodes`
          return one ? nodes[node].second : nodes[node].first;
        };
        if (bit == r.prefix - 1) {
          rec() = kData - offsets[n];
        } else {
          if (rec() < 0) {
            std::int64_t child = static_cast<std::int64_t>(nodes.size());
            nodes.push_back({kEmpty, kEmpty});
            rec() = child;
          }
          node = static_cast<std::size_t>(rec());
        }
      }
    }
    const std::uint32_t count = static_cast<std::uint32_t>(nodes.size());
    auto resolve = [count](std::int64_t rec) -> std::uint32_t {
      if (rec == kEmpty) return count;
      if (rec <= kData) return count + 16 + static_cast<std::uint32_t>(kData - rec);
      return static_cast<std::uint32_t>(rec);
    };
    std::string file;
    for (const auto& [left, right] : nodes) file += Be(resolve(left), 3) + Be(resolve(right), 3);
    file += std::string(16, '\0');
    file += data;
    file += "\xAB\xCD\xEFMaxMind.com";
    file += Map(9) + Str("node_count") + Uint(6, count, 4) + Str("record_size") + Uint(5, 24, 2) +
            Str("ip_version") + Uint(5, 4, 2) + Str("database_type") + Str("Gatehouse-Test") +
            Str("languages") + std::string("\x00\x04", 2) + Str("binary_format_major_version") +
            Uint(5, 2, 2) + Str("binary_format_minor_version") + Uint(5, 0, 0) +
            Str("build_epoch") + std::string("\x08\x02", 2) + Be(1'700'000'000, 8) +
            Str("description") + Map(0);
    std::ofstream(path, std::ios::binary) << file;
    return path;
  }

 private:
  static constexpr std::int64_t kEmpty = -1;
  static constexpr std::int64_t kData = -2;  // kData - offset

  static std::string Be(std::uint64_t v, int bytes) {
    std::string out;
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
  }
  static std::string Map(int pairs) { return std::string(1, static_cast<char>((7 << 5) | pairs)); }
  static std::string Str(const std::string& s) {
    return std::string(1, static_cast<char>((2 << 5) | s.size())) + s;
  }
  static std::string Uint(int type, std::uint64_t v, int bytes) {
    return std::string(1, static_cast<char>((type << 5) | bytes)) + Be(v, bytes);
  }

  std::vector<std::pair<IpRange, std::string>> networks_;
};

TEST(GeoIpTest, MmdbBackend) {
  MmdbWriter writer;
  writer.Add("8.8.8.0/24", "US");
  writer.Add("81.0.0.0/8", "DE");
  writer.Add("203.0.113.128/25", "JP");
  std::string path =
      writer.Write(testing::TempDir() + "/gh_test_" + std::to_string(getpid()) + ".mmdb");
  auto geo = GeoIp::Open(GeoIpOptions{.mmdb_path = path});
  ASSERT_TRUE(geo.ok()) << geo.status().ToString();
  EXPECT_STREQ((*geo)->backend(), "mmdb");
  const std::pair<const char*, const char*> cases[] = {
      {"8.8.8.8", "US"},          {"8.8.9.8", "unknown"},     {"81.200.1.1", "DE"},
      {"203.0.113.200", "JP"},    {"203.0.113.1", "unknown"}, {"::ffff:81.1.1.1", "DE"},
      {"10.1.2.3", "local"},      {"127.0.0.1", "local"},     {"::1", "local"},
      {"2001:db8::1", "unknown"},  // IPv6 in an IPv4-only database
  };
  for (const auto& [ip, want] : cases) EXPECT_EQ((*geo)->Country(Ip(ip)), want) << ip;
  std::remove(path.c_str());
}

TEST(GeoIpTest, MissingMmdbIsAnError) {
  auto geo = GeoIp::Open(GeoIpOptions{.mmdb_path = "/nonexistent/GeoLite2-Country.mmdb"});
  ASSERT_FALSE(geo.ok());
  EXPECT_EQ(geo.status().code(), base::Code::kFailedPrecondition);
  EXPECT_NE(geo.status().message().find("/nonexistent/GeoLite2-Country.mmdb"), std::string::npos);
}

TEST(GeoIpTest, NoDatabaseSaysUnknown) {
  auto geo = GeoIp::Open(GeoIpOptions{.mmdb_path = "",
                                      .legacy_v4_path = "/nonexistent/a.dat",
                                      .legacy_v6_path = "/nonexistent/b.dat"});
  ASSERT_TRUE(geo.ok());
  EXPECT_STREQ((*geo)->backend(), "none");
  EXPECT_EQ((*geo)->Country(Ip("8.8.8.8")), "unknown");
  EXPECT_EQ((*geo)->Country(Ip("192.168.1.1")), "local");
  EXPECT_EQ(GeoIp::None()->Country(Ip("8.8.8.8")), "unknown");
}

TEST(GeoIpTest, DebianLegacyDatabase) {
  GeoIpOptions options;
  if (access(options.legacy_v4_path.c_str(), R_OK) != 0) {
    GTEST_SKIP() << "geoip-database not installed";
  }
  auto geo = GeoIp::Open(options);
  ASSERT_TRUE(geo.ok());
  EXPECT_STREQ((*geo)->backend(), "geoip-legacy");
  EXPECT_EQ((*geo)->Country(Ip("8.8.8.8")), "US");
  EXPECT_EQ((*geo)->Country(Ip("10.0.0.1")), "local");
  std::string v6 = (*geo)->Country(Ip("2001:4860:4860::8888"));
  EXPECT_TRUE(v6 == "US" || v6 == "unknown") << v6;
  // Lookups from several threads at once.
  std::vector<std::thread> threads;
  std::vector<std::string> got(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 500; ++n) got[i] = (*geo)->Country(Ip("8.8.8.8"));
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& g : got) EXPECT_EQ(g, "US");
}

}  // namespace
}  // namespace gatehouse::auth
