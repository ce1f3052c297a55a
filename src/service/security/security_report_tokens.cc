// Security report check over API tokens: personal tokens nobody has used for a long time. A
// token is a password that never asks for a second factor; one that sits unused for months is
// a credential nobody watches (a script retired, a laptop gone) and should be revoked.
#include "service/security/security_report_internal.h"

namespace gatehouse::service::report {

Status CheckUnusedTokens(const storage::AccountReader& reader, const Snapshot& snapshot,
                         Findings& out) {
  // Live personal tokens only: an integration's access token lives a day; its grant is what an
  // administrator reviews (Settings > Integrations), not each token.
  GH_ASSIGN_OR_RETURN(std::vector<storage::ApiTokenRow> tokens,
                      reader.ListLiveApiTokens(snapshot.now, {.personal_only = true}));
  std::vector<Affected> unused;
  for (const storage::ApiTokenRow& t : tokens) {
    const std::int64_t since = t.last_used_at != 0 ? t.last_used_at : t.created_at;
    const std::int64_t idle_days = (snapshot.now - since) / (24 * 3600);
    if (idle_days < kUnusedTokenDays) continue;
    std::string detail = "\"" + t.name + "\", " +
                         (t.last_used_at != 0 ? "last used " : "never used, created ") +
                         Plural(idle_days, "day", "days") + " ago";
    unused.push_back(Affected{.type = "token",
                              .id = t.id,
                              .name = snapshot.UserName(t.user_id),
                              .user_id = t.user_id,
                              .detail = std::move(detail),
                              .counts = {{"idle_days", idle_days}, {"expires_at", t.expires_at}}});
  }
  if (unused.empty()) return Status::Ok();
  const auto n = static_cast<std::int64_t>(unused.size());
  out.push_back({"unused_api_tokens", Severity::kLow,
                 Plural(n, "personal API token has", "personal API tokens have") +
                     " not been used for " + std::to_string(kUnusedTokenDays) + " days or more.",
                 std::move(unused),
                 "revoke them: DELETE /api/v4/security/tokens/{id} (administrators see every "
                 "token with GET /api/v4/security/tokens?filter[all]=1)"});
  return Status::Ok();
}

}  // namespace gatehouse::service::report
