// HTTP-dates (RFC 9110 §5.6.7) as the If-Modified-Since of Kommo's list requests carries them.
//
// Accepted, case-sensitively, with the day name checked for form only:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"    (years 69..99: 19xx, 00..68: 20xx)
//   asctime      "Sun Nov  6 08:49:37 1994"          (UTC)
// and, after the time of the first two, the zones Kommo's clients write instead of "GMT":
// "UTC", "Z", none (UTC), "+hhmm" / "-hhmm", and "GMT+hhmm" / "UTC-hhmm" (an offset from UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gatehouse::http {

// Unix seconds of `text` (surrounding white space ignored), or nullopt when it is none of the
// forms above or names a time before 1970.
std::optional<std::int64_t> ParseHttpDate(std::string_view text);

}  // namespace gatehouse::http
