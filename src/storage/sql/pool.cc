// Connection pool and URL parsing. The pool hands out whole connections (no sharing), so a
// transaction always runs on the one connection that began it.
#include "storage/sql/pool.h"

#include "storage/sql/sqlite_connection.h"
#if GATEHOUSE_HAVE_POSTGRES
#include "storage/sql/postgres_connection.h"
#endif

namespace gatehouse::storage::sql {

using base::Code;
using base::Result;
using base::Status;

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    if (pool_ != nullptr && connection_ != nullptr) pool_->Release(std::move(connection_));
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
    other.pool_ = nullptr;
  }
  return *this;
}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Release(std::move(connection_));
}

namespace {

// Lent when no connection came back in time: every call fails, nothing reaches a database.
class BusyConnection final : public Connection {
 public:
  BusyConnection(Dialect dialect, std::size_t pool_size, std::chrono::milliseconds waited)
      : dialect_(dialect),
        why_(Status::Error(Code::kUnavailable, "all " + std::to_string(pool_size) +
                                                   " database connections stayed busy for " +
                                                   std::to_string(waited.count()) + " ms")) {}
  Dialect dialect() const override { return dialect_; }
  Status ExecuteScript(std::string_view) override { return why_; }
  Result<Rows> Query(std::string_view, std::span<const Value>) override { return why_; }
  Result<std::int64_t> Execute(std::string_view, std::span<const Value>) override { return why_; }
  Status Begin() override { return why_; }
  Status Commit() override { return why_; }
  Status Rollback() override { return Status::Ok(); }  // nothing was begun

 private:
  Dialect dialect_;
  Status why_;
};

}  // namespace

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> connections,
                               std::chrono::milliseconds acquire_timeout)
    : dialect_(connections.empty() ? Dialect::kSqlite : connections.front()->dialect()),
      size_(connections.size()),
      acquire_timeout_(acquire_timeout),
      idle_(std::move(connections)) {
  assert(size_ > 0 && "a pool needs at least one connection");
}

PooledConnection ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, acquire_timeout_, [this] { return !idle_.empty(); })) {
    ++timeouts_;
    // Not the pool's: the lease drops it instead of returning it.
    return PooledConnection(nullptr,
                            std::make_unique<BusyConnection>(dialect_, size_, acquire_timeout_));
  }
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return PooledConnection(this, std::move(connection));
}

std::uint64_t ConnectionPool::timeouts() const {
  std::lock_guard lock(mutex_);
  return timeouts_;
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  // A caller that returned early may have left a transaction open; never lend it on.
  (void)connection->Rollback();
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite://PATH is accepted too
    if (path.empty()) return Status::Invalid("database URL 'sqlite:' needs a file path");
    if (path == ":memory:") {
      return Status::Invalid("sqlite::memory: is not supported: pooled connections need a file");
    }
    return DatabaseUrl{Dialect::kSqlite, std::string(path)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return DatabaseUrl{Dialect::kPostgres, std::string(url)};
  }
  return Status::Invalid("unsupported database URL (expected sqlite:PATH or postgresql://...)");
}

Result<std::unique_ptr<ConnectionPool>> OpenPool(std::string_view url, int size,
                                                 IfMissing if_missing, SqliteSync sync) {
  GH_ASSIGN_OR_RETURN(DatabaseUrl parsed, ParseDatabaseUrl(url));
  if (sync != SqliteSync::kNormal && parsed.dialect != Dialect::kSqlite) {
    return Status::InvalidField("sqlite_synchronous", "Invalid",
                                "applies to sqlite: databases only (PostgreSQL follows its own "
                                "synchronous_commit)");
  }
  if (size < 1) size = 1;
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < size; ++i) {
    Result<std::unique_ptr<Connection>> connection =
        Status::Error(Code::kUnavailable, "PostgreSQL support not built");
    if (parsed.dialect == Dialect::kSqlite) {
      // Only the first connection may create the file; the others find it.
      connection = OpenSqlite(parsed.target, i == 0 ? if_missing : IfMissing::kRefuse, sync);
    } else {
#if GATEHOUSE_HAVE_POSTGRES
      connection = OpenPostgres(parsed.target);
#endif
    }
    if (!connection.ok()) return connection.status();
    connections.push_back(std::move(connection).value());
  }
  return std::make_unique<ConnectionPool>(std::move(connections));
}

}  // namespace gatehouse::storage::sql
