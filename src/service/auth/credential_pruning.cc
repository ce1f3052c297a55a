#include "service/auth/credential_pruning.h"

#include <spdlog/spdlog.h>

#include "service/security/security_report_internal.h"  // Plural

namespace gatehouse::service {

base::Result<storage::PrunedCredentials> PruneCredentials(storage::Store& store,
                                                          const base::Clock& clock) {
  return store.PruneExpiredCredentials(
      {.now = clock.NowSeconds(), .token_retention_seconds = kAccessTokenRetentionSeconds});
}

std::string DescribePruned(const storage::PrunedCredentials& pruned) {
  return report::Plural(pruned.sessions, "session", "sessions") + ", " +
         report::Plural(pruned.oauth_codes, "OAuth code", "OAuth codes") + ", " +
         report::Plural(pruned.oauth_refresh_tokens, "refresh token", "refresh tokens") + ", " +
         report::Plural(pruned.api_tokens, "access token", "access tokens");
}

CredentialPruner::CredentialPruner(storage::Store* store, const base::Clock* clock, Options options)
    : store_(store), clock_(clock), job_(store, clock, kLeaseName, std::move(options)) {}

void CredentialPruner::Start() {
  job_.Start([this](bool) { return Run(nullptr); });
}

base::Result<bool> CredentialPruner::RunOnce(storage::PrunedCredentials* pruned) {
  return job_.RunOnce([&](bool) { return Run(pruned); });
}

base::Status CredentialPruner::Run(storage::PrunedCredentials* pruned) {
  GH_ASSIGN_OR_RETURN(storage::PrunedCredentials done, PruneCredentials(*store_, *clock_));
  if (done.total() > 0) {
    spdlog::info("credential pruning: removed {} that can no longer be used; next in {} s",
                 DescribePruned(done), job_.options().period_seconds);
  }
  if (pruned != nullptr) *pruned = done;
  return base::Status::Ok();
}

}  // namespace gatehouse::service
