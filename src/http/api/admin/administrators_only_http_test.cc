// RouteOptions::administrators_only through the Router with the real auth middleware (cookie
// sessions, no network): which routes carry the flag, and that on each of them a member gets
// service::RequireAdmin's 403 problem before the handler runs, an administrator does not, and
// "View as" (X-Context-User-ID) is judged as the user acted as.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "http/api/auth/auth_routes_test_util.h"
#include "http/problem.h"
#include "service/admin/admin.h"

namespace gatehouse::http::api {
namespace {

// The routes whose handlers or services refused non-administrators themselves before the flag
// existed (docs/api.md: users, roles and groups writes, pipeline and stage writes, the impact
// preview, the security report, the login statistics; then the deletes of users, roles, groups,
// pipelines and stages, the role reads, and the custom-field writes of every entity, whose
// services begin with RequireAdmin; then the security routes whose services begin with
// RequireAdminOrSystem: the two-step reset, the IP whitelist, the policy and reading approval
// requests), and the integrations' list, read and delete, and users' activate and deactivate,
// flagged when they were added.
// Removing a flag makes this test fail.
const std::set<std::string> kAdministratorRoutes = {"users.add",
                                                    "users.update",
                                                    "users.delete",
                                                    "users.activate",
                                                    "users.deactivate",
                                                    "roles.list",
                                                    "roles.get",
                                                    "roles.add",
                                                    "roles.update",
                                                    "roles.delete",
                                                    "groups.add",
                                                    "groups.update",
                                                    "groups.delete",
                                                    "pipelines.add",
                                                    "pipelines.update",
                                                    "pipelines.delete",
                                                    "statuses.add",
                                                    "statuses.update",
                                                    "statuses.delete",
                                                    "leads.custom_fields.add",
                                                    "leads.custom_fields.update_many",
                                                    "leads.custom_fields.update",
                                                    "leads.custom_fields.delete",
                                                    "contacts.custom_fields.add",
                                                    "contacts.custom_fields.update_many",
                                                    "contacts.custom_fields.update",
                                                    "contacts.custom_fields.delete",
                                                    "companies.custom_fields.add",
                                                    "companies.custom_fields.update_many",
                                                    "companies.custom_fields.update",
                                                    "companies.custom_fields.delete",
                                                    "customers.custom_fields.add",
                                                    "customers.custom_fields.update_many",
                                                    "customers.custom_fields.update",
                                                    "customers.custom_fields.delete",
                                                    "security.impact",
                                                    "security.report",
                                                    "security.login_stats",
                                                    "security.two_factor.reset",
                                                    "security.password.reset",
                                                    "security.ip_whitelist.get",
                                                    "security.ip_whitelist.put",
                                                    "security.policy.get",
                                                    "security.policy.patch",
                                                    "security.approvals.list",
                                                    "security.approvals.get",
                                                    "security.integrations.list",
                                                    "security.integrations.get",
                                                    "security.integrations.delete"};

// `pattern` with every parameter segment ("{id:int}") replaced by an id no record has.
std::string Concrete(const std::string& pattern) {
  std::string out;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t open = pattern.find('{', at);
    if (open == std::string::npos) {
      out += pattern.substr(at);
      break;
    }
    out += pattern.substr(at, open - at) + "987654";
    at = pattern.find('}', open) + 1;
  }
  return out;
}

class AdministratorsOnlyTest : public testing::RoutesFixture {
 protected:
  void SetUp() override {
    RoutesFixture::SetUp();
    RegisterRecordRoutes(router_, context_);
    RegisterAdminRoutes(router_, context_);
    member_ = AddUser("member@acme.test");
    other_admin_ = AddUser("second@acme.test", true);
  }

  std::vector<Router::RouteInfo> FlaggedRoutes() const {
    std::vector<Router::RouteInfo> out;
    for (const Router::RouteInfo& route : router_.Routes()) {
      if (route.options.administrators_only) out.push_back(route);
    }
    return out;
  }

  // `route` called on its own session `as`, acting as `context_user` when non-zero. The body is
  // a JSON object no write accepts as it is: refused with 400 (or 404) past the flag.
  Response Call(const Router::RouteInfo& route, const WebSession& as,
                domain::UserId context_user = 0) {
    const bool has_body = route.method != Method::kGet;
    Request request =
        WithSession(MakeRequest(route.method, Concrete(route.pattern), has_body ? "{}" : ""), as);
    if (context_user != 0) request.headers.Add("X-Context-User-ID", std::to_string(context_user));
    return Send(std::move(request));
  }

  // What the handlers answered themselves before the flag: RequireAdmin's problem, the same as
  // RequireAdminOrSystem's for a caller who is not the system (every HTTP caller).
  static std::string RefusalBody() {
    return ProblemResponse(service::RequireAdmin(service::Caller{})).body;
  }

  domain::UserId member_ = 0;
  domain::UserId other_admin_ = 0;
};

TEST_F(AdministratorsOnlyTest, TheFlaggedRoutesAreExactlyTheAdministratorRoutes) {
  std::set<std::string> flagged;
  for (const Router::RouteInfo& route : FlaggedRoutes()) flagged.insert(route.options.name);
  EXPECT_EQ(flagged, kAdministratorRoutes);
}

TEST_F(AdministratorsOnlyTest, AMemberIsRefusedBeforeTheHandlerAndAnAdministratorIsNot) {
  const WebSession admin = MustWebLogin("admin@acme.test");
  const WebSession member = MustWebLogin("member@acme.test");
  ASSERT_FALSE(FlaggedRoutes().empty());
  for (const Router::RouteInfo& route : FlaggedRoutes()) {
    const std::string what = std::string(MethodName(route.method)) + " " + route.pattern;
    Response refused = Call(route, member);
    EXPECT_EQ(refused.status, 403) << what << ": " << refused.body;
    EXPECT_EQ(refused.body, RefusalBody()) << what;
    EXPECT_EQ(refused.content_type, kProblemJson) << what;
    Response admitted = Call(route, admin);
    EXPECT_NE(admitted.status, 403) << what << ": " << admitted.body;
    EXPECT_NE(admitted.status, 401) << what << ": " << admitted.body;
  }
}

// "View as" puts the viewed user's rights in the Caller: an administrator acting as a member is
// refused exactly as the member is; acting as another administrator is not.
TEST_F(AdministratorsOnlyTest, ViewAsIsJudgedAsTheUserActedAs) {
  const WebSession admin = MustWebLogin("admin@acme.test");
  for (const Router::RouteInfo& route : FlaggedRoutes()) {
    const std::string what = std::string(MethodName(route.method)) + " " + route.pattern;
    Response as_member = Call(route, admin, member_);
    EXPECT_EQ(as_member.status, 403) << what << ": " << as_member.body;
    EXPECT_EQ(as_member.body, RefusalBody()) << what;
    Response as_admin = Call(route, admin, other_admin_);
    EXPECT_NE(as_admin.status, 403) << what << ": " << as_admin.body;
  }
}

TEST_F(AdministratorsOnlyTest, UnauthenticatedRequestsStillGet401) {
  for (const Router::RouteInfo& route : FlaggedRoutes()) {
    Request request = MakeRequest(route.method, Concrete(route.pattern));
    EXPECT_EQ(Send(std::move(request)).status, 401) << route.pattern;
  }
}

}  // namespace
}  // namespace gatehouse::http::api
