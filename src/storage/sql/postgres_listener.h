// PostgreSQL LISTEN on a dedicated connection, in a thread of its own (SPEC §8, issue 13).
//
// The listener opens one connection outside the pool (application_name "gatehouse-listen", so an
// operator or a test can find it in pg_stat_activity), runs LISTEN on each channel and then
// waits on its socket; every notification is handed to `on_notify` (channel, payload) on the
// listener's thread. When the connection drops (server restart, pg_terminate_backend, network
// cut: TCP keepalives find a silent peer within about 25 s), `on_state(false)` is called, and the
// listener reconnects with a growing pause (0.2 s doubling to 5 s); once LISTENing again it calls
// `on_state(true)`. Notifications sent while it was not listening are lost: the caller must
// catch up on `on_state(true)` (PolicyCache polls every revision) and poll while it is false.
//
// Needs a direct session to PostgreSQL: behind pgbouncer in transaction mode LISTEN does not
// work (docs/scaling.md), so give it the server's own address there.
//
// Thread-safety: the callbacks run on the listener thread, one at a time; listening() may be
// called from any thread. The destructor stops the thread (within about 0.2 s) and waits for it.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace gatehouse::storage::sql {

class PostgresListener {
 public:
  using OnNotify = std::function<void(const std::string& channel, const std::string& payload)>;
  using OnState = std::function<void(bool listening)>;

  // Starts the thread; the first connection is made there (an unreachable server at start is
  // retried like a dropped one). kInvalidArgument for a channel that is not a plain lower-case
  // identifier.
  static base::Result<std::unique_ptr<PostgresListener>> Start(std::string url,
                                                               std::vector<std::string> channels,
                                                               OnNotify on_notify,
                                                               OnState on_state);
  ~PostgresListener();
  PostgresListener(const PostgresListener&) = delete;
  PostgresListener& operator=(const PostgresListener&) = delete;

  // True while connected and LISTENing.
  bool listening() const { return listening_.load(std::memory_order_acquire); }
  // How many times the connection was (re)established and LISTEN ran.
  int connects() const { return connects_.load(std::memory_order_acquire); }

  static constexpr const char* kApplicationName = "gatehouse-listen";

 private:
  PostgresListener(std::string url, std::vector<std::string> channels, OnNotify on_notify,
                   OnState on_state);
  void Run();

  const std::string url_;
  const std::vector<std::string> channels_;
  const OnNotify on_notify_;
  const OnState on_state_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<int> connects_{0};
  std::thread thread_;
};

}  // namespace gatehouse::storage::sql
