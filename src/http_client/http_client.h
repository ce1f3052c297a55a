// A small blocking HTTP/1.1 client for outbound API calls: `http://` (loopback tests) and
// `https://` (TLS 1.2+, the peer's certificate verified against the system's trust store and
// its host name checked, SNI sent). One kept-alive connection, reopened when the server closed
// it. Every connect, handshake, write and read is bounded by `timeout`.
//
// Beast and Asio stay inside http_client.cc (a pimpl), so including this header costs nothing.
// Thread-safety: none; one Client per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace gatehouse::http_client {

// Where a base URL points: "https://acme.kommo.com" or "http://127.0.0.1:8080/prefix".
struct Endpoint {
  bool tls = false;
  std::string host{};
  std::string port{};       // "443" / "80" by default
  std::string base_path{};  // without a trailing '/'; "" for the root
  // "https://host[:port]" as given (the port only when not the scheme's default).
  std::string Origin() const;
};

// kInvalidArgument (path "from") for anything but http(s)://host[:port][/path] without a query,
// fragment or user info.
base::Result<Endpoint> ParseBaseUrl(std::string_view url);

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Response {
  int status = 0;
  Headers headers{};  // names lower-case
  std::string body{};
  // The first value of header `name` (lower-case), "" when absent.
  std::string Header(std::string_view name) const;
};

struct Options {
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_body_bytes = 64u << 20;
};

class Client {
 public:
  static base::Result<std::unique_ptr<Client>> Create(const Endpoint& endpoint,
                                                      const Options& options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // GET of `target` (a path with its query, e.g. "/api/v4/users?page=2"; the endpoint's
  // base_path is put in front) with `headers` added to Host, User-Agent and Accept. Any answer
  // the server gives is a Response, whatever its status; kUnavailable when there was none
  // (connection refused, TLS or certificate failure, timeout), with the reason.
  base::Result<Response> Get(std::string_view target, const Headers& headers = {});

  const Endpoint& endpoint() const;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::http_client
