// The credential sweep as the server runs it (CredentialPruner): once per period of the injected
// clock across the servers of one database, what it removes, and what it leaves listed.
#include "service/auth/credential_pruning.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/service_test_util.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

class CredentialPrunerTest : public testing::AcmeEngineFixture {
 protected:
  void NewSession(const std::string& id, std::int64_t expires_at) {
    Write([&](storage::AccountWriter& w) {
      return w.CreateSession({.id = id,
                              .token_hash = "hash-" + id,
                              .user_id = admin_,
                              .created_at = clock_.NowSeconds(),
                              .last_seen_at = clock_.NowSeconds(),
                              .expires_at = expires_at});
    });
  }
  // The admin's sessions, as /profile lists them (SecurityService::ListSessions).
  std::vector<std::string> Listed() {
    auto sessions = Reader().ListSessions(admin_);
    EXPECT_TRUE(sessions.ok()) << sessions.status().ToString();
    std::vector<std::string> out;
    if (sessions.ok()) {
      for (const storage::SessionRow& s : *sessions) out.push_back(s.id);
    }
    return out;
  }
};

TEST_P(CredentialPrunerTest, SweepsOncePerPeriodAcrossServersAndKeepsLiveSessionsListed) {
  const std::int64_t start = clock_.NowSeconds();
  NewSession("ended", start);
  NewSession("live", start + 3600);
  auto other = storage::Store::Open(url_, 2);
  ASSERT_TRUE(other.ok());
  CredentialPruner one(store_.get(), &clock_, {.period_seconds = 3600, .holder = "one"});
  CredentialPruner two(other->get(), &clock_, {.period_seconds = 3600, .holder = "two"});

  storage::PrunedCredentials pruned;
  auto ran = one.RunOnce(&pruned);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(*ran);
  EXPECT_EQ(pruned, (storage::PrunedCredentials{.sessions = 1}));
  EXPECT_EQ(Listed(), (std::vector<std::string>{"live"}));

  // Within the period nobody sweeps, though "live" has now ended too.
  clock_.Advance(3599);
  NewSession("ended-later", clock_.NowSeconds() - 1);
  EXPECT_FALSE(*two.RunOnce());
  EXPECT_FALSE(*one.RunOnce());
  EXPECT_EQ(Listed().size(), 2u);
  // Once it is over, whoever asks first sweeps.
  clock_.Advance(1);
  pruned = {};
  EXPECT_TRUE(*two.RunOnce(&pruned));
  EXPECT_EQ(pruned, (storage::PrunedCredentials{.sessions = 2}));
  EXPECT_FALSE(*one.RunOnce());
  EXPECT_TRUE(Listed().empty());
}

TEST_P(CredentialPrunerTest, AccessTokensStayThirtyDaysAfterTheirExpiry) {
  const std::int64_t start = clock_.NowSeconds();
  Write([&](storage::AccountWriter& w) {
    return w
        .CreateApiToken({.user_id = admin_,
                         .name = "old",
                         .token_hash = "hash-old",
                         .kind = "oauth_access",
                         .expires_at = start})
        .status();
  });
  clock_.Advance(kAccessTokenRetentionSeconds - 1);
  auto kept = PruneCredentials(*store_, clock_);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->api_tokens, 0);
  clock_.Advance(1);
  auto pruned = PruneCredentials(*store_, clock_);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned->api_tokens, 1);
  EXPECT_TRUE(Reader().ListApiTokens(0)->empty());
}

TEST(DescribePrunedTest, CountsEachKind) {
  EXPECT_EQ(DescribePruned({.sessions = 1, .oauth_refresh_tokens = 2, .api_tokens = 1}),
            "1 session, 0 OAuth codes, 2 refresh tokens, 1 access token");
}

INSTANTIATE_TEST_SUITE_P(Engines, CredentialPrunerTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
