// Test support: an HTTP fixture over one of the service fixtures (service_test_util.h), with
// the API context wired to that fixture's store, policies and clock, and a router serving the
// routes the fixture names (the test may register more), whose answers are checked against the
// OpenAPI document. A fixture arranges the rest in Populate, which runs only when the service
// fixture set up without skipping or failing, so no fixture repeats those checks.
#pragma once

#include <optional>

#include "http/api/api.h"
#include "http/api/openapi_test_util.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api::testing {

template <typename ServiceFixtureT>
class ApiFixture : public ServiceFixtureT {
 protected:
  // A registration of api.h (RegisterAuthRoutes, RegisterRecordRoutes, ...).
  using RegisterRoutes = void (*)(Router& router, ApiContext& context);

  // `routes`: what router_ serves once SetUp has run (nothing when null).
  explicit ApiFixture(RegisterRoutes routes = nullptr) : routes_(routes) {}

  void SetUp() override {
    ServiceFixtureT::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    context_.store = this->store_.get();
    context_.policies = this->policies_.get();
    context_.clock = &this->clock_;
    if (routes_ != nullptr) routes_(router_, context_);
    Populate();
  }
  virtual void Populate() {}

  // Sends `request` through router_ as `caller` (attached in the auth middleware's stead).
  Response SendAs(Request request, const service::Caller& caller) {
    SetCaller(request, caller);
    Response response = router_.Handle(request);
    ExpectConformsToOpenApi(request, response);
    return response;
  }

  // Every response a test receives is checked against the OpenAPI document (drift guard); a
  // request that matched no route has no operation to check against.
  void ExpectConformsToOpenApi(const Request& request, const Response& response) {
    if (request.route_name.empty()) return;
    if (!openapi_) openapi_.emplace(router_);
    ExpectConforms(*openapi_, request, response);
  }

  Router router_;
  ApiContext context_;

 private:
  RegisterRoutes routes_;
  std::optional<OpenApiChecker> openapi_;  // built at the first response
};

}  // namespace gatehouse::http::api::testing
