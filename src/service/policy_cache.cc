#include "service/policy_cache.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <vector>

namespace gatehouse::service {

namespace {

std::int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

base::Result<std::shared_ptr<const policy::AccountPolicy>> PolicyCache::Get(
    domain::AccountId account_id) {
  PollIfDue();
  if (auto current = registry_.Get(account_id)) return current;
  return Refresh(account_id);
}

base::Result<std::shared_ptr<const policy::AccountPolicy>> PolicyCache::Refresh(
    domain::AccountId account_id) {
  std::lock_guard lock(refresh_mu_);
  // Read before the model: a change committed meanwhile leaves the recorded revision behind,
  // so the next poll rebuilds again rather than keeping a snapshot that missed it.
  GH_ASSIGN_OR_RETURN(std::int64_t revision, store_->SecurityRevision(account_id));
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, store_->Reader(account_id).LoadAccountModel());
  std::shared_ptr<const policy::AccountPolicy> built = policy::AccountPolicy::Build(model);
  registry_.Publish(built);
  std::lock_guard revisions_lock(revisions_mu_);
  revisions_[account_id] = revision;
  return built;
}

void PolicyCache::PollIfDue() {
  const std::int64_t now = SteadyMillis();
  std::int64_t due = next_poll_ms_.load(std::memory_order_relaxed);
  if (now < due) return;
  // One thread polls; the others go on with the snapshots they have.
  const std::chrono::milliseconds interval =
      listening_.load(std::memory_order_acquire) ? listening_poll_interval_ : poll_interval_;
  if (!next_poll_ms_.compare_exchange_strong(due, now + interval.count(),
                                             std::memory_order_relaxed)) {
    return;
  }
  if (base::Status polled = Poll(); !polled.ok()) {
    spdlog::warn("policy cache: polling security revisions failed: {}", polled.message());
  }
}

base::Status PolicyCache::Poll() {
  GH_ASSIGN_OR_RETURN(auto revisions, store_->SecurityRevisions());
  std::vector<domain::AccountId> stale;
  {
    std::lock_guard lock(revisions_mu_);
    for (const auto& [account_id, revision] : revisions) {
      auto known = revisions_.find(account_id);
      if (known != revisions_.end() && known->second != revision) stale.push_back(account_id);
    }
  }
  if (stale.empty()) return base::Status::Ok();
  remote_changes_.fetch_add(1, std::memory_order_acq_rel);
  for (domain::AccountId account_id : stale) GH_RETURN_IF_ERROR(Refresh(account_id).status());
  return base::Status::Ok();
}

base::Status PolicyCache::OnRemoteChange(domain::AccountId account_id) {
  std::optional<std::int64_t> known;
  {
    std::lock_guard lock(revisions_mu_);
    if (auto it = revisions_.find(account_id); it != revisions_.end()) known = it->second;
  }
  if (!known) {  // no snapshot here: built on first use; caches of other kinds still drop
    remote_changes_.fetch_add(1, std::memory_order_acq_rel);
    return base::Status::Ok();
  }
  // A change this process made comes back as a notification too: its snapshot is current.
  GH_ASSIGN_OR_RETURN(std::int64_t revision, store_->SecurityRevision(account_id));
  if (revision == *known) return base::Status::Ok();
  remote_changes_.fetch_add(1, std::memory_order_acq_rel);
  return Refresh(account_id).status();
}

void PolicyCache::SetListening(bool listening) {
  listening_.store(listening, std::memory_order_release);
  const std::chrono::milliseconds interval = listening ? listening_poll_interval_ : poll_interval_;
  next_poll_ms_.store(SteadyMillis() + interval.count(), std::memory_order_relaxed);
  if (!listening) return;
  // Changes committed while nobody listened sent notifications this process never got.
  if (base::Status polled = Poll(); !polled.ok()) {
    spdlog::warn("policy cache: catching up after (re)connecting the listener failed: {}",
                 polled.message());
    next_poll_ms_.store(0, std::memory_order_relaxed);  // poll at the next request instead
  }
}

}  // namespace gatehouse::service
