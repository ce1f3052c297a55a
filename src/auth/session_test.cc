#include "auth/session.h"

#include <gtest/gtest.h>

namespace gatehouse::auth {
namespace {

TEST(SessionTest, LifetimeTable) {
  const SessionLimits limits{.idle_minutes = 30, .max_hours = 12};
  const std::int64_t c = 1'000'000;
  struct Case {
    std::int64_t last_seen, now;
    SessionState want;
  };
  const Case cases[] = {
      {c, c, SessionState::kActive},
      {c, c + 30 * 60 - 1, SessionState::kActive},
      {c, c + 30 * 60, SessionState::kIdleExpired},
      {c + 11 * 3600, c + 11 * 3600 + 29 * 60, SessionState::kActive},
      {c + 12 * 3600 - 10, c + 12 * 3600 - 1, SessionState::kActive},
      {c + 12 * 3600 - 10, c + 12 * 3600, SessionState::kAbsoluteExpired},
      {c, c + 13 * 3600, SessionState::kAbsoluteExpired},  // both: absolute wins
  };
  for (const Case& t : cases) {
    EXPECT_EQ(CheckSession({.created_at = c, .last_seen = t.last_seen}, limits, t.now), t.want)
        << t.last_seen - c << " " << t.now - c;
  }
  EXPECT_STREQ(SessionStateName(SessionState::kIdleExpired), "idle_expired");
  EXPECT_STREQ(SessionStateName(SessionState::kAbsoluteExpired), "absolute_expired");
}

TEST(SessionTest, ZeroMeansNoLimit) {
  const std::int64_t c = 1'000'000;
  EXPECT_EQ(CheckSession({.created_at = c, .last_seen = c}, SessionLimits{0, 12}, c + 11 * 3600),
            SessionState::kActive);
  EXPECT_EQ(CheckSession({.created_at = c, .last_seen = c}, SessionLimits{30, 0}, c + 29 * 60),
            SessionState::kActive);
  EXPECT_EQ(CheckSession({.created_at = c, .last_seen = c + 10'000'000}, SessionLimits{30, 0},
                         c + 10'000'001),
            SessionState::kActive);
  EXPECT_EQ(SessionExpiresAt(c, c, SessionLimits{0, 0}), std::numeric_limits<std::int64_t>::max());
}

// The end stored at sign-in holds after the policy's lifetime was raised; a lowered lifetime
// still cuts the session at once.
TEST(SessionTest, TheStoredEndAndThePolicysBothEndASession) {
  const std::int64_t c = 1'000'000;
  const SessionTimes signed_in{.created_at = c, .last_seen = c, .expires_at = c + 3600};
  const SessionLimits raised{.idle_minutes = 0, .max_hours = 48};
  EXPECT_EQ(CheckSession(signed_in, raised, c + 3599), SessionState::kActive);
  EXPECT_EQ(CheckSession(signed_in, raised, c + 3600), SessionState::kAbsoluteExpired);
  const SessionTimes long_lived{.created_at = c, .last_seen = c, .expires_at = c + 48 * 3600};
  EXPECT_EQ(CheckSession(long_lived, SessionLimits{0, 1}, c + 3600),
            SessionState::kAbsoluteExpired);
}

TEST(SessionTest, ExpiresAtIsTheEarlierLimit) {
  const std::int64_t c = 1'000'000;
  const SessionLimits limits{.idle_minutes = 30, .max_hours = 1};
  EXPECT_EQ(SessionExpiresAt(c, c, limits), c + 1800);
  EXPECT_EQ(SessionExpiresAt(c, c + 3000, limits), c + 3600);
}

TEST(SessionTest, TouchAtMostOnceAMinute) {
  EXPECT_FALSE(ShouldTouchSession(1000, 1000));
  EXPECT_FALSE(ShouldTouchSession(1000, 1059));
  EXPECT_TRUE(ShouldTouchSession(1000, 1060));
  EXPECT_TRUE(ShouldTouchSession(1000, 990));  // clock went back
}

}  // namespace
}  // namespace gatehouse::auth
