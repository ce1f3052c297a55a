// Fuzzes the User-Agent parser (auth/user_agent.h), which reads a header every client writes
// freely and whose result is shown in the sessions list and the activity log.
//
// Invariants: the browser and OS are names from the parser's fixed vocabulary (never text
// copied from the header), the major version is 0..999999, only the first kMaxUserAgentBytes
// bytes matter, and Device() is never empty.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/user_agent.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  gatehouse::auth::UserAgent ua = gatehouse::auth::ParseUserAgent(header);

  constexpr std::array<std::string_view, 8> kBrowsers = {
      "Chrome", "Firefox", "Safari", "Edge", "Opera", "curl", "amoCRM-API-Library", "unknown"};
  constexpr std::array<std::string_view, 6> kSystems = {"Windows", "macOS", "Linux",
                                                        "Android", "iOS",   "unknown"};
  FUZZ_CHECK(std::find(kBrowsers.begin(), kBrowsers.end(), ua.browser) != kBrowsers.end(),
             "the browser is a known name");
  FUZZ_CHECK(std::find(kSystems.begin(), kSystems.end(), ua.os) != kSystems.end(),
             "the OS is a known name");
  FUZZ_CHECK(ua.browser_major >= 0 && ua.browser_major <= 999999, "the major version is small");
  FUZZ_CHECK(!ua.Device().empty(), "Device() names something");
  if (header.size() > gatehouse::auth::kMaxUserAgentBytes) {
    FUZZ_CHECK(gatehouse::auth::ParseUserAgent(
                   header.substr(0, gatehouse::auth::kMaxUserAgentBytes)) == ua,
               "only the first kMaxUserAgentBytes bytes are read");
  }
  return 0;
}
