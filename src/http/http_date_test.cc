#include "http/http_date.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace gatehouse::http {
namespace {

// 1994-11-06 08:49:37 UTC, RFC 9110's example.
constexpr std::int64_t kExample = 784111777;

TEST(HttpDateTest, ReadsTheThreeFormsAndTheZonesClientsSend) {
  struct Case {
    std::string_view text;
    std::int64_t at;
  };
  const Case cases[] = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", kExample},
      {"Sunday, 06-Nov-94 08:49:37 GMT", kExample},
      {"Sun Nov  6 08:49:37 1994", kExample},
      {"  Sun, 06 Nov 1994 08:49:37 GMT ", kExample},
      {"Sun, 06 Nov 1994 08:49:37 UTC", kExample},
      {"Sun, 06 Nov 1994 08:49:37", kExample},  // "D, d M Y H:i:s", no zone: UTC
      {"Sun, 06 Nov 1994 08:49:37 +0000", kExample},
      {"Sun, 06 Nov 1994 11:49:37 +0300", kExample},
      {"Sun, 06 Nov 1994 11:49:37 GMT+0300", kExample},
      {"Sun, 06 Nov 1994 03:19:37 UTC-0530", kExample},
      {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
      {"Mon, 01 Jan 2024 00:00:00 GMT", 1704067200},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseHttpDate(c.text), c.at) << c.text;
}

TEST(HttpDateTest, RefusesWhatIsNotAnHttpDate) {
  for (std::string_view text :
       {"", "yesterday", "1704067200", "2024-01-01T00:00:00Z", "Sun, 06 Nov 1994",
        "Sun, 06 Nov 1994 08:49:37 EST", "Sun, 06 Nov 1994 08:49:37 +03",
        "Sun, 06 Nov 1994 "
        "08:49:37 +2500",
        "Sun, 32 Nov 1994 08:49:37 GMT", "Sun Nov  6 08:49:37 1994 GMT",
        "Wed, 31 Dec 1969 23:59:59 GMT"}) {
    EXPECT_EQ(ParseHttpDate(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace gatehouse::http
