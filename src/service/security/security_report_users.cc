// Security report checks over users, their rights and roles (SPEC §4, §6).
#include <algorithm>
#include <set>

#include "service/security/dormant_users.h"  // kDaySeconds
#include "service/security/security_report_internal.h"
#include "service/service_names.h"

namespace gatehouse::service::report {

using domain::Action;
using domain::DataSet;
using domain::Level;

namespace {

// Free users act on no data (SPEC §1) and administrators are covered by their own checks, so
// only active paid non-administrators are judged on their rights matrix.
bool JudgedOnRights(const domain::User& u) { return u.is_active && !u.is_admin && !u.is_free; }

// The export grants of G and A, as "leads A", "leads in stage 3/142 G", and the widest of them.
Level ExportGrants(const domain::Rights& rights, std::string& text) {
  Level widest = Level::kDenied;
  auto note = [&](std::string what, Level level) {
    if (level < Level::kTeamWide) return;
    if (!text.empty()) text += ", ";
    text += what + " " + domain::LevelLetter(level);
    widest = std::max(widest, level);
  };
  for (DataSet ds : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies}) {
    note(std::string(domain::DataSetName(ds)), rights.Get(ds, Action::kExport));
  }
  for (const domain::StageRights& stage : rights.stage_rights) {
    if (std::optional<Level> level = stage.Get(Action::kExport)) {
      note("leads in stage " + std::to_string(stage.stage.pipeline_id) + "/" +
               std::to_string(stage.stage.status_id),
           *level);
    }
  }
  return widest;
}

}  // namespace

void CheckAdministrators(const Snapshot& snapshot, Findings& out) {
  std::vector<Affected> admins;
  std::vector<Affected> without_two_factor;
  std::int64_t paid = 0;
  for (const storage::UserRow& u : snapshot.users) {
    if (!u.user.is_active) continue;
    paid += u.user.HoldsSeat() ? 1 : 0;
    if (!u.user.is_admin) continue;
    admins.push_back(UserAffected(u.user));
    if (!u.totp_enabled) without_two_factor.push_back(UserAffected(u.user));
  }
  if (!without_two_factor.empty()) {
    const auto n = static_cast<std::int64_t>(without_two_factor.size());
    out.push_back({"admins_without_two_factor", Severity::kHigh,
                   Plural(n, "active administrator has", "active administrators have") +
                       " not enabled two-step verification.",
                   std::move(without_two_factor),
                   "each enrols at POST /api/v4/security/two_factor/enroll; require it for "
                   "everyone with PATCH /api/v4/security/policy {\"require_two_factor\": true}"});
  }
  // One administrator is never too many: every workspace keeps at least one (SPEC §2), so the
  // share rule starts at two, or a team of four would always be flagged.
  const auto n = static_cast<std::int64_t>(admins.size());
  const bool over_count = n > kMaxAdministrators;
  const bool over_share = n >= 2 && n * 100 > kMaxAdministratorPercent * paid;
  if (!over_count && !over_share) return;
  std::string title = Plural(n, "active administrator", "active administrators");
  if (over_count) title += ": more than " + std::to_string(kMaxAdministrators);
  if (over_share) {
    title += std::string(over_count ? ", and " : ": ") + "more than " +
             std::to_string(kMaxAdministratorPercent) + "% of the " +
             Plural(paid, "active paid user", "active paid users");
  }
  out.push_back({"too_many_administrators", Severity::kMedium, title + ".", std::move(admins),
                 "demote who does not need full access: PATCH /api/v4/users/{id} "
                 "{\"is_admin\": false}"});
}

void CheckExportRights(const Snapshot& snapshot, Findings& out) {
  std::vector<Affected> allowed;
  std::vector<Affected> team_wide;
  for (const storage::UserRow& u : snapshot.users) {
    if (!JudgedOnRights(u.user)) continue;
    std::string grants;
    const Level widest = ExportGrants(u.user.rights, grants);
    if (widest == Level::kAllowed) allowed.push_back(UserAffected(u.user, "exports " + grants));
    if (widest == Level::kTeamWide) team_wide.push_back(UserAffected(u.user, "exports " + grants));
  }
  const std::string fix =
      "narrow the export right: PATCH /api/v4/users/{id} or, for users holding a role, PATCH "
      "/api/v4/roles/{id}";
  if (!allowed.empty()) {
    const auto n = static_cast<std::int64_t>(allowed.size());
    out.push_back({"export_rights_allowed", Severity::kMedium,
                   Plural(n, "user", "users") +
                       " may export every lead, contact or company of a data set or stage "
                       "(export right A).",
                   std::move(allowed), fix});
  }
  if (!team_wide.empty()) {
    const auto n = static_cast<std::int64_t>(team_wide.size());
    out.push_back({"export_rights_team_wide", Severity::kLow,
                   Plural(n, "user", "users") +
                       " may export the records of their whole group (export right G).",
                   std::move(team_wide), fix});
  }
}

void CheckDormantUsers(const Snapshot& snapshot, Findings& out) {
  const std::int64_t days =
      snapshot.policy.dormant_days > 0 ? snapshot.policy.dormant_days : kDefaultDormantDays;
  std::vector<Affected> dormant;
  for (const storage::UserRow& u : snapshot.users) {
    // A user who never logged in is measured from their creation, so a new colleague is not
    // dormant on day one.
    const std::int64_t since = u.last_login_at != 0 ? u.last_login_at : u.created_at;
    if (snapshot.now - since < days * kDaySeconds) continue;
    const bool wide = u.user.is_admin || HoldsWideRights(u.user.rights);
    if (!u.user.is_active && !wide) continue;
    std::string detail = u.last_login_at != 0 ? "last login " : "never logged in, created ";
    detail += std::to_string((snapshot.now - since) / kDaySeconds) + " days ago; ";
    if (u.user.is_active) {
      detail += u.user.is_admin ? "active administrator" : wide ? "active, wide rights" : "active";
    } else {
      detail += u.user.is_admin ? "deactivated administrator" : "deactivated, wide rights";
    }
    Affected a = UserAffected(u.user, std::move(detail));
    a.counts = {{"days_without_login", (snapshot.now - since) / kDaySeconds}};
    dormant.push_back(std::move(a));
  }
  if (dormant.empty()) return;
  const auto n = static_cast<std::int64_t>(dormant.size());
  out.push_back({"dormant_users", Severity::kMedium,
                 Plural(n, "user has", "users have") + " not logged in for " +
                     std::to_string(days) + " days and still " + (n == 1 ? "is" : "are") +
                     " active or hold" + (n == 1 ? "s" : "") + " wide rights.",
                 std::move(dormant),
                 "deactivate them with PATCH /api/v4/users/{id} {\"is_active\": false}, or "
                 "narrow their rights"});
}

void CheckUnusedRoles(const Snapshot& snapshot, Findings& out) {
  std::set<domain::RoleId> held;
  for (const storage::UserRow& u : snapshot.users) {
    if (u.user.role_id) held.insert(*u.user.role_id);
  }
  std::vector<Affected> unused;
  for (const domain::Role& role : snapshot.roles) {
    if (held.count(role.id) != 0) continue;
    Affected a{.type = "role", .id = role.id, .name = role.name};
    unused.push_back(std::move(a));
  }
  if (unused.empty()) return;
  const auto n = static_cast<std::int64_t>(unused.size());
  out.push_back({"unused_roles", Severity::kLow,
                 Plural(n, "role is", "roles are") + " held by no user.", std::move(unused),
                 "DELETE /api/v4/roles/{id}"});
}

namespace {

// What `user` is responsible for, over every record regardless of rights (the report reads as
// the administrator).
base::Result<storage::ReassignCounts> OwnedBy(const storage::AccountReader& reader,
                                              domain::UserId user) {
  const policy::ListFilter all = policy::ListFilter::All();
  storage::ListQuery query{.responsible_user_ids = {user}};
  storage::ReassignCounts c;
  GH_ASSIGN_OR_RETURN(c.leads, reader.Count<storage::Lead>(all, query));
  GH_ASSIGN_OR_RETURN(c.contacts, reader.Count<storage::Contact>(all, query));
  GH_ASSIGN_OR_RETURN(c.companies, reader.Count<storage::Company>(all, query));
  GH_ASSIGN_OR_RETURN(c.tasks, reader.Count<storage::Task>(all, query));
  GH_ASSIGN_OR_RETURN(c.customers, reader.Count<storage::Customer>(all, query));
  // Decided incoming leads are history, not ownership (the store clears them on removal):
  // only pending ones count, and the store has no state filter, so page through.
  query.limit = storage::kMaxPageLimit;
  for (;;) {
    GH_ASSIGN_OR_RETURN(storage::Page<storage::IncomingLead> page,
                        reader.List<storage::IncomingLead>(all, query));
    for (const storage::IncomingLead& item : page.items) {
      c.incoming_leads += item.state == "pending" ? 1 : 0;
    }
    if (!page.next) break;
    query.after = page.next;
  }
  query.after.reset();
  for (;;) {
    GH_ASSIGN_OR_RETURN(storage::Page<storage::Conversation> page,
                        reader.List<storage::Conversation>(all, query));
    c.conversations += static_cast<std::int64_t>(page.items.size());
    if (!page.next) break;
    query.after = page.next;
  }
  return c;
}

}  // namespace

Status CheckDeactivatedOwners(const storage::AccountReader& reader, const Snapshot& snapshot,
                              Findings& out) {
  std::vector<Affected> owners;
  std::int64_t records = 0;
  for (const storage::UserRow& u : snapshot.users) {
    if (u.user.is_active) continue;
    GH_ASSIGN_OR_RETURN(storage::ReassignCounts c, OwnedBy(reader, u.user.id));
    if (c.total() == 0) continue;
    records += c.total();
    Affected a = UserAffected(u.user, std::to_string(c.total()) + " records");
    a.counts = {{"leads", c.leads},
                {"contacts", c.contacts},
                {"companies", c.companies},
                {"tasks", c.tasks},
                {"incoming_leads", c.incoming_leads},
                {"conversations", c.conversations},
                {"customers", c.customers}};
    owners.push_back(std::move(a));
  }
  if (owners.empty()) return Status::Ok();
  const auto n = static_cast<std::int64_t>(owners.size());
  out.push_back({"deactivated_users_own_records", Severity::kMedium,
                 Plural(n, "deactivated user is", "deactivated users are") +
                     " still responsible for " + Plural(records, "record", "records") + ".",
                 std::move(owners),
                 "move their records to an active user: DELETE "
                 "/api/v4/users/{id}?reassign_to={user_id}, or change each record's "
                 "responsible_user_id"});
  return Status::Ok();
}

}  // namespace gatehouse::service::report
