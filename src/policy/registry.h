// Holds the current compiled policy of every account and swaps a new one in atomically.
//
// Readers take a shared_ptr to the snapshot once per request and run every check of that
// request on it, lock-free; a writer builds a new snapshot off to the side and publishes it with
// Publish(). A request never sees a half-built policy, and the next request sees the new one.
#pragma once

#include <atomic>
#include <map>
#include <memory>

#include "policy/account_policy.h"

namespace gatehouse::policy {

class PolicyRegistry {
 public:
  PolicyRegistry();
  // Current snapshot of `account_id`, or nullptr when none was published.
  std::shared_ptr<const AccountPolicy> Get(domain::AccountId account_id) const;
  // Publishes `policy` as the current snapshot of its account. Thread-safe.
  void Publish(std::shared_ptr<const AccountPolicy> policy);
  void Remove(domain::AccountId account_id);

 private:
  using Map = std::map<domain::AccountId, std::shared_ptr<const AccountPolicy>>;
  std::atomic<std::shared_ptr<const Map>> accounts_;
};

}  // namespace gatehouse::policy
