// A background job that runs once per period across every server on one database: every `poll`
// of real time it tries to claim the installation-wide lease of its name (Store::ClaimLease) for
// `period_seconds` of the injected clock, and runs its body only when it got it. With several
// servers on one database the job therefore runs once per period between them. The first attempt
// is at once, so a server that starts runs the job (unless another holds this period's lease).
//
// A failing body or claim is logged (spdlog warn) when the failure starts or changes, not at
// every attempt, and once more when the job works again; it never stops the loop.
//
// Thread-safety: every method is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::service {

class LeasedJob {
 public:
  struct Options {
    std::int64_t period_seconds = 3600;      // clock seconds between runs (cluster-wide)
    std::chrono::milliseconds poll{60'000};  // real time between attempts to claim
    std::string holder{};                    // lease holder name; empty: host:pid
  };
  // The job, run once the lease is claimed. `first`: this is the job's first attempt in this
  // process, so it may say that it ran even when it found nothing to do.
  using Body = std::function<base::Status(bool first)>;

  // `lease`: the lease's name, also the job's name in the log ("dormant users: ...").
  LeasedJob(storage::Store* store, const base::Clock* clock, std::string lease, Options options);
  ~LeasedJob();  // Stop()
  LeasedJob(const LeasedJob&) = delete;
  LeasedJob& operator=(const LeasedJob&) = delete;

  // Starts the background thread, which runs RunOnce(body) every `poll`. Once only.
  void Start(Body body);
  // Stops and joins (a run in progress finishes first). Idempotent.
  void Stop();
  // One attempt now, on the calling thread: claims the lease and runs `body` when claimed.
  // Whether it ran, or the claim's or the body's error.
  base::Result<bool> RunOnce(const Body& body);
  const Options& options() const { return options_; }

 private:
  void Loop(const Body& body);
  storage::Store* store_;
  const base::Clock* clock_;
  std::string lease_;
  std::string label_;  // the lease's name for people: "dormant_users" -> "dormant users"
  Options options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<bool> attempted_{false};
  std::thread thread_;
};

}  // namespace gatehouse::service
