// Administering OAuth integrations: the list with each one's live tokens, and deleting one with
// everything issued through it, so an integration whose secret leaked can be shut off at once.
#include <nlohmann/json.hpp>

#include "service/auth/auth.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

IntegrationInfo IntegrationInfoOf(const storage::OAuthIntegrationUse& use) {
  const storage::OAuthIntegrationRow& row = use.integration;
  return IntegrationInfo{.id = row.id,
                         .name = row.name,
                         .client_id = row.client_id,
                         .redirect_uri = row.redirect_uri,
                         .created_by = row.created_by,
                         .created_at = row.created_at,
                         .active_tokens = use.active_tokens};
}

}  // namespace

Result<std::vector<IntegrationInfo>> AuthService::ListIntegrations(const Caller& caller) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "list integrations"));
  GH_ASSIGN_OR_RETURN(
      std::vector<storage::OAuthIntegrationUse> uses,
      store_->Reader(caller.account_id).ListOAuthIntegrations(clock_->NowSeconds()));
  std::vector<IntegrationInfo> out;
  out.reserve(uses.size());
  for (const storage::OAuthIntegrationUse& use : uses) out.push_back(IntegrationInfoOf(use));
  return out;
}

Result<IntegrationInfo> AuthService::GetIntegration(const Caller& caller, std::int64_t id) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "read integrations"));
  GH_ASSIGN_OR_RETURN(
      storage::OAuthIntegrationUse use,
      store_->Reader(caller.account_id).GetOAuthIntegration(id, clock_->NowSeconds()));
  return IntegrationInfoOf(use);
}

Status AuthService::DeleteIntegration(const Caller& caller, std::int64_t id) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "delete integrations"));
  const std::int64_t now = clock_->NowSeconds();
  return store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(const storage::OAuthIntegrationUse use, w.GetOAuthIntegration(id, now));
    // The writer marks the security state changed: this process's token cache is stale at
    // commit, every other server's after its next poll or notification, as for RevokeToken.
    GH_RETURN_IF_ERROR(w.DeleteOAuthIntegration(id).status());
    const storage::OAuthIntegrationRow& row = use.integration;
    json before = {
        {"integration",
         {{"name", row.name}, {"client_id", row.client_id}, {"redirect_uri", row.redirect_uri}}}};
    return RecordEvent(
        w, caller, now,
        {"integration_deleted", "integration", id, Dump(json::array({before})), "[]"});
  });
}

}  // namespace gatehouse::service
