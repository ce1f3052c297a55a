// Dormant users: the plan (pure), the run over one account in one locked transaction, and the
// scheduler that runs it once per period across the servers of one database.
#include "service/security/dormant_users.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "service/admin/admin_internal.h"
#include "service/json_text.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/security/security_settings.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

DormantUser Describe(const storage::UserRow& row, std::int64_t dormant_days) {
  return DormantUser{.user_id = row.user.id,
                     .name = row.user.name,
                     .email = row.user.email,
                     .is_admin = row.user.is_admin,
                     .is_free = row.user.is_free,
                     .last_login_at = row.last_login_at,
                     .since = DormantSince(row),
                     .deactivate_at = DormantDeadline(row, dormant_days)};
}

// Deactivates `d` inside the run's transaction exactly as UpdateUser does, with the rule as the
// event's reason.
Status Deactivate(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                  std::int64_t dormant_days, DormantUser& d) {
  GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(d.user_id));
  row.user.is_active = false;
  GH_RETURN_IF_ERROR(w.UpdateUser(row));
  GH_ASSIGN_OR_RETURN(d.sessions_ended, w.DeleteSessions(d.user_id));
  GH_ASSIGN_OR_RETURN(d.tokens_revoked, w.RevokeApiTokensOfUser(d.user_id));
  return RecordEvent(
      w, caller, now,
      {"user_deactivated", "user", d.user_id, EventValue("user", {{"is_active", true}}),
       EventValue("user", {{"is_active", false},
                           {"sessions_ended", d.sessions_ended},
                           {"tokens_revoked", d.tokens_revoked},
                           {"reason", "dormant_days"},
                           {"dormant_days", dormant_days},
                           {"inactive_since", d.since}})});
}

}  // namespace

std::int64_t DormantSince(const storage::UserRow& row) {
  const std::int64_t seen = row.last_login_at != 0 ? row.last_login_at : row.created_at;
  return std::max(seen, row.reactivated_at);
}

std::int64_t DormantDeadline(const storage::UserRow& row, std::int64_t dormant_days) {
  return DormantSince(row) + dormant_days * kDaySeconds;
}

std::vector<DormantUser> PlanDormantUsers(std::span<const storage::UserRow> users,
                                          std::int64_t dormant_days, std::int64_t until,
                                          std::int64_t keep_admins) {
  std::vector<DormantUser> due;
  if (dormant_days <= 0) return due;
  std::int64_t active_admins = 0;
  for (const storage::UserRow& row : users) {
    if (row.user.IsActiveAdmin()) ++active_admins;
    if (!row.user.is_active || DormantDeadline(row, dormant_days) > until) continue;
    due.push_back(Describe(row, dormant_days));
  }
  std::sort(due.begin(), due.end(), [](const DormantUser& a, const DormantUser& b) {
    return std::tie(a.deactivate_at, a.user_id) < std::tie(b.deactivate_at, b.user_id);
  });
  for (DormantUser& d : due) {
    if (!d.is_admin || d.is_free) continue;  // only active paid administrators are counted
    if (active_admins <= keep_admins) {
      d.kept_last_admin = true;
    } else {
      --active_admins;
    }
  }
  return due;
}

Result<DormantRun> SecurityService::DeactivateDormantUsers(const Caller& caller,
                                                           bool dry_run) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  if (deps_.store == nullptr || deps_.clock == nullptr) {
    return Status::Internal("dormant users: store and clock are required");
  }
  const std::int64_t now = deps_.clock->NowSeconds();
  // What a run does, as the account is seen through `reader`.
  auto decide = [&](const storage::AccountReader& reader) -> Result<DormantRun> {
    DormantRun run{.account_id = caller.account_id, .dry_run = dry_run};
    GH_ASSIGN_OR_RETURN(storage::AccountRow account, reader.Account());
    run.subdomain = account.subdomain;
    GH_ASSIGN_OR_RETURN(AccountSecurity security, LoadAccountSecurity(reader));
    run.dormant_days = security.policy.dormant_days;
    if (run.dormant_days <= 0) return run;
    GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> users, reader.ListUsers());
    const std::int64_t keep_admins = security.policy.four_eyes ? 2 : 1;
    for (DormantUser& d : PlanDormantUsers(users, run.dormant_days, now, keep_admins)) {
      (d.kept_last_admin ? run.kept : run.deactivated).push_back(std::move(d));
    }
    return run;
  };
  // A cheap look first (all of a dry run): most runs find nobody, and then take no lock and
  // write nothing.
  GH_ASSIGN_OR_RETURN(DormantRun planned, decide(deps_.store->Reader(caller.account_id)));
  if (dry_run || planned.deactivated.empty()) return planned;
  auto deactivate = [&](storage::AccountWriter& w) -> Result<DormantRun> {
    GH_RETURN_IF_ERROR(w.LockJob(storage::AccountWriter::kJobDormantUsers));
    // Decided again under the lock: what a concurrent run did is seen now.
    GH_ASSIGN_OR_RETURN(DormantRun run, decide(w));
    for (DormantUser& d : run.deactivated) {
      GH_RETURN_IF_ERROR(Deactivate(w, caller, now, run.dormant_days, d));
    }
    return run;
  };
  GH_ASSIGN_OR_RETURN(DormantRun run, deps_.store->WriteResult(caller.account_id, deactivate));
  if (!run.deactivated.empty()) RefreshPolicy(deps_, caller.account_id);
  return run;
}

Result<std::vector<DormantRun>> SecurityService::DeactivateDormantUsersEverywhere(
    std::string_view actor_ip, bool dry_run) const {
  if (deps_.store == nullptr) return Status::Internal("dormant users: store is required");
  GH_ASSIGN_OR_RETURN(std::vector<storage::AccountRow> accounts, deps_.store->ListAccounts());
  std::sort(accounts.begin(), accounts.end(),
            [](const storage::AccountRow& a, const storage::AccountRow& b) { return a.id < b.id; });
  std::vector<DormantRun> runs;
  for (const storage::AccountRow& account : accounts) {
    const Caller system{
        .account_id = account.id, .via = Via::kSystem, .client_ip = std::string(actor_ip)};
    GH_ASSIGN_OR_RETURN(DormantRun run, DeactivateDormantUsers(system, dry_run));
    runs.push_back(std::move(run));
  }
  return runs;
}

DormantScheduler::DormantScheduler(AdminDeps deps, Options options)
    : deps_(deps), job_(deps.store, deps.clock, kLeaseName, std::move(options)) {}

void DormantScheduler::Start() {
  job_.Start([this](bool first) { return Run(first, nullptr); });
}

Result<bool> DormantScheduler::RunOnce(std::vector<DormantRun>* runs) {
  return job_.RunOnce([&](bool first) { return Run(first, runs); });
}

Status DormantScheduler::Run(bool first, std::vector<DormantRun>* runs) {
  GH_ASSIGN_OR_RETURN(
      std::vector<DormantRun> done,
      SecurityService(deps_).DeactivateDormantUsersEverywhere("scheduler", /*dry_run=*/false));
  std::size_t deactivated = 0;
  for (const DormantRun& run : done) deactivated += run.deactivated.size();
  for (const DormantRun& run : done) {
    for (const DormantUser& d : run.deactivated) {
      spdlog::info(
          "dormant users: deactivated user {} ({}) of account {}: no login for {} days "
          "(sessions ended: {}, tokens revoked: {})",
          d.user_id, d.email, run.subdomain, run.dormant_days, d.sessions_ended, d.tokens_revoked);
    }
    for (const DormantUser& d : run.kept) {
      spdlog::info(
          "dormant users: kept user {} ({}) of account {} active: the last active administrator",
          d.user_id, d.email, run.subdomain);
    }
  }
  if (first || deactivated > 0) {
    spdlog::info("dormant users: check done ({} account(s), {} user(s) deactivated); next in {} s",
                 done.size(), deactivated, job_.options().period_seconds);
  }
  if (runs != nullptr) *runs = std::move(done);
  return Status::Ok();
}

}  // namespace gatehouse::service
