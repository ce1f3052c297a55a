#include "service/security/security_settings.h"

#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

void CheckRange(std::int64_t value, std::int64_t min, std::int64_t max, const char* path,
                std::vector<FieldError>& errors) {
  if (value < min || value > max) {
    errors.push_back({path, "OutOfRange",
                      std::string(path) + " must be between " + std::to_string(min) + " and " +
                          std::to_string(max)});
  }
}

// Reads an optional member of the stored object with the type of `out`; a member of the
// wrong type is ignored (the default stays), since stored settings were validated on save.
template <typename T>
void ReadMember(const json& object, const char* name, T& out) {
  auto it = object.find(name);
  if (it == object.end()) return;
  if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean()) out = it->get<bool>();
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    if (it->is_number_integer()) out = it->get<std::int64_t>();
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!it->is_array()) return;
    for (const json& item : *it) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  } else {
    if (it->is_string()) out = it->get<std::string>();
  }
}

}  // namespace

Status ValidateSecurityPolicy(SecurityPolicy& policy) {
  std::vector<FieldError> errors;
  CheckRange(policy.session_idle_minutes, kMinSessionIdleMinutes, kMaxSessionIdleMinutes,
             "session_idle_minutes", errors);
  CheckRange(policy.session_max_hours, kMinSessionMaxHours, kMaxSessionMaxHours,
             "session_max_hours", errors);
  CheckRange(policy.lockout_threshold, kMinLockoutThreshold, kMaxLockoutThreshold,
             "lockout_threshold", errors);
  CheckRange(policy.lockout_minutes, kMinLockoutMinutes, kMaxLockoutMinutes, "lockout_minutes",
             errors);
  if (policy.dormant_days != 0) {
    CheckRange(policy.dormant_days, kMinDormantDays, kMaxDormantDays, "dormant_days", errors);
    if (!errors.empty() && errors.back().path == "dormant_days") {
      errors.back().detail += " (or 0 to switch it off)";
    }
  }
  if (policy.trusted_proxies.size() > kMaxTrustedProxies) {
    errors.push_back({"trusted_proxies", "TooMany",
                      "at most " + std::to_string(kMaxTrustedProxies) + " trusted proxies"});
  }
  for (std::size_t i = 0; i < policy.trusted_proxies.size(); ++i) {
    const std::string path = "trusted_proxies." + std::to_string(i);
    Result<auth::IpRange> range = auth::ParseWhitelistEntry(policy.trusted_proxies[i], path);
    if (!range.ok()) {
      for (const FieldError& e : range.status().fields()) errors.push_back(e);
      continue;
    }
    policy.trusted_proxies[i] = range->ToString();
  }
  if (errors.empty()) return Status::Ok();
  return Status::Invalid("the security policy is invalid", std::move(errors));
}

Status ValidateIpWhitelist(IpWhitelist& whitelist) {
  std::vector<FieldError> errors;
  if (whitelist.entries.size() > kMaxWhitelistEntries) {
    errors.push_back(
        {"entries", "TooMany", "at most " + std::to_string(kMaxWhitelistEntries) + " entries"});
  }
  for (std::size_t i = 0; i < whitelist.entries.size(); ++i) {
    IpWhitelistEntry& entry = whitelist.entries[i];
    const std::string path = "entries." + std::to_string(i);
    Result<auth::IpRange> range = auth::ParseWhitelistEntry(entry.value, path + ".value");
    if (range.ok()) {
      entry.value = range->ToString();
    } else {
      for (const FieldError& e : range.status().fields()) errors.push_back(e);
    }
    if (entry.note.size() > kMaxWhitelistNoteBytes) {
      errors.push_back({path + ".note", "TooLong",
                        "a note has at most " + std::to_string(kMaxWhitelistNoteBytes) + " bytes"});
    }
  }
  if (errors.empty()) return Status::Ok();
  return Status::Invalid("the IP whitelist is invalid", std::move(errors));
}

Result<SecurityPolicy> ParseSecurityPolicy(std::string_view text) {
  SecurityPolicy policy;
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Internal("security_settings.policy_json is not JSON");
  if (!doc.is_object()) return policy;
  ForEachPolicyField([&doc](const char* name, auto& member) { ReadMember(doc, name, member); },
                     policy);
  return policy;
}

Result<IpWhitelist> ParseIpWhitelist(std::string_view text) {
  IpWhitelist whitelist;
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::Internal("security_settings.ip_whitelist_json is not JSON");
  }
  const json* entries = nullptr;
  if (doc.is_object()) {
    ForEachWhitelistFlag([&doc](const char* name, bool& flag) { ReadMember(doc, name, flag); },
                         whitelist);
    if (auto it = doc.find("entries"); it != doc.end() && it->is_array()) entries = &*it;
  } else if (doc.is_array()) {
    entries = &doc;
  }
  if (entries != nullptr) {
    for (const json& item : *entries) {
      if (!item.is_object()) continue;
      IpWhitelistEntry entry;
      ReadMember(item, "value", entry.value);
      ReadMember(item, "note", entry.note);
      if (!entry.value.empty()) whitelist.entries.push_back(std::move(entry));
    }
  }
  return whitelist;
}

json SecurityPolicyJson(const SecurityPolicy& p) {
  json out = json::object();
  ForEachPolicyField([&out](const char* name, const auto& value) { out[name] = value; }, p);
  return out;
}

json IpWhitelistJson(const IpWhitelist& w) {
  json entries = json::array();
  for (const IpWhitelistEntry& e : w.entries) {
    entries.push_back({{"value", e.value}, {"note", e.note}});
  }
  json out = {{"entries", std::move(entries)}};
  ForEachWhitelistFlag([&out](const char* name, bool flag) { out[name] = flag; }, w);
  return out;
}

std::string SerializeSecurityPolicy(const SecurityPolicy& p) { return Dump(SecurityPolicyJson(p)); }

std::string SerializeIpWhitelist(const IpWhitelist& w) { return Dump(IpWhitelistJson(w)); }

Result<AccountSecurity> LoadAccountSecurity(const storage::AccountReader& reader) {
  GH_ASSIGN_OR_RETURN(storage::SecuritySettingsRow row, reader.SecuritySettings());
  AccountSecurity security;
  GH_ASSIGN_OR_RETURN(security.policy, ParseSecurityPolicy(row.policy_json));
  GH_ASSIGN_OR_RETURN(security.whitelist, ParseIpWhitelist(row.ip_whitelist_json));
  security.updated_at = row.updated_at;
  for (const std::string& text : security.policy.trusted_proxies) {
    if (auto range = auth::ParseIpRange(text); range.ok()) {
      security.trusted_proxy_ranges.push_back(*range);
    }
  }
  for (const IpWhitelistEntry& entry : security.whitelist.entries) {
    if (auto range = auth::ParseIpRange(entry.value); range.ok()) {
      security.whitelist_ranges.push_back(*range);
    }
  }
  return security;
}

WhitelistVerdict CheckWhitelist(const AccountSecurity& security, const auth::IpAddress& client,
                                bool api) {
  const IpWhitelist& w = security.whitelist;
  if (!w.enabled || (api && !w.block_api)) return WhitelistVerdict::kAllowed;
  if (auth::ContainsAny(security.whitelist_ranges, client)) return WhitelistVerdict::kAllowed;
  return w.report_only ? WhitelistVerdict::kWouldRefuse : WhitelistVerdict::kRefused;
}

}  // namespace gatehouse::service
