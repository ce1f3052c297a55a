// A small thread-safe pool of Connections to one database, and opening one from a URL.
//
// URLs: "sqlite:PATH" (PATH may be relative, ":memory:" is refused because every pooled
// connection would see a different database) or "postgresql://..." / "postgres://..." (handed to
// the PostgreSQL driver as is). The pool is bounded: it opens its connections up front and
// never more. Acquire() waits while every connection is lent out, at most the pool's acquire
// timeout; then it lends a stand-in whose every call fails with kUnavailable (503 with
// Retry-After to a client) rather than letting requests queue without end while the database is
// slow or away. The lease returns its connection on destruction. A connection whose transaction
// was left open by a failed caller is rolled back before it is lent again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage::sql {

class ConnectionPool;

// RAII loan of one connection. Movable, not copyable.
class PooledConnection {
 public:
  PooledConnection() = default;
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  ~PooledConnection();

  Connection* get() const { return connection_.get(); }
  Connection* operator->() const { return connection_.get(); }
  Connection& operator*() const { return *connection_; }

 private:
  ConnectionPool* pool_ = nullptr;
  std::unique_ptr<Connection> connection_;
};

class ConnectionPool {
 public:
  static constexpr std::chrono::milliseconds kDefaultAcquireTimeout{10'000};

  // Takes ownership of `connections` (at least one, all to the same database and dialect).
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections,
                          std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Lends a connection, waiting for one to come back when all are in use; after the acquire
  // timeout, a stand-in that fails every call with kUnavailable (see above). Thread-safe.
  PooledConnection Acquire();
  // How many Acquire() calls timed out (for logs and tests).
  std::uint64_t timeouts() const;

  Dialect dialect() const { return dialect_; }
  std::size_t size() const { return size_; }

 private:
  friend class PooledConnection;
  void Release(std::unique_ptr<Connection> connection);

  Dialect dialect_;
  std::size_t size_;
  std::chrono::milliseconds acquire_timeout_;
  std::uint64_t timeouts_ = 0;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// Parsed form of a database URL.
struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string target{};  // SQLite file path, or the PostgreSQL URL as given
};

// Parses "sqlite:PATH" or "postgresql://..."/"postgres://...". kInvalidArgument otherwise.
base::Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// Opens `size` (>= 1) connections to `url`; a missing SQLite file is created only when
// `if_missing` is kCreate. Errors: kInvalidArgument for a bad URL, kNotFound for a missing
// SQLite file that is not to be created, kUnavailable when the database cannot be opened (or
// PostgreSQL support is not built).
// `sync` applies to SQLite; kFull with a PostgreSQL URL is kInvalidArgument.
base::Result<std::unique_ptr<ConnectionPool>> OpenPool(std::string_view url, int size,
                                                       IfMissing if_missing = IfMissing::kCreate,
                                                       SqliteSync sync = SqliteSync::kNormal);

}  // namespace gatehouse::storage::sql
