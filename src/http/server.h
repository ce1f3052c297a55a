// Server: an asynchronous HTTP/1.1 server (Boost.Beast) that feeds requests to a Router.
//
// Keep-alive, chunked request bodies, Expect: 100-continue. Limits answer with problem+json:
// body over `body_limit` -> 413, header over `header_limit` -> 431, unparseable HTTP -> 400,
// a head that breaks the framing rules (framing.h: Transfer-Encoding not ending in chunked,
// Transfer-Encoding with Content-Length, missing or repeated Host, ...) -> 400 (501 for an
// unsupported transfer coding); such connections close after the answer, and nothing after
// the head is ever run as a request.
//
// Connections: at most `max_connections` open at once, and at most `max_connections_per_ip`
// from one peer address. A connection over either cap is accepted and at once answered
// 503 problem+json (Retry-After: 1, Connection: close) without reading its request, then
// closed. When accept fails for want of file descriptors (EMFILE/ENFILE), the server stops
// accepting until a connection closes or 250 ms pass; accept errors and refusals are logged at
// most once per 5 s, with the number left out. A request must arrive within `read_timeout`, the
// next request on a kept-alive connection within `idle_timeout`, else the connection closes.
// Handlers run on the I/O threads, except routes registered with `blocking = true`, which run
// on a separate pool so slow work (password hashing) does not stall other connections, and
// requests that may write (any method but GET, HEAD and OPTIONS), which run on the write pool. A
// handler that throws yields a generic 500 problem; the exception is logged. Every request
// gets one access-log line (spdlog: the logger registered as "http", else the default): method,
// path (never the query), status, duration, user id, request id, peer.
//
// Life cycle: Start() binds; Run() blocks serving until Stop() (any thread) or SIGINT/SIGTERM
// (when `handle_signals`); then it stops accepting, closes idle connections, lets in-flight
// requests finish (answered with Connection: close) for up to `shutdown_grace`, and returns.
// A Server runs once. The Router must outlive the Server and not change after Start().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/router.h"

namespace gatehouse::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IPv4/IPv6 literal or "localhost"
  std::uint16_t port = 8080;       // 0: pick a free port (read it from Server::port())
  int threads = 0;                 // I/O threads; 0: one per core
  int blocking_threads = 0;        // blocking pool; 0: one per core, at least 2
  // Requests that may write (POST, PUT, PATCH, DELETE) run on a pool of their own, so that a
  // handler waiting for its group commit (storage/group_commit.h) holds no I/O thread and the
  // writes of many connections can share one commit. 0: 32.
  int write_threads = 0;
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 << 10;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
  bool handle_signals = true;  // SIGINT/SIGTERM stop the server
  bool access_log = true;
  // Open connections at once; 0: derived from RLIMIT_NOFILE (the soft limit less a quarter,
  // at least 64, kept for files and the database; between 8 and 10000).
  std::size_t max_connections = 0;
  // Open connections from one peer address; 0: no per-address limit. Behind a reverse proxy
  // every connection comes from the proxy: raise it, or set 0.
  std::size_t max_connections_per_ip = 256;
  // The origin links and redirects point to ("https://crm.example"; origin.h). Empty: the
  // address each client connected to (and a trusted proxy's X-Forwarded-Proto/Host).
  std::string public_url{};
};

class Server {
 public:
  Server(ServerOptions options, const Router* router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable with the reason when the address cannot be bound,
  // kInvalidArgument when `host` is not an address or `public_url` is not valid.
  base::Status Start();
  // The bound port, valid after a successful Start().
  std::uint16_t port() const;
  // The effective connection cap (after a successful Start(), resolving 0 to the default).
  std::size_t max_connections() const;
  // Serves until stopped; returns once every connection and blocking task has finished.
  // Requires a successful Start().
  void Run();
  // Begins a graceful stop. Thread-safe, idempotent; may be called before Run().
  void Stop();

  class Impl;  // defined in server.cc only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::http
