// GET /api/v4/security/login_stats through the Router (no network): the documented shape with
// today's counts for administrators, 403 for others, 400 naming a bad parameter.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "http/api/admin/admin_http_test_util.h"
#include "service/security/login_stats.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class LoginStatsHttpTest : public testing::AdminRoutesTest {};

TEST_F(LoginStatsHttpTest, AdministratorsGetLoginsPerDay) {
  AddEvent("login_succeeded", "user", admin_id_, 0);
  AddEvent("login_failed", "user", admin_id_, 0);
  AddEvent("login_failed", "user", 0, 0);
  Response response = Call(Method::kGet, "/api/v4/security/login_stats?days=7", admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(Keys(body), (std::set<std::string>{"days", "_links"}));
  ASSERT_EQ(body["days"].size(), 7u);
  EXPECT_EQ(
      body["days"][6],
      json({{"date", service::UtcDate(clock_.NowSeconds())}, {"succeeded", 1}, {"failed", 2}}));
  EXPECT_EQ(body["days"][0]["succeeded"], 0);
  EXPECT_EQ(body["_links"]["self"]["href"], "http://acme.test/api/v4/security/login_stats");

  Response fallback = Call(Method::kGet, "/api/v4/security/login_stats", admin_id_);
  ASSERT_EQ(fallback.status, 200);
  EXPECT_EQ(Body(fallback)["days"].size(), 30u);  // the default
}

TEST_F(LoginStatsHttpTest, RefusesOthersAndBadParameters) {
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/login_stats", member_).status, 403);
  for (const char* query : {"days=0", "days=367", "days=99999999999999", "days=x"}) {
    Response bad =
        Call(Method::kGet, std::string("/api/v4/security/login_stats?") + query, admin_id_);
    ASSERT_EQ(bad.status, 400) << query;
    EXPECT_EQ(Body(bad)["validation-errors"][0]["errors"][0]["path"], "days") << bad.body;
  }
  Response unknown = Call(Method::kGet, "/api/v4/security/login_stats?from=1", admin_id_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("from"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::http::api
