// Test support for the auth and security services: a migrated SQLite store in a temp dir, an
// account with an administrator, a FakeClock and an AuthService over them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/password.h"
#include "auth/tokens.h"
#include "base/clock.h"
#include "service/auth.h"
#include "service/bootstrap.h"
#include "service/policy_cache.h"
#include "storage/store_test_util.h"

namespace gatehouse::service::testing {

inline constexpr const char* kPassword = "correct horse battery";
inline constexpr const char* kPeer = "203.0.113.5";

// One Argon2id hash of kPassword shared by every test user (hashing costs ~60 ms).
inline const std::string& PasswordHash() {
  static const std::string hash = [] {
    auto h = auth::HashPassword(kPassword);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

class AuthFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    bool skip = false;
    url_ = db_.Create(storage::testing::Engine::kSqlite, &skip);
    auto store = storage::Store::Open(url_, 3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    store_->set_clock(&clock_);
    ASSERT_TRUE(store_->Migrate().ok());
    auto account =
        CreateAccountWithAdmin(*store_, {"acme", "Acme", 10, 0},
                               {"admin@acme.test", "Admin", PasswordHash()}, clock_.NowSeconds());
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    auto admin = store_->Reader(account_).FindUserByEmail("admin@acme.test");
    ASSERT_TRUE(admin.ok());
    admin_ = admin->user.id;
    policies_ = std::make_unique<PolicyCache>(store_.get());
    AuthOptions options;
    options.common_passwords = auth::CommonPasswords::FromList({"password1234", "qwertyuiop12"});
    auto service = AuthService::Create(store_.get(), policies_.get(), &clock_, std::move(options));
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    auth_ = std::move(service).value();
  }

  // Adds an active user with kPassword; returns its id.
  domain::UserId AddUser(const std::string& email, bool is_admin = false, bool is_free = false) {
    domain::UserId id = 0;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      storage::UserRow row;
      row.user.name = email;
      row.user.email = email;
      row.user.is_admin = is_admin;
      row.user.is_free = is_free;
      row.password_hash = PasswordHash();
      GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    (void)policies_->Refresh(account_);
    return id;
  }

  void SetActive(domain::UserId id, bool active) {
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(id));
      row.user.is_active = active;
      return w.UpdateUser(row);
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    (void)policies_->Refresh(account_);
  }

  LoginInput Input(const std::string& email, const std::string& password = kPassword,
                   const std::string& peer = kPeer) {
    LoginInput in;
    in.email = email;
    in.password = password;
    in.client.peer = peer;
    in.client.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36";
    return in;
  }

  // Logs in (must succeed).
  LoginResult MustLogin(const std::string& email, const std::string& code = "") {
    LoginInput in = Input(email);
    in.code = code;
    AuthError error;
    auto result = auth_->Login(in, &error);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : LoginResult{};
  }

  Credentials SessionCredentials(const LoginResult& login, bool changes_state = false,
                                 const std::string& peer = kPeer) {
    Credentials c;
    c.session_token = login.session_token;
    c.changes_state = changes_state;
    c.csrf_token = changes_state ? login.csrf_token : "";
    c.client.peer = peer;
    return c;
  }

  Credentials BearerCredentials(const std::string& token, const std::string& peer = kPeer) {
    Credentials c;
    c.bearer = token;
    c.client.peer = peer;
    return c;
  }

  base::Result<Authenticated> Auth(const Credentials& c, AuthError* error = nullptr) {
    AuthError ignored;
    return auth_->Authenticate(c, error != nullptr ? error : &ignored);
  }

  Caller CallerFor(const LoginResult& login) {
    auto a = Auth(SessionCredentials(login));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->caller : Caller{};
  }

  std::vector<storage::EventRow> Events(const std::string& type) {
    storage::EventQuery q;
    q.types = {type};
    q.limit = 250;
    auto events = store_->Reader(account_).ListEvents(q);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<storage::EventRow>{};
  }

  storage::testing::TestDatabase db_;
  std::string url_;  // the database, for a second Store standing in for another process
  std::unique_ptr<storage::Store> store_;
  base::FakeClock clock_;
  std::unique_ptr<PolicyCache> policies_;
  std::unique_ptr<AuthService> auth_;
  domain::AccountId account_ = 0;
  domain::UserId admin_ = 0;
};

}  // namespace gatehouse::service::testing
