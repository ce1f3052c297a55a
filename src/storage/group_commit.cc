// Group commit (group_commit.h). Why: on SQLite every write used to be one BEGIN IMMEDIATE ..
// COMMIT of its own, and a commit in WAL mode appends every page the transaction touched to the
// log (the lead's leaf, the events table and its indexes, the account row, the totals cell).
// Writes of a batch touch mostly the same pages, so one commit for the batch writes each page
// once, takes the file locks once and runs the WAL bookkeeping once.
#include "storage/group_commit.h"

#include <exception>
#include <string>
#include <vector>

namespace gatehouse::storage {

using base::Status;

namespace {

constexpr std::string_view kSavepoint = "SAVEPOINT gh_write";
constexpr std::string_view kRelease = "RELEASE gh_write";
constexpr std::string_view kRollbackTo = "ROLLBACK TO gh_write";

}  // namespace

Status RunWriteBody(const GroupCommit::Body& body, sql::Connection& c) {
  try {
    return body(c);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("the write failed: ") + e.what());
  } catch (...) {
    return Status::Internal("the write failed with an unknown exception");
  }
}

Status GroupCommit::Run(const Body& body, const OnCommit& on_commit) {
  Pending self(&body, &on_commit);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.wait(lock);
  if (!self.done) LeadBatch(lock);
  return self.status;
}

bool GroupCommit::RunOne(sql::Connection& c, Pending& write, Status* broken) {
  Status status = c.Execute(kSavepoint).status();
  if (status.ok()) status = RunWriteBody(*write.body, c);
  if (status.ok()) status = c.Execute(kRelease).status();
  write.status = status;
  if (status.ok()) return true;
  // Undo this write alone. When even that fails the engine has rolled back the whole
  // transaction (SQLite does on SQLITE_FULL, SQLITE_IOERR, ...): the earlier writes of the batch
  // are gone with it, and the write's own error is the cause to report to their callers.
  Status undone = c.Execute(kRollbackTo).status();
  if (undone.ok()) undone = c.Execute(kRelease).status();
  if (undone.ok()) return true;
  // Internal, whatever the failing write's own error: the other writes did nothing wrong.
  *broken = Status::Internal("the write was rolled back with its batch: " +
                             std::string(status.message()));
  return false;
}

void GroupCommit::LeadBatch(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  sql::PooledConnection c = pool_.Acquire();
  const Status begun = c->Begin();
  lock.lock();
  std::size_t taken = 0;
  std::vector<Pending*> stored;  // bodies that succeeded: their outcome is the commit's
  Status broken = begun;
  // Later arrivals join while the batch runs, so the batch grows with the load.
  while (broken.ok() && taken < queue_.size() && taken < static_cast<std::size_t>(max_batch_)) {
    Pending* write = queue_[taken++];
    lock.unlock();
    const bool alive = RunOne(*c, *write, &broken);
    lock.lock();
    if (alive && write->status.ok()) stored.push_back(write);
  }
  if (!begun.ok()) {
    taken = 1;  // the leader alone reports the failed BEGIN; the next leader tries again
    queue_.front()->status = begun;
  }
  lock.unlock();
  Status outcome = broken;
  if (outcome.ok() && !stored.empty()) outcome = c->Commit();
  if (!outcome.ok() || stored.empty()) (void)c->Rollback();
  if (outcome.ok()) {
    for (Pending* write : stored) {
      if (*write->on_commit) (*write->on_commit)();
    }
  }
  { sql::PooledConnection done = std::move(c); }  // back to the pool before the next leader
  lock.lock();
  if (begun.ok() && !stored.empty()) {
    stats_.writes += stored.size();
    stats_.commits += 1;
  }
  for (Pending* write : stored) write->status = outcome;
  for (std::size_t i = 0; i < taken; ++i) {
    Pending* write = queue_.front();
    queue_.pop_front();
    write->done = true;
    write->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
}

WriteStats GroupCommit::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::size_t GroupCommit::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace gatehouse::storage
