// The compiled policy of each account, loaded from the store on first use and rebuilt after
// every change of users, groups, roles or pipelines.
//
// Get() is one atomic load when the snapshot is present (plus, at most once per poll interval,
// one small query). Refresh() rebuilds from the store and publishes; call it after the
// transaction that changed the account commits, so the very next request (on any thread) sees
// the new rights. Changes committed by other server processes on the same database are found by
// polling every account's security revision (Store::SecurityRevisions) once per interval: a
// stale snapshot is rebuilt then, so such changes apply within about a second (SPEC §8).
// On PostgreSQL a server also LISTENs for the NOTIFY each such commit sends
// (storage::Store::kSecurityChannel, sql::PostgresListener) and calls OnRemoteChange at once, so a
// change applies within milliseconds; while the listener is connected (SetListening(true)) the
// poll is only a safety net, run every `listening_poll_interval`; when the listening connection
// drops the poll is back at `poll_interval`, and on reconnecting one poll catches up on what the
// listener missed.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/status.h"
#include "policy/registry.h"
#include "storage/store.h"

namespace gatehouse::service {

class PolicyCache {
 public:
  explicit PolicyCache(storage::Store* store,
                       std::chrono::milliseconds poll_interval = std::chrono::seconds(1),
                       std::chrono::milliseconds listening_poll_interval = std::chrono::seconds(30))
      : store_(store),
        poll_interval_(poll_interval),
        listening_poll_interval_(listening_poll_interval) {}

  base::Result<std::shared_ptr<const policy::AccountPolicy>> Get(domain::AccountId account_id);
  base::Result<std::shared_ptr<const policy::AccountPolicy>> Refresh(domain::AccountId account_id);

  // Changes whenever security state (Store::security_epoch) may have changed: at once for
  // commits of this process, after the next poll for commits of other processes. Caches of
  // anything derived from users, tokens, sessions or settings keep the generation they were
  // filled at and are stale once it differs.
  std::uint64_t generation() const {
    return store_->security_epoch() + remote_changes_.load(std::memory_order_acquire);
  }

  // Polls now, whatever the interval (tests, and a server that was told of a change).
  base::Status Poll();

  // A change of `account_id`'s security state was committed (a notification): unless this
  // process's snapshot already has it (its own change, notified back), the snapshot is rebuilt
  // now (if there is one) and generation() changes.
  base::Status OnRemoteChange(domain::AccountId account_id);
  // Whether a listener now delivers every change (see above). Turning it on polls once at once
  // (what was missed before it listened); either way the next poll is rescheduled.
  void SetListening(bool listening);
  bool listening() const { return listening_.load(std::memory_order_acquire); }
  std::chrono::milliseconds poll_interval() const { return poll_interval_; }

 private:
  void PollIfDue();

  storage::Store* store_;
  const std::chrono::milliseconds poll_interval_;
  const std::chrono::milliseconds listening_poll_interval_;
  std::atomic<bool> listening_{false};
  policy::PolicyRegistry registry_;
  // Serializes rebuilds so an older model can never be published after a newer one.
  std::mutex refresh_mu_;
  std::mutex revisions_mu_;
  // The security revision each published snapshot was built from (read before its model).
  std::unordered_map<domain::AccountId, std::int64_t> revisions_;
  std::atomic<std::int64_t> next_poll_ms_{0};
  std::atomic<std::uint64_t> remote_changes_{0};
};

}  // namespace gatehouse::service
