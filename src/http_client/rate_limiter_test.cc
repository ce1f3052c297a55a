#include "http_client/rate_limiter.h"

#include <gtest/gtest.h>

namespace gatehouse::http_client {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;

// A fake clock that only moves when the limiter sleeps: the times of the acquisitions are
// exactly the spacing the limiter enforces.
struct FakeTime {
  Clock::time_point now{};
  RateLimiter Make(double rate, double burst) {
    return RateLimiter(
        rate, burst, [this] { return now; }, [this](Clock::duration d) { now += d; });
  }
};

TEST(RateLimiterTest, SevenPerSecondAfterTheBurst) {
  FakeTime time;
  RateLimiter limiter = time.Make(7, 1);
  for (int i = 0; i < 71; ++i) limiter.Acquire();
  // The first is free, the other 70 each wait 1/7 s.
  EXPECT_NEAR(std::chrono::duration<double>(time.now - Clock::time_point{}).count(), 10.0, 1e-6);
}

TEST(RateLimiterTest, ABurstIsFreeThenTheRateHolds) {
  FakeTime time;
  RateLimiter limiter = time.Make(7, 7);
  for (int i = 0; i < 7; ++i) limiter.Acquire();
  EXPECT_EQ(time.now, Clock::time_point{});
  limiter.Acquire();
  EXPECT_NEAR(std::chrono::duration<double>(time.now - Clock::time_point{}).count(), 1.0 / 7, 1e-6);
}

TEST(RateLimiterTest, PauseDelaysTheNextAcquisition) {
  FakeTime time;
  RateLimiter limiter = time.Make(7, 7);
  limiter.PauseFor(std::chrono::seconds(3));
  limiter.Acquire();
  EXPECT_NEAR(std::chrono::duration<double>(time.now - Clock::time_point{}).count(), 3.0, 1e-6);
  // After the pause the bucket is empty: the next one waits a seventh of a second.
  limiter.Acquire();
  EXPECT_NEAR(std::chrono::duration<double>(time.now - Clock::time_point{}).count(), 3.0 + 1.0 / 7,
              1e-6);
}

TEST(RateLimiterTest, IdleTimeRefillsUpToTheBurstOnly) {
  FakeTime time;
  RateLimiter limiter = time.Make(2, 2);
  limiter.Acquire();
  limiter.Acquire();
  time.now += std::chrono::seconds(60);
  const Clock::time_point start = time.now;
  for (int i = 0; i < 4; ++i) limiter.Acquire();  // 2 from the bucket, 2 at 0.5 s each
  EXPECT_NEAR(std::chrono::duration<double>(time.now - start).count(), 1.0, 1e-6);
}

}  // namespace
}  // namespace gatehouse::http_client
