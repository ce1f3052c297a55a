// The server behind Debian's pgbouncer in transaction mode (issue 13, docs/scaling.md): a
// private pgbouncer (scripts/pgbouncer-test.sh) with two server connections in front of the test
// cluster, `gatehouse serve` on it with `?gatehouse_pooler=transaction` and notify_db set to the
// cluster's own address. Concurrent reads and writes from more clients than the pooler has
// server connections all succeed (with prepared statements they would land on server sessions
// that never prepared them), every acknowledged write is there, and LISTEN, on its direct
// session, still brings a change made elsewhere. PostgreSQL only; skipped when pgbouncer is not
// installed (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

int RunCommand(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string text;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
  const int status = pclose(pipe);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// "postgresql://user@127.0.0.1:PORT/db..." -> PORT ("" when not of that shape).
std::string PortOf(const std::string& url) {
  const std::size_t at = url.find("@127.0.0.1:");
  if (at == std::string::npos) return "";
  const std::size_t start = at + 11;
  const std::size_t end = url.find('/', start);
  return end == std::string::npos ? "" : url.substr(start, end - start);
}

class PgBouncerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(Engine::kPostgres);
    if (!std::filesystem::exists("/usr/sbin/pgbouncer")) {
      GTEST_SKIP() << "pgbouncer is not installed (scripts/install-deps.sh installs it)";
    }
    dir_ = std::make_unique<TempDir>();
    auto database = Database::Create(Engine::kPostgres, dir_->path());
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(database).value();
    const std::string direct = database_->url();
    const std::string pg_port = PortOf(direct);
    ASSERT_FALSE(pg_port.empty()) << direct;
    char pooler_dir[] = "/tmp/gh-pgbouncer.XXXXXX";  // the postgres user must reach it
    ASSERT_NE(mkdtemp(pooler_dir), nullptr);
    pooler_dir_ = pooler_dir;
    script_ = std::string(GATEHOUSE_SOURCE_DIR) + "/scripts/pgbouncer-test.sh";
    std::string port;
    ASSERT_EQ(RunCommand(script_ + " start " + pooler_dir_ + "/b " + pg_port + " 2", &port), 0)
        << port;
    pooled_ = direct;
    pooled_.replace(pooled_.find(":" + pg_port + "/"), pg_port.size() + 2, ":" + port + "/");
    pooled_ += (pooled_.find('?') == std::string::npos ? "?" : "&");
    pooled_ += "gatehouse_pooler=transaction";

    auto store = storage::Store::Open(direct, 2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto seeded = SeedAccount(*store_, "pooled");
    ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
    account_ = seeded->account.id;
    admin_ = seeded->admin_id;
    auto server = ServerProcess::Start(
        pooled_, dir_->path() + "/server.log",
        {"--notify-db", direct, "--security-poll-ms", "3600000", "--db-pool-size", "6"});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->LogTail();
    }
    server_.reset();
    store_.reset();
    if (!pooler_dir_.empty()) {
      RunCommand(script_ + " stop " + pooler_dir_ + "/b");
      std::error_code ignored;
      std::filesystem::remove_all(pooler_dir_, ignored);
    }
    database_.reset();
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Database> database_;
  std::string pooler_dir_;
  std::string script_;
  std::string pooled_;
  std::unique_ptr<storage::Store> store_;
  domain::AccountId account_ = 0;
  domain::UserId admin_ = 0;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(PgBouncerTest, ServesReadsAndWritesThroughATransactionModePooler) {
  HttpClient admin(server_->port());
  ASSERT_EQ(Login(admin, "admin@pooled.test").status, 200) << server_->LogTail();
  const std::string token = CreateToken(admin);
  ASSERT_FALSE(token.empty()) << server_->LogTail();

  // Six clients, two server connections behind the pooler: sessions change hands all the time.
  constexpr int kClients = 6;
  constexpr int kRounds = 40;
  std::mutex mu;
  std::vector<std::string> wrong;
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(server_->port());
      client.SetBearer(token);
      for (int i = 0; i < kRounds; ++i) {
        Response r = i % 4 == 0
                         ? client.SendJson("POST", "/api/v4/leads",
                                           json::array({{{"name", "pooled " + std::to_string(t) +
                                                                      "." + std::to_string(i)}}}))
                         : client.Get(i % 2 == 0 ? "/api/v4/leads?limit=50" : "/api/v4/account");
        if (r.status == 200 && i % 4 == 0) created.fetch_add(1);
        if (r.status != 200) {
          std::lock_guard lock(mu);
          wrong.push_back(r.Describe());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " failed, first: " << wrong.front() << "\n"
                             << server_->LogTail();
  EXPECT_EQ(created.load(), kClients * kRounds / 4);
  storage::ListQuery all;
  auto count = store_->Reader(account_).Count<storage::Lead>(policy::ListFilter::All(), all);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, created.load());

  // LISTEN runs on its direct session: a change committed elsewhere still arrives (the poll is
  // an hour apart). The administrator's token is dropped once the admin is deactivated.
  HttpClient other(server_->port());
  other.SetBearer(token);
  ASSERT_EQ(other.Get("/api/v4/account").status, 200);
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            return w.RevokeApiTokensOfUser(admin_).status();
                          })
                  .ok());
  const auto start = std::chrono::steady_clock::now();
  while (other.Get("/api/v4/account").status != 401 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(other.Get("/api/v4/account").status, 401) << server_->LogTail();
}

}  // namespace
}  // namespace gatehouse::apitest
