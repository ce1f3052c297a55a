// Several `gatehouse serve` processes on one database (SPEC §8, issue 13), over loopback:
// - the login throttle holds across them (both engines): failures spread over two servers lock
//   at the count one server would;
// - PostgreSQL: a change made elsewhere reaches a server through LISTEN/NOTIFY. The servers run
//   with a security poll of an hour, so nothing but a notification (or the catch-up poll after
//   the listening connection comes back) can bring the change; and again after every listening
//   session was killed with pg_terminate_backend;
// - the dormant-user check runs on one server, not on each (both engines).
// Every wait is bounded (10 s) and none is asserted on: what is measured lives in
// docs/scaling.md.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "policy/rights_validation.h"
#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

// Waits (bounded: 10 s) until `done` holds; returns whether it did.
bool WaitUntil(const std::function<bool()>& done) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class ScaleOutTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    dir_ = std::make_unique<TempDir>();
    auto database = Database::Create(GetParam(), dir_->path());
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(database).value();
    auto store = storage::Store::Open(database_->url(), 2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto seeded = SeedAccount(*store_, "scale");
    ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
    account_ = seeded->account.id;
    ASSERT_TRUE(
        store_
            ->Write(account_,
                    [&](storage::AccountWriter& w) -> base::Status {
                      GH_ASSIGN_OR_RETURN(rep_, CreateSeededUser(w, "Rep", "rep@scale.test"));
                      const storage::Lead lead{.name = "Rep's lead", .responsible_user_id = rep_};
                      GH_ASSIGN_OR_RETURN(storage::Lead created, w.Create(lead));
                      lead_ = created.id;
                      return base::Status::Ok();
                    })
            .ok());
  }

  void TearDown() override {
    for (auto* server : {&a_, &b_}) {
      if (*server != nullptr) {
        EXPECT_EQ((*server)->Stop(), 0) << (*server)->LogTail();
      }
      server->reset();
    }
    store_.reset();
    database_.reset();
  }

  void StartServers(const std::vector<std::string>& args = {}) {
    auto a = ServerProcess::Start(database_->url(), dir_->path() + "/a.log", args);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    a_ = std::move(a).value();
    auto b = ServerProcess::Start(database_->url(), dir_->path() + "/b.log", args);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    b_ = std::move(b).value();
  }

  // Sets the rep's right to view leads, through this test's own Store (one more process).
  void SetRepLeadView(domain::Level level) {
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](storage::AccountWriter& w) -> base::Status {
                              GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(rep_));
                              row.user.rights.Set(domain::DataSet::kLeads, domain::Action::kView,
                                                  level);
                              policy::Normalize(row.user.rights);
                              return w.UpdateUser(row);
                            })
                    .ok());
  }

  // Terminates this database's listening sessions (one per server); returns how many.
  std::size_t KillListeners() {
    auto c = store_->pool().Acquire();
    auto killed = c->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        "'gatehouse-listen' AND datname = current_database()");
    EXPECT_TRUE(killed.ok()) << killed.status().ToString();
    return killed.ok() ? killed->size() : 0;
  }

  std::size_t Listeners() {
    auto c = store_->pool().Acquire();
    auto rows = c->Query(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'gatehouse-listen' AND "
        "datname = current_database()");
    return rows.ok() ? rows->size() : 0;
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<storage::Store> store_;
  domain::AccountId account_ = 0;
  domain::UserId rep_ = 0;
  domain::RecordId lead_ = 0;
  std::unique_ptr<ServerProcess> a_;
  std::unique_ptr<ServerProcess> b_;
};

TEST_P(ScaleOutTest, LoginLockOutHoldsAcrossServers) {
  StartServers();
  HttpClient admin(a_->port());
  ASSERT_EQ(Login(admin, "admin@scale.test").status, 200);
  // Lock at the 4th failure of one account+email; the three before it are free (no delays).
  Response policy = admin.SendJson("PATCH", "/api/v4/security/policy",
                                   {{"lockout_threshold", 4}, {"lockout_minutes", 5}});
  ASSERT_EQ(policy.status, 200) << policy.Describe();

  // Two failures on each server: one server alone never sees the 4th.
  for (int i = 0; i < 4; ++i) {
    HttpClient client(i % 2 == 0 ? a_->port() : b_->port());
    Response r = Login(client, "rep@scale.test", "wrong wrong wrong");
    ASSERT_EQ(r.status, 401) << i << " " << r.Describe();
  }
  for (ServerProcess* server : {a_.get(), b_.get()}) {
    HttpClient client(server->port());
    Response r = Login(client, "rep@scale.test");  // the right password
    EXPECT_EQ(r.status, 429) << r.Describe();
    EXPECT_FALSE(r.Header("retry-after").empty()) << r.Describe();
  }
  // Other users are not locked out.
  HttpClient other(b_->port());
  EXPECT_EQ(Login(other, "admin@scale.test").status, 200);
}

TEST_P(ScaleOutTest, ChangesArriveByNotificationAlsoAfterTheListenerWasKilled) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "LISTEN/NOTIFY is PostgreSQL's";
  // Polling an hour apart: only notifications (and the catch-up after reconnecting) remain.
  StartServers({"--security-poll-ms", "3600000"});
  ASSERT_TRUE(WaitUntil([&] { return Listeners() == 2; }));
  HttpClient rep(a_->port());
  ASSERT_EQ(Login(rep, "rep@scale.test").status, 200);
  const std::int64_t in_a_day = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() +
                                86400;
  Response created = rep.SendJson("POST", "/api/v4/security/tokens",
                                  {{"name", "scale-out"}, {"expires_at", in_a_day}});
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string token = created.body_json.value("token", std::string());
  const std::int64_t token_id = created.body_json.value("id", std::int64_t{0});
  HttpClient on_b(b_->port());
  on_b.SetBearer(token);
  const std::string lead = "/api/v4/leads/" + std::to_string(lead_);
  ASSERT_EQ(on_b.Get(lead).status, 200);  // B holds the verified token and compiled rights

  // 1. A rights change committed elsewhere: B stops showing the lead.
  SetRepLeadView(domain::Level::kDenied);
  EXPECT_TRUE(WaitUntil([&] { return on_b.Get(lead).status == 404; })) << b_->LogTail();

  // 2. Every listening session killed, the change made at once: the reconnected listeners
  //    catch up, and B shows the lead again.
  EXPECT_EQ(KillListeners(), 2u);
  SetRepLeadView(domain::Level::kAllowed);
  EXPECT_TRUE(WaitUntil([&] { return on_b.Get(lead).status == 200; })) << b_->LogTail();

  // 3. After the kill, a new listening session hears the next change: a token revoked
  //    through A is refused by B.
  ASSERT_TRUE(WaitUntil([&] { return Listeners() == 2; }));
  ASSERT_EQ(on_b.Get("/api/v4/account").status, 200);
  Response revoked = rep.Send("DELETE", "/api/v4/security/tokens/" + std::to_string(token_id));
  ASSERT_TRUE(revoked.status == 204 || revoked.status == 200) << revoked.Describe();
  EXPECT_TRUE(WaitUntil([&] { return on_b.Get("/api/v4/account").status == 401; }))
      << b_->LogTail();
  EXPECT_TRUE(a_->Running());
  EXPECT_TRUE(b_->Running());
}

// Dormant users (issue 16): both servers run the hourly check at start, and the lease in the
// database lets one of them do it: the dormant rep is deactivated once, with one event, and the
// administrator (dormant too, but the last one) is kept.
TEST_P(ScaleOutTest, TwoServersDeactivateADormantUserOnce) {
  ASSERT_TRUE(
      store_
          ->Write(
              account_,
              [&](storage::AccountWriter& w) {
                return w.PutSecuritySettings({R"({"dormant_days":30})", R"({"enabled":false})", 1});
              })
          .ok());
  StartServers();
  auto inactive = [&] {
    auto row = store_->Reader(account_).GetUser(rep_);
    return row.ok() && !row->user.is_active;
  };
  EXPECT_TRUE(WaitUntil(inactive)) << a_->LogTail() << b_->LogTail();
  // Both have made their first attempt (each logs it), one of them ran the check.
  auto attempted = [](ServerProcess& server) {
    return server.LogTail(100'000).find("dormant users: ") != std::string::npos;
  };
  EXPECT_TRUE(WaitUntil([&] { return attempted(*a_) && attempted(*b_); }))
      << a_->LogTail() << b_->LogTail();
  const bool a_ran = a_->LogTail(100'000).find("dormant users: check done") != std::string::npos;
  const bool b_ran = b_->LogTail(100'000).find("dormant users: check done") != std::string::npos;
  EXPECT_NE(a_ran, b_ran) << a_->LogTail() << b_->LogTail();
  for (auto* server : {&a_, &b_}) EXPECT_EQ((*server)->Stop(), 0);

  storage::EventQuery query;
  query.types = {"user_deactivated"};
  auto events = store_->Reader(account_).ListEvents(query);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].entity_id, rep_);
  EXPECT_EQ((*events)[0].actor_ip, "scheduler");
  EXPECT_NE((*events)[0].value_after_json.find(R"("reason":"dormant_days")"), std::string::npos)
      << (*events)[0].value_after_json;
  auto admin = store_->Reader(account_).FindUserByEmail("admin@scale.test");
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->user.is_active) << "the last active administrator is kept";
  // The lead stays the rep's.
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead_)->responsible_user_id, rep_);
  a_.reset();
  b_.reset();
}

INSTANTIATE_TEST_SUITE_P(Engines, ScaleOutTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

}  // namespace
}  // namespace gatehouse::apitest
