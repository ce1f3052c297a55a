#include "service/policy_cache.h"

namespace gatehouse::service {

base::Result<std::shared_ptr<const policy::AccountPolicy>> PolicyCache::Get(
    domain::AccountId account_id) {
  if (auto current = registry_.Get(account_id)) return current;
  return Refresh(account_id);
}

base::Result<std::shared_ptr<const policy::AccountPolicy>> PolicyCache::Refresh(
    domain::AccountId account_id) {
  std::lock_guard lock(refresh_mu_);
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, store_->Reader(account_id).LoadAccountModel());
  std::shared_ptr<const policy::AccountPolicy> built = policy::AccountPolicy::Build(model);
  registry_.Publish(built);
  return built;
}

}  // namespace gatehouse::service
