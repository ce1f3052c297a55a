#include "storage/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "storage/sql/pool.h"

extern char** environ;

namespace gatehouse::storage {
namespace {

using base::Code;
using base::Status;

// The first bytes of the two kinds of backup, to refuse the wrong file with a clear reason.
constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};
constexpr std::string_view kPgDumpMagic = "PGDMP";

bool FileStartsWith(const std::string& path, std::string_view magic) {
  std::ifstream in(path, std::ios::binary);
  std::string head(magic.size(), '\0');
  return in.read(head.data(), static_cast<std::streamsize>(head.size())) && head == magic;
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

base::Result<SqliteHandle> OpenSqliteFile(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_URI, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return Status::Error(Code::kUnavailable,
                         "sqlite: cannot open '" + path + "': " + sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(db.get(), 10000);
  return db;
}

// The first column of the first row of `sql`, as text ("" when there is no row).
base::Result<std::string> SqliteScalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::Error(Code::kInvalidArgument, sqlite3_errmsg(db));
  }
  std::string value;
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return Status::Error(Code::kUnavailable, sqlite3_errstr(rc));
  }
  return value;
}

// Copies every page of `from` into `to` in one step, i.e. inside one read transaction of `from`:
// the copy is the database as of one commit, while WAL mode lets writers go on.
Status CopySqlite(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Status::Error(Code::kUnavailable, sqlite3_errmsg(to));
  const int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status::Error(Code::kUnavailable, std::string("sqlite backup: ") + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

// Renames `partial` to `final_path` and syncs the directory, so that the finished backup (and only
// a finished one) survives a crash under its name.
Status Publish(const std::string& partial, const std::string& final_path) {
  std::error_code ec;
  std::filesystem::rename(partial, final_path, ec);
  if (ec) return Status::Error(Code::kUnavailable, "cannot rename the backup: " + ec.message());
  std::string dir = std::filesystem::absolute(final_path).parent_path().string();
  if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return Status::Ok();
}

// The file a plain path or a "file:PATH?query" URI names.
std::string FileOf(const std::string& name) {
  if (!name.starts_with("file:")) return name;
  const std::string path = name.substr(5);
  return path.substr(0, path.find_first_of("?#"));
}

Status BackupSqlite(const std::string& path, const std::string& to_file) {
  std::error_code ec;
  if (!std::filesystem::exists(FileOf(path), ec)) {
    return Status::Error(Code::kNotFound, "no database file at '" + path + "'");
  }
  GH_ASSIGN_OR_RETURN(SqliteHandle from, OpenSqliteFile(path, SQLITE_OPEN_READONLY));
  const std::string partial = to_file + ".partial";
  std::filesystem::remove(partial, ec);
  {
    GH_ASSIGN_OR_RETURN(SqliteHandle to,
                        OpenSqliteFile(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    Status copied = CopySqlite(from.get(), to.get());
    if (copied.ok()) {
      // The backup is one self-contained file: no -wal beside it once closed.
      copied = SqliteScalar(to.get(), "PRAGMA journal_mode=DELETE").status();
    }
    if (!copied.ok()) {
      to.reset();
      std::filesystem::remove(partial, ec);
      return copied;
    }
  }
  return Publish(partial, to_file);
}

// A SQLite file made by `gatehouse backup`: intact, with Gatehouse's schema table.
Status CheckSqliteBackup(const std::string& from_file, sqlite3* db) {
  const std::string not_ours = "'" + from_file + "' is not a Gatehouse SQLite backup: ";
  base::Result<std::string> check = SqliteScalar(db, "PRAGMA quick_check");
  if (!check.ok() || *check != "ok") {
    return Status::InvalidField("from", "Invalid",
                                not_ours + (check.ok() ? *check : check.status().message()));
  }
  base::Result<std::string> version =
      SqliteScalar(db, "SELECT MAX(version) FROM schema_migrations");
  if (!version.ok() || version->empty()) {
    return Status::InvalidField("from", "Invalid", not_ours + "it has no schema_migrations table");
  }
  return Status::Ok();
}

// The number of accounts in the database `connection` is on (0 when it has no schema yet).
base::Result<std::int64_t> CountAccounts(sql::Connection& connection) {
  const char* exists = connection.dialect() == sql::Dialect::kSqlite
                           ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                             "name = 'accounts'"
                           : "SELECT COUNT(*) FROM pg_tables WHERE schemaname = "
                             "current_schema() AND tablename = 'accounts'";
  GH_ASSIGN_OR_RETURN(sql::Rows tables, connection.Query(exists));
  if (tables.rows.empty() || sql::AsInt(tables.rows[0][0]) == 0) return std::int64_t{0};
  GH_ASSIGN_OR_RETURN(sql::Rows accounts, connection.Query("SELECT COUNT(*) FROM accounts"));
  return accounts.rows.empty() ? 0 : sql::AsInt(accounts.rows[0][0]);
}

Status RefuseNonEmpty(std::string_view db_url, bool force) {
  if (force) return Status::Ok();
  GH_ASSIGN_OR_RETURN(std::unique_ptr<sql::ConnectionPool> pool,
                      sql::OpenPool(db_url, 1, sql::IfMissing::kCreate));
  sql::PooledConnection connection = pool->Acquire();
  GH_ASSIGN_OR_RETURN(std::int64_t accounts, CountAccounts(*connection));
  if (accounts > 0) {
    return Status::Error(Code::kFailedPrecondition, "the database already holds " +
                                                        std::to_string(accounts) +
                                                        " account(s); pass --force to replace it");
  }
  return Status::Ok();
}

Status RestoreSqlite(const std::string& from_file, const std::string& path, bool force) {
  GH_ASSIGN_OR_RETURN(SqliteHandle from, OpenSqliteFile(from_file, SQLITE_OPEN_READONLY));
  GH_RETURN_IF_ERROR(CheckSqliteBackup(from_file, from.get()));
  std::error_code ec;
  if (std::filesystem::exists(FileOf(path), ec)) {
    GH_RETURN_IF_ERROR(RefuseNonEmpty("sqlite:" + path, force));
  }
  GH_ASSIGN_OR_RETURN(SqliteHandle to,
                      OpenSqliteFile(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  GH_RETURN_IF_ERROR(CopySqlite(from.get(), to.get()));
  // Back to the mode every server connection sets (sqlite_connection.cc).
  return SqliteScalar(to.get(), "PRAGMA journal_mode=WAL").status();
}

// Runs `argv` (found on PATH) and waits for it; its standard error goes to a temporary file whose
// first line becomes the reason when it fails.
Status RunProgram(const std::vector<std::string>& argv) {
  char error_path[] = "/tmp/gatehouse-backup-XXXXXX";
  const int error_fd = ::mkstemp(error_path);
  if (error_fd < 0) return Status::Error(Code::kInternal, "cannot create a temporary file");
  ::unlink(error_path);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, error_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ::close(error_fd);
    return Status::Error(Code::kUnavailable,
                         argv[0] + " not found: install Debian's postgresql-client");
  }
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  std::string first_line;
  ::lseek(error_fd, 0, SEEK_SET);
  char buffer[512];
  const ssize_t got = ::read(error_fd, buffer, sizeof buffer);
  ::close(error_fd);
  if (got > 0) first_line.assign(buffer, static_cast<std::size_t>(got));
  first_line = first_line.substr(0, first_line.find('\n'));
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
  return Status::Error(Code::kUnavailable,
                       argv[0] + " failed" + (first_line.empty() ? "" : ": " + first_line));
}

Status BackupPostgres(const std::string& url, const std::string& to_file) {
  const std::string partial = to_file + ".partial";
  std::error_code ec;
  std::filesystem::remove(partial, ec);
  Status dumped = RunProgram({"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                              "--file=" + partial, "--dbname=" + url});
  if (!dumped.ok()) {
    std::filesystem::remove(partial, ec);
    return dumped;
  }
  return Publish(partial, to_file);
}

Status RestorePostgres(const std::string& from_file, const std::string& url, bool force) {
  GH_RETURN_IF_ERROR(RefuseNonEmpty(url, force));
  return RunProgram({"pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--exit-on-error", "--single-transaction", "--dbname=" + url, from_file});
}

}  // namespace

Status BackupDatabase(std::string_view db_url, const std::string& to_file) {
  GH_ASSIGN_OR_RETURN(sql::DatabaseUrl url, sql::ParseDatabaseUrl(db_url));
  std::error_code ec;
  if (std::filesystem::exists(to_file, ec)) {
    return Status::Error(Code::kAlreadyExists,
                         "'" + to_file + "' exists; a backup never overwrites a file");
  }
  return url.dialect == sql::Dialect::kSqlite ? BackupSqlite(url.target, to_file)
                                              : BackupPostgres(url.target, to_file);
}

Status RestoreDatabase(const std::string& from_file, std::string_view db_url, bool force) {
  GH_ASSIGN_OR_RETURN(sql::DatabaseUrl url, sql::ParseDatabaseUrl(db_url));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(from_file, ec)) {
    return Status::InvalidField("from", "NotFound", "no backup file at '" + from_file + "'");
  }
  const bool sqlite = url.dialect == sql::Dialect::kSqlite;
  // A backup restores only into the kind of database it came from; say which kind it is.
  if (!FileStartsWith(from_file, sqlite ? kSqliteMagic : kPgDumpMagic)) {
    return Status::InvalidField(
        "from", "Invalid",
        "'" + from_file +
            (sqlite ? "' is not a SQLite backup (a pg_dump archive restores into a postgresql:// "
                      "database)"
                    : "' is not a pg_dump archive (a SQLite backup restores into a sqlite: "
                      "database)"));
  }
  return sqlite ? RestoreSqlite(from_file, url.target, force)
                : RestorePostgres(from_file, url.target, force);
}

}  // namespace gatehouse::storage
