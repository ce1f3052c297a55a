// Account security use cases (SPEC §3): password change and reset, two-step verification,
// sessions, the IP whitelist and the security policy.
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
#include "service/auth.h"
#include "service/caller.h"
#include "service/security_settings.h"
#include "storage/store.h"

namespace gatehouse::service {

// ---- passwords (security_password.cc) ----

// Checks `current`, applies the password policy to `next` (errors at "new_password"), stores
// it, ends the user's other sessions and revokes the user's tokens. Web sessions only.
base::Status ChangePassword(AuthService& auth, const Caller& caller, std::string_view current,
                            std::string_view next);

// Administrator or system (CLI `user reset-password`): sets `user_id`'s password (policy
// checked, errors at "password"), ends every session and revokes every token of the user.
base::Status ResetPassword(storage::Store& store, const base::Clock& clock, const Caller& caller,
                           domain::UserId user_id, std::string_view password,
                           const auth::CommonPasswords& common);

// ---- two-step verification (security_two_factor.cc) ----

struct TwoFactorState {
  bool enabled = false;
  bool pending = false;   // enrolled (secret issued) but not yet confirmed
  bool required = false;  // the workspace requires it
  int recovery_codes_left = 0;
};

struct TwoFactorEnrollment {
  std::string secret;  // base32
  std::string otpauth_uri;
  std::string qr_svg;
};

base::Result<TwoFactorState> GetTwoFactor(AuthService& auth, const Caller& caller);
// A new pending secret (replacing any earlier pending one). kConflict when already enabled.
base::Result<TwoFactorEnrollment> EnrollTwoFactor(AuthService& auth, const Caller& caller);
// Confirms the pending secret with a code; returns the ten recovery codes (shown once).
// kFailedPrecondition without a pending secret; kInvalidArgument ("code") for a wrong code.
base::Result<std::vector<std::string>> ConfirmTwoFactor(AuthService& auth, const Caller& caller,
                                                        std::string_view code);
// Turns 2FA off after a current TOTP or recovery code. kFailedPrecondition when not enabled or
// when the workspace requires 2FA; kInvalidArgument ("code") for a wrong code.
base::Status DisableTwoFactor(AuthService& auth, const Caller& caller, std::string_view code);
// Replaces the user's recovery codes with ten new ones (returned, shown once) after a current
// TOTP code (which then counts as used) or one of the old recovery codes. The old codes stop
// working in the same transaction. kFailedPrecondition when 2FA is not on; kInvalidArgument
// ("code") for a missing or wrong code.
base::Result<std::vector<std::string>> RegenerateRecoveryCodes(AuthService& auth,
                                                               const Caller& caller,
                                                               std::string_view code);
// Administrator or system (CLI `user reset-2fa`): clears `user_id`'s 2FA and ends every
// session of that user. kNotFound for a user of another account.
base::Status ResetTwoFactor(storage::Store& store, const base::Clock& clock, const Caller& caller,
                            domain::UserId user_id);

// ---- sessions (security_sessions.cc) ----

struct SessionInfo {
  std::string id;
  domain::UserId user_id = 0;
  std::string device;
  std::string ip;
  std::string location;
  std::int64_t created_at = 0;
  std::int64_t last_activity_at = 0;
  bool current = false;
};

// Own sessions; administrators may ask for `user_id`'s (non-zero) or, with `all`, everyone's.
base::Result<std::vector<SessionInfo>> ListSessions(AuthService& auth, const Caller& caller,
                                                    domain::UserId user_id, bool all);
// Ends one session: own, or anyone's for administrators (kNotFound otherwise).
base::Status EndSession(AuthService& auth, const Caller& caller, std::string_view session_id);
// scope "others" (the caller's other sessions), "user" (every session of `user_id`,
// administrators) or "account" (every session of the workspace, administrators); the caller's
// current session is kept. Returns how many ended.
base::Result<std::int64_t> EndSessions(AuthService& auth, const Caller& caller,
                                       std::string_view scope, domain::UserId user_id);
// Administrator or system (CLI `user end-sessions`): ends every session of `user_id`.
base::Result<std::int64_t> EndUserSessions(storage::Store& store, const base::Clock& clock,
                                           const Caller& caller, domain::UserId user_id);

// ---- IP whitelist and policy (security_admin.cc), administrators only ----

base::Result<IpWhitelist> GetIpWhitelist(AuthService& auth, const Caller& caller);
// Validates (ValidateIpWhitelist), applies the lock-out guard and saves. While the policy's
// four_eyes is on, nothing is applied: the whitelist is stored as a pending approval request
// (four_eyes.h) whose id goes to `*pending_approval`, and the current whitelist is returned;
// without `pending_approval` that is kFailedPrecondition instead.
base::Result<IpWhitelist> PutIpWhitelist(AuthService& auth, const Caller& caller,
                                         IpWhitelist whitelist,
                                         std::int64_t* pending_approval = nullptr);

struct PolicyView {
  SecurityPolicy policy;
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

base::Result<PolicyView> GetSecurityPolicy(AuthService& auth, const Caller& caller);
// Validates every member (field errors at the member names; seats must be 1..100000 and not
// below the active paid users; four_eyes needs two active administrators to be turned on) and
// saves; seats go to the account row. While four_eyes is on, every change (turning it off
// too) waits for approval as PutIpWhitelist's does, and the current policy is returned.
base::Result<PolicyView> PatchSecurityPolicy(AuthService& auth, const Caller& caller,
                                             const PolicyPatch& patch,
                                             std::int64_t* pending_approval = nullptr);

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
// kPermissionDenied while acting as another user.
base::Status RequireSelf(const Caller& caller);

}  // namespace gatehouse::service
