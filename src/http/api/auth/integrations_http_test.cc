// Administering OAuth integrations through the Router with the real auth middleware: the list
// and the read (shape, no secret, live tokens counted), who may use them, and DELETE shutting
// off everything the integration issued, also on a second server with the token in its cache.
#include <gtest/gtest.h>

#include "http/api/auth/auth_routes_test_util.h"
#include "service/bootstrap.h"
#include "storage/account_writer.h"

namespace gatehouse::http::api {
namespace {

constexpr std::string_view kIntegrations = "/api/v4/security/integrations";
constexpr std::string_view kRedirect = "https://zap.example/cb";

class IntegrationsHttpTest : public testing::RoutesFixture {
 protected:
  Response Call(Method method, const std::string& target, const WebSession& s,
                const std::string& body = "") {
    return Send(WithSession(MakeRequest(method, target, body), s));
  }

  std::string PathOf(std::int64_t id) const {
    return std::string(kIntegrations) + "/" + std::to_string(id);
  }

  // Registers an integration as `admin`: its 201 body (id, client_id, client_secret...).
  json Register(const WebSession& admin, const std::string& name = "Zap") {
    Response r = Call(Method::kPost, std::string(kIntegrations), admin,
                      json({{"name", name}, {"redirect_uri", kRedirect}}).dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return BodyOf(r);
  }

  // `session` allows the integration on the consent form: the code the redirect carries.
  std::string Allow(const WebSession& session, const std::string& client_id) {
    Response redirect = Send(ConsentPost(session, client_id, "s", "allow"));
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    const std::string location(redirect.headers.Get("Location"));
    const std::size_t at = location.find("code=");
    if (at == std::string::npos) return "";
    return location.substr(at + 5, location.find('&', at) - at - 5);
  }

  // POST /oauth2/access_token for the integration `registered` with `grant` (code or refresh).
  Response Exchange(const json& registered, const std::string& grant_type,
                    const std::string& grant) {
    json body = {{"client_id", registered["client_id"]},
                 {"client_secret", registered["client_secret"]},
                 {"grant_type", grant_type},
                 {"redirect_uri", kRedirect}};
    body[grant_type == "authorization_code" ? "code" : "refresh_token"] = grant;
    return Send(MakeRequest(Method::kPost, "/oauth2/access_token", body.dump()));
  }

  // The tokens `session` obtains for `registered` through the code flow.
  json Grant(const WebSession& session, const json& registered) {
    Response tokens = Exchange(registered, "authorization_code",
                               Allow(session, registered["client_id"].get<std::string>()));
    EXPECT_EQ(tokens.status, 200) << tokens.body;
    return BodyOf(tokens);
  }

  int Probe(const std::string& access_token) {
    return Send(WithBearer(MakeRequest(Method::kGet, "/api/v4/probe"), access_token)).status;
  }
};

TEST_F(IntegrationsHttpTest, ListShowsEachIntegrationWithItsLiveTokensAndNeverTheSecret) {
  const WebSession admin = MustWebLogin("admin@acme.test");
  Response empty = Call(Method::kGet, std::string(kIntegrations), admin);
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.body.empty());

  const json registered = Register(admin);
  const std::int64_t id = registered["id"];
  const json tokens = Grant(admin, registered);
  const json expected = {{"id", id},
                         {"name", "Zap"},
                         {"client_id", registered["client_id"]},
                         {"redirect_uri", kRedirect},
                         {"created_by", admin_},
                         {"created_at", clock_.NowSeconds()},
                         {"active_tokens", 1},
                         {"_links", {{"self", {{"href", "http://acme.example" + PathOf(id)}}}}}};
  Response list = Call(Method::kGet, std::string(kIntegrations), admin);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(BodyOf(list)["_page"], 1);
  EXPECT_EQ(BodyOf(list)["_links"]["self"]["href"],
            "http://acme.example/api/v4/security/integrations?page=1");
  EXPECT_EQ(BodyOf(list)["_embedded"]["integrations"], json::array({expected}));
  EXPECT_EQ(list.body.find(registered["client_secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(list.body.find("secret"), std::string::npos);
  Response one = Call(Method::kGet, PathOf(id), admin);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(BodyOf(one), expected);
  EXPECT_EQ(Call(Method::kGet, std::string(kIntegrations) + "?limit=1&page=2", admin).status, 204);

  // The access token revoked as a personal token is: the integration has no live token left.
  ASSERT_EQ(Probe(tokens["access_token"].get<std::string>()), 200);
  Response mine = Call(Method::kGet, "/api/v4/security/tokens", admin);
  ASSERT_EQ(mine.status, 200) << mine.body;
  const json token = BodyOf(mine)["_embedded"]["tokens"][0];
  ASSERT_EQ(token["integration_id"], id);
  ASSERT_EQ(Call(Method::kDelete, "/api/v4/security/tokens/" + token["id"].dump(), admin).status,
            204);
  EXPECT_EQ(BodyOf(Call(Method::kGet, PathOf(id), admin))["active_tokens"], 0);
  EXPECT_EQ(Probe(tokens["access_token"].get<std::string>()), 401);
}

TEST_F(IntegrationsHttpTest, UnknownQueryParametersAreRefusedByName) {
  const WebSession admin = MustWebLogin("admin@acme.test");
  const std::int64_t id = Register(admin)["id"];
  Response list = Call(Method::kGet, std::string(kIntegrations) + "?filter[name]=Zap", admin);
  EXPECT_EQ(list.status, 400);
  EXPECT_NE(list.body.find("filter[name]"), std::string::npos) << list.body;
  Response one = Call(Method::kGet, PathOf(id) + "?with=tokens", admin);
  EXPECT_EQ(one.status, 400);
  EXPECT_NE(one.body.find("with"), std::string::npos) << one.body;
  EXPECT_EQ(Call(Method::kGet, std::string(kIntegrations) + "?limit=0", admin).status, 400);
}

TEST_F(IntegrationsHttpTest, OnlyAdministratorsListReadOrDelete) {
  AddUser("sam@acme.test");
  const WebSession admin = MustWebLogin("admin@acme.test");
  const WebSession sam = MustWebLogin("sam@acme.test");
  const std::int64_t id = Register(admin)["id"];
  EXPECT_EQ(Call(Method::kGet, std::string(kIntegrations), sam).status, 403);
  EXPECT_EQ(Call(Method::kGet, PathOf(id), sam).status, 403);
  EXPECT_EQ(Call(Method::kDelete, PathOf(id), sam).status, 403);
  EXPECT_EQ(Call(Method::kGet, PathOf(id), admin).status, 200);  // still there
  EXPECT_TRUE(Events("integration_deleted").empty());
}

TEST_F(IntegrationsHttpTest, AnotherAccountsIntegrationIsNotFound) {
  // Logged in first: with a second account on the server, a login needs its subdomain.
  const WebSession admin = MustWebLogin("admin@acme.test");
  auto other = service::CreateAccountWithAdmin(
      *store_, {"beta", "Beta", 5, 0},
      {"admin@beta.test", "Admin", service::testing::PasswordHash()}, clock_.NowSeconds());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  std::int64_t theirs = 0;
  ASSERT_TRUE(store_
                  ->Write(other->id,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(theirs, w.CreateOAuthIntegration(
                                                            {.client_id = "beta-client",
                                                             .client_secret_hash = "h",
                                                             .name = "Beta sync",
                                                             .redirect_uri = "https://b.io/cb"}));
                            return base::Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(Call(Method::kGet, std::string(kIntegrations), admin).status, 204);
  EXPECT_EQ(Call(Method::kGet, PathOf(theirs), admin).status, 404);
  EXPECT_EQ(Call(Method::kDelete, PathOf(theirs), admin).status, 404);
  EXPECT_EQ(Call(Method::kGet, PathOf(theirs + 1000), admin).status, 404);
  auto found = store_->FindOAuthIntegration("beta-client");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->first, other->id);
}

// A second server on the same database, with its own token cache and policy cache.
struct OtherServer {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<service::PolicyCache> policies;
  std::unique_ptr<service::AuthService> auth;

  base::Status Authenticate(const std::string& bearer) {
    service::AuthError error;
    return auth
        ->Authenticate(
            {.bearer = bearer, .client = {.peer = service::testing::kPeer, .host = "acme.example"}},
            &error)
        .status();
  }
};

TEST_F(IntegrationsHttpTest, DeleteShutsOffEverythingIssuedThroughIt) {
  const WebSession admin = MustWebLogin("admin@acme.test");
  const json registered = Register(admin);
  const std::int64_t id = registered["id"];
  const json tokens = Grant(admin, registered);
  const std::string unused_code = Allow(admin, registered["client_id"].get<std::string>());
  ASSERT_FALSE(unused_code.empty());
  const json kept = Register(admin, "Kept");
  const json kept_tokens = Grant(admin, kept);

  OtherServer other;
  auto store = storage::Store::Open(url_, 2);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  other.store = std::move(store).value();
  other.store->set_clock(&clock_);
  other.policies = std::make_unique<service::PolicyCache>(other.store.get());
  auto auth = service::AuthService::Create(other.store.get(), other.policies.get(), &clock_, {});
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  other.auth = std::move(auth).value();
  // Both servers have verified (and cached) the token.
  ASSERT_TRUE(other.Authenticate(tokens["access_token"].get<std::string>()).ok());
  ASSERT_EQ(Probe(tokens["access_token"].get<std::string>()), 200);

  Response deleted = Call(Method::kDelete, PathOf(id), admin);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  const std::vector<storage::EventRow> events = Events("integration_deleted");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_type, "integration");
  EXPECT_EQ(events[0].entity_id, id);
  EXPECT_EQ(events[0].actor_user_id, admin_);
  EXPECT_EQ(json::parse(events[0].value_before_json),
            json::array({{{"integration",
                           {{"name", "Zap"},
                            {"client_id", registered["client_id"]},
                            {"redirect_uri", kRedirect}}}}}));
  EXPECT_EQ(events[0].value_after_json, "[]");

  // Its access token is dead here and on the other server; its refresh token, its unused code
  // and its client_id are refused.
  EXPECT_EQ(Probe(tokens["access_token"].get<std::string>()), 401);
  // The other server learns of the change at its next poll (each second) or notification.
  ASSERT_TRUE(other.policies->Poll().ok());
  EXPECT_EQ(other.Authenticate(tokens["access_token"].get<std::string>()).code(),
            base::Code::kUnauthenticated);
  Response refreshed =
      Exchange(registered, "refresh_token", tokens["refresh_token"].get<std::string>());
  EXPECT_EQ(refreshed.status, 401) << refreshed.body;
  EXPECT_EQ(BodyOf(refreshed)["hint"], "invalid_client");
  Request where = MakeRequest(Method::kGet, "/oauth2/account/current/subdomain");
  where.headers.Set("X-Refresh-Token", tokens["refresh_token"].get<std::string>());
  EXPECT_EQ(Send(where).status, 401);
  Response by_code = Exchange(registered, "authorization_code", unused_code);
  EXPECT_EQ(by_code.status, 401) << by_code.body;
  EXPECT_EQ(BodyOf(by_code)["hint"], "invalid_client");
  const std::string consent = "/oauth?client_id=" + registered["client_id"].get<std::string>();
  EXPECT_EQ(Send(WithSession(MakeRequest(Method::kGet, consent), admin, false)).status, 404);

  // The other integration and its token are untouched.
  EXPECT_EQ(Probe(kept_tokens["access_token"].get<std::string>()), 200);
  EXPECT_TRUE(other.Authenticate(kept_tokens["access_token"].get<std::string>()).ok());
  Response list = Call(Method::kGet, std::string(kIntegrations), admin);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(BodyOf(list)["_embedded"]["integrations"].size(), 1u);
  EXPECT_EQ(BodyOf(list)["_embedded"]["integrations"][0]["id"], kept["id"]);

  // Gone: a second delete and a read are 404.
  EXPECT_EQ(Call(Method::kGet, PathOf(id), admin).status, 404);
  EXPECT_EQ(Call(Method::kDelete, PathOf(id), admin).status, 404);
  EXPECT_EQ(Events("integration_deleted").size(), 1u);
}

}  // namespace
}  // namespace gatehouse::http::api
