// A database connection, the one seam between the store and an engine (SQLite or PostgreSQL).
//
// SQL is written once, in the portable subset both engines accept, with `?` placeholders; the
// PostgreSQL driver rewrites them to $1..$n. Values are bound, never spliced into the text.
// Booleans are stored as integers 0/1 in both engines. A Connection is used by one thread at a
// time (take it from a ConnectionPool); drivers cache prepared statements by SQL text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace gatehouse::storage::sql {

enum class Dialect { kSqlite, kPostgres };

// What opening a database that does not exist does. Only an embedded engine (SQLite) can create
// one; a PostgreSQL database always has to exist. Commands that only read or serve a database
// refuse a missing file rather than start on a new empty one (a typo in --db would otherwise
// serve, or verify, nothing and succeed).
enum class IfMissing { kCreate, kRefuse };

// When a SQLite commit reaches the disk (PRAGMA synchronous in WAL mode). kNormal: a commit
// survives a crash of the process, but a power loss or OS crash may drop the last commits (the
// WAL is synced at checkpoints). kFull: the WAL is synced at every commit, so a commit survives a
// power loss too, at a cost in write rate (bench/README.md "SQLite durability"). PostgreSQL
// follows its own synchronous_commit; only kNormal is accepted with it.
enum class SqliteSync { kNormal, kFull };

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;  // monostate = NULL

// A materialized result. Text columns come back as std::string, integers as int64, NULL as
// monostate, whatever the engine's native representation.
struct Rows {
  std::vector<std::string> columns{};
  std::vector<std::vector<Value>> rows{};

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

// Accessors that treat a NULL or a type mismatch as the given default.
std::int64_t AsInt(const Value& value, std::int64_t if_null = 0);
double AsDouble(const Value& value, double if_null = 0);
std::string AsText(const Value& value, std::string_view if_null = "");
bool IsNull(const Value& value);

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters (DDL, migrations).
  virtual base::Status ExecuteScript(std::string_view sql) = 0;
  // Runs one statement; returns its rows (empty for statements that return none). The engine may
  // plan it once and reuse the plan for other values (PostgreSQL does, for prepared statements
  // it finds no worse that way): right for point reads and writes, whose plans do not depend on
  // the values.
  virtual base::Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Query for a statement whose best plan depends on its values (a permission-filtered page or
  // count: which users an IN list names, how far a LIMIT reaches): planned with them every run.
  virtual base::Result<Rows> QueryPlannedWithValues(std::string_view sql,
                                                    std::span<const Value> params = {}) {
    return Query(sql, params);
  }
  // Runs one statement; returns the number of rows it changed.
  virtual base::Result<std::int64_t> Execute(std::string_view sql,
                                             std::span<const Value> params = {}) = 0;

  // Runs one statement inside the open transaction whose answer the caller does not need
  // before the transaction ends (its success is all that matters). An engine across a network
  // may hold it back and send it with the next statement that needs an answer, or with COMMIT,
  // in one round trip: its error then comes back from that later call (Query, Execute, Commit),
  // and the transaction fails as a whole either way. Outside a transaction, or for an embedded
  // engine, it runs at once.
  virtual base::Status Defer(std::string_view sql, std::span<const Value> params = {}) {
    return Execute(sql, params).status();
  }

  virtual base::Status Begin() = 0;
  virtual base::Status Commit() = 0;
  virtual base::Status Rollback() = 0;
};

// Errors: a unique-key violation maps to Code::kAlreadyExists, a foreign-key or check violation
// to kConflict, an unreachable server to kUnavailable, anything else to kInternal. The message
// never carries SQL text or bound values (it may reach a client through a bug).

}  // namespace gatehouse::storage::sql
