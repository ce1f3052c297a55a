// An account's security settings: the policy (2FA requirement, session lifetimes, lockout,
// dormant users, trusted proxies) and the IP whitelist, with their JSON forms as stored in
// security_settings.policy_json / ip_whitelist_json and as the API shows them.
//
// Stored grammar (JSON objects; absent members take the defaults below):
//   policy_json       = {"require_two_factor":bool, "session_idle_minutes":int,
//                        "session_max_hours":int, "lockout_threshold":int,
//                        "lockout_minutes":int, "dormant_days":int, "four_eyes":bool,
//                        "trusted_proxies":["<address>[/<prefix>]", ...]}
//   ip_whitelist_json = {"enabled":bool, "block_api":bool, "report_only":bool,
//                        "entries":[{"value":"<address>[/<prefix>]", "note":"..."}, ...]}
//                       (a bare array, the schema's default "[]", reads as disabled entries)
// Seats live on the account row, not here.
//
// Thread-safety: values only; every function is thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/ip.h"
#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::service {

// Validation ranges of the policy (inclusive).
inline constexpr std::int64_t kMinSessionIdleMinutes = 5;
inline constexpr std::int64_t kMaxSessionIdleMinutes = 90 * 24 * 60;  // Kommo: 3 months
inline constexpr std::int64_t kMinSessionMaxHours = 1;
inline constexpr std::int64_t kMaxSessionMaxHours = 365 * 24;
inline constexpr std::int64_t kMinLockoutThreshold = 3;
inline constexpr std::int64_t kMaxLockoutThreshold = 100;
inline constexpr std::int64_t kMinLockoutMinutes = 1;
inline constexpr std::int64_t kMaxLockoutMinutes = 24 * 60;
inline constexpr std::int64_t kMinDormantDays = 7;  // 0 switches dormant deactivation off
inline constexpr std::int64_t kMaxDormantDays = 3650;
inline constexpr std::size_t kMaxTrustedProxies = 64;
inline constexpr std::size_t kMaxWhitelistEntries = 1000;
inline constexpr std::size_t kMaxWhitelistNoteBytes = 200;

struct SecurityPolicy {
  bool require_two_factor = false;
  std::int64_t session_idle_minutes = 24 * 60;
  std::int64_t session_max_hours = 30 * 24;
  std::int64_t lockout_threshold = 10;
  std::int64_t lockout_minutes = 15;
  std::int64_t dormant_days = 0;               // 0: off
  bool four_eyes = false;                      // security changes wait for a second admin
  std::vector<std::string> trusted_proxies{};  // normalized range text

  bool operator==(const SecurityPolicy&) const = default;
};

// A PolicyPatch: it may change the seats, which the policy itself does not hold.
template <typename T>
concept HoldsSeats = requires(T& object) {
  object.seats;
};

// Calls visit(name, member...) for each field of the policy, by its stored and API name, with
// that member of each of `objects`. A SecurityPolicy and a PolicyPatch name their members alike,
// so this one list serves storing and reading the policy, applying a patch
// (visit(name, policy_member, patch_member)) and reading one from a request. `seats` belongs to
// the account row, not the policy: it is visited only when every object has it (a patch).
template <typename Visit, typename... Objects>
void ForEachPolicyField(const Visit& visit, Objects&... objects) {
  visit("require_two_factor", objects.require_two_factor...);
  visit("session_idle_minutes", objects.session_idle_minutes...);
  visit("session_max_hours", objects.session_max_hours...);
  visit("lockout_threshold", objects.lockout_threshold...);
  visit("lockout_minutes", objects.lockout_minutes...);
  visit("dormant_days", objects.dormant_days...);
  visit("four_eyes", objects.four_eyes...);
  visit("trusted_proxies", objects.trusted_proxies...);
  if constexpr ((HoldsSeats<Objects> && ...)) visit("seats", objects.seats...);
}

struct IpWhitelistEntry {
  std::string value{};  // normalized range text ("10.0.0.0/8", "203.0.113.7")
  std::string note{};
  bool operator==(const IpWhitelistEntry&) const = default;
};

struct IpWhitelist {
  bool enabled = false;
  bool block_api = false;    // also refuse bearer-token requests from other addresses
  bool report_only = false;  // log "ip_whitelist_would_refuse" instead of refusing
  std::vector<IpWhitelistEntry> entries{};
  bool operator==(const IpWhitelist&) const = default;
};

// Calls visit(name, member) for each switch of `whitelist` (an IpWhitelist, const or not), by its
// stored and API name: the one list that storing, reading and the API body reader walk.
template <typename Visit, typename Whitelist>
void ForEachWhitelistFlag(const Visit& visit, Whitelist& whitelist) {
  visit("enabled", whitelist.enabled);
  visit("block_api", whitelist.block_api);
  visit("report_only", whitelist.report_only);
}

// The settings of one account, parsed and ready for per-request decisions.
struct AccountSecurity {
  SecurityPolicy policy{};
  IpWhitelist whitelist{};
  std::vector<auth::IpRange> trusted_proxy_ranges{};
  std::vector<auth::IpRange> whitelist_ranges{};
  std::int64_t updated_at = 0;
};

// Field errors of every rule the policy breaks (paths are the member names, trusted proxies
// "trusted_proxies.<i>"); OK when valid. Normalizes trusted_proxies in place.
base::Status ValidateSecurityPolicy(SecurityPolicy& policy);

// Field errors per bad entry ("entries.<i>.value" code "InvalidIpRange", "entries.<i>.note"
// code "TooLong"); normalizes entry values in place. Does not apply the lock-out guard.
base::Status ValidateIpWhitelist(IpWhitelist& whitelist);

// Stored JSON to values. Malformed stored text yields kInternal naming the column; absent
// members take defaults; entries that no longer parse are skipped (never widen access:
// a skipped whitelist entry admits nobody).
base::Result<SecurityPolicy> ParseSecurityPolicy(std::string_view json);
base::Result<IpWhitelist> ParseIpWhitelist(std::string_view json);
std::string SerializeSecurityPolicy(const SecurityPolicy& policy);
std::string SerializeIpWhitelist(const IpWhitelist& whitelist);
// The same documents as JSON values: what the API answers is built on them.
nlohmann::json SecurityPolicyJson(const SecurityPolicy& policy);
nlohmann::json IpWhitelistJson(const IpWhitelist& whitelist);

// Reads and parses the settings of `reader`'s account (defaults when never saved).
base::Result<AccountSecurity> LoadAccountSecurity(const storage::AccountReader& reader);

enum class WhitelistVerdict {
  kAllowed,      // whitelist off, not applicable, or the address is listed
  kRefused,      // enforce: refuse the request
  kWouldRefuse,  // report-only: allow, but log "ip_whitelist_would_refuse"
};

// The whitelist's verdict on `client` for a web login/session (`api` false) or a bearer-token
// request (`api` true; applies only when block_api is set).
WhitelistVerdict CheckWhitelist(const AccountSecurity& security, const auth::IpAddress& client,
                                bool api);

}  // namespace gatehouse::service
