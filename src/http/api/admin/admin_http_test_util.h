// Test support for the admin routes: RegisterAdminRoutes over the AdminFixture's store (an
// administrator and a member who sees leads if responsible), and requests sent through the
// Router as the server would build them (no network), for host acme.test.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http/api/api.h"
#include "http/api/api_fixture_test_util.h"
#include "http/api/auth/auth_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api::testing {

class AdminRoutesTest : public ApiFixture<service::testing::AdminFixture> {
 protected:
  AdminRoutesTest() : ApiFixture(RegisterAdminRoutes) {}

  void Populate() override {
    router_.Use(AdministratorsOnly);  // Call attaches the Caller in the auth middleware's stead
    member_ = AddUser("member@acme.test", LeadsView(domain::Level::kIfResponsible));
  }

  // `method target` (with its query) and `body`, as user `as`.
  Response Call(Method method, const std::string& target, domain::UserId as,
                const std::string& body = "") {
    return SendAs(MakeRequestTo("acme.test", method, target, body), As(as));
  }

  static nlohmann::json Body(const Response& response) {
    return nlohmann::json::parse(response.body, nullptr, false);
  }

  // The events of `entity` (filter[entity][]) that `as` is shown.
  nlohmann::json EventsOf(const std::string& entity, domain::UserId as) {
    Response listed = Call(Method::kGet, "/api/v4/events?filter[entity][]=" + entity, as);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return Body(listed)["_embedded"]["events"];
  }

  static std::set<std::string> Keys(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
    return keys;
  }

  domain::UserId member_ = 0;
};

}  // namespace gatehouse::http::api::testing

namespace gatehouse::http::api {
// The admin resources' tests (admin_http_test.cc, admin_events_http_test.cc).
using AdminHttpTest = testing::AdminRoutesTest;
}  // namespace gatehouse::http::api
