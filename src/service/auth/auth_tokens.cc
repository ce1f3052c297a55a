// Personal (long-lived) API tokens: JWTs the user creates, acting with that user's rights.
#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "base/text.h"
#include "service/auth/auth.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

// The field errors of a token request: a name of at most kMaxTokenNameBytes, an expiry 1 day to 5
// years from `now`.
std::vector<base::FieldError> TokenRequestErrors(const std::string& name, std::int64_t expires_at,
                                                 std::int64_t now) {
  std::vector<base::FieldError> errors;
  if (name.empty()) errors.push_back({"name", "Required", "name is required"});
  if (name.size() > kMaxTokenNameBytes) {
    errors.push_back(
        {"name", "TooLong", "name has at most " + std::to_string(kMaxTokenNameBytes) + " bytes"});
  }
  if (expires_at < now + kPersonalTokenMinSeconds - kTokenExpirySlackSeconds ||
      expires_at > now + kPersonalTokenMaxSeconds) {
    errors.push_back({"expires_at", "OutOfRange",
                      "expires_at must be a unix time between 1 day and 5 years from now"});
  }
  return errors;
}

TokenInfo InfoOf(const storage::ApiTokenRow& row) {
  return TokenInfo{row.id,         row.user_id,    row.name,        row.kind, row.integration_id,
                   row.created_at, row.expires_at, row.last_used_at};
}

}  // namespace

Result<NewToken> AuthService::CreatePersonalToken(const Caller& caller, std::string_view raw_name,
                                                  std::int64_t expires_at, std::string_view host) {
  if (caller.via == Via::kOAuth) {
    return Status::Denied("an integration's token cannot create personal tokens");
  }
  if (caller.actor_id != caller.user_id) {
    return Status::Denied("personal tokens cannot be created while acting as another user");
  }
  const std::int64_t now = clock_->NowSeconds();
  const std::string name(base::Trim(raw_name, base::kWhitespace));
  if (std::vector<base::FieldError> errors = TokenRequestErrors(name, expires_at, now);
      !errors.empty()) {
    return Status::Invalid("the token request is invalid", std::move(errors));
  }
  // A token older than a requirement of two-step verification keeps working (integrations are
  // not interactive), but it may not mint new credentials for a user who has not enrolled.
  GH_ASSIGN_OR_RETURN(std::shared_ptr<const AccountSecurity> security, Security(caller.account_id));
  if (security->policy.require_two_factor) {
    GH_ASSIGN_OR_RETURN(const storage::UserRow user,
                        store_->Reader(caller.account_id).GetUser(caller.user_id));
    if (!user.totp_enabled) {
      return Status::Denied(
          "this workspace requires two-step verification: enrol before creating tokens");
    }
  }

  const auth::JwtClaims claims{.sub = caller.user_id,
                               .acc = caller.account_id,
                               .jti = auth::NewRandomId(),
                               .iat = now,
                               .exp = expires_at,
                               .kind = auth::TokenKind::kPersonal,
                               .api_domain = std::string(host)};
  NewToken out;
  GH_ASSIGN_OR_RETURN(out.token, keys_->Sign(claims));
  storage::ApiTokenRow row{.user_id = caller.user_id,
                           .name = name,
                           .token_hash = auth::TokenHash(out.token),
                           .kind = "long_lived",
                           .created_at = now,
                           .expires_at = expires_at};
  GH_RETURN_IF_ERROR(store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(row.id, w.CreateApiToken(row));
    json after = {{"token", {{"id", row.id}, {"name", name}, {"expires_at", expires_at}}}};
    return RecordEvent(w, caller, now,
                       {"token_created", "user", caller.user_id, "[]", Dump(json::array({after}))});
  }));
  out.info = InfoOf(row);
  return out;
}

Result<std::vector<TokenInfo>> AuthService::ListTokens(const Caller& caller, bool all) {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  if (all) GH_RETURN_IF_ERROR(RequireAdmin(caller, "list every user's tokens"));
  // Every kind: a user's integrations' access tokens are listed (and revocable) too.
  const storage::LiveTokenFilter filter{.user_id = all ? 0 : caller.user_id};
  GH_ASSIGN_OR_RETURN(
      std::vector<storage::ApiTokenRow> rows,
      store_->Reader(caller.account_id).ListLiveApiTokens(clock_->NowSeconds(), filter));
  std::vector<TokenInfo> out;
  out.reserve(rows.size());
  for (const storage::ApiTokenRow& row : rows) out.push_back(InfoOf(row));
  return out;
}

Status AuthService::RevokeToken(const Caller& caller, std::int64_t token_id) {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  const std::int64_t now = clock_->NowSeconds();
  return store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    Result<storage::ApiTokenRow> token = w.GetApiToken(token_id);
    if (!token.ok() && token.status().code() != Code::kNotFound) return token.status();
    // Another user's token is "not found" for a non-administrator, exactly like a missing one.
    if (!token.ok() || token->revoked || (token->user_id != caller.user_id && !caller.is_admin())) {
      return Status::NotFound("no such token");
    }
    GH_RETURN_IF_ERROR(w.RevokeApiToken(token_id));
    json before = {{"token", {{"id", token->id}, {"name", token->name}, {"kind", token->kind}}}};
    return RecordEvent(
        w, caller, now,
        {"token_revoked", "user", token->user_id, Dump(json::array({before})), "[]"});
  });
}

}  // namespace gatehouse::service
