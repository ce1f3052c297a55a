// Per-request authentication: a session cookie or a bearer token becomes a Caller.
//
// Every check re-reads what can change between requests (the session row, the token row, the
// user's active state, the settings), so an ended session, a revoked token, a deactivated user or
// a newly enabled IP whitelist stops the very next request.
#include <charconv>
#include <nlohmann/json.hpp>

#include "auth/session.h"
#include "auth/tokens.h"
#include "service/auth/auth.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::size_t kMaxSessionTokenBytes = 128;

// The caller a valid web session stands for, from `ip`.
Caller SessionCaller(const storage::SessionRow& session, const std::string& ip,
                     std::shared_ptr<const policy::AccountPolicy> policy) {
  return Caller{.account_id = session.account_id,
                .user_id = session.user_id,
                .actor_id = session.user_id,
                .via = Via::kSession,
                .client_ip = ip,
                .session_id = session.id,
                .policy = std::move(policy)};
}

// A request that changes state on a session must echo the session's CSRF token.
Status CheckCsrf(const Credentials& c, AuthError* error) {
  if (!c.changes_state ||
      auth::ConstantTimeEquals(AuthService::CsrfTokenFor(c.session_token), c.csrf_token)) {
    return Status::Ok();
  }
  error->type_suffix = std::string(kCsrfFailed);
  return Status::Denied("missing or wrong X-CSRF-Token header");
}

// Moves the session's last-seen time on when it is due (auth::ShouldTouchSession), so that a
// busy session does not write on every request; a session ended meanwhile is no error here.
Status TouchWhenDue(storage::Store& store, const storage::SessionRow& session, std::int64_t now) {
  if (!auth::ShouldTouchSession(session.last_seen_at, now)) return Status::Ok();
  Status touched = store.Write(session.account_id, [&](storage::AccountWriter& w) {
    return w.TouchSession(session.id, now);
  });
  return base::NotFoundAs(touched, Status::Ok());  // a session ended meanwhile: nothing to touch
}

}  // namespace

Result<Authenticated> AuthService::Authenticate(const Credentials& credentials, AuthError* error) {
  if (!credentials.bearer.empty()) return AuthenticateBearer(credentials, error);
  if (!credentials.session_token.empty()) return AuthenticateSession(credentials, error);
  return Status::Unauthenticated("authentication required: log in or send a bearer token");
}

Result<Authenticated> AuthService::AuthenticateSession(const Credentials& c, AuthError* error) {
  if (c.session_token.size() > kMaxSessionTokenBytes) {
    return Status::Unauthenticated("invalid session");
  }
  Result<storage::SessionRow> session = store_->FindSession(auth::TokenHash(c.session_token));
  if (!session.ok()) {
    return base::NotFoundAs(session.status(),
                            Status::Unauthenticated("the session has ended; log in again"));
  }
  const domain::AccountId account_id = session->account_id;
  GH_ASSIGN_OR_RETURN(std::shared_ptr<const AccountSecurity> security, Security(account_id));
  const std::int64_t now = clock_->NowSeconds();
  const auth::IpAddress address = ClientAddress(*security, c.client);
  const std::string ip = address.ToString();

  auth::SessionLimits limits{security->policy.session_idle_minutes,
                             security->policy.session_max_hours};
  auth::SessionState state = auth::CheckSession(
      {session->created_at, session->last_seen_at, session->expires_at}, limits, now);
  Result<storage::UserRow> user = store_->Reader(account_id).GetUser(session->user_id);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  const bool user_ok = user.ok() && user->user.is_active;
  if (state != auth::SessionState::kActive || !user_ok) {
    GH_RETURN_IF_ERROR(
        EndSession(*session, !user_ok ? "user_inactive" : auth::SessionStateName(state), ip, now));
    return Status::Unauthenticated("the session has expired; log in again");
  }

  json request = {{"request", {{"session_id", session->id}, {"ip", ip}}}};
  GH_RETURN_IF_ERROR(EnforceWhitelist(account_id, *security, address, /*api=*/false,
                                      session->user_id, "user", Dump(json::array({request})),
                                      error));
  GH_RETURN_IF_ERROR(CheckCsrf(c, error));
  GH_RETURN_IF_ERROR(TouchWhenDue(*store_, *session, now));
  Authenticated out;
  GH_ASSIGN_OR_RETURN(auto policy, policies_->Get(account_id));
  out.caller = SessionCaller(*session, ip, std::move(policy));
  // An administrator's session is a token granted to an administrator: the console's "View as"
  // browses with another user's rights exactly as the API's bearer path allows.
  // A bad target is a 403 here, not the bearer path's 401: the session itself is valid, and a
  // 401 would make the browser drop its session cookie.
  if (c.context_user_id) {
    Result<Caller> as = ApplyContextUser(std::move(out.caller), *c.context_user_id);
    if (!as.ok()) return Status::Denied(std::string(as.status().message()));
    out.caller = std::move(*as);
  }
  out.must_enroll_two_factor = security->policy.require_two_factor && !user->totp_enabled;
  out.from_trusted_proxy = FromTrustedProxy(*security, c.client);
  return out;
}

Status AuthService::EndSession(const storage::SessionRow& session, std::string_view reason,
                               const std::string& ip, std::int64_t now) {
  json before = {{"session", {{"id", session.id}, {"reason", std::string(reason)}}}};
  return store_->Write(session.account_id, [&](storage::AccountWriter& w) -> Status {
    Status deleted = w.DeleteSession(session.id);
    if (deleted.code() == Code::kNotFound) return Status::Ok();  // ended concurrently
    GH_RETURN_IF_ERROR(deleted);
    return RecordEvent(
        w, EventCaller(session.account_id, 0, ip), now,
        {"session_ended", "user", session.user_id, Dump(json::array({before})), "[]"});
  });
}

std::shared_ptr<const AuthService::VerifiedToken> AuthService::CachedToken(
    const std::string& hash, std::uint64_t generation) {
  std::shared_lock lock(tokens_mu_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end() || it->second->generation != generation) return nullptr;
  return it->second;
}

void AuthService::RememberToken(const std::string& hash,
                                std::shared_ptr<const VerifiedToken> token) {
  std::unique_lock lock(tokens_mu_);
  if (tokens_.size() >= kMaxCachedTokens && !tokens_.contains(hash)) tokens_.clear();
  tokens_.insert_or_assign(hash, std::move(token));
}

Result<std::shared_ptr<const AuthService::VerifiedToken>> AuthService::VerifyToken(
    const std::string& bearer, const std::string& hash, std::uint64_t generation,
    std::int64_t now) {
  Result<auth::JwtClaims> claims = auth::VerifyJwt(
      bearer, [this](std::string_view kid) { return keys_->Lookup(kid); }, now);
  if (!claims.ok()) return Status::Unauthenticated("invalid or expired token");
  Result<storage::ApiTokenRow> row = store_->FindApiToken(hash);
  if (!row.ok()) return base::NotFoundAs(row.status(), Status::Unauthenticated("unknown token"));
  if (row->revoked || row->account_id != claims->acc || row->user_id != claims->sub) {
    return Status::Unauthenticated("the token has been revoked or has expired");
  }
  auto token = std::make_shared<const VerifiedToken>(
      VerifiedToken{std::move(*row), claims->exp, generation});
  RememberToken(hash, token);
  return token;
}

Result<Authenticated> AuthService::AuthenticateBearer(const Credentials& c, AuthError* error) {
  if (c.bearer.size() > auth::kMaxJwtLength) return Status::Unauthenticated("invalid token");
  const std::int64_t now = clock_->NowSeconds();
  const std::string hash = auth::TokenHash(c.bearer);
  // Read before the store, so a change committed meanwhile makes this entry stale at once.
  const std::uint64_t generation = policies_->generation();
  std::shared_ptr<const VerifiedToken> token = CachedToken(hash, generation);
  if (!token) {
    GH_ASSIGN_OR_RETURN(token, VerifyToken(c.bearer, hash, generation, now));
  }
  const storage::ApiTokenRow& row = token->row;
  if (token->claims_exp <= now || (row.expires_at != 0 && row.expires_at <= now)) {
    return Status::Unauthenticated("the token has been revoked or has expired");
  }
  const domain::AccountId account_id = row.account_id;
  GH_ASSIGN_OR_RETURN(auto policy, policies_->Get(account_id));
  if (!policy->IsActive(row.user_id)) {
    return Status::Unauthenticated("the token's user is deactivated");
  }
  GH_ASSIGN_OR_RETURN(std::shared_ptr<const AccountSecurity> security, Security(account_id));
  const auth::IpAddress address = ClientAddress(*security, c.client);
  std::string ip = address.ToString();
  if (CheckWhitelist(*security, address, /*api=*/true) != WhitelistVerdict::kAllowed) {
    json request = {{"request", {{"token_id", row.id}, {"ip", ip}}}};
    GH_RETURN_IF_ERROR(EnforceWhitelist(account_id, *security, address, /*api=*/true, row.user_id,
                                        "user", Dump(json::array({request})), error));
  }
  if (auth::ShouldTouchSession(row.last_used_at, now)) {
    Status touched = store_->Write(
        account_id, [&](storage::AccountWriter& w) { return w.TouchApiToken(row.id, now); });
    if (!touched.ok() && touched.code() != Code::kNotFound) return touched;
    auto touched_token = std::make_shared<VerifiedToken>(*token);
    touched_token->row.last_used_at = now;
    RememberToken(hash, std::move(touched_token));
  }
  Caller caller{.account_id = account_id,
                .user_id = row.user_id,
                .actor_id = row.user_id,
                .via = row.kind == "oauth_access" ? Via::kOAuth : Via::kToken,
                .client_ip = std::move(ip),
                .token_id = row.id,
                .policy = std::move(policy)};
  if (c.context_user_id) {
    GH_ASSIGN_OR_RETURN(caller, ApplyContextUser(std::move(caller), *c.context_user_id));
  }
  return Authenticated{std::move(caller), FromTrustedProxy(*security, c.client), false};
}

Result<Caller> AuthService::ApplyContextUser(Caller caller, std::string_view header) {
  if (!caller.is_admin()) {
    return Status::Denied("X-Context-User-ID is accepted only with an administrator's token");
  }
  domain::UserId target = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), target);
  if (ec != std::errc() || end != header.data() + header.size() || target <= 0) {
    return Status::Unauthenticated("X-Context-User-ID is not a user id");
  }
  if (!caller.policy->IsActivePaid(target)) {
    // Kommo: a non-existent or free user in this header makes authorization fail.
    return Status::Unauthenticated("X-Context-User-ID names no active paid user of this account");
  }
  caller.user_id = target;
  return caller;
}

}  // namespace gatehouse::service
