#include "auth/user_agent.h"

#include <array>

namespace gatehouse::auth {
namespace {

struct BrowserRule {
  std::string_view token;    // searched for in the header
  std::string_view name;     // reported browser
  std::string_view version;  // token the major version follows ("" = same as token)
};

// First match wins. Browsers claim each other's tokens (Edge and Opera say "Chrome/… Safari/…",
// Chrome says "Safari/…"), so the most specific tokens come first.
constexpr std::array<BrowserRule, 13> kBrowsers = {{
    {"amoCRM-API-Library/", "amoCRM-API-Library", ""},
    {"curl/", "curl", ""},
    {"EdgiOS/", "Edge", ""},
    {"EdgA/", "Edge", ""},
    {"Edg/", "Edge", ""},
    {"Edge/", "Edge", ""},
    {"OPR/", "Opera", ""},
    {"OPiOS/", "Opera", ""},
    {"Opera", "Opera", "Version/"},
    {"FxiOS/", "Firefox", ""},
    {"Firefox/", "Firefox", ""},
    {"CriOS/", "Chrome", ""},
    {"Chrome/", "Chrome", ""},
}};

struct OsRule {
  std::string_view token;
  std::string_view name;
};

// iOS before macOS ("like Mac OS X"), Android before Linux ("Linux; Android").
constexpr std::array<OsRule, 10> kSystems = {{
    {"iPhone", "iOS"},
    {"iPad", "iOS"},
    {"iPod", "iOS"},
    {"Android", "Android"},
    {"Windows", "Windows"},
    {"Macintosh", "macOS"},
    {"Mac OS X", "macOS"},
    {"CrOS", "Linux"},
    {"Linux", "Linux"},
    {"X11", "Linux"},
}};

bool Has(std::string_view s, std::string_view token) {
  return s.find(token) != std::string_view::npos;
}

// The number right after `token` ("Chrome/120.0" → 120); 0 when absent or not a number.
int MajorAfter(std::string_view s, std::string_view token) {
  std::size_t at = s.find(token);
  if (at == std::string_view::npos) return 0;
  at += token.size();
  if (at < s.size() && s[at] == '/') ++at;  // "Opera/9.80" when the token is "Opera"
  int major = 0;
  int digits = 0;
  for (; at < s.size() && s[at] >= '0' && s[at] <= '9' && digits < 6; ++at, ++digits) {
    major = major * 10 + (s[at] - '0');
  }
  return major;
}

}  // namespace

std::string UserAgent::Device() const {
  std::string b = browser;
  if (browser != "unknown" && browser_major > 0) b += " " + std::to_string(browser_major);
  if (os == "unknown") return browser == "unknown" ? "unknown device" : b;
  return (browser == "unknown" ? "unknown browser" : b) + " on " + os;
}

UserAgent ParseUserAgent(std::string_view header) {
  std::string_view ua = header.substr(0, kMaxUserAgentBytes);
  UserAgent out;
  bool found = false;
  for (const BrowserRule& rule : kBrowsers) {
    if (!Has(ua, rule.token)) continue;
    out.browser = std::string(rule.name);
    std::string_view version = rule.version.empty() ? rule.token : rule.version;
    out.browser_major = MajorAfter(ua, version);
    if (out.browser_major == 0 && !rule.version.empty()) {
      out.browser_major = MajorAfter(ua, rule.token);
    }
    found = true;
    break;
  }
  // Safari names its version in "Version/"; its "Safari/604.1" is the WebKit build.
  if (!found && Has(ua, "Safari/") && Has(ua, "Version/")) {
    out.browser = "Safari";
    out.browser_major = MajorAfter(ua, "Version/");
  }
  for (const OsRule& rule : kSystems) {
    if (Has(ua, rule.token)) {
      out.os = std::string(rule.name);
      break;
    }
  }
  return out;
}

}  // namespace gatehouse::auth
