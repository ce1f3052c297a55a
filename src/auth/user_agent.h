// A coarse User-Agent parser for the sessions list ("Chrome 120 on Windows").
//
// Browsers told apart, in order of precedence (their UA strings claim each other's tokens):
// amoCRM-API-Library, curl, Edge (Edg/, EdgA/, EdgiOS/, Edge/), Opera (OPR/, OPiOS/, Opera),
// Firefox (Firefox/, FxiOS/), Chrome (Chrome/, CriOS/), Safari (Version/ + Safari/), else
// "unknown". OS: iOS (iPhone/iPad/iPod), Android, Windows, macOS (Mac OS X / Macintosh), Linux
// (Linux, X11, CrOS reported as Linux too), else "unknown".
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::auth {

inline constexpr std::size_t kMaxUserAgentBytes = 1024;  // longer input is cut before parsing

struct UserAgent {
  std::string browser = "unknown";  // "Chrome", "Firefox", "Safari", "Edge", "Opera", "curl",
                                    // "amoCRM-API-Library", "unknown"
  int browser_major = 0;            // 0 when unknown
  std::string os = "unknown";       // "Windows", "macOS", "Linux", "Android", "iOS", "unknown"

  // "Chrome 120 on Windows", "curl 8", "unknown browser on Linux", "unknown device".
  std::string Device() const;

  bool operator==(const UserAgent&) const = default;
};

UserAgent ParseUserAgent(std::string_view header);

}  // namespace gatehouse::auth
