// Store::PruneExpiredCredentials on every engine: what each kind of credential loses and keeps,
// across accounts, in bounded batches, and that a second sweep finds nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

constexpr std::int64_t kSweepAt = 10'000'000;
constexpr std::int64_t kTokenRetention = 30 * 24 * 3600;

class PruneStoreTest : public CredentialStoreTest {
 protected:
  void Populate() override {
    CredentialStoreTest::Populate();
    ia_ = NewIntegration(a_, u_, "crm").id;
    ib_ = NewIntegration(b_, v_, "erp").id;
  }

  void Add(AccountId account, const std::function<Status(AccountWriter&)>& body) {
    Status s = store_->Write(account, body);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  void NewSession(AccountId account, UserId user, const std::string& id, std::int64_t expires_at) {
    Add(account, [&](AccountWriter& w) {
      return w.CreateSession({.id = id,
                              .token_hash = "hash-" + id,
                              .user_id = user,
                              .created_at = 1,
                              .last_seen_at = 1,
                              .expires_at = expires_at});
    });
  }

  void NewToken(AccountId account, UserId user, const std::string& name, std::int64_t expires_at,
                bool revoked = false, const std::string& grant = "") {
    Add(account, [&](AccountWriter& w) {
      return w
          .CreateApiToken({.user_id = user,
                           .name = name,
                           .token_hash = "hash-" + name,
                           .kind = expires_at == 0 ? "long_lived" : "oauth_access",
                           .created_at = 1,
                           .expires_at = expires_at,
                           .revoked = revoked,
                           .grant_id = grant})
          .status();
    });
  }

  void NewRefresh(AccountId account, UserId user, std::int64_t integration, const std::string& hash,
                  std::int64_t expires_at, bool revoked = false, const std::string& grant = "") {
    Add(account, [&](AccountWriter& w) {
      return w.CreateOAuthRefresh({.token_hash = hash,
                                   .integration_id = integration,
                                   .user_id = user,
                                   .expires_at = expires_at,
                                   .revoked = revoked,
                                   .grant_id = grant});
    });
  }

  void NewCode(AccountId account, UserId user, std::int64_t integration, const std::string& hash,
               std::int64_t expires_at, bool used = false) {
    Add(account, [&](AccountWriter& w) {
      return w.CreateOAuthCode({.code_hash = hash,
                                .integration_id = integration,
                                .user_id = user,
                                .expires_at = expires_at,
                                .used = used});
    });
  }

  // The values of `column` in `table`, sorted: what a sweep left.
  std::vector<std::string> Left(const std::string& table, const std::string& column) {
    auto c = store_->pool().Acquire();
    auto rows = c->Query("SELECT " + column + " FROM " + table + " ORDER BY " + column);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const auto& r : rows->rows) out.push_back(sql::AsText(r[0]));
    }
    return out;
  }

  PrunedCredentials Prune(std::int64_t batch_rows = 1000) {
    auto pruned = store_->PruneExpiredCredentials(
        {.now = kSweepAt, .token_retention_seconds = kTokenRetention, .batch_rows = batch_rows});
    EXPECT_TRUE(pruned.ok()) << pruned.status().ToString();
    return pruned.ok() ? *pruned : PrunedCredentials{};
  }

  std::int64_t ia_ = 0, ib_ = 0;
};

TEST_P(PruneStoreTest, SessionsEndedByTheirExpiryGoLiveOnesStayInEveryAccount) {
  NewSession(a_, u_, "a-expired", kSweepAt - 1);
  NewSession(a_, u_, "a-expiring-now", kSweepAt);
  NewSession(a_, u_, "a-live", kSweepAt + 1);
  NewSession(b_, v_, "b-expired", kSweepAt - 3600);
  NewSession(b_, v_, "b-live", kSweepAt + 3600);
  auto listed_before = store_->Reader(a_).ListSessions(u_);
  ASSERT_TRUE(listed_before.ok());

  EXPECT_EQ(Prune(), (PrunedCredentials{.sessions = 3}));

  EXPECT_EQ(Left("sessions", "id"), (std::vector<std::string>{"a-live", "b-live"}));
  auto listed = store_->Reader(a_).ListSessions(u_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front(), listed_before->at(listed_before->size() - 1));
  EXPECT_TRUE(store_->FindSession("hash-b-live").ok());
}

TEST_P(PruneStoreTest, RefreshTokensRevokedOrExpiredGo) {
  NewRefresh(a_, u_, ia_, "r-live", kSweepAt + 1);
  NewRefresh(a_, u_, ia_, "r-used", kSweepAt + 600, /*revoked=*/true);
  NewRefresh(a_, u_, ia_, "r-expired", kSweepAt);
  NewRefresh(b_, v_, ib_, "r-b-live", kSweepAt + 600);
  NewRefresh(b_, v_, ib_, "r-b-expired", kSweepAt - 600);

  EXPECT_EQ(Prune(), (PrunedCredentials{.oauth_refresh_tokens = 3}));

  EXPECT_EQ(Left("oauth_refresh_tokens", "token_hash"),
            (std::vector<std::string>{"r-b-live", "r-live"}));
  EXPECT_TRUE(store_->FindAccountOfOAuthRefresh("r-live", kSweepAt).ok());
}

// A used code is what lets a replay revoke its grant's tokens (auth_oauth.cc), so it stays
// while one of them is live; unused ones go once they expire.
TEST_P(PruneStoreTest, CodesGoOnceExpiredAndUsedOnesOnceTheirGrantIsDead) {
  NewCode(a_, u_, ia_, "c-unused-expired", kSweepAt);
  NewCode(a_, u_, ia_, "c-unused-live", kSweepAt + 1);
  NewCode(a_, u_, ia_, "c-used-live", kSweepAt + 1, /*used=*/true);
  NewCode(a_, u_, ia_, "c-used-grant-dead", kSweepAt - 1, /*used=*/true);
  NewRefresh(a_, u_, ia_, "r-of-dead", kSweepAt - 1, false, "c-used-grant-dead");
  NewToken(a_, u_, "t-of-dead", kSweepAt + 60, /*revoked=*/true, "c-used-grant-dead");
  NewCode(a_, u_, ia_, "c-used-refresh-live", kSweepAt - 1, /*used=*/true);
  NewRefresh(a_, u_, ia_, "r-of-live", kSweepAt + 60, false, "c-used-refresh-live");
  NewCode(a_, u_, ia_, "c-used-access-live", kSweepAt - 1, /*used=*/true);
  NewToken(a_, u_, "t-of-live", kSweepAt + 60, false, "c-used-access-live");
  // Another account's token of the same grant id keeps nothing here.
  NewCode(a_, u_, ia_, "c-used-other-account", kSweepAt - 1, /*used=*/true);
  NewToken(b_, v_, "t-other", kSweepAt + 60, false, "c-used-other-account");
  NewCode(b_, v_, ib_, "c-b-unused-live", kSweepAt + 600);

  const PrunedCredentials pruned = Prune();
  EXPECT_EQ(pruned.oauth_codes, 3);
  EXPECT_EQ(pruned.oauth_refresh_tokens, 1);  // r-of-dead

  EXPECT_EQ(Left("oauth_codes", "code_hash"),
            (std::vector<std::string>{"c-b-unused-live", "c-unused-live", "c-used-access-live",
                                      "c-used-live", "c-used-refresh-live"}));
}

TEST_P(PruneStoreTest, AccessTokensGoARetentionAfterExpiryPersonalOnesWithoutExpiryStay) {
  NewToken(a_, u_, "live", kSweepAt + 1);
  NewToken(a_, u_, "expired-recently", kSweepAt - kTokenRetention + 1);
  NewToken(a_, u_, "expired-long-ago", kSweepAt - kTokenRetention);
  NewToken(a_, u_, "revoked-expired-long-ago", kSweepAt - kTokenRetention - 1, /*revoked=*/true);
  NewToken(a_, u_, "revoked-expired-recently", kSweepAt - 1, /*revoked=*/true);
  NewToken(a_, u_, "personal", 0);
  NewToken(a_, u_, "personal-revoked", 0, /*revoked=*/true);
  NewToken(b_, v_, "b-live", kSweepAt + 86400);
  NewToken(b_, v_, "b-expired-long-ago", 5);

  EXPECT_EQ(Prune(), (PrunedCredentials{.api_tokens = 3}));

  EXPECT_EQ(Left("api_tokens", "name"),
            (std::vector<std::string>{"b-live", "expired-recently", "live", "personal",
                                      "personal-revoked", "revoked-expired-recently"}));
  auto live = store_->Reader(a_).ListLiveApiTokens(kSweepAt, {});
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ(live->at(0).name, "live");
  EXPECT_EQ(live->at(1).name, "personal");
}

TEST_P(PruneStoreTest, ABacklogLargerThanABatchGoesInBoundedTransactions) {
  for (int i = 0; i < 10; ++i)
    NewSession(i % 2 == 0 ? a_ : b_, i % 2 == 0 ? u_ : v_, "old-" + std::to_string(i),
               kSweepAt - i);
  NewSession(a_, u_, "live", kSweepAt + 1);
  NewToken(a_, u_, "old-token", 1);
  const std::uint64_t writes = store_->write_stats().writes;

  EXPECT_EQ(Prune(/*batch_rows=*/3), (PrunedCredentials{.sessions = 10, .api_tokens = 1}));

  // Sessions 3 + 3 + 3 + 1; one statement for each other table (the tokens' 1 < 3 ends it).
  EXPECT_EQ(store_->write_stats().writes - writes, 4u + 3u);
  EXPECT_EQ(Left("sessions", "id"), (std::vector<std::string>{"live"}));
}

TEST_P(PruneStoreTest, ASecondSweepFindsNothing) {
  NewSession(a_, u_, "old", kSweepAt - 1);
  NewSession(a_, u_, "live", kSweepAt + 1);
  NewRefresh(a_, u_, ia_, "r-old", kSweepAt - 1);
  NewCode(a_, u_, ia_, "c-old", kSweepAt - 1);
  NewToken(a_, u_, "t-old", 1);
  EXPECT_EQ(Prune(1),
            (PrunedCredentials{
                .sessions = 1, .oauth_codes = 1, .oauth_refresh_tokens = 1, .api_tokens = 1}));
  EXPECT_EQ(Prune(1), PrunedCredentials{});
  EXPECT_EQ(Left("sessions", "id"), (std::vector<std::string>{"live"}));
}

TEST_P(PruneStoreTest, RefusesAnEmptyBatch) {
  EXPECT_FALSE(store_->PruneExpiredCredentials({.now = kSweepAt, .batch_rows = 0}).ok());
}

GH_INSTANTIATE_STORE_TEST(PruneStoreTest);

}  // namespace
}  // namespace gatehouse::storage
