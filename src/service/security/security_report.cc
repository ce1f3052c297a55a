// The security report: loads one snapshot of the account, runs every check, orders the result.
// The account-wide settings checks (2FA requirement, IP whitelist) live here; the others in
// security_report_users.cc and security_report_activity.cc.
#include "service/security/security_report.h"

#include <algorithm>
#include <tuple>

#include "base/enum_names.h"
#include "service/security/security.h"
#include "service/security/security_report_internal.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr base::EnumNames<Severity, 3> kSeverityNames{
    {{Severity::kHigh, "high"}, {Severity::kMedium, "medium"}, {Severity::kLow, "low"}}};

}  // namespace

std::string_view SeverityName(Severity severity) {
  return base::NameOf(kSeverityNames, severity, "low");
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  return base::ValueOf(kSeverityNames, name);
}

std::int64_t SecurityReport::Count(Severity severity) const {
  return std::count_if(findings.begin(), findings.end(),
                       [severity](const Finding& f) { return f.severity == severity; });
}

namespace report {

const storage::UserRow* Snapshot::FindUser(domain::UserId id) const {
  auto it = std::lower_bound(
      users.begin(), users.end(), id,
      [](const storage::UserRow& u, domain::UserId wanted) { return u.user.id < wanted; });
  return it != users.end() && it->user.id == id ? &*it : nullptr;
}

std::string Snapshot::UserName(domain::UserId id) const {
  const storage::UserRow* user = FindUser(id);
  return user != nullptr ? user->user.name : "user " + std::to_string(id);
}

Affected UserAffected(const domain::User& user, std::string detail) {
  return Affected{.type = "user",
                  .id = user.id,
                  .name = user.name,
                  .user_id = user.id,
                  .detail = std::move(detail)};
}

std::string Plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool HoldsWideRights(const domain::Rights& rights) {
  using domain::Action;
  using domain::DataSet;
  using domain::Level;
  for (DataSet ds : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kTasks}) {
    for (Action a : {Action::kView, Action::kEdit, Action::kDelete, Action::kExport}) {
      if (domain::ActionApplies(ds, a) && rights.Get(ds, a) >= Level::kTeamWide) return true;
    }
  }
  for (const domain::StageRights& stage : rights.stage_rights) {
    for (const std::optional<Level>& level : stage.levels) {
      if (level && *level >= Level::kTeamWide) return true;
    }
  }
  return false;
}

namespace {

Affected AccountAffected(const storage::AccountRow& account) {
  return Affected{.type = "account", .id = account.id, .name = account.name};
}

void CheckTwoFactorPolicy(const Snapshot& snapshot, Findings& out) {
  if (snapshot.policy.require_two_factor) return;
  std::int64_t without = 0;
  for (const storage::UserRow& u : snapshot.users) {
    without += u.user.is_active && !u.totp_enabled ? 1 : 0;
  }
  Affected account = AccountAffected(snapshot.account);
  account.counts = {{"active_users_without_two_factor", without}};
  out.push_back({"two_factor_not_required",
                 Severity::kMedium,
                 "The workspace does not require two-step verification; " +
                     Plural(without, "active user has", "active users have") + " not enabled it.",
                 {std::move(account)},
                 "PATCH /api/v4/security/policy {\"require_two_factor\": true}"});
}

void CheckWhitelist(const Snapshot& snapshot, Findings& out) {
  const IpWhitelist& w = snapshot.whitelist;
  if (!w.enabled) {
    out.push_back({"ip_whitelist_off",
                   Severity::kMedium,
                   "The IP whitelist is off: logins are accepted from any address.",
                   {AccountAffected(snapshot.account)},
                   "PUT /api/v4/security/ip_whitelist {\"enabled\": true, \"entries\": [...]}"});
  } else if (w.report_only) {
    Affected account = AccountAffected(snapshot.account);
    account.counts = {{"entries", static_cast<std::int64_t>(w.entries.size())}};
    out.push_back({"ip_whitelist_report_only",
                   Severity::kLow,
                   "The IP whitelist runs in report-only mode: it logs whom it would refuse but "
                   "refuses nobody.",
                   {std::move(account)},
                   "review GET /api/v4/events?filter[type]=ip_whitelist_would_refuse, then PUT "
                   "/api/v4/security/ip_whitelist {\"report_only\": false}"});
  }
}

Result<Snapshot> LoadSnapshot(const AdminDeps& deps, const storage::AccountReader& reader) {
  Snapshot s;
  s.now = deps.clock->NowSeconds();
  GH_ASSIGN_OR_RETURN(s.account, reader.Account());
  GH_ASSIGN_OR_RETURN(s.users, reader.ListUsers());
  GH_ASSIGN_OR_RETURN(s.roles, reader.ListRoles());
  GH_ASSIGN_OR_RETURN(AccountSecurity security, LoadAccountSecurity(reader));
  s.policy = std::move(security.policy);
  s.whitelist = std::move(security.whitelist);
  GH_ASSIGN_OR_RETURN(s.sessions, reader.ListSessions());
  std::sort(
      s.users.begin(), s.users.end(),
      [](const storage::UserRow& a, const storage::UserRow& b) { return a.user.id < b.user.id; });
  return s;
}

// Severity, then code; inside a finding, affected entries by (type, id, key).
void Order(std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    std::sort(f.affected.begin(), f.affected.end(), [](const Affected& a, const Affected& b) {
      return std::tie(a.type, a.id, a.key) < std::tie(b.type, b.id, b.key);
    });
  }
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.code) < std::tie(b.severity, b.code);
  });
}

}  // namespace
}  // namespace report

Result<SecurityReport> SecurityService::BuildSecurityReport(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  if (deps_.store == nullptr || deps_.clock == nullptr) {
    return Status::Internal("security report: store and clock are required");
  }
  const storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(report::Snapshot snapshot, report::LoadSnapshot(deps_, reader));
  SecurityReport out;
  out.generated_at = snapshot.now;
  report::Findings& f = out.findings;
  report::CheckAdministrators(snapshot, f);
  report::CheckTwoFactorPolicy(snapshot, f);
  report::CheckExportRights(snapshot, f);
  report::CheckDormantUsers(snapshot, f);
  GH_RETURN_IF_ERROR(report::CheckDeactivatedOwners(reader, snapshot, f));
  report::CheckIdleSessions(snapshot, f);
  GH_RETURN_IF_ERROR(report::CheckNewCountries(reader, snapshot, f));
  report::CheckWhitelist(snapshot, f);
  GH_RETURN_IF_ERROR(report::CheckFailedLogins(reader, snapshot, f));
  report::CheckUnusedRoles(snapshot, f);
  GH_RETURN_IF_ERROR(report::CheckUnusedTokens(reader, snapshot, f));
  report::Order(f);
  out.dormant.dormant_days = snapshot.policy.dormant_days;
  out.dormant.within_days = kDormantHorizonDays;
  for (DormantUser& d : PlanDormantUsers(snapshot.users, snapshot.policy.dormant_days,
                                         snapshot.now + kDormantHorizonDays * kDaySeconds,
                                         snapshot.policy.four_eyes ? 2 : 1)) {
    (d.kept_last_admin ? out.dormant.kept : out.dormant.upcoming).push_back(std::move(d));
  }
  return out;
}

}  // namespace gatehouse::service
