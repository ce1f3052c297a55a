// PostgreSQL going away under a running server (issue 13): the real `gatehouse serve` on a
// private cluster of this test's own (scripts/pg-test-cluster.sh, never the shared one), a small
// bounded load of authenticated reads; the cluster is stopped, then started again. While it is
// down every answer is 503 problem+json with Retry-After (no crash, no hang, no 401/404/500);
// once it is back the same server answers 200 again within seconds, without a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `command`, returns its exit code and (last line of) output.
int RunCommand(const std::string& command, std::string* last_line = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  if (last_line != nullptr) {
    const std::size_t nl = output.rfind('\n');
    *last_line = nl == std::string::npos ? output : output.substr(nl + 1);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class OutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(Engine::kPostgres);  // a machine with PostgreSQL for the tests
    char dir[] = "/tmp/gh-outage.XXXXXX";      // under /tmp: the postgres user must reach it
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    cluster_ = dir_ + "/pg";
    script_ = std::string(GATEHOUSE_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";
    ASSERT_EQ(RunCommand(script_ + " start " + cluster_, &url_), 0) << url_;
    ASSERT_TRUE(url_.starts_with("postgresql://")) << url_;
    {
      auto store = storage::Store::Open(url_, 1);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      ASSERT_TRUE((*store)->Migrate().ok());
      auto seeded = SeedAccount(**store, "outage");
      ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
    }
    auto server = ServerProcess::Start(url_, dir_ + "/server.log");
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->LogTail();
      server_.reset();
    }
    if (!cluster_.empty()) RunCommand(script_ + " stop " + cluster_);
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  std::string dir_;
  std::string cluster_;
  std::string script_;
  std::string url_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(OutageTest, AnswersServiceUnavailableWhileDownAndRecoversByItself) {
  HttpClient session(server_->port());
  ASSERT_EQ(Login(session, "admin@outage.test").status, 200);
  const std::string token = CreateToken(session);
  ASSERT_FALSE(token.empty());

  // Load: two clients (a web session, a bearer token), one request every 20 ms each, bounded.
  std::atomic<bool> stop{false};
  std::atomic<int> phase{0};  // 0 up, 1 down, 2 back up
  std::mutex mu;
  std::vector<std::string> wrong;  // answers that are neither 200 nor a proper 503
  int down_503 = 0;
  auto load = [&](HttpClient client, const std::string& target) {
    const Clock::time_point deadline = Clock::now() + std::chrono::seconds(60);
    for (int i = 0; i < 2000 && !stop.load() && Clock::now() < deadline; ++i) {
      const int seen_phase = phase.load();
      Response r = client.Get(target);
      std::lock_guard lock(mu);
      const bool good_503 = r.status == 503 && !r.Header("retry-after").empty() &&
                            r.Header("content-type").starts_with("application/problem+json");
      if (r.status == 503 && good_503 && seen_phase == 1) ++down_503;
      const bool good = r.status == 200 || (r.status == 204 && target == "/api/v4/leads");
      if (!good && !good_503) wrong.push_back(r.Describe());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  HttpClient bearer(server_->port());
  bearer.SetBearer(token);
  std::thread by_session(load, std::move(session), "/api/v4/leads");
  std::thread by_token(load, std::move(bearer), "/api/v4/account");
  // Writes too: every lead acknowledged (200 with its id) must exist afterwards.
  std::vector<std::int64_t> acknowledged;
  std::thread writer([&] {
    HttpClient client(server_->port());
    client.SetBearer(token);
    const Clock::time_point deadline = Clock::now() + std::chrono::seconds(60);
    for (int i = 0; i < 1000 && !stop.load() && Clock::now() < deadline; ++i) {
      Response r = client.SendJson("POST", "/api/v4/leads",
                                   json::array({{{"name", "outage " + std::to_string(i)}}}));
      std::lock_guard lock(mu);
      if (r.status == 200) {
        acknowledged.push_back(r.body_json["_embedded"]["leads"][0].value("id", std::int64_t{0}));
      } else if (!(r.status == 503 && !r.Header("retry-after").empty())) {
        wrong.push_back(r.Describe());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
  });

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(RunCommand(script_ + " stop " + cluster_), 0);
  phase = 1;
  // Down for two seconds: only 503s, and each answer comes promptly.
  HttpClient probe(server_->port());
  probe.SetBearer(token);
  for (int i = 0; i < 10; ++i) {
    const Clock::time_point start = Clock::now();
    Response r = probe.Get("/api/v4/leads");
    EXPECT_EQ(r.status, 503) << r.Describe();
    EXPECT_FALSE(r.Header("retry-after").empty()) << r.Describe();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(5)) << "a request hung";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(server_->Running()) << server_->LogTail();

  std::string resumed;
  ASSERT_EQ(RunCommand(script_ + " resume " + cluster_, &resumed), 0) << resumed;
  const Clock::time_point back = Clock::now();
  phase = 2;
  bool recovered = false;
  while (Clock::now() - back < std::chrono::seconds(10)) {
    if (const int status = probe.Get("/api/v4/leads").status; status == 200 || status == 204) {
      recovered = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(recovered) << "no 200 within 10 s of PostgreSQL's return\n" << server_->LogTail();
  // Every connection of the pool is replaced on its next use: a run of requests all succeed.
  for (int i = 0; i < 20 && recovered; ++i) {
    Response r = probe.Get("/api/v4/account");
    EXPECT_EQ(r.status, 200) << r.Describe();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  by_session.join();
  by_token.join();
  writer.join();
  EXPECT_FALSE(acknowledged.empty());
  for (std::int64_t id : acknowledged) {
    EXPECT_EQ(probe.Get("/api/v4/leads/" + std::to_string(id)).status, 200) << "lead " << id;
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " wrong answers, first: " << wrong.front();
  EXPECT_GT(down_503, 0);
  EXPECT_TRUE(server_->Running());
}

}  // namespace
}  // namespace gatehouse::apitest
