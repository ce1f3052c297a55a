// OAuth 2.0 authorization-code flow for integrations (kommo-api-v4.md §2.1).
//
// Codes live 20 minutes and work once; access tokens are JWTs living one day; refresh tokens
// live three months and rotate (using one revokes it and issues a new one). A code presented a
// second time revokes every token issued from it, refreshed ones included (RFC 6749 §4.1.2):
// each token carries its code's hash as its grant. The client secret, codes and refresh tokens
// are stored as SHA-256 only; the secret is compared in constant time.
#include "service/auth/auth.h"

#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::size_t kMaxRedirectUriBytes = 2000;

// An absolute http(s) URI with a host, no fragment and no whitespace or control characters.
bool ValidRedirectUri(std::string_view uri) {
  if (uri.size() > kMaxRedirectUriBytes) return false;
  std::string_view rest;
  if (uri.starts_with("https://")) {
    rest = uri.substr(8);
  } else if (uri.starts_with("http://")) {
    rest = uri.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?') return false;
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#' || c == '"' || c == '<' ||
        c == '>' || c == '\\') {
      return false;
    }
  }
  return true;
}

Status OAuthError(Code code, std::string_view hint, std::string message, AuthError* error) {
  error->hint = std::string(hint);
  return Status::Error(code, std::move(message));
}

// The integration `client_id` names, when it belongs to the caller's account; one of another
// account is answered like a missing one.
Result<storage::OAuthIntegrationRow> IntegrationOfCaller(storage::Store& store,
                                                         const Caller& caller,
                                                         std::string_view client_id) {
  auto found = store.FindOAuthIntegration(client_id);
  if (!found.ok() || found->first != caller.account_id) {
    if (found.ok() || found.status().code() == Code::kNotFound) {
      return Status::NotFound("no such integration in this account");
    }
    return found.status();
  }
  return std::move(found->second);
}

}  // namespace

Result<NewIntegration> AuthService::CreateIntegration(const Caller& caller, std::string_view name,
                                                      std::string_view redirect_uri) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "add integrations"));
  std::vector<base::FieldError> errors;
  if (name.empty()) errors.push_back({"name", "Required", "name is required"});
  if (name.size() > kMaxTokenNameBytes) errors.push_back({"name", "TooLong", "name is too long"});
  if (!ValidRedirectUri(redirect_uri)) {
    errors.push_back({"redirect_uri", "InvalidUri",
                      "redirect_uri must be an absolute http(s) URI without a fragment"});
  }
  if (!errors.empty()) return Status::Invalid("the integration is invalid", errors);
  const std::int64_t now = clock_->NowSeconds();
  NewIntegration out{.name = std::string(name),
                     .redirect_uri = std::string(redirect_uri),
                     .client_id = auth::NewUuid(),
                     .client_secret = auth::NewToken()};
  const storage::OAuthIntegrationRow row{.client_id = out.client_id,
                                         .client_secret_hash = auth::TokenHash(out.client_secret),
                                         .name = out.name,
                                         .redirect_uri = out.redirect_uri,
                                         .created_by = caller.actor_id,
                                         .created_at = now};
  GH_RETURN_IF_ERROR(store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(out.id, w.CreateOAuthIntegration(row));
    json after = {{"integration",
                   {{"id", out.id},
                    {"name", out.name},
                    {"client_id", out.client_id},
                    {"redirect_uri", out.redirect_uri}}}};
    return RecordEvent(
        w, caller, now,
        {"integration_added", "integration", out.id, "[]", Dump(json::array({after}))});
  }));
  return out;
}

Result<OAuthConsent> AuthService::Consent(const Caller& caller, std::string_view client_id) {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  GH_ASSIGN_OR_RETURN(const storage::OAuthIntegrationRow integration,
                      IntegrationOfCaller(*store_, caller, client_id));
  return OAuthConsent{integration.name, integration.redirect_uri};
}

Result<std::string> AuthService::IssueCode(const Caller& caller, std::string_view client_id) {
  if (caller.via != Via::kSession) {
    return Status::Denied("access can be granted only from a logged-in web session");
  }
  // The code would act as the borrowed user and the token's changes would name them.
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  GH_ASSIGN_OR_RETURN(const storage::OAuthIntegrationRow integration,
                      IntegrationOfCaller(*store_, caller, client_id));
  const std::int64_t now = clock_->NowSeconds();
  std::string code = auth::NewToken();
  GH_RETURN_IF_ERROR(store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    const storage::OAuthCodeRow row{.code_hash = auth::TokenHash(code),
                                    .integration_id = integration.id,
                                    .user_id = caller.user_id,
                                    .redirect_uri = integration.redirect_uri,
                                    .expires_at = now + kOAuthCodeSeconds};
    GH_RETURN_IF_ERROR(w.CreateOAuthCode(row));
    json after = {{"integration", {{"id", integration.id}, {"name", integration.name}}}};
    return RecordEvent(
        w, caller, now,
        {"oauth_code_issued", "integration", integration.id, "[]", Dump(json::array({after}))});
  }));
  return code;
}

namespace {

// The claims of an integration's access token for `user_id`, valid from `now`.
auth::JwtClaims AccessClaims(domain::AccountId account,
                             const storage::OAuthIntegrationRow& integration,
                             domain::UserId user_id, const ClientInfo& client, std::int64_t now) {
  return auth::JwtClaims{.sub = user_id,
                         .acc = account,
                         .jti = auth::NewRandomId(),
                         .iat = now,
                         .exp = now + kOAuthAccessSeconds,
                         .kind = auth::TokenKind::kOauth,
                         .client_id = integration.client_id,
                         .api_domain = client.host};
}

// Stores the hashes of a pair of issued tokens (the access token as a revocable API token row)
// and returns the access token's row id.
Result<std::int64_t> StoreTokenPair(storage::AccountWriter& w,
                                    const storage::OAuthIntegrationRow& integration,
                                    const auth::JwtClaims& claims, const OAuthTokens& tokens,
                                    std::string_view grant_id) {
  const storage::ApiTokenRow access{.user_id = claims.sub,
                                    .name = integration.name,
                                    .token_hash = auth::TokenHash(tokens.access_token),
                                    .kind = "oauth_access",
                                    .integration_id = integration.id,
                                    .created_at = claims.iat,
                                    .expires_at = claims.exp,
                                    .grant_id = std::string(grant_id)};
  GH_ASSIGN_OR_RETURN(std::int64_t token_id, w.CreateApiToken(access));
  const storage::OAuthRefreshRow refresh{.token_hash = auth::TokenHash(tokens.refresh_token),
                                         .integration_id = integration.id,
                                         .user_id = claims.sub,
                                         .expires_at = claims.iat + kOAuthRefreshSeconds,
                                         .grant_id = std::string(grant_id)};
  GH_RETURN_IF_ERROR(w.CreateOAuthRefresh(refresh));
  return token_id;
}

}  // namespace

Result<OAuthTokens> AuthService::IssueOAuthTokens(storage::AccountWriter& w,
                                                  domain::AccountId account,
                                                  const storage::OAuthIntegrationRow& integration,
                                                  domain::UserId user_id, const ClientInfo& client,
                                                  std::string_view event_type,
                                                  std::string_view grant_id) {
  Result<storage::UserRow> user = w.GetUser(user_id);
  if (!user.ok() || !user->user.is_active) {
    return Status::Unauthenticated("the granting user is deactivated");
  }
  const std::int64_t now = clock_->NowSeconds();
  const auth::JwtClaims claims = AccessClaims(account, integration, user_id, client, now);
  OAuthTokens out;
  out.server_time = now;
  GH_ASSIGN_OR_RETURN(out.access_token, keys_->Sign(claims));
  out.refresh_token = auth::NewToken();
  GH_ASSIGN_OR_RETURN(std::int64_t token_id, StoreTokenPair(w, integration, claims, out, grant_id));
  json after = {{"token",
                 {{"id", token_id},
                  {"integration_id", integration.id},
                  {"grant", event_type},
                  {"expires_at", claims.exp}}}};
  Caller caller = EventCaller(account, user_id, "");
  Result<auth::IpAddress> peer = auth::ParseIpAddress(client.peer);
  caller.client_ip = peer.ok() ? peer->ToString() : client.peer;
  GH_RETURN_IF_ERROR(RecordEvent(
      w, caller, now,
      {"oauth_token_issued", "integration", integration.id, "[]", Dump(json::array({after}))}));
  return out;
}

Result<storage::AccountRow> AuthService::AccountOfRefreshToken(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 512) {
    return Status::NotFound("refresh token not found");
  }
  GH_ASSIGN_OR_RETURN(
      domain::AccountId account_id,
      store_->FindAccountOfOAuthRefresh(auth::TokenHash(refresh_token), clock_->NowSeconds()));
  return store_->Reader(account_id).Account();
}

namespace {

// Refuses a token request of another grant type or without its credentials.
Status CheckTokenRequest(const OAuthTokenRequest& req, bool by_code, AuthError* error) {
  if (!by_code && req.grant_type != "refresh_token") {
    error->hint = "unsupported_grant_type";
    return Status::InvalidField("grant_type", "NotSupportedChoice",
                                "grant_type must be authorization_code or refresh_token");
  }
  const std::string& secret_input = by_code ? req.code : req.refresh_token;
  if (req.client_id.empty() || req.client_secret.empty() || secret_input.empty()) {
    error->hint = "invalid_request";
    return Status::Invalid(std::string("client_id, client_secret and ") +
                           (by_code ? "code" : "refresh_token") + " are required");
  }
  return Status::Ok();
}

// What a token request's code or refresh token grants; user_id 0 when it is unknown, expired or
// used.
struct Grant {
  domain::UserId user_id = 0;
  std::int64_t integration_id = 0;
  std::string grant_id;  // the family of tokens a code started
};

// Consumes the code (by_code) or refresh token of `req` at `now`. A code used again sets
// *replayed (and grant_id).
Result<Grant> ConsumeGrant(storage::AccountWriter& w, const OAuthTokenRequest& req, bool by_code,
                           std::int64_t now, bool* replayed) {
  Grant grant;
  if (by_code) {
    grant.grant_id = auth::TokenHash(req.code);
    Result<storage::OAuthCodeRow> code = w.ConsumeOAuthCode(grant.grant_id, now);
    if (!code.ok() && code.status().code() == Code::kFailedPrecondition) {
      *replayed = true;
      return grant;
    }
    if (!code.ok() && code.status().code() != Code::kNotFound) return code.status();
    if (code.ok()) {
      grant.user_id = code->user_id;
      grant.integration_id = code->integration_id;
    }
    return grant;
  }
  Result<storage::OAuthRefreshRow> refresh =
      w.ConsumeOAuthRefresh(auth::TokenHash(req.refresh_token), now);
  if (!refresh.ok() && refresh.status().code() != Code::kNotFound) return refresh.status();
  if (refresh.ok()) {
    grant.user_id = refresh->user_id;
    grant.integration_id = refresh->integration_id;
    grant.grant_id = refresh->grant_id;  // the refreshed tokens stay in the code's family
  }
  return grant;
}

// A replayed code: whoever holds it, the tokens it gave are no longer trusted. Revokes them and
// logs oauth_grant_revoked.
// `caller` stands for the account (no user); the event shows the client's address.
Status RevokeReplayedGrant(storage::AccountWriter& w, Caller caller, const ClientInfo& client,
                           std::int64_t integration_id, const std::string& grant_id,
                           std::int64_t now) {
  GH_ASSIGN_OR_RETURN(std::int64_t revoked, w.RevokeOAuthGrant(grant_id));
  json after = {{"grant",
                 {{"integration_id", integration_id},
                  {"reason", "authorization code used again"},
                  {"tokens_revoked", revoked}}}};
  Result<auth::IpAddress> peer = auth::ParseIpAddress(client.peer);
  caller.client_ip = peer.ok() ? peer->ToString() : client.peer;
  return RecordEvent(
      w, caller, now,
      {"oauth_grant_revoked", "integration", integration_id, "[]", Dump(json::array({after}))});
}

}  // namespace

Result<OAuthTokens> AuthService::ExchangeToken(const OAuthTokenRequest& req, AuthError* error) {
  const bool by_code = req.grant_type == "authorization_code";
  GH_RETURN_IF_ERROR(CheckTokenRequest(req, by_code, error));
  auto found = store_->FindOAuthIntegration(req.client_id);
  if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
  if (!found.ok() || !auth::ConstantTimeEquals(auth::TokenHash(req.client_secret),
                                               found->second.client_secret_hash)) {
    return OAuthError(Code::kUnauthenticated, "invalid_client", "client authentication failed",
                      error);
  }
  const domain::AccountId account = found->first;
  const storage::OAuthIntegrationRow& integration = found->second;
  if ((by_code || !req.redirect_uri.empty()) && req.redirect_uri != integration.redirect_uri) {
    return OAuthError(Code::kInvalidArgument, "invalid_grant",
                      "redirect_uri does not match the integration's", error);
  }
  const std::int64_t now = clock_->NowSeconds();
  OAuthTokens tokens;
  bool bad_grant = false;
  Status written = store_->Write(account, [&](storage::AccountWriter& w) -> Status {
    bool replayed = false;
    GH_ASSIGN_OR_RETURN(Grant grant, ConsumeGrant(w, req, by_code, now, &replayed));
    if (replayed) {
      // This transaction commits the revocation; the exchange itself still fails.
      bad_grant = true;
      return RevokeReplayedGrant(w, EventCaller(account, 0, ""), req.client, integration.id,
                                 grant.grant_id, now);
    }
    if (grant.user_id == 0 || grant.integration_id != integration.id) {
      bad_grant = true;
      return Status::Invalid("bad grant");
    }
    GH_ASSIGN_OR_RETURN(tokens, IssueOAuthTokens(w, account, integration, grant.user_id, req.client,
                                                 req.grant_type, grant.grant_id));
    return Status::Ok();
  });
  if (bad_grant) {
    return OAuthError(Code::kInvalidArgument, "invalid_grant",
                      by_code ? "the authorization code is invalid, expired or already used"
                              : "the refresh token is invalid, expired or already used",
                      error);
  }
  if (!written.ok() && written.code() == Code::kUnauthenticated) {
    return OAuthError(Code::kInvalidArgument, "invalid_grant", written.message(), error);
  }
  GH_RETURN_IF_ERROR(written);
  return tokens;
}

}  // namespace gatehouse::service
