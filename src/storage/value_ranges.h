// The ranges stored amounts and times must fall in. The store checks them on every write path
// (the API, imports, an incoming lead accepted), so the totals it keeps per stage stay exact in
// 64 bits and a time is one a client can read back.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace gatehouse::storage {

// A lead's price or a customer's next_price: a million leads of this price still sum exactly in
// a signed 64-bit total.
inline constexpr std::int64_t kMaxAmount = 999'999'999'999;
inline constexpr std::int64_t kMaxTime = 4102444800;       // 2100-01-01T00:00:00Z
inline constexpr std::int64_t kMaxPeriodicityDays = 3650;  // a customer buying once a decade

// kInvalidArgument on `field` ("Invalid") unless min <= value <= max; `what` says what the field
// holds ("a price", "a unix time").
base::Status CheckRange(std::string_view field, std::int64_t value, std::int64_t min,
                        std::int64_t max, std::string_view what);

inline base::Status CheckAmount(std::string_view field, std::int64_t value) {
  return CheckRange(field, value, 0, kMaxAmount, "an amount");
}
// A unix time, or 0 for none.
inline base::Status CheckTime(std::string_view field, std::int64_t value) {
  return CheckRange(field, value, 0, kMaxTime, "a unix time");
}

}  // namespace gatehouse::storage
