// Four-eyes approval: requests, decisions and expiry (four_eyes.h).
#include "service/security/four_eyes.h"

#include <nlohmann/json.hpp>

#include "service/admin/admin.h"
#include "service/admin/admin_users.h"
#include "service/auth/auth.h"
#include "service/events.h"
#include "service/json_text.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

// How the activity log shows a request: [{"approval": {...}}].
std::string ApprovalValue(const storage::ApprovalRow& row) {
  json approval = {{"id", row.id},
                   {"kind", row.kind},
                   {"status", row.status},
                   {"requested_by", row.requested_by},
                   {"change", json::parse(ApprovalChangeJson(row))}};
  if (row.target_id != 0) approval["user_id"] = row.target_id;
  return Dump(json::array({{{"approval", std::move(approval)}}}));
}

// The event of `type` about a request that changed from `before` (id 0: none) to `after`.
EventSpec ApprovalEvent(std::string type, const storage::ApprovalRow& before,
                        const storage::ApprovalRow& after) {
  return {std::move(type), "approval", after.id, before.id == 0 ? "[]" : ApprovalValue(before),
          ApprovalValue(after)};
}

Status ExpireOverdue(storage::AccountWriter& w, std::int64_t now) {
  GH_ASSIGN_OR_RETURN(std::vector<storage::ApprovalRow> expired, w.ExpireApprovals(now));
  Caller system;
  system.account_id = w.account_id();
  for (const storage::ApprovalRow& row : expired) {
    storage::ApprovalRow before = row;
    before.status = "pending";
    GH_RETURN_IF_ERROR(RecordEvent(w, system, now, ApprovalEvent("approval_expired", before, row)));
  }
  return Status::Ok();
}

// Who may decide: an active administrator signed in as themselves (not the CLI, not "view
// as"), and not the one who asked.
Status CheckDecider(const Caller& caller) {
  if (caller.via == Via::kSystem || !caller.is_admin()) {
    return Status::Denied("only another administrator may approve or reject a change");
  }
  return RequireSelf(caller);
}

// Applies the change `row` holds, as `caller` (the approver), inside `w`.
Status ApplyChange(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                   const storage::ApprovalRow& row) {
  if (row.kind == kApproveIpWhitelist) {
    GH_ASSIGN_OR_RETURN(IpWhitelist whitelist, ParseIpWhitelist(row.change_json));
    GH_RETURN_IF_ERROR(ValidateIpWhitelist(whitelist));
    GH_RETURN_IF_ERROR(CheckLockOut(whitelist, caller));
    return ApplyIpWhitelist(w, caller, now, whitelist);
  }
  if (row.kind == kApprovePolicy) {
    GH_ASSIGN_OR_RETURN(PolicyPatch patch, ParsePolicyPatch(row.change_json));
    PolicyView ignored;
    return ApplyPolicyPatch(w, caller, now, patch, &ignored);
  }
  if (row.kind == kApproveAdminGrant) {
    const UserPatch grant{.flags = {.is_admin = true}};
    return WriteUserPatch(w, caller, now, row.target_id, grant).status();
  }
  return Status::Internal("unknown kind of approval request: " + row.kind);
}

Result<storage::ApprovalRow> Decide(AuthService& auth, const Caller& caller, std::int64_t id,
                                    bool approve) {
  GH_RETURN_IF_ERROR(CheckDecider(caller));
  const std::int64_t now = auth.clock().NowSeconds();
  storage::ApprovalRow decided;
  Status no_longer_pending = Status::Ok();
  GH_RETURN_IF_ERROR(auth.store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_RETURN_IF_ERROR(ExpireOverdue(w, now));
    GH_ASSIGN_OR_RETURN(storage::ApprovalRow row, w.LockApproval(id));
    if (row.status != "pending") {
      // Committed all the same: an expiry stored just now stays stored, with its event.
      no_longer_pending =
          Status::Error(Code::kConflict, "approval request " + std::to_string(id) + " is " +
                                             row.status + ", no longer pending");
      return Status::Ok();
    }
    if (row.requested_by == caller.actor_id || row.requested_by == caller.user_id) {
      return Status::Denied(
          "a change needs another administrator's approval, not its "
          "requester's");
    }
    if (approve) GH_RETURN_IF_ERROR(ApplyChange(w, caller, now, row));
    decided = row;
    decided.status = approve ? "approved" : "rejected";
    decided.decided_by = caller.actor_id;
    decided.decided_at = now;
    GH_RETURN_IF_ERROR(w.DecideApproval(decided));
    return RecordEvent(
        w, caller, now,
        ApprovalEvent(approve ? "approval_approved" : "approval_rejected", row, decided));
  }));
  GH_RETURN_IF_ERROR(no_longer_pending);
  if (approve) {
    auth.InvalidateSecurity(caller.account_id);
    RefreshPolicy(AdminDeps{&auth.store(), &auth.policies(), &auth.clock()}, caller.account_id);
  }
  return decided;
}

}  // namespace

Result<bool> FourEyesOn(const storage::AccountReader& reader) {
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, reader.SecuritySettings());
  GH_ASSIGN_OR_RETURN(SecurityPolicy policy, ParseSecurityPolicy(row.policy_json));
  return policy.four_eyes;
}

Result<std::int64_t> RequestApproval(storage::AccountWriter& w, const Caller& caller,
                                     std::int64_t now, std::string_view kind,
                                     std::int64_t target_id, std::string change_json) {
  GH_RETURN_IF_ERROR(ExpireOverdue(w, now));
  storage::ApprovalRow row{.kind = std::string(kind),
                           .target_id = target_id,
                           .change_json = std::move(change_json),
                           .status = "pending",
                           .requested_by = caller.actor_id != 0 ? caller.actor_id : caller.user_id,
                           .requested_at = now,
                           .expires_at = now + kApprovalLifetimeSeconds};
  GH_ASSIGN_OR_RETURN(row.id, w.CreateApproval(row));
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                 ApprovalEvent("approval_requested", storage::ApprovalRow{}, row)));
  return row.id;
}

Status CheckApproversRemain(const storage::AccountReader& reader, int remaining) {
  if (remaining >= 2) return Status::Ok();
  GH_ASSIGN_OR_RETURN(bool four_eyes, FourEyesOn(reader));
  if (!four_eyes) return Status::Ok();
  return Status::Error(Code::kFailedPrecondition,
                       "four-eyes approval is on and needs two active administrators; this "
                       "change would leave " +
                           std::to_string(remaining) +
                           ". Turn four-eyes approval off first (that needs approval too)");
}

Result<std::vector<storage::ApprovalRow>> SecurityService::ListApprovals(const Caller& caller,
                                                                         std::string_view status,
                                                                         int limit,
                                                                         int offset) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  return auth_->store()
      .Reader(caller.account_id)
      .ListApprovals(auth_->clock().NowSeconds(), status, limit, offset);
}

Result<storage::ApprovalRow> SecurityService::GetApproval(const Caller& caller,
                                                          std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  return auth_->store().Reader(caller.account_id).GetApproval(id, auth_->clock().NowSeconds());
}

std::string ApprovalChangeJson(const storage::ApprovalRow& row) {
  json change = json::parse(row.change_json, nullptr, /*allow_exceptions=*/false);
  return change.is_discarded() ? "null" : row.change_json;
}

Result<storage::ApprovalRow> SecurityService::ApproveRequest(const Caller& caller,
                                                             std::int64_t id) const {
  return Decide(*auth_, caller, id, /*approve=*/true);
}

Result<storage::ApprovalRow> SecurityService::RejectRequest(const Caller& caller,
                                                            std::int64_t id) const {
  return Decide(*auth_, caller, id, /*approve=*/false);
}

}  // namespace gatehouse::service
