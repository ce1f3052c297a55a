// The Beast server. One io_context per I/O thread, each run by that thread alone: a connection
// is accepted onto one of them (round robin) and all of its work stays there, so a request
// needs neither a strand nor a lock, and never hops threads unless its route is blocking or it
// may write (then it runs on a pool and its answer is posted back). The
// acceptor, signal set, grace timer and shutdown state live on the first context. Run()
// returns when every context runs out of work: graceful shutdown drops the work guards, closes
// the acceptor, cancels the signal wait and closes idle connections; in-flight requests keep
// their sessions (and so their context) alive until they are answered.
#include "http/server.h"

#include <sys/resource.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <csignal>
#include <thread>
#include <utility>  // before Asio (../../STACK.md)

#include "http/origin.h"
#include "http/problem.h"
#include "http/server_internal.h"

namespace gatehouse::http {

using internal::Clock;

namespace {

// Accept back-off: out of descriptors, wait for a connection to close or this long; after any
// other accept error (a connection reset before it was accepted), this long.
constexpr std::chrono::milliseconds kOutOfFdsPause{250};
constexpr std::chrono::milliseconds kAcceptErrorPause{10};

// The default connection cap: what RLIMIT_NOFILE leaves after a reserve for the database,
// log and static files (see ServerOptions::max_connections).
std::size_t DefaultMaxConnections() {
  rlimit limit{};
  std::uint64_t soft = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    soft = limit.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20 : limit.rlim_cur;
  }
  const std::uint64_t reserve = std::max<std::uint64_t>(64, soft / 4);
  const std::uint64_t left = soft > reserve ? soft - reserve : 0;
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(left, 8, 10000));
}

bool IsOutOfDescriptors(const boost::system::error_code& ec) {
  return ec == boost::asio::error::no_descriptors || ec == boost::asio::error::no_buffer_space ||
         ec == boost::asio::error::no_memory ||
         (ec.category() == boost::system::system_category() && ec.value() == ENFILE);
}

}  // namespace

base::Status Server::Impl::Start() {
  if (started_) return base::Status::Error(base::Code::kFailedPrecondition, "already started");
  if (!options_.public_url.empty()) {
    GH_ASSIGN_OR_RETURN(public_url_, ParsePublicUrl(options_.public_url));
    hsts_ = public_url_.rfind("https://", 0) == 0;
  }
  max_connections_ =
      options_.max_connections > 0 ? options_.max_connections : DefaultMaxConnections();
  beast::error_code ec;
  std::string host = options_.host == "localhost" ? "127.0.0.1" : options_.host;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return base::Status::Invalid("listen host is not an IP address: " + options_.host);
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.host + ":" + std::to_string(options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return base::Status::Error(base::Code::kUnavailable, "listen " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  started_ = true;
  return base::Status::Ok();
}

void Server::Impl::DoAccept() {
  if (shut_down_) return;
  // Round robin, starting with control_ (the last worker).
  Worker& target = *workers_[workers_.size() - 1 - next_worker_++ % workers_.size()];
  pending_.emplace(target.ioc.get_executor());
  acceptor_.async_accept(*pending_, [this](beast::error_code ec) {
    if (ec == asio::error::operation_aborted || shut_down_) return;
    if (ec) return OnAcceptError(ec);
    Admit(std::move(*pending_));
    DoAccept();
  });
}

// Retrying accept at once after EMFILE fails at once again, for as long as no descriptor is
// freed: a busy loop that logged tens of millions of lines. Pause instead, and say so rarely.
void Server::Impl::OnAcceptError(const beast::error_code& ec) {
  const bool out_of_fds = IsOutOfDescriptors(ec);
  std::uint64_t suppressed = 0;
  if (accept_warnings_.Allow(Clock::now(), suppressed)) {
    logger_->warn("http accept: {}{} ({} similar warnings suppressed)", ec.message(),
                  out_of_fds ? "; pausing accept until a connection closes" : "", suppressed);
  }
  accept_paused_ = true;
  accept_timer_.expires_after(out_of_fds ? kOutOfFdsPause : kAcceptErrorPause);
  accept_timer_.async_wait([this](beast::error_code timer_ec) {
    if (!timer_ec) ResumeAccept();
  });
}

void Server::Impl::ResumeAccept() {
  if (!accept_paused_ || shut_down_) return;
  accept_paused_ = false;
  accept_timer_.cancel();
  DoAccept();
}

void Server::Impl::Admit(Socket socket) {
  beast::error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  std::string address = ec ? std::string() : peer.address().to_string();
  std::string_view refused;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    if (sessions_.size() >= max_connections_) {
      refused = "max_connections";
    } else if (options_.max_connections_per_ip > 0) {
      auto it = per_address_.find(address);
      if (it != per_address_.end() && it->second >= options_.max_connections_per_ip) {
        refused = "max_connections_per_ip";
      }
    }
  }
  if (!refused.empty()) return Refuse(std::move(socket), address, refused);
  auto session = internal::NewSession(this, std::move(socket));
  Register(session.get(), session, std::move(address));
  internal::StartSession(*session);
}

// Over a cap: the answer goes out in one non-blocking write (a fresh socket's send buffer has
// room), the request is never read, and the descriptor is freed at once. A client that already
// sent its request may see a reset instead of the 503; either way it is not served.
void Server::Impl::Refuse(Socket socket, const std::string& address, std::string_view which) {
  Response response = ProblemResponse(503, "Too many connections; retry later");
  response.headers.Set("Retry-After", "1");
  std::string out;
  internal::SerializeResponse(response, internal::NewRequestId(), 11, false, false, out);
  beast::error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) socket.write_some(asio::buffer(out), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
  std::uint64_t suppressed = 0;
  if (refusal_warnings_.Allow(Clock::now(), suppressed)) {
    logger_->warn("http refused a connection from {}: {} reached ({} similar refusals suppressed)",
                  address.empty() ? "-" : address, which, suppressed);
  }
}

void Server::Impl::Register(internal::Session* session, std::weak_ptr<internal::Session> weak,
                            std::string address) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  ++per_address_[address];
  sessions_.emplace(session, Entry{std::move(weak), std::move(address)});
}

void Server::Impl::Unregister(internal::Session* session) {
  bool empty;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    auto it = sessions_.find(session);
    if (it != sessions_.end()) {
      auto count = per_address_.find(it->second.address);
      if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
      sessions_.erase(it);
    }
    empty = sessions_.empty();
  }
  if (empty && stopping_) {
    asio::post(control_, [this] { FinishShutdown(); });
  }
  // A descriptor is free again: accept what waited for one.
  if (accept_paused_) {
    asio::post(control_, [this] { ResumeAccept(); });
  }
}

void Server::Impl::BeginShutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  accept_timer_.cancel();
  accept_paused_ = false;
  std::vector<std::shared_ptr<internal::Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [unused, entry] : sessions_) {
      if (auto session = entry.session.lock()) live.push_back(std::move(session));
    }
  }
  logger_->info("http stopping: {} open connection(s)", live.size());
  for (auto& session : live) internal::CloseIfIdle(*session);
  live.clear();
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](beast::error_code ec) {
    if (ec) return;  // cancelled: every connection is gone
    std::lock_guard<std::mutex> lock(sessions_mu_);
    logger_->warn("http grace period over: closing {} connection(s)", sessions_.size());
    for (auto& [unused, entry] : sessions_) {
      if (auto session = entry.session.lock()) internal::ForceClose(*session);
    }
  });
  bool empty;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    empty = sessions_.empty();
  }
  if (empty) FinishShutdown();
}

// The I/O contexts keep running until the last connection is gone: a connection closed from
// here is closed by a handler on its own context, which must still be run to let it go.
void Server::Impl::FinishShutdown() {
  grace_timer_.cancel();
  for (auto& worker : workers_) worker->guard.reset();
}

void Server::Impl::Run() {
  if (!started_) return;
  if (options_.handle_signals) {
    beast::error_code ignored;
    signals_.add(SIGINT, ignored);
    signals_.add(SIGTERM, ignored);
    signals_.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;
      logger_->info("http received signal {}", signal);
      BeginShutdown();
    });
  }
  DoAccept();
  for (auto& worker : workers_) {
    if (!shut_down_) worker->guard.emplace(worker->ioc.get_executor());
  }
  auto loop = [this](asio::io_context& ioc) {
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {  // handlers catch their own; this is a last resort
        logger_->error("http io loop: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i + 1 < workers_.size(); ++i) {
    threads.emplace_back([&loop, &ioc = workers_[i]->ioc] { loop(ioc); });
  }
  loop(control_);
  for (std::thread& t : threads) t.join();
  pool_.join();
  write_pool_.join();
  logger_->info("http stopped");
}

Server::Server(ServerOptions options, const Router* router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
Server::~Server() = default;
base::Status Server::Start() { return impl_->Start(); }
std::uint16_t Server::port() const { return impl_->port_; }
std::size_t Server::max_connections() const { return impl_->max_connections_; }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace gatehouse::http
