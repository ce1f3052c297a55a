// Copy-on-write: readers load one shared_ptr to an immutable map; a writer copies the map,
// changes the copy and swaps it in with a compare-exchange, retrying if another writer won.
#include "policy/registry.h"

namespace gatehouse::policy {

PolicyRegistry::PolicyRegistry() : accounts_(std::make_shared<const Map>()) {}

std::shared_ptr<const AccountPolicy> PolicyRegistry::Get(domain::AccountId account_id) const {
  const std::shared_ptr<const Map> accounts = accounts_.load(std::memory_order_acquire);
  const auto it = accounts->find(account_id);
  return it == accounts->end() ? nullptr : it->second;
}

void PolicyRegistry::Publish(std::shared_ptr<const AccountPolicy> policy) {
  if (policy == nullptr) return;
  std::shared_ptr<const Map> current = accounts_.load(std::memory_order_acquire);
  while (true) {
    auto next = std::make_shared<Map>(*current);
    auto& slot = (*next)[policy->account_id()];
    // Builds can finish out of order: never replace a newer snapshot with an older one.
    if (slot != nullptr && slot->version() > policy->version()) return;
    slot = policy;
    if (accounts_.compare_exchange_weak(current, std::shared_ptr<const Map>(std::move(next)),
                                        std::memory_order_acq_rel, std::memory_order_acquire)) {
      return;
    }
  }
}

void PolicyRegistry::Remove(domain::AccountId account_id) {
  std::shared_ptr<const Map> current = accounts_.load(std::memory_order_acquire);
  while (current->count(account_id) != 0) {
    auto next = std::make_shared<Map>(*current);
    next->erase(account_id);
    if (accounts_.compare_exchange_weak(current, std::shared_ptr<const Map>(std::move(next)),
                                        std::memory_order_acq_rel, std::memory_order_acquire)) {
      return;
    }
  }
}

}  // namespace gatehouse::policy
