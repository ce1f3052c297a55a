// Login throttling: a pure, clock-injected state machine (SPEC §3 "Login throttling").
//
// Failures are counted per key within a sliding window; two independent keys per attempt:
// the account+email (kAccountEmail: "<account id>:<lower-case email>") and the client IP (kIp).
// For each key, with its limits:
//   failures <= free_failures                → no delay
//   free_failures < failures < lockout_threshold → the next attempt must wait
//        min(base_delay * 2^(failures - free_failures - 1), max_delay) seconds
//   failures >= lockout_threshold            → locked for lockout_seconds (event kLockStarted);
//        once the lock runs out the key starts afresh (event kLockEnded, reported by the first
//        call that sees it)
// A failure older than the window (counted from the latest failure) is forgotten. Success
// resets the account+email key (not the IP key: one good password must not unlock an IP that is
// guessing many accounts). Attempts refused by the throttle are not counted as failures (the
// password is not checked).
//
// The per-key rules are pure functions of one key's ThrottleEntry (CheckThrottleEntry,
// FailThrottleEntry): service::AuthService keeps the entries in the database, shared by every
// server of one database (SPEC §8), and bounds that table (AuthService::CountThrottleFailure).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::auth {

enum class ThrottleKeyKind { kAccountEmail, kIp };

// "account_email" / "ip".
const char* ThrottleKeyKindName(ThrottleKeyKind kind);

struct ThrottleLimits {
  int free_failures = 3;
  std::int64_t base_delay_seconds = 1;
  std::int64_t max_delay_seconds = 60;
  int lockout_threshold = 10;
  std::int64_t lockout_seconds = 15 * 60;
};

struct ThrottleOptions {
  std::int64_t window_seconds = 15 * 60;
  ThrottleLimits account_email{};  // defaults: 10 failures → 15-minute lock
  ThrottleLimits ip{.free_failures = 10,
                    .base_delay_seconds = 1,
                    .max_delay_seconds = 60,
                    .lockout_threshold = 50,
                    .lockout_seconds = 15 * 60};  // an office NAT carries many users
};

struct ThrottleEvent {
  enum class Type { kLockStarted, kLockEnded };
  Type type;
  ThrottleKeyKind kind;
  std::string key{};
  std::int64_t at = 0;
  std::int64_t locked_until = 0;  // for kLockStarted
};

struct ThrottleDecision {
  bool allowed = true;
  bool locked = false;                   // refused because a key is locked (vs. slowed down)
  std::int64_t retry_after_seconds = 0;  // > 0 when !allowed: the HTTP Retry-After
  ThrottleKeyKind limiting_key = ThrottleKeyKind::kAccountEmail;
  std::vector<ThrottleEvent> events{};  // lock started/ended, for the activity log
};

// The state of one key. The delay before the next attempt is not stored: it follows from
// `failures` and the limits (last_failure + delay), so an entry is three numbers (one row).
struct ThrottleEntry {
  std::int64_t failures = 0;
  std::int64_t last_failure = 0;  // the window counts from here
  std::int64_t locked_until = 0;  // 0: not locked
  bool operator==(const ThrottleEntry&) const = default;
};

const ThrottleLimits& LimitsOf(const ThrottleOptions& options, ThrottleKeyKind kind);

// Before an attempt: applies `entry` of key `key` (of `kind`) at `now` to `decision` (refusal,
// lock-ended event). Returns false when the entry no longer matters and should be forgotten (a
// served lock, failures out of the window), else true.
bool CheckThrottleEntry(const ThrottleOptions& options, ThrottleKeyKind kind, std::string_view key,
                        const ThrottleEntry& entry, std::int64_t now, ThrottleDecision& decision);

// After a failure: the key's new entry (from `entry`, empty for a new key), with what the next
// attempt faces and any lock that started added to `decision`.
ThrottleEntry FailThrottleEntry(const ThrottleOptions& options, ThrottleKeyKind kind,
                                std::string_view key, const ThrottleEntry& entry, std::int64_t now,
                                ThrottleDecision& decision);

// True when `entry` can be dropped at `now` without changing any decision except a
// lock-ended event (a served lock, failures out of the window).
bool ThrottleEntryStale(const ThrottleOptions& options, const ThrottleEntry& entry,
                        std::int64_t now);

}  // namespace gatehouse::auth
