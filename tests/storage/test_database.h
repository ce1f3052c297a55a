// Fresh, empty databases for the cross-engine storage suites: one per test, on SQLite (a file in
// a temp dir) or PostgreSQL (a new database in the cluster at GATEHOUSE_TEST_PG_URL).
//
// PostgreSQL is needed only when a test asks for it. Without GATEHOUSE_TEST_PG_URL such a test
// skips, except under CI=true where it fails: CI must never pass by skipping an engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::storage::testing {

enum class Engine { kSqlite, kPostgres };

const char* EngineName(Engine engine);  // "Sqlite", "Postgres" (test-name friendly)

// The PostgreSQL URL of the test cluster, or empty when unset.
std::string TestPostgresUrl();
// True when the environment says CI=true.
bool InCi();
// The seed of a randomized test: GATEHOUSE_SEED when set (to replay a failure), else a random one.
std::uint64_t SeedFromEnv();

// Owns one empty database and drops it (files or DROP DATABASE) on destruction.
class TestDatabase {
 public:
  // Creates the database; kUnavailable when the engine cannot be reached.
  static base::Result<std::unique_ptr<TestDatabase>> Create(Engine engine);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // "sqlite:/tmp/.../gatehouse.db" or "postgresql://.../gh_test_<pid>_<n>", for Store::Open.
  const std::string& url() const { return url_; }

 private:
  TestDatabase(Engine engine, std::string url, std::string location)
      : engine_(engine), url_(std::move(url)), location_(std::move(location)) {}

  Engine engine_;
  std::string url_;
  std::string location_;  // SQLite: the temp dir; PostgreSQL: the database name
};

// A store on `db` with `connections` pooled connections, migrated to the newest schema.
base::Result<std::unique_ptr<Store>> OpenMigratedStore(const TestDatabase& db, int connections);

// Replaces the database name of a PostgreSQL URI ("postgresql://host:port/db?x=y").
std::string WithDatabase(const std::string& url, const std::string& database);

}  // namespace gatehouse::storage::testing

// In a fixture's SetUp: skips (or, under CI=true, fails) a PostgreSQL test without a cluster.
#define GH_REQUIRE_ENGINE(engine)                                                          \
  do {                                                                                     \
    if ((engine) == ::gatehouse::storage::testing::Engine::kPostgres &&                    \
        ::gatehouse::storage::testing::TestPostgresUrl().empty()) {                        \
      if (::gatehouse::storage::testing::InCi()) {                                         \
        FAIL() << "GATEHOUSE_TEST_PG_URL is unset; CI must run the PostgreSQL tests";      \
      }                                                                                    \
      GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is unset (scripts/test.sh starts a cluster)"; \
    }                                                                                      \
  } while (0)
