// Store behaviour on every engine for administering OAuth integrations (the list with each
// integration's live access tokens, deleting one with everything issued through it) and for
// reading API tokens: the live ones of an account, a user or of kind personal, one by id.
#include <gtest/gtest.h>

#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

constexpr std::int64_t kNow = 1000;

class OAuthStoreTest : public CredentialStoreTest {
 protected:
  // Adds an access token `hash` of `integration` (0: a personal token) for `user`.
  void NewToken(AccountId account, UserId user, std::int64_t integration, const std::string& hash,
                std::int64_t expires_at, bool revoked = false) {
    const ApiTokenRow token{.user_id = user,
                            .name = hash,
                            .token_hash = hash,
                            .kind = integration == 0 ? "long_lived" : "oauth_access",
                            .integration_id = integration,
                            .created_at = 1,
                            .expires_at = expires_at,
                            .revoked = revoked};
    EXPECT_TRUE(
        store_->Write(account, [&](AccountWriter& w) { return w.CreateApiToken(token).status(); })
            .ok());
  }

  // Adds a refresh token and an unused code `name` of `integration` for `user`.
  void NewGrant(AccountId account, UserId user, std::int64_t integration, const std::string& name) {
    EXPECT_TRUE(store_
                    ->Write(account,
                            [&](AccountWriter& w) -> Status {
                              GH_RETURN_IF_ERROR(w.CreateOAuthCode({.code_hash = "code-" + name,
                                                                    .integration_id = integration,
                                                                    .user_id = user,
                                                                    .expires_at = kNow + 600}));
                              return w.CreateOAuthRefresh({.token_hash = "refresh-" + name,
                                                           .integration_id = integration,
                                                           .user_id = user,
                                                           .expires_at = kNow + 600});
                            })
                    .ok());
  }

  Status Delete(AccountId account, std::int64_t id, std::int64_t* revoked = nullptr) {
    return store_->Write(account, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(std::int64_t count, w.DeleteOAuthIntegration(id));
      if (revoked != nullptr) *revoked = count;
      return Status::Ok();
    });
  }

  // The hashes of the tokens of `account` live at `now` that `filter` selects, in the order read.
  std::vector<std::string> Live(AccountId account, std::int64_t now,
                                const LiveTokenFilter& filter = {}) {
    auto tokens = store_->Reader(account).ListLiveApiTokens(now, filter);
    EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
    std::vector<std::string> out;
    for (const ApiTokenRow& t : tokens.ok() ? *tokens : std::vector<ApiTokenRow>{}) {
      out.push_back(t.token_hash);
    }
    return out;
  }

  std::int64_t Revision(AccountId account) {
    auto revision = store_->SecurityRevision(account);
    EXPECT_TRUE(revision.ok());
    return revision.ok() ? *revision : -1;
  }
};

TEST_P(OAuthStoreTest, IntegrationsCountOnlyTheirLiveAccessTokens) {
  const OAuthIntegrationRow sync = NewIntegration(a_, u_, "sync");
  const OAuthIntegrationRow idle = NewIntegration(a_, u_, "idle");
  const OAuthIntegrationRow theirs = NewIntegration(b_, v_, "theirs");
  NewToken(a_, u_, sync.id, "live", kNow + 1);
  NewToken(a_, u_, sync.id, "later", kNow + 500);
  NewToken(a_, u_, sync.id, "expired", kNow);
  NewToken(a_, u_, sync.id, "revoked", kNow + 500, /*revoked=*/true);
  NewToken(a_, u_, 0, "personal", 0);  // a personal token belongs to no integration
  NewToken(b_, v_, theirs.id, "theirs", kNow + 500);

  auto listed = store_->Reader(a_).ListOAuthIntegrations(kNow);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(*listed, (std::vector<OAuthIntegrationUse>{{sync, 2}, {idle, 0}}));
  auto one = store_->Reader(a_).GetOAuthIntegration(sync.id, kNow + 1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, (OAuthIntegrationUse{sync, 1}));  // "live" expired at that second
  EXPECT_EQ(store_->Reader(a_).GetOAuthIntegration(sync.id, kNow + 500)->active_tokens, 0);

  // Another account's integration, a missing one and id 0 are not found.
  for (std::int64_t id : {theirs.id, theirs.id + 100, std::int64_t{0}}) {
    EXPECT_EQ(store_->Reader(a_).GetOAuthIntegration(id, kNow).status().code(), Code::kNotFound)
        << id;
  }
  EXPECT_EQ(*store_->Reader(b_).ListOAuthIntegrations(kNow),
            (std::vector<OAuthIntegrationUse>{{theirs, 1}}));
  EXPECT_TRUE(store_->Reader(NewAccount("empty")).ListOAuthIntegrations(kNow)->empty());
}

TEST_P(OAuthStoreTest, DeletingAnIntegrationShutsOffWhatItIssuedAndNothingElse) {
  const OAuthIntegrationRow gone = NewIntegration(a_, u_, "gone");
  const OAuthIntegrationRow kept = NewIntegration(a_, u_, "kept");
  const OAuthIntegrationRow theirs = NewIntegration(b_, v_, "theirs");
  NewToken(a_, u_, gone.id, "gone-1", kNow + 500);
  NewToken(a_, u_, gone.id, "gone-2", kNow + 500);
  NewToken(a_, u_, gone.id, "gone-old", kNow + 500, /*revoked=*/true);
  NewToken(a_, u_, kept.id, "kept", kNow + 500);
  NewGrant(a_, u_, gone.id, "gone");
  NewGrant(a_, u_, kept.id, "kept");
  const std::int64_t revision = Revision(a_);

  std::int64_t revoked = -1;
  ASSERT_TRUE(Delete(a_, gone.id, &revoked).ok());
  EXPECT_EQ(revoked, 2);
  // A revocation: the security state moved, so every server's token cache drops the tokens.
  EXPECT_EQ(Revision(a_), revision + 1);
  EXPECT_EQ(store_->FindOAuthIntegration(gone.client_id).status().code(), Code::kNotFound);
  EXPECT_TRUE(store_->FindApiToken("gone-1")->revoked);
  EXPECT_TRUE(store_->FindApiToken("gone-2")->revoked);
  EXPECT_FALSE(store_->FindApiToken("kept")->revoked);
  EXPECT_EQ(store_->FindAccountOfOAuthRefresh("refresh-gone", kNow).status().code(),
            Code::kNotFound);
  EXPECT_EQ(*store_->FindAccountOfOAuthRefresh("refresh-kept", kNow), a_);
  ASSERT_TRUE(store_
                  ->Write(a_,
                          [&](AccountWriter& w) -> Status {
                            EXPECT_EQ(w.ConsumeOAuthCode("code-gone", kNow).status().code(),
                                      Code::kNotFound);
                            return w.ConsumeOAuthCode("code-kept", kNow).status();
                          })
                  .ok());
  EXPECT_EQ(*store_->Reader(a_).ListOAuthIntegrations(kNow),
            (std::vector<OAuthIntegrationUse>{{kept, 1}}));

  // Deleted already, or another account's: kNotFound, and nothing moves.
  EXPECT_EQ(Delete(a_, gone.id).code(), Code::kNotFound);
  EXPECT_EQ(Delete(a_, theirs.id).code(), Code::kNotFound);
  EXPECT_EQ(Revision(a_), revision + 1);
  EXPECT_EQ(store_->FindOAuthIntegration(theirs.client_id)->first, b_);
}

using Hashes = std::vector<std::string>;

TEST_P(OAuthStoreTest, LiveTokensAreNeitherRevokedNorExpiredAndOfTheFilter) {
  const UserId w = NewUser(a_, "w@acme.io");
  const OAuthIntegrationRow sync = NewIntegration(a_, u_, "sync");
  NewToken(a_, u_, 0, "forever", 0);
  NewToken(a_, u_, 0, "boundary", kNow);  // expires at kNow: no longer live then
  NewToken(a_, u_, 0, "next", kNow + 1);
  NewToken(a_, u_, 0, "revoked", 0, /*revoked=*/true);
  NewToken(a_, u_, sync.id, "access", kNow + 1);
  NewToken(a_, w, 0, "colleague", 0);
  NewToken(a_, w, sync.id, "colleague-old", kNow - 1);
  NewToken(b_, v_, 0, "theirs", 0);

  EXPECT_EQ(Live(a_, kNow), (Hashes{"forever", "next", "access", "colleague"}));
  EXPECT_EQ(Live(a_, kNow - 1), (Hashes{"forever", "boundary", "next", "access", "colleague"}));
  EXPECT_EQ(Live(a_, kNow + 1), (Hashes{"forever", "colleague"}));
  EXPECT_EQ(Live(a_, kNow, {.user_id = u_}), (Hashes{"forever", "next", "access"}));
  EXPECT_EQ(Live(a_, kNow, {.user_id = w}), (Hashes{"colleague"}));
  EXPECT_EQ(Live(a_, kNow - 2, {.user_id = w}), (Hashes{"colleague", "colleague-old"}));
  EXPECT_EQ(Live(a_, kNow, {.personal_only = true}), (Hashes{"forever", "next", "colleague"}));
  EXPECT_EQ(Live(a_, kNow, {.user_id = u_, .personal_only = true}), (Hashes{"forever", "next"}));
  // Another account's user and tokens.
  EXPECT_TRUE(Live(a_, kNow, {.user_id = v_}).empty());
  EXPECT_EQ(Live(b_, kNow), (Hashes{"theirs"}));
  EXPECT_TRUE(Live(NewAccount("empty"), kNow).empty());

  // Every column is read.
  auto live = store_->Reader(a_).ListLiveApiTokens(kNow, {.user_id = u_});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(live->at(2), *store_->FindApiToken("access"));
}

TEST_P(OAuthStoreTest, ATokenIsReadByIdInItsAccountOnly) {
  NewToken(a_, u_, 0, "kept", kNow + 1);
  NewToken(a_, u_, 0, "revoked", kNow - 1, /*revoked=*/true);
  NewToken(b_, v_, 0, "theirs", 0);
  for (const std::string hash : {"kept", "revoked"}) {
    const ApiTokenRow stored = *store_->FindApiToken(hash);
    auto read = store_->Reader(a_).GetApiToken(stored.id);
    ASSERT_TRUE(read.ok()) << hash << ": " << read.status().ToString();
    EXPECT_EQ(*read, stored);
  }
  const std::int64_t theirs = store_->FindApiToken("theirs")->id;
  for (std::int64_t id : {theirs, theirs + 100, std::int64_t{0}}) {
    auto read = store_->Reader(a_).GetApiToken(id);
    EXPECT_EQ(read.status().code(), Code::kNotFound) << id;
    EXPECT_EQ(read.status().message(), "token not found") << id;
  }
}

GH_INSTANTIATE_STORE_TEST(OAuthStoreTest);

}  // namespace
}  // namespace gatehouse::storage
