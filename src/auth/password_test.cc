#include "auth/password.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace gatehouse::auth {
namespace {

// The stated production parameters, not the cheap ones every other test binary hashes with.
class PasswordHashTest : public ::testing::Test {
 protected:
  void SetUp() override { UseCheapestPasswordHashingForTests(false); }
  void TearDown() override { UseCheapestPasswordHashingForTests(true); }
};

TEST_F(PasswordHashTest, CheapestTestCostStillVerifiesAndIsRehashedLater) {
  UseCheapestPasswordHashingForTests(true);
  auto cheap = HashPassword("correct horse battery staple");
  ASSERT_TRUE(cheap.ok());
  EXPECT_EQ(cheap->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *cheap;
  UseCheapestPasswordHashingForTests(false);
  EXPECT_TRUE(VerifyPassword(*cheap, "correct horse battery staple"));
  EXPECT_TRUE(NeedsRehash(*cheap));  // a server upgrades it at the next login
}

TEST_F(PasswordHashTest, HashVerifiesAndIsArgon2idWithStatedParameters) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(NeedsRehash(*hash));
}

TEST_F(PasswordHashTest, SaltMakesEveryHashDifferent) {
  auto a = HashPassword("same password 123");
  auto b = HashPassword("same password 123");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST_F(PasswordHashTest, MalformedHashesNeverVerifyAndNeedRehash) {
  for (const char* bad : {"", "plain", "$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                          "$argon2id$v=19$m=65536,t=2,p=1$", "$2y$10$abcdefghijklmnopqrstuv"}) {
    EXPECT_FALSE(VerifyPassword(bad, "")) << bad;
    EXPECT_FALSE(VerifyPassword(bad, "password")) << bad;
    EXPECT_TRUE(NeedsRehash(bad)) << bad;
  }
  EXPECT_FALSE(VerifyPassword(std::string(500, 'x'), "x"));
}

TEST_F(PasswordHashTest, WeakerParametersNeedRehash) {
  // A hash made with a lower opslimit (t=1) is valid but must be upgraded.
  auto hash = HashPassword("upgrade me please");
  ASSERT_TRUE(hash.ok());
  std::string weaker = *hash;
  weaker.replace(weaker.find("t=2"), 3, "t=1");
  EXPECT_TRUE(NeedsRehash(weaker));
}

CommonPasswords SmallList() { return CommonPasswords::FromList({"password123", "Qwertyuiop1"}); }

struct PolicyCase {
  const char* password;
  const char* email;
  const char* want_code;  // "" = accepted
};

TEST(PasswordPolicyTest, Table) {
  const PolicyCase cases[] = {
      {"", "a@example.com", "TooShort"},
      {"short", "a@example.com", "TooShort"},
      {"123456789", "a@example.com", "TooShort"},
      {"ßßßßßßßßß", "a@example.com", "TooShort"},  // 9 code points, 18 bytes
      {"ßßßßßßßßßß", "a@example.com", ""},         // 10 code points
      {"abcdefghij", "a@example.com", ""},
      {"long.name@example.com", "long.name@example.com", "EqualsEmail"},
      {"LONG.Name@Example.COM", "long.name@example.com", "EqualsEmail"},
      {"long.name@example.com", " long.name@example.com ", "EqualsEmail"},
      {"long.name@example.org", "long.name@example.com", ""},
      {"password123", "a@example.com", "TooCommon"},
      {"PASSWORD123", "a@example.com", "TooCommon"},
      {"qwertyuiop1", "a@example.com", "TooCommon"},
      {"password1234", "a@example.com", ""},
  };
  CommonPasswords list = SmallList();
  for (const PolicyCase& c : cases) {
    base::Status s = CheckPasswordPolicy(c.password, c.email, list);
    if (*c.want_code == '\0') {
      EXPECT_TRUE(s.ok()) << c.password << ": " << s.ToString();
      continue;
    }
    ASSERT_FALSE(s.ok()) << c.password;
    EXPECT_EQ(s.code(), base::Code::kInvalidArgument);
    ASSERT_EQ(s.fields().size(), 1u);
    EXPECT_EQ(s.fields()[0].path, "password");
    EXPECT_EQ(s.fields()[0].code, c.want_code) << c.password;
    EXPECT_FALSE(s.fields()[0].detail.empty());
  }
}

TEST(PasswordPolicyTest, FieldNameAndMaximumLength) {
  base::Status s = CheckPasswordPolicy("tiny", "", CommonPasswords(), "new_password");
  ASSERT_EQ(s.fields().size(), 1u);
  EXPECT_EQ(s.fields()[0].path, "new_password");
  base::Status too_long =
      CheckPasswordPolicy(std::string(kMaxPasswordBytes + 1, 'x'), "", CommonPasswords());
  ASSERT_EQ(too_long.fields().size(), 1u);
  EXPECT_EQ(too_long.fields()[0].code, "TooLong");
}

TEST(CommonPasswordsTest, ShippedListLoadsAndHasTheUsualSuspects) {
  auto list =
      CommonPasswords::LoadFile(std::string(GATEHOUSE_SOURCE_DATA_DIR) + "/common-passwords.txt");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_GE(list->size(), 10000u);
  for (const char* p : {"password", "123456", "qwerty", "iloveyou", "PassWord", "1qaz2wsx"}) {
    EXPECT_TRUE(list->Contains(p)) << p;
  }
  EXPECT_FALSE(list->Contains("vN7#q2!xLp0@zR"));
  // Long entries in the list are refused by the policy even though they pass the length rule.
  EXPECT_EQ(CheckPasswordPolicy("1234567890", "a@b.c", *list).fields().at(0).code, "TooCommon");
  EXPECT_EQ(CheckPasswordPolicy("qwertyuiop", "a@b.c", *list).fields().at(0).code, "TooCommon");
  EXPECT_TRUE(CheckPasswordPolicy("vN7#q2!xLp0@zR", "a@b.c", *list).ok());
}

TEST(CommonPasswordsTest, LoadDefaultFindsTheList) {
  auto list = CommonPasswords::LoadDefault();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_GE(list->size(), 10000u);
}

TEST(CommonPasswordsTest, MissingOrEmptyFileIsAClearError) {
  auto missing = CommonPasswords::LoadFile("/nonexistent/common-passwords.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/common-passwords.txt"),
            std::string::npos);

  std::string path = testing::TempDir() + "/gh_empty_list_" + std::to_string(getpid()) + ".txt";
  { std::ofstream(path) << "# only a comment\n\n"; }
  auto empty = CommonPasswords::LoadFile(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), base::Code::kFailedPrecondition);
  std::remove(path.c_str());
}

TEST(CommonPasswordsTest, FileEntriesAreCaseInsensitiveAndCrTolerant) {
  std::string path = testing::TempDir() + "/gh_list_" + std::to_string(getpid()) + ".txt";
  { std::ofstream(path) << "Hunter2Hunter2\r\nletmeinplease\n"; }
  auto list = CommonPasswords::LoadFile(path);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE(list->Contains("hunter2hunter2"));
  EXPECT_TRUE(list->Contains("LETMEINPLEASE"));
  std::remove(path.c_str());
}

TEST(CommonPasswordsTest, CandidatePathsHonourTheEnvironment) {
  setenv("GATEHOUSE_DATA_DIR", "/opt/gh-data", 1);
  auto paths = CommonPasswordsCandidatePaths();
  unsetenv("GATEHOUSE_DATA_DIR");
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), "/opt/gh-data/common-passwords.txt");
  EXPECT_EQ(paths.back(), std::string(GATEHOUSE_SOURCE_DATA_DIR) + "/common-passwords.txt");
}

}  // namespace
}  // namespace gatehouse::auth
