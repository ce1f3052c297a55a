// The main of every GoogleTest binary (gatehouse_test in the top CMakeLists.txt): GoogleTest's
// own main, except that passwords are hashed at libsodium's smallest Argon2id cost. Hashing at
// the stated cost (64 MiB, 2 passes) was most of the suite's CPU time; auth/password_test.cc
// switches the stated cost back on for the tests about the hash itself.
#include <gmock/gmock.h>

#include "auth/password.h"

int main(int argc, char** argv) {
  gatehouse::auth::UseCheapestPasswordHashingForTests(true);
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
