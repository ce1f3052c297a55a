// Four-eyes approval (SPEC §6, API.md "Four-eyes policy"): while the security policy's
// four_eyes is on, a change to the IP whitelist, to the security policy (turning four_eyes off
// included) or a grant of administrator rights is stored as a pending request instead of being
// applied. A second, different active administrator approves it (the change is applied then,
// in the same transaction, re-validated against the state at that moment) or rejects it; a
// request not decided within kApprovalLifetimeSeconds expires. Every step is an activity-log
// event: approval_requested, approval_approved, approval_rejected, approval_expired.
//
// Guards: four_eyes is turned on only with at least two active administrators, and while it is
// on no change may leave fewer than two (demotion, deactivation, removal: kFailedPrecondition),
// so that there is always someone to approve.
//
// Thread-safety: every function is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::service {

class AuthService;

inline constexpr std::int64_t kApprovalLifetimeSeconds = 72 * 3600;

// Kinds of request (storage::ApprovalRow::kind) and what their change_json holds.
inline constexpr std::string_view kApproveIpWhitelist = "ip_whitelist";  // the whole whitelist
inline constexpr std::string_view kApprovePolicy = "security_policy";    // the PATCH members
inline constexpr std::string_view kApproveAdminGrant = "admin_grant";    // {"is_admin":true}

// Whether the account's policy has four_eyes on, read in the caller's transaction.
base::Result<bool> FourEyesOn(const storage::AccountReader& reader);

// Stores a pending request of `kind` made by `caller` and logs approval_requested; returns its
// id. Used by the changes the policy governs, inside their own transaction.
base::Result<std::int64_t> RequestApproval(storage::AccountWriter& w, const Caller& caller,
                                           std::int64_t now, std::string_view kind,
                                           std::int64_t target_id, std::string change_json);

// kFailedPrecondition when four_eyes is on and fewer than two active administrators would
// remain: `remaining` is how many active administrators the change leaves.
base::Status CheckApproversRemain(const storage::AccountReader& reader, int remaining);

// The stored change of a request as JSON text fit to embed (JSON null when it is unreadable):
// what the API and the activity log show.
std::string ApprovalChangeJson(const storage::ApprovalRow& row);

}  // namespace gatehouse::service
