#include "http/api/security/security_json.h"

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "http/api/auth/auth_json.h"

namespace gatehouse::http::api {

using nlohmann::json;

namespace {

// trusted_proxies of a policy PATCH: an array of address or range texts (checked as ranges by
// the service); nullopt when absent or not an array of strings, which is a field error.
std::optional<std::vector<std::string>> ReadTrustedProxies(BodyReader& fields) {
  const json* proxies = fields.Find("trusted_proxies");
  if (proxies == nullptr) return std::nullopt;
  if (!proxies->is_array()) {
    fields.Add("trusted_proxies", "InvalidType", "trusted_proxies must be an array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < proxies->size(); ++i) {
    if ((*proxies)[i].is_string()) {
      out.push_back((*proxies)[i].get<std::string>());
    } else {
      fields.Add("trusted_proxies." + std::to_string(i), "InvalidType",
                 "a trusted proxy is an address or range");
    }
  }
  return out;
}

}  // namespace

base::Result<service::IpWhitelist> ReadIpWhitelist(const json& body) {
  BodyReader fields(body, kFormBody);
  service::IpWhitelist whitelist;
  service::ForEachWhitelistFlag(
      [&fields](const char* name, bool& flag) { flag = fields.Bool(name, false).value_or(false); },
      whitelist);
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
  fields.RefuseUnread();
  GH_RETURN_IF_ERROR(fields.status());
  return whitelist;
}

base::Result<service::PolicyPatch> ReadPolicyPatch(const json& body) {
  BodyReader fields(body, kFormBody);
  service::PolicyPatch patch;
  service::ForEachPolicyField(
      [&fields](const char* name, auto& member) {
        using T = typename std::remove_reference_t<decltype(member)>::value_type;
        if constexpr (std::is_same_v<T, bool>) {
          member = fields.Bool(name);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          member = fields.Int(name);
        } else {
          static_assert(std::is_same_v<T, std::vector<std::string>>);
          member = ReadTrustedProxies(fields);
        }
      },
      patch);
  fields.RefuseUnread({"seats_used"});
  GH_RETURN_IF_ERROR(fields.status());
  return patch;
}

}  // namespace gatehouse::http::api
