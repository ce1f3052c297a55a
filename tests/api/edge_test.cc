// The network edge of the real server (issue 9): repeated X-Forwarded-For lines, links that
// never come from the Host header (public URL, trusted proxies' X-Forwarded-Proto/Host), and
// readiness (/readyz) apart from liveness (/healthz).
//
// Every test gets its own freshly seeded server: they change trusted proxies and the whitelist.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

struct World {
  domain::AccountId account_id = 0;
  domain::UserId rep_id = 0;
};

base::Status Seed(storage::Store& store, World& world) {
  GH_ASSIGN_OR_RETURN(SeededAccount account, SeedAccount(store, "edge"));
  world.account_id = account.account.id;
  return store.Write(account.account.id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(world.rep_id, CreateSeededUser(w, "Rep", "rep@edge.test"));
    return base::Status::Ok();
  });
}

class EdgeTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_API_REQUIRE_ENGINE(GetParam());
    auto server =
        TestServer::Create(GetParam(), [this](storage::Store& store) { return Seed(store, w_); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_ == nullptr) return;
    EXPECT_EQ(server_->Stop(), 0) << server_->process().LogTail();
    server_.reset();
  }

  HttpClient Admin() {
    HttpClient admin = server_->Client();
    Response r = Login(admin, "admin@edge.test");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return admin;
  }

  void TrustLoopbackProxy(HttpClient& admin) {
    Response patched = admin.SendJson("PATCH", "/api/v4/security/policy",
                                      {{"trusted_proxies", json::array({"127.0.0.1"})}});
    ASSERT_EQ(patched.status, 200) << patched.Describe();
  }

  Response LoginVia(const Headers& forwarded) {
    HttpClient client = server_->Client();
    return client.SendJson("POST", "/auth/login",
                           {{"email", "rep@edge.test"}, {"password", kPassword}}, forwarded);
  }

  World w_;
  std::unique_ptr<TestServer> server_;
};

// Two X-Forwarded-For lines are one list (RFC 9110 §5.3): the right-most untrusted address is
// the client, whichever line it is on. Taking only the first line let a client put its own
// whitelisted address before the proxy's.
TEST_P(EdgeTest, RepeatedForwardedForLinesAreOneList) {
  HttpClient admin = Admin();
  TrustLoopbackProxy(admin);
  json whitelist = {{"enabled", true},
                    {"entries", json::array({{{"value", "127.0.0.1/32"}, {"note", "proxy"}},
                                             {{"value", "10.1.1.1/32"}, {"note", "office"}}})}};
  Response put = admin.SendJson("PUT", "/api/v4/security/ip_whitelist", whitelist);
  ASSERT_EQ(put.status, 200) << put.Describe();

  Response two_lines =
      LoginVia({{"X-Forwarded-For", "10.1.1.1"}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(two_lines.status, 403) << two_lines.Describe();
  EXPECT_NE(two_lines.body.find("203.0.113.9"), std::string::npos) << two_lines.Describe();
  Response one_line = LoginVia({{"X-Forwarded-For", "10.1.1.1, 203.0.113.9"}});
  EXPECT_EQ(one_line.status, 403) << one_line.Describe();

  Response allowed =
      LoginVia({{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-For", "10.1.1.1"}});
  ASSERT_EQ(allowed.status, 200) << allowed.Describe();
  auto sessions = server_->store().Reader(w_.account_id).ListSessions(w_.rep_id);
  ASSERT_TRUE(sessions.ok()) << sessions.status().ToString();
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ(sessions->front().ip, "10.1.1.1");
}

// Links come from the address the client reached, never from Host; X-Forwarded-Proto/Host
// only from a trusted proxy.
TEST_P(EdgeTest, LinksIgnoreHostAndHonourOnlyTrustedProxies) {
  HttpClient admin = Admin();
  const std::string own = "http://127.0.0.1:" + std::to_string(server_->port());
  const Headers forged = {{"Host", "evil.example"},
                          {"X-Forwarded-Proto", "https"},
                          {"X-Forwarded-Host", "proxy.example"}};
  Response users = admin.Get("/api/v4/users", forged);
  ASSERT_EQ(users.status, 200) << users.Describe();
  EXPECT_EQ(users.body_json["_links"]["self"]["href"], own + "/api/v4/users?page=1")
      << users.Describe();
  EXPECT_EQ(users.body.find("evil.example"), std::string::npos) << users.Describe();
  EXPECT_EQ(users.body.find("proxy.example"), std::string::npos) << users.Describe();

  TrustLoopbackProxy(admin);
  Response proxied = admin.Get("/api/v4/users?limit=1", forged);
  ASSERT_EQ(proxied.status, 200) << proxied.Describe();
  EXPECT_EQ(proxied.body_json["_links"]["next"]["href"],
            "https://proxy.example/api/v4/users?limit=1&page=2")
      << proxied.Describe();
  EXPECT_EQ(proxied.body.find("evil.example"), std::string::npos) << proxied.Describe();

  // A missing or repeated Host is refused before anything runs.
  Response no_host = admin.Raw("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(no_host.status, 400) << no_host.Describe();
  Response two_hosts = admin.Raw(
      "GET /healthz HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(two_hosts.status, 400) << two_hosts.Describe();
}

// --public-url wins over everything, trusted proxy or not.
TEST_P(EdgeTest, PublicUrlBuildsLinks) {
  HttpClient admin = Admin();
  TrustLoopbackProxy(admin);
  const std::string token = CreateToken(admin);
  ASSERT_FALSE(token.empty());

  auto bad = ServerProcess::Start(server_->db_url(), server_->dir() + "/bad.log",
                                  {"--public-url", "https://crm.example/base"});
  EXPECT_FALSE(bad.ok()) << "a public URL with a path was accepted";

  auto second = ServerProcess::Start(server_->db_url(), server_->dir() + "/public.log",
                                     {"--public-url", "HTTPS://CRM.example:8443/"});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  HttpClient client((*second)->port());
  client.SetBearer(token);
  Response users = client.Get("/api/v4/users", {{"Host", "evil.example"},
                                                {"X-Forwarded-Proto", "http"},
                                                {"X-Forwarded-Host", "proxy.example"}});
  ASSERT_EQ(users.status, 200) << users.Describe();
  EXPECT_EQ(users.body_json["_links"]["self"]["href"],
            "https://crm.example:8443/api/v4/users?page=1")
      << users.Describe();
  EXPECT_EQ((*second)->Stop(), 0) << (*second)->LogTail();
}

// /readyz proves a committed write; /healthz only that the process serves.
TEST_P(EdgeTest, ReadyzFailsOnAReadOnlyDatabaseWhileHealthzAnswers) {
  HttpClient client = server_->Client();
  Response ready = client.Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.Describe();
  EXPECT_EQ(ready.body_json, json({{"ready", true}}));
  if (GetParam() != Engine::kSqlite) GTEST_SKIP() << "a read-only file is an SQLite condition";

  // The same file opened read-only (SQLite URI mode=ro; chmod would not stop root).
  const std::string path = server_->db_url().substr(std::string("sqlite:").size());
  auto read_only =
      ServerProcess::Start("sqlite:file:" + path + "?mode=ro", server_->dir() + "/ro.log");
  ASSERT_TRUE(read_only.ok()) << read_only.status().ToString();
  HttpClient ro((*read_only)->port());
  Response health = ro.Get("/healthz");
  EXPECT_EQ(health.status, 200) << health.Describe();
  Response not_ready = ro.Get("/readyz");
  EXPECT_EQ(not_ready.status, 503) << not_ready.Describe();
  EXPECT_EQ(not_ready.Header("content-type"), "application/problem+json");
  EXPECT_NE(not_ready.body_json.value("detail", "").find("readonly"), std::string::npos)
      << not_ready.Describe();
  EXPECT_EQ((*read_only)->Stop(), 0) << (*read_only)->LogTail();
}

INSTANTIATE_TEST_SUITE_P(Engines, EdgeTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return std::string(EngineName(info.param)); });

}  // namespace
}  // namespace gatehouse::apitest
