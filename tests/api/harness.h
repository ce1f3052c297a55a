// The black-box API harness: a fresh database seeded through the Store, the real `gatehouse`
// binary serving it on a free loopback port, and a small blocking HTTP/1.1 client.
//
// Every suite runs once per engine (SQLite, PostgreSQL). PostgreSQL needs GATEHOUSE_TEST_PG_URL
// (scripts/test.sh starts a private cluster); without it the PostgreSQL instance skips, except
// under CI=true where it fails, so CI can never pass by skipping an engine.
//
// Nothing here touches the network beyond 127.0.0.1. Every wait is bounded in time: server
// start (readiness on /healthz), stop (SIGTERM, then SIGKILL) and each socket read.
//
// Thread-safety: none; a test uses these objects from its own thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::apitest {

using nlohmann::json;

enum class Engine { kSqlite, kPostgres };

const char* EngineName(Engine engine);  // "Sqlite", "Postgres" (test-name friendly)
inline void PrintTo(Engine engine, std::ostream* os) { *os << EngineName(engine); }
std::string TestPostgresUrl();  // GATEHOUSE_TEST_PG_URL or ""
bool InCi();                    // CI=true

// The password every seeded user gets, and its Argon2id hash, computed once per process.
inline constexpr char kPassword[] = "Quartz-Lantern-Harbor-71";
const std::string& PasswordHash();

// A private temp directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One fresh database: sqlite:<dir>/gh.db, or a uniquely named PostgreSQL database in the test
// cluster, dropped (WITH FORCE) on destruction.
class Database {
 public:
  static base::Result<std::unique_ptr<Database>> Create(Engine engine, const std::string& dir);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  const std::string& url() const { return url_; }

 private:
  Database(Engine engine, std::string url, std::string name)
      : engine_(engine), url_(std::move(url)), name_(std::move(name)) {}
  Engine engine_;
  std::string url_;
  std::string name_;  // PostgreSQL database name
};

// ---- HTTP client ----

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
  int status = 0;  // 0: transport failure (see error)
  std::string error{};
  Headers headers{};  // names lower-case, in order
  std::string body{};
  json body_json{};  // parsed body when it is JSON, else null
  bool is_json = false;

  // First value of header `name` (case-insensitive), "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // "HTTP 404 application/problem+json {...}" (body cut at 600 bytes), for failure messages.
  std::string Describe() const;
};

// A blocking HTTP/1.1 client over one kept-alive loopback connection. Remembers cookies set by
// the server and sends them back; default headers (e.g. Authorization) go on every request.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&& other) noexcept;

  // Sends one request; X-CSRF-Token (when set) goes on every non-GET/HEAD request unless
  // `headers` name one. Host is 127.0.0.1:PORT unless `headers` name one; a name repeated in
  // `headers` is sent as repeated lines. `body` non-empty or `chunk_size` > 0 adds a body:
  // Content-Length, or Transfer-Encoding: chunked in pieces of `chunk_size` bytes.
  Response Send(std::string_view method, std::string_view target, std::string_view body = "",
                const Headers& headers = {}, std::size_t chunk_size = 0);
  Response Get(std::string_view target, const Headers& headers = {}) {
    return Send("GET", target, "", headers);
  }
  // JSON body with Content-Type: application/json.
  Response SendJson(std::string_view method, std::string_view target, const json& body,
                    const Headers& headers = {});
  // Writes `bytes` as is on a fresh connection and reads one response (protocol tests).
  Response Raw(std::string_view bytes);

  void SetHeader(const std::string& name, const std::string& value);
  void ClearHeader(const std::string& name);
  void SetBearer(const std::string& token) { SetHeader("Authorization", "Bearer " + token); }
  void SetCsrf(const std::string& token) { csrf_ = token; }
  void ClearCookies() { cookies_.clear(); }
  const std::map<std::string, std::string>& cookies() const { return cookies_; }
  int connections_opened() const { return connections_opened_; }
  std::uint16_t port() const { return port_; }

 private:
  bool Connect(std::string* error);
  void Close();
  void RememberCookies(const Response& response);

  std::uint16_t port_;
  int fd_ = -1;
  int connections_opened_ = 0;
  Headers defaults_;
  std::string csrf_;
  std::map<std::string, std::string> cookies_;
};

// ---- the server process ----

class ServerProcess {
 public:
  // Starts `gatehouse serve --db URL --listen 127.0.0.1:PORT [extra_args]` on a free port
  // (retried a few times) with output in `log_path`, and waits (bounded) until /healthz
  // answers 200.
  static base::Result<std::unique_ptr<ServerProcess>> Start(
      const std::string& db_url, const std::string& log_path,
      const std::vector<std::string>& extra_args = {});
  ~ServerProcess();  // stops a running server
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM, waits up to `timeout_ms`, then SIGKILL. Returns the exit code, 128+signal when
  // killed by a signal, or -1 when it could not be reaped. Idempotent.
  int Stop(int timeout_ms = 20'000);
  bool Running();
  std::string LogTail(std::size_t bytes = 4000) const;

 private:
  ServerProcess(pid_t pid, std::uint16_t port, std::string log_path)
      : pid_(pid), port_(port), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::uint16_t port_;
  std::string log_path_;
  std::optional<int> exit_code_;
};

// ---- a seeded server ----

// A temp dir, a fresh database seeded by `seed` through the Store (migrated first), and the
// server on it. The store stays open (for LoadAccountModel and direct checks) until Stop().
class TestServer {
 public:
  using Seed = std::function<base::Status(storage::Store&)>;
  // `serve_args` go after the database and listen options (e.g. {"--public-url", URL}).
  static base::Result<std::unique_ptr<TestServer>> Create(
      Engine engine, const Seed& seed, const std::vector<std::string>& serve_args = {});
  ~TestServer();

  std::uint16_t port() const { return process_->port(); }
  storage::Store& store() { return *store_; }
  ServerProcess& process() { return *process_; }
  Engine engine() const { return engine_; }
  HttpClient Client() const { return HttpClient(process_->port()); }
  // The database URL, for a second server on the same database.
  const std::string& db_url() const { return database_->url(); }
  const std::string& dir() const { return dir_->path(); }
  // Stops the server and returns its exit code (see ServerProcess::Stop).
  int Stop();

 private:
  TestServer() = default;
  Engine engine_ = Engine::kSqlite;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<ServerProcess> process_;
};

// One TestServer per engine for the tests of a suite in this process, created on first use
// with `seed`; StopAll() stops them and reports any that did not exit 0 on SIGTERM.
class SharedServers {
 public:
  // The engine's server, or nullptr with *error set when it cannot be created.
  TestServer* Get(Engine engine, const TestServer::Seed& seed, std::string* error);
  std::vector<std::string> StopAll();

 private:
  std::map<Engine, std::unique_ptr<TestServer>> servers_;
  std::map<Engine, std::string> errors_;
};

// ---- helpers on top of the client ----

// POST /auth/login; on 200 sets the client's CSRF token and returns the response.
Response Login(HttpClient& client, const std::string& email,
               const std::string& password = kPassword, const std::string& subdomain = "");

// POST /api/v4/security/tokens as the client's current identity; returns the token or "".
std::string CreateToken(HttpClient& client, const std::string& name = "api-test");

// Follows a list from `target` through `_links.next.href` (at most `max_pages`), collecting
// `_embedded.<plural>[].id`. Sets *error (when non-null) on any non-200/204 answer, a repeated
// page, or more pages than allowed.
std::vector<std::int64_t> CollectIds(HttpClient& client, const std::string& target,
                                     const std::string& plural, int max_pages, std::string* error);

// The path and query of an absolute or relative href ("http://h/p?q" -> "/p?q").
std::string PathOfHref(const std::string& href);

// Parses CSV (RFC 4180: quotes, doubled quotes, CRLF or LF); returns rows of fields.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text);

// Seeds an account with an administrator (email admin@<subdomain>.test, password kPassword).
struct SeededAccount {
  storage::AccountRow account{};
  domain::UserId admin_id = 0;
  std::string admin_email{};
};
base::Result<SeededAccount> SeedAccount(storage::Store& store, const std::string& subdomain,
                                        std::int64_t seats = 200);

// Creates an active user with every right and password kPassword in `w`'s default group (an
// administrator when `is_admin`); returns its id.
base::Result<domain::UserId> CreateSeededUser(storage::AccountWriter& w, const std::string& name,
                                              const std::string& email, bool is_admin = false);

}  // namespace gatehouse::apitest

// In SetUp: skips (or, under CI=true, fails) a PostgreSQL instance without a cluster.
#define GH_API_REQUIRE_ENGINE(engine)                                                      \
  do {                                                                                     \
    if ((engine) == ::gatehouse::apitest::Engine::kPostgres &&                             \
        ::gatehouse::apitest::TestPostgresUrl().empty()) {                                 \
      if (::gatehouse::apitest::InCi()) {                                                  \
        FAIL() << "GATEHOUSE_TEST_PG_URL is unset; CI must run the PostgreSQL API tests";  \
      }                                                                                    \
      GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is unset (scripts/test.sh starts a cluster)"; \
    }                                                                                      \
  } while (0)
