// What the two halves of the server share (internal to src/http/): server.cc runs the listener,
// the registry of open connections and the shutdown; session.cc serves one connection (read,
// route, write). Server::Impl is defined here so that a session can reach the options, the
// router, the pools and the registry it belongs to.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>  // before Asio (../../STACK.md)
#include <vector>

#include "http/response.h"
#include "http/server.h"

namespace gatehouse::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace internal {

// Concrete executor types: no type-erased executor copies on every completion.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;

using Clock = std::chrono::steady_clock;

// At most one warning of a kind per interval, so a flood cannot fill the disk with log.
constexpr std::chrono::seconds kWarnInterval{5};

// Rate limit for one kind of warning. Used on one thread (the control context).
class WarnThrottle {
 public:
  // True when this event may be logged; `suppressed` is then the number of events left out
  // since the last one logged.
  bool Allow(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed) {
    if (logged_ && now - last_ < kWarnInterval) {
      ++skipped_;
      return false;
    }
    logged_ = true;
    last_ = now;
    suppressed = skipped_;
    skipped_ = 0;
    return true;
  }

 private:
  bool logged_ = false;
  std::chrono::steady_clock::time_point last_;
  std::uint64_t skipped_ = 0;
};

// A new random request id: 16 hex digits.
std::string NewRequestId();

// The whole response, head and body, in one buffer: one write, no per-field allocations.
// Security headers unless the response sets its own CSP or Cache-Control.
void SerializeResponse(const Response& response, std::string_view request_id, unsigned version,
                       bool keep_alive, bool head_request, std::string& out);

// One accepted connection (session.cc). NewSession makes it; StartSession reads its first
// request; CloseIfIdle (graceful shutdown) closes it if it waits for a request; ForceClose
// (the grace period is over) closes it whatever it is doing.
class Session;
std::shared_ptr<Session> NewSession(Server::Impl* server, Socket socket);
void StartSession(Session& session);
void CloseIfIdle(Session& session);
void ForceClose(Session& session);

}  // namespace internal

class Server::Impl {
 public:
  using Executor = internal::Executor;
  using Socket = internal::Socket;

  // One context per I/O thread; concurrency hint 1 tells Asio each is run by one thread.
  struct Worker {
    asio::io_context ioc{1};
    std::optional<asio::executor_work_guard<Executor>> guard{};
  };

  Impl(ServerOptions options, const Router* router)
      : options_(std::move(options)),
        router_(router),
        logger_(spdlog::get("http") ? spdlog::get("http") : spdlog::default_logger()),
        workers_(MakeWorkers(options_.threads)),
        control_(workers_.back()->ioc),
        acceptor_(control_),
        signals_(control_),
        grace_timer_(control_),
        accept_timer_(control_),
        pool_(options_.blocking_threads > 0 ? options_.blocking_threads
                                            : std::max(2u, std::thread::hardware_concurrency())),
        write_pool_(options_.write_threads > 0 ? options_.write_threads : 32) {}

  static std::vector<std::unique_ptr<Worker>> MakeWorkers(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < threads; ++i) workers.push_back(std::make_unique<Worker>());
    return workers;
  }

  base::Status Start();
  void Run();
  void Stop() {
    asio::post(control_, [this] { BeginShutdown(); });
  }

  void DoAccept();
  void OnAcceptError(const beast::error_code& ec);
  void ResumeAccept();
  void Admit(Socket socket);
  void Refuse(Socket socket, const std::string& address, std::string_view which);
  void BeginShutdown();
  void FinishShutdown();
  void Register(internal::Session* session, std::weak_ptr<internal::Session> weak,
                std::string address);
  void Unregister(internal::Session* session);

  // Declared before the contexts so sessions destroyed with them can still unregister.
  ServerOptions options_;
  const Router* router_;
  std::shared_ptr<spdlog::logger> logger_;
  std::string public_url_;  // normalized options_.public_url
  // The public URL is https: every answer tells browsers to use nothing else (RFC 6797).
  bool hsts_ = false;
  std::size_t max_connections_ = 0;
  struct Entry {
    std::weak_ptr<internal::Session> session{};
    std::string address{};  // the peer's, for per_address_
  };
  std::mutex sessions_mu_;
  std::unordered_map<internal::Session*, Entry> sessions_;    // guarded by sessions_mu_
  std::unordered_map<std::string, std::size_t> per_address_;  // guarded by sessions_mu_
  std::atomic<bool> stopping_{false};
  std::atomic<bool> accept_paused_{false};   // written on control_ only
  internal::WarnThrottle accept_warnings_;   // on control_
  internal::WarnThrottle refusal_warnings_;  // on control_
  std::atomic<std::uint16_t> port_{0};
  bool started_ = false;
  bool shut_down_ = false;       // on control_
  std::size_t next_worker_ = 0;  // on control_

  // The last worker's context is control_: a vector destroys front to back, so a session let go
  // while another context is destroyed can still post to control_.
  std::vector<std::unique_ptr<Worker>> workers_;
  asio::io_context& control_;
  tcp::acceptor acceptor_;
  std::optional<Socket> pending_;  // the socket the running accept fills
  asio::signal_set signals_;
  asio::steady_timer grace_timer_;
  asio::steady_timer accept_timer_;  // accept back-off
  asio::thread_pool pool_;
  asio::thread_pool write_pool_;
};

}  // namespace gatehouse::http
