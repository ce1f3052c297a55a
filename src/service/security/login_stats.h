// Logins per day from the activity log, for the console's chart of successful and failed
// logins (GET /api/v4/security/login_stats).
//
// A day is a UTC calendar day. `succeeded` counts `login_succeeded` events and `failed` counts
// `login_failed` events (wrong password, unknown email, missing or wrong 2FA code) created
// within that day. Refusals by the IP whitelist and lock-outs are other event types and are
// not counted: they are refusals before any credential was checked.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/admin/admin.h"

namespace gatehouse::service {

inline constexpr int kMaxLoginStatsDays = 366;

struct LoginDay {
  std::string date{};  // "YYYY-MM-DD", UTC
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  bool operator==(const LoginDay&) const = default;
};

// "YYYY-MM-DD" of the UTC day holding unix time `seconds` (proleptic Gregorian).
std::string UtcDate(std::int64_t seconds);

}  // namespace gatehouse::service
