// PolicyCache against a real store, with a second Store on the same database standing in for
// another server process (SPEC §8: changes on one node apply on every node within a second).
#include "service/policy_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "storage/sql/postgres_listener.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

// store_ (StoreTest's) is this node's store; elsewhere_ another node's on the same database.
class PolicyCacheTest : public storage::testing::StoreTest {
 protected:
  void Populate() override {
    elsewhere_ = Open();
    ASSERT_NE(elsewhere_, nullptr);
    account_ = NewAccount("acme");
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](storage::AccountWriter& w) -> base::Status {
                              storage::UserRow row{.user = {.name = "rep@acme.io",
                                                            .email = "rep@acme.io",
                                                            .is_active = true}};
                              row.user.rights.Set(domain::DataSet::kLeads, domain::Action::kView,
                                                  domain::Level::kAllowed);
                              GH_ASSIGN_OR_RETURN(user_, w.CreateUser(row));
                              return base::Status::Ok();
                            })
                    .ok());
  }

  std::unique_ptr<storage::Store> Open() {
    auto store = storage::Store::Open(url_, 2);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Deactivates or reactivates the user through `store`, as an administrator on that node would.
  void SetActive(storage::Store& store, bool active) {
    ASSERT_TRUE(store
                    .Write(account_,
                           [&](storage::AccountWriter& w) -> base::Status {
                             GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(user_));
                             row.user.is_active = active;
                             return w.UpdateUser(row);
                           })
                    .ok());
  }
  void Deactivate(storage::Store& store) { SetActive(store, false); }
  void Reactivate(storage::Store& store) { SetActive(store, true); }

  bool ActiveIn(PolicyCache& cache) {
    auto policy = cache.Get(account_);
    EXPECT_TRUE(policy.ok()) << policy.status().ToString();
    return policy.ok() && (*policy)->IsActive(user_);
  }

  std::unique_ptr<storage::Store> elsewhere_;
  domain::AccountId account_ = 0;
  domain::UserId user_ = 0;
};

TEST_P(PolicyCacheTest, ChangeByAnotherProcessAppliesAtTheNextPoll) {
  PolicyCache cache(store_.get(), std::chrono::milliseconds(0));  // polls on every Get
  ASSERT_TRUE(ActiveIn(cache));
  const std::uint64_t generation = cache.generation();
  Deactivate(*elsewhere_);
  EXPECT_FALSE(ActiveIn(cache));
  EXPECT_NE(cache.generation(), generation);  // token caches drop what they hold
}

TEST_P(PolicyCacheTest, PollsNoMoreOftenThanTheInterval) {
  PolicyCache cache(store_.get(), std::chrono::hours(1));
  ASSERT_TRUE(ActiveIn(cache));  // the first Get polls and loads
  Deactivate(*elsewhere_);
  EXPECT_TRUE(ActiveIn(cache));  // not polled again yet: the old snapshot answers
  ASSERT_TRUE(cache.Poll().ok());
  EXPECT_FALSE(ActiveIn(cache));
}

TEST_P(PolicyCacheTest, ChangeInThisProcessMovesTheGenerationAtOnce) {
  PolicyCache cache(store_.get(), std::chrono::hours(1));
  ASSERT_TRUE(ActiveIn(cache));
  const std::uint64_t generation = cache.generation();
  Deactivate(*store_);
  EXPECT_NE(cache.generation(), generation);
  ASSERT_TRUE(cache.Refresh(account_).ok());  // what the services do after their write
  EXPECT_FALSE(ActiveIn(cache));
  // The poll finds the revision it already has: no second rebuild, no second generation.
  const std::uint64_t after = cache.generation();
  ASSERT_TRUE(cache.Poll().ok());
  EXPECT_EQ(cache.generation(), after);
}

TEST_P(PolicyCacheTest, RecordWritesDoNotInvalidate) {
  PolicyCache cache(store_.get(), std::chrono::milliseconds(0));
  ASSERT_TRUE(ActiveIn(cache));
  auto before = cache.Get(account_);
  ASSERT_TRUE(before.ok());
  const std::uint64_t generation = cache.generation();
  ASSERT_TRUE(elsewhere_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            const storage::Lead lead{.name = "deal", .responsible_user_id = user_};
                            return w.Create(lead).status();
                          })
                  .ok());
  auto after = cache.Get(account_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->get(), before->get());  // the same snapshot, not a rebuild
  EXPECT_EQ(cache.generation(), generation);
}

// While a listener delivers changes the poll is only a safety net (here: an hour); when the
// listening connection drops, the fallback poll (here: every Get) takes over again, and
// listening again catches up on what was missed meanwhile.
TEST_P(PolicyCacheTest, ThePollIsTheFallbackWhileNotListening) {
  PolicyCache cache(store_.get(), std::chrono::milliseconds(0), std::chrono::hours(1));
  cache.SetListening(true);
  ASSERT_TRUE(ActiveIn(cache));
  Deactivate(*elsewhere_);  // no notification reaches this cache
  EXPECT_TRUE(ActiveIn(cache));
  cache.SetListening(false);  // the listener lost its connection
  EXPECT_FALSE(ActiveIn(cache));
  cache.SetListening(true);
  Reactivate(*elsewhere_);
  EXPECT_FALSE(ActiveIn(cache));  // listening: waits for a notification, does not poll
  cache.SetListening(false);
  cache.SetListening(true);  // reconnected: one poll at once
  EXPECT_TRUE(ActiveIn(cache));
}

TEST_P(PolicyCacheTest, ANotifiedChangeIsAppliedAtOnce) {
  PolicyCache cache(store_.get(), std::chrono::hours(1), std::chrono::hours(1));
  ASSERT_TRUE(ActiveIn(cache));
  const std::uint64_t generation = cache.generation();
  Deactivate(*elsewhere_);
  EXPECT_TRUE(ActiveIn(cache));
  ASSERT_TRUE(cache.OnRemoteChange(account_).ok());
  EXPECT_FALSE(ActiveIn(cache));
  EXPECT_NE(cache.generation(), generation);  // token caches drop what they hold
  // Notified again (as a server hears of its own change): the snapshot is current, nothing moves.
  const std::uint64_t later = cache.generation();
  auto snapshot = cache.Get(account_);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(cache.OnRemoteChange(account_).ok());
  EXPECT_EQ(cache.generation(), later);
  auto same = cache.Get(account_);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->get(), snapshot->get());
  // An account this process never loaded: nothing to rebuild, the generation still moves.
  ASSERT_TRUE(cache.OnRemoteChange(account_ + 1000).ok());
  EXPECT_NE(cache.generation(), later);
}

// PostgreSQL: the real listener on its own connection. The cache never polls on its own (an hour
// either way), so only a notification, or the catch-up poll after reconnecting, can bring a
// change made through the other Store. Then the listening backend is killed.
TEST_P(PolicyCacheTest, NotificationsFromAnotherStoreReachAListenerAndSurviveItsKill) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "LISTEN/NOTIFY is PostgreSQL's";
  PolicyCache cache(store_.get(), std::chrono::hours(1), std::chrono::hours(1));
  ASSERT_TRUE(ActiveIn(cache));
  auto listener = storage::sql::PostgresListener::Start(
      url_, {storage::Store::kSecurityChannel},
      [&](const std::string&, const std::string& payload) {
        EXPECT_TRUE(cache.OnRemoteChange(std::stoll(payload)).ok());
      },
      [&](bool listening) { cache.SetListening(listening); });
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  // Bounded waits (10 s) for something that takes milliseconds.
  const auto wait_until = [](const std::function<bool()>& done) {
    const auto start = std::chrono::steady_clock::now();
    while (!done() && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
  };
  ASSERT_TRUE(wait_until([&] { return (*listener)->listening(); }));
  Deactivate(*elsewhere_);
  EXPECT_TRUE(wait_until([&] { return !ActiveIn(cache); }));

  // Kill the listening session (only this test database's) and change at once.
  const auto kill_listener = [&] {
    auto c = store_->pool().Acquire();
    auto killed = c->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        "'gatehouse-listen' AND datname = current_database()");
    ASSERT_TRUE(killed.ok()) << killed.status().ToString();
    EXPECT_EQ(killed->size(), 1u);
  };
  kill_listener();
  Reactivate(*elsewhere_);  // its notification may reach nobody
  EXPECT_TRUE(wait_until([&] { return (*listener)->connects() >= 2; }));
  EXPECT_TRUE(wait_until([&] { return ActiveIn(cache); }));
  // And the new listening connection hears the next change.
  ASSERT_TRUE(wait_until([&] { return (*listener)->listening(); }));
  Deactivate(*elsewhere_);
  EXPECT_TRUE(wait_until([&] { return !ActiveIn(cache); }));
  listener->reset();
}

GH_INSTANTIATE_STORE_TEST(PolicyCacheTest);

}  // namespace
}  // namespace gatehouse::service
