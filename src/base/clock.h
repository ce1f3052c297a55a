// Time as the product sees it: unix seconds, injectable so tests can move it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gatehouse::base {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowSeconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock tests set and advance by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now = 1'750'000'000) : now_(now) {}
  std::int64_t NowSeconds() const override { return now_.load(); }
  void Set(std::int64_t now) { now_.store(now); }
  void Advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace gatehouse::base
