// Dormant users (SPEC §6) over real stored data, on SQLite and (with GATEHOUSE_TEST_PG_URL)
// PostgreSQL, with a fake clock: the day boundary, never-logged-in users, the last
// administrator, reactivation, what a deactivation ends and frees, the event and the chain,
// dry runs, concurrent runs from two stores, and the scheduler's lease.
#include "service/security/dormant_users.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "service/admin/admin_users.h"
#include "service/bootstrap.h"
#include "service/policy_cache.h"
#include "service/security/security_report.h"
#include "service/security/security_settings.h"
#include "service/service_test_util.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

class DormantUsersTest : public testing::AcmeEngineFixture {
 protected:
  Caller As(domain::UserId user) { return SessionOf(user); }
  Caller System() { return SystemOf("test"); }

  // A user created now (clock), active unless said otherwise, never logged in.
  domain::UserId AddUser(const std::string& name, bool is_admin = false, bool is_free = false,
                         bool is_active = true) {
    domain::UserId id = 0;
    Write([&](storage::AccountWriter& w) -> base::Status {
      const storage::UserRow row{.user = {.name = name,
                                          .email = name + "@acme.test",
                                          .is_admin = is_admin,
                                          .is_active = is_active,
                                          .is_free = is_free},
                                 .created_at = clock_.NowSeconds()};
      GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
      return base::Status::Ok();
    });
    return id;
  }
  void Login(domain::UserId user, std::int64_t at) {
    Write([&](storage::AccountWriter& w) { return w.SetLastLogin(user, at); });
  }
  void SetDormantDays(std::int64_t days) {
    const SecurityPolicy policy{.dormant_days = days};
    Write([&](storage::AccountWriter& w) {
      return w.PutSecuritySettings(
          {SerializeSecurityPolicy(policy), SerializeIpWhitelist({}), clock_.NowSeconds()});
    });
  }
  bool Active(domain::UserId user) {
    auto row = Reader().GetUser(user);
    EXPECT_TRUE(row.ok());
    return row.ok() && row->user.is_active;
  }
  DormantRun Run(bool dry_run = false) {
    auto run = security_service_.DeactivateDormantUsers(System(), dry_run);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : DormantRun{};
  }
  static std::vector<domain::UserId> Ids(const std::vector<DormantUser>& users) {
    std::vector<domain::UserId> out;
    for (const DormantUser& d : users) out.push_back(d.user_id);
    return out;
  }
  std::vector<storage::EventRow> Deactivations() { return Events("user_deactivated"); }
};

TEST_P(DormantUsersTest, OffDeactivatesNobody) {
  const domain::UserId old = AddUser("old");
  Login(admin_, clock_.NowSeconds());
  clock_.Advance(3650 * kDaySeconds);
  DormantRun run = Run();
  EXPECT_EQ(run.dormant_days, 0);
  EXPECT_TRUE(run.deactivated.empty());
  EXPECT_TRUE(Active(old));
  EXPECT_TRUE(Deactivations().empty());
}

TEST_P(DormantUsersTest, DeactivatedOnTheDayTheLastLoginIsDormantDaysOld) {
  SetDormantDays(30);
  const domain::UserId user = AddUser("user");
  const std::int64_t login = clock_.NowSeconds();
  Login(user, login);
  const domain::UserId fresh = AddUser("fresh");
  Login(admin_, login + 40 * kDaySeconds);   // the administrator stays in use
  clock_.Set(login + 30 * kDaySeconds - 1);  // one second short of 30 days
  EXPECT_TRUE(Run().deactivated.empty());
  EXPECT_TRUE(Active(user));
  clock_.Set(login + 30 * kDaySeconds);  // exactly 30 days
  DormantRun run = Run();
  // The other user never logged in but was created at the same moment: due at the same time.
  EXPECT_EQ(Ids(run.deactivated), (std::vector<domain::UserId>{user, fresh}));
  EXPECT_FALSE(Active(user));
  EXPECT_FALSE(Active(fresh));
  EXPECT_TRUE(Active(admin_));
}

TEST_P(DormantUsersTest, NeverLoggedInCountsFromCreation) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  clock_.Advance(10 * kDaySeconds);
  const domain::UserId newcomer = AddUser("newcomer");  // created on day 10, never logs in
  Login(admin_, start + 100 * kDaySeconds);
  clock_.Set(start + 39 * kDaySeconds);
  EXPECT_TRUE(Run().deactivated.empty()) << "29 days after creation";
  EXPECT_TRUE(Active(newcomer));
  clock_.Set(start + 40 * kDaySeconds);
  DormantRun run = Run();
  ASSERT_EQ(Ids(run.deactivated), (std::vector<domain::UserId>{newcomer}));
  EXPECT_EQ(run.deactivated[0].since, start + 10 * kDaySeconds);
  EXPECT_EQ(run.deactivated[0].last_login_at, 0);
}

TEST_P(DormantUsersTest, TheLastActiveAdministratorIsKept) {
  SetDormantDays(30);
  const domain::UserId second = AddUser("second", /*is_admin=*/true);
  const std::int64_t start = clock_.NowSeconds();
  Login(admin_, start);
  Login(second, start + kDaySeconds);  // the later sign of life
  const domain::UserId member = AddUser("member");
  clock_.Set(start + 60 * kDaySeconds);
  DormantRun run = Run();
  // Both administrators are due: the first one goes, the one seen last is kept.
  EXPECT_EQ(Ids(run.deactivated), (std::vector<domain::UserId>{admin_, member}));
  EXPECT_EQ(Ids(run.kept), (std::vector<domain::UserId>{second}));
  EXPECT_TRUE(run.kept[0].kept_last_admin);
  EXPECT_FALSE(Active(admin_));
  EXPECT_TRUE(Active(second));
  // Later runs keep them too, and write nothing more.
  clock_.Advance(365 * kDaySeconds);
  run = Run();
  EXPECT_TRUE(run.deactivated.empty());
  EXPECT_EQ(Ids(run.kept), (std::vector<domain::UserId>{second}));
  EXPECT_TRUE(Active(second));
  EXPECT_EQ(Deactivations().size(), 2u);
}

TEST_P(DormantUsersTest, AnAdministratorGoesWhenAnotherStaysActive) {
  SetDormantDays(30);
  const domain::UserId second = AddUser("second", /*is_admin=*/true);
  const std::int64_t start = clock_.NowSeconds();
  Login(admin_, start);
  Login(second, start + 50 * kDaySeconds);
  clock_.Set(start + 60 * kDaySeconds);
  EXPECT_EQ(Ids(Run().deactivated), (std::vector<domain::UserId>{admin_}));
  EXPECT_TRUE(Active(second));
}

TEST_P(DormantUsersTest, DeactivationEndsSessionsAndTokensFreesTheSeatKeepsRecords) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId sleeper = AddUser("sleeper");
  const domain::UserId waiting = AddUser("waiting", false, false, /*is_active=*/false);
  storage::Lead lead;
  Write([&](storage::AccountWriter& w) -> base::Status {
    GH_RETURN_IF_ERROR(
        w.CreateSession(storage::SessionRow{.id = "s1",
                                            .token_hash = "hash-s1",
                                            .account_id = account_,
                                            .user_id = sleeper,
                                            .created_at = start,
                                            .last_seen_at = start,
                                            .expires_at = start + 365 * kDaySeconds}));
    const storage::ApiTokenRow token{.account_id = account_,
                                     .user_id = sleeper,
                                     .name = "script",
                                     .token_hash = "token-hash",
                                     .created_at = start};
    GH_RETURN_IF_ERROR(w.CreateApiToken(token).status());
    GH_ASSIGN_OR_RETURN(
        lead, w.Create(storage::Lead{.name = "Kept lead", .responsible_user_id = sleeper}));
    // Every paid seat taken: the administrator and the sleeper.
    return w.UpdateAccount("Acme", 2);
  });
  // The waiting user cannot be activated: no free seat.
  const UserPatch activate{.flags = {.is_active = true}};
  auto refused = admin_service_.UpdateUser(As(admin_), waiting, activate);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), base::Code::kResourceExhausted);

  Login(admin_, start + 30 * kDaySeconds);
  clock_.Set(start + 30 * kDaySeconds);
  DormantRun run = Run();
  ASSERT_EQ(Ids(run.deactivated), (std::vector<domain::UserId>{sleeper}));
  EXPECT_EQ(run.deactivated[0].sessions_ended, 1);
  EXPECT_EQ(run.deactivated[0].tokens_revoked, 1);
  EXPECT_TRUE(Reader().ListSessions(sleeper)->empty());
  auto tokens = Reader().ListApiTokens(sleeper);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE((*tokens)[0].revoked);
  // Records stay with the user.
  auto kept = Reader().Get<storage::Lead>(lead.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->responsible_user_id, sleeper);
  // The seat is free: the waiting user can now be activated.
  auto activated = admin_service_.UpdateUser(As(admin_), waiting, activate);
  EXPECT_TRUE(activated.ok()) << activated.status().ToString();
  // The deactivation is known to the policy at once.
  auto policy = policies_->Get(account_);
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE((*policy)->IsActive(sleeper));
}

TEST_P(DormantUsersTest, TheEventNamesTheRuleAndTheChainVerifies) {
  SetDormantDays(45);
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId sleeper = AddUser("sleeper");
  Login(sleeper, start + kDaySeconds);
  Login(admin_, start + 100 * kDaySeconds);
  clock_.Set(start + 46 * kDaySeconds);
  ASSERT_EQ(Run().deactivated.size(), 1u);
  std::vector<storage::EventRow> events = Deactivations();
  ASSERT_EQ(events.size(), 1u);
  const storage::EventRow& e = events[0];
  EXPECT_EQ(e.entity_type, "user");
  EXPECT_EQ(e.entity_id, sleeper);
  EXPECT_EQ(e.actor_user_id, 0) << "the system, not a user";
  EXPECT_EQ(e.actor_ip, "test");
  EXPECT_EQ(e.created_at, start + 46 * kDaySeconds);
  // The shape of a manual deactivation, with the rule as the reason.
  EXPECT_EQ(nlohmann::json::parse(e.value_before_json),
            nlohmann::json::parse(R"([{"user":{"is_active":true}}])"));
  const nlohmann::json after = nlohmann::json::parse(e.value_after_json);
  EXPECT_EQ(after, nlohmann::json::parse(R"([{"user":{"is_active":false,"sessions_ended":0,
      "tokens_revoked":0,"reason":"dormant_days","dormant_days":45,"inactive_since":)" +
                                         std::to_string(start + kDaySeconds) + "}}]"));
  auto chain = Reader().VerifyEventChain();
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->intact()) << chain->first_break->reason;
}

TEST_P(DormantUsersTest, AReactivatedUserGetsDormantDaysAgainFromTheReactivation) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId user = AddUser("user");
  clock_.Set(start + 40 * kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  ASSERT_EQ(Ids(Run().deactivated), (std::vector<domain::UserId>{user}));

  clock_.Set(start + 50 * kDaySeconds);
  const UserPatch activate{.flags = {.is_active = true}};
  auto reactivated = admin_service_.UpdateUser(As(admin_), user, activate);
  ASSERT_TRUE(reactivated.ok()) << reactivated.status().ToString();
  EXPECT_EQ(reactivated->reactivated_at, start + 50 * kDaySeconds);
  EXPECT_TRUE(Run().deactivated.empty()) << "not again at once";
  EXPECT_TRUE(Active(user));
  clock_.Set(start + 80 * kDaySeconds - 1);
  Login(admin_, clock_.NowSeconds());
  EXPECT_TRUE(Run().deactivated.empty());
  clock_.Set(start + 80 * kDaySeconds);  // 30 days after the reactivation, still no login
  EXPECT_EQ(Ids(Run().deactivated), (std::vector<domain::UserId>{user}));
  EXPECT_EQ(Deactivations().size(), 2u);
}

TEST_P(DormantUsersTest, ALoginAfterTheReactivationCountsFromTheLogin) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId user = AddUser("user");
  Write([&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(user));
    row.reactivated_at = start + 5 * kDaySeconds;
    row.last_login_at = start + 20 * kDaySeconds;
    return w.UpdateUser(row);
  });
  auto row = Reader().GetUser(user);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->reactivated_at, start + 5 * kDaySeconds) << "stored and read back";
  EXPECT_EQ(DormantSince(*row), start + 20 * kDaySeconds);
  EXPECT_EQ(DormantDeadline(*row, 30), start + 50 * kDaySeconds);
}

TEST_P(DormantUsersTest, ADryRunListsAndChangesNothing) {
  SetDormantDays(30);
  const domain::UserId user = AddUser("user");
  clock_.Advance(31 * kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  DormantRun dry = Run(/*dry_run=*/true);
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(Ids(dry.deactivated), (std::vector<domain::UserId>{user}));
  EXPECT_TRUE(Active(user));
  EXPECT_TRUE(Deactivations().empty());
}

TEST_P(DormantUsersTest, AdministratorsAndTheSystemOnly) {
  SetDormantDays(30);
  const domain::UserId member = AddUser("member");
  Login(member, clock_.NowSeconds());
  auto denied = security_service_.DeactivateDormantUsers(As(member), false);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), base::Code::kPermissionDenied);
  EXPECT_TRUE(security_service_.DeactivateDormantUsers(As(admin_), true).ok());
}

TEST_P(DormantUsersTest, TwoStoresRunningAtOnceDeactivateEachUserOnce) {
  SetDormantDays(30);
  std::vector<domain::UserId> sleepers;
  for (int i = 0; i < 6; ++i) sleepers.push_back(AddUser("sleeper" + std::to_string(i)));
  clock_.Advance(31 * kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  // A second server: its own store (own connections) on the same database.
  auto other = storage::Store::Open(url_, 2);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  AdminDeps other_deps{other->get(), nullptr, &clock_};
  base::Result<std::vector<DormantRun>> a = std::vector<DormantRun>{};
  base::Result<std::vector<DormantRun>> b = std::vector<DormantRun>{};
  std::thread first([&] { a = security_service_.DeactivateDormantUsersEverywhere("one", false); });
  std::thread second(
      [&] { b = SecurityService(other_deps).DeactivateDormantUsersEverywhere("two", false); });
  first.join();
  second.join();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  std::vector<domain::UserId> done = Ids((*a)[0].deactivated);
  for (domain::UserId id : Ids((*b)[0].deactivated)) done.push_back(id);
  std::sort(done.begin(), done.end());
  EXPECT_EQ(done, sleepers) << "each user deactivated by exactly one of the runs";
  std::vector<storage::EventRow> events = Deactivations();
  EXPECT_EQ(events.size(), sleepers.size());
  auto chain = Reader().VerifyEventChain();
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact()) << chain->first_break->reason;
}

TEST_P(DormantUsersTest, TheSchedulerRunsOncePerPeriodAcrossServers) {
  SetDormantDays(30);
  const domain::UserId user = AddUser("user");
  clock_.Advance(31 * kDaySeconds);
  Login(admin_, clock_.NowSeconds());
  auto other = storage::Store::Open(url_, 2);
  ASSERT_TRUE(other.ok());
  DormantScheduler one(deps_, {.period_seconds = 3600, .holder = "one"});
  DormantScheduler two({other->get(), nullptr, &clock_}, {.period_seconds = 3600, .holder = "two"});
  std::vector<DormantRun> runs;
  auto ran = one.RunOnce(&runs);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(*ran);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(Ids(runs[0].deactivated), (std::vector<domain::UserId>{user}));
  // The other server, within the period: the lease is taken, it does not run.
  clock_.Advance(3599);
  EXPECT_FALSE(*two.RunOnce());
  EXPECT_FALSE(*one.RunOnce());
  // Once the period is over, whoever asks first runs.
  clock_.Advance(1);
  EXPECT_TRUE(*two.RunOnce());
  EXPECT_FALSE(*one.RunOnce());
  EXPECT_EQ(Deactivations().size(), 1u);
  EXPECT_FALSE(Active(user));
}

TEST_P(DormantUsersTest, TheSecurityReportListsTheNextSevenDays) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  const domain::UserId soon = AddUser("soon");
  Login(soon, start);
  const domain::UserId later = AddUser("later");
  Login(later, start + 10 * kDaySeconds);
  const domain::UserId never = AddUser("never");  // created at start, never logged in
  Login(admin_, start + 20 * kDaySeconds);
  clock_.Set(start + 25 * kDaySeconds);
  auto report = security_service_.BuildSecurityReport(As(admin_));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->dormant.dormant_days, 30);
  EXPECT_EQ(report->dormant.within_days, 7);
  // Due on day 30 (both), day 40 and day 50: the first two are within seven days.
  EXPECT_EQ(Ids(report->dormant.upcoming), (std::vector<domain::UserId>{soon, never}));
  EXPECT_EQ(report->dormant.upcoming[0].deactivate_at, start + 30 * kDaySeconds);
  EXPECT_TRUE(report->dormant.kept.empty());
  (void)later;

  // Off: nobody.
  SetDormantDays(0);
  report = security_service_.BuildSecurityReport(As(admin_));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->dormant.upcoming.empty());
  EXPECT_EQ(report->dormant.dormant_days, 0);
}

TEST_P(DormantUsersTest, TheSecurityReportShowsTheKeptAdministrator) {
  SetDormantDays(30);
  const std::int64_t start = clock_.NowSeconds();
  Login(admin_, start);
  const domain::UserId member = AddUser("member");
  Login(member, start + 20 * kDaySeconds);
  clock_.Set(start + 27 * kDaySeconds);
  auto report = security_service_.BuildSecurityReport(As(admin_));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->dormant.upcoming.empty());
  EXPECT_EQ(Ids(report->dormant.kept), (std::vector<domain::UserId>{admin_}));
}

TEST(DormantPlanTest, FreeAndDeactivatedUsers) {
  std::vector<storage::UserRow> users(4);
  for (std::size_t i = 0; i < users.size(); ++i) {
    users[i].user.id = static_cast<domain::UserId>(i + 1);
    users[i].user.is_active = true;
    users[i].created_at = 1000;
  }
  users[0].user.is_admin = true;
  users[0].last_login_at = 1000 + 100 * kDaySeconds;  // in use
  users[1].user.is_free = true;                       // free users are deactivated too
  users[2].user.is_active = false;                    // already deactivated: not again
  users[3].user.is_admin = true;                      // an administrator, and another is in use
  std::vector<DormantUser> due = PlanDormantUsers(users, 30, 1000 + 30 * kDaySeconds);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].user_id, 2);
  EXPECT_EQ(due[1].user_id, 4);
  EXPECT_FALSE(due[1].kept_last_admin);
  EXPECT_TRUE(PlanDormantUsers(users, 0, 1000 + 3650 * kDaySeconds).empty());
  // With four-eyes approval on, two administrators stay, so that one can approve the other.
  std::vector<DormantUser> kept_two = PlanDormantUsers(users, 30, 1000 + 30 * kDaySeconds, 2);
  ASSERT_EQ(kept_two.size(), 2u);
  EXPECT_TRUE(kept_two[1].kept_last_admin);
}

INSTANTIATE_TEST_SUITE_P(Engines, DormantUsersTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
