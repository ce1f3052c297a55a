// The IP whitelist and the security policy: administrator-only settings of the account.
#include <nlohmann/json.hpp>

#include "service/security.h"

namespace gatehouse::service {

using base::Code;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr std::int64_t kMaxSeats = 100000;

json Parsed(const std::string& text) { return json::parse(text, nullptr, false); }

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The lock-out guard: an enforcing whitelist must admit the administrator's own address.
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

std::int64_t CountPaidActive(const std::vector<storage::UserRow>& users) {
  std::int64_t n = 0;
  for (const storage::UserRow& u : users) n += u.user.is_active && !u.user.is_free ? 1 : 0;
  return n;
}

}  // namespace

Result<IpWhitelist> GetIpWhitelist(AuthService& auth, const Caller& caller) {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row,
                      auth.store().Reader(caller.account_id).SecuritySettings());
  return ParseIpWhitelist(row.ip_whitelist_json);
}

Result<IpWhitelist> PutIpWhitelist(AuthService& auth, const Caller& caller, IpWhitelist whitelist) {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  GH_RETURN_IF_ERROR(ValidateIpWhitelist(whitelist));
  GH_RETURN_IF_ERROR(CheckLockOut(whitelist, caller));
  const std::int64_t now = auth.clock().NowSeconds();
  GH_RETURN_IF_ERROR(auth.store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, w.SecuritySettings());
    GH_ASSIGN_OR_RETURN(IpWhitelist before, ParseIpWhitelist(row.ip_whitelist_json));
    row.ip_whitelist_json = SerializeIpWhitelist(whitelist);
    row.updated_at = now;
    GH_RETURN_IF_ERROR(w.PutSecuritySettings(row));
    return RecordEvent(
        w, caller, now,
        {"ip_whitelist_changed", "account", caller.account_id,
         Dump(json::array({{{"ip_whitelist", Parsed(SerializeIpWhitelist(before))}}})),
         Dump(json::array({{{"ip_whitelist", Parsed(row.ip_whitelist_json)}}}))});
  }));
  auth.InvalidateSecurity(caller.account_id);
  return whitelist;
}

Result<PolicyView> GetSecurityPolicy(AuthService& auth, const Caller& caller) {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  storage::AccountReader reader = auth.store().Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, reader.SecuritySettings());
  GH_ASSIGN_OR_RETURN(storage::AccountRow account, reader.Account());
  PolicyView view;
  GH_ASSIGN_OR_RETURN(view.policy, ParseSecurityPolicy(row.policy_json));
  view.seats = account.seats;
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, reader.ListUsers());
  view.seats_used = CountPaidActive(users);
  return view;
}

Result<PolicyView> PatchSecurityPolicy(AuthService& auth, const Caller& caller,
                                       const PolicyPatch& patch) {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  const std::int64_t now = auth.clock().NowSeconds();
  PolicyView view;
  GH_RETURN_IF_ERROR(auth.store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, w.SecuritySettings());
    GH_ASSIGN_OR_RETURN(storage::AccountRow account, w.Account());
    GH_ASSIGN_OR_RETURN(SecurityPolicy before, ParseSecurityPolicy(row.policy_json));
    SecurityPolicy p = before;
    if (patch.require_two_factor) p.require_two_factor = *patch.require_two_factor;
    if (patch.session_idle_minutes) p.session_idle_minutes = *patch.session_idle_minutes;
    if (patch.session_max_hours) p.session_max_hours = *patch.session_max_hours;
    if (patch.lockout_threshold) p.lockout_threshold = *patch.lockout_threshold;
    if (patch.lockout_minutes) p.lockout_minutes = *patch.lockout_minutes;
    if (patch.dormant_days) p.dormant_days = *patch.dormant_days;
    if (patch.trusted_proxies) p.trusted_proxies = *patch.trusted_proxies;
    Status valid = ValidateSecurityPolicy(p);
    std::vector<base::FieldError> errors = valid.fields();
    GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, w.ListUsers());
    const std::int64_t used = CountPaidActive(users);
    view.seats_used = used;
    if (patch.seats) {
      if (*patch.seats < 1 || *patch.seats > kMaxSeats) {
        errors.push_back(
            {"seats", "OutOfRange", "seats must be between 1 and " + std::to_string(kMaxSeats)});
      } else if (*patch.seats < used) {
        errors.push_back({"seats", "BelowUsage",
                          "seats cannot be fewer than the " + std::to_string(used) +
                              " active paid users; deactivate or free users first"});
      }
    }
    if (!errors.empty()) return Status::Invalid("the security policy is invalid", errors);
    row.policy_json = SerializeSecurityPolicy(p);
    row.updated_at = now;
    GH_RETURN_IF_ERROR(w.PutSecuritySettings(row));
    view.policy = p;
    view.seats = patch.seats.value_or(account.seats);
    if (patch.seats && *patch.seats != account.seats) {
      GH_RETURN_IF_ERROR(w.UpdateAccount(account.name, *patch.seats));
    }
    json b = Parsed(SerializeSecurityPolicy(before));
    json a = Parsed(row.policy_json);
    b["seats"] = account.seats;
    a["seats"] = view.seats;
    return RecordEvent(
        w, caller, now,
        {"security_policy_changed", "account", caller.account_id,
         Dump(json::array({{{"policy", b}}})), Dump(json::array({{{"policy", a}}}))});
  }));
  auth.InvalidateSecurity(caller.account_id);
  return view;
}

}  // namespace gatehouse::service
