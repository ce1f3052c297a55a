// SecurityService: the account-security family of use cases (passwords, two-step verification,
// sessions, the IP whitelist and the security policy, four-eyes approvals, the security report,
// logins per day, the impact preview, point-in-time replay, dormant users).
//
// A service family is one class holding its dependencies (not owned; they outlive it), built
// once where the API context is built (http/api RegisterAuthRoutes and RegisterAdminRoutes) or
// by a CLI command, with one method per use case taking the acting `const Caller&` first.
// Methods return Status or Result<T> and throw nothing; the rules they share are in
// service/security/security.h, the types in the subject headers included below. The
// dependencies: the store, policy cache and clock (AdminDeps), and the AuthService for the
// methods marked as needing it (the CLI, which has none, passes nullptr and calls only the
// others). Thread-safety: the methods are const and hold no state besides the dependencies
// (which are thread-safe); call them from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password.h"
#include "service/admin/admin.h"
#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"
#include "service/auth/auth.h"
#include "service/caller.h"
#include "service/security/dormant_users.h"
#include "service/security/four_eyes.h"
#include "service/security/impact.h"
#include "service/security/login_stats.h"
#include "service/security/replay.h"
#include "service/security/security.h"
#include "service/security/security_report.h"

namespace gatehouse::service {

class SecurityService {
 public:
  // `auth` may be null only where no method needing it is called.
  explicit SecurityService(AdminDeps deps, AuthService* auth = nullptr)
      : deps_(deps), auth_(auth) {}

  // ---- passwords, two-step verification, sessions, IP whitelist, policy (security.h;
  // security_password.cc, security_two_factor.cc, security_sessions.cc, security_admin.cc).
  // These need the AuthService. ----
  // Checks `current`, applies the password policy to `next` (errors at "new_password"), stores
  // it, ends the user's other sessions and revokes the user's tokens. Web sessions only.
  base::Status ChangePassword(const Caller& caller, std::string_view current,
                              std::string_view next) const;

  base::Result<TwoFactorState> GetTwoFactor(const Caller& caller) const;

  // A new pending secret (replacing any earlier pending one). kConflict when already enabled.
  base::Result<TwoFactorEnrollment> EnrollTwoFactor(const Caller& caller) const;

  // Confirms the pending secret with a code; returns the ten recovery codes (shown once).
  // kFailedPrecondition without a pending secret; kInvalidArgument ("code") for a wrong code.
  base::Result<std::vector<std::string>> ConfirmTwoFactor(const Caller& caller,
                                                          std::string_view code) const;

  // Turns 2FA off after a current TOTP or recovery code. kFailedPrecondition when not enabled or
  // when the workspace requires 2FA; kInvalidArgument ("code") for a wrong code.
  base::Status DisableTwoFactor(const Caller& caller, std::string_view code) const;

  // Replaces the user's recovery codes with ten new ones (returned, shown once) after a current
  // TOTP code (which then counts as used) or one of the old recovery codes. The old codes stop
  // working in the same transaction. kFailedPrecondition when 2FA is not on; kInvalidArgument
  // ("code") for a missing or wrong code.
  base::Result<std::vector<std::string>> RegenerateRecoveryCodes(const Caller& caller,
                                                                 std::string_view code) const;

  // Own sessions; administrators may ask for `user_id`'s (non-zero) or, with `all`, everyone's.
  base::Result<std::vector<SessionInfo>> ListSessions(const Caller& caller, domain::UserId user_id,
                                                      bool all) const;

  // Ends one session: own, or anyone's for administrators (kNotFound otherwise).
  base::Status EndSession(const Caller& caller, std::string_view session_id) const;

  // scope "others" (the caller's other sessions), "user" (every session of `user_id`,
  // administrators) or "account" (every session of the workspace, administrators); the caller's
  // current session is kept. Returns how many ended.
  base::Result<std::int64_t> EndSessions(const Caller& caller, std::string_view scope,
                                         domain::UserId user_id) const;

  base::Result<IpWhitelist> GetIpWhitelist(const Caller& caller) const;

  // Validates (ValidateIpWhitelist), applies the lock-out guard and saves. While the policy's
  // four_eyes is on, nothing is applied: the whitelist is stored as a pending approval request
  // (four_eyes.h) whose id goes to `*pending_approval`, and the current whitelist is returned;
  // without `pending_approval` that is kFailedPrecondition instead.
  base::Result<IpWhitelist> PutIpWhitelist(const Caller& caller, IpWhitelist whitelist,
                                           std::int64_t* pending_approval = nullptr) const;

  base::Result<PolicyView> GetSecurityPolicy(const Caller& caller) const;

  // Validates every member (field errors at the member names; seats must be 1..100000 and not
  // below the active paid users; four_eyes needs two active administrators to be turned on) and
  // saves; seats go to the account row. While four_eyes is on, every change (turning it off
  // too) waits for approval as PutIpWhitelist's does, and the current policy is returned.
  base::Result<PolicyView> PatchSecurityPolicy(const Caller& caller, const PolicyPatch& patch,
                                               std::int64_t* pending_approval = nullptr) const;

  // ---- administrator or system resets (security.h); the CLI calls these ----
  // Administrator or system (CLI `user reset-password`, POST /api/v4/users/{id}/password): sets
  // `user_id`'s password (policy checked, errors at "password"), ends every session and revokes
  // every token of the user. An administrator's own password is refused (kPermissionDenied):
  // ChangePassword asks for the current one. The second form checks against the server's list
  // of common passwords.
  base::Status ResetPassword(const Caller& caller, domain::UserId user_id,
                             std::string_view password, const auth::CommonPasswords& common) const;
  base::Status ResetPassword(const Caller& caller, domain::UserId user_id,
                             std::string_view password) const;

  // Administrator or system (CLI `user reset-2fa`): clears `user_id`'s 2FA and ends every
  // session of that user. kNotFound for a user of another account.
  base::Status ResetTwoFactor(const Caller& caller, domain::UserId user_id) const;

  // Administrator or system (CLI `user end-sessions`): ends every session of `user_id`.
  base::Result<std::int64_t> EndUserSessions(const Caller& caller, domain::UserId user_id) const;

  // ---- four-eyes approvals (four_eyes.h, four_eyes.cc); need the AuthService ----
  // Administrators only. The requests as of now, newest first (`status` "" for all; at most
  // `limit` from `offset`): an overdue request reads as expired at once; its expiry is stored, with
  // the approval_expired event, by the account's next request or decision.
  base::Result<std::vector<storage::ApprovalRow>> ListApprovals(const Caller& caller,
                                                                std::string_view status = "",
                                                                int limit = 250,
                                                                int offset = 0) const;

  // Administrators only. Request `id` as of now; kNotFound when there is none.
  base::Result<storage::ApprovalRow> GetApproval(const Caller& caller, std::int64_t id) const;

  // Approves (applies the change) or rejects pending request `id`. kPermissionDenied for the
  // requester or a non-administrator; kNotFound for an unknown id; kConflict when it is no
  // longer pending (decided or expired). Approving re-validates the change: when it no longer
  // applies (e.g. the whitelist would lock the approver out, the user is gone) the error is
  // returned and the request stays pending.
  base::Result<storage::ApprovalRow> ApproveRequest(const Caller& caller, std::int64_t id) const;

  base::Result<storage::ApprovalRow> RejectRequest(const Caller& caller, std::int64_t id) const;

  // ---- the security report (security_report.h) ----
  // Administrators and the system (CLI) only: kPermissionDenied otherwise. Store errors are
  // returned as they come.
  base::Result<SecurityReport> BuildSecurityReport(const Caller& caller) const;

  // ---- logins per day (login_stats.h) ----
  // The last `days` UTC days up to and including today (by deps.clock), oldest first, one entry
  // per day even when it has no logins. Administrators only (kPermissionDenied otherwise);
  // `days` outside 1..kMaxLoginStatsDays is kInvalidArgument on field "days".
  base::Result<std::vector<LoginDay>> LoginStats(const Caller& caller, int days) const;

  // ---- impact preview (impact.h) ----
  // The impact of PATCH /api/v4/users/{id} with `patch`. Administrator-only.
  base::Result<ImpactReport> PreviewUserChange(const Caller& caller, domain::UserId id,
                                               const UserPatch& patch) const;

  // The impact of PATCH /api/v4/roles/{id} with `input` (every holder gets the role's new
  // rights). Administrator-only.
  base::Result<ImpactReport> PreviewRoleChange(const Caller& caller, domain::RoleId id,
                                               const RoleInput& input) const;

  // ---- point-in-time replay (replay.h) ----
  // Every user of the account (as at `at`, or now) whom the engine allows to view the record (as
  // at `at`, or now), each with the rule that allowed it. Administrators and the system only.
  // Errors as ExplainAt's.
  base::Result<ViewersResult> ListViewers(const Caller& caller,
                                          const ViewersRequest& request) const;

  // ---- dormant users (dormant_users.h) ----
  // Applies the rule to the caller's account now (deps.clock): administrators and the system
  // only (kPermissionDenied otherwise). `dry_run` decides the same but changes nothing. Refreshes
  // the account's policy (deps.policies, when set) after deactivating someone.
  base::Result<DormantRun> DeactivateDormantUsers(const Caller& caller, bool dry_run) const;

  // The same for every account of the store, as the system with `actor_ip` ("scheduler", "cli")
  // as the events' address; one result per account, by account id. Stops at the first error.
  base::Result<std::vector<DormantRun>> DeactivateDormantUsersEverywhere(std::string_view actor_ip,
                                                                         bool dry_run) const;

 private:
  AdminDeps deps_;
  AuthService* auth_;
};

}  // namespace gatehouse::service
