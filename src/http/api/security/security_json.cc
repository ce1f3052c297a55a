#include "http/api/security/security_json.h"

#include <algorithm>
#include <string>

#include "http/api/auth/auth_json.h"

namespace gatehouse::http::api {

using nlohmann::json;

namespace {

// A member the resource does not have is refused, never dropped: `read_only` are the members
// GET shows that a client may send back unchanged.
void RefuseUnknownMembers(const json& body, std::initializer_list<std::string_view> known,
                          std::initializer_list<std::string_view> read_only, BodyReader& fields) {
  for (auto member = body.begin(); member != body.end(); ++member) {
    const std::string& name = member.key();
    auto is = [&name](std::string_view k) { return k == name; };
    if (std::any_of(known.begin(), known.end(), is) ||
        std::any_of(read_only.begin(), read_only.end(), is)) {
      continue;
    }
    const std::string path = name.empty() ? "\"\"" : name;  // a member named "" too
    fields.Add(path, "UnknownField", path + " is not a member of this resource");
  }
}

}  // namespace

base::Result<service::IpWhitelist> ReadIpWhitelist(const json& body) {
  BodyReader fields(body, kFormBody);
  RefuseUnknownMembers(body, {"enabled", "block_api", "report_only", "entries"}, {}, fields);
  service::IpWhitelist whitelist;
  whitelist.enabled = fields.Bool("enabled", false).value_or(false);
  whitelist.block_api = fields.Bool("block_api", false).value_or(false);
  whitelist.report_only = fields.Bool("report_only", false).value_or(false);
  if (const json* entries = fields.Find("entries"); entries != nullptr) {
    if (!entries->is_array()) {
      fields.Add("entries", "InvalidType", "entries must be an array");
    } else {
      for (std::size_t i = 0; i < entries->size(); ++i) {
        const json& item = (*entries)[i];
        const std::string path = "entries." + std::to_string(i);
        service::IpWhitelistEntry entry;
        if (item.is_string()) {
          entry.value = item.get<std::string>();
        } else if (item.is_object() && item.contains("value") && item["value"].is_string()) {
          entry.value = item["value"].get<std::string>();
          if (item.contains("note") && item["note"].is_string()) entry.note = item["note"];
        } else {
          fields.Add(path + ".value", "InvalidType", "value must be an address or range");
          continue;
        }
        whitelist.entries.push_back(std::move(entry));
      }
    }
  }
  GH_RETURN_IF_ERROR(fields.status());
  return whitelist;
}

base::Result<service::PolicyPatch> ReadPolicyPatch(const json& body) {
  BodyReader fields(body, kFormBody);
  RefuseUnknownMembers(
      body,
      {"require_two_factor", "session_idle_minutes", "session_max_hours", "lockout_threshold",
       "lockout_minutes", "dormant_days", "four_eyes", "seats", "trusted_proxies"},
      {"seats_used"}, fields);
  service::PolicyPatch patch;
  patch.four_eyes = fields.Bool("four_eyes", false);
  patch.require_two_factor = fields.Bool("require_two_factor", false);
  patch.session_idle_minutes = fields.Int("session_idle_minutes", false);
  patch.session_max_hours = fields.Int("session_max_hours", false);
  patch.lockout_threshold = fields.Int("lockout_threshold", false);
  patch.lockout_minutes = fields.Int("lockout_minutes", false);
  patch.dormant_days = fields.Int("dormant_days", false);
  patch.seats = fields.Int("seats", false);
  if (const json* proxies = fields.Find("trusted_proxies"); proxies != nullptr) {
    if (!proxies->is_array()) {
      fields.Add("trusted_proxies", "InvalidType", "trusted_proxies must be an array");
    } else {
      patch.trusted_proxies.emplace();
      for (std::size_t i = 0; i < proxies->size(); ++i) {
        if ((*proxies)[i].is_string()) {
          patch.trusted_proxies->push_back((*proxies)[i].get<std::string>());
        } else {
          fields.Add("trusted_proxies." + std::to_string(i), "InvalidType",
                     "a trusted proxy is an address or range");
        }
      }
    }
  }
  GH_RETURN_IF_ERROR(fields.status());
  return patch;
}

}  // namespace gatehouse::http::api
