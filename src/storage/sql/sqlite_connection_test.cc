#include "storage/sql/sqlite_connection.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/sql/pool.h"

namespace gatehouse::storage::sql {
namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("gatehouse_sqlite_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto c = OpenSqlite((dir_ / "t.db").string());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    c_ = std::move(c).value();
    ASSERT_TRUE(c_->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                                  "score REAL, parent INTEGER REFERENCES t(id))")
                    .ok());
  }
  void TearDown() override {
    c_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Connection> c_;
};

TEST_F(SqliteConnectionTest, BindsAndReadsEveryType) {
  std::vector<Value> params{std::int64_t{1}, std::string("a'b"), 2.5, std::monostate{}};
  auto changed = c_->Execute("INSERT INTO t (id, name, score, parent) VALUES (?, ?, ?, ?)", params);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1);
  auto rows = c_->Query("SELECT id, name, score, parent FROM t");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->columns, std::vector<std::string>({"id", "name", "score", "parent"}));
  EXPECT_EQ(AsInt(rows->rows[0][0]), 1);
  EXPECT_EQ(AsText(rows->rows[0][1]), "a'b");
  EXPECT_DOUBLE_EQ(AsDouble(rows->rows[0][2]), 2.5);
  EXPECT_TRUE(IsNull(rows->rows[0][3]));
}

TEST_F(SqliteConnectionTest, MapsConstraintErrors) {
  std::vector<Value> a{std::string("x")};
  ASSERT_TRUE(c_->Execute("INSERT INTO t (name) VALUES (?)", a).ok());
  auto dup = c_->Execute("INSERT INTO t (name) VALUES (?)", a);
  EXPECT_EQ(dup.status().code(), base::Code::kAlreadyExists);
  std::vector<Value> fk{std::int64_t{999}};
  auto missing = c_->Execute("INSERT INTO t (parent) VALUES (?)", fk);
  EXPECT_EQ(missing.status().code(), base::Code::kConflict);  // foreign_keys=ON
  EXPECT_EQ(c_->Query("SELEC nonsense").status().code(), base::Code::kInternal);
}

TEST_F(SqliteConnectionTest, RollbackUndoes) {
  ASSERT_TRUE(c_->Begin().ok());
  ASSERT_TRUE(c_->Execute("INSERT INTO t (name) VALUES ('y')").ok());
  ASSERT_TRUE(c_->Rollback().ok());
  EXPECT_TRUE(c_->Query("SELECT id FROM t")->empty());
  EXPECT_TRUE(c_->Rollback().ok());  // nothing open: still fine
}

TEST_F(SqliteConnectionTest, WrongParameterCountIsAnError) {
  std::vector<Value> none;
  EXPECT_FALSE(c_->Execute("INSERT INTO t (name) VALUES (?)", none).ok());
}

TEST_F(SqliteConnectionTest, SynchronousIsNormalUnlessFullIsAsked) {
  // 1 = NORMAL, 2 = FULL (https://sqlite.org/pragma.html#pragma_synchronous).
  EXPECT_EQ(AsInt(c_->Query("PRAGMA synchronous")->rows.at(0).at(0)), 1);
  auto full = OpenSqlite((dir_ / "t.db").string(), IfMissing::kRefuse, SqliteSync::kFull);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(AsInt((*full)->Query("PRAGMA synchronous")->rows.at(0).at(0)), 2);
  EXPECT_EQ(AsText((*full)->Query("PRAGMA journal_mode")->rows.at(0).at(0)), "wal");

  auto pool =
      OpenPool("sqlite:" + (dir_ / "t.db").string(), 2, IfMissing::kRefuse, SqliteSync::kFull);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  for (int i = 0; i < 2; ++i) {
    auto lease = (*pool)->Acquire();
    EXPECT_EQ(AsInt(lease->Query("PRAGMA synchronous")->rows.at(0).at(0)), 2);
  }
  // PostgreSQL has its own synchronous_commit: refused before any connection is tried.
  auto postgres =
      OpenPool("postgresql://nobody@127.0.0.1:1/none", 1, IfMissing::kRefuse, SqliteSync::kFull);
  ASSERT_FALSE(postgres.ok());
  EXPECT_EQ(postgres.status().code(), base::Code::kInvalidArgument);
}

TEST(DatabaseUrlTest, Table) {
  struct Case {
    const char* url;
    bool ok;
    Dialect dialect;
    const char* target;
  };
  const Case cases[] = {
      {"sqlite:./gatehouse.db", true, Dialect::kSqlite, "./gatehouse.db"},
      {"sqlite:/var/lib/g.db", true, Dialect::kSqlite, "/var/lib/g.db"},
      {"sqlite:///var/lib/g.db", true, Dialect::kSqlite, "/var/lib/g.db"},
      {"postgresql://u@h:5432/db", true, Dialect::kPostgres, "postgresql://u@h:5432/db"},
      {"postgres://h/db", true, Dialect::kPostgres, "postgres://h/db"},
      {"sqlite:", false, Dialect::kSqlite, ""},
      {"sqlite::memory:", false, Dialect::kSqlite, ""},
      {"mysql://h/db", false, Dialect::kSqlite, ""},
      {"", false, Dialect::kSqlite, ""},
  };
  for (const Case& c : cases) {
    auto parsed = ParseDatabaseUrl(c.url);
    EXPECT_EQ(parsed.ok(), c.ok) << c.url;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), base::Code::kInvalidArgument);
      continue;
    }
    EXPECT_EQ(parsed->dialect, c.dialect) << c.url;
    EXPECT_EQ(parsed->target, c.target) << c.url;
  }
}

TEST(ConnectionPoolTest, LeaseReturnsConnectionAndRollsBackOpenTransaction) {
  auto dir = std::filesystem::temp_directory_path() / "gatehouse_pool_test";
  std::filesystem::create_directories(dir);
  auto pool = OpenPool("sqlite:" + (dir / "p.db").string(), 1);
  ASSERT_TRUE(pool.ok());
  {
    auto c = (*pool)->Acquire();
    ASSERT_TRUE(c->ExecuteScript("CREATE TABLE IF NOT EXISTS x (v INTEGER); DELETE FROM x").ok());
    ASSERT_TRUE(c->Begin().ok());
    ASSERT_TRUE(c->Execute("INSERT INTO x VALUES (1)").ok());
    // Lease dropped with the transaction open.
  }
  auto c = (*pool)->Acquire();  // the only connection came back
  EXPECT_TRUE(c->Query("SELECT v FROM x")->empty());
  EXPECT_TRUE(c->Begin().ok());  // no transaction was left open
  EXPECT_TRUE(c->Rollback().ok());
  std::filesystem::remove_all(dir);
}

// The pool is bounded: with every connection lent out, Acquire gives up after its timeout and
// lends a stand-in that fails each call with kUnavailable (a 503), never a connection more.
TEST(ConnectionPoolTest, AcquireGivesUpAfterItsTimeoutWithAnUnavailableStandIn) {
  auto dir = std::filesystem::temp_directory_path() / "gatehouse_pool_timeout_test";
  std::filesystem::create_directories(dir);
  auto opened = OpenSqlite((dir / "p.db").string());
  ASSERT_TRUE(opened.ok());
  std::vector<std::unique_ptr<Connection>> connections;
  connections.push_back(std::move(opened).value());
  ConnectionPool pool(std::move(connections), std::chrono::milliseconds(50));
  {
    PooledConnection held = pool.Acquire();
    ASSERT_TRUE(held->Query("SELECT 1").ok());
    PooledConnection busy = pool.Acquire();  // the only connection is held above
    EXPECT_EQ(busy->Query("SELECT 1").status().code(), base::Code::kUnavailable);
    EXPECT_EQ(busy->Begin().code(), base::Code::kUnavailable);
    EXPECT_EQ(busy->Execute("SELECT 1").status().code(), base::Code::kUnavailable);
    EXPECT_TRUE(busy->Rollback().ok());
    EXPECT_EQ(pool.timeouts(), 1u);
  }
  // The stand-in did not join the pool: its one real connection is lent again, and only it.
  PooledConnection again = pool.Acquire();
  EXPECT_TRUE(again->Query("SELECT 1").ok());
  PooledConnection second = pool.Acquire();
  EXPECT_EQ(second->Query("SELECT 1").status().code(), base::Code::kUnavailable);
  EXPECT_EQ(pool.timeouts(), 2u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gatehouse::storage::sql
