// The login throttle shared by every server of one database (SPEC §3 "Login throttling", §8):
// two AuthServices, each over its own Store on the same database, stand in for two server
// processes; on SQLite and (with GATEHOUSE_TEST_PG_URL) PostgreSQL. With a throttle kept per
// process, failures spread over both servers would need twice the count to lock.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "service/security/security_settings.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;
using testing::kPassword;
using testing::PasswordHash;

constexpr char kAdmin[] = "admin@acme.test";

class SharedThrottleTest : public ::testing::TestWithParam<Engine> {
 protected:
  struct Server {
    std::unique_ptr<storage::Store> store;
    std::unique_ptr<PolicyCache> policies;
    std::unique_ptr<AuthService> auth;
  };

  void SetUp() override {
    bool skip = false;
    url_ = db_.Create(GetParam(), &skip);
    if (skip) GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is unset";
    auto store = storage::Store::Open(url_, 3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Migrate().ok());
    auto account = CreateAccountWithAdmin(**store, {"acme", "Acme", 10, 0},
                                          {kAdmin, "Admin", PasswordHash()}, clock_.NowSeconds());
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    // Lock at the 4th failure; the first three are free, so no delay gets in the way.
    const SecurityPolicy policy{.lockout_threshold = 4, .lockout_minutes = 5};
    ASSERT_TRUE((*store)
                    ->Write(account_,
                            [&](storage::AccountWriter& w) {
                              return w.PutSecuritySettings(
                                  {SerializeSecurityPolicy(policy), "[]", clock_.NowSeconds()});
                            })
                    .ok());
    for (Server* server : {&a_, &b_}) {
      if (server == &a_) {
        server->store = std::move(store).value();
      } else {
        auto other = storage::Store::Open(url_, 3);
        ASSERT_TRUE(other.ok()) << other.status().ToString();
        server->store = std::move(other).value();
      }
      server->policies = std::make_unique<PolicyCache>(server->store.get());
      auto auth =
          AuthService::Create(server->store.get(), server->policies.get(), &clock_, AuthOptions{});
      ASSERT_TRUE(auth.ok()) << auth.status().ToString();
      server->auth = std::move(auth).value();
    }
  }

  base::Result<LoginResult> Login(Server& server, const std::string& email,
                                  const std::string& password, const std::string& peer,
                                  AuthError* error = nullptr) {
    const LoginInput in{.email = email, .password = password, .client = {.peer = peer}};
    AuthError ignored;
    return server.auth->Login(in, error != nullptr ? error : &ignored);
  }

  std::size_t Events(const std::string& type) {
    storage::EventQuery q;
    q.types = {type};
    auto events = a_.store->Reader(account_).ListEvents(q);
    EXPECT_TRUE(events.ok());
    return events.ok() ? events->size() : 0;
  }

  storage::testing::TestDatabase db_;
  std::string url_;
  base::FakeClock clock_;
  domain::AccountId account_ = 0;
  Server a_;
  Server b_;
};

TEST_P(SharedThrottleTest, FailuresOnTwoServersLockAtTheSameCountAsOnOne) {
  // Alternate servers: 2 + 2 failures are the account+email key's 4th, which locks it.
  for (int i = 0; i < 4; ++i) {
    Server& server = i % 2 == 0 ? a_ : b_;
    auto r = Login(server, kAdmin, "wrong wrong wrong", "198.51.100." + std::to_string(i + 1));
    ASSERT_EQ(r.status().code(), Code::kUnauthenticated) << i << " " << r.status().ToString();
  }
  // Locked on both, even with the right password, from a fresh address.
  for (Server* server : {&a_, &b_}) {
    AuthError error;
    auto r = Login(*server, kAdmin, kPassword, "192.0.2.77", &error);
    ASSERT_EQ(r.status().code(), Code::kResourceExhausted) << r.status().ToString();
    EXPECT_GT(error.retry_after, 290);
    EXPECT_LE(error.retry_after, 300);
  }
  EXPECT_EQ(Events("login_locked"), 1u);
  EXPECT_EQ(Events("login_failed"), 4u);
  // The lock runs out at the same moment everywhere; its end is logged once.
  clock_.Advance(300);
  EXPECT_TRUE(Login(b_, kAdmin, kPassword, "192.0.2.77").ok());
  EXPECT_TRUE(Login(a_, kAdmin, kPassword, "192.0.2.77").ok());
  EXPECT_EQ(Events("login_unlocked"), 1u);
}

TEST_P(SharedThrottleTest, SuccessOnOneServerResetsTheEmailKeyForBoth) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(Login(a_, kAdmin, "wrong wrong wrong", "198.51.100." + std::to_string(i)).ok());
  }
  ASSERT_TRUE(Login(b_, kAdmin, kPassword, "192.0.2.1").ok());
  // Three more failures (on A) do not lock: the count started again.
  for (int i = 0; i < 3; ++i) {
    auto r = Login(a_, kAdmin, "wrong wrong wrong", "198.51.100." + std::to_string(i + 10));
    ASSERT_EQ(r.status().code(), Code::kUnauthenticated) << i;
  }
  EXPECT_TRUE(Login(a_, kAdmin, kPassword, "192.0.2.1").ok());
  EXPECT_EQ(Events("login_locked"), 0u);
}

TEST_P(SharedThrottleTest, AnIpLockedThroughOneServerIsRefusedOnTheOther) {
  // The IP key (50 failures by default, 10 free then delays) counts across emails and servers.
  const std::string ip = "203.0.113.9";
  int failures = 0;
  for (int i = 0; i < 200 && failures < 50; ++i) {
    Server& server = i % 2 == 0 ? a_ : b_;
    AuthError error;
    auto r = Login(server, "nobody" + std::to_string(i) + "@acme.test", "wrong", ip, &error);
    if (r.status().code() == Code::kResourceExhausted) {
      clock_.Advance(error.retry_after);  // slowed down, not locked yet: wait as told
      continue;
    }
    ASSERT_EQ(r.status().code(), Code::kUnauthenticated) << r.status().ToString();
    ++failures;
  }
  ASSERT_EQ(failures, 50);
  for (Server* server : {&a_, &b_}) {
    AuthError error;
    auto r = Login(*server, kAdmin, kPassword, ip, &error);
    EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
    EXPECT_GT(error.retry_after, 290);
  }
  EXPECT_TRUE(Login(b_, kAdmin, kPassword, "192.0.2.1").ok());  // other addresses are not
}

TEST_P(SharedThrottleTest, ConcurrentFailuresOnTwoStoresLoseNoCount) {
  // What two servers do at once on one key: read-modify-write under LockThrottle.
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      storage::Store& store = t % 2 == 0 ? *a_.store : *b_.store;
      for (int i = 0; i < kEach; ++i) {
        base::Status s = store.Write(account_, [&](storage::AccountWriter& w) -> base::Status {
          GH_ASSIGN_OR_RETURN(storage::ThrottleRow row, w.LockThrottle("ip:192.0.2.200"));
          row.failures += 1;
          return w.PutThrottle(row);
        });
        if (!s.ok()) errors.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto row = a_.store->Reader(account_).GetThrottle("ip:192.0.2.200");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->failures, kThreads * kEach);
}

TEST_P(SharedThrottleTest, StaleRowsAreDeleted) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(Login(a_, "ghost" + std::to_string(i) + "@acme.test", "wrong",
                       "198.51.100." + std::to_string(i))
                     .ok());
  }
  const std::string first_ip = "ip:198.51.100.0";
  ASSERT_TRUE(a_.store->Reader(account_).GetThrottle(first_ip)->has_value());
  clock_.Advance(15 * 60 + 60);  // past the window and the sweep interval
  ASSERT_FALSE(Login(a_, "ghost@acme.test", "wrong", "192.0.2.5").ok());
  for (int i = 0; i < 5; ++i) {
    const std::string ip = "ip:198.51.100." + std::to_string(i);
    EXPECT_FALSE(a_.store->Reader(account_).GetThrottle(ip)->has_value()) << ip;
  }
  EXPECT_TRUE(a_.store->Reader(account_).GetThrottle("ip:192.0.2.5")->has_value());
}

GH_INSTANTIATE_STORE_TEST(SharedThrottleTest);

}  // namespace
}  // namespace gatehouse::service
