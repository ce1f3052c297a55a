// Test support for the record routes: RegisterRecordRoutes over the RecordsFixture's store
// (optionally the admin routes too), and requests sent through the Router as the server would
// build them (no network), for host crm.test, each response checked against the OpenAPI document.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api/api.h"
#include "http/api/api_fixture_test_util.h"
#include "http/api/auth/auth_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {

// What the record routes' tests name unqualified.
using domain::Action;
using domain::DataSet;
using domain::Level;

}  // namespace gatehouse::http::api

namespace gatehouse::http::api::testing {

class RecordRoutesFixture : public ApiFixture<service::testing::RecordsFixture> {
 protected:
  RecordRoutesFixture() : ApiFixture(RegisterRecordRoutes) {}

  // Adds the admin routes behind the administrators-only middleware (Send attaches the Caller
  // in the auth middleware's stead).
  void AddAdminRoutes() {
    RegisterAdminRoutes(router_, context_);
    router_.Use(AdministratorsOnly);
  }

  // Sends `method target` (with its query) and `body` as `user` through the router.
  Response Send(Method method, const std::string& target, domain::UserId user,
                const std::string& body = "") {
    return SendAs(MakeRequestTo("crm.test", method, target, body), As(user));
  }

  // The users of the record tests, in sales but the outsider (marketing): one with every right
  // Allowed, one with If responsible, one with Team-wide, and one who may only view
  // `viewable` (Allowed).
  void AddSalesUsers(std::initializer_list<DataSet> viewable) {
    allowed_ = AddUser("all@acme.test", service::testing::Uniform(Level::kAllowed), sales_);
    mine_ = AddUser("mine@acme.test", service::testing::Uniform(Level::kIfResponsible), sales_);
    team_ = AddUser("team@acme.test", service::testing::Uniform(Level::kTeamWide), sales_);
    outsider_ =
        AddUser("out@acme.test", service::testing::Uniform(Level::kIfResponsible), marketing_);
    domain::Rights view_only;
    for (DataSet ds : viewable) view_only.Set(ds, Action::kView, Level::kAllowed);
    viewer_ = AddUser("viewer@acme.test", view_only, sales_);
  }

  // The ids of the `plural` items a list answers (none for 204 or an error).
  std::vector<std::int64_t> ListedIds(const Response& response, const std::string& plural) {
    std::vector<std::int64_t> ids;
    if (response.status != 200) return ids;
    const nlohmann::json body = Body(response);
    for (const nlohmann::json& item : body["_embedded"][plural]) ids.push_back(item["id"]);
    return ids;
  }

  // The JSON body of `response`; a body that is not JSON fails the test.
  static nlohmann::json Body(const Response& response) {
    nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << response.body;
    return parsed;
  }

  // The field paths of a 400's validation errors ("0._embedded.contacts.0.name").
  static std::vector<std::string> ErrorPaths(const Response& response) {
    std::vector<std::string> paths;
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("validation-errors")) return paths;
    for (const nlohmann::json& item : body["validation-errors"]) {
      for (const nlohmann::json& e : item["errors"]) paths.push_back(e["path"]);
    }
    return paths;
  }

  domain::UserId allowed_ = 0, mine_ = 0, team_ = 0, outsider_ = 0, viewer_ = 0;  // AddSalesUsers
};

// The record resources' fixture (records_http_test.cc and the files beside it): the record
// routes with the sales users of the leads' data set.
class RecordsHttpTest : public RecordRoutesFixture {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddSalesUsers({DataSet::kLeads});
  }
};

// The incoming-leads routes' fixture: handler_ views, accepts and declines incoming leads and
// holds every other right Allowed (so it adds leads, which posting an item needs).
class IncomingHttpTest : public RecordsHttpTest {
 protected:
  void SetUp() override {
    RecordsHttpTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    domain::Rights rights = service::testing::Uniform(Level::kAllowed);
    for (Action a : {Action::kView, Action::kAccept, Action::kDecline}) {
      rights.Set(DataSet::kIncomingLeads, a, Level::kAllowed);
    }
    handler_ = AddUser("inbox@acme.test", rights, sales_);
  }

  domain::UserId handler_ = 0;
};

}  // namespace gatehouse::http::api::testing

namespace gatehouse::http::api {
using testing::IncomingHttpTest;
using testing::RecordsHttpTest;
}  // namespace gatehouse::http::api
