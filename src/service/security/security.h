// Account security use cases (SPEC §3): password change and reset, two-step verification,
// sessions, the IP whitelist and the security policy. The use cases are methods of
// SecurityService (security_service.h); this header holds their types and shared rules.
//
// Rules:
//   - Self-service operations (password, own 2FA, own sessions) act on caller.user_id and are
//     refused (kPermissionDenied) while acting as another user (X-Context-User-ID).
//   - Administrator-only operations accept an active administrator, or the system caller
//     (Via::kSystem: the CLI) — kPermissionDenied otherwise.
//   - A password change ends every other session of the user and revokes the user's API tokens
//     and refresh tokens; a password reset, a 2FA reset and deactivation end every session.
//   - Enabling 2FA ends every other session (Kommo); a code is accepted once (replay guard);
//     recovery codes are ten, shown once, stored hashed, each usable once.
//   - The whitelist's lock-out guard: an enforcing whitelist must admit the requesting
//     administrator's own address, else kInvalidArgument naming that address.
//   - Every change is written to the activity log in its own transaction (password_changed,
//     password_reset, two_factor_enabled, two_factor_disabled, two_factor_reset,
//     recovery_codes_regenerated, session_ended, sessions_ended, ip_whitelist_changed,
//     security_policy_changed).
// Thread-safety: every function is thread-safe. Functions that hash or verify passwords take
// ~60 ms: call them off the I/O threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password.h"
#include "base/clock.h"
#include "base/status.h"
#include "service/auth/auth.h"
#include "service/caller.h"
#include "service/security/security_settings.h"
#include "storage/store.h"

namespace gatehouse::service {

// ---- passwords (security_password.cc) ----

// ---- two-step verification (security_two_factor.cc) ----

struct TwoFactorState {
  bool enabled = false;
  bool pending = false;   // enrolled (secret issued) but not yet confirmed
  bool required = false;  // the workspace requires it
  int recovery_codes_left = 0;
};

struct TwoFactorEnrollment {
  std::string secret{};  // base32
  std::string otpauth_uri{};
  std::string qr_svg{};
};

// ---- sessions (security_sessions.cc) ----

struct SessionInfo {
  std::string id{};
  domain::UserId user_id = 0;
  std::string device{};
  std::string ip{};
  std::string location{};
  std::int64_t created_at = 0;
  std::int64_t last_activity_at = 0;
  bool current = false;
};

// ---- IP whitelist and policy (security_admin.cc), administrators only ----

struct PolicyView {
  SecurityPolicy policy{};
  std::int64_t seats = 0;
  std::int64_t seats_used = 0;  // active paid (non-free) users, what the seats limit
};

// Members absent from a PATCH stay as they are.
struct PolicyPatch {
  std::optional<bool> require_two_factor{};
  std::optional<std::int64_t> session_idle_minutes{};
  std::optional<std::int64_t> session_max_hours{};
  std::optional<std::int64_t> lockout_threshold{};
  std::optional<std::int64_t> lockout_minutes{};
  std::optional<std::int64_t> dormant_days{};
  std::optional<bool> four_eyes{};
  std::optional<std::int64_t> seats{};
  std::optional<std::vector<std::string>> trusted_proxies{};
};

// A patch as JSON text with the members it sets (what a pending approval stores), and back.
std::string SerializePolicyPatch(const PolicyPatch& patch);
base::Result<PolicyPatch> ParsePolicyPatch(std::string_view text);

// The same changes inside the caller's transaction, without the four-eyes gate: what the
// functions above do once the gate has let them through, and what approving applies.
base::Status ApplyIpWhitelist(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                              const IpWhitelist& whitelist);
base::Status ApplyPolicyPatch(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                              const PolicyPatch& patch, PolicyView* view);
// The lock-out guard: an enforcing whitelist must admit `caller`'s own address.
base::Status CheckLockOut(const IpWhitelist& whitelist, const Caller& caller);

// kPermissionDenied unless the caller is an active administrator or the system.
base::Status RequireAdminOrSystem(const Caller& caller);

}  // namespace gatehouse::service
