// Test support: an HTTP fixture over one of the service fixtures (service_test_util.h), with
// the API context wired to that fixture's store, policies and clock, and a router for the test
// to register routes on.
#pragma once

#include "http/api/api.h"
#include "http/router.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api::testing {

template <typename ServiceFixtureT>
class ApiFixture : public ServiceFixtureT {
 protected:
  void SetUp() override {
    ServiceFixtureT::SetUp();
    if (this->IsSkipped() || this->HasFatalFailure()) return;
    context_.store = this->store_.get();
    context_.policies = this->policies_.get();
    context_.clock = &this->clock_;
  }

  Router router_;
  ApiContext context_;
};

}  // namespace gatehouse::http::api::testing
