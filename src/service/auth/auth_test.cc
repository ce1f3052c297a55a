// Authentication service: login, sessions, CSRF, personal tokens, JWTs, X-Context-User-ID, OAuth.
#include "service/auth/auth.h"

#include <gtest/gtest.h>

#include "auth/session.h"
#include "auth/tokens.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using testing::AuthFixture;
using testing::kPassword;

class AuthTest : public AuthFixture {
 protected:
  // The claims of a personal token of the administrator, issued now, valid for `ttl` seconds.
  auth::JwtClaims AdminClaims(std::string jti, std::int64_t ttl) {
    auth::JwtClaims claims{
        .sub = admin_, .acc = account_, .jti = std::move(jti), .iat = clock_.NowSeconds()};
    claims.exp = claims.iat + ttl;
    return claims;
  }
};

TEST_F(AuthTest, LoginCreatesSessionWithHashedTokenAndCsrf) {
  LoginResult login = MustLogin("admin@acme.test");
  EXPECT_EQ(login.user_id, admin_);
  EXPECT_EQ(login.account_id, account_);
  EXPECT_EQ(login.session_token.size(), 43u);
  EXPECT_EQ(login.csrf_token, AuthService::CsrfTokenFor(login.session_token));
  EXPECT_FALSE(login.must_enroll_two_factor);
  EXPECT_FALSE(login.secure);
  auto session = store_->FindSession(auth::TokenHash(login.session_token));
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->id, login.session_id);
  EXPECT_EQ(session->ip, testing::kPeer);
  EXPECT_NE(session->token_hash, login.session_token);
  auto events = Events("login_succeeded");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_user_id, admin_);
  EXPECT_EQ(events[0].actor_ip, testing::kPeer);
}

TEST_F(AuthTest, LoginIsCaseInsensitiveOnEmailAndSubdomainOptional) {
  LoginInput in = Input("  ADMIN@Acme.Test ");
  in.subdomain = "ACME";
  AuthError error;
  EXPECT_TRUE(auth_->Login(in, &error).ok());
}

TEST_F(AuthTest, UnknownEmailAndWrongPasswordAnswerTheSame) {
  AuthError e1, e2, e3;
  auto wrong = auth_->Login(Input("admin@acme.test", "not the password"), &e1);
  auto unknown = auth_->Login(Input("nobody@acme.test", "not the password"), &e2);
  LoginInput bad_account = Input("admin@acme.test");
  bad_account.subdomain = "nope";
  auto no_account = auth_->Login(bad_account, &e3);
  for (const auto* r : {&wrong, &unknown, &no_account}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), Code::kUnauthenticated);
    EXPECT_EQ(r->status().message(), wrong.status().message());
  }
  EXPECT_EQ(e1.type_suffix, e2.type_suffix);
  auto failed = Events("login_failed");
  ASSERT_EQ(failed.size(), 2u);  // the unknown account has no log to write to
  // The attempted email is logged, never the password.
  bool saw_unknown = false;
  for (const auto& e : failed) {
    EXPECT_EQ(e.value_after_json.find("not the password"), std::string::npos);
    if (e.value_after_json.find("nobody@acme.test") != std::string::npos) saw_unknown = true;
  }
  EXPECT_TRUE(saw_unknown);
}

TEST_F(AuthTest, DeactivatedUserGetsTheSameAnswerAsAWrongPassword) {
  domain::UserId id = AddUser("gone@acme.test");
  SetActive(id, false);
  AuthError e1, e2;
  auto inactive = auth_->Login(Input("gone@acme.test"), &e1);
  auto wrong = auth_->Login(Input("admin@acme.test", "wrong wrong wrong"), &e2);
  ASSERT_FALSE(inactive.ok());
  EXPECT_EQ(inactive.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(inactive.status().message(), wrong.status().message());
}

TEST_F(AuthTest, MissingFieldsAreValidationErrors) {
  AuthError error;
  auto r = auth_->Login(Input("", ""), &error);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().fields().size(), 2u);
}

TEST_F(AuthTest, SessionAuthenticatesAndBuildsCaller) {
  LoginResult login = MustLogin("admin@acme.test");
  auto a = Auth(SessionCredentials(login));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caller.account_id, account_);
  EXPECT_EQ(a->caller.user_id, admin_);
  EXPECT_EQ(a->caller.actor_id, admin_);
  EXPECT_EQ(a->caller.via, Via::kSession);
  EXPECT_EQ(a->caller.session_id, login.session_id);
  EXPECT_EQ(a->caller.client_ip, testing::kPeer);
  ASSERT_TRUE(a->caller.policy);
  EXPECT_TRUE(a->caller.is_admin());
}

TEST_F(AuthTest, NoOrUnknownCredentialsAreUnauthenticated) {
  EXPECT_EQ(Auth(Credentials{}).status().code(), Code::kUnauthenticated);
  Credentials c;
  c.session_token = auth::NewToken();
  EXPECT_EQ(Auth(c).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, SessionIdleExpiryEndsIt) {
  LoginResult login = MustLogin("admin@acme.test");
  clock_.Advance(24 * 60 * 60 - 10);  // default idle: one day
  ASSERT_TRUE(Auth(SessionCredentials(login)).ok());
  clock_.Advance(24 * 60 * 60);
  auto a = Auth(SessionCredentials(login));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Code::kUnauthenticated);
  EXPECT_FALSE(store_->FindSession(auth::TokenHash(login.session_token)).ok());
  auto ended = Events("session_ended");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NE(ended[0].value_before_json.find("idle_expired"), std::string::npos);
}

TEST_F(AuthTest, SessionAbsoluteExpiryEndsEvenAnActiveSession) {
  LoginResult login = MustLogin("admin@acme.test");
  // Active every 12 hours for 30 days (the default absolute lifetime): never idle.
  for (int i = 0; i < 59; ++i) {
    clock_.Advance(12 * 3600);
    ASSERT_TRUE(Auth(SessionCredentials(login)).ok()) << i;
  }
  clock_.Advance(12 * 3600);
  auto a = Auth(SessionCredentials(login));
  ASSERT_FALSE(a.ok());
  auto ended = Events("session_ended");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NE(ended[0].value_before_json.find("absolute_expired"), std::string::npos);
}

// The policy's lifetime raised after sign-in: the session still ends when its cookie does and the
// sweep would delete it (the end stored at sign-in); a lowered lifetime ends it at once.
TEST_F(AuthTest, AbsoluteExpiryIsTheEarlierOfTheStoredEndAndThePolicys) {
  auto set_lifetime = [&](std::int64_t hours) {
    const Caller admin = CallerOf(admin_, 0, Via::kSession);
    return security_service_.PatchSecurityPolicy(admin, {.session_max_hours = hours}).ok();
  };
  ASSERT_TRUE(set_lifetime(2));
  LoginResult signed_in_short = MustLogin("admin@acme.test");
  ASSERT_TRUE(set_lifetime(48));
  LoginResult signed_in_long = MustLogin("admin@acme.test");
  clock_.Advance(2 * 3600 - 1);
  ASSERT_TRUE(Auth(SessionCredentials(signed_in_short)).ok());
  clock_.Advance(1);
  EXPECT_EQ(Auth(SessionCredentials(signed_in_short)).status().code(), Code::kUnauthenticated);
  ASSERT_TRUE(Auth(SessionCredentials(signed_in_long)).ok());
  auto ended = Events("session_ended");
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NE(ended[0].value_before_json.find("absolute_expired"), std::string::npos);

  ASSERT_TRUE(set_lifetime(1));
  EXPECT_EQ(Auth(SessionCredentials(signed_in_long)).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, LastActivityIsWrittenAtMostOnceAMinute) {
  LoginResult login = MustLogin("admin@acme.test");
  const std::int64_t start = clock_.NowSeconds();
  clock_.Advance(30);
  ASSERT_TRUE(Auth(SessionCredentials(login)).ok());
  EXPECT_EQ(store_->FindSession(auth::TokenHash(login.session_token))->last_seen_at, start);
  clock_.Advance(31);
  ASSERT_TRUE(Auth(SessionCredentials(login)).ok());
  EXPECT_EQ(store_->FindSession(auth::TokenHash(login.session_token))->last_seen_at, start + 61);
}

TEST_F(AuthTest, CsrfTokenRequiredForStateChangingCookieRequests) {
  LoginResult login = MustLogin("admin@acme.test");
  Credentials c = SessionCredentials(login, /*changes_state=*/true);
  EXPECT_TRUE(Auth(c).ok());
  c.csrf_token = "";
  AuthError error;
  auto missing = Auth(c, &error);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(error.type_suffix, kCsrfFailed);
  c.csrf_token = AuthService::CsrfTokenFor(auth::NewToken());  // another session's token
  EXPECT_EQ(Auth(c).status().code(), Code::kPermissionDenied);
  c.changes_state = false;  // reads need none
  EXPECT_TRUE(Auth(c).ok());
}

TEST_F(AuthTest, DeactivationStopsALiveSession) {
  domain::UserId id = AddUser("sam@acme.test");
  LoginResult login = MustLogin("sam@acme.test");
  ASSERT_TRUE(Auth(SessionCredentials(login)).ok());
  SetActive(id, false);
  EXPECT_EQ(Auth(SessionCredentials(login)).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  LoginResult login = MustLogin("admin@acme.test");
  Caller caller = CallerFor(login);
  ASSERT_TRUE(auth_->Logout(caller).ok());
  EXPECT_EQ(Auth(SessionCredentials(login)).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(Events("logout").size(), 1u);
}

// ---- personal tokens ----

TEST_F(AuthTest, PersonalTokenCreateUseListRevoke) {
  Caller caller = CallerFor(MustLogin("admin@acme.test"));
  const std::int64_t exp = clock_.NowSeconds() + 30 * 86400;
  auto token = auth_->CreatePersonalToken(caller, "CI", exp, "acme.example");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->info.name, "CI");
  EXPECT_EQ(token->info.expires_at, exp);
  EXPECT_EQ(token->token.substr(0, 3), "eyJ");  // a JWT

  auto a = Auth(BearerCredentials(token->token));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caller.via, Via::kToken);
  EXPECT_EQ(a->caller.user_id, admin_);
  EXPECT_EQ(a->caller.token_id, token->info.id);

  auto list = auth_->ListTokens(caller, false);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, token->info.id);

  ASSERT_TRUE(auth_->RevokeToken(caller, token->info.id).ok());
  EXPECT_EQ(Auth(BearerCredentials(token->token)).status().code(), Code::kUnauthenticated);
  EXPECT_TRUE(auth_->ListTokens(caller, false)->empty());
  EXPECT_EQ(Events("token_created").size(), 1u);
  EXPECT_EQ(Events("token_revoked").size(), 1u);
}

TEST_F(AuthTest, PersonalTokenExpiryIsValidatedAndEnforced) {
  Caller caller = CallerFor(MustLogin("admin@acme.test"));
  const std::int64_t now = clock_.NowSeconds();
  for (std::int64_t bad : {now, now + 3600, now + std::int64_t{6 * 365 * 86400}}) {
    auto r = auth_->CreatePersonalToken(caller, "x", bad, "");
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.status().fields().size(), 1u);
    EXPECT_EQ(r.status().fields()[0].path, "expires_at");
  }
  EXPECT_EQ(auth_->CreatePersonalToken(caller, "  ", now + 86400, "").status().fields()[0].path,
            "name");
  auto token = auth_->CreatePersonalToken(caller, "day", now + 86400, "");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(Auth(BearerCredentials(token->token)).ok());
  clock_.Advance(86400);
  EXPECT_EQ(Auth(BearerCredentials(token->token)).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, TokensLeaveTheListAtTheirExpiryByTheServiceClock) {
  Caller caller = CallerFor(MustLogin("admin@acme.test"));
  const std::int64_t now = clock_.NowSeconds();
  auto day = auth_->CreatePersonalToken(caller, "day", now + 86400, "");
  auto week = auth_->CreatePersonalToken(caller, "week", now + 7 * 86400, "");
  ASSERT_TRUE(day.ok() && week.ok());
  clock_.Advance(86399);
  auto list = auth_->ListTokens(caller, true);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, day->info.id);
  clock_.Advance(1);  // `day` expires at this second
  list = auth_->ListTokens(caller, false);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, week->info.id);
}

TEST_F(AuthTest, TokenOfDeactivatedOwnerIsRefused) {
  domain::UserId id = AddUser("sam@acme.test");
  Caller caller = CallerFor(MustLogin("sam@acme.test"));
  auto token = auth_->CreatePersonalToken(caller, "x", clock_.NowSeconds() + 7 * 86400, "");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(Auth(BearerCredentials(token->token)).ok());
  SetActive(id, false);
  EXPECT_EQ(Auth(BearerCredentials(token->token)).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, TamperedOrForeignJwtIsRefused) {
  Caller caller = CallerFor(MustLogin("admin@acme.test"));
  auto token = auth_->CreatePersonalToken(caller, "x", clock_.NowSeconds() + 7 * 86400, "");
  ASSERT_TRUE(token.ok());
  std::string tampered = token->token;
  tampered[tampered.find('.') + 5] ^= 1;  // a payload byte
  EXPECT_EQ(Auth(BearerCredentials(tampered)).status().code(), Code::kUnauthenticated);
  // Validly signed by us, but never issued (no token row): refused.
  const auth::JwtClaims claims = AdminClaims("forged", 3600);
  auto forged = auth_->keys().Sign(claims);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(Auth(BearerCredentials(*forged)).status().code(), Code::kUnauthenticated);
  // Signed with a key we do not hold.
  auto foreign = auth::SignJwt(claims, auth::NewJwtKey());
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(Auth(BearerCredentials(*foreign)).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, OthersTokensAreNotFoundForNonAdminsButAdminsSeeAll) {
  AddUser("sam@acme.test");
  AddUser("kim@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  Caller kim = CallerFor(MustLogin("kim@acme.test"));
  Caller admin = CallerFor(MustLogin("admin@acme.test"));
  auto token = auth_->CreatePersonalToken(sam, "x", clock_.NowSeconds() + 7 * 86400, "");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(auth_->RevokeToken(kim, token->info.id).code(), Code::kNotFound);
  EXPECT_EQ(auth_->ListTokens(kim, true).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(auth_->ListTokens(kim, false)->empty());
  EXPECT_EQ(auth_->ListTokens(admin, true)->size(), 1u);
  EXPECT_TRUE(auth_->RevokeToken(admin, token->info.id).ok());
}

TEST_F(AuthTest, KeyRotationKeepsOldTokensValid) {
  Caller caller = CallerFor(MustLogin("admin@acme.test"));
  auto old_token = auth_->CreatePersonalToken(caller, "old", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(old_token.ok());
  const std::string old_kid = auth_->keys().current_kid();
  auto kid = auth_->keys().Rotate();
  ASSERT_TRUE(kid.ok());
  EXPECT_NE(*kid, old_kid);
  EXPECT_EQ(auth_->keys().size(), 2u);
  auto new_token = auth_->CreatePersonalToken(caller, "new", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(new_token.ok());
  EXPECT_TRUE(Auth(BearerCredentials(old_token->token)).ok());
  EXPECT_TRUE(Auth(BearerCredentials(new_token->token)).ok());
  // A second process loads the same ring from the store.
  auto ring = JwtKeyRing::Load(store_.get());
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ((*ring)->current_kid(), *kid);
}

TEST_F(AuthTest, KeyRotatedElsewhereSignsHereOnceTheRingIsStale) {
  auto here = JwtKeyRing::Load(store_.get(), std::chrono::seconds(0));
  auto patient = JwtKeyRing::Load(store_.get());  // the default interval: not stale yet
  auto other_process = storage::Store::Open(url_, 1);
  ASSERT_TRUE(other_process.ok());
  auto elsewhere = JwtKeyRing::Load(other_process->get());
  ASSERT_TRUE(here.ok() && patient.ok() && elsewhere.ok());
  const std::string old_kid = (*here)->current_kid();
  auto rotated = (*elsewhere)->Rotate();
  ASSERT_TRUE(rotated.ok());

  const auth::JwtClaims claims = AdminClaims("k", 60);
  // The kid a token names, read by verifying it against the ring that signed it.
  auto kid_of = [&](const std::string& jwt) {
    std::string kid;
    auto verified = auth::VerifyJwt(
        jwt,
        [&](std::string_view asked) {
          kid = asked;
          return (*elsewhere)->Lookup(asked);
        },
        clock_.NowSeconds());
    EXPECT_TRUE(verified.ok());
    return kid;
  };
  auto signed_here = (*here)->Sign(claims);
  ASSERT_TRUE(signed_here.ok());
  EXPECT_EQ(kid_of(*signed_here), *rotated);
  EXPECT_EQ((*here)->size(), 2u);
  auto signed_patiently = (*patient)->Sign(claims);
  ASSERT_TRUE(signed_patiently.ok());
  EXPECT_EQ(kid_of(*signed_patiently), old_kid);
  // The notification of the new key (on PostgreSQL, Store::kKeysChannel): stale at once.
  store_->NoteKeysChanged();
  auto signed_when_told = (*patient)->Sign(claims);
  ASSERT_TRUE(signed_when_told.ok());
  EXPECT_EQ(kid_of(*signed_when_told), *rotated);
  // A key this process adds through its own Store is used by every ring on that Store at once.
  auto mine = (*here)->Rotate();
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE((*patient)->Sign(claims).ok());
  EXPECT_EQ((*patient)->current_kid(), *mine);
}

// ---- X-Context-User-ID ----

TEST_F(AuthTest, ContextUserFromAdminTokenActsAsThatUser) {
  domain::UserId sam = AddUser("sam@acme.test");
  Caller admin = CallerFor(MustLogin("admin@acme.test"));
  auto token = auth_->CreatePersonalToken(admin, "x", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(token.ok());
  Credentials c = BearerCredentials(token->token);
  c.context_user_id = std::to_string(sam);
  auto a = Auth(c);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caller.user_id, sam);
  EXPECT_EQ(a->caller.actor_id, admin_);
  EXPECT_FALSE(a->caller.is_admin());
  // Unknown, free or non-numeric users fail authorization.
  domain::UserId free_user = AddUser("free@acme.test", false, /*is_free=*/true);
  for (std::string bad : {std::string("999999"), std::to_string(free_user), std::string("x1")}) {
    c.context_user_id = bad;
    EXPECT_EQ(Auth(c).status().code(), Code::kUnauthenticated) << bad;
  }
}

TEST_F(AuthTest, ContextUserFromNonAdminTokenOrCookieIsForbidden) {
  AddUser("sam@acme.test");
  LoginResult sam_login = MustLogin("sam@acme.test");
  Caller sam = CallerFor(sam_login);
  auto token = auth_->CreatePersonalToken(sam, "x", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(token.ok());
  Credentials c = BearerCredentials(token->token);
  c.context_user_id = std::to_string(admin_);
  EXPECT_EQ(Auth(c).status().code(), Code::kPermissionDenied);
  Credentials cookie = SessionCredentials(sam_login);
  cookie.context_user_id = std::to_string(admin_);
  EXPECT_EQ(Auth(cookie).status().code(), Code::kPermissionDenied);
}

// An administrator's session is a token granted to an administrator (the console's View as); a
// bad target is kPermissionDenied there, not kUnauthenticated, since the session itself is fine.
TEST_F(AuthTest, ContextUserFromAdminCookieActsAsThatUser) {
  domain::UserId sam = AddUser("sam@acme.test");
  Credentials cookie = SessionCredentials(MustLogin("admin@acme.test"));
  cookie.context_user_id = std::to_string(sam);
  auto a = Auth(cookie);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caller.user_id, sam);
  EXPECT_EQ(a->caller.actor_id, admin_);
  EXPECT_EQ(a->caller.via, Via::kSession);
  EXPECT_FALSE(a->caller.is_admin());
  domain::UserId free_user = AddUser("free@acme.test", false, /*is_free=*/true);
  for (std::string bad : {std::string("999999"), std::to_string(free_user), std::string("x1")}) {
    cookie.context_user_id = bad;
    EXPECT_EQ(Auth(cookie).status().code(), Code::kPermissionDenied) << bad;
  }
}

// ---- OAuth ----

class OAuthTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    admin_caller_ = CallerFor(MustLogin("admin@acme.test"));
    auto integration =
        auth_->CreateIntegration(admin_caller_, "Zapier", "https://client.example/cb");
    ASSERT_TRUE(integration.ok()) << integration.status().ToString();
    integration_ = *integration;
  }

  OAuthTokenRequest CodeRequest(const std::string& code) {
    return OAuthTokenRequest{.grant_type = "authorization_code",
                             .client_id = integration_.client_id,
                             .client_secret = integration_.client_secret,
                             .code = code,
                             .redirect_uri = "https://client.example/cb",
                             .client = {.peer = testing::kPeer}};
  }

  OAuthTokenRequest RefreshRequest(const std::string& refresh) {
    OAuthTokenRequest r = CodeRequest("");
    r.grant_type = "refresh_token";
    r.refresh_token = refresh;
    return r;
  }

  Caller admin_caller_;
  NewIntegration integration_;
};

TEST_F(OAuthTest, OnlyAdminsAddIntegrationsWithValidRedirects) {
  AddUser("sam@acme.test");
  Caller sam = CallerFor(MustLogin("sam@acme.test"));
  EXPECT_EQ(auth_->CreateIntegration(sam, "x", "https://a.example/").status().code(),
            Code::kPermissionDenied);
  for (const char* bad : {"ftp://a.example/", "https://a.example/#frag", "/relative", ""}) {
    auto r = auth_->CreateIntegration(admin_caller_, "x", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().fields()[0].path, "redirect_uri");
  }
  EXPECT_EQ(integration_.client_id.size(), 36u);
  EXPECT_EQ(Events("integration_added").size(), 1u);
}

TEST_F(OAuthTest, CodeExchangeGivesWorkingTokensAndCodeIsSingleUse) {
  auto code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  AuthError error;
  auto tokens = auth_->ExchangeToken(CodeRequest(*code), &error);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(tokens->expires_in, 86400);
  EXPECT_EQ(tokens->server_time, clock_.NowSeconds());
  auto a = Auth(BearerCredentials(tokens->access_token));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->caller.via, Via::kOAuth);
  EXPECT_EQ(a->caller.user_id, admin_);

  AuthError again_error;
  auto again = auth_->ExchangeToken(CodeRequest(*code), &again_error);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(again_error.hint, "invalid_grant");
  EXPECT_EQ(Events("oauth_code_issued").size(), 1u);
  EXPECT_EQ(Events("oauth_token_issued").size(), 1u);
  clock_.Advance(86400);
  EXPECT_FALSE(Auth(BearerCredentials(tokens->access_token)).ok());
}

TEST_F(OAuthTest, ASecondExchangeOfACodeRevokesEveryTokenIssuedFromIt) {
  auto code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(code.ok());
  AuthError error;
  auto first = auth_->ExchangeToken(CodeRequest(*code), &error);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // Its refresh token rotates once: the new pair belongs to the same grant.
  auto refreshed = auth_->ExchangeToken(RefreshRequest(first->refresh_token), &error);
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  ASSERT_TRUE(Auth(BearerCredentials(first->access_token)).ok());
  ASSERT_TRUE(Auth(BearerCredentials(refreshed->access_token)).ok());
  // Tokens of another grant of the same integration and user are not touched.
  auto other_code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(other_code.ok());
  auto other = auth_->ExchangeToken(CodeRequest(*other_code), &error);
  ASSERT_TRUE(other.ok());

  AuthError replay_error;
  auto replay = auth_->ExchangeToken(CodeRequest(*code), &replay_error);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay_error.hint, "invalid_grant");
  EXPECT_FALSE(Auth(BearerCredentials(first->access_token)).ok());
  EXPECT_FALSE(Auth(BearerCredentials(refreshed->access_token)).ok());
  AuthError refresh_error;
  EXPECT_FALSE(auth_->ExchangeToken(RefreshRequest(refreshed->refresh_token), &refresh_error).ok());
  EXPECT_EQ(refresh_error.hint, "invalid_grant");
  EXPECT_EQ(Events("oauth_grant_revoked").size(), 1u);

  EXPECT_TRUE(Auth(BearerCredentials(other->access_token)).ok());
  EXPECT_TRUE(auth_->ExchangeToken(RefreshRequest(other->refresh_token), &error).ok());
}

TEST_F(OAuthTest, CodeExpiresAfterTwentyMinutes) {
  auto code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(code.ok());
  clock_.Advance(20 * 60);
  AuthError error;
  auto r = auth_->ExchangeToken(CodeRequest(*code), &error);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(error.hint, "invalid_grant");
}

TEST_F(OAuthTest, RedirectMismatchAndWrongSecretAreRefusedWithoutBurningTheCode) {
  auto code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(code.ok());
  OAuthTokenRequest r = CodeRequest(*code);
  r.redirect_uri = "https://client.example/cb/";
  AuthError e1;
  EXPECT_EQ(auth_->ExchangeToken(r, &e1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(e1.hint, "invalid_grant");
  r = CodeRequest(*code);
  r.client_secret = auth::NewToken();
  AuthError e2;
  EXPECT_EQ(auth_->ExchangeToken(r, &e2).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(e2.hint, "invalid_client");
  AuthError e3;
  EXPECT_TRUE(auth_->ExchangeToken(CodeRequest(*code), &e3).ok());
}

TEST_F(OAuthTest, RefreshTokensRotate) {
  auto code = auth_->IssueCode(admin_caller_, integration_.client_id);
  ASSERT_TRUE(code.ok());
  AuthError error;
  auto first = auth_->ExchangeToken(CodeRequest(*code), &error);
  ASSERT_TRUE(first.ok());
  auto second = auth_->ExchangeToken(RefreshRequest(first->refresh_token), &error);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->refresh_token, first->refresh_token);
  EXPECT_TRUE(Auth(BearerCredentials(second->access_token)).ok());
  AuthError reuse_error;
  auto reuse = auth_->ExchangeToken(RefreshRequest(first->refresh_token), &reuse_error);
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse_error.hint, "invalid_grant");
  // Refresh tokens live three months.
  clock_.Advance(kOAuthRefreshSeconds);
  EXPECT_FALSE(auth_->ExchangeToken(RefreshRequest(second->refresh_token), &error).ok());
}

TEST_F(OAuthTest, CodesComeOnlyFromWebSessionsOfTheSameAccount) {
  auto token = auth_->CreatePersonalToken(admin_caller_, "x", clock_.NowSeconds() + 86400, "");
  ASSERT_TRUE(token.ok());
  auto bearer = Auth(BearerCredentials(token->token));
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ(auth_->IssueCode(bearer->caller, integration_.client_id).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(auth_->IssueCode(admin_caller_, "00000000-0000-4000-8000-000000000000").status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace gatehouse::service
