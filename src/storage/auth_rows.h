// Rows of authentication: users with their credentials, sessions, API tokens, OAuth
// integrations, codes and refresh tokens, security settings and the login throttle.
//
// Plain values with no behaviour. Identifiers are the domain's integers; 0 means "none". Every
// member has an initializer ({} for the class-typed ones), so a row may be written with
// designated initializers that name only the fields that matter.
// Timestamps are unix seconds. JSON-shaped payloads travel as text and are parsed by the layer
// that renders them; these headers stay free of any JSON library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/account.h"
#include "storage/row_ids.h"

namespace gatehouse::storage {

// A user with everything the auth layer needs. `user` is the policy's view (rights, group,
// role link, flags); the rest is authentication state.
struct UserRow {
  domain::User user{};
  std::string password_hash{};  // Argon2id encoded string; empty: no password set
  std::string lang = "en";
  std::int64_t created_at = 0;
  std::int64_t last_login_at = 0;  // 0: never
  // When the user was last made active again after a deactivation; 0: never (the dormant-user
  // rule counts from the latest of this, the last login and, without a login, the creation).
  std::int64_t reactivated_at = 0;
  // Two-step verification (TOTP).
  std::string totp_secret{};  // base32; empty when not enrolled
  bool totp_enabled = false;
  std::int64_t totp_last_step = 0;                  // last accepted 30 s step (replay guard)
  std::vector<std::string> recovery_code_hashes{};  // unused codes only
  bool operator==(const UserRow&) const = default;
};

struct SessionRow {
  std::string id{};          // public identifier (not the token)
  std::string token_hash{};  // hash of the secret cookie token; the token itself is never stored
  AccountId account_id = 0;
  UserId user_id = 0;
  std::string ip{};
  std::string user_agent{};
  std::string location{};  // "unknown" when no geolocation database
  bool second_factor_done = false;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute lifetime
  bool operator==(const SessionRow&) const = default;
};

struct ApiTokenRow {
  std::int64_t id = 0;
  AccountId account_id = 0;
  UserId user_id = 0;
  std::string name{};
  std::string token_hash{};
  std::string kind = "long_lived";  // "long_lived", "oauth_access"
  std::int64_t integration_id = 0;  // for OAuth access tokens
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;  // 0: never
  std::int64_t last_used_at = 0;
  bool revoked = false;
  std::string grant_id{};  // OAuth: the hash of the authorization code it descends from
  bool operator==(const ApiTokenRow&) const = default;
};

// Which of an account's live API tokens AccountReader::ListLiveApiTokens reads.
struct LiveTokenFilter {
  UserId user_id = 0;          // 0: every user's
  bool personal_only = false;  // only personal tokens (kind "long_lived"): no integration's
};

struct OAuthIntegrationRow {
  std::int64_t id = 0;
  std::string client_id{};  // public, unique
  std::string client_secret_hash{};
  std::string name{};
  std::string redirect_uri{};
  UserId created_by = 0;
  std::int64_t created_at = 0;
  bool operator==(const OAuthIntegrationRow&) const = default;
};

// An integration as the account's administrators see it: the row, and how many access tokens
// issued through it are live (neither revoked nor expired) at the time it was read.
struct OAuthIntegrationUse {
  OAuthIntegrationRow integration{};
  std::int64_t active_tokens = 0;
  bool operator==(const OAuthIntegrationUse&) const = default;
};

struct OAuthCodeRow {
  std::string code_hash{};
  AccountId account_id = 0;
  std::int64_t integration_id = 0;
  UserId user_id = 0;
  std::string redirect_uri{};
  std::int64_t expires_at = 0;
  bool used = false;
  bool operator==(const OAuthCodeRow&) const = default;
};

struct OAuthRefreshRow {
  std::string token_hash{};
  AccountId account_id = 0;
  std::int64_t integration_id = 0;
  UserId user_id = 0;
  std::int64_t expires_at = 0;
  bool revoked = false;
  std::string grant_id{};  // the hash of the authorization code it descends from
  bool operator==(const OAuthRefreshRow&) const = default;
};

// Account security settings: the policy blob and the IP whitelist, as JSON text owned by auth/.
struct SecuritySettingsRow {
  std::string policy_json = "{}";
  std::string ip_whitelist_json = "[]";
  std::int64_t updated_at = 0;
  bool operator==(const SecuritySettingsRow&) const = default;
};

// Login throttle state of one key of an account ("account_email:<account>:<email>",
// "ip:<address>"; service::AuthService), shared by every server of the database.
struct ThrottleRow {
  std::string key{};
  std::int64_t failures = 0;
  std::int64_t window_start = 0;  // the latest failure: the window runs from here
  std::int64_t locked_until = 0;  // 0: not locked
  bool operator==(const ThrottleRow&) const = default;
};

}  // namespace gatehouse::storage
