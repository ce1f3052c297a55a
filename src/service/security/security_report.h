// The security report (SPEC §6): the seed's best practices checked against what the store holds
// now, each finding with a severity, the users or objects it concerns and where to fix it.
//
// Checks, with their codes (stable identifiers clients may key on) and thresholds:
//   high    admins_without_two_factor    active administrators without 2FA enabled
//   high    failed_login_burst           >= 10 login_failed events for one email or one IP
//                                        within 15 minutes, among those of the last 24 hours
//   medium  two_factor_not_required      the policy does not require 2FA for everyone
//   medium  too_many_administrators      > 3 active administrators, or (from 2 on) more than
//                                        20% of the active paid users
//   medium  export_rights_allowed        active paid non-administrators with A on export of
//                                        leads, contacts or companies (or in a lead stage)
//   medium  dormant_users                no login for dormant_days (policy; 90 when off) and
//                                        still active, or deactivated but holding wide rights
//   medium  deactivated_users_own_records  deactivated users still responsible for records
//   medium  session_new_country          a session from a country none of the user's earlier
//                                        sessions (stored, or logged in the last 365 days) had
//   medium  ip_whitelist_off             the IP whitelist is not enabled
//   low     export_rights_team_wide      as export_rights_allowed with G, for users with no A
//   low     idle_sessions                sessions without activity for longer than the policy's
//                                        idle limit or 7 days, whichever is shorter
//   low     ip_whitelist_report_only     the whitelist only logs whom it would refuse
//   low     unused_roles                 roles that no user holds
//   low     unused_api_tokens            live personal API tokens not used (or, never used,
//                                        created) for 90 days or more
// A check that finds nothing produces no finding. "Wide rights": administrator, or G or A on
// view, edit, delete or export of leads, contacts, companies or tasks (stage rights included).
//
// Order: findings by severity (high first), then code; affected entries by id. Equal stored data
// and clock give an equal report.
//
// Thread-safety: BuildSecurityReport is thread-safe (it only reads the store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "service/admin/admin.h"
#include "service/caller.h"
#include "service/security/dormant_users.h"

namespace gatehouse::service {

enum class Severity : std::uint8_t { kHigh, kMedium, kLow };  // most severe first

std::string_view SeverityName(Severity severity);  // "high", "medium", "low"
// nullopt unless `name` is exactly one of SeverityName's values.
std::optional<Severity> SeverityFromName(std::string_view name);

// One user or object a finding concerns.
struct Affected {
  std::string type{};  // "user", "role", "session", "account", "email", "ip", "token"
  // Numeric id for users, roles and the account; `key` carries the id of the others (a
  // session's public id, the email or the address) and `id` stays 0.
  std::int64_t id = 0;
  std::string key{};
  std::string name{};
  domain::UserId user_id = 0;  // sessions, emails, tokens: the user concerned (0: none/unknown)
  std::string detail{};        // why this one, in a short phrase; may be empty
  // Named numbers (records owned per data set, failures in the window, ...), in display order.
  std::vector<std::pair<std::string, std::int64_t>> counts{};
};

struct Finding {
  std::string code{};
  Severity severity = Severity::kLow;
  std::string title{};  // one sentence
  std::vector<Affected> affected{};
  std::string fix{};  // the API path and UI area where it is fixed
};

// Who the dormant-user rule (dormant_users.h) will deactivate within kDormantHorizonDays of
// the report: active users whose deadline is at or before then, ordered by (deadline, id). A
// deadline already passed means "at the next run" (the server runs the rule hourly). The last
// active administrator, whom the rule keeps, is listed in `kept` instead. Both empty when the
// policy's dormant_days is 0 (off).
struct DormantSchedule {
  std::int64_t dormant_days = 0;
  std::int64_t within_days = 0;
  std::vector<DormantUser> upcoming{};
  std::vector<DormantUser> kept{};
};

struct SecurityReport {
  std::int64_t generated_at = 0;  // unix seconds
  std::vector<Finding> findings{};
  DormantSchedule dormant{};
  std::int64_t Count(Severity severity) const;
};

// Thresholds (see above), exposed for the documentation and the tests.
inline constexpr std::int64_t kMaxAdministrators = 3;
inline constexpr std::int64_t kMaxAdministratorPercent = 20;
inline constexpr std::int64_t kDefaultDormantDays = 90;
inline constexpr std::int64_t kDormantHorizonDays = 7;
inline constexpr std::int64_t kIdleSessionCapSeconds = 7 * 24 * 3600;
inline constexpr std::int64_t kFailedLoginBurst = 10;
inline constexpr std::int64_t kFailedLoginWindowSeconds = 15 * 60;
inline constexpr std::int64_t kFailedLoginLookbackSeconds = 24 * 3600;
inline constexpr std::int64_t kCountryHistorySeconds = 365 * 24 * 3600;
inline constexpr std::int64_t kUnusedTokenDays = 90;

}  // namespace gatehouse::service
