#include "service/events.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <mutex>
#include <random>

#include "auth/tokens.h"
#include "service/event_types.h"

namespace gatehouse::service {

std::string NewEventId(std::int64_t now_ms) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  // Monotonic within the process (ULID's monotonic mode): an id made in the same millisecond
  // as the previous one, or with a clock that stepped back, is the previous one plus one, so
  // the log lists events in the order they were written even when writes come faster than a
  // millisecond apart.
  static std::mutex mu;
  static std::uint64_t last_time = 0, last_hi = 0, last_lo = 0;  // hi: 40 bits, lo: 40 bits
  std::uint64_t time = static_cast<std::uint64_t>(std::max<std::int64_t>(now_ms, 0));
  std::uint64_t hi = 0, lo = 0;
  const std::string random = auth::RandomBytes(10);
  for (int i = 0; i < 5; ++i) hi = (hi << 8) | static_cast<unsigned char>(random[i]);
  for (int i = 5; i < 10; ++i) lo = (lo << 8) | static_cast<unsigned char>(random[i]);
  {
    std::lock_guard lock(mu);
    if (time <= last_time) {
      constexpr std::uint64_t kMask40 = (std::uint64_t{1} << 40) - 1;
      time = last_time;
      lo = (last_lo + 1) & kMask40;
      hi = lo == 0 ? (last_hi + 1) & kMask40 : last_hi;
      if (lo == 0 && hi == 0) ++time;  // 2^80 ids in one millisecond: borrow the next one
    }
    last_time = time;
    last_hi = hi;
    last_lo = lo;
  }
  // 10 characters of time (50 bits, top 2 zero) then 16 of randomness (80 bits).
  std::string id(26, '0');
  for (int i = 9; i >= 0; --i) {
    id[i] = kAlphabet[time & 31];
    time >>= 5;
  }
  for (int i = 17; i >= 10; --i) {
    id[i] = kAlphabet[hi & 31];
    hi >>= 5;
  }
  for (int i = 25; i >= 18; --i) {
    id[i] = kAlphabet[lo & 31];
    lo >>= 5;
  }
  return id;
}

base::Status RecordEvent(storage::AccountWriter& writer, const Caller& caller, std::int64_t now,
                         EventSpec spec) {
  // GET /api/v4/events/types lists what is recorded: a type missing there is a bug.
  assert(FindEventType(spec.type).has_value() && "event type missing from service/event_types.cc");
  // Ids sort by time at millisecond precision; `now` is in seconds, so add the wall clock's
  // milliseconds to keep events of one second in order.
  const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  const storage::EventRow row{
      .id = NewEventId(now * 1000 + wall_ms % 1000),
      .created_at = now,
      .actor_user_id = caller.actor_id != 0 ? caller.actor_id : caller.user_id,
      .actor_ip = caller.client_ip,
      .type = std::move(spec.type),
      .entity_type = std::move(spec.entity_type),
      .entity_id = spec.entity_id,
      .value_before_json = std::move(spec.value_before_json),
      .value_after_json = std::move(spec.value_after_json)};
  return writer.AppendEvent(row);
}

}  // namespace gatehouse::service
