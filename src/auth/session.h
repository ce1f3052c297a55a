// Session lifetime rules (SPEC §3 "Sessions"): idle and absolute lifetimes, both settings
// (policy session_idle_minutes, session_max_hours), and how often last activity is written.
// Times are unix seconds. Pure header-only helpers; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "base/enum_names.h"

namespace gatehouse::auth {

// Last activity is written at most once per this many seconds, so a busy session does not write
// on every request.
inline constexpr std::int64_t kSessionTouchIntervalSeconds = 60;

struct SessionLimits {
  std::int64_t idle_minutes = 0;  // <= 0: no idle limit
  std::int64_t max_hours = 0;     // <= 0: no absolute limit
};

enum class SessionState {
  kActive,
  kIdleExpired,      // now - last_seen >= idle limit
  kAbsoluteExpired,  // now - created_at >= max lifetime (wins over idle when both hold)
};

// "active", "idle_expired", "absolute_expired": for logs and the activity log.
inline constexpr base::EnumNames<SessionState, 3> kSessionStateNames{
    {{SessionState::kActive, "active"},
     {SessionState::kIdleExpired, "idle_expired"},
     {SessionState::kAbsoluteExpired, "absolute_expired"}}};

inline const char* SessionStateName(SessionState state) {
  return base::NameOf(kSessionStateNames, state);
}

// A session's own times, as stored.
struct SessionTimes {
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  // The absolute end fixed at sign-in from the policy of then: the cookie's Max-Age, and when
  // the server's sweep deletes the session. 0: none stored.
  std::int64_t expires_at = 0;
};

// Whether a session is still valid at `now`. Its absolute end is the earlier of the stored one
// and the current policy's: lowering the lifetime cuts every session at once, raising it does
// not lengthen sessions signed in before (their cookies and the sweep keep the old end).
inline SessionState CheckSession(const SessionTimes& session, const SessionLimits& limits,
                                 std::int64_t now) {
  if ((limits.max_hours > 0 && now - session.created_at >= limits.max_hours * 3600) ||
      (session.expires_at > 0 && now >= session.expires_at)) {
    return SessionState::kAbsoluteExpired;
  }
  if (limits.idle_minutes > 0 &&
      now - std::max(session.last_seen, session.created_at) >= limits.idle_minutes * 60) {
    return SessionState::kIdleExpired;
  }
  return SessionState::kActive;
}

// The time at which the session expires if not used again (max of int64 when unlimited).
inline std::int64_t SessionExpiresAt(std::int64_t created_at, std::int64_t last_seen,
                                     const SessionLimits& limits) {
  std::int64_t at = std::numeric_limits<std::int64_t>::max();
  if (limits.max_hours > 0) at = std::min(at, created_at + limits.max_hours * 3600);
  if (limits.idle_minutes > 0) {
    at = std::min(at, std::max(last_seen, created_at) + limits.idle_minutes * 60);
  }
  return at;
}

// True when a request at `now` should write last activity (it was last written at `last_seen`):
// at most once a minute; also when the stored time lies in the future (clock moved back).
inline bool ShouldTouchSession(std::int64_t last_seen, std::int64_t now) {
  return now - last_seen >= kSessionTouchIntervalSeconds || now < last_seen;
}

}  // namespace gatehouse::auth
