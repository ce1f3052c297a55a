#include "service/leased_job.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>

namespace gatehouse::service {
namespace {

std::string HostAndPid() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + ":" + std::to_string(getpid());
}

}  // namespace

LeasedJob::LeasedJob(storage::Store* store, const base::Clock* clock, std::string lease,
                     Options options)
    : store_(store),
      clock_(clock),
      lease_(std::move(lease)),
      label_(lease_),
      options_(std::move(options)) {
  std::replace(label_.begin(), label_.end(), '_', ' ');
  if (options_.holder.empty()) options_.holder = HostAndPid();
}

LeasedJob::~LeasedJob() { Stop(); }

void LeasedJob::Start(Body body) {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this, body = std::move(body)] { Loop(body); });
}

void LeasedJob::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

base::Result<bool> LeasedJob::RunOnce(const Body& body) {
  const std::int64_t now = clock_->NowSeconds();
  GH_ASSIGN_OR_RETURN(bool claimed, store_->ClaimLease(lease_, options_.holder, now,
                                                       now + options_.period_seconds));
  const bool first = !attempted_.exchange(true);
  if (!claimed) {
    if (first) spdlog::info("{}: another server holds this period's lease and runs it", label_);
    return false;
  }
  GH_RETURN_IF_ERROR(body(first));
  return true;
}

void LeasedJob::Loop(const Body& body) {
  std::string last_error;
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    // A read-only SQLite file or a database away would otherwise log a line a minute.
    if (auto ran = RunOnce(body); !ran.ok()) {
      std::string error = ran.status().ToString();
      if (error != last_error) {
        spdlog::warn("{}: the scheduled run failed: {}", label_, error);
        last_error = std::move(error);
      }
    } else if (!last_error.empty()) {
      spdlog::info("{}: the scheduled run works again", label_);
      last_error.clear();
    }
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stop_; });
  }
}

}  // namespace gatehouse::service
