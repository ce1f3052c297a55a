#include "auth/throttle.h"

#include <algorithm>

namespace gatehouse::auth {
namespace {

std::int64_t DelayFor(std::int64_t failures, const ThrottleLimits& limits) {
  std::int64_t over = failures - limits.free_failures;
  if (over <= 0) return 0;
  std::int64_t delay = limits.base_delay_seconds;
  for (std::int64_t i = 1; i < over && delay < limits.max_delay_seconds; ++i) delay *= 2;
  return std::min(delay, limits.max_delay_seconds);
}

void Refuse(ThrottleDecision& d, ThrottleKeyKind kind, std::int64_t retry_after, bool locked) {
  // The stricter key decides what the client is told.
  if (d.allowed || retry_after > d.retry_after_seconds) {
    d.retry_after_seconds = retry_after;
    d.limiting_key = kind;
  }
  d.allowed = false;
  d.locked = d.locked || locked;
}

}  // namespace

const char* ThrottleKeyKindName(ThrottleKeyKind kind) {
  return kind == ThrottleKeyKind::kIp ? "ip" : "account_email";
}

const ThrottleLimits& LimitsOf(const ThrottleOptions& options, ThrottleKeyKind kind) {
  return kind == ThrottleKeyKind::kIp ? options.ip : options.account_email;
}

bool ThrottleEntryStale(const ThrottleOptions& options, const ThrottleEntry& e, std::int64_t now) {
  return e.locked_until != 0 ? e.locked_until <= now
                             : now - e.last_failure >= options.window_seconds;
}

bool CheckThrottleEntry(const ThrottleOptions& options, ThrottleKeyKind kind, std::string_view key,
                        const ThrottleEntry& e, std::int64_t now, ThrottleDecision& decision) {
  if (e.locked_until != 0) {
    if (now < e.locked_until) {
      Refuse(decision, kind, e.locked_until - now, /*locked=*/true);
      return true;
    }
    decision.events.push_back(ThrottleEvent{ThrottleEvent::Type::kLockEnded, kind, std::string(key),
                                            now, e.locked_until});
    return false;  // the lock served its time: start afresh
  }
  if (now - e.last_failure >= options.window_seconds) return false;  // out of the window
  const std::int64_t next_allowed = e.last_failure + DelayFor(e.failures, LimitsOf(options, kind));
  if (now < next_allowed) Refuse(decision, kind, next_allowed - now, /*locked=*/false);
  return true;
}

ThrottleEntry FailThrottleEntry(const ThrottleOptions& options, ThrottleKeyKind kind,
                                std::string_view key, const ThrottleEntry& entry, std::int64_t now,
                                ThrottleDecision& decision) {
  const ThrottleLimits& limits = LimitsOf(options, kind);
  ThrottleEntry e = entry;
  if (e.locked_until != 0 && now < e.locked_until) {
    // A failure reported while locked (the caller skipped Check): keep the lock as it is.
    Refuse(decision, kind, e.locked_until - now, /*locked=*/true);
    return e;
  }
  if (e.locked_until != 0 || (e.failures > 0 && now - e.last_failure >= options.window_seconds)) {
    e = ThrottleEntry{};
  }
  ++e.failures;
  e.last_failure = now;
  if (e.failures >= limits.lockout_threshold) {
    e.locked_until = now + limits.lockout_seconds;
    decision.events.push_back(ThrottleEvent{ThrottleEvent::Type::kLockStarted, kind,
                                            std::string(key), now, e.locked_until});
    Refuse(decision, kind, limits.lockout_seconds, /*locked=*/true);
    return e;
  }
  const std::int64_t delay = DelayFor(e.failures, limits);
  if (delay > 0) Refuse(decision, kind, delay, /*locked=*/false);
  return e;
}

}  // namespace gatehouse::auth
