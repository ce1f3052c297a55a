// The auth and security forms refuse a member they do not take (a browser form's csrf_token
// apart); the OAuth endpoints ignore unknown parameters, as RFC 6749 requires.
#include <gtest/gtest.h>

#include <string>

#include "http/api/auth/auth_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

class FormMembersTest : public testing::RoutesFixture {
 protected:
  // The paths of a 400's validation errors.
  static std::vector<std::string> ErrorPaths(const Response& response) {
    std::vector<std::string> paths;
    const json body = BodyOf(response);
    if (!body.contains("validation-errors")) return paths;
    for (const json& e : body["validation-errors"][0]["errors"]) {
      EXPECT_EQ(e["code"], "UnknownField") << e.dump();
      paths.push_back(e["path"]);
    }
    return paths;
  }
};

TEST_F(FormMembersTest, LoginRefusesAMemberItDoesNotTake) {
  ASSERT_EQ(Login("admin@acme.test").status, 200);  // the same body without the extra member
  json body = {{"email", "admin@acme.test"},
               {"password", service::testing::kPassword},
               {"remember_me", true}};
  Response login = Send(MakeRequest(Method::kPost, "/auth/login", body.dump()));
  ASSERT_EQ(login.status, 400) << login.body;
  EXPECT_EQ(ErrorPaths(login), std::vector<std::string>{"remember_me"});
  EXPECT_TRUE(login.headers.Get("Set-Cookie").empty());  // no session was opened
}

TEST_F(FormMembersTest, SecurityFormsRefuseUnknownMembersButTakeTheCsrfField) {
  WebSession s = MustWebLogin("admin@acme.test");
  const std::string expires = std::to_string(clock_.NowSeconds() + 10 * 86400);
  auto token_form = [&](const std::string& body) {
    Request form = WithSession(MakeRequest(Method::kPost, "/api/v4/security/tokens"), s, false);
    form.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    form.body = body + "&csrf_token=" + s.csrf;
    return Send(form);
  };
  Response refused = token_form("name=CI&expires_at=" + expires + "&scope=crm");
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"scope"});
  Response listed = Send(WithSession(MakeRequest(Method::kGet, "/api/v4/security/tokens"), s));
  EXPECT_EQ(listed.status, 204) << listed.body;  // nothing was created

  EXPECT_EQ(token_form("name=CI&expires_at=" + expires).status, 201);

  Response integration = Send(WithSession(
      MakeRequest(
          Method::kPost, "/api/v4/security/integrations",
          json({{"name", "Zap"}, {"redirect_uri", "https://zap.example/cb"}, {"x", 1}}).dump()),
      s));
  ASSERT_EQ(integration.status, 400) << integration.body;
  EXPECT_EQ(ErrorPaths(integration), std::vector<std::string>{"x"});
}

TEST_F(FormMembersTest, TheTokenEndpointIgnoresUnknownParameters) {
  json exchange = {{"client_id", "no-such-client"},
                   {"client_secret", "secret"},
                   {"grant_type", "authorization_code"},
                   {"code", "code"},
                   {"redirect_uri", "https://zap.example/cb"}};
  Response plain = Send(MakeRequest(Method::kPost, "/oauth2/access_token", exchange.dump()));
  exchange["scope"] = "crm";
  Response extra = Send(MakeRequest(Method::kPost, "/oauth2/access_token", exchange.dump()));
  EXPECT_EQ(plain.body.find("UnknownField"), std::string::npos) << plain.body;
  EXPECT_EQ(extra.status, plain.status) << extra.body;
  EXPECT_EQ(extra.body, plain.body);
}

}  // namespace
}  // namespace gatehouse::http::api
