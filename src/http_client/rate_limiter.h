// A token bucket: at most `rate` acquisitions per second on average, with bursts of at most
// `burst`. Kommo allows 7 requests per second per integration (kommo-api-v4.md §1 "Rate
// limits"); a client that goes over is answered 429 and, repeatedly, blocked (403).
//
// The clock and the sleep are injectable so tests can check the spacing without waiting.
// Thread-safety: none (one importer, one thread).
#pragma once

#include <chrono>
#include <functional>

namespace gatehouse::http_client {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  using Sleep = std::function<void(Clock::duration)>;

  // `rate` > 0 tokens per second; `burst` >= 1 tokens at most (the bucket starts full).
  RateLimiter(double rate, double burst, Now now = {}, Sleep sleep = {});

  // Takes one token, sleeping first until one is there.
  void Acquire();
  // Empties the bucket and takes no token before `pause` has passed (a 429's Retry-After):
  // the next Acquire sleeps at least that long.
  void PauseFor(Clock::duration pause);

  double rate() const { return rate_; }

 private:
  void Refill();
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
  Now now_;
  Sleep sleep_;
};

}  // namespace gatehouse::http_client
