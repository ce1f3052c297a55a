// GET /api/v4/security/report through the Router (no network): 200 with the documented shape
// for administrators, 403 problem+json for everyone else.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/api.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class SecurityReportHttpTest : public testing::AdminRoutesTest {
 protected:
  Response Get(const std::string& path, domain::UserId as) { return Call(Method::kGet, path, as); }
};

TEST_F(SecurityReportHttpTest, AdministratorsGetTheReport) {
  Response response = Get("/api/v4/security/report", admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, kHalJson);
  json body = json::parse(response.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(Keys(body), (std::set<std::string>{"generated_at", "summary", "findings",
                                               "dormant_deactivations", "_links"}));
  EXPECT_EQ(body["dormant_deactivations"],
            json::parse(R"({"dormant_days":0,"within_days":7,"users":[],"kept":[]})"));
  EXPECT_EQ(body["generated_at"], clock_.NowSeconds());
  EXPECT_EQ(body["_links"]["self"]["href"], "http://acme.test/api/v4/security/report");
  // A fresh workspace: its administrator has no 2FA, 2FA is not required, no whitelist; the
  // administrator and the member never logged in but were created just now (not dormant).
  EXPECT_EQ(body["summary"], json({{"high", 1}, {"medium", 2}, {"low", 0}}));
  ASSERT_EQ(body["findings"].size(), 3u);
  const json& first = body["findings"][0];
  EXPECT_EQ(Keys(first), (std::set<std::string>{"code", "severity", "title", "affected", "fix"}));
  EXPECT_EQ(first["code"], "admins_without_two_factor");
  EXPECT_EQ(first["severity"], "high");
  EXPECT_EQ(first["affected"], json::parse(R"([{"type":"user","id":)" + std::to_string(admin_id_) +
                                           R"(,"name":"Admin"}])"));
  EXPECT_EQ(body["findings"][1]["code"], "ip_whitelist_off");
  EXPECT_EQ(body["findings"][2]["code"], "two_factor_not_required");
  EXPECT_EQ(body["findings"][2]["affected"][0]["type"], "account");
  EXPECT_EQ(body["findings"][2]["affected"][0]["counts"]["active_users_without_two_factor"], 2);
  // Members read in the documented order.
  EXPECT_LT(response.body.find("\"generated_at\""), response.body.find("\"summary\""));
  EXPECT_LT(response.body.find("\"summary\""), response.body.find("\"findings\""));
}

TEST_F(SecurityReportHttpTest, ListsWhoTheDormantRuleDeactivatesWithinSevenDays) {
  const std::int64_t now = clock_.NowSeconds();
  constexpr std::int64_t kDay = 86400;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_RETURN_IF_ERROR(w.PutSecuritySettings(
                                {R"({"dormant_days":30})", R"({"enabled":false})", now}));
                            GH_RETURN_IF_ERROR(w.SetLastLogin(member_, now - 25 * kDay));
                            return w.SetLastLogin(admin_id_, now - 2 * kDay);
                          })
                  .ok());
  Response response = Get("/api/v4/security/report", admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = json::parse(response.body, nullptr, false);
  EXPECT_EQ(body["dormant_deactivations"],
            json::parse(R"({"dormant_days":30,"within_days":7,"users":[{"id":)" +
                        std::to_string(member_) +
                        R"(,"name":"member","email":"member@acme.test","is_admin":false,)"
                        R"("last_login_at":)" +
                        std::to_string(now - 25 * kDay) + R"(,"inactive_since":)" +
                        std::to_string(now - 25 * kDay) + R"(,"deactivate_at":)" +
                        std::to_string(now + 5 * kDay) + R"(}],"kept":[]})"));
  // 23 days on, the administrator is due within the week too: kept, as the last active one.
  clock_.Advance(23 * kDay);
  body = json::parse(Get("/api/v4/security/report", admin_id_).body, nullptr, false);
  ASSERT_EQ(body["dormant_deactivations"]["kept"].size(), 1u) << body.dump();
  EXPECT_EQ(body["dormant_deactivations"]["kept"][0]["id"], admin_id_);
}

TEST_F(SecurityReportHttpTest, OthersGet403ProblemJson) {
  Response response = Get("/api/v4/security/report", member_);
  EXPECT_EQ(response.status, 403) << response.body;
  EXPECT_EQ(response.content_type, kProblemJson);
  json body = json::parse(response.body, nullptr, false);
  EXPECT_EQ(body["status"], 403);
  EXPECT_TRUE(body.contains("title") && body.contains("type") && body.contains("detail"));
}

}  // namespace
}  // namespace gatehouse::http::api
