#include "auth/user_agent.h"

#include <gtest/gtest.h>

namespace gatehouse::auth {
namespace {

struct UaCase {
  const char* header;
  const char* browser;
  int major;
  const char* os;
};

// Real User-Agent strings as sent by current and recent clients.
const UaCase kCases[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36",
     "Chrome", 120, "Windows"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36",
     "Chrome", 131, "macOS"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     "Chrome", 124, "Linux"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/125.0.0.0 Mobile Safari/537.36",
     "Chrome", 125, "Android"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
     "Chrome", 126, "iOS"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox",
     128, "Windows"},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0", "Firefox",
     115, "Linux"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
     "Firefox", 127, "macOS"},
    {"Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0", "Firefox", 126,
     "Android"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
     "Firefox", 127, "iOS"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4.1 Safari/605.1.15",
     "Safari", 17, "macOS"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
     "Safari", 16, "iOS"},
    {"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.0 Mobile/15E148 Safari/604.1",
     "Safari", 17, "iOS"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
     "Edge", 126, "Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
     "Edge", 18, "Windows"},
    {"Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.6478.71 Mobile Safari/537.36 EdgA/126.0.2592.80",
     "Edge", 126, "Android"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/125.0.0.0 Safari/537.36 OPR/111.0.0.0",
     "Opera", 111, "Windows"},
    {"Opera/9.80 (X11; Linux i686; Ubuntu/14.10) Presto/2.12.388 Version/12.16", "Opera", 12,
     "Linux"},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/125.0.0.0 Safari/537.36",
     "Chrome", 125, "Linux"},
    {"curl/7.88.1", "curl", 7, "unknown"},
    {"curl/8.5.0", "curl", 8, "unknown"},
    {"amoCRM-API-Library/1.16.0", "amoCRM-API-Library", 1, "unknown"},
    {"MyIntegration/2.0 amoCRM-API-Library/1.16.0", "amoCRM-API-Library", 1, "unknown"},
    {"python-requests/2.31.0", "unknown", 0, "unknown"},
    {"", "unknown", 0, "unknown"},
    {"Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko", "unknown", 0, "Windows"},
};

TEST(UserAgentTest, Table) {
  for (const UaCase& c : kCases) {
    UserAgent ua = ParseUserAgent(c.header);
    EXPECT_EQ(ua.browser, c.browser) << c.header;
    EXPECT_EQ(ua.browser_major, c.major) << c.header;
    EXPECT_EQ(ua.os, c.os) << c.header;
  }
}

TEST(UserAgentTest, DeviceText) {
  EXPECT_EQ(ParseUserAgent(kCases[0].header).Device(), "Chrome 120 on Windows");
  EXPECT_EQ(ParseUserAgent("curl/8.5.0").Device(), "curl 8");
  EXPECT_EQ(ParseUserAgent("").Device(), "unknown device");
  EXPECT_EQ(ParseUserAgent("Mozilla/5.0 (X11; Linux x86_64)").Device(), "unknown browser on Linux");
}

TEST(UserAgentTest, HugeAndHostileInputIsBounded) {
  std::string huge(100'000, 'A');
  huge += " Chrome/99";
  EXPECT_EQ(ParseUserAgent(huge).browser, "unknown");  // token beyond the cut
  EXPECT_EQ(ParseUserAgent("Chrome/99999999999999999999").browser_major, 999999);
  EXPECT_EQ(ParseUserAgent("Chrome/").browser_major, 0);
}

}  // namespace
}  // namespace gatehouse::auth
