// Test support for the record routes: RegisterRecordRoutes over the RecordsFixture's store
// (optionally the admin routes too), and requests sent through the Router as the server would
// build them (no network), for host crm.test, each response checked against the OpenAPI document.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/api/api.h"
#include "http/api/auth/auth_routes_test_util.h"
#include "http/api/openapi_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {

// What the record routes' tests name unqualified.
using domain::Action;
using domain::DataSet;
using domain::Level;
using nlohmann::json;

}  // namespace gatehouse::http::api

namespace gatehouse::http::api::testing {

class RecordRoutesFixture : public service::testing::RecordsFixture {
 protected:
  void SetUp() override {
    RecordsFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    context_.store = store_.get();
    context_.policies = policies_.get();
    context_.clock = &clock_;
    RegisterRecordRoutes(router_, context_);
  }

  // Adds the admin routes behind the administrators-only middleware (Send attaches the Caller
  // in the auth middleware's stead).
  void AddAdminRoutes() {
    RegisterAdminRoutes(router_, context_);
    router_.Use(AdministratorsOnly);
  }

  // Sends `method target` (with its query) and `body` as `user` through the router.
  Response Send(Method method, const std::string& target, domain::UserId user,
                const std::string& body = "") {
    Request r = MakeRequestTo("crm.test", method, target, body);
    SetCaller(r, As(user));
    Response response = router_.Handle(r);
    // Every response a test receives is checked against the OpenAPI document (drift guard).
    if (!r.route_name.empty()) {
      if (!openapi_) openapi_.emplace(router_);
      ExpectConforms(*openapi_, r, response);
    }
    return response;
  }

  // The JSON body of `response`; a body that is not JSON fails the test.
  static nlohmann::json Body(const Response& response) {
    nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body;
    return parsed;
  }

  Router router_;
  ApiContext context_;
  std::optional<OpenApiChecker> openapi_;  // built at the first response
};

}  // namespace gatehouse::http::api::testing
