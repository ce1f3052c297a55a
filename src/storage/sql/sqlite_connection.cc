// SQLite driver. Statements are prepared once per distinct SQL text and reset after each use;
// parameters are bound by index, never formatted into the text.
#include "storage/sql/sqlite_connection.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <unordered_map>

namespace gatehouse::storage::sql {
namespace {

using base::Code;
using base::Result;
using base::Status;

Status ErrorFrom(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  Code code = Code::kInternal;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    code = Code::kAlreadyExists;
  } else if (primary == SQLITE_CONSTRAINT) {
    code = Code::kConflict;
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN) {
    code = Code::kUnavailable;
  }
  std::string message = "sqlite: " + std::string(what) + ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status::Error(code, std::move(message));
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      Status status = ErrorFrom(db_, rc, "script");
      sqlite3_free(error);
      return status;
    }
    return Status::Ok();
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    Rows rows;
    Status status = Run(sql, params, &rows);
    if (!status.ok()) return status;
    return rows;
  }

  Result<std::int64_t> Execute(std::string_view sql, std::span<const Value> params) override {
    Status status = Run(sql, params, nullptr);
    if (!status.ok()) return status;
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Status::Ok();  // nothing open (e.g. auto-rolled back)
    return ExecuteScript("ROLLBACK");
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "prepare");
    if (stmt == nullptr) return Status::Internal("sqlite: empty statement");
    if (cache_.size() > 512) {  // bounded: dynamic filters produce many texts
      for (auto& [text, old] : cache_) sqlite3_finalize(old);
      cache_.clear();
    }
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, std::span<const Value> params) {
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Status::Internal("sqlite: parameter count mismatch");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& value = params[i];
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&value)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "bind");
    }
    return Status::Ok();
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_NULL:
        return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
  }

  Status Run(std::string_view sql, std::span<const Value> params, Rows* rows) {
    Result<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    Status status = Bind(stmt, params);
    if (status.ok()) {
      const int columns = sqlite3_column_count(stmt);
      if (rows != nullptr) {
        rows->columns.clear();
        for (int i = 0; i < columns; ++i) rows->columns.emplace_back(sqlite3_column_name(stmt, i));
      }
      for (;;) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) {
          status = ErrorFrom(db_, rc, "step");
          break;
        }
        if (rows == nullptr) continue;
        std::vector<Value>& row = rows->rows.emplace_back();
        row.reserve(static_cast<std::size_t>(columns));
        for (int i = 0; i < columns; ++i) row.push_back(Column(stmt, i));
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return status;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// The file a plain path or a "file:PATH?query" URI names (for the existence check).
std::string SqlitePathOf(const std::string& name) {
  if (name.rfind("file:", 0) != 0) return name;
  std::string path = name.substr(5);
  return path.substr(0, path.find_first_of("?#"));
}

}  // namespace

base::Result<std::unique_ptr<Connection>> OpenSqlite(std::string_view path, IfMissing if_missing,
                                                     SqliteSync sync) {
  sqlite3* db = nullptr;
  std::string file(path);
  // SQLITE_OPEN_URI: "file:PATH?mode=ro" opens a database read-only (serving reads, with
  // /readyz reporting that writes fail); a plain path is unaffected.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  if (if_missing == IfMissing::kCreate) {
    flags |= SQLITE_OPEN_CREATE;
  } else if (std::error_code ec; !std::filesystem::exists(SqlitePathOf(file), ec)) {
    // Checked first for a clear reason; without SQLITE_OPEN_CREATE the open below cannot create
    // the file either, should it vanish in between.
    return Status::Error(
        Code::kNotFound,
        "no database file at '" + file + "' (only init, demo and migrate create one; check --db)");
  }
  int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = Status::Error(
        Code::kUnavailable, "sqlite: cannot open database '" + file + "': " + sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  auto connection = std::make_unique<SqliteConnection>(db);
  Status status = connection->ExecuteScript(
      std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
      (sync == SqliteSync::kFull ? "FULL" : "NORMAL") +
      "; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;");
  if (!status.ok()) return Status::Error(Code::kUnavailable, status.message());
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace gatehouse::storage::sql
