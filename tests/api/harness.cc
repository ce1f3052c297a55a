#include "tests/api/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "auth/password.h"
#include "storage/sql/postgres_connection.h"

#ifndef GATEHOUSE_BINARY
#error "GATEHOUSE_BINARY must name the gatehouse executable (set by tests/api/CMakeLists.txt)"
#endif

extern char** environ;

namespace gatehouse::apitest {

using base::Code;
using base::Status;
using Clock = std::chrono::steady_clock;

const char* EngineName(Engine engine) { return engine == Engine::kSqlite ? "Sqlite" : "Postgres"; }

std::string TestPostgresUrl() {
  const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

const std::string& PasswordHash() {
  static const std::string hash = [] {
    base::Result<std::string> h = auth::HashPassword(kPassword);
    if (!h.ok()) std::abort();  // Argon2 without memory: nothing sensible to test
    return *h;
  }();
  return hash;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device device;
  return std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(device() % 100000);
}

// The PostgreSQL URL with its database name replaced.
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

}  // namespace

// ---- TempDir, Database ----

TempDir::TempDir() {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) base = "/tmp";
  for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
    std::filesystem::path candidate = base / ("gh_api_" + UniqueSuffix());
    if (std::filesystem::create_directory(candidate, error)) path_ = candidate.string();
  }
  if (path_.empty()) std::abort();
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

base::Result<std::unique_ptr<Database>> Database::Create(Engine engine, const std::string& dir) {
  if (engine == Engine::kSqlite) {
    return std::unique_ptr<Database>(new Database(engine, "sqlite:" + dir + "/gh.db", ""));
  }
  const std::string base = TestPostgresUrl();
  if (base.empty()) return Status::Error(Code::kUnavailable, "GATEHOUSE_TEST_PG_URL is unset");
  const std::string name = "gh_api_" + UniqueSuffix();
  GH_ASSIGN_OR_RETURN(std::unique_ptr<storage::sql::Connection> admin,
                      storage::sql::OpenPostgres(base));
  GH_RETURN_IF_ERROR(admin->ExecuteScript("CREATE DATABASE " + name));
  return std::unique_ptr<Database>(new Database(engine, WithDatabase(base, name), name));
}

Database::~Database() {
  if (engine_ != Engine::kPostgres) return;
  auto admin = storage::sql::OpenPostgres(TestPostgresUrl());
  if (!admin.ok()) return;
  // FORCE ends sessions a killed server may have left behind.
  (void)(*admin)->ExecuteScript("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

// ---- Response ----

std::string Response::Header(std::string_view name) const {
  const std::string key = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == key) return v;
  }
  return "";
}

bool Response::HasHeader(std::string_view name) const {
  const std::string key = Lower(name);
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == key; });
}

std::string Response::Describe() const {
  if (status == 0) return "transport error: " + error;
  std::string out = "HTTP " + std::to_string(status) + " " + Header("content-type") + " ";
  out += body.size() > 600 ? body.substr(0, 600) + "..." : body;
  return out;
}

// ---- HttpClient ----

namespace {

constexpr int kReadTimeoutMs = 60'000;  // a single response under ASan on 2 shared cores

int ConnectLoopback(std::uint16_t port, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Writes everything; false on error (the peer may have answered and closed already).
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads more bytes into `buffer` with a deadline. Returns bytes read, 0 on EOF, -1 on error or
// timeout (with *error set).
ssize_t ReadSome(int fd, std::string& buffer, Clock::time_point deadline, std::string* error) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      *error = "read timeout";
      return -1;
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      *error = std::string("poll: ") + std::strerror(errno);
      return -1;
    }
    if (r == 0) continue;
    char chunk[16384];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::string("recv: ") + std::strerror(errno);
      return -1;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    return n;
  }
}

// Reads one response from `fd` (skipping 1xx interim answers). `head_request`: no body.
// Sets *closed when the server closes (or asks to close) the connection.
Response ReadResponse(int fd, bool head_request, bool* closed) {
  Response response;
  std::string buffer;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kReadTimeoutMs);
  *closed = false;
  for (int interim = 0; interim < 5; ++interim) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (buffer.size() > (1u << 20)) {
        response.error = "header too large";
        *closed = true;
        return response;
      }
      ssize_t n = ReadSome(fd, buffer, deadline, &response.error);
      if (n <= 0) {
        if (n == 0) response.error = buffer.empty() ? "connection closed" : "truncated header";
        *closed = true;
        return response;
      }
    }
    std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) {
      response.error = "bad status line: " + line;
      *closed = true;
      return response;
    }
    response.status = std::atoi(line.c_str() + 9);
    response.headers.clear();
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      std::size_t first = value.find_first_not_of(" \t");
      value = first == std::string::npos ? "" : value.substr(first);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
      response.headers.emplace_back(Lower(line.substr(0, colon)), value);
    }
    if (response.status >= 100 && response.status < 200) continue;
    break;
  }
  if (Lower(response.Header("connection")) == "close") *closed = true;

  const bool no_body = head_request || response.status == 204 || response.status == 304;
  const std::string te = Lower(response.Header("transfer-encoding"));
  const std::string length = response.Header("content-length");
  if (no_body) {
    // Nothing to read. A 204 that still carries bytes shows up as garbage on the next read.
  } else if (te.find("chunked") != std::string::npos) {
    std::size_t pos = 0;
    for (;;) {
      std::size_t eol;
      while ((eol = buffer.find("\r\n", pos)) == std::string::npos) {
        if (ReadSome(fd, buffer, deadline, &response.error) <= 0) {
          response.error = "truncated chunked body";
          *closed = true;
          return response;
        }
      }
      std::size_t size = std::strtoull(buffer.c_str() + pos, nullptr, 16);
      pos = eol + 2;
      while (buffer.size() < pos + size + 2) {
        if (ReadSome(fd, buffer, deadline, &response.error) <= 0) {
          response.error = "truncated chunk";
          *closed = true;
          return response;
        }
      }
      if (size == 0) {
        // Trailers are not expected; the last chunk ends with an empty line.
        break;
      }
      response.body.append(buffer, pos, size);
      pos += size + 2;
    }
  } else if (!length.empty()) {
    const std::size_t want = std::strtoull(length.c_str(), nullptr, 10);
    while (buffer.size() < want) {
      if (ReadSome(fd, buffer, deadline, &response.error) <= 0) {
        response.error = "truncated body";
        *closed = true;
        return response;
      }
    }
    response.body = buffer.substr(0, want);
  } else {
    // Body until the server closes.
    for (;;) {
      ssize_t n = ReadSome(fd, buffer, deadline, &response.error);
      if (n <= 0) break;
    }
    response.body = buffer;
    *closed = true;
  }
  if (!response.body.empty()) {
    response.body_json = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    response.is_json = !response.body_json.is_discarded();
    if (!response.is_json) response.body_json = nullptr;
  }
  return response;
}

}  // namespace

HttpClient::HttpClient(std::uint16_t port) : port_(port) {}
HttpClient::~HttpClient() { Close(); }
HttpClient::HttpClient(HttpClient&& other) noexcept
    : port_(other.port_),
      fd_(std::exchange(other.fd_, -1)),
      connections_opened_(other.connections_opened_),
      defaults_(std::move(other.defaults_)),
      csrf_(std::move(other.csrf_)),
      cookies_(std::move(other.cookies_)) {}

bool HttpClient::Connect(std::string* error) {
  if (fd_ >= 0) return true;
  fd_ = ConnectLoopback(port_, error);
  if (fd_ < 0) return false;
  ++connections_opened_;
  return true;
}

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void HttpClient::SetHeader(const std::string& name, const std::string& value) {
  ClearHeader(name);
  defaults_.emplace_back(name, value);
}

void HttpClient::ClearHeader(const std::string& name) {
  const std::string key = Lower(name);
  std::erase_if(defaults_, [&](const auto& h) { return Lower(h.first) == key; });
}

void HttpClient::RememberCookies(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name != "set-cookie") continue;
    std::string pair = value.substr(0, value.find(';'));
    std::size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string key = pair.substr(0, eq);
    std::string val = pair.substr(eq + 1);
    const std::string attrs = Lower(value);
    if (val.empty() || attrs.find("max-age=0") != std::string::npos ||
        attrs.find("expires=thu, 01 jan 1970") != std::string::npos) {
      cookies_.erase(key);
    } else {
      cookies_[key] = val;
    }
  }
}

Response HttpClient::Send(std::string_view method, std::string_view target, std::string_view body,
                          const Headers& headers, std::size_t chunk_size) {
  std::string request;
  request.reserve(256 + body.size());
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  Headers all = defaults_;
  for (const auto& h : headers) {
    const std::string key = Lower(h.first);
    std::erase_if(all, [&](const auto& d) { return Lower(d.first) == key; });
  }
  for (const auto& h : headers) all.push_back(h);  // repeated names stay repeated lines
  if (std::none_of(all.begin(), all.end(),
                   [](const auto& h) { return Lower(h.first) == "host"; })) {
    request.append("Host: 127.0.0.1:").append(std::to_string(port_)).append("\r\n");
  }
  const bool safe = method == "GET" || method == "HEAD" || method == "OPTIONS";
  if (!safe && !csrf_.empty() && std::none_of(all.begin(), all.end(), [](const auto& h) {
        return Lower(h.first) == "x-csrf-token";
      })) {
    all.emplace_back("X-CSRF-Token", csrf_);
  }
  for (const auto& [name, value] : all) {
    request.append(name).append(": ").append(value).append("\r\n");
  }
  if (!cookies_.empty()) {
    std::string cookie;
    for (const auto& [k, v] : cookies_) {
      if (!cookie.empty()) cookie += "; ";
      cookie += k + "=" + v;
    }
    request.append("Cookie: ").append(cookie).append("\r\n");
  }
  if (chunk_size > 0) {
    request.append("Transfer-Encoding: chunked\r\n\r\n");
    for (std::size_t at = 0; at < body.size(); at += chunk_size) {
      std::string_view piece = body.substr(at, chunk_size);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      request.append(size).append(piece).append("\r\n");
    }
    request.append("0\r\n\r\n");
  } else {
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
      request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    }
    request.append("\r\n").append(body);
  }

  // One retry when a kept-alive connection turns out to be closed before any answer.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = fd_ >= 0;
    Response response;
    if (!Connect(&response.error)) return response;
    const bool wrote = WriteAll(fd_, request);
    bool closed = false;
    response = ReadResponse(fd_, method == "HEAD", &closed);
    if (closed) Close();
    if (response.status == 0 && reused && attempt == 0) continue;
    if (response.status == 0 && !wrote && response.error.empty()) response.error = "write failed";
    RememberCookies(response);
    return response;
  }
  return Response{0, "unreachable", {}, "", nullptr, false};
}

Response HttpClient::SendJson(std::string_view method, std::string_view target, const json& body,
                              const Headers& headers) {
  Headers all = {{"Content-Type", "application/json"}};
  for (const auto& h : headers) all.push_back(h);
  return Send(method, target, body.dump(), all);
}

Response HttpClient::Raw(std::string_view bytes) {
  Response response;
  int fd = ConnectLoopback(port_, &response.error);
  if (fd < 0) return response;
  ++connections_opened_;
  (void)WriteAll(fd, bytes);
  bool closed = false;
  response = ReadResponse(fd, false, &closed);
  ::close(fd);
  return response;
}

// ---- ServerProcess ----

namespace {

// A port that was free a moment ago (bound to port 0, read back, released).
std::uint16_t PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::uint16_t port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Non-blocking reap: the exit code (or 128+signal) when `pid` has exited.
std::optional<int> TryReap(pid_t pid, bool block) {
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid) return std::nullopt;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

constexpr int kStartTimeoutMs = 60'000;  // migrations under ASan on PostgreSQL, 2 shared cores

}  // namespace

base::Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& db_url, const std::string& log_path,
    const std::vector<std::string>& extra_args) {
  std::string last_error = "no attempt";
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::uint16_t port = PickFreePort();
    if (port == 0) continue;
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<std::string> args = {GATEHOUSE_BINARY, "serve", "--db",      db_url,
                                     "--listen",       listen,  "--threads", "2"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, GATEHOUSE_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      return Status::Error(Code::kUnavailable,
                           std::string("cannot start " GATEHOUSE_BINARY ": ") + std::strerror(rc));
    }
    std::unique_ptr<ServerProcess> process(new ServerProcess(pid, port, log_path));
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
    bool exited = false;
    while (Clock::now() < deadline) {
      if (std::optional<int> code = TryReap(pid, false)) {
        process->exit_code_ = *code;
        last_error = "server exited with " + std::to_string(*code) +
                     " before ready: " + process->LogTail(1500);
        exited = true;
        break;
      }
      HttpClient probe(port);
      Response r = probe.Get("/healthz");
      if (r.status == 200) return process;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      process->Stop(5000);
      return Status::Error(Code::kUnavailable,
                           "server not ready within the start timeout: " + process->LogTail(1500));
    }
    // Exited early (e.g. the port was taken between pick and bind): try another port.
  }
  return Status::Error(Code::kUnavailable, last_error);
}

ServerProcess::~ServerProcess() { Stop(); }

bool ServerProcess::Running() {
  if (exit_code_) return false;
  if (std::optional<int> code = TryReap(pid_, false)) exit_code_ = *code;
  return !exit_code_;
}

int ServerProcess::Stop(int timeout_ms) {
  if (exit_code_) return *exit_code_;
  if (std::optional<int> code = TryReap(pid_, false)) {
    exit_code_ = *code;
    return *exit_code_;
  }
  ::kill(pid_, SIGTERM);
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (std::optional<int> code = TryReap(pid_, false)) {
      exit_code_ = *code;
      return *exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  std::optional<int> code = TryReap(pid_, true);
  exit_code_ = code ? *code : -1;
  return *exit_code_;
}

std::string ServerProcess::LogTail(std::size_t bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

// ---- TestServer ----

base::Result<std::unique_ptr<TestServer>> TestServer::Create(
    Engine engine, const Seed& seed, const std::vector<std::string>& serve_args) {
  std::unique_ptr<TestServer> server(new TestServer());
  server->engine_ = engine;
  server->dir_ = std::make_unique<TempDir>();
  GH_ASSIGN_OR_RETURN(server->database_, Database::Create(engine, server->dir_->path()));
  GH_ASSIGN_OR_RETURN(server->store_, storage::Store::Open(server->database_->url(), 2));
  GH_RETURN_IF_ERROR(server->store_->Migrate());
  if (seed) GH_RETURN_IF_ERROR(seed(*server->store_));
  GH_ASSIGN_OR_RETURN(server->process_,
                      ServerProcess::Start(server->database_->url(),
                                           server->dir_->path() + "/server.log", serve_args));
  return server;
}

int TestServer::Stop() { return process_ ? process_->Stop() : -1; }

TestServer::~TestServer() {
  if (process_) process_->Stop();
  process_.reset();
  store_.reset();  // before the database is dropped
  database_.reset();
  dir_.reset();
}

TestServer* SharedServers::Get(Engine engine, const TestServer::Seed& seed, std::string* error) {
  if (auto it = servers_.find(engine); it != servers_.end()) return it->second.get();
  if (auto it = errors_.find(engine); it != errors_.end()) {
    *error = it->second;
    return nullptr;
  }
  base::Result<std::unique_ptr<TestServer>> server = TestServer::Create(engine, seed);
  if (!server.ok()) {
    *error = server.status().ToString();
    errors_[engine] = *error;
    return nullptr;
  }
  return (servers_[engine] = std::move(*server)).get();
}

std::vector<std::string> SharedServers::StopAll() {
  std::vector<std::string> failures;
  for (auto& [engine, server] : servers_) {
    const int code = server->Stop();
    if (code != 0) {
      failures.push_back(std::string(EngineName(engine)) + " server exited with " +
                         std::to_string(code) +
                         " on SIGTERM; log: " + server->process().LogTail(2000));
    }
  }
  servers_.clear();
  errors_.clear();
  return failures;
}

// ---- helpers ----

Response Login(HttpClient& client, const std::string& email, const std::string& password,
               const std::string& subdomain) {
  json body = {{"email", email}, {"password", password}};
  if (!subdomain.empty()) body["subdomain"] = subdomain;
  Response r = client.SendJson("POST", "/auth/login", body);
  if (r.status == 200 && r.is_json && r.body_json.contains("csrf_token") &&
      r.body_json["csrf_token"].is_string()) {
    client.SetCsrf(r.body_json["csrf_token"].get<std::string>());
  }
  return r;
}

std::string CreateToken(HttpClient& client, const std::string& name) {
  const std::int64_t expires = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count() +
                               30 * 86400;
  Response r =
      client.SendJson("POST", "/api/v4/security/tokens", {{"name", name}, {"expires_at", expires}});
  if (r.status != 201 || !r.is_json || !r.body_json.contains("token") ||
      !r.body_json["token"].is_string()) {
    return "";
  }
  return r.body_json["token"].get<std::string>();
}

std::string PathOfHref(const std::string& href) {
  std::size_t scheme = href.find("://");
  if (scheme == std::string::npos) return href;
  std::size_t path = href.find('/', scheme + 3);
  return path == std::string::npos ? "/" : href.substr(path);
}

std::vector<std::int64_t> CollectIds(HttpClient& client, const std::string& target,
                                     const std::string& plural, int max_pages, std::string* error) {
  std::vector<std::int64_t> ids;
  std::set<std::string> seen;
  std::string next = target;
  auto fail = [&](const std::string& why) {
    if (error != nullptr && error->empty()) *error = why;
  };
  for (int page = 0; !next.empty(); ++page) {
    if (page >= max_pages) {
      fail("more than " + std::to_string(max_pages) + " pages from " + target);
      break;
    }
    if (!seen.insert(next).second) {
      fail("page repeated: " + next);
      break;
    }
    Response r = client.Get(next);
    if (r.status == 204) {
      if (!r.body.empty()) fail("204 with a body at " + next);
      break;
    }
    if (r.status != 200 || !r.is_json) {
      fail("GET " + next + ": " + r.Describe());
      break;
    }
    const json& items = r.body_json["_embedded"][plural];
    if (!items.is_array()) {
      fail("GET " + next + ": no _embedded." + plural + " array");
      break;
    }
    if (items.empty()) fail("GET " + next + ": 200 with an empty list (expected 204)");
    for (const json& item : items) {
      if (item.contains("id") && item["id"].is_number_integer()) {
        ids.push_back(item["id"].get<std::int64_t>());
      } else {
        fail("item without an integer id at " + next);
      }
    }
    next.clear();
    const json& links = r.body_json["_links"];
    if (links.is_object() && links.contains("next") && links["next"].contains("href") &&
        links["next"]["href"].is_string()) {
      next = PathOfHref(links["next"]["href"].get<std::string>());
    }
  }
  return ids;
}

std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r') {
      // CRLF: the \n ends the row.
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

base::Result<SeededAccount> SeedAccount(storage::Store& store, const std::string& subdomain,
                                        std::int64_t seats) {
  SeededAccount out;
  const storage::NewAccount account{
      .subdomain = subdomain, .name = "Account " + subdomain, .seats = seats};
  GH_ASSIGN_OR_RETURN(out.account, store.CreateAccount(account));
  out.admin_email = "admin@" + subdomain + ".test";
  GH_RETURN_IF_ERROR(store.Write(out.account.id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(out.admin_id,
                        CreateSeededUser(w, "Admin " + subdomain, out.admin_email, true));
    return Status::Ok();
  }));
  return out;
}

base::Result<domain::UserId> CreateSeededUser(storage::AccountWriter& w, const std::string& name,
                                              const std::string& email, bool is_admin) {
  GH_ASSIGN_OR_RETURN(domain::GroupId group, w.DefaultGroupId());
  const storage::UserRow row{.user = {.name = name,
                                      .email = email,
                                      .is_admin = is_admin,
                                      .group_id = group,
                                      .rights = domain::Rights::AllAllowed()},
                             .password_hash = PasswordHash(),
                             .created_at = 1'700'000'000};
  return w.CreateUser(row);
}

}  // namespace gatehouse::apitest
