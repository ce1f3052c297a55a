// The command line as an operator uses it: exit codes, one-line reasons, and what lands in the
// database.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "service/auth/auth_keys.h"
#include "service/bootstrap.h"
#include "storage/sql/sqlite_connection.h"
#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs the binary with `args` (shell-quoted by the caller) and `env` assignments.
Outcome Gatehouse(const std::string& env, const std::string& args) {
  const std::string command = env + " " + GATEHOUSE_BINARY + " " + args + " 2>&1 </dev/null";
  Outcome run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gatehouse-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "g.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliTest, HelpEverywhere) {
  for (const char* command : {"",
                              "serve",
                              "init",
                              "demo",
                              "migrate",
                              "keys",
                              "keys rotate",
                              "audit",
                              "audit verify",
                              "verify",
                              "verify counters",
                              "security-report",
                              "explain",
                              "user",
                              "user reset-2fa",
                              "user reset-password",
                              "user end-sessions",
                              "user deactivate-dormant",
                              "backup",
                              "restore",
                              "config",
                              "config check",
                              "import"}) {
    Outcome run = Gatehouse("", std::string(command) + " --help");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.output.find("Usage"), std::string::npos) << command;
  }
}

// What `gatehouse import` refuses before it reads anything: one line each, no database made.
TEST_F(CliTest, ImportRefusesABadSourceOrNoTokenInOneLine) {
  for (const auto& [args, reason] : std::vector<std::pair<std::string, std::string>>{
           {"import --from ftp://acme.kommo.com --token T --db " + db_,
            "from: 'ftp://acme.kommo.com' is not an http:// or https:// URL"},
           {"import --from https://acme.kommo.com --db " + db_,
            "token: give --token or set GATEHOUSE_IMPORT_TOKEN"},
           {"import --from https://acme.kommo.com:99999 --token T --db " + db_,
            "from: 'https://acme.kommo.com:99999' has an invalid port"}}) {
    Outcome run = Gatehouse("GATEHOUSE_IMPORT_TOKEN=", args);
    EXPECT_EQ(run.exit_code, 1) << args << ": " << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
    EXPECT_NE(run.output.find(reason), std::string::npos) << run.output;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "g.db")) << args;
  }
  // Nothing listens on port 9 of loopback: the source's absence is the one-line reason.
  Outcome refused = Gatehouse("", "import --from http://127.0.0.1:9 --token T --db " + db_);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("connecting to http://127.0.0.1:9 failed"), std::string::npos)
      << refused.output;
}

TEST_F(CliTest, InitCreatesTheAccountAndItsAdministrator) {
  Outcome run =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=correct-horse-staple-42",
                "init --db " + db_ + " --subdomain acme --name Acme --admin-email a@acme.io");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto store = storage::Store::Open(db_, 1);
  ASSERT_TRUE(store.ok());
  auto account = (*store)->FindAccount("acme");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(run.output, std::to_string(account->id) + "\n");
  auto admin = (*store)->Reader(account->id).FindUserByEmail("A@ACME.IO");
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->user.is_admin);
  EXPECT_FALSE(admin->password_hash.empty());

  Outcome again =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=correct-horse-staple-42",
                "init --db " + db_ + " --subdomain acme --name Acme --admin-email b@acme.io");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(std::count(again.output.begin(), again.output.end(), '\n'), 1) << again.output;
}

TEST_F(CliTest, InitRefusesAWeakPasswordAndWritesNothing) {
  Outcome run =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=password123",
                "init --db " + db_ + " --subdomain acme --name Acme --admin-email a@acme.io");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("password"), std::string::npos) << run.output;
  auto store = storage::Store::Open(db_, 1);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Migrate().ok());
  EXPECT_FALSE((*store)->FindAccount("acme").ok());
}

TEST_F(CliTest, InitWithoutPasswordOrTerminalFailsWithAReason) {
  Outcome run =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=",
                "init --db " + db_ + " --subdomain acme --name Acme --admin-email a@acme.io");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("GATEHOUSE_ADMIN_PASSWORD"), std::string::npos) << run.output;
}

TEST_F(CliTest, MigrateIsIdempotent) {
  Outcome first = Gatehouse("", "migrate --db " + db_);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  Outcome second = Gatehouse("", "migrate --db " + db_);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("(0 migration(s) applied)"), std::string::npos) << second.output;
}

TEST_F(CliTest, DemoFillsAWorkspaceAndUserHelpersAct) {
  Outcome demo = Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026",
                           "demo --db " + db_ + " --leads 200");
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  EXPECT_NE(demo.output.find("200 leads"), std::string::npos) << demo.output;
  EXPECT_NE(demo.output.find("50 conversations"), std::string::npos) << demo.output;
  EXPECT_NE(demo.output.find("admin@demo.gatehouse.local"), std::string::npos) << demo.output;

  Outcome ended =
      Gatehouse("", "user end-sessions --db " + db_ + " --email admin@demo.gatehouse.local");
  EXPECT_EQ(ended.exit_code, 0) << ended.output;
  Outcome reset =
      Gatehouse("", "user reset-2fa --db " + db_ + " --email admin@demo.gatehouse.local");
  EXPECT_EQ(reset.exit_code, 0) << reset.output;
  Outcome weak =
      Gatehouse("GATEHOUSE_NEW_PASSWORD=short",
                "user reset-password --db " + db_ + " --email admin@demo.gatehouse.local");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.output.find("at least 10"), std::string::npos) << weak.output;
  Outcome unknown = Gatehouse("", "user end-sessions --db " + db_ + " --email nobody@nowhere.io");
  EXPECT_EQ(unknown.exit_code, 1);
}

TEST_F(CliTest, SecurityReportExitsOnFindingsAtOrAboveFailOn) {
  ASSERT_EQ(Gatehouse("GATEHOUSE_ADMIN_PASSWORD=correct-horse-staple-42",
                      "init --db " + db_ + " --subdomain acme --name Acme --admin-email a@acme.io")
                .exit_code,
            0);
  // A fresh workspace: the administrator has no 2FA (high), 2FA is not required and there is
  // no whitelist (medium).
  Outcome text = Gatehouse("", "security-report --db " + db_);
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("HIGH    admins_without_two_factor      1 active administrator has "
                             "not enabled two-step verification. (1 affected)\n"),
            std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("MEDIUM  ip_whitelist_off"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("\n3 finding(s): 1 high, 2 medium, 0 low\n"), std::string::npos)
      << text.output;
  EXPECT_EQ(Gatehouse("", "security-report --db " + db_ + " --fail-on high").exit_code, 1);
  EXPECT_EQ(Gatehouse("", "security-report --db " + db_ + " --fail-on low").exit_code, 1);

  Outcome json_run = Gatehouse("", "security-report --json --db " + db_);
  ASSERT_EQ(json_run.exit_code, 0) << json_run.output;
  nlohmann::json doc = nlohmann::json::parse(json_run.output, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << json_run.output;
  EXPECT_EQ(doc["summary"], nlohmann::json({{"high", 1}, {"medium", 2}, {"low", 0}}));
  EXPECT_EQ(doc["findings"][0]["code"], "admins_without_two_factor");
  EXPECT_EQ(doc["findings"][0]["affected"][0]["type"], "user");
  EXPECT_EQ(doc["_links"]["self"]["href"], "/api/v4/security/report");

  // 2FA for the administrator: nothing high is left; medium and low still fail.
  {
    auto store = storage::Store::Open(db_, 1);
    ASSERT_TRUE(store.ok());
    auto account = (*store)->FindAccount("acme");
    ASSERT_TRUE(account.ok());
    auto admin = (*store)->Reader(account->id).FindUserByEmail("a@acme.io");
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE((*store)
                    ->Write(account->id,
                            [&](storage::AccountWriter& w) {
                              return w.SetTwoFactor(admin->user.id, "JBSWY3DPEHPK3PXP", true, 0,
                                                    {});
                            })
                    .ok());
  }
  EXPECT_EQ(Gatehouse("", "security-report --db " + db_ + " --fail-on high").exit_code, 0);
  EXPECT_EQ(Gatehouse("", "security-report --db " + db_ + " --fail-on medium").exit_code, 1);

  Outcome bad = Gatehouse("", "security-report --db " + db_ + " --fail-on urgent");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  Outcome missing = Gatehouse("", "security-report --db sqlite:" + (dir_ / "no/such.db").string());
  EXPECT_EQ(missing.exit_code, 3) << missing.output;
  EXPECT_EQ(std::count(missing.output.begin(), missing.output.end(), '\n'), 1) << missing.output;
  Outcome unknown = Gatehouse("", "security-report --db " + db_ + " --subdomain nope");
  EXPECT_EQ(unknown.exit_code, 3) << unknown.output;
}

// `gatehouse explain` (issue 16): today's answer, and with --at the answer as it was then
// (point-in-time replay), for one user or as the list of viewers; exit codes for scripts.
TEST_F(CliTest, ExplainReplaysThePast) {
  // The history is written with a clock set in the past, so replay has past times to answer
  // for without the test waiting: the account is created 1000 s ago, the lead 900 s ago and
  // handed to the member 800 s ago.
  const std::int64_t now = std::time(nullptr);
  base::FakeClock clock(now - 1000);
  domain::UserId admin = 0;
  domain::UserId member = 0;
  storage::Lead lead;
  {
    auto store = storage::Store::Open(db_, 1);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    (*store)->set_clock(&clock);
    ASSERT_TRUE((*store)->Migrate().ok());
    auto account = service::CreateAccountWithAdmin(**store, {"acme", "Acme", 10, 0},
                                                   {"a@acme.io", "Admin", ""}, now - 1000);
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    clock.Set(now - 900);
    base::Status wrote = (*store)->Write(account->id, [&](storage::AccountWriter& w) {
      GH_ASSIGN_OR_RETURN(storage::UserRow a, w.FindUserByEmail("a@acme.io"));
      admin = a.user.id;
      storage::UserRow row{.user = {.name = "Member", .email = "m@acme.io"}};
      row.user.rights.Set(domain::DataSet::kLeads, domain::Action::kView,
                          domain::Level::kIfResponsible);
      GH_ASSIGN_OR_RETURN(member, w.CreateUser(row));
      lead.name = "Deal";
      lead.responsible_user_id = admin;
      GH_ASSIGN_OR_RETURN(lead, w.Create(lead));
      return base::Status::Ok();
    });
    ASSERT_TRUE(wrote.ok()) << wrote.ToString();
    clock.Set(now - 800);
    wrote = (*store)->Write(account->id, [&](storage::AccountWriter& w) {
      lead.responsible_user_id = member;
      return w.Update(lead);
    });
    ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  }
  const std::string base = "explain --db " + db_ + " --user-id " + std::to_string(member) +
                           " --entity-type leads --entity-id " + std::to_string(lead.id);
  Outcome today = Gatehouse("", base);
  EXPECT_EQ(today.exit_code, 0) << today.output;
  EXPECT_NE(today.output.find(": allowed by general_right (level M, responsible)"),
            std::string::npos)
      << today.output;
  Outcome then = Gatehouse("", base + " --action view --at " + std::to_string(now - 850));
  EXPECT_EQ(then.exit_code, 0) << then.output;
  EXPECT_NE(then.output.find(" at " + std::to_string(now - 850) +
                             ": denied by general_right (level M, not_responsible)"),
            std::string::npos)
      << then.output;
  Outcome json_run = Gatehouse("", base + " --json --at " + std::to_string(now - 850));
  ASSERT_EQ(json_run.exit_code, 0) << json_run.output;
  nlohmann::json doc = nlohmann::json::parse(json_run.output, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << json_run.output;
  EXPECT_EQ(doc["allowed"], false);
  EXPECT_EQ(doc["responsible_user_id"], admin);
  EXPECT_EQ(doc["replay_from"], now - 1000);

  const std::string viewers = "explain --db " + db_ + " --viewers --entity-type leads " +
                              "--entity-id " + std::to_string(lead.id) + " --json --at ";
  Outcome list = Gatehouse("", viewers + std::to_string(now - 850));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  doc = nlohmann::json::parse(list.output, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << list.output;
  ASSERT_EQ(doc["_embedded"]["viewers"].size(), 1u) << list.output;
  EXPECT_EQ(doc["_embedded"]["viewers"][0]["user_id"], admin);
  list = Gatehouse("", viewers + std::to_string(now - 750));
  doc = nlohmann::json::parse(list.output, nullptr, false);
  EXPECT_EQ(doc["_embedded"]["viewers"].size(), 2u) << list.output;

  // Before the history: exit 1 with one line saying from when; bad arguments: exit 2.
  Outcome early = Gatehouse("", base + " --at " + std::to_string(now - 2000));
  EXPECT_EQ(early.exit_code, 1) << early.output;
  EXPECT_NE(early.output.find("replay is possible from " + std::to_string(now - 1000)),
            std::string::npos)
      << early.output;
  EXPECT_EQ(std::count(early.output.begin(), early.output.end(), '\n'), 1) << early.output;
  EXPECT_EQ(Gatehouse("", base + " --action fly").exit_code, 2);
  EXPECT_EQ(Gatehouse("", base + " --at -5").exit_code, 2);
  EXPECT_EQ(Gatehouse("", "explain --db " + db_ + " --entity-type leads --entity-id 1").exit_code,
            2);
  EXPECT_EQ(Gatehouse("", base + " --entity-type pies").exit_code, 2);
}

// `gatehouse user deactivate-dormant [--dry-run]` (issue 16) on both engines: a dry run lists
// the dormant user and changes nothing; the real run deactivates them once, writes one event as
// the system from "cli", and a second run finds nobody.
class CliDormantTest : public ::testing::TestWithParam<storage::testing::Engine> {
 protected:
  void SetUp() override {
    bool skip = false;
    url_ = db_.Create(GetParam(), &skip);
    if (skip) GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is not set";
    // Single quotes: the PostgreSQL URL carries a query.
    quoted_ = "'" + url_ + "'";
  }
  storage::testing::TestDatabase db_;
  std::string url_;
  std::string quoted_;
};

TEST_P(CliDormantTest, DeactivateDormantWithAndWithoutDryRun) {
  ASSERT_EQ(
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=correct-horse-staple-42",
                "init --db " + quoted_ + " --subdomain acme --name Acme --admin-email a@acme.io")
          .exit_code,
      0);
  Outcome off = Gatehouse("", "user deactivate-dormant --db " + quoted_);
  ASSERT_EQ(off.exit_code, 0) << off.output;
  EXPECT_EQ(off.output,
            "acme: dormant_days is 0 (off): nobody to deactivate\n0 user(s) deactivated\n");

  const std::int64_t now = std::time(nullptr);
  domain::AccountId account = 0;
  domain::UserId sleeper = 0;
  {
    auto store = storage::Store::Open(url_, 1);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    account = (*store)->FindAccount("acme")->id;
    ASSERT_TRUE((*store)
                    ->Write(account,
                            [&](storage::AccountWriter& w) -> base::Status {
                              GH_RETURN_IF_ERROR(w.PutSecuritySettings(
                                  {R"({"dormant_days":30})", R"({"enabled":false})", now}));
                              storage::UserRow row;
                              row.user.name = "Sleeper";
                              row.user.email = "sleeper@acme.io";
                              row.user.is_active = true;
                              row.created_at = now - 40 * 86400;
                              GH_ASSIGN_OR_RETURN(sleeper, w.CreateUser(row));
                              row.user.name = "Fresh";
                              row.user.email = "fresh@acme.io";
                              row.created_at = now - 20 * 86400;
                              GH_RETURN_IF_ERROR(w.CreateUser(row).status());
                              GH_ASSIGN_OR_RETURN(storage::UserRow admin,
                                                  w.FindUserByEmail("a@acme.io"));
                              return w.SetLastLogin(admin.user.id, now);
                            })
                    .ok());
  }
  auto state = [&]() {
    auto store = storage::Store::Open(url_, 1);
    EXPECT_TRUE(store.ok());
    storage::EventQuery query;
    query.types = {"user_deactivated"};
    auto events = (*store)->Reader(account).ListEvents(query);
    auto row = (*store)->Reader(account).GetUser(sleeper);
    EXPECT_TRUE(events.ok() && row.ok());
    return std::make_pair(row->user.is_active, *events);
  };

  Outcome dry = Gatehouse("", "user deactivate-dormant --dry-run --db " + quoted_);
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("acme: would deactivate user " + std::to_string(sleeper) +
                            " <sleeper@acme.io> (never logged in, created "),
            std::string::npos)
      << dry.output;
  EXPECT_EQ(dry.output.find("fresh@acme.io"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("\ndry run: 1 user(s) would be deactivated; nothing changed\n"),
            std::string::npos)
      << dry.output;
  EXPECT_TRUE(state().first);
  EXPECT_TRUE(state().second.empty());

  Outcome run = Gatehouse("", "user deactivate-dormant --subdomain acme --db " + quoted_);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(
      run.output.find("acme: deactivated user " + std::to_string(sleeper) + " <sleeper@acme.io>"),
      std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("rule: 30 days): 0 session(s) ended, 0 token(s) revoked\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("\n1 user(s) deactivated\n"), std::string::npos) << run.output;
  auto [active, events] = state();
  EXPECT_FALSE(active);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, sleeper);
  EXPECT_EQ(events[0].actor_user_id, 0);
  EXPECT_EQ(events[0].actor_ip, "cli");

  Outcome again = Gatehouse("", "user deactivate-dormant --db " + quoted_);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output, "0 user(s) deactivated\n");
  EXPECT_EQ(state().second.size(), 1u);

  Outcome unknown = Gatehouse("", "user deactivate-dormant --subdomain nope --db " + quoted_);
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_EQ(std::count(unknown.output.begin(), unknown.output.end(), '\n'), 1) << unknown.output;
}

INSTANTIATE_TEST_SUITE_P(Engines, CliDormantTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         storage::testing::EngineName);

TEST_F(CliTest, KeysRotateMakesANewKeyCurrentAndKeepsTheOldOnes) {
  ASSERT_EQ(Gatehouse("", "migrate --db " + db_).exit_code, 0);  // keys rotate creates nothing
  Outcome first = Gatehouse("", "keys rotate --db " + db_);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  Outcome second = Gatehouse("", "keys rotate --db " + db_);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("(3 keys)"), std::string::npos) << second.output;

  auto store = storage::Store::Open(db_, 1);
  ASSERT_TRUE(store.ok());
  auto ring = service::JwtKeyRing::Load(store->get());
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ((*ring)->size(), 3u);
  const std::string current = (*ring)->current_kid();
  EXPECT_EQ(second.output.rfind("signing key " + current + " is current", 0), 0u) << second.output;
  EXPECT_EQ(first.output.find(current), std::string::npos) << first.output;

  EXPECT_NE(Gatehouse("", "keys rotate --db mysql://nope").exit_code, 0);
  EXPECT_NE(Gatehouse("", "keys").exit_code, 0);
}

TEST_F(CliTest, AuditVerifyFindsTheFirstAlteredEvent) {
  Outcome demo =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026", "demo --db " + db_ + " --leads 20");
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  // Writes through the product append to the chain.
  ASSERT_EQ(Gatehouse("", "user end-sessions --db " + db_ + " --email admin@demo.gatehouse.local")
                .exit_code,
            0);
  Outcome intact = Gatehouse("", "audit verify --db " + db_);
  ASSERT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_EQ(intact.output.rfind("demo: intact, ", 0), 0u) << intact.output;

  std::int64_t seq = 0;
  {
    auto store = storage::Store::Open(db_, 1);
    ASSERT_TRUE(store.ok());
    auto c = (*store)->pool().Acquire();
    auto rows = c->Query("SELECT MAX(seq) FROM events");
    ASSERT_TRUE(rows.ok() && !rows->empty());
    seq = storage::sql::AsInt(rows->rows[0][0]);
    ASSERT_GT(seq, 0);
    std::vector<storage::sql::Value> params{std::string(R"([{"tampered":true}])"), seq};
    ASSERT_TRUE(c->Execute("UPDATE events SET value_after = ? WHERE seq = ?", params).ok());
  }
  Outcome broken = Gatehouse("", "audit verify --db " + db_ + " --subdomain demo");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("demo: BROKEN at event " + std::to_string(seq)), std::string::npos)
      << broken.output;
  EXPECT_NE(Gatehouse("", "audit verify --db " + db_ + " --subdomain nowhere").exit_code, 0);
}

TEST_F(CliTest, OnlyInitDemoAndMigrateCreateADatabase) {
  const std::filesystem::path file = dir_ / "g.db";
  // `timeout` bounds serve should it start anyway (it listens on an ephemeral port).
  for (const std::string& args :
       {"timeout 20 " GATEHOUSE_BINARY " serve --listen 127.0.0.1:0 --db " + db_,
        std::string(GATEHOUSE_BINARY) + " audit verify --db " + db_,
        std::string(GATEHOUSE_BINARY) + " keys rotate --db " + db_,
        std::string(GATEHOUSE_BINARY) + " security-report --db " + db_,
        std::string(GATEHOUSE_BINARY) + " user end-sessions --email a@acme.io --db " + db_}) {
    Outcome run;
    FILE* pipe = popen((args + " 2>&1 </dev/null").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
    const int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    EXPECT_NE(run.exit_code, 0) << args << ": " << run.output;
    EXPECT_NE(run.exit_code, 124) << args << " kept running on a missing database";
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1)
        << args << ": " << run.output;
    EXPECT_NE(run.output.find("no database file at '" + file.string() + "'"), std::string::npos)
        << run.output;
    EXPECT_FALSE(std::filesystem::exists(file)) << args << " created " << file;
  }
  ASSERT_EQ(Gatehouse("", "migrate --db " + db_).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(file));
  // A database without accounts has nothing to verify: a cron check must not pass on it.
  for (const char* check : {"audit verify", "verify counters"}) {
    Outcome empty = Gatehouse("", std::string(check) + " --db " + db_);
    EXPECT_EQ(empty.exit_code, 1) << check << ": " << empty.output;
    EXPECT_EQ(empty.output, "gatehouse: nothing to verify: the database holds no account\n")
        << check;
  }
}

TEST_F(CliTest, VerifyCountersReportsADifferingCell) {
  Outcome demo =
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026", "demo --db " + db_ + " --leads 30");
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  Outcome exact = Gatehouse("", "verify counters --db " + db_);
  ASSERT_EQ(exact.exit_code, 0) << exact.output;
  EXPECT_EQ(exact.output, "demo: lead, contact, company, task and customer totals exact\n");
  {
    auto store = storage::Store::Open(db_, 1);
    ASSERT_TRUE(store.ok());
    auto c = (*store)->pool().Acquire();
    ASSERT_TRUE(c->Execute("UPDATE lead_totals SET lead_count = lead_count + 2 WHERE "
                           "rowid = (SELECT MIN(rowid) FROM lead_totals WHERE lead_count > 0)")
                    .ok());
    ASSERT_TRUE(c->Execute("UPDATE record_totals SET record_count = record_count - 1 WHERE "
                           "data_set = 'tasks' AND responsible_user_id = -1")
                    .ok());
    // The demo's customers are counted too (migration 16).
    ASSERT_TRUE(c->Execute("UPDATE record_totals SET record_count = record_count + 1 WHERE "
                           "data_set = 'customers' AND responsible_user_id = -1")
                    .ok());
  }
  Outcome wrong = Gatehouse("", "verify counters --db " + db_ + " --subdomain demo");
  EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("demo: 1 lead total cell(s) and 2 record total(s) differ"),
            std::string::npos)
      << wrong.output;
  EXPECT_NE(wrong.output.find("tasks responsible -1: stored "), std::string::npos) << wrong.output;
  EXPECT_NE(wrong.output.find("customers responsible -1: stored "), std::string::npos)
      << wrong.output;
  EXPECT_NE(wrong.output.find("stored "), std::string::npos) << wrong.output;
  EXPECT_NE(Gatehouse("", "verify counters --db " + db_ + " --subdomain nowhere").exit_code, 0);
}

TEST_F(CliTest, BackupAndRestoreRoundTrip) {
  ASSERT_EQ(
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026", "demo --db " + db_ + " --leads 40")
          .exit_code,
      0);
  const std::string backup = (dir_ / "backup.db").string();
  Outcome made = Gatehouse("", "backup --db " + db_ + " --to " + backup);
  ASSERT_EQ(made.exit_code, 0) << made.output;
  EXPECT_NE(made.output.find("backup written to " + backup), std::string::npos) << made.output;

  Outcome again = Gatehouse("", "backup --db " + db_ + " --to " + backup);
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_EQ(std::count(again.output.begin(), again.output.end(), '\n'), 1) << again.output;
  EXPECT_NE(again.output.find("never overwrites"), std::string::npos) << again.output;

  const std::string restored_db = "sqlite:" + (dir_ / "restored.db").string();
  Outcome restored = Gatehouse("", "restore --from " + backup + " --db " + restored_db);
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  EXPECT_NE(restored.output.find("1 account(s), activity log intact"), std::string::npos)
      << restored.output;
  EXPECT_EQ(Gatehouse("", "audit verify --db " + restored_db).exit_code, 0);
  EXPECT_EQ(Gatehouse("", "verify counters --db " + restored_db).exit_code, 0);

  Outcome refused = Gatehouse("", "restore --from " + backup + " --db " + restored_db);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_EQ(std::count(refused.output.begin(), refused.output.end(), '\n'), 1) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(Gatehouse("", "restore --force --from " + backup + " --db " + restored_db).exit_code,
            0);
}

TEST_F(CliTest, ConfigCheckShowsEachSettingWithItsSourceAndMasksSecrets) {
  const std::string file = (dir_ / "gatehouse.toml").string();
  {
    FILE* out = std::fopen(file.c_str(), "w");
    ASSERT_NE(out, nullptr);
    std::fputs(
        "db = \"postgresql://gh:s3cret-pw@127.0.0.1:5432/crm\"\n"
        "listen = \"127.0.0.1:9099\"\n"
        "threads = 3\n",
        out);
    std::fclose(out);
  }
  Outcome run = Gatehouse("GATEHOUSE_THREADS=5", "config check --config " + file);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("s3cret"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("postgresql://gh:****@127.0.0.1:5432/crm"), std::string::npos)
      << run.output;
  auto line_of = [&](const std::string& key) {
    const std::size_t at = run.output.find(key + " ");
    return at == std::string::npos ? std::string()
                                   : run.output.substr(at, run.output.find('\n', at) - at);
  };
  EXPECT_NE(line_of("listen").find("127.0.0.1:9099"), std::string::npos) << run.output;
  EXPECT_NE(line_of("listen").find("(file)"), std::string::npos) << run.output;
  EXPECT_NE(line_of("threads").find("5"), std::string::npos) << run.output;
  EXPECT_NE(line_of("threads").find("(environment)"), std::string::npos) << run.output;
  EXPECT_NE(line_of("max_connections_per_ip").find("256"), std::string::npos) << run.output;
  EXPECT_NE(line_of("max_connections_per_ip").find("(default)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("configuration valid"), std::string::npos) << run.output;
}

TEST_F(CliTest, ConfigErrorsNameTheSetting) {
  const std::string file = (dir_ / "gatehouse.toml").string();
  auto write = [&](const char* text) {
    FILE* out = std::fopen(file.c_str(), "w");
    ASSERT_NE(out, nullptr);
    std::fputs(text, out);
    std::fclose(out);
  };
  struct Case {
    const char* file_text;
    const char* env;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"listn = \"127.0.0.1:1\"\n", "", "unknown setting 'listn'"},
           {"threads = \"four\"\n", "", "threads: expected a non-negative integer"},
           {"threads = [\n", "", "gatehouse.toml:"},
           {"", "GATEHOUSE_MAX_CONNECTIONS=lots", "GATEHOUSE_MAX_CONNECTIONS: expected"},
           {"listen = \"nowhere\"\n", "", "expected HOST:PORT"},
           {"public_url = \"ftp://x\"\n", "", "public_url"},
           {"db = \"mysql://x\"\n", "", "unsupported database URL"},
           {"sqlite_synchronous = \"fast\"\n", "", "expected \"normal\" or \"full\""},
           {"db = \"postgresql://x@127.0.0.1/y\"\nsqlite_synchronous = \"full\"\n", "",
            "applies to sqlite: databases only"},
           {"security_poll_ms = 5\n", "", "security_poll_ms"},
           {"credential_prune_seconds = 5\n", "", "credential_prune_seconds"},
           {"", "GATEHOUSE_DB_POOL_SIZE=5000", "db_pool_size"},
           {"notify_db = \"postgresql://x@127.0.0.1/y\"\n", "", "applies to postgresql"},
           {"db = \"postgresql://x@127.0.0.1/y\"\nnotify_db = \"sqlite:x.db\"\n", "", "notify_db"},
           {"db = \"postgresql://x@127.0.0.1/y?gatehouse_pooler=session\"\n", "",
            "gatehouse_pooler"}}) {
    write(c.file_text);
    Outcome run = Gatehouse(c.env, "config check --config " + file);
    EXPECT_EQ(run.exit_code, 1) << c.file_text << c.env << ": " << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
    EXPECT_NE(run.output.find(c.expected), std::string::npos) << c.file_text << ": " << run.output;
  }
  Outcome missing = Gatehouse("", "config check --config " + (dir_ / "none.toml").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("no config file at"), std::string::npos) << missing.output;
}

TEST_F(CliTest, ServeRunsWithFullSynchronousWhenAsked) {
  ASSERT_EQ(
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026", "demo --db " + db_ + " --leads 5")
          .exit_code,
      0);
  // `timeout` ends the server once it has said it is ready (bounded: 8 s).
  Outcome run = Gatehouse("GATEHOUSE_SQLITE_SYNCHRONOUS=full timeout 8",
                          "serve --listen 127.0.0.1:0 --db " + db_);
  EXPECT_NE(run.output.find("gatehouse ready on http://127.0.0.1:"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("with synchronous=FULL"), std::string::npos) << run.output;
}

// `prune` sweeps once; `serve` sweeps at its start and says what it removed.
TEST_F(CliTest, PruneAndServeRemoveExpiredSessionsOnly) {
  ASSERT_EQ(
      Gatehouse("GATEHOUSE_ADMIN_PASSWORD=demo-Gatehouse-2026", "demo --db " + db_ + " --leads 1")
          .exit_code,
      0);
  auto add_sessions = [&](const std::string& prefix) {
    auto store = storage::Store::Open(db_, 1);
    ASSERT_TRUE(store.ok());
    auto accounts = (*store)->ListAccounts();
    ASSERT_TRUE(accounts.ok() && !accounts->empty());
    const domain::AccountId account = accounts->front().id;
    auto users = (*store)->Reader(account).ListUsers();
    ASSERT_TRUE(users.ok() && !users->empty());
    const std::int64_t now = std::time(nullptr);
    for (const auto& [id, expires_at] : std::vector<std::pair<std::string, std::int64_t>>{
             {prefix + "-ended", now - 10}, {prefix + "-live", now + 3600}}) {
      ASSERT_TRUE((*store)
                      ->Write(account,
                              [&](storage::AccountWriter& w) {
                                return w.CreateSession({.id = id,
                                                        .token_hash = "hash-" + id,
                                                        .user_id = users->front().user.id,
                                                        .created_at = now - 20,
                                                        .last_seen_at = now - 20,
                                                        .expires_at = expires_at});
                              })
                      .ok());
    }
  };
  add_sessions("cli");
  Outcome pruned = Gatehouse("", "prune --db " + db_);
  EXPECT_EQ(pruned.exit_code, 0) << pruned.output;
  EXPECT_EQ(pruned.output, "removed 1 session, 0 OAuth codes, 0 refresh tokens, 0 access tokens\n");
  EXPECT_EQ(Gatehouse("", "prune --db " + db_).output,
            "removed 0 sessions, 0 OAuth codes, 0 refresh tokens, 0 access tokens\n");

  add_sessions("serve");
  // `timeout` ends the server (bounded: 8 s); the sweep runs as it starts.
  Outcome run = Gatehouse("timeout 8", "serve --listen 127.0.0.1:0 --db " + db_);
  EXPECT_NE(run.output.find("credential pruning: removed 1 session, 0 OAuth codes"),
            std::string::npos)
      << run.output;
  auto store = storage::Store::Open(db_, 1);
  ASSERT_TRUE(store.ok());
  auto accounts = (*store)->ListAccounts();
  ASSERT_TRUE(accounts.ok() && !accounts->empty());
  auto sessions = (*store)->Reader(accounts->front().id).ListSessions();
  ASSERT_TRUE(sessions.ok());
  std::vector<std::string> left;
  for (const storage::SessionRow& s : *sessions) left.push_back(s.id);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"cli-live", "serve-live"}));
}

// A database made by the previous release (tests/cli/fixtures: schema 8, with activity-log
// events) is migrated by this one: its data kept, the new derived data (the totals) exact, the
// chain intact, and it takes new writes.
TEST_F(CliTest, UpgradesADatabaseOfThePreviousRelease) {
  {
    std::ifstream in(GATEHOUSE_SOURCE_DIR "/tests/cli/fixtures/release-a8b8c47-schema8.sql");
    ASSERT_TRUE(in) << "fixture missing";
    const std::string dump((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto c = storage::sql::OpenSqlite((dir_ / "g.db").string());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->ExecuteScript(dump).ok());
  }
  Outcome migrated = Gatehouse("", "migrate --db " + db_);
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  EXPECT_NE(migrated.output.find("schema version " +
                                 std::to_string(storage::Store::BinarySchemaVersion())),
            std::string::npos)
      << migrated.output;
  EXPECT_EQ(migrated.output.find("(0 migration(s) applied)"), std::string::npos) << migrated.output;

  Outcome chain = Gatehouse("", "audit verify --db " + db_);
  EXPECT_EQ(chain.exit_code, 0) << chain.output;
  EXPECT_NE(chain.output.find("demo: intact, 5 event(s) checked"), std::string::npos)
      << chain.output;
  Outcome counters = Gatehouse("", "verify counters --db " + db_);
  EXPECT_EQ(counters.exit_code, 0) << counters.output;

  auto store = storage::Store::Open(db_, 1, storage::sql::IfMissing::kRefuse);
  ASSERT_TRUE(store.ok());
  auto account = (*store)->FindAccount("demo");
  ASSERT_TRUE(account.ok());
  storage::ListQuery all;
  auto leads = (*store)->Reader(account->id).Count<storage::Lead>(policy::ListFilter::All(), all);
  ASSERT_TRUE(leads.ok());
  EXPECT_EQ(*leads, 31);
  auto lead = (*store)->Reader(account->id).Get<storage::Lead>(1);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->price, 777);
  // Replay history starts at the upgrade (migration 19) with every user and record in it.
  const storage::AccountReader reader = (*store)->Reader(account->id);
  auto replay_from = reader.ReplayStart();
  ASSERT_TRUE(replay_from.ok()) << replay_from.status().ToString();
  EXPECT_GE(*replay_from, std::int64_t{std::time(nullptr)} - 600);
  auto model_then = reader.LoadAccountModelAt(*replay_from);
  auto model_now = reader.LoadAccountModel();
  ASSERT_TRUE(model_then.ok() && model_now.ok());
  EXPECT_EQ(model_then->users, model_now->users);
  auto lead_then = reader.RecordAt(domain::DataSet::kLeads, 1, *replay_from);
  ASSERT_TRUE(lead_then.ok() && lead_then->has_value());
  EXPECT_EQ((*lead_then)->responsible_user_id, lead->responsible_user_id);
  EXPECT_EQ((*lead_then)->status_id, lead->status_id);
  auto admin = (*store)->Reader(account->id).FindUserByEmail("admin@demo.gatehouse.local");
  ASSERT_TRUE(admin.ok());
  store->reset();

  // An operator command writes to the upgraded data (ends the old sessions, logs an event) and
  // the chain goes on.
  Outcome ended =
      Gatehouse("", "user end-sessions --db " + db_ + " --email admin@demo.gatehouse.local");
  EXPECT_EQ(ended.exit_code, 0) << ended.output;
  EXPECT_EQ(Gatehouse("", "audit verify --db " + db_).exit_code, 0);
}

// The sample shipped for /etc/gatehouse (packaging/) stays a valid configuration.
TEST_F(CliTest, ShippedSampleConfigIsValid) {
  Outcome run =
      Gatehouse("", "config check --config " GATEHOUSE_SOURCE_DIR "/packaging/gatehouse.toml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("sqlite:/var/lib/gatehouse/gatehouse.db"), std::string::npos)
      << run.output;
}

// serve takes its settings from the file, and a flag wins over it: shown through the database
// each run refuses to create.
TEST_F(CliTest, ServeReadsTheConfigFileAndFlagsOverrideIt) {
  const std::string file = (dir_ / "gatehouse.toml").string();
  const std::string from_file = (dir_ / "from-file.db").string();
  const std::string from_flag = (dir_ / "from-flag.db").string();
  FILE* out = std::fopen(file.c_str(), "w");
  ASSERT_NE(out, nullptr);
  std::fputs(("db = \"sqlite:" + from_file + "\"\nlisten = \"127.0.0.1:0\"\n").c_str(), out);
  std::fclose(out);
  Outcome by_file = Gatehouse("", "serve --config " + file);
  EXPECT_NE(by_file.exit_code, 0);
  EXPECT_NE(by_file.output.find("no database file at '" + from_file + "'"), std::string::npos)
      << by_file.output;
  Outcome by_flag = Gatehouse("", "serve --config " + file + " --db sqlite:" + from_flag);
  EXPECT_NE(by_flag.exit_code, 0);
  EXPECT_NE(by_flag.output.find("no database file at '" + from_flag + "'"), std::string::npos)
      << by_flag.output;
}

TEST_F(CliTest, UsageErrorsExit2WithOneLine) {
  for (const char* args : {"keys", "frobnicate", "demo --leads -5", "audit verify --nope"}) {
    Outcome run = Gatehouse("", args);
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1)
        << args << ": " << run.output;
    EXPECT_EQ(run.output.rfind("gatehouse: ", 0), 0u) << run.output;
  }
}

TEST_F(CliTest, BadArgumentsExitNonZero) {
  EXPECT_NE(Gatehouse("", "serve --listen nonsense --db " + db_).exit_code, 0);
  EXPECT_NE(Gatehouse("", "demo --leads -5 --db " + db_).exit_code, 0);
  EXPECT_NE(Gatehouse("", "frobnicate").exit_code, 0);
  EXPECT_NE(Gatehouse("", "migrate --db mysql://nope").exit_code, 0);
}

}  // namespace
}  // namespace gatehouse
