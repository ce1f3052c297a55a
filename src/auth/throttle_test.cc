#include "auth/throttle.h"

#include <gtest/gtest.h>

#include <thread>

namespace gatehouse::auth {
namespace {

constexpr char kUser[] = "7:anna@example.com";
constexpr char kIp[] = "203.0.113.5";
constexpr std::int64_t kT0 = 1'700'000'000;

// Fails `n` times, each at the earliest allowed moment; returns the time after the last one.
std::int64_t FailNTimes(LoginThrottle& t, int n, std::int64_t now, const char* user = kUser,
                        const char* ip = kIp) {
  for (int i = 0; i < n; ++i) {
    ThrottleDecision d = t.Check(user, ip, now);
    if (!d.allowed) now += d.retry_after_seconds;
    EXPECT_TRUE(t.Check(user, ip, now).allowed);
    t.RecordFailure(user, ip, now);
  }
  return now;
}

TEST(ThrottleTest, DelaysGrowAfterFreeFailures) {
  LoginThrottle t;  // defaults: 3 free, then 1, 2, 4, 8, … s; lock at 10
  std::int64_t now = kT0;
  for (int i = 0; i < 3; ++i) {
    ThrottleDecision d = t.RecordFailure(kUser, kIp, now);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_TRUE(t.Check(kUser, kIp, now).allowed);
  }
  const std::int64_t want_delays[] = {1, 2, 4, 8, 16, 32};
  for (std::int64_t want : want_delays) {
    ThrottleDecision d = t.RecordFailure(kUser, kIp, now);
    EXPECT_FALSE(d.allowed);
    EXPECT_FALSE(d.locked);
    EXPECT_EQ(d.retry_after_seconds, want);
    ThrottleDecision early = t.Check(kUser, kIp, now + want - 1);
    EXPECT_FALSE(early.allowed);
    EXPECT_EQ(early.retry_after_seconds, 1);
    EXPECT_EQ(early.limiting_key, ThrottleKeyKind::kAccountEmail);
    now += want;
    EXPECT_TRUE(t.Check(kUser, kIp, now).allowed);
  }
}

TEST(ThrottleTest, LocksAtThresholdAndReportsStartAndEnd) {
  ThrottleOptions options;
  options.account_email.lockout_threshold = 5;
  options.account_email.lockout_seconds = 600;
  LoginThrottle t(options);
  std::int64_t now = FailNTimes(t, 4, kT0);
  now += t.Check(kUser, kIp, now).retry_after_seconds;
  ThrottleDecision fifth = t.RecordFailure(kUser, kIp, now);
  EXPECT_FALSE(fifth.allowed);
  EXPECT_TRUE(fifth.locked);
  EXPECT_EQ(fifth.retry_after_seconds, 600);
  ASSERT_EQ(fifth.events.size(), 1u);
  EXPECT_EQ(fifth.events[0].type, ThrottleEvent::Type::kLockStarted);
  EXPECT_EQ(fifth.events[0].kind, ThrottleKeyKind::kAccountEmail);
  EXPECT_EQ(fifth.events[0].key, kUser);
  EXPECT_EQ(fifth.events[0].locked_until, now + 600);

  ThrottleDecision during = t.Check(kUser, kIp, now + 599);
  EXPECT_FALSE(during.allowed);
  EXPECT_TRUE(during.locked);
  EXPECT_EQ(during.retry_after_seconds, 1);
  EXPECT_TRUE(during.events.empty());
  // Another email from the same IP is not locked by this key.
  EXPECT_TRUE(t.Check("7:other@example.com", kIp, now + 1).allowed);

  ThrottleDecision after = t.Check(kUser, kIp, now + 600);
  EXPECT_TRUE(after.allowed);
  ASSERT_EQ(after.events.size(), 1u);
  EXPECT_EQ(after.events[0].type, ThrottleEvent::Type::kLockEnded);
  EXPECT_TRUE(t.Check(kUser, kIp, now + 601).events.empty());  // reported once
  // Afresh: three free failures again.
  ThrottleDecision d = t.RecordFailure(kUser, kIp, now + 601);
  EXPECT_TRUE(d.allowed);
}

TEST(ThrottleTest, SuccessResetsAccountKeyButNotIp) {
  ThrottleOptions options;
  options.ip.free_failures = 4;
  LoginThrottle t(options);
  std::int64_t now = FailNTimes(t, 5, kT0);
  EXPECT_FALSE(t.RecordFailure(kUser, kIp, now).allowed);
  t.RecordSuccess(kUser);
  // The account key is clear; the IP key (6 failures, 4 free) still slows the next attempt.
  ThrottleDecision d = t.Check(kUser, kIp, now);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limiting_key, ThrottleKeyKind::kIp);
  EXPECT_TRUE(t.Check(kUser, "198.51.100.1", now).allowed);
}

TEST(ThrottleTest, IpIsLockedAcrossManyEmails) {
  ThrottleOptions options;
  options.ip = {.free_failures = 100, .lockout_threshold = 20, .lockout_seconds = 300};
  LoginThrottle t(options);
  std::int64_t now = kT0;
  ThrottleDecision last;
  for (int i = 0; i < 20; ++i) {
    std::string user = "7:user" + std::to_string(i) + "@example.com";
    ASSERT_TRUE(t.Check(user, kIp, now).allowed) << i;
    last = t.RecordFailure(user, kIp, now);
  }
  EXPECT_TRUE(last.locked);
  ASSERT_EQ(last.events.size(), 1u);
  EXPECT_EQ(last.events[0].kind, ThrottleKeyKind::kIp);
  ThrottleDecision d = t.Check("7:fresh@example.com", kIp, now + 10);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limiting_key, ThrottleKeyKind::kIp);
  EXPECT_EQ(d.retry_after_seconds, 290);
  EXPECT_TRUE(t.Check("7:fresh@example.com", "198.51.100.1", now + 10).allowed);
}

TEST(ThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  ThrottleOptions options;
  options.window_seconds = 600;
  LoginThrottle t(options);
  std::int64_t now = FailNTimes(t, 5, kT0);
  EXPECT_FALSE(t.RecordFailure(kUser, kIp, now).allowed);  // 6th: delayed
  now += 600;
  EXPECT_TRUE(t.Check(kUser, kIp, now).allowed);
  EXPECT_TRUE(t.RecordFailure(kUser, kIp, now).allowed);  // counts from 1 again
}

TEST(ThrottleTest, EmptyKeysAreNotThrottled) {
  LoginThrottle t;
  for (int i = 0; i < 50; ++i) t.RecordFailure("", "", kT0);
  EXPECT_TRUE(t.Check("", "", kT0).allowed);
  EXPECT_EQ(t.size(), 0u);
}

TEST(ThrottleTest, MemoryIsBoundedAndLocksSurviveEviction) {
  ThrottleOptions options;
  options.max_entries = 200;  // 100 per key kind
  options.account_email.lockout_threshold = 2;
  LoginThrottle t(options);
  t.RecordFailure("7:locked@example.com", "", kT0);
  ASSERT_TRUE(t.RecordFailure("7:locked@example.com", "", kT0).locked);
  for (int i = 0; i < 5000; ++i) {
    t.RecordFailure("7:spray" + std::to_string(i) + "@example.com",
                    "198.51." + std::to_string(i / 256) + "." + std::to_string(i % 256), kT0 + 1);
  }
  EXPECT_LE(t.size(), 200u);
  EXPECT_TRUE(t.Check("7:locked@example.com", "", kT0 + 2).locked);
}

TEST(ThrottleTest, SetOptionsChangesTheThreshold) {
  LoginThrottle t;
  std::int64_t now = FailNTimes(t, 3, kT0);
  ThrottleOptions stricter;
  stricter.account_email.lockout_threshold = 4;
  t.SetOptions(stricter);
  EXPECT_TRUE(t.RecordFailure(kUser, kIp, now).locked);
}

TEST(ThrottleTest, ConcurrentUseIsSafe) {
  LoginThrottle t;
  std::vector<std::thread> threads;
  for (int n = 0; n < 4; ++n) {
    threads.emplace_back([&t, n] {
      for (int i = 0; i < 2000; ++i) {
        std::string user = "7:u" + std::to_string(i % 50) + "@x";
        std::string ip = "10.0.0." + std::to_string(n);
        (void)t.Check(user, ip, kT0 + i);
        t.RecordFailure(user, ip, kT0 + i);
        if (i % 7 == 0) t.RecordSuccess(user);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(t.size(), 54u);
}

// The per-key functions on an entry kept elsewhere (a database row): the delay follows from the
// stored count and time, the lock starts at the threshold and ends with its event.
TEST(ThrottleTest, EntryFunctionsRunOnAStoredEntry) {
  ThrottleOptions options;
  options.account_email.lockout_threshold = 6;
  options.account_email.lockout_seconds = 600;
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
