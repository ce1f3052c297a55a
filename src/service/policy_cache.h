// The compiled policy of each account, loaded from the store on first use and rebuilt after
// every change of users, groups, roles or pipelines.
//
// Get() is one atomic load when the snapshot is present. Refresh() rebuilds from the store and
// publishes; call it after the transaction that changed the account commits, so the very next
// request (on any thread) sees the new rights. Thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "base/status.h"
#include "policy/registry.h"
#include "storage/store.h"

namespace gatehouse::service {

class PolicyCache {
 public:
  explicit PolicyCache(storage::Store* store) : store_(store) {}

  base::Result<std::shared_ptr<const policy::AccountPolicy>> Get(domain::AccountId account_id);
  base::Result<std::shared_ptr<const policy::AccountPolicy>> Refresh(domain::AccountId account_id);

 private:
  storage::Store* store_;
  policy::PolicyRegistry registry_;
  // Serializes rebuilds so an older model can never be published after a newer one.
  std::mutex refresh_mu_;
};

}  // namespace gatehouse::service
