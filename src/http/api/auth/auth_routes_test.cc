// The auth routes driven through the Router: login/logout, the middleware (cookie + CSRF,
// bearer, X-Context-User-ID), personal tokens and the OAuth flow on the wire.
#include <gtest/gtest.h>

#include "http/api/auth/auth_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using testing::SetCookieToken;

class AuthRoutesTest : public testing::RoutesFixture {};

TEST_F(AuthRoutesTest, LoginSetsASafeCookieAndAnswersTheContractFields) {
  Response r = Login("admin@acme.test");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = BodyOf(r);
  EXPECT_EQ(body["user_id"], admin_);
  EXPECT_EQ(body["account_id"], account_);
  EXPECT_EQ(body["must_enroll_two_factor"], false);
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 64u);
  const std::string cookie = *r.headers.Find("Set-Cookie");
  EXPECT_EQ(SetCookieToken(r).size(), 43u);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP, no trusted proxy
}

TEST_F(AuthRoutesTest, UnknownEmailAndWrongPasswordGiveIdenticalBodies) {
  Response wrong = Login("admin@acme.test", "wrong password!");
  Response unknown = Login("ghost@acme.test", "wrong password!");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.content_type, kProblemJson);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(wrong.headers.Has("Set-Cookie"));
  // The server log (not the client) learns which, without the password.
  EXPECT_EQ(wrong.log_cause.rfind("login failed: wrong_password user=", 0), 0u) << wrong.log_cause;
  EXPECT_EQ(unknown.log_cause.rfind("login failed: unknown_user user=0", 0), 0u)
      << unknown.log_cause;
  EXPECT_EQ(wrong.log_cause.find("wrong password!"), std::string::npos);
  EXPECT_EQ(wrong.body.find("wrong_password"), std::string::npos);
}

TEST_F(AuthRoutesTest, LoginValidatesTheBody) {
  Response r = Send(MakeRequest(Method::kPost, "/auth/login", R"({"email":5})"));
  EXPECT_EQ(r.status, 400);
  json body = BodyOf(r);
  ASSERT_TRUE(body.contains("validation-errors"));
  EXPECT_EQ(body["validation-errors"][0]["errors"].size(), 2u);  // email type, password missing
}

TEST_F(AuthRoutesTest, MiddlewareNeedsCredentials) {
  Response r = Send(MakeRequest(Method::kGet, "/api/v4/probe"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, kProblemJson);
  EXPECT_EQ(r.headers.Get("WWW-Authenticate"), "Bearer");
  Request basic = MakeRequest(Method::kGet, "/api/v4/probe");
  basic.headers.Add("Authorization", "Basic YTpi");
  EXPECT_EQ(Send(basic).status, 401);
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), "garbage")).status, 401);
}

TEST_F(AuthRoutesTest, CookieRequestsNeedCsrfToChangeState) {
  WebSession s = MustWebLogin("admin@acme.test");
  Response get = Send(WithSession(MakeRequest(Method::kGet, "/api/v4/probe"), s, false));
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(BodyOf(get)["user_id"], admin_);
  Response no_csrf = Send(WithSession(MakeRequest(Method::kPost, "/api/v4/probe", "{}"), s, false));
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_NE(BodyOf(no_csrf)["type"].get<std::string>().find("csrf"), std::string::npos);
  EXPECT_EQ(Send(WithSession(MakeRequest(Method::kPost, "/api/v4/probe", "{}"), s)).status, 200);
  // A browser form may carry the token as a field instead of the header.
  Request form = WithSession(MakeRequest(Method::kPost, "/api/v4/probe"), s, false);
  form.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  form.body = "a=1&csrf_token=" + s.csrf;
  EXPECT_EQ(Send(form).status, 200);
}

TEST_F(AuthRoutesTest, SessionRouteGivesAReloadedPageItsCsrfToken) {
  WebSession s = MustWebLogin("admin@acme.test");
  Response r = Send(WithSession(MakeRequest(Method::kGet, "/auth/session"), s, false));
  ASSERT_EQ(r.status, 200) << r.body;
  json body = BodyOf(r);
  EXPECT_EQ(body["user_id"], admin_);
  EXPECT_EQ(body["account_id"], account_);
  EXPECT_EQ(body["csrf_token"], s.csrf);
  EXPECT_EQ(body["is_admin"], true);
  EXPECT_EQ(body["must_enroll_two_factor"], false);
  EXPECT_EQ(body["via"], "session");
  EXPECT_EQ(body["authenticated"], true);
  // Signed out is an answer, not a failed request; a dead cookie is cleared.
  Response anonymous = Send(MakeRequest(Method::kGet, "/auth/session"));
  EXPECT_EQ(anonymous.status, 200);
  EXPECT_EQ(BodyOf(anonymous)["authenticated"], false);
  EXPECT_FALSE(BodyOf(anonymous).contains("session_ended"));
  // A cookie naming no live session (expired, ended elsewhere): the page says so.
  Response stale =
      Send(WithSession(MakeRequest(Method::kGet, "/auth/session"), {"no-such-session", ""}, false));
  EXPECT_EQ(BodyOf(stale)["authenticated"], false);
  EXPECT_EQ(BodyOf(stale)["session_ended"], true);
  EXPECT_NE(stale.headers.Get("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(AuthRoutesTest, LogoutEndsTheSessionAndClearsTheCookie) {
  WebSession s = MustWebLogin("admin@acme.test");
  Response r = Send(WithSession(MakeRequest(Method::kPost, "/auth/logout"), s));
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.headers.Get("Set-Cookie").find("Max-Age=0"), std::string::npos);
  Response after = Send(WithSession(MakeRequest(Method::kGet, "/api/v4/probe"), s));
  EXPECT_EQ(after.status, 401);
}

TEST_F(AuthRoutesTest, PersonalTokensOverHttp) {
  WebSession s = MustWebLogin("admin@acme.test");
  const std::int64_t exp = clock_.NowSeconds() + 10 * 86400;
  Response created =
      Send(WithSession(MakeRequest(Method::kPost, "/api/v4/security/tokens",
                                   json({{"name", "CI"}, {"expires_at", exp}}).dump()),
                       s));
  ASSERT_EQ(created.status, 201) << created.body;
  json body = BodyOf(created);
  EXPECT_EQ(body["name"], "CI");
  EXPECT_EQ(body["expires_at"], exp);
  const std::string token = body["token"];
  const std::int64_t id = body["id"];

  Response list = Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/security/tokens"), token));
  ASSERT_EQ(list.status, 200) << list.body;
  json listed = BodyOf(list);
  ASSERT_EQ(listed["_embedded"]["tokens"].size(), 1u);
  EXPECT_EQ(listed["_embedded"]["tokens"][0]["id"], id);
  EXPECT_FALSE(listed["_embedded"]["tokens"][0].contains("token"));  // shown once only

  Response bad = Send(WithSession(
      MakeRequest(Method::kPost, "/api/v4/security/tokens",
                  json({{"name", "x"}, {"expires_at", clock_.NowSeconds() + 60}}).dump()),
      s));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(BodyOf(bad)["validation-errors"][0]["errors"][0]["path"], "expires_at");

  Response revoked = Send(WithBearer(
      MakeRequest(Method::kDelete, "/api/v4/security/tokens/" + std::to_string(id)), token));
  EXPECT_EQ(revoked.status, 204);
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), token)).status, 401);
  // The cookie session lists nothing now: 204.
  EXPECT_EQ(Send(WithSession(MakeRequest(Method::kGet, "/api/v4/security/tokens"), s)).status, 204);
}

TEST_F(AuthRoutesTest, ContextUserHeaderOverHttp) {
  domain::UserId sam = AddUser("sam@acme.test");
  WebSession s = MustWebLogin("admin@acme.test");
  Response created = Send(WithSession(
      MakeRequest(Method::kPost, "/api/v4/security/tokens",
                  json({{"name", "x"}, {"expires_at", clock_.NowSeconds() + 86400}}).dump()),
      s));
  ASSERT_EQ(created.status, 201);
  const std::string token = BodyOf(created)["token"];
  Request as_sam = WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), token);
  as_sam.headers.Add("X-Context-User-ID", std::to_string(sam));
  Response r = Send(as_sam);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(BodyOf(r)["user_id"], sam);
  EXPECT_EQ(BodyOf(r)["actor_id"], admin_);
}

// An administrator's cookie session is a token granted to an administrator: the console's "View
// as" runs requests with another user's rights, while the actor stays the administrator.
TEST_F(AuthRoutesTest, ContextUserHeaderOnAnAdministratorsSession) {
  domain::UserId sam = AddUser("sam@acme.test");
  domain::UserId gone = AddUser("gone@acme.test");
  SetActive(gone, false);
  WebSession admin = MustWebLogin("admin@acme.test");
  auto as = [&](const WebSession& s, const std::string& target, Method method = Method::kGet) {
    Request r = WithSession(MakeRequest(method, "/api/v4/probe"), s);
    r.headers.Add("X-Context-User-ID", target);
    return Send(r);
  };
  Response r = as(admin, std::to_string(sam));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(BodyOf(r)["user_id"], sam);
  EXPECT_EQ(BodyOf(r)["actor_id"], admin_);
  EXPECT_EQ(as(admin, std::to_string(sam), Method::kPost).status, 200);  // CSRF still checked
  Request no_csrf = WithSession(MakeRequest(Method::kPost, "/api/v4/probe"), admin, false);
  no_csrf.headers.Add("X-Context-User-ID", std::to_string(sam));
  EXPECT_EQ(Send(no_csrf).status, 403);

  // A deactivated, unknown or malformed target is refused with 403 and the session survives:
  // no cookie is cleared, and the next request without the header goes through.
  for (const std::string& target :
       {std::to_string(gone), std::string("987654"), std::string("x")}) {
    Response refused = as(admin, target);
    EXPECT_EQ(refused.status, 403) << target;
    EXPECT_EQ(refused.headers.Find("Set-Cookie"), nullptr) << target;
  }
  Response own = Send(WithSession(MakeRequest(Method::kGet, "/api/v4/probe"), admin));
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(BodyOf(own)["user_id"], admin_);

  // A non-administrator's session may not act as anyone, not even as an administrator.
  WebSession member = MustWebLogin("sam@acme.test");
  EXPECT_EQ(as(member, std::to_string(admin_)).status, 403);
  EXPECT_EQ(as(member, std::to_string(sam)).status, 403);
}

// ---- OAuth on the wire ----

TEST_F(AuthRoutesTest, OAuthConsentPolicyAdmitsTheRedirectOriginOnly) {
  WebSession s = MustWebLogin("admin@acme.test");
  const std::string head = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";
  const struct {
    const char* redirect_uri;
    std::string csp;
  } cases[] = {
      {"http://LOCALHOST:3000/cb?x=1", head + "; form-action 'self' http://localhost:3000"},
      {"https://app.example?from=crm", head + "; form-action 'self' https://app.example"},
      // Not nameable in a source expression: no form-action rather than a blocked redirect.
      {"https://user@app.example/cb", head},
      {"http://[::1]:8080/cb", head},
  };
  for (const auto& c : cases) {
    Response added = Send(WithSession(
        MakeRequest(Method::kPost, "/api/v4/security/integrations",
                    json({{"name", "Policy"}, {"redirect_uri", c.redirect_uri}}).dump()),
        s));
    ASSERT_EQ(added.status, 201) << c.redirect_uri << added.body;
    const std::string client_id = BodyOf(added)["client_id"];
    Response page =
        Send(WithSession(MakeRequest(Method::kGet, "/oauth?client_id=" + client_id), s, false));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.headers.Get("Content-Security-Policy"), c.csp) << c.redirect_uri;
  }
}

TEST_F(AuthRoutesTest, OAuthConsentCodeAndTokenExchange) {
  WebSession s = MustWebLogin("admin@acme.test");
  Response added = Send(WithSession(
      MakeRequest(
          Method::kPost, "/api/v4/security/integrations",
          json({{"name", "Zap <b>"}, {"redirect_uri", "https://zap.example/cb?x=1"}}).dump()),
      s));
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string client_id = BodyOf(added)["client_id"];
  const std::string secret = BodyOf(added)["client_secret"];

  Response page = Send(WithSession(
      MakeRequest(Method::kGet, "/oauth?client_id=" + client_id + "&state=st%201"), s, false));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, kTextHtml);
  EXPECT_NE(page.body.find("Zap &lt;b&gt;"), std::string::npos);  // escaped
  EXPECT_NE(page.body.find(s.csrf), std::string::npos);
  // The Allow button's redirect leaves for the integration's origin: browsers apply form-action
  // to it, so the page names that origin (and only it) beside 'self'.
  EXPECT_EQ(page.headers.Get("Content-Security-Policy"),
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self' https://zap.example");

  Response redirect = Send(ConsentPost(s, client_id, "st+1", "allow"));
  ASSERT_EQ(redirect.status, 302) << redirect.body;
  const std::string location(redirect.headers.Get("Location"));
  ASSERT_EQ(location.rfind("https://zap.example/cb?x=1&code=", 0), 0u) << location;
  EXPECT_NE(location.find("&state=st%201"), std::string::npos);
  EXPECT_NE(location.find("&referer=acme.example"), std::string::npos);
  const std::size_t at = location.find("code=") + 5;
  const std::string code = location.substr(at, location.find('&', at) - at);

  json exchange = {{"client_id", client_id},
                   {"client_secret", secret},
                   {"grant_type", "authorization_code"},
                   {"code", code},
                   {"redirect_uri", "https://zap.example/cb?x=1"}};
  Response tokens = Send(MakeRequest(Method::kPost, "/oauth2/access_token", exchange.dump()));
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_EQ(tokens.content_type, kJson);
  json t = BodyOf(tokens);
  EXPECT_EQ(t["token_type"], "Bearer");
  EXPECT_EQ(t["expires_in"], 86400);
  EXPECT_EQ(t["server_time"], clock_.NowSeconds());
  EXPECT_FALSE(t.contains("status"));
  Response probe = Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), t["access_token"]));
  EXPECT_EQ(probe.status, 200);

  // Which account and host a refresh token works on (§2.1), without spending it.
  Request where = MakeRequest(Method::kGet, "/oauth2/account/current/subdomain");
  where.headers.Set("X-Refresh-Token", t["refresh_token"].get<std::string>());
  Response subdomain = Send(where);
  ASSERT_EQ(subdomain.status, 200) << subdomain.body;
  EXPECT_EQ(BodyOf(subdomain), json({{"id", account_},
                                     {"subdomain", "acme"},
                                     {"domain", "acme.example"},
                                     {"top_level_domain", "example"}}));
  Response missing = Send(MakeRequest(Method::kGet, "/oauth2/account/current/subdomain"));
  EXPECT_EQ(missing.status, 400);
  Request wrong = MakeRequest(Method::kGet, "/oauth2/account/current/subdomain");
  wrong.headers.Set("X-Refresh-Token", "not-a-token");
  EXPECT_EQ(Send(wrong).status, 401);

  // Refresh, form-encoded as some clients send it.
  Request refresh = MakeRequest(Method::kPost, "/oauth2/access_token");
  refresh.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  refresh.body = "client_id=" + client_id + "&client_secret=" + secret +
                 "&grant_type=refresh_token&refresh_token=" + t["refresh_token"].get<std::string>();
  Response refreshed = Send(refresh);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_NE(BodyOf(refreshed)["refresh_token"], t["refresh_token"]);
  EXPECT_EQ(Send(refresh).status, 400);  // rotated: the old one is spent
  EXPECT_EQ(Send(where).status, 401);    // and no longer names an account

  // The code works once; presented again it also revokes what it gave (RFC 6749 §4.1.2).
  const std::string access2 = BodyOf(refreshed)["access_token"];
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), access2)).status, 200);
  Response reused = Send(MakeRequest(Method::kPost, "/oauth2/access_token", exchange.dump()));
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(reused.content_type, kJson);
  EXPECT_EQ(BodyOf(reused)["hint"], "invalid_grant");
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), t["access_token"])).status,
            401);
  EXPECT_EQ(Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), access2)).status, 401);
  refresh.body = "client_id=" + client_id + "&client_secret=" + secret +
                 "&grant_type=refresh_token&refresh_token=" +
                 BodyOf(refreshed)["refresh_token"].get<std::string>();
  EXPECT_EQ(Send(refresh).status, 400);
}

TEST_F(AuthRoutesTest, OAuthDenyRedirectsWithAccessDenied) {
  WebSession s = MustWebLogin("admin@acme.test");
  Response added = Send(WithSession(
      MakeRequest(Method::kPost, "/api/v4/security/integrations",
                  json({{"name", "Zap"}, {"redirect_uri", "https://zap.example/cb"}}).dump()),
      s));
  ASSERT_EQ(added.status, 201);
  Request deny = ConsentPost(s, BodyOf(added)["client_id"].get<std::string>(), "abc", "deny");
  Response r = Send(deny);
  ASSERT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.Get("Location"), "https://zap.example/cb?error=access_denied&state=abc");
  // Without the CSRF field the form post is refused before any code is issued.
  deny.body = "client_id=x&state=abc&decision=allow";
  EXPECT_EQ(Send(deny).status, 403);
}

TEST_F(AuthRoutesTest, TokenEndpointErrorsAreJsonWithHint) {
  Response r =
      Send(MakeRequest(Method::kPost, "/oauth2/access_token",
                       R"({"grant_type":"password","client_id":"a","client_secret":"b"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, kJson);
  json body = BodyOf(r);
  EXPECT_EQ(body["hint"], "unsupported_grant_type");
  EXPECT_EQ(body["status"], 400);
  Response unknown = Send(MakeRequest(
      Method::kPost, "/oauth2/access_token",
      R"({"grant_type":"authorization_code","client_id":"a","client_secret":"b","code":"c"})"));
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(BodyOf(unknown)["hint"], "invalid_client");
}

}  // namespace
}  // namespace gatehouse::http::api
