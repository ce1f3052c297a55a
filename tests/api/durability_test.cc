// Durability of acknowledged writes (issue 11): clients write concurrently (so that, on SQLite,
// their writes share group commits), the server is killed with SIGKILL in the middle of it, and
// after a restart every write that was answered 200 is there, with the lead totals and the
// activity-log chain still exact. Bounded: 8 clients, at most 400 requests each and 20 s in all.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

constexpr int kClients = 8;
constexpr int kMaxRequestsEach = 400;
constexpr int kAcknowledgedBeforeKill = 300;  // across all clients

// What one client was told: the leads it created and the last price acknowledged on its own
// lead (the PATCH after that one may or may not have committed: its answer never came).
struct Acknowledged {
  std::int64_t lead_id = 0;
  std::int64_t last_price = 0;
  std::vector<std::pair<std::int64_t, std::string>> created;  // id, name
};

class DurabilityTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    auto server = TestServer::Create(GetParam(), [this](storage::Store& store) -> base::Status {
      GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, "durable"));
      account_id_ = account.account.id;
      return base::Status::Ok();
    });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  void TearDown() override { server_.reset(); }

  domain::AccountId account_id_ = 0;
  std::unique_ptr<TestServer> server_;
};

TEST_P(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  HttpClient admin = server_->Client();
  ASSERT_EQ(Login(admin, "admin@durable.test").status, 200);
  const std::string token = CreateToken(admin, "durability");
  ASSERT_FALSE(token.empty());

  std::vector<Acknowledged> acked(kClients);
  for (int c = 0; c < kClients; ++c) {
    Response r = admin.SendJson("POST", "/api/v4/leads",
                                json::array({{{"name", "own " + std::to_string(c)}}}));
    ASSERT_EQ(r.status, 200) << r.Describe();
    acked[c].lead_id = r.body_json["_embedded"]["leads"][0]["id"].get<std::int64_t>();
  }

  std::atomic<int> total{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server_->port());
      client.SetBearer(token);
      Acknowledged& mine = acked[c];
      for (int n = 1; n <= kMaxRequestsEach; ++n) {
        Response r;
        if (n % 2 == 0) {
          r = client.SendJson("PATCH", "/api/v4/leads/" + std::to_string(mine.lead_id),
                              {{"price", n}});
          if (r.status != 200) break;
          mine.last_price = n;
        } else {
          const std::string name = "c" + std::to_string(c) + "-" + std::to_string(n);
          r = client.SendJson("POST", "/api/v4/leads",
                              json::array({{{"name", name}, {"price", n}}}));
          if (r.status != 200) break;
          mine.created.emplace_back(r.body_json["_embedded"]["leads"][0]["id"].get<std::int64_t>(),
                                    name);
        }
        total.fetch_add(1);
      }
    });
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (total.load() < kAcknowledgedBeforeKill && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const int before_kill = total.load();
  ASSERT_EQ(::kill(server_->process().pid(), SIGKILL), 0);
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(server_->process().Stop(), 128 + SIGKILL);
  ASSERT_GE(before_kill, kAcknowledgedBeforeKill) << "the clients were too slow to test anything";
  // The kill must have landed while writes were in flight, not after the clients were done.
  EXPECT_LT(total.load(), kClients * kMaxRequestsEach);

  auto restarted = ServerProcess::Start(server_->db_url(), server_->dir() + "/restarted.log");
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  HttpClient reader((*restarted)->port());
  reader.SetBearer(token);
  int checked = 0;
  for (const Acknowledged& mine : acked) {
    Response own = reader.Get("/api/v4/leads/" + std::to_string(mine.lead_id));
    ASSERT_EQ(own.status, 200) << own.Describe();
    const std::int64_t price = own.body_json["price"].get<std::int64_t>();
    // The acknowledged price, or the one of the PATCH in flight when the server died.
    EXPECT_TRUE(price == mine.last_price || price == mine.last_price + 2)
        << "lead " << mine.lead_id << ": price " << price << ", acknowledged " << mine.last_price;
    for (const auto& [id, name] : mine.created) {
      Response lead = reader.Get("/api/v4/leads/" + std::to_string(id));
      ASSERT_EQ(lead.status, 200) << "acknowledged lead " << id << " lost: " << lead.Describe();
      EXPECT_EQ(lead.body_json["name"], name);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
  storage::AccountReader store = server_->store().Reader(account_id_);
  auto totals = store.VerifyLeadTotals();
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_TRUE(totals->empty()) << totals->size() << " lead-total cells differ from the rows";
  auto chain = store.VerifyEventChain();
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->intact()) << chain->first_break->reason;
  EXPECT_EQ((*restarted)->Stop(), 0) << (*restarted)->LogTail();
}

INSTANTIATE_TEST_SUITE_P(Engines, DurabilityTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return std::string(EngineName(info.param));
                         });

}  // namespace
}  // namespace gatehouse::apitest
