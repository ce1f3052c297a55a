// Group commit: the writes of a process to a database with one writer at a time (SQLite),
// batched into shared transactions.
//
// A caller of Run queues its write and sleeps. The caller at the head of the queue becomes the
// leader: it opens one transaction and runs the queued writes in queue order (its own first, then
// the ones queued behind it, including those that arrive meanwhile, up to `max_batch`), each in
// its own SAVEPOINT, then commits once and wakes every caller of the batch. So:
//   - every write sees the writes committed before it and the ones batched before it, as if the
//     writes had run one after another in queue order;
//   - a write whose body fails (or throws) is rolled back to its savepoint alone, and only its
//     caller gets its error, at once; the other writes of the batch are unaffected;
//   - a successful write is acknowledged (Run returns OK) only after the COMMIT that contains
//     it has succeeded, and `on_commit` has run; when the commit fails (or the engine rolled the
//     whole transaction back, as SQLite does after a disk-full or I/O error), every write of the
//     batch gets that error and none of them is stored.
// With synchronous=NORMAL in WAL mode a commit is in the operating system's hands when COMMIT
// returns: it survives the process being killed (kill -9), not a power cut (see README).
//
// Thread-safety: Run may be called from any number of threads. A body runs on the leader's
// thread, not necessarily its caller's, while its caller waits in Run; it must not call Run
// itself (it would wait for its own batch).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

#include "base/status.h"
#include "storage/sql/connection.h"
#include "storage/sql/pool.h"

namespace gatehouse::storage {

// Counters since the store was opened, for tests and benchmarks.
struct WriteStats {
  std::uint64_t writes = 0;   // successful writes (acknowledged, or failed at their commit)
  std::uint64_t commits = 0;  // transactions committed (or whose commit failed)
};

class GroupCommit {
 public:
  // One write, run inside a savepoint of the batch's transaction on `connection`.
  using Body = std::function<base::Status(sql::Connection& connection)>;
  // Runs after the commit that stored the write, before any caller of the batch is woken.
  using OnCommit = std::function<void()>;

  GroupCommit(sql::ConnectionPool& pool, int max_batch) : pool_(pool), max_batch_(max_batch) {}

  // Runs `body` as described above and returns its error, or the commit's, or OK once committed.
  base::Status Run(const Body& body, const OnCommit& on_commit = nullptr);

  WriteStats stats() const;
  // Writes queued or running now (tests use it to line writes up in one batch).
  std::size_t queued() const;

 private:
  struct Pending {
    Pending(const Body* body, const OnCommit* on_commit) : body(body), on_commit(on_commit) {}
    const Body* body;
    const OnCommit* on_commit;
    base::Status status{};
    bool done = false;
    std::condition_variable cv{};
  };
  // Leader: runs the batch starting at the queue's head and wakes its callers.
  void LeadBatch(std::unique_lock<std::mutex>& lock);
  // Runs one write in a savepoint. False when the transaction is gone (the engine rolled it
  // back), so nothing of the batch can commit.
  bool RunOne(sql::Connection& c, Pending& write, base::Status* broken);

  sql::ConnectionPool& pool_;
  const int max_batch_;
  mutable std::mutex mu_;
  std::deque<Pending*> queue_;  // head: the leader's batch while it runs, then followers
  WriteStats stats_;
};

// Runs `body` on `c`; an exception it throws (std or a library, never our code) becomes a
// kInternal error of this write alone (the caller's handler would have turned it into a 500 had
// the body run on its own thread), so the transaction can still be rolled back and closed.
base::Status RunWriteBody(const GroupCommit::Body& body, sql::Connection& c);

}  // namespace gatehouse::storage
