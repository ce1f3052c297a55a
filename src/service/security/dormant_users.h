// Dormant users (SPEC §6): with the security policy's `dormant_days` set (0: off), an active
// user without a login for that many days is deactivated automatically.
//
// Rule:
//   - The dormancy clock of a user starts at the latest of: the last login, or the creation when
//     the user never logged in; and the last reactivation (users.reactivated_at). So a new
//     colleague gets `dormant_days` to log in, and a user an administrator has just reactivated
//     gets `dormant_days` again instead of being deactivated at the next run.
//   - A user is due once `now >= since + dormant_days * 86400` (DormantDeadline). Free users are
//     included (they hold sessions and tokens too); already deactivated users are not.
//   - Never the last active administrator: due users are taken in order of their deadline (then
//     id); an active paid administrator whose deactivation would leave no active administrator is
//     kept instead (the one with the most recent sign of life, since they come last).
//   - Deactivating is exactly a manual deactivation (admin_users.h): the seat is freed, every
//     session ends and every API token is revoked in the same transaction, records are kept, and
//     a `user_deactivated` event is written with value_after
//     {"is_active": false, "sessions_ended": n, "tokens_revoked": n, "reason": "dormant_days",
//      "dormant_days": N, "inactive_since": since} (the actor is the system: user 0, and the
//     event's actor_ip is "scheduler" or "cli"). Reactivation is an ordinary
//     PATCH /api/v4/users/{id} {"is_active": true}.
//   - One account is decided in one transaction that first takes the job lock
//     (AccountWriter::LockJob) and re-reads the users inside it: two runs at once (two servers,
//     or the server and cron) deactivate each user once and write one event.
//
// Thread-safety: every function is thread-safe; DormantScheduler's methods too.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "service/admin/admin.h"
#include "service/caller.h"
#include "service/leased_job.h"
#include "storage/store.h"

namespace gatehouse::service {

inline constexpr std::int64_t kDaySeconds = 24 * 3600;

// The start of the user's dormancy clock (see above).
std::int64_t DormantSince(const storage::UserRow& row);
// When the user becomes due: DormantSince + dormant_days days.
std::int64_t DormantDeadline(const storage::UserRow& row, std::int64_t dormant_days);

struct DormantUser {
  domain::UserId user_id = 0;
  std::string name{};
  std::string email{};
  bool is_admin = false;
  bool is_free = false;
  std::int64_t last_login_at = 0;  // 0: never
  std::int64_t since = 0;          // DormantSince
  std::int64_t deactivate_at = 0;  // DormantDeadline
  // Due, but the last active administrator: kept active.
  bool kept_last_admin = false;
  // Filled by a real run: what the deactivation ended.
  std::int64_t sessions_ended = 0;
  std::int64_t tokens_revoked = 0;
};

// Pure: the active users of `users` due by `until` under `dormant_days` (> 0; 0 gives none),
// ordered by (deactivate_at, user_id), with kept_last_admin set as the rule above decides:
// `keep_admins` active paid administrators always stay (1; 2 while four-eyes approval is on,
// so that someone is left to approve, four_eyes.h).
std::vector<DormantUser> PlanDormantUsers(std::span<const storage::UserRow> users,
                                          std::int64_t dormant_days, std::int64_t until,
                                          std::int64_t keep_admins = 1);

struct DormantRun {
  domain::AccountId account_id = 0;
  std::string subdomain{};
  std::int64_t dormant_days = 0;  // 0: the rule is off for the account, nothing was done
  bool dry_run = false;
  std::vector<DormantUser> deactivated{};  // in a dry run: who would be
  std::vector<DormantUser> kept{};         // due but kept as the last active administrator
};

// Runs the rule inside the server as the LeasedJob "dormant_users" (leased_job.h): once per
// `period` seconds of deps.clock across every server on the database, the first attempt at once,
// DeactivateDormantUsersEverywhere only when this server got the period's lease. The per-account
// lock makes an overlap (a lease that expired mid-run, cron at the same moment) harmless.
class DormantScheduler {
 public:
  static constexpr const char* kLeaseName = "dormant_users";
  using Options = LeasedJob::Options;
  DormantScheduler(AdminDeps deps, Options options);

  // Starts the background thread; its first attempt is at once.
  void Start();
  // Stops and joins (a run in progress finishes first). Idempotent.
  void Stop() { job_.Stop(); }
  // One attempt now, on the calling thread: claims the lease and runs when claimed. Returns
  // whether it ran, and the runs (for tests and logs).
  base::Result<bool> RunOnce(std::vector<DormantRun>* runs = nullptr);

 private:
  base::Status Run(bool first, std::vector<DormantRun>* runs);
  AdminDeps deps_;
  LeasedJob job_;
};

}  // namespace gatehouse::service
