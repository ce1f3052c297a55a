#include "storage/sql/postgres_connection.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace gatehouse::storage::sql {
namespace {

using base::Code;

TEST(OpenPostgresTest, UnreachableServerIsUnavailable) {
  auto conn = OpenPostgres("postgresql://postgres@127.0.0.1:1/none?connect_timeout=5");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), Code::kUnavailable) << conn.status().ToString();
}

// ---- Against a live server (GATEHOUSE_TEST_PG_URL) ----

const char* TestUrl() {
  const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// Each test works in a schema of its own, so tests may run in parallel processes.
class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestUrl() == nullptr) {
      if (InCi()) FAIL() << "GATEHOUSE_TEST_PG_URL is unset; CI must run the PostgreSQL tests";
      GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is unset (scripts/test.sh starts a cluster)";
    }
    auto conn = OpenPostgres(TestUrl());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(conn).value();
    schema_ = "gh_conn_test_" + std::to_string(getpid());
    ASSERT_TRUE(conn_
                    ->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                    " CASCADE; CREATE SCHEMA " + schema_)
                    .ok());
    UseSchema();
  }

  void TearDown() override {
    if (conn_ == nullptr) return;
    (void)conn_->Rollback();
    UseSchema();
    EXPECT_TRUE(conn_->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE").ok());
  }

  void UseSchema() { ASSERT_TRUE(conn_->ExecuteScript("SET search_path TO " + schema_).ok()); }

  void Script(const std::string& sql) {
    base::Status status = conn_->ExecuteScript(sql);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  std::int64_t CountRows(const std::string& table) {
    auto rows = conn_->Query("SELECT count(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? std::get<std::int64_t>(rows->rows.at(0).at(0)) : -1;
  }

  // The message of a failed status must name neither the statement nor a bound value.
  static void ExpectClean(const base::Status& status, const std::vector<std::string>& secrets) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(status.message().find(secret), std::string::npos)
          << "message leaks '" << secret << "': " << status.message();
    }
  }

  // Table t of ids, which the transaction tests fill.
  void CreateIds() { Script("CREATE TABLE t (id BIGINT PRIMARY KEY)"); }
  // Inserts `id` into t at once.
  base::Result<std::int64_t> InsertId(std::int64_t id) {
    return conn_->Execute(kInsertId, std::vector<Value>{id});
  }
  // Inserts `id` into t, held back until the next answer (Connection::Defer).
  base::Status DeferId(std::int64_t id) { return conn_->Defer(kInsertId, std::vector<Value>{id}); }
  // Creates t and begins a transaction holding back two inserts of id 1 (the second fails).
  void BeginWithADeferredDuplicate() {
    CreateIds();
    ASSERT_TRUE(conn_->Begin().ok());
    ASSERT_TRUE(DeferId(1).ok());
    ASSERT_TRUE(DeferId(1).ok());
  }

  static constexpr const char* kInsertId = "INSERT INTO t VALUES (?)";
  std::unique_ptr<Connection> conn_;
  std::string schema_;
};

TEST_F(PostgresConnectionTest, IsPostgresDialect) {
  EXPECT_EQ(conn_->dialect(), Dialect::kPostgres);
}

TEST_F(PostgresConnectionTest, RoundTripsEveryValueType) {
  Script("CREATE TABLE v (i BIGINT, d DOUBLE PRECISION, s TEXT, n BIGINT)");
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::vector<std::vector<Value>> inputs = {
      {kMin, 0.1, std::string("plain"), std::monostate{}},
      {kMax, -1.5e300, std::string("it's \"quoted\" ? $1 ünï 😀"), std::int64_t{7}},
      {std::int64_t{0}, 5e-324, std::string(""), std::monostate{}},
  };
  for (const auto& row : inputs) {
    auto changed = conn_->Execute("INSERT INTO v (i, d, s, n) VALUES (?, ?, ?, ?)", row);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
    EXPECT_EQ(*changed, 1);
  }
  auto rows = conn_->Query("SELECT i, d, s, n FROM v ORDER BY i");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"i", "d", "s", "n"}));
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->rows[0], inputs[0]);
  EXPECT_EQ(rows->rows[1], inputs[2]);
  EXPECT_EQ(rows->rows[2], inputs[1]);
}

TEST_F(PostgresConnectionTest, ConvertsColumnsByType) {
  auto rows = conn_->Query(
      "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 12.5::numeric, true, false, "
      "'x'::text, 'y'::varchar, DATE '2024-01-02', NULL::int8, 'NaN'::float8");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const auto& r = rows->rows[0];
  ASSERT_EQ(r.size(), 13u);
  EXPECT_EQ(r[0], Value(std::int64_t{1}));
  EXPECT_EQ(r[1], Value(std::int64_t{2}));
  EXPECT_EQ(r[2], Value(std::int64_t{3}));
  EXPECT_EQ(r[3], Value(1.5));
  EXPECT_EQ(r[4], Value(2.25));
  EXPECT_EQ(r[5], Value(12.5));
  EXPECT_EQ(r[6], Value(std::int64_t{1}));
  EXPECT_EQ(r[7], Value(std::int64_t{0}));
  EXPECT_EQ(r[8], Value(std::string("x")));
  EXPECT_EQ(r[9], Value(std::string("y")));
  EXPECT_EQ(r[10], Value(std::string("2024-01-02")));
  EXPECT_EQ(r[11], Value(std::monostate{}));
  ASSERT_TRUE(std::holds_alternative<double>(r[12]));
  EXPECT_TRUE(std::isnan(std::get<double>(r[12])));
}

TEST_F(PostgresConnectionTest, InfersParameterTypesFromContext) {
  Script("CREATE TABLE t (id BIGINT PRIMARY KEY, price NUMERIC, name TEXT)");
  const std::vector<Value> row = {std::int64_t{1}, 19.99, std::string("a")};
  ASSERT_TRUE(conn_->Execute("INSERT INTO t VALUES (?, ?, ?)", row).ok());
  const std::vector<Value> params = {std::int64_t{1}, std::int64_t{1}};
  auto rows = conn_->Query("SELECT id + ?, price FROM t WHERE id = ? LIMIT 1", params);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->rows[0][0], Value(std::int64_t{2}));
  EXPECT_EQ(rows->rows[0][1], Value(19.99));
}

TEST_F(PostgresConnectionTest, QuestionMarkInLiteralIsNotAParameter) {
  const std::vector<Value> params = {std::string("b")};
  auto rows = conn_->Query("SELECT 'a?' || ? AS \"what?\"", params);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->columns, std::vector<std::string>{"what?"});
  EXPECT_EQ(rows->rows.at(0).at(0), Value(std::string("a?b")));
}

TEST_F(PostgresConnectionTest, PreparesEachSqlTextOnce) {
  const std::string sql = "SELECT ?::int8 * 2";
  for (std::int64_t i = 0; i < 5; ++i) {
    const std::vector<Value> params = {i};
    auto rows = conn_->Query(sql, params);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows->rows.at(0).at(0), Value(i * 2));
  }
  auto rows = conn_->Query("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?",
                           std::vector<Value>{std::string("SELECT $1::int8 * 2")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows.at(0).at(0), Value(std::int64_t{1}));
}

TEST_F(PostgresConnectionTest, ExecuteReturnsChangedRows) {
  Script(
      "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT); "
      "INSERT INTO t SELECT g, g % 3 FROM generate_series(1, 10) g");
  auto changed =
      conn_->Execute("UPDATE t SET n = n + 10 WHERE n = ?", std::vector<Value>{std::int64_t{0}});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 3);
  changed = conn_->Execute("DELETE FROM t WHERE id > ?", std::vector<Value>{std::int64_t{100}});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0);
  auto rows = conn_->Query("UPDATE t SET n = 0 WHERE id = ?", std::vector<Value>{std::int64_t{1}});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST_F(PostgresConnectionTest, MapsConstraintViolations) {
  Script(
      "CREATE TABLE parent (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
      "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parent(id),"
      " price BIGINT CHECK (price >= 0));"
      "INSERT INTO parent VALUES (1, 'secret@example.com')");
  const std::string kInsertParent = "INSERT INTO parent (id, email) VALUES (?, ?)";
  const std::string kInsertChild = "INSERT INTO child (id, parent_id, price) VALUES (?, ?, ?)";
  struct Case {
    std::string sql;
    std::vector<Value> params;
    Code code;
    std::string constraint;
  };
  const Case cases[] = {
      {kInsertParent,
       {std::int64_t{2}, std::string("secret@example.com")},
       Code::kAlreadyExists,
       "parent_email_key"},
      {kInsertParent,
       {std::int64_t{1}, std::string("other@example.com")},
       Code::kAlreadyExists,
       "parent_pkey"},
      {kInsertChild,
       {std::int64_t{1}, std::int64_t{987654}, std::int64_t{1}},
       Code::kConflict,
       "child_parent_id_fkey"},
      {kInsertChild,
       {std::int64_t{1}, std::int64_t{1}, std::int64_t{-31337}},
       Code::kConflict,
       "child_price_check"},
      {kInsertParent, {std::int64_t{3}, std::monostate{}}, Code::kConflict, ""},
  };
  for (const Case& c : cases) {
    auto changed = conn_->Execute(c.sql, c.params);
    ASSERT_FALSE(changed.ok()) << c.sql;
    EXPECT_EQ(changed.status().code(), c.code) << changed.status().ToString();
    EXPECT_NE(changed.status().message().find(c.constraint), std::string::npos)
        << changed.status().ToString();
    ExpectClean(changed.status(), {"INSERT", "secret@", "other@", "987654", "31337"});
  }
  auto fk = conn_->Execute("DELETE FROM parent WHERE id = ?", std::vector<Value>{std::int64_t{1}});
  ASSERT_TRUE(fk.ok()) << "no child references parent 1 yet";
  EXPECT_EQ(CountRows("child"), 0);
}

TEST_F(PostgresConnectionTest, OtherErrorsAreInternalAndQuoteNothing) {
  Script("CREATE TABLE t (id BIGINT)");
  auto bad_syntax = conn_->Query("SELEKT secret_column FROM t");
  ASSERT_FALSE(bad_syntax.ok());
  EXPECT_EQ(bad_syntax.status().code(), Code::kInternal);
  ExpectClean(bad_syntax.status(), {"SELEKT", "secret_column"});

  auto bad_value = conn_->Execute("INSERT INTO t VALUES (?)",
                                  std::vector<Value>{std::string("hunter2-not-a-number")});
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.status().code(), Code::kInternal);
  EXPECT_NE(bad_value.status().message().find("22P02"), std::string::npos);
  ExpectClean(bad_value.status(), {"hunter2", "INSERT"});
}

TEST_F(PostgresConnectionTest, WrongParameterCountIsInternal) {
  auto rows = conn_->Query("SELECT ?", std::vector<Value>{std::int64_t{1}, std::int64_t{2}});
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Code::kInternal);
  rows = conn_->Query("SELECT ?");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Code::kInternal);
}

TEST_F(PostgresConnectionTest, RefusesNulInsideText) {
  auto rows = conn_->Query("SELECT ?", std::vector<Value>{std::string("a\0b", 3)});
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Code::kInvalidArgument);
}

TEST_F(PostgresConnectionTest, ExecuteScriptRunsSeveralStatementsOrFails) {
  Script("CREATE TABLE a (id BIGINT); CREATE TABLE b (id BIGINT); INSERT INTO a VALUES (1);");
  EXPECT_EQ(CountRows("a"), 1);
  EXPECT_EQ(CountRows("b"), 0);
  base::Status status =
      conn_->ExecuteScript("INSERT INTO b VALUES (1); INSERT INTO nope VALUES (1)");
  EXPECT_EQ(status.code(), Code::kInternal);
  EXPECT_EQ(CountRows("b"), 0) << "a failed script is one implicit transaction";
}

TEST_F(PostgresConnectionTest, CommitAndRollback) {
  CreateIds();
  ASSERT_TRUE(conn_->Begin().ok());
  EXPECT_EQ(conn_->Begin().code(), Code::kInternal) << "no nested transactions";
  ASSERT_TRUE(InsertId(1).ok());
  ASSERT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(CountRows("t"), 0);

  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(InsertId(2).ok());
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(CountRows("t"), 1);
  EXPECT_EQ(conn_->Commit().code(), Code::kInternal) << "commit without a transaction";
  EXPECT_TRUE(conn_->Rollback().ok()) << "rollback without a transaction is harmless";
}

TEST_F(PostgresConnectionTest, CommitAfterAFailedStatementWritesNothing) {
  CreateIds();
  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(InsertId(1).ok());
  auto duplicate = InsertId(1);
  EXPECT_EQ(duplicate.status().code(), Code::kAlreadyExists);
  base::Status commit = conn_->Commit();
  EXPECT_FALSE(commit.ok());
  EXPECT_EQ(CountRows("t"), 0);
  // The connection is usable again afterwards.
  ASSERT_TRUE(InsertId(5).ok());
  EXPECT_EQ(CountRows("t"), 1);
}

TEST_F(PostgresConnectionTest, PreparesAgainAfterTheTableChangesShape) {
  Script("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)");
  ASSERT_TRUE(conn_->Query("SELECT * FROM t").ok());
  Script("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'");
  auto rows = conn_->Query("SELECT * FROM t");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"a", "b"}));
}

// Ends this connection's server process from a second connection.
void KillBackend(Connection& victim) {
  auto pid = victim.Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  auto other = OpenPostgres(TestUrl());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  // Waits (up to 5 s) for the backend to exit: its socket is closed from then on.
  auto killed = (*other)->Query("SELECT pg_terminate_backend(?::int4, 5000)", pid->rows.at(0));
  ASSERT_TRUE(killed.ok()) << killed.status().ToString();
  ASSERT_EQ(killed->rows.at(0).at(0), Value(std::int64_t{1}));
}

// A session the server ended (a restart, pg_terminate_backend) has its socket closed: between
// transactions the next call notices, reconnects and runs, rather than failing once on the dead
// session (after an outage, every pooled connection would fail a request that way).
TEST_F(PostgresConnectionTest, ReconnectsWhenTheConnectionDiesBetweenTransactions) {
  ASSERT_TRUE(conn_->Query("SELECT ?::int8", std::vector<Value>{std::int64_t{1}}).ok());
  auto before = conn_->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(before.ok());
  KillBackend(*conn_);
  auto after = conn_->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_NE(after->rows.at(0).at(0), before->rows.at(0).at(0));  // a new session
  // Its statements are prepared afresh.
  auto rows = conn_->Query("SELECT ?::int8", std::vector<Value>{std::int64_t{1}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows.at(0).at(0), Value(std::int64_t{1}));
}

std::string PlanCacheMode(Connection& conn) {
  auto rows = conn.Query("SHOW plan_cache_mode");
  return rows.ok() && !rows->empty() ? std::get<std::string>(rows->rows[0][0]) : "";
}

TEST_F(PostgresConnectionTest, SetsThePlanCacheModeAlsoAfterAReconnect) {
  Script("SET plan_cache_mode = force_custom_plan");
  KillBackend(*conn_);
  EXPECT_EQ(PlanCacheMode(*conn_), "auto");
}

// Point reads keep one cached plan (planning them costs more than running them); a statement
// whose plan depends on its values runs unnamed, planned with them every time.
TEST_F(PostgresConnectionTest, CachesPlansUnlessAskedToPlanWithTheValues) {
  Script("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a')");
  auto prepared = [&](const std::string& like) {
    auto rows = conn_->Query(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?",
        std::vector<Value>{like});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->rows : std::vector<std::vector<Value>>{};
  };
  for (int run = 0; run < 10; ++run) {
    auto rows = conn_->Query("SELECT v FROM t WHERE id = ?", std::vector<Value>{std::int64_t{1}});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows->rows.at(0).at(0), Value(std::string("a")));
    auto valued = conn_->QueryPlannedWithValues("SELECT v FROM t WHERE id <> ?",
                                                std::vector<Value>{std::int64_t{1}});
    ASSERT_TRUE(valued.ok()) << valued.status().ToString();
    EXPECT_TRUE(valued->empty());
  }
  auto point = prepared("SELECT v FROM t WHERE id = %");
  ASSERT_EQ(point.size(), 1u);
  EXPECT_GT(AsInt(point[0][0]), 0) << "the point read settled on its generic plan";
  EXPECT_TRUE(prepared("SELECT v FROM t WHERE id <> %").empty()) << "never prepared";
  // Held back with it, a statement planned with its values still runs unnamed.
  ASSERT_TRUE(conn_->Begin().ok());
  auto valued = conn_->QueryPlannedWithValues("SELECT count(*) FROM t WHERE id <> ?",
                                              std::vector<Value>{std::int64_t{2}});
  ASSERT_TRUE(valued.ok()) << valued.status().ToString();
  EXPECT_EQ(valued->rows.at(0).at(0), Value(std::int64_t{1}));
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_TRUE(prepared("SELECT count(*) FROM t WHERE id <> %").empty());
}

// Behind a transaction-mode pooler (gatehouse_pooler=transaction): no named statement and no
// session setting is left in the server session, and parameters still bind.
TEST(PostgresTargetTest, TakesOutGatehouseParameters) {
  auto plain = ParsePostgresTarget("postgresql://u@h:5432/db?connect_timeout=2");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->libpq_url, "postgresql://u@h:5432/db?connect_timeout=2");
  EXPECT_FALSE(plain->transaction_pooler);
  auto pooled = ParsePostgresTarget(
      "postgresql://u@h:6432/db?connect_timeout=2&gatehouse_pooler=transaction&sslmode=disable");
  ASSERT_TRUE(pooled.ok());
  EXPECT_EQ(pooled->libpq_url, "postgresql://u@h:6432/db?connect_timeout=2&sslmode=disable");
  EXPECT_TRUE(pooled->transaction_pooler);
  auto only = ParsePostgresTarget("postgres://h/db?gatehouse_pooler=transaction");
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(only->libpq_url, "postgres://h/db");
  auto none = ParsePostgresTarget("postgres://h/db?gatehouse_pooler=none");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->transaction_pooler);
  EXPECT_EQ(ParsePostgresTarget("postgres://h/db?gatehouse_pooler=session").status().code(),
            Code::kInvalidArgument);
  auto keywords = ParsePostgresTarget("host=h dbname=db");
  ASSERT_TRUE(keywords.ok());
  EXPECT_EQ(keywords->libpq_url, "host=h dbname=db");
}

TEST_F(PostgresConnectionTest, BehindATransactionPoolerUsesUnnamedStatementsOnly) {
  const std::string url = TestUrl();
  auto pooled = OpenPostgres(url + (url.find('?') == std::string::npos ? "?" : "&") +
                             "gatehouse_pooler=transaction");
  ASSERT_TRUE(pooled.ok()) << pooled.status().ToString();
  for (std::int64_t i = 0; i < 3; ++i) {
    auto rows = (*pooled)->Query("SELECT ?::int8 * 2", std::vector<Value>{i});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows->rows.at(0).at(0), Value(i * 2));
  }
  auto prepared = (*pooled)->Query("SELECT count(*) FROM pg_prepared_statements");
  ASSERT_TRUE(prepared.ok());
  EXPECT_EQ(prepared->rows.at(0).at(0), Value(std::int64_t{0}));
  EXPECT_EQ(PlanCacheMode(**pooled), "auto");  // no session setting made
  ASSERT_TRUE((*pooled)->Begin().ok());
  ASSERT_TRUE((*pooled)->Query("SELECT ?::text", std::vector<Value>{std::string("x")}).ok());
  ASSERT_TRUE((*pooled)->Commit().ok());
}

TEST_F(PostgresConnectionTest, ConnectionLostInsideATransactionFailsUntilRollback) {
  Script("CREATE TABLE t (id BIGINT)");
  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(conn_->Execute("INSERT INTO t VALUES (1)").ok());
  KillBackend(*conn_);
  EXPECT_EQ(conn_->Execute("INSERT INTO t VALUES (2)").status().code(), Code::kUnavailable);
  EXPECT_EQ(conn_->Execute("INSERT INTO t VALUES (3)").status().code(), Code::kUnavailable)
      << "must not reconnect and run the rest of the transaction outside it";
  EXPECT_EQ(conn_->Commit().code(), Code::kUnavailable);
  EXPECT_TRUE(conn_->Rollback().ok());
  UseSchema();  // a new session starts with the default search_path
  EXPECT_EQ(CountRows("t"), 0);
}

// ---- Statements held back (Begin, Defer) and sent in one round trip ----

// What another session sees of `pid`'s backend: its state ("idle", "idle in transaction", ...)
// and whether it holds advisory lock `key` (taken by a statement only once that statement ran).
class Observer {
 public:
  explicit Observer(std::int64_t pid) : pid_(pid) {
    auto other = OpenPostgres(TestUrl());
    EXPECT_TRUE(other.ok()) << other.status().ToString();
    if (other.ok()) conn_ = std::move(other).value();
  }
  std::string State() {
    auto rows = conn_->Query("SELECT state FROM pg_stat_activity WHERE pid = ?::int4",
                             std::vector<Value>{pid_});
    return rows.ok() && !rows->empty() ? AsText(rows->rows[0][0]) : "?";
  }
  bool HoldsLock(std::int64_t key) {
    auto rows = conn_->Query(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = ?::int4 AND "
        "objid = ?::int8",
        std::vector<Value>{pid_, key});
    return rows.ok() && AsInt(rows->rows.at(0).at(0)) > 0;
  }

 private:
  std::int64_t pid_;
  std::unique_ptr<Connection> conn_;
};

std::int64_t BackendPid(Connection& conn) {
  auto pid = conn.Query("SELECT pg_backend_pid()");
  return pid.ok() ? AsInt(pid->rows.at(0).at(0)) : 0;
}

TEST_F(PostgresConnectionTest, HoldsBackBeginAndDeferredStatementsUntilTheNextAnswer) {
  Observer observer(BackendPid(*conn_));
  const std::string kLock = "SELECT pg_advisory_xact_lock(?::int8)";
  ASSERT_TRUE(conn_->Begin().ok());
  EXPECT_EQ(observer.State(), "idle") << "BEGIN travels with the first statement";
  ASSERT_TRUE(conn_->Defer(kLock, std::vector<Value>{std::int64_t{4242}}).ok());
  EXPECT_FALSE(observer.HoldsLock(4242)) << "a deferred statement waits for the next one";
  auto rows = conn_->Query("SELECT ?::int8 + 1", std::vector<Value>{std::int64_t{1}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows.at(0).at(0), Value(std::int64_t{2})) << "the answer is the last one's";
  EXPECT_TRUE(observer.HoldsLock(4242));
  EXPECT_EQ(observer.State(), "idle in transaction");
  ASSERT_TRUE(conn_->Defer(kLock, std::vector<Value>{std::int64_t{4343}}).ok());
  EXPECT_FALSE(observer.HoldsLock(4343));
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_FALSE(observer.HoldsLock(4242));
  EXPECT_EQ(observer.State(), "idle");
}

TEST_F(PostgresConnectionTest, DeferredWritesCommitAndAreSeenByTheTransaction) {
  CreateIds();
  ASSERT_TRUE(conn_->Begin().ok());
  for (std::int64_t i = 1; i <= 3; ++i) {
    ASSERT_TRUE(DeferId(i).ok());
  }
  EXPECT_EQ(CountRows("t"), 3) << "held-back writes go before the statement that reads";
  ASSERT_TRUE(DeferId(4).ok());
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(CountRows("t"), 4);
  // More than fit in one pipeline are sent in several, in order.
  ASSERT_TRUE(conn_->Begin().ok());
  for (std::int64_t i = 100; i < 300; ++i) {
    ASSERT_TRUE(DeferId(i).ok());
  }
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(CountRows("t"), 204);
  // Outside a transaction a deferred statement runs at once.
  ASSERT_TRUE(DeferId(5).ok());
  Observer observer(BackendPid(*conn_));
  EXPECT_EQ(observer.State(), "idle");
  EXPECT_EQ(CountRows("t"), 205);
}

TEST_F(PostgresConnectionTest, ADeferredFailureComesBackFromCommitAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(BeginWithADeferredDuplicate());
  ASSERT_TRUE(DeferId(2).ok());
  base::Status commit = conn_->Commit();
  EXPECT_EQ(commit.code(), Code::kAlreadyExists) << commit.ToString();
  ExpectClean(commit, {"INSERT"});
  EXPECT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(CountRows("t"), 0);
  // The connection is usable again afterwards.
  ASSERT_TRUE(InsertId(5).ok());
  EXPECT_EQ(CountRows("t"), 1);
}

TEST_F(PostgresConnectionTest, ADeferredFailureComesBackFromTheNextStatement) {
  ASSERT_NO_FATAL_FAILURE(BeginWithADeferredDuplicate());
  auto rows = conn_->Query("SELECT count(*) FROM t");
  EXPECT_EQ(rows.status().code(), Code::kAlreadyExists);
  EXPECT_FALSE(conn_->Commit().ok()) << "the transaction failed";
  EXPECT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(CountRows("t"), 0);
}

TEST_F(PostgresConnectionTest, RollbackDropsWhatWasHeldBack) {
  CreateIds();
  Observer observer(BackendPid(*conn_));
  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(DeferId(1).ok());
  ASSERT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(observer.State(), "idle");
  EXPECT_EQ(CountRows("t"), 0);
  // A transaction that ran nothing commits nothing, and the connection goes on.
  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(CountRows("t"), 0);
}

TEST_F(PostgresConnectionTest, AScriptInATransactionRunsAfterWhatWasHeldBack) {
  CreateIds();
  ASSERT_TRUE(conn_->Begin().ok());
  ASSERT_TRUE(DeferId(1).ok());
  ASSERT_TRUE(conn_->ExecuteScript("INSERT INTO t SELECT id + 1 FROM t").ok());
  ASSERT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(CountRows("t"), 0) << "the script ran inside the transaction";
}

}  // namespace
}  // namespace gatehouse::storage::sql
