// The IP whitelist and the security policy: administrator-only settings of the account.
#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/security/four_eyes.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::int64_t kMaxSeats = 100000;

json Parsed(const std::string& text) { return json::parse(text, nullptr, false); }

std::int64_t CountPaidActive(const std::vector<storage::UserRow>& users) {
  std::int64_t n = 0;
  for (const storage::UserRow& u : users) n += u.user.HoldsSeat() ? 1 : 0;
  return n;
}

int CountActiveAdmins(const std::vector<storage::UserRow>& users) {
  int n = 0;
  for (const storage::UserRow& u : users) {
    n += u.user.IsActiveAdmin() ? 1 : 0;
  }
  return n;
}

Status NeedsApproval() {
  return Status::Error(Code::kFailedPrecondition,
                       "four-eyes approval is on: this change needs a second administrator's "
                       "approval, which only the API and the console can request");
}

}  // namespace

Status CheckLockOut(const IpWhitelist& whitelist, const Caller& caller) {
  if (!whitelist.enabled || whitelist.report_only || caller.via == Via::kSystem) {
    return Status::Ok();
  }
  std::vector<auth::IpRange> ranges;
  for (const IpWhitelistEntry& e : whitelist.entries) {
    if (auto range = auth::ParseIpRange(e.value); range.ok()) ranges.push_back(*range);
  }
  Result<auth::IpAddress> own = auth::ParseIpAddress(caller.client_ip);
  if (own.ok() && auth::ContainsAny(ranges, *own)) return Status::Ok();
  return Status::InvalidField("entries", "LockOut",
                              "the whitelist does not include your current address " +
                                  caller.client_ip + "; saving it would lock you out. Add " +
                                  caller.client_ip + " (or its network) first");
}

std::string SerializePolicyPatch(const PolicyPatch& patch) {
  json doc = json::object();
  ForEachPolicyField(
      [&doc](const char* name, const auto& member) {
        if (member) doc[name] = *member;
      },
      patch);
  return Dump(doc);
}

Result<PolicyPatch> ParsePolicyPatch(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Internal("a stored policy change is not a JSON object");
  PolicyPatch patch;
  auto get = [&doc](const char* name, auto& member) {
    auto it = doc.find(name);
    if (it == doc.end()) return;
    using T = typename std::remove_reference_t<decltype(member)>::value_type;
    member = it->template get<T>();
  };
  try {
    ForEachPolicyField(get, patch);
  } catch (const json::exception& e) {
    return Status::Internal(std::string("a stored policy change is malformed: ") + e.what());
  }
  return patch;
}

Result<IpWhitelist> SecurityService::GetIpWhitelist(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row,
                      auth_->store().Reader(caller.account_id).SecuritySettings());
  return ParseIpWhitelist(row.ip_whitelist_json);
}

Status ApplyIpWhitelist(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                        const IpWhitelist& whitelist) {
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, w.SecuritySettings());
  GH_ASSIGN_OR_RETURN(IpWhitelist before, ParseIpWhitelist(row.ip_whitelist_json));
  row.ip_whitelist_json = SerializeIpWhitelist(whitelist);
  row.updated_at = now;
  GH_RETURN_IF_ERROR(w.PutSecuritySettings(row));
  return RecordEvent(w, caller, now,
                     {"ip_whitelist_changed", "account", caller.account_id,
                      Dump(json::array({{{"ip_whitelist", Parsed(SerializeIpWhitelist(before))}}})),
                      Dump(json::array({{{"ip_whitelist", Parsed(row.ip_whitelist_json)}}}))});
}

Result<IpWhitelist> SecurityService::PutIpWhitelist(const Caller& caller, IpWhitelist whitelist,
                                                    std::int64_t* pending_approval) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  GH_RETURN_IF_ERROR(ValidateIpWhitelist(whitelist));
  GH_RETURN_IF_ERROR(CheckLockOut(whitelist, caller));
  const std::int64_t now = auth_->clock().NowSeconds();
  std::int64_t approval_id = 0;
  IpWhitelist current;
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(bool four_eyes, FourEyesOn(w));
    if (!four_eyes) return ApplyIpWhitelist(w, caller, now, whitelist);
    if (pending_approval == nullptr) return NeedsApproval();
    GH_ASSIGN_OR_RETURN(approval_id, RequestApproval(w, caller, now, kApproveIpWhitelist, 0,
                                                     SerializeIpWhitelist(whitelist)));
    GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, w.SecuritySettings());
    GH_ASSIGN_OR_RETURN(current, ParseIpWhitelist(row.ip_whitelist_json));
    return Status::Ok();
  }));
  if (approval_id != 0) {
    *pending_approval = approval_id;
    return current;
  }
  auth_->InvalidateSecurity(caller.account_id);
  return whitelist;
}

Result<PolicyView> SecurityService::GetSecurityPolicy(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  storage::AccountReader reader = auth_->store().Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, reader.SecuritySettings());
  GH_ASSIGN_OR_RETURN(storage::AccountRow account, reader.Account());
  PolicyView view;
  GH_ASSIGN_OR_RETURN(view.policy, ParseSecurityPolicy(row.policy_json));
  view.seats = account.seats;
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, reader.ListUsers());
  view.seats_used = CountPaidActive(users);
  return view;
}

namespace {

// A policy patch checked against the account as it is: the policy and seats before and after.
struct PolicyChange {
  storage::SecuritySettingsRow settings;  // as read, to be written back changed
  SecurityPolicy before;
  SecurityPolicy after;
  storage::AccountRow account;
  std::int64_t seats = 0;
  std::int64_t seats_used = 0;
};

Result<PolicyChange> ResolvePolicyPatch(const storage::AccountReader& r, const PolicyPatch& patch) {
  PolicyChange change;
  GH_ASSIGN_OR_RETURN(change.settings, r.SecuritySettings());
  GH_ASSIGN_OR_RETURN(change.account, r.Account());
  GH_ASSIGN_OR_RETURN(change.before, ParseSecurityPolicy(change.settings.policy_json));
  SecurityPolicy& p = change.after;
  p = change.before;
  ForEachPolicyField(
      [](const char*, auto& value, const auto& change) {
        if (change) value = *change;
      },
      p, patch);
  Status valid = ValidateSecurityPolicy(p);
  std::vector<base::FieldError> errors = valid.fields();
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, r.ListUsers());
  change.seats_used = CountPaidActive(users);
  change.seats = patch.seats.value_or(change.account.seats);
  if (patch.seats) {
    if (*patch.seats < 1 || *patch.seats > kMaxSeats) {
      errors.push_back(
          {"seats", "OutOfRange", "seats must be between 1 and " + std::to_string(kMaxSeats)});
    } else if (*patch.seats < change.seats_used) {
      errors.push_back({"seats", "BelowUsage",
                        "seats cannot be fewer than the " + std::to_string(change.seats_used) +
                            " active paid users; deactivate or free users first"});
    }
  }
  if (p.four_eyes && !change.before.four_eyes && CountActiveAdmins(users) < 2) {
    errors.push_back({"four_eyes", "NeedsTwoAdministrators",
                      "four-eyes approval needs a second active administrator to approve "
                      "changes; add or activate one first"});
  }
  if (!errors.empty()) return Status::Invalid("the security policy is invalid", errors);
  return change;
}

PolicyView ViewOf(const SecurityPolicy& policy, const PolicyChange& change, bool applied) {
  return PolicyView{policy, applied ? change.seats : change.account.seats, change.seats_used};
}

}  // namespace

Status ApplyPolicyPatch(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                        const PolicyPatch& patch, PolicyView* view) {
  GH_ASSIGN_OR_RETURN(PolicyChange change, ResolvePolicyPatch(w, patch));
  storage::SecuritySettingsRow& row = change.settings;
  row.policy_json = SerializeSecurityPolicy(change.after);
  row.updated_at = now;
  GH_RETURN_IF_ERROR(w.PutSecuritySettings(row));
  if (change.seats != change.account.seats) {
    GH_RETURN_IF_ERROR(w.UpdateAccount(change.account.name, change.seats));
  }
  *view = ViewOf(change.after, change, /*applied=*/true);
  json b = Parsed(SerializeSecurityPolicy(change.before));
  json a = Parsed(row.policy_json);
  b["seats"] = change.account.seats;
  a["seats"] = change.seats;
  return RecordEvent(w, caller, now,
                     {"security_policy_changed", "account", caller.account_id,
                      Dump(json::array({{{"policy", b}}})), Dump(json::array({{{"policy", a}}}))});
}

Result<PolicyView> SecurityService::PatchSecurityPolicy(const Caller& caller,
                                                        const PolicyPatch& patch,
                                                        std::int64_t* pending_approval) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  const std::int64_t now = auth_->clock().NowSeconds();
  PolicyView view;
  std::int64_t approval_id = 0;
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(bool four_eyes, FourEyesOn(w));
    if (!four_eyes) return ApplyPolicyPatch(w, caller, now, patch, &view);
    if (pending_approval == nullptr) return NeedsApproval();
    // Validated now as well, so that the requester hears of a mistake, not the approver.
    GH_ASSIGN_OR_RETURN(PolicyChange change, ResolvePolicyPatch(w, patch));
    view = ViewOf(change.before, change, /*applied=*/false);
    GH_ASSIGN_OR_RETURN(approval_id, RequestApproval(w, caller, now, kApprovePolicy, 0,
                                                     SerializePolicyPatch(patch)));
    return Status::Ok();
  }));
  if (approval_id != 0) {
    *pending_approval = approval_id;
    return view;
  }
  auth_->InvalidateSecurity(caller.account_id);
  return view;
}

}  // namespace gatehouse::service
