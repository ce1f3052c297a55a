#include "http_client/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace gatehouse::http_client {

RateLimiter::RateLimiter(double rate, double burst, Now now, Sleep sleep)
    : rate_(rate),
      burst_(std::max(1.0, burst)),
      tokens_(burst_),
      now_(now ? std::move(now) : Now([] { return Clock::now(); })),
      sleep_(sleep ? std::move(sleep)
                   : Sleep([](Clock::duration d) { std::this_thread::sleep_for(d); })) {
  last_ = now_();
}

void RateLimiter::Refill() {
  const Clock::time_point now = now_();
  if (now > last_) {
    const double seconds = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + seconds * rate_);
    last_ = now;
  }
}

void RateLimiter::Acquire() {
  Refill();
  if (tokens_ < 1.0) {
    const double wait_seconds = (1.0 - tokens_) / rate_;
    sleep_(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait_seconds)));
    Refill();
    // A sleep may return early (or a fake clock not move): never go below one token's debt.
    tokens_ = std::max(tokens_, 1.0);
  }
  tokens_ -= 1.0;
}

void RateLimiter::PauseFor(Clock::duration pause) {
  Refill();
  // Negative tokens are a debt: the bucket refills to one token only after `pause`.
  tokens_ = 1.0 - std::chrono::duration<double>(pause).count() * rate_;
}

}  // namespace gatehouse::http_client
