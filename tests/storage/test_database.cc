#include "tests/storage/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string_view>
#include <system_error>

#include "storage/sql/postgres_connection.h"

namespace gatehouse::storage::testing {

using base::Code;
using base::Status;

const char* EngineName(Engine engine) { return engine == Engine::kSqlite ? "Sqlite" : "Postgres"; }

std::string TestPostgresUrl() {
  const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

std::uint64_t SeedFromEnv() {
  if (const char* text = std::getenv("GATEHOUSE_SEED"); text != nullptr && *text != '\0') {
    return std::strtoull(text, nullptr, 10);
  }
  return std::random_device{}();
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  std::size_t scheme = url.find("://");
  std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t query = url.find('?', authority);
  std::size_t path = url.find('/', authority);
  if (path == std::string::npos || (query != std::string::npos && path > query)) path = query;
  std::string out = url.substr(0, path == std::string::npos ? url.size() : path);
  out += "/" + database;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

namespace {

std::atomic<int> next_database{0};

std::string UniqueName() {
  return "gh_test_" + std::to_string(getpid()) + "_" + std::to_string(++next_database);
}

}  // namespace

base::Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Engine engine) {
  std::string name = UniqueName();
  if (engine == Engine::kSqlite) {
    std::error_code error;
    std::filesystem::path dir = std::filesystem::temp_directory_path(error) / name;
    std::filesystem::remove_all(dir, error);
    if (!std::filesystem::create_directories(dir, error)) {
      return Status::Error(Code::kUnavailable, "cannot create " + dir.string());
    }
    return std::unique_ptr<TestDatabase>(
        new TestDatabase(engine, "sqlite:" + (dir / "gatehouse.db").string(), dir.string()));
  }
  std::string base = TestPostgresUrl();
  if (base.empty()) return Status::Error(Code::kUnavailable, "GATEHOUSE_TEST_PG_URL is unset");
  GH_ASSIGN_OR_RETURN(std::unique_ptr<sql::Connection> admin, sql::OpenPostgres(base));
  GH_RETURN_IF_ERROR(admin->ExecuteScript("DROP DATABASE IF EXISTS " + name));
  GH_RETURN_IF_ERROR(admin->ExecuteScript("CREATE DATABASE " + name));
  return std::unique_ptr<TestDatabase>(new TestDatabase(engine, WithDatabase(base, name), name));
}

TestDatabase::~TestDatabase() {
  if (engine_ == Engine::kSqlite) {
    std::error_code error;
    std::filesystem::remove_all(location_, error);
    return;
  }
  auto admin = sql::OpenPostgres(TestPostgresUrl());
  if (!admin.ok()) return;
  // FORCE ends sessions a failed test may have left behind.
  (void)(*admin)->ExecuteScript("DROP DATABASE IF EXISTS " + location_ + " WITH (FORCE)");
}

base::Result<std::unique_ptr<Store>> OpenMigratedStore(const TestDatabase& db, int connections) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(db.url(), connections));
  GH_RETURN_IF_ERROR(store->Migrate());
  return store;
}

}  // namespace gatehouse::storage::testing
