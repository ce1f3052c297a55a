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

LoginThrottle::LoginThrottle(ThrottleOptions options) : options_(std::move(options)) {}

void LoginThrottle::SetOptions(ThrottleOptions options) {
  std::lock_guard<std::mutex> lock(mu_);
  options_ = std::move(options);
}

std::size_t LoginThrottle::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return account_email_.size() + ip_.size();
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

void LoginThrottle::CheckKey(Map& map, ThrottleKeyKind kind, std::string_view key, std::int64_t now,
                             ThrottleDecision& decision) {
  if (key.empty()) return;
  auto it = map.find(std::string(key));
  if (it == map.end()) return;
  if (!CheckThrottleEntry(options_, kind, key, it->second, now, decision)) map.erase(it);
}

void LoginThrottle::FailKey(Map& map, ThrottleKeyKind kind, std::string_view key, std::int64_t now,
                            ThrottleDecision& decision) {
  if (key.empty()) return;
  EvictIfFull(map, now);
  ThrottleEntry& e = map[std::string(key)];
  e = FailThrottleEntry(options_, kind, key, e, now, decision);
}

void LoginThrottle::EvictIfFull(Map& map, std::int64_t now) {
  const std::size_t cap = std::max<std::size_t>(options_.max_entries / 2, 1);  // per map
  if (map.size() < cap) return;
  // First drop what no longer matters: unlocked entries out of the window, served locks.
  for (auto it = map.begin(); it != map.end();) {
    it = ThrottleEntryStale(options_, it->second, now) ? map.erase(it) : std::next(it);
  }
  if (map.size() < cap) return;
  // Still full (an attack spraying keys): drop the oldest tenth, sparing locks where possible.
  std::vector<std::pair<std::int64_t, std::string>> by_age;
  by_age.reserve(map.size());
  for (const auto& [key, e] : map) {
    std::int64_t rank = e.locked_until != 0 ? e.locked_until : e.last_failure;
    by_age.emplace_back(rank, key);
  }
  std::size_t drop = std::max<std::size_t>(map.size() / 10, map.size() - cap + 1);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_age.end());
  for (std::size_t i = 0; i < drop; ++i) map.erase(by_age[i].second);
}

ThrottleDecision LoginThrottle::Check(std::string_view account_email_key, std::string_view ip_key,
                                      std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  ThrottleDecision d;
  CheckKey(account_email_, ThrottleKeyKind::kAccountEmail, account_email_key, now, d);
  CheckKey(ip_, ThrottleKeyKind::kIp, ip_key, now, d);
  return d;
}

ThrottleDecision LoginThrottle::RecordFailure(std::string_view account_email_key,
                                              std::string_view ip_key, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  ThrottleDecision d;
  FailKey(account_email_, ThrottleKeyKind::kAccountEmail, account_email_key, now, d);
  FailKey(ip_, ThrottleKeyKind::kIp, ip_key, now, d);
  return d;
}

void LoginThrottle::RecordSuccess(std::string_view account_email_key) {
  std::lock_guard<std::mutex> lock(mu_);
  account_email_.erase(std::string(account_email_key));
}

}  // namespace gatehouse::auth
