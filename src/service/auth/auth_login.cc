// Web login and logout.
//
// Order of checks in Login, and why:
//   1. the account (an unknown subdomain answers like a wrong password, after the same work);
//   2. the IP whitelist (before any secret is checked, so a refused address learns nothing);
//   3. the throttle (a locked key is refused before the password is checked, not counted);
//   4. email + password with Argon2id, against a dummy hash when the email is unknown, so time
//      and answer are the same for unknown emails, wrong passwords and deactivated users;
//   5. the second factor, inside the transaction that creates the session, so the replay guard
//      (last used step, consumed recovery codes) commits together with the login.
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "auth/recovery_codes.h"
#include "auth/second_factor.h"
#include "auth/session.h"
#include "auth/tokens.h"
#include "auth/totp.h"
#include "auth/user_agent.h"
#include "base/text.h"
#include "service/auth/auth.h"
#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::string_view kBadCredentials = "wrong email or password";
constexpr std::size_t kMaxStoredUserAgent = 512;

// Checks `code` against the user's TOTP secret (with the replay guard) or recovery codes and,
// when it matches, stores the new guard state through `w`. Sets *matched.
Status UseSecondFactor(storage::AccountWriter& w, const storage::UserRow& user,
                       std::string_view raw_code, std::int64_t now, bool* matched,
                       bool* used_recovery) {
  const std::optional<auth::SecondFactorMatch> match = auth::MatchSecondFactor(
      raw_code, user.totp_secret, user.totp_last_step, user.recovery_code_hashes, now);
  *matched = match.has_value();
  if (!match) return Status::Ok();
  if (match->kind == auth::SecondFactorMatch::Kind::kTotp) {
    return w.SetTwoFactor(user.user.id, user.totp_secret, true, match->totp_step,
                          user.recovery_code_hashes);
  }
  std::vector<std::string> remaining = user.recovery_code_hashes;
  remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(match->recovery_index));
  *used_recovery = true;
  return w.SetTwoFactor(user.user.id, user.totp_secret, true, user.totp_last_step, remaining);
}

// The row of a new session for `result` (token, user, lifetime), created at `now`.
storage::SessionRow NewSessionRow(const LoginResult& result, std::string_view user_agent,
                                  const std::string& ip, std::int64_t now) {
  return storage::SessionRow{.id = auth::NewRandomId(),
                             .token_hash = auth::TokenHash(result.session_token),
                             .user_id = result.user_id,
                             .ip = ip,
                             .user_agent = std::string(user_agent.substr(0, kMaxStoredUserAgent)),
                             .created_at = now,
                             .last_seen_at = now,
                             .expires_at = now + result.max_age_seconds};
}

// The throttle keys of a login attempt with their kinds: always account+email first, then IP,
// the order in which every transaction locks their rows.
using ThrottleKeys = std::array<std::pair<auth::ThrottleKeyKind, const std::string*>, 2>;
ThrottleKeys KeysOfAttempt(const std::string& email_key, const std::string& ip) {
  return {{{auth::ThrottleKeyKind::kAccountEmail, &email_key}, {auth::ThrottleKeyKind::kIp, &ip}}};
}

}  // namespace

std::string AuthService::CsrfTokenFor(std::string_view session_token) {
  // SHA-256 of the secret session token under a fixed label: only the holder of the cookie (or
  // the page the login answered) can know it, and it differs from the stored token hash.
  return auth::TokenHash("gatehouse-csrf-v1:" + std::string(session_token));
}

Status AuthService::RecordThrottleEvents(storage::AccountWriter& w, domain::AccountId account_id,
                                         const std::string& ip, std::int64_t now,
                                         const std::vector<auth::ThrottleEvent>& events) {
  for (const auth::ThrottleEvent& e : events) {
    const bool started = e.type == auth::ThrottleEvent::Type::kLockStarted;
    json after = {{"lock",
                   {{"key_kind", auth::ThrottleKeyKindName(e.kind)},
                    {"key", e.key},
                    {"locked_until", e.locked_until}}}};
    GH_RETURN_IF_ERROR(RecordEvent(w, EventCaller(account_id, 0, ip), now,
                                   {started ? "login_locked" : "login_unlocked", "login", 0, "[]",
                                    Dump(json::array({after}))}));
  }
  return Status::Ok();
}

Result<auth::ThrottleDecision> AuthService::CheckThrottle(domain::AccountId account_id,
                                                          const auth::ThrottleOptions& options,
                                                          const std::string& email_key,
                                                          const std::string& ip, std::int64_t now) {
  const ThrottleKeys keys = KeysOfAttempt(email_key, ip);
  // Usually a read: most attempts meet no lock that just ran out.
  auth::ThrottleDecision decision;
  for (const auto& [kind, key] : keys) {
    GH_ASSIGN_OR_RETURN(std::optional<storage::ThrottleRow> row,
                        store_->Reader(account_id).GetThrottle(ThrottleRowKey(kind, *key)));
    if (!row) continue;
    auth::CheckThrottleEntry(options, kind, *key,
                             {row->failures, row->window_start, row->locked_until}, now, decision);
  }
  if (decision.events.empty()) return decision;
  // A lock ran out: decide again on the locked rows, so one server ends it and logs it once.
  GH_RETURN_IF_ERROR(store_->Write(account_id, [&](storage::AccountWriter& w) -> Status {
    decision = auth::ThrottleDecision{};
    for (const auto& [kind, key] : keys) {
      const std::string row_key = ThrottleRowKey(kind, *key);
      GH_ASSIGN_OR_RETURN(storage::ThrottleRow row, w.LockThrottle(row_key));
      const auth::ThrottleEntry entry{row.failures, row.window_start, row.locked_until};
      if (entry == auth::ThrottleEntry{} ||
          !auth::CheckThrottleEntry(options, kind, *key, entry, now, decision)) {
        GH_RETURN_IF_ERROR(w.ClearThrottle(row_key));
      }
    }
    return RecordThrottleEvents(w, account_id, ip, now, decision.events);
  }));
  return decision;
}

Result<auth::ThrottleDecision> AuthService::CountThrottleFailure(
    storage::AccountWriter& w, domain::AccountId account_id, const auth::ThrottleOptions& options,
    const std::string& email_key, const std::string& ip, std::int64_t now) {
  auth::ThrottleDecision decision;
  const ThrottleKeys keys = KeysOfAttempt(email_key, ip);
  for (const auto& [kind, key] : keys) {
    const std::string row_key = ThrottleRowKey(kind, *key);
    GH_ASSIGN_OR_RETURN(storage::ThrottleRow row, w.LockThrottle(row_key));
    const auth::ThrottleEntry entry = auth::FailThrottleEntry(
        options, kind, *key, {row.failures, row.window_start, row.locked_until}, now, decision);
    GH_RETURN_IF_ERROR(
        w.PutThrottle({row_key, entry.failures, entry.last_failure, entry.locked_until}));
  }
  // Keeps the table bounded: now and then, rows out of the window and locks that ended a window
  // ago go (a lock nobody tried after its end is then never reported as ended). After this
  // attempt's own keys, and without waiting for rows others hold (see DeleteStaleThrottles).
  bool sweep = false;
  {
    std::lock_guard lock(throttle_mu_);
    std::int64_t& swept_at = throttle_swept_at_[account_id];
    if (now - swept_at >= kThrottleSweepSeconds) {
      swept_at = now;
      sweep = true;
    }
  }
  if (sweep) GH_RETURN_IF_ERROR(w.DeleteStaleThrottles(now - options.window_seconds).status());
  return decision;
}

Status AuthService::FailLogin(const storage::AccountRow& account, const AccountSecurity& security,
                              std::string_view email, domain::UserId user_id, const std::string& ip,
                              std::string_view reason, AuthError* error) {
  const std::int64_t now = clock_->NowSeconds();
  const std::string key =
      std::to_string(account.id) + ":" + base::AsciiLower(base::Trim(email, base::kWhitespace));
  json after = {{"login", {{"email", base::Trim(email, base::kWhitespace)}, {"reason", reason}}}};
  // One transaction: the failure counts on every server exactly when it is logged. The throttle
  // rows are locked before the activity log's account row, as in every other transaction.
  GH_RETURN_IF_ERROR(store_->Write(account.id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(
        auth::ThrottleDecision decision,
        CountThrottleFailure(w, account.id, ThrottleOptionsFor(security.policy), key, ip, now));
    GH_RETURN_IF_ERROR(
        RecordEvent(w, EventCaller(account.id, 0, ip), now,
                    {"login_failed", "user", user_id, "[]", Dump(json::array({after}))}));
    return RecordThrottleEvents(w, account.id, ip, now, decision.events);
  }));
  if (reason == "two_factor_invalid") {
    error->type_suffix = std::string(kTwoFactorInvalid);
    return Status::Unauthenticated("the two-factor code is wrong");
  }
  return Status::Unauthenticated(std::string(kBadCredentials));
}

namespace {

// Refuses an attempt without an email or password (kInvalidArgument) or with oversized ones
// (401, as a wrong password).
Status CheckLoginInput(const LoginInput& in, AuthError* error) {
  std::vector<base::FieldError> missing;
  if (base::Trim(in.email, base::kWhitespace).empty()) {
    missing.push_back({"email", "Required", "email is required"});
  }
  if (in.password.empty()) missing.push_back({"password", "Required", "password is required"});
  if (!missing.empty()) return Status::Invalid("email and password are required", missing);
  if (in.email.size() > kMaxEmailBytes || in.password.size() > auth::kMaxPasswordBytes) {
    error->cause = "oversized_credentials";
    return Status::Unauthenticated(std::string(kBadCredentials));
  }
  return Status::Ok();
}

// A new session's tokens and lifetime, before it is stored.
LoginResult NewLoginResult(domain::AccountId account_id, domain::UserId user_id,
                           const AccountSecurity& security) {
  LoginResult result{.session_token = auth::NewToken(),
                     .account_id = account_id,
                     .user_id = user_id,
                     .max_age_seconds = security.policy.session_max_hours * 3600};
  result.csrf_token = AuthService::CsrfTokenFor(result.session_token);
  return result;
}

// Whether the request came over HTTPS, as a trusted proxy says (the cookie's Secure flag).
bool CameOverHttps(const AccountSecurity& security, const ClientInfo& client) {
  Result<auth::IpAddress> peer = auth::ParseIpAddress(client.peer);
  return peer.ok() && auth::ContainsAny(security.trusted_proxy_ranges, *peer) &&
         base::AsciiLower(base::Trim(client.forwarded_proto, base::kWhitespace)) == "https";
}

// A login refused for too many failures: 429 with Retry-After; `where` says which account and IP.
Status TooManyFailures(const auth::ThrottleDecision& decision, const std::string& where,
                       AuthError* error) {
  error->retry_after = std::max<std::int64_t>(1, decision.retry_after_seconds);
  error->cause = "locked retry_after=" + std::to_string(error->retry_after) + where;
  return Status::Error(Code::kResourceExhausted, "too many failed login attempts; try again later");
}

}  // namespace

Result<storage::UserRow> AuthService::CheckCredentials(const LoginAttempt& attempt,
                                                       const LoginInput& in, AuthError* error) {
  Result<storage::UserRow> user = store_->Reader(attempt.account.id).FindUserByEmail(attempt.email);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  const bool known = user.ok() && !user->password_hash.empty();
  const bool password_ok =
      auth::VerifyPassword(known ? user->password_hash : dummy_hash_, in.password);
  const domain::UserId user_id = user.ok() ? user->user.id : 0;
  const std::string who = " user=" + std::to_string(user_id) + attempt.where;
  if (!known || !password_ok) {
    error->cause = (known ? "wrong_password" : "unknown_user") + who;
    return FailLogin(attempt.account, attempt.security, attempt.email, user_id, attempt.ip_text,
                     "wrong_credentials", error);
  }
  if (!user->user.is_active) {
    error->cause = "user_inactive" + who;
    return FailLogin(attempt.account, attempt.security, attempt.email, user_id, attempt.ip_text,
                     "user_inactive", error);
  }
  if (user->totp_enabled && base::Trim(in.code, base::kWhitespace).empty()) {
    error->cause = "two_factor_required" + who;
    error->type_suffix = std::string(kTwoFactorRequired);
    return Status::Unauthenticated("a two-factor code is required");
  }
  return user;
}

Status AuthService::OpenSession(storage::AccountWriter& w, const LoginAttempt& attempt,
                                const LoginInput& in, LoginResult& result, bool* bad_code) {
  const domain::UserId user_id = result.user_id;
  const std::int64_t now = attempt.now;
  // Success forgets the account+email key's failures (not the IP's). First, as every
  // transaction touches throttle rows before anything else it locks (no lock-order cycles).
  GH_RETURN_IF_ERROR(
      w.ClearThrottle(ThrottleRowKey(auth::ThrottleKeyKind::kAccountEmail, attempt.email_key)));
  // Re-read inside the transaction: the replay guard must see concurrent logins' updates.
  GH_ASSIGN_OR_RETURN(storage::UserRow current, w.GetUser(user_id));
  bool used_recovery = false;
  if (current.totp_enabled) {
    bool matched = false;
    GH_RETURN_IF_ERROR(UseSecondFactor(w, current, in.code, now, &matched, &used_recovery));
    if (!matched) {
      *bad_code = true;
      return Status::Unauthenticated("bad second factor");
    }
  }
  storage::SessionRow session = NewSessionRow(result, in.client.user_agent, attempt.ip_text, now);
  session.location = geoip().Country(attempt.ip);
  session.second_factor_done = current.totp_enabled;
  GH_RETURN_IF_ERROR(w.CreateSession(session));
  GH_RETURN_IF_ERROR(w.SetLastLogin(user_id, now));
  if (auth::NeedsRehash(current.password_hash)) {
    GH_ASSIGN_OR_RETURN(std::string rehashed, auth::HashPassword(in.password));
    GH_RETURN_IF_ERROR(w.SetPasswordHash(user_id, rehashed));
  }
  result.session_id = session.id;
  result.must_enroll_two_factor =
      attempt.security.policy.require_two_factor && !current.totp_enabled;
  json after = {{"session",
                 {{"id", session.id},
                  {"device", auth::ParseUserAgent(session.user_agent).Device()},
                  {"location", session.location},
                  {"second_factor",
                   current.totp_enabled ? (used_recovery ? "recovery_code" : "totp") : "none"}}}};
  return RecordEvent(w, EventCaller(attempt.account.id, user_id, attempt.ip_text), now,
                     {"login_succeeded", "user", user_id, "[]", Dump(json::array({after}))});
}

Result<LoginResult> AuthService::Login(const LoginInput& in, AuthError* error) {
  GH_RETURN_IF_ERROR(CheckLoginInput(in, error));
  Result<storage::AccountRow> account = ResolveAccount(in.subdomain);
  if (!account.ok()) {
    if (account.status().code() != Code::kNotFound) return account.status();
    (void)auth::VerifyPassword(dummy_hash_, in.password);
    error->cause = "unknown_account";
    return Status::Unauthenticated(std::string(kBadCredentials));
  }
  GH_ASSIGN_OR_RETURN(std::shared_ptr<const AccountSecurity> security, Security(account->id));
  const auth::IpAddress ip = ClientAddress(*security, in.client);
  const std::string email(base::Trim(in.email, base::kWhitespace));
  const LoginAttempt attempt{*account,
                             *security,
                             clock_->NowSeconds(),
                             ip,
                             ip.ToString(),
                             email,
                             std::to_string(account->id) + ":" + base::AsciiLower(email),
                             " account=" + std::to_string(account->id) + " ip=" + ip.ToString()};

  json tried = {{"login", {{"email", email}, {"ip", attempt.ip_text}}}};
  if (Status allowed = EnforceWhitelist(account->id, *security, ip, /*api=*/false, 0, "login",
                                        Dump(json::array({tried})), error);
      !allowed.ok()) {
    error->cause = "ip_not_allowed" + attempt.where;
    return allowed;
  }
  const auth::ThrottleOptions throttle = ThrottleOptionsFor(security->policy);
  GH_ASSIGN_OR_RETURN(
      auth::ThrottleDecision decision,
      CheckThrottle(account->id, throttle, attempt.email_key, attempt.ip_text, attempt.now));
  if (!decision.allowed) return TooManyFailures(decision, attempt.where, error);
  GH_ASSIGN_OR_RETURN(storage::UserRow user, CheckCredentials(attempt, in, error));

  LoginResult result = NewLoginResult(account->id, user.user.id, *security);
  bool bad_code = false;
  Status written = store_->Write(account->id, [&](storage::AccountWriter& w) {
    return OpenSession(w, attempt, in, result, &bad_code);
  });
  if (bad_code) {
    error->cause = "two_factor_invalid user=" + std::to_string(user.user.id) + attempt.where;
    return FailLogin(*account, *security, email, user.user.id, attempt.ip_text,
                     "two_factor_invalid", error);
  }
  GH_RETURN_IF_ERROR(written);
  result.secure = CameOverHttps(*security, in.client);
  return result;
}

Status AuthService::Logout(const Caller& caller) {
  if (caller.via != Via::kSession || caller.session_id.empty()) {
    return Status::Invalid("only a web session can log out; revoke a token instead");
  }
  const std::int64_t now = clock_->NowSeconds();
  return store_->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    Status deleted = w.DeleteSession(caller.session_id);
    if (!deleted.ok() && deleted.code() != Code::kNotFound) return deleted;
    json before = {{"session", {{"id", caller.session_id}}}};
    return RecordEvent(w, caller, now,
                       {"logout", "user", caller.actor_id, Dump(json::array({before})), "[]"});
  });
}

}  // namespace gatehouse::service
