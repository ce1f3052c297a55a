// strptime reads the fixed part of each form; the zone is read here, as strptime's %z does not
// take "GMT+0300". Months and day names are the C locale's, which the server never changes.
#include "http/http_date.h"

#include <time.h>

#include <array>
#include <charconv>
#include <string>

#include "base/text.h"

namespace gatehouse::http {

namespace {

// Seconds east of UTC of a zone text, or nullopt when it is not one.
std::optional<std::int64_t> ZoneOffset(std::string_view zone) {
  if (zone.empty() || zone == "GMT" || zone == "UTC" || zone == "Z") return 0;
  for (std::string_view prefix : {"GMT", "UTC"}) {
    if (zone.starts_with(prefix)) zone.remove_prefix(prefix.size());
  }
  if (zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  int hhmm = 0;
  auto [end, ec] = std::from_chars(zone.data() + 1, zone.data() + zone.size(), hhmm);
  if (ec != std::errc() || end != zone.data() + zone.size()) return std::nullopt;
  const int hours = hhmm / 100;
  const int minutes = hhmm % 100;
  if (hours > 14 || minutes > 59) return std::nullopt;
  const std::int64_t seconds = (hours * 60 + minutes) * 60;
  return zone[0] == '+' ? seconds : -seconds;
}

}  // namespace

std::optional<std::int64_t> ParseHttpDate(std::string_view text) {
  const std::string date(base::Trim(text));
  struct Form {
    const char* format;
    bool zone;  // a zone follows
  };
  constexpr std::array<Form, 3> kForms = {{{"%a, %d %b %Y %H:%M:%S", true},
                                           {"%A, %d-%b-%y %H:%M:%S", true},
                                           {"%a %b %e %H:%M:%S %Y", false}}};
  for (const Form& form : kForms) {
    struct tm fields {};
    const char* rest = strptime(date.c_str(), form.format, &fields);
    if (rest == nullptr) continue;
    std::string_view zone = base::Trim(std::string_view(rest));
    if (!form.zone && !zone.empty()) continue;
    std::optional<std::int64_t> offset = ZoneOffset(zone);
    if (!offset) continue;
    const std::int64_t at = static_cast<std::int64_t>(timegm(&fields)) - *offset;
    if (at < 0) return std::nullopt;
    return at;
  }
  return std::nullopt;
}

}  // namespace gatehouse::http
