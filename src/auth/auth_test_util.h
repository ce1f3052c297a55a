// Test support for the auth tests: an IP address from its text.
#pragma once

#include <gtest/gtest.h>

#include "auth/ip.h"

// In gatehouse::auth itself, not a nested `testing`: that would hide GoogleTest's ::testing from
// the tests' unqualified `testing::Test`.
namespace gatehouse::auth {

// `text` parsed; a failed test, and the default address, when it does not parse.
inline IpAddress Ip(const char* text) {
  auto address = ParseIpAddress(text);
  EXPECT_TRUE(address.ok()) << text;
  return address.ok() ? *address : IpAddress{};
}

}  // namespace gatehouse::auth
