// Authentication: web login and sessions, bearer tokens (personal long-lived tokens and OAuth
// access tokens), OAuth 2.0 integrations, and per-request authentication of both
// (SPEC §3, API.md "Authentication", kommo-api-v4.md §2).
//
// Secrets: a session is a random 256-bit cookie token of which only the SHA-256 is stored; its
// CSRF token is derived from it (see CsrfTokenFor), so nothing more is stored. Bearer tokens are
// HS256 JWTs signed by the installation's key ring (auth_keys.h); the store keeps SHA-256 of the
// whole JWT, so a token is usable only while its row exists, is not revoked and has not expired,
// and only while its owner is an active user. OAuth codes, refresh tokens and client secrets
// are random tokens stored hashed.
//
// Failures are values: kUnauthenticated (401), kPermissionDenied (403), kResourceExhausted
// (429, lockout), kInvalidArgument (400, field errors), kNotFound (404). An AuthError out
// parameter carries what the HTTP answer needs beyond the Status (a problem type suffix,
// Retry-After). The same Status is returned for an unknown email, a wrong password and a
// deactivated user, so responses never tell whether an email exists.
//
// Every security-relevant outcome is written to the activity log in the transaction of the
// change it records (login_succeeded, login_failed, logout, session_ended, token_created,
// token_revoked, integration_added, integration_deleted, oauth_code_issued, oauth_token_issued,
// oauth_grant_revoked, login_locked, login_unlocked, ip_whitelist_refused,
// ip_whitelist_would_refuse).
//
// Thread-safety: every method is thread-safe. Login and password changes run Argon2id (~60 ms,
// 64 MiB): call them off the I/O threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/geoip.h"
#include "auth/ip.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/throttle.h"
#include "base/clock.h"
#include "base/status.h"
#include "service/auth/auth_keys.h"
#include "service/caller.h"
#include "service/events.h"
#include "service/policy_cache.h"
#include "service/security/security_settings.h"
#include "storage/store.h"

namespace gatehouse::service {

inline constexpr std::int64_t kOAuthCodeSeconds = 20 * 60;
inline constexpr std::int64_t kOAuthAccessSeconds = 86400;
inline constexpr std::int64_t kOAuthRefreshSeconds = 90 * 86400;
inline constexpr std::int64_t kPersonalTokenMinSeconds = 86400;
inline constexpr std::int64_t kPersonalTokenMaxSeconds = (5 * 365 + 1) * 86400;
// A client computing "now + 1 day" on a slightly different clock is not refused.
inline constexpr std::int64_t kTokenExpirySlackSeconds = 300;
inline constexpr std::size_t kMaxTokenNameBytes = 200;
inline constexpr std::size_t kMaxEmailBytes = 254;

// Problem type suffixes (type ".../401/two-factor-required", ...).
inline constexpr std::string_view kTwoFactorRequired = "two-factor-required";
inline constexpr std::string_view kTwoFactorInvalid = "two-factor-invalid";
inline constexpr std::string_view kTwoFactorEnrollmentRequired = "two-factor-enrollment-required";
inline constexpr std::string_view kIpNotAllowed = "ip-not-allowed";
inline constexpr std::string_view kCsrfFailed = "csrf-token-invalid";

// What the HTTP layer tells about the client of a request.
struct ClientInfo {
  std::string peer{};             // socket peer address
  std::string forwarded_for{};    // X-Forwarded-For as sent (trusted only from trusted proxies)
  std::string forwarded_proto{};  // X-Forwarded-Proto as sent
  std::string user_agent{};
  std::string host{};  // the server's host[:port] (never the Host header): tokens' api_domain
};

// Detail of a failure for the HTTP answer.
struct AuthError {
  std::string type_suffix{};     // e.g. kTwoFactorRequired; empty: the plain status type
  std::int64_t retry_after = 0;  // seconds, with kResourceExhausted
  std::string hint{};            // OAuth errors: the RFC 6749 error code ("invalid_grant")
  // Why, for the server log only, never for the client: e.g. "wrong_password user=7 ip=..."
  // (failed logins). Holds no password, code or token.
  std::string cause{};
};

struct LoginInput {
  std::string subdomain{};  // optional when the server holds one account
  std::string email{};
  std::string password{};
  std::string code{};  // TOTP or recovery code, when the user has 2FA
  ClientInfo client{};
};

struct LoginResult {
  std::string session_token{};  // the cookie value; shown once
  std::string csrf_token{};
  std::string session_id{};
  domain::AccountId account_id = 0;
  domain::UserId user_id = 0;
  bool must_enroll_two_factor = false;
  bool secure = false;  // the request came over HTTPS through a trusted proxy
  std::int64_t max_age_seconds = 0;
};

// The credentials of one request.
struct Credentials {
  std::string bearer{};         // the token after "Bearer ", or empty
  std::string session_token{};  // the session cookie's value, or empty
  std::string csrf_token{};     // X-CSRF-Token (or the form's csrf_token), or empty
  bool changes_state = false;   // POST/PUT/PATCH/DELETE
  std::optional<std::string> context_user_id{};  // X-Context-User-ID as sent
  ClientInfo client{};
};

struct Authenticated {
  Caller caller{};
  // The socket peer is one of the account's trusted proxies, so its X-Forwarded-* headers
  // may be believed (the HTTP layer builds links from X-Forwarded-Proto/Host then).
  bool from_trusted_proxy = false;
  // Workspace requires 2FA and the user has none: only enrolment (and logout) may proceed.
  bool must_enroll_two_factor = false;
};

struct TokenInfo {
  std::int64_t id = 0;
  domain::UserId user_id = 0;
  std::string name{};
  std::string kind{};  // "long_lived" or "oauth_access"
  std::int64_t integration_id = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t last_used_at = 0;
};

struct NewToken {
  TokenInfo info{};
  std::string token{};  // the JWT; shown once
};

struct NewIntegration {
  std::int64_t id = 0;
  std::string name{};
  std::string redirect_uri{};
  std::string client_id{};
  std::string client_secret{};  // shown once
};

// An integration as its administrators see it; never its secret (only a hash is stored).
struct IntegrationInfo {
  std::int64_t id = 0;
  std::string name{};
  std::string client_id{};
  std::string redirect_uri{};
  domain::UserId created_by = 0;
  std::int64_t created_at = 0;
  std::int64_t active_tokens = 0;  // access tokens issued through it, neither revoked nor expired
};

struct OAuthTokenRequest {
  std::string grant_type{};  // "authorization_code" or "refresh_token"
  std::string client_id{};
  std::string client_secret{};
  std::string code{};
  std::string refresh_token{};
  std::string redirect_uri{};
  ClientInfo client{};
};

struct OAuthTokens {
  std::string access_token{};
  std::string refresh_token{};
  std::int64_t expires_in = kOAuthAccessSeconds;
  std::int64_t server_time = 0;
};

// The consent page's view of an integration.
struct OAuthConsent {
  std::string integration_name{};
  std::string redirect_uri{};
};

struct AuthOptions {
  auth::CommonPasswords common_passwords{};
  std::unique_ptr<auth::GeoIp> geoip{};  // null: every location is "unknown"
};

class AuthService {
 public:
  // Loads (or creates) the signing keys. Not owned: store, policies and clock outlive it.
  static base::Result<std::unique_ptr<AuthService>> Create(storage::Store* store,
                                                           PolicyCache* policies,
                                                           const base::Clock* clock,
                                                           AuthOptions options);
  ~AuthService();

  // ---- web login and sessions (auth_login.cc) ----
  base::Result<LoginResult> Login(const LoginInput& input, AuthError* error);
  // Ends the caller's session (kSession only; else kInvalidArgument).
  base::Status Logout(const Caller& caller);
  // The CSRF token of a session cookie value.
  static std::string CsrfTokenFor(std::string_view session_token);

  // ---- per-request authentication (auth_authenticate.cc) ----
  base::Result<Authenticated> Authenticate(const Credentials& credentials, AuthError* error);

  // ---- personal tokens (auth_tokens.cc) ----
  base::Result<NewToken> CreatePersonalToken(const Caller& caller, std::string_view name,
                                             std::int64_t expires_at, std::string_view host);
  // The caller's live tokens (neither revoked nor expired at the clock's now), personal ones
  // and integrations' access tokens, by id; administrators with `all`: everyone's.
  base::Result<std::vector<TokenInfo>> ListTokens(const Caller& caller, bool all);
  // Own tokens, or any token of the account for administrators; kNotFound otherwise.
  base::Status RevokeToken(const Caller& caller, std::int64_t token_id);

  // ---- OAuth 2.0 (auth_oauth.cc) ----
  base::Result<NewIntegration> CreateIntegration(const Caller& caller, std::string_view name,
                                                 std::string_view redirect_uri);
  // The account's integrations by id (administrators only, else kPermissionDenied), with their
  // live access tokens counted now (auth_integrations.cc).
  base::Result<std::vector<IntegrationInfo>> ListIntegrations(const Caller& caller);
  // One of them; kNotFound when missing or of another account.
  base::Result<IntegrationInfo> GetIntegration(const Caller& caller, std::int64_t id);
  // Deletes an integration and, in the same transaction, revokes everything issued through it
  // (access tokens, refresh tokens, unused codes), logged as integration_deleted. Its client_id
  // is unknown from then on, and its tokens stop working on every server once the security
  // state change reaches it (PolicyCache::generation). Administrators only; kNotFound as above.
  base::Status DeleteIntegration(const Caller& caller, std::int64_t id);
  // The integration for the consent page (kNotFound unless it belongs to the caller's account).
  base::Result<OAuthConsent> Consent(const Caller& caller, std::string_view client_id);
  // The user allowed: a single-use code valid kOAuthCodeSeconds. Session callers only.
  base::Result<std::string> IssueCode(const Caller& caller, std::string_view client_id);
  base::Result<OAuthTokens> ExchangeToken(const OAuthTokenRequest& request, AuthError* error);
  // Kommo's GET /oauth2/account/current/subdomain: the account a live refresh token belongs to
  // (kNotFound for an unknown, used, revoked or expired one). The token stays usable.
  base::Result<storage::AccountRow> AccountOfRefreshToken(std::string_view refresh_token);

  // ---- shared pieces (auth.cc), also used by the security services ----
  storage::Store& store() { return *store_; }
  PolicyCache& policies() { return *policies_; }
  const base::Clock& clock() const { return *clock_; }
  JwtKeyRing& keys() { return *keys_; }
  const auth::CommonPasswords& common_passwords() const { return options_.common_passwords; }
  const auth::GeoIp& geoip() const { return *options_.geoip; }

  // The account's settings (cached briefly; see InvalidateSecurity).
  base::Result<std::shared_ptr<const AccountSecurity>> Security(domain::AccountId account_id);
  // Drops the cached settings of `account_id` (after a change to them).
  void InvalidateSecurity(domain::AccountId account_id);
  // The client address of `client` under the account's trusted proxies.
  static auth::IpAddress ClientAddress(const AccountSecurity& security, const ClientInfo& client);
  // True when the client's socket peer is one of the account's trusted proxies.
  static bool FromTrustedProxy(const AccountSecurity& security, const ClientInfo& client);
  // The login throttle's limits under an account's policy (lockout_threshold, lockout_minutes).
  static auth::ThrottleOptions ThrottleOptionsFor(const SecurityPolicy& policy);
  // The login_throttle row keys of the two throttle keys of an attempt.
  static std::string ThrottleRowKey(auth::ThrottleKeyKind kind, std::string_view key);

  // A session-less caller for activity-log entries of `user_id` (0: anonymous).
  static Caller EventCaller(domain::AccountId account_id, domain::UserId user_id,
                            std::string client_ip);

 private:
  AuthService(storage::Store* store, PolicyCache* policies, const base::Clock* clock,
              AuthOptions options);

  base::Result<storage::AccountRow> ResolveAccount(std::string_view subdomain);
  base::Result<Authenticated> AuthenticateSession(const Credentials& credentials, AuthError* error);
  base::Result<Authenticated> AuthenticateBearer(const Credentials& credentials, AuthError* error);
  base::Result<Caller> ApplyContextUser(Caller caller, std::string_view header);
  // The IP whitelist's verdict on `address` (api: a bearer-token request): a refusal or a
  // report-only "would refuse" is logged (value_after `event_json`, entity `entity_type`), and
  // a refusal returns kPermissionDenied with type kIpNotAllowed.
  base::Status EnforceWhitelist(domain::AccountId account_id, const AccountSecurity& security,
                                const auth::IpAddress& address, bool api, domain::UserId user_id,
                                std::string_view entity_type, std::string event_json,
                                AuthError* error);
  // One login attempt past the account lookup: what the steps of Login share.
  struct LoginAttempt {
    const storage::AccountRow& account;
    const AccountSecurity& security;
    std::int64_t now;
    auth::IpAddress ip{};
    std::string ip_text{};
    std::string email{};      // trimmed
    std::string email_key{};  // the throttle's account+email key
    std::string where{};      // " account=<id> ip=<ip>" for the log's cause
  };
  // The user whose email and password `in` holds, active, with a second factor when it needs
  // one; otherwise the 401 to answer (a wrong password or inactive user counted by FailLogin).
  base::Result<storage::UserRow> CheckCredentials(const LoginAttempt& attempt, const LoginInput& in,
                                                  AuthError* error);
  // Inside the login transaction: checks the second factor (*bad_code when it fails), creates
  // the session of `result` and logs login_succeeded.
  base::Status OpenSession(storage::AccountWriter& w, const LoginAttempt& attempt,
                           const LoginInput& in, LoginResult& result, bool* bad_code);
  // Deletes a session that expired or whose user is inactive (`reason`), logging
  // session_ended; one ended concurrently is no error.
  base::Status EndSession(const storage::SessionRow& session, std::string_view reason,
                          const std::string& ip, std::int64_t now);
  // Records a failed login (throttle + activity log) and returns the 401 to answer.
  base::Status FailLogin(const storage::AccountRow& account, const AccountSecurity& security,
                         std::string_view email, domain::UserId user_id, const std::string& ip,
                         std::string_view reason, AuthError* error);
  // Appends the throttle's lock started/ended events through `w`.
  static base::Status RecordThrottleEvents(storage::AccountWriter& w, domain::AccountId account_id,
                                           const std::string& ip, std::int64_t now,
                                           const std::vector<auth::ThrottleEvent>& events);
  // The throttle's verdict on an attempt at `now` from the stored state of its two keys. A lock
  // that ran out is ended in one transaction (rows cleared, login_unlocked logged once, even
  // when several servers see it at the same moment).
  base::Result<auth::ThrottleDecision> CheckThrottle(domain::AccountId account_id,
                                                     const auth::ThrottleOptions& options,
                                                     const std::string& email_key,
                                                     const std::string& ip, std::int64_t now);
  // Inside a failed attempt's transaction: counts the failure on both keys' rows (locked, see
  // AccountWriter::LockThrottle), deletes stale rows now and then; the decision's events are the
  // caller's to log.
  base::Result<auth::ThrottleDecision> CountThrottleFailure(
      storage::AccountWriter& w, domain::AccountId account_id, const auth::ThrottleOptions& options,
      const std::string& email_key, const std::string& ip, std::int64_t now);
  base::Result<OAuthTokens> IssueOAuthTokens(storage::AccountWriter& w, domain::AccountId account,
                                             const storage::OAuthIntegrationRow& integration,
                                             domain::UserId user_id, const ClientInfo& client,
                                             std::string_view event_type,
                                             std::string_view grant_id);

  storage::Store* store_;
  PolicyCache* policies_;
  const base::Clock* clock_;
  AuthOptions options_;
  std::unique_ptr<JwtKeyRing> keys_;
  std::string dummy_hash_;  // verified against for unknown emails (same timing)

  struct CachedSecurity {
    std::shared_ptr<const AccountSecurity> security{};
    std::int64_t loaded_at = 0;
  };
  std::shared_mutex security_mu_;
  std::unordered_map<domain::AccountId, CachedSecurity> security_cache_;

  // Bearer tokens that passed every check against the store, by TokenHash. An entry answers
  // only while PolicyCache::generation() is the one it was read at, so a revocation (here or,
  // after the next poll, in another process) is seen by the very next request; expiry and the
  // user's active state are checked on every use. Only verified tokens enter, so the map is
  // bounded by the tokens in use; it is cleared when it reaches kMaxCachedTokens.
  struct VerifiedToken {
    storage::ApiTokenRow row{};
    std::int64_t claims_exp = 0;
    std::uint64_t generation = 0;
  };
  static constexpr std::size_t kMaxCachedTokens = 100'000;
  std::shared_ptr<const VerifiedToken> CachedToken(const std::string& hash,
                                                   std::uint64_t generation);
  void RememberToken(const std::string& hash, std::shared_ptr<const VerifiedToken> token);
  // Checks a bearer token not in the cache (signature, expiry, stored row) and caches it.
  base::Result<std::shared_ptr<const VerifiedToken>> VerifyToken(const std::string& bearer,
                                                                 const std::string& hash,
                                                                 std::uint64_t generation,
                                                                 std::int64_t now);
  std::shared_mutex tokens_mu_;
  std::unordered_map<std::string, std::shared_ptr<const VerifiedToken>> tokens_;

  // The login throttle's state lives in the database (login_throttle), shared by every server;
  // this only remembers when this process last deleted an account's stale rows.
  static constexpr std::int64_t kThrottleSweepSeconds = 60;
  std::mutex throttle_mu_;
  std::unordered_map<domain::AccountId, std::int64_t> throttle_swept_at_;
};

}  // namespace gatehouse::service
