// Security report checks over sessions and the activity log: idle sessions, sessions from a new
// country, bursts of failed logins.
//
// Where the data comes from (written by auth_login.cc):
//   sessions.location                 ISO country code, "local" or "unknown" (auth/geoip.h)
//   login_succeeded value_after       [{"session": {"id", "device", "location", ...}}]
//   login_failed    value_after       [{"login": {"email", "reason"}}], actor_ip the client
#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/geoip.h"
#include "base/text.h"
#include "service/security/security_report_internal.h"
#include "service/service_names.h"

namespace gatehouse::service::report {

namespace {

// Every event of `types` created at or after `from`, newest first, page by page.
Status ScanRecentEvents(const storage::AccountReader& reader, std::vector<std::string> types,
                        std::int64_t from,
                        const std::function<void(const storage::EventRow&)>& visit) {
  storage::EventQuery query{
      .types = std::move(types), .created_at = {.from = from}, .limit = storage::kMaxPageLimit};
  for (;;) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::EventRow> page, reader.ListEvents(query));
    for (const storage::EventRow& e : page) visit(e);
    if (page.size() < static_cast<std::size_t>(query.limit)) return Status::Ok();
    query.before_id = page.back().id;
  }
}

// The first element's `object` member of a stored value (`[{"object": {...}}]`), or null.
json FirstObject(const std::string& value_json, const char* object) {
  json value = json::parse(value_json, nullptr, false);
  if (!value.is_array() || value.empty() || !value[0].is_object()) return nullptr;
  auto it = value[0].find(object);
  return it != value[0].end() && it->is_object() ? *it : json(nullptr);
}

std::string StringMember(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Only a real country compares: "unknown" says nothing, "local" is the operator's own network.
bool IsCountry(const std::string& location) {
  return !location.empty() && location != auth::kCountryUnknown && location != auth::kCountryLocal;
}

std::string Duration(std::int64_t seconds) {
  if (seconds % (24 * 3600) == 0) return Plural(seconds / (24 * 3600), "day", "days");
  if (seconds % 3600 == 0) return Plural(seconds / 3600, "hour", "hours");
  return Plural(seconds / 60, "minute", "minutes");
}

// The largest whole unit: "9 days", "5 hours", "12 minutes".
std::string Approximately(std::int64_t seconds) {
  if (seconds >= 24 * 3600) return Plural(seconds / (24 * 3600), "day", "days");
  if (seconds >= 3600) return Plural(seconds / 3600, "hour", "hours");
  return Plural(seconds / 60, "minute", "minutes");
}

Affected SessionAffected(const Snapshot& snapshot, const storage::SessionRow& session,
                         std::string detail) {
  return Affected{.type = "session",
                  .key = session.id,
                  .name = snapshot.UserName(session.user_id),
                  .user_id = session.user_id,
                  .detail = std::move(detail)};
}

// One earlier login of a user: when, which session, from which country.
struct PastLogin {
  std::int64_t at = 0;
  std::string session_id;
  std::string country;
};

// The most failures of `times` (ascending) that fit in one window of kFailedLoginWindowSeconds.
std::int64_t WorstWindow(const std::vector<std::int64_t>& times, std::int64_t* started_at) {
  std::int64_t worst = 0;
  std::size_t begin = 0;
  for (std::size_t end = 0; end < times.size(); ++end) {
    while (times[end] - times[begin] >= kFailedLoginWindowSeconds) ++begin;
    const auto n = static_cast<std::int64_t>(end - begin + 1);
    if (n > worst) {
      worst = n;
      *started_at = times[begin];
    }
  }
  return worst;
}

}  // namespace

void CheckIdleSessions(const Snapshot& snapshot, Findings& out) {
  const std::int64_t idle_limit = snapshot.policy.session_idle_minutes * 60;
  const std::int64_t threshold =
      idle_limit > 0 ? std::min(idle_limit, kIdleSessionCapSeconds) : kIdleSessionCapSeconds;
  std::vector<Affected> idle;
  for (const storage::SessionRow& s : snapshot.sessions) {
    // The same measure as auth::CheckSession: activity, or creation when never touched.
    const std::int64_t idle_for = snapshot.now - std::max(s.last_seen_at, s.created_at);
    if (idle_for < threshold) continue;
    // Past the idle limit the session no longer authenticates, but its row stays listed until
    // it is used or ended, or until the credential sweep removes it once its expires_at has
    // passed; below it (a long limit) it still works.
    std::string detail =
        "idle " + Approximately(idle_for) + ", from " + s.ip +
        (idle_limit > 0 && idle_for >= idle_limit ? "; expired by the idle limit but not ended"
                                                  : "; still valid");
    Affected a = SessionAffected(snapshot, s, std::move(detail));
    a.counts = {{"idle_seconds", idle_for}, {"last_activity_at", s.last_seen_at}};
    idle.push_back(std::move(a));
  }
  if (idle.empty()) return;
  const auto n = static_cast<std::int64_t>(idle.size());
  out.push_back({"idle_sessions", Severity::kLow,
                 Plural(n, "session has", "sessions have") + " had no activity for " +
                     Duration(threshold) + " or more.",
                 std::move(idle),
                 "end them: DELETE /api/v4/security/sessions/{id}, or POST "
                 "/api/v4/security/sessions/end {\"scope\": \"user\", \"user_id\": ...}; a "
                 "shorter session_idle_minutes (PATCH /api/v4/security/policy) ends them itself"});
}

Status CheckNewCountries(const storage::AccountReader& reader, const Snapshot& snapshot,
                         Findings& out) {
  // Earlier logins per user: the stored sessions, and the login_succeeded entries of the log
  // (which outlive their sessions) within the history window.
  std::map<domain::UserId, std::vector<PastLogin>> history;
  for (const storage::SessionRow& s : snapshot.sessions) {
    history[s.user_id].push_back({s.created_at, s.id, s.location});
  }
  if (std::none_of(snapshot.sessions.begin(), snapshot.sessions.end(),
                   [](const storage::SessionRow& s) { return IsCountry(s.location); })) {
    return Status::Ok();  // nothing to judge: no geolocation, or no sessions
  }
  GH_RETURN_IF_ERROR(
      ScanRecentEvents(reader, {"login_succeeded"}, snapshot.now - kCountryHistorySeconds,
                       [&](const storage::EventRow& e) {
                         const json session = FirstObject(e.value_after_json, "session");
                         history[e.entity_id].push_back({e.created_at, StringMember(session, "id"),
                                                         StringMember(session, "location")});
                       }));
  std::vector<Affected> flagged;
  for (const storage::SessionRow& s : snapshot.sessions) {
    if (!IsCountry(s.location)) continue;
    std::set<std::string> before;
    for (const PastLogin& p : history[s.user_id]) {
      if (p.at < s.created_at && p.session_id != s.id && IsCountry(p.country)) {
        before.insert(p.country);
      }
    }
    // A user's first located session has nothing to differ from.
    if (before.empty() || before.count(s.location) != 0) continue;
    std::string earlier;
    for (const std::string& c : before) earlier += (earlier.empty() ? "" : ", ") + c;
    flagged.push_back(SessionAffected(
        snapshot, s, "from " + s.location + " (" + s.ip + "); earlier sessions from " + earlier));
  }
  if (flagged.empty()) return Status::Ok();
  const auto n = static_cast<std::int64_t>(flagged.size());
  out.push_back({"session_new_country", Severity::kMedium,
                 Plural(n, "session comes", "sessions come") +
                     " from a country the user had no earlier session from.",
                 std::move(flagged),
                 "confirm with the user; if it was not them, DELETE "
                 "/api/v4/security/sessions/{id} and reset their password"});
  return Status::Ok();
}

namespace {

struct Failures {
  std::vector<std::int64_t> times;  // sorted
  domain::UserId user_id = 0;
};

// The failed logins of the lookback period by (type, key): ("email", lower-case address) and
// ("ip", address).
base::Result<std::map<std::pair<std::string, std::string>, Failures>> FailuresByKey(
    const storage::AccountReader& reader, const Snapshot& snapshot) {
  std::map<std::pair<std::string, std::string>, Failures> by_key;
  GH_RETURN_IF_ERROR(ScanRecentEvents(
      reader, {"login_failed"}, snapshot.now - kFailedLoginLookbackSeconds,
      [&](const storage::EventRow& e) {
        const std::string email =
            base::AsciiLower(StringMember(FirstObject(e.value_after_json, "login"), "email"));
        if (!email.empty()) {
          Failures& f = by_key[{"email", email}];
          f.times.push_back(e.created_at);
          if (e.entity_id != 0) f.user_id = e.entity_id;
        }
        if (!e.actor_ip.empty()) by_key[{"ip", e.actor_ip}].times.push_back(e.created_at);
      }));
  for (auto& [key, failures] : by_key) std::sort(failures.times.begin(), failures.times.end());
  return by_key;
}

}  // namespace

Status CheckFailedLogins(const storage::AccountReader& reader, const Snapshot& snapshot,
                         Findings& out) {
  GH_ASSIGN_OR_RETURN(auto by_key, FailuresByKey(reader, snapshot));
  std::vector<Affected> bursts;
  for (const auto& [key, failures] : by_key) {
    std::int64_t started_at = 0;
    const std::int64_t worst = WorstWindow(failures.times, &started_at);
    if (worst < kFailedLoginBurst) continue;
    Affected a{
        .type = key.first,
        .key = key.second,
        .name = key.second,
        .user_id = failures.user_id,
        .detail = std::to_string(worst) + " failures within " + Duration(kFailedLoginWindowSeconds),
        .counts = {{"failures_in_window", worst},
                   {"window_started_at", started_at},
                   {"failures_in_24_hours", static_cast<std::int64_t>(failures.times.size())}}};
    bursts.push_back(std::move(a));
  }
  if (bursts.empty()) return Status::Ok();
  out.push_back({"failed_login_burst", Severity::kHigh,
                 "Bursts of failed logins in the last 24 hours: " +
                     Plural(static_cast<std::int64_t>(bursts.size()), "email or address",
                            "emails or addresses") +
                     " with " + std::to_string(kFailedLoginBurst) + " or more failures within " +
                     Duration(kFailedLoginWindowSeconds) + ".",
                 std::move(bursts),
                 "review GET /api/v4/events?filter[type]=login_failed; lower lockout_threshold "
                 "(PATCH /api/v4/security/policy) or restrict addresses (PUT "
                 "/api/v4/security/ip_whitelist)"});
  return Status::Ok();
}

}  // namespace gatehouse::service::report
