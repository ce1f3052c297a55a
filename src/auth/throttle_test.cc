#include "auth/throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace gatehouse::auth {
namespace {

constexpr char kUser[] = "7:anna@example.com";
constexpr char kIp[] = "203.0.113.5";
constexpr std::int64_t kT0 = 1'700'000'000;

// One key's entry as the store keeps it, with the two calls the login path makes on it
// (service/auth/auth_login.cc): Check before an attempt, which forgets an entry that no longer
// matters, and Fail after a wrong password.
class Key {
 public:
  explicit Key(ThrottleOptions options = {}, ThrottleKeyKind kind = ThrottleKeyKind::kAccountEmail,
               std::string key = kUser)
      : options_(std::move(options)), kind_(kind), key_(std::move(key)) {}

  ThrottleDecision Check(std::int64_t now) {
    ThrottleDecision decision;
    if (!CheckThrottleEntry(options_, kind_, key_, entry_, now, decision)) entry_ = {};
    return decision;
  }
  ThrottleDecision Fail(std::int64_t now) {
    ThrottleDecision decision;
    entry_ = FailThrottleEntry(options_, kind_, key_, entry_, now, decision);
    return decision;
  }
  // Fails `n` times, each at the earliest allowed moment; returns the time of the last one.
  std::int64_t FailNTimes(int n, std::int64_t now) {
    for (int i = 0; i < n; ++i) {
      ThrottleDecision d = Check(now);
      if (!d.allowed) now += d.retry_after_seconds;
      EXPECT_TRUE(Check(now).allowed);
      Fail(now);
    }
    return now;
  }

 private:
  ThrottleOptions options_;
  ThrottleKeyKind kind_;
  std::string key_;
  ThrottleEntry entry_;
};

TEST(ThrottleTest, DelaysGrowAfterFreeFailures) {
  Key t;  // defaults: 3 free, then 1, 2, 4, 8, … s; lock at 10
  std::int64_t now = kT0;
  for (int i = 0; i < 3; ++i) {
    ThrottleDecision d = t.Fail(now);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_TRUE(t.Check(now).allowed);
  }
  const std::int64_t want_delays[] = {1, 2, 4, 8, 16, 32};
  for (std::int64_t want : want_delays) {
    ThrottleDecision d = t.Fail(now);
    EXPECT_FALSE(d.allowed);
    EXPECT_FALSE(d.locked);
    EXPECT_EQ(d.retry_after_seconds, want);
    ThrottleDecision early = t.Check(now + want - 1);
    EXPECT_FALSE(early.allowed);
    EXPECT_EQ(early.retry_after_seconds, 1);
    EXPECT_EQ(early.limiting_key, ThrottleKeyKind::kAccountEmail);
    now += want;
    EXPECT_TRUE(t.Check(now).allowed);
  }
}

TEST(ThrottleTest, LocksAtThresholdAndReportsStartAndEnd) {
  const ThrottleOptions options{.account_email = {.lockout_threshold = 5, .lockout_seconds = 600}};
  Key t(options);
  std::int64_t now = t.FailNTimes(4, kT0);
  now += t.Check(now).retry_after_seconds;
  ThrottleDecision fifth = t.Fail(now);
  EXPECT_FALSE(fifth.allowed);
  EXPECT_TRUE(fifth.locked);
  EXPECT_EQ(fifth.retry_after_seconds, 600);
  ASSERT_EQ(fifth.events.size(), 1u);
  EXPECT_EQ(fifth.events[0].type, ThrottleEvent::Type::kLockStarted);
  EXPECT_EQ(fifth.events[0].kind, ThrottleKeyKind::kAccountEmail);
  EXPECT_EQ(fifth.events[0].key, kUser);
  EXPECT_EQ(fifth.events[0].locked_until, now + 600);

  ThrottleDecision during = t.Check(now + 599);
  EXPECT_FALSE(during.allowed);
  EXPECT_TRUE(during.locked);
  EXPECT_EQ(during.retry_after_seconds, 1);
  EXPECT_TRUE(during.events.empty());
  // A failure reported while locked keeps the lock as it is.
  EXPECT_EQ(t.Fail(now + 1).retry_after_seconds, 599);

  ThrottleDecision after = t.Check(now + 600);
  EXPECT_TRUE(after.allowed);
  ASSERT_EQ(after.events.size(), 1u);
  EXPECT_EQ(after.events[0].type, ThrottleEvent::Type::kLockEnded);
  EXPECT_TRUE(t.Check(now + 601).events.empty());  // reported once
  // Afresh: three free failures again.
  ThrottleDecision d = t.Fail(now + 601);
  EXPECT_TRUE(d.allowed);
}

// The IP key has limits of its own (an office NAT carries many users) and names itself as the
// limiting key.
TEST(ThrottleTest, IpKeyHasItsOwnLimits) {
  const ThrottleOptions options{
      .ip = {.free_failures = 100, .lockout_threshold = 20, .lockout_seconds = 300}};
  Key t(options, ThrottleKeyKind::kIp, kIp);
  ThrottleDecision last;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(t.Check(kT0).allowed) << i;
    last = t.Fail(kT0);
  }
  EXPECT_TRUE(last.locked);
  ASSERT_EQ(last.events.size(), 1u);
  EXPECT_EQ(last.events[0].kind, ThrottleKeyKind::kIp);
  EXPECT_EQ(last.events[0].key, kIp);
  ThrottleDecision d = t.Check(kT0 + 10);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limiting_key, ThrottleKeyKind::kIp);
  EXPECT_EQ(d.retry_after_seconds, 290);
}

TEST(ThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  const ThrottleOptions options{.window_seconds = 600};
  Key t(options);
  std::int64_t now = t.FailNTimes(5, kT0);
  EXPECT_FALSE(t.Fail(now).allowed);  // 6th: delayed
  now += 600;
  EXPECT_TRUE(t.Check(now).allowed);
  EXPECT_TRUE(t.Fail(now).allowed);  // counts from 1 again
}

// The per-key functions on an entry kept elsewhere (a database row): the delay follows from the
// stored count and time, the lock starts at the threshold and ends with its event.
TEST(ThrottleTest, EntryFunctionsRunOnAStoredEntry) {
  const ThrottleOptions options{.account_email = {.lockout_threshold = 6, .lockout_seconds = 600}};
  ThrottleEntry stored;
  std::int64_t now = kT0;
  for (int i = 0; i < 4; ++i) {
    ThrottleDecision d;
    stored = FailThrottleEntry(options, ThrottleKeyKind::kAccountEmail, kUser, stored, now, d);
  }
  EXPECT_EQ(stored, (ThrottleEntry{4, kT0, 0}));
  ThrottleDecision early;
  EXPECT_TRUE(
      CheckThrottleEntry(options, ThrottleKeyKind::kAccountEmail, kUser, stored, now, early));
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.retry_after_seconds, 1);  // 4th failure: 1 s (3 free)
  ThrottleDecision later;
  EXPECT_TRUE(
      CheckThrottleEntry(options, ThrottleKeyKind::kAccountEmail, kUser, stored, now + 1, later));
  EXPECT_TRUE(later.allowed);
  for (int i = 0; i < 2; ++i) {
    ThrottleDecision d;
    stored = FailThrottleEntry(options, ThrottleKeyKind::kAccountEmail, kUser, stored, now, d);
    if (i == 1) {
      EXPECT_TRUE(d.locked);
      ASSERT_EQ(d.events.size(), 1u);
      EXPECT_EQ(d.events[0].type, ThrottleEvent::Type::kLockStarted);
    }
  }
  EXPECT_EQ(stored.locked_until, kT0 + 600);
  EXPECT_FALSE(ThrottleEntryStale(options, stored, kT0 + 599));
  ThrottleDecision ended;
  EXPECT_FALSE(
      CheckThrottleEntry(options, ThrottleKeyKind::kAccountEmail, kUser, stored, kT0 + 600, ended));
  EXPECT_TRUE(ended.allowed);
  ASSERT_EQ(ended.events.size(), 1u);
  EXPECT_EQ(ended.events[0].type, ThrottleEvent::Type::kLockEnded);
  EXPECT_TRUE(ThrottleEntryStale(options, stored, kT0 + 600));
  EXPECT_TRUE(ThrottleEntryStale(options, ThrottleEntry{2, kT0, 0}, kT0 + options.window_seconds));
}

TEST(ThrottleTest, KindNames) {
  EXPECT_STREQ(ThrottleKeyKindName(ThrottleKeyKind::kIp), "ip");
  EXPECT_STREQ(ThrottleKeyKindName(ThrottleKeyKind::kAccountEmail), "account_email");
}

}  // namespace
}  // namespace gatehouse::auth
