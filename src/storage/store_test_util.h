// Test support: a fresh, migrated Store per test on SQLite (temp file) or PostgreSQL (a fresh
// schema in the database named by GATEHOUSE_TEST_PG_URL), so one suite runs on both engines.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.h"

namespace gatehouse::storage::testing {

enum class Engine { kSqlite, kPostgres };

inline std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

// A database that lives as long as the object.
class TestDatabase {
 public:
  // Returns the URL; sets *skip when the engine is not available here.
  std::string Create(Engine engine, bool* skip) {
    static std::atomic<int> counter{0};
    const std::string unique =
        std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
    if (engine == Engine::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("gatehouse_storage_" + unique);
      std::filesystem::create_directories(dir_);
      return "sqlite:" + (dir_ / "test.db").string();
    }
    const char* base = std::getenv("GATEHOUSE_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
      *skip = true;
      return "";
    }
    base_url_ = base;
    schema_ = "gh_test_" + unique;
    auto admin = sql::OpenPool(base_url_, 1);
    if (!admin.ok()) {
      ADD_FAILURE() << admin.status().ToString();
      return "";
    }
    admin_ = std::move(admin).value();
    auto c = admin_->Acquire();
    EXPECT_TRUE(
        c->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_)
            .ok());
    const char* sep = base_url_.find('?') == std::string::npos ? "?" : "&";
    return base_url_ + sep + "options=-c%20search_path%3D" + schema_;
  }

  ~TestDatabase() {
    if (admin_) {
      auto c = admin_->Acquire();
      (void)c->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

 private:
  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
  std::unique_ptr<sql::ConnectionPool> admin_;
};

// Fixture: store_ is open and migrated. A fixture fills it in Populate, which runs only when the
// engine is available and the store opened and migrated, so no fixture repeats those checks.
class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() final {
    bool skip = false;
    url_ = db_.Create(GetParam(), &skip);
    if (skip) GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is unset";
    auto store = Store::Open(url_, 3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    Populate();
  }
  virtual void Populate() {}
  void TearDown() override { store_.reset(); }

  // Creates an account; returns its id.
  AccountId NewAccount(const std::string& subdomain) {
    auto account = store_->CreateAccount({subdomain, subdomain, 50, 0});
    EXPECT_TRUE(account.ok()) << account.status().ToString();
    return account.ok() ? account->id : 0;
  }

  // Creates a user in `account` (default group unless `group`); returns its id.
  UserId NewUser(AccountId account, const std::string& email, GroupId group = 0,
                 bool active = true) {
    UserId id = 0;
    base::Status status = store_->Write(account, [&](AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(
          id,
          w.CreateUser(
              {.user = {.name = email, .email = email, .is_active = active, .group_id = group}}));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return id;
  }

  // Creates `record` in `account` in a write of its own; returns it as stored.
  template <typename R>
  R NewRecord(AccountId account, const R& record) {
    R created{};
    base::Status status = store_->Write(account, [&](AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(created, w.Create(record));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return created;
  }

  // Creates a second pipeline (sort 2) with `stages` between its fixed ones; returns it as
  // stored.
  domain::Pipeline NewPipeline(AccountId account, std::string_view name,
                               const std::vector<domain::Stage>& stages) {
    domain::Pipeline created;
    base::Status status = store_->Write(account, [&](AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(created, w.CreatePipeline(name, 2, false, stages));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return created;
  }

  // Every stage of every pipeline of `account`, pipeline by pipeline.
  std::vector<domain::StageKey> StagesOf(AccountId account) {
    auto pipelines = store_->Reader(account).ListPipelines();
    EXPECT_TRUE(pipelines.ok()) << pipelines.status().ToString();
    std::vector<domain::StageKey> stages;
    if (!pipelines.ok()) return stages;
    for (const auto& p : *pipelines) {
      for (const auto& s : p.stages) stages.push_back({p.id, s.id});
    }
    return stages;
  }

  TestDatabase db_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

// Fixture: two accounts with a user each ("u@acme.io" in acme, "v@other.io" in other), for the
// tests of credentials (sessions, tokens, OAuth) that one account's rows never reach the other's.
class CredentialStoreTest : public StoreTest {
 protected:
  void Populate() override {
    a_ = NewAccount("acme");
    b_ = NewAccount("other");
    u_ = NewUser(a_, "u@acme.io");
    v_ = NewUser(b_, "v@other.io");
  }

  // Registers an integration named `name` in `account`; returns it as stored.
  OAuthIntegrationRow NewIntegration(AccountId account, UserId by, const std::string& name) {
    OAuthIntegrationRow row{.client_id = "client-" + name,
                            .client_secret_hash = "secret-" + name,
                            .name = name,
                            .redirect_uri = "https://" + name + ".io/cb",
                            .created_by = by,
                            .created_at = 31};
    const base::Status status = store_->Write(account, [&](AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(row.id, w.CreateOAuthIntegration(row));
      return base::Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return row;
  }

  AccountId a_ = 0;
  AccountId b_ = 0;
  UserId u_ = 0;
  UserId v_ = 0;
};

// A ListQuery with the permission filter it runs under, for tests that build both together and
// pass them on as AccountReader::List<R>(q.permission, q) ...
struct FilteredQuery : ListQuery {
  policy::ListFilter permission{};
};

#define GH_INSTANTIATE_STORE_TEST(Suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(Engines, Suite,                                                      \
                           ::testing::Values(::gatehouse::storage::testing::Engine::kSqlite,    \
                                             ::gatehouse::storage::testing::Engine::kPostgres), \
                           ::gatehouse::storage::testing::EngineName)

// The seed of a property test: GATEHOUSE_SEED when set (to replay a failure), else `fixed`.
inline std::uint64_t SeedOr(std::uint64_t fixed) {
  const char* text = std::getenv("GATEHOUSE_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : fixed;
}

}  // namespace gatehouse::storage::testing

namespace gatehouse::storage {

// What the store's tests name unqualified.
using base::Code;
using base::Result;
using base::Status;
using testing::CredentialStoreTest;
using testing::Engine;
using testing::StoreTest;

}  // namespace gatehouse::storage
