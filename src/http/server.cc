// The Beast server. One io_context per I/O thread, each run by that thread alone: a connection
// is accepted onto one of them (round robin) and all of its work stays there, so a request
// needs neither a strand nor a lock, and never hops threads unless its route is blocking or it
// may write (then it runs on a pool and its answer is posted back). The
// acceptor, signal set, grace timer and shutdown state live on the first context. Run()
// returns when every context runs out of work: graceful shutdown drops the work guards, closes
// the acceptor, cancels the signal wait and closes idle connections; in-flight requests keep
// their sessions (and so their context) alive until they are answered.
#include "http/server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>  // before Asio (../../STACK.md)
#include <vector>

#include "http/framing.h"
#include "http/origin.h"
#include "http/problem.h"

namespace gatehouse::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Concrete executor types: no type-erased executor copies on every completion.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;

using Clock = std::chrono::steady_clock;

// Bytes read and dropped after an error answer, so closing does not reset the connection
// before the client has read the answer.
constexpr std::size_t kDrainLimit = 4 << 20;
constexpr std::chrono::seconds kDrainTime{2};

// Accept back-off: out of descriptors, wait for a connection to close or this long; after any
// other accept error (a connection reset before it was accepted), this long.
constexpr std::chrono::milliseconds kOutOfFdsPause{250};
constexpr std::chrono::milliseconds kAcceptErrorPause{10};
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

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[i] = kHex[(bits >> (4 * i)) & 0xf];
  return id;
}

// A client's X-Request-Id is kept when it is short and plain, so it cannot forge log lines.
bool IsPlainId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The path for the log: printable ASCII only.
std::string LogSafe(std::string_view text) {
  std::string out(text.substr(0, 512));
  for (char& c : out) {
    if (c <= 0x20 || c >= 0x7f) c = '?';
  }
  return out;
}

// A cause for the log on one line: control characters (CR, LF) become spaces.
std::string OneLine(std::string_view text) {
  std::string out(text.substr(0, 2048));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// Appends "Name: value\r\n". CR and LF in either would split the response: they become spaces.
void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t start = out.size();
  out.append(name).append(": ").append(value);
  for (std::size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
  }
  out.append("\r\n");
}

// The whole response, head and body, in one buffer: one write, no per-field allocations.
// Security headers unless the response sets its own CSP or Cache-Control.
void SerializeResponse(const Response& response, std::string_view request_id, unsigned version,
                       bool keep_alive, bool head_request, std::string& out) {
  const bool no_body = response.status == 204 || response.status == 304 || response.status < 200;
  out.clear();
  out.reserve(512 + response.body.size());
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(response.status)).append(" ");
  out.append(ReasonPhrase(response.status)).append("\r\n");
  if (!response.content_type.empty()) AppendHeader(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers.entries()) AppendHeader(out, name, value);
  out.append(
      "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
      "Referrer-Policy: no-referrer\r\n");
  if (!response.headers.Has("Content-Security-Policy")) {
    const bool html = response.content_type.rfind("text/html", 0) == 0;
    AppendHeader(out, "Content-Security-Policy",
                 html ? "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                        "form-action 'self'"
                      : "default-src 'none'; frame-ancestors 'none'");
  }
  if (!response.headers.Has("Cache-Control")) out.append("Cache-Control: no-store\r\n");
  AppendHeader(out, "X-Request-Id", request_id);
  if (!no_body) AppendHeader(out, "Content-Length", std::to_string(response.body.size()));
  if (version == 10 && keep_alive) out.append("Connection: keep-alive\r\n");
  if (version != 10 && !keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  if (!no_body && !head_request) out.append(response.body);
}

class Session;

// A year, the value browsers' preload lists ask for; no includeSubDomains: other hosts of the
// operator's domain may not serve TLS.
constexpr char kHstsValue[] = "max-age=31536000";

}  // namespace

class Server::Impl {
 public:
  // One context per I/O thread; concurrency hint 1 tells Asio each is run by one thread.
  struct Worker {
    asio::io_context ioc{1};
    std::optional<asio::executor_work_guard<Executor>> guard;
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
  void Register(Session* session, std::weak_ptr<Session> weak, std::string address);
  void Unregister(Session* session);

  // Declared before the contexts so sessions destroyed with them can still unregister.
  ServerOptions options_;
  const Router* router_;
  std::shared_ptr<spdlog::logger> logger_;
  std::string public_url_;  // normalized options_.public_url
  // The public URL is https: every answer tells browsers to use nothing else (RFC 6797).
  bool hsts_ = false;
  std::size_t max_connections_ = 0;
  struct Entry {
    std::weak_ptr<Session> session;
    std::string address;  // the peer's, for per_address_
  };
  std::mutex sessions_mu_;
  std::unordered_map<Session*, Entry> sessions_;              // guarded by sessions_mu_
  std::unordered_map<std::string, std::size_t> per_address_;  // guarded by sessions_mu_
  std::atomic<bool> stopping_{false};
  std::atomic<bool> accept_paused_{false};  // written on control_ only
  WarnThrottle accept_warnings_;            // on control_
  WarnThrottle refusal_warnings_;           // on control_
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

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl* server, Socket socket)
      : server_(server), options_(server->options_), stream_(std::move(socket)) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      peer_address_ = peer.address().to_string();
      peer_port_ = peer.port();
    }
    if (!server->public_url_.empty()) {
      base_url_ = server->public_url_;
    } else {
      // The address the client reached, which the client cannot choose the way it chooses
      // Host; with a wildcard listen address this is the interface it came in on.
      tcp::endpoint local = stream_.socket().local_endpoint(ec);
      base_url_ =
          ec ? "http://localhost"
             : OriginOfAddress(local.address().to_string(), local.address().is_v6(), local.port());
    }
  }
  ~Session() { server_->Unregister(this); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Graceful shutdown: a connection waiting for its next request closes now.
  void CloseIfIdle() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_ && self->buffer_.size() == 0) self->stream_.cancel();
    });
  }
  // The grace period is over: close whatever the state.
  void ForceClose() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().close(ec);
    });
  }

 private:
  void ReadHeader() {
    if (server_->stopping_ && !first_) return;  // answered with Connection: close already
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    stream_.expires_after(first_ ? options_.read_timeout : options_.idle_timeout);
    idle_ = true;
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    start_ = Clock::now();
    if (ec) return OnReadError(ec);
    auto& message = parser_->get();
    headers_ = Headers();
    for (const auto& field : message) {
      headers_.Add(std::string(field.name_string()), std::string(field.value()));
    }
    // Before any body byte is read: a request whose length is in doubt is refused and the
    // connection closed, so what follows its head is never run as a request.
    if (FramingVerdict verdict = CheckFraming(headers_, message.version()); !verdict.ok()) {
      ProblemOptions problem;
      problem.http_status = verdict.status;
      return SendError(ProblemResponse(
          base::Status::InvalidField(verdict.field, "Invalid", verdict.detail), problem));
    }
    stream_.expires_after(options_.read_timeout);
    auto expect = message[bhttp::field::expect];
    if (!parser_->is_done() && beast::iequals(expect, "100-continue")) {
      continue_ = {bhttp::status::continue_, 11};
      bhttp::async_write(stream_, continue_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                           if (ec) return;
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->Process();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return SendError(ProblemResponse(413, "The request body is larger than " +
                                                std::to_string(options_.body_limit) + " bytes"));
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(ProblemResponse(431, "The request header is too large"));
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return SendError(ProblemResponse(400, "Malformed HTTP request"));
    }
    // End of stream, timeout, reset, cancellation: nothing to answer.
    Shutdown();
  }

  // Answers a request that could not be read and closes the connection.
  void SendError(Response response) {
    Request request;
    request.method_name = "-";
    request.request_id = NewRequestId();
    // The request line is stored as soon as it is parsed, also when a limit stopped the header.
    if (parser_ && !parser_->get().target().empty()) {
      request.method_name = std::string(parser_->get().method_string());
      request.target = std::string(parser_->get().target());
      request.path = request.target.substr(0, request.target.find('?'));
    }
    close_after_write_ = true;
    drain_after_write_ = true;
    if (start_ == Clock::time_point()) start_ = Clock::now();
    Finish(request, std::move(response), server_->router_->unmatched_series());
  }

  void Process() {
    auto request = std::make_shared<Request>();
    {
      bhttp::request<bhttp::string_body> message = parser_->release();
      keep_alive_ = message.keep_alive();
      version_ = message.version();
      request->method_name = std::string(message.method_string());
      request->method = ParseMethod(request->method_name);
      request->target = std::string(message.target());
      request->headers = std::move(headers_);
      request->body = std::move(message.body());
    }
    request->peer_address = peer_address_;
    request->base_url = base_url_;
    request->base_url_configured = !server_->public_url_.empty();
    request->peer_port = peer_port_;
    std::string_view client_id = request->headers.Get("X-Request-Id");
    request->request_id = IsPlainId(client_id) ? std::string(client_id) : NewRequestId();

    if (base::Status parsed = ParseTarget(*request); !parsed.ok()) {
      return Finish(*request, ProblemResponse(parsed), server_->router_->unmatched_series());
    }
    Router::Match match = server_->router_->Find(*request);
    if (match.error) return Finish(*request, std::move(*match.error), match.series);
    const bool may_write = request->method != Method::kGet && request->method != Method::kHead &&
                           request->method != Method::kOptions;
    if (!match.blocking && !may_write) {
      Response response = Invoke(match, *request);
      return Finish(*request, std::move(response), match.series);
    }
    // Offloaded: the work guard keeps this context running while the handler runs.
    auto guard = asio::make_work_guard(stream_.get_executor());
    asio::thread_pool& pool = match.blocking ? server_->pool_ : server_->write_pool_;
    asio::post(pool, [self = shared_from_this(), request, match, guard]() mutable {
      auto response = std::make_shared<Response>(self->Invoke(match, *request));
      asio::post(self->stream_.get_executor(), [self, request, match, response, guard] {
        self->Finish(*request, std::move(*response), match.series);
      });
    });
  }

  // Runs middleware and handler; an exception becomes a generic 500.
  Response Invoke(const Router::Match& match, Request& request) {
    try {
      return server_->router_->Run(match, request);
    } catch (const std::exception& e) {
      server_->logger_->error("http handler threw rid={} route={}: {}", request.request_id,
                              request.route_name, e.what());
    } catch (...) {
      server_->logger_->error("http handler threw rid={} route={}: unknown exception",
                              request.request_id, request.route_name);
    }
    return ProblemResponse(500, kInternalDetail);
  }

  void Finish(const Request& request, Response response, Metrics::Series* series) {
    keep_alive_after_write_ = keep_alive_ && !close_after_write_ && !server_->stopping_;
    if (server_->hsts_) response.headers.Set("Strict-Transport-Security", kHstsValue);
    SerializeResponse(response, request.request_id, version_, keep_alive_after_write_,
                      request.method == Method::kHead, out_);

    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
    Metrics::Record(series, response.status, static_cast<std::uint64_t>(micros.count()));
    if (!response.log_cause.empty()) {
      // Through the access log's logger, so it is one whole line among the others (a write to
      // stderr used to land in the middle of a buffered access-log line).
      server_->logger_->log(response.status >= 500 ? spdlog::level::err : spdlog::level::warn,
                            "http failed rid={} route=\"{}\" status={} peer={}: {}",
                            request.request_id,
                            request.route_name.empty() ? "-" : request.route_name, response.status,
                            peer_address_, OneLine(response.log_cause));
    }
    if (options_.access_log) {
      server_->logger_->info(
          "http method={} path={} status={} ms={:.3f} user={} account={} rid={} peer={} "
          "route=\"{}\"",
          LogSafe(request.method_name), LogSafe(request.path), response.status,
          static_cast<double>(micros.count()) / 1000.0, request.user_id, request.account_id,
          request.request_id, peer_address_, request.route_name.empty() ? "-" : request.route_name);
    }

    stream_.expires_after(options_.write_timeout);
    asio::async_write(
        stream_, asio::buffer(out_),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return;  // the session ends; the socket closes with it
    if (drain_after_write_) return Drain();
    if (!keep_alive_after_write_) return Shutdown();
    first_ = false;
    ReadHeader();
  }

  // Half-closes, then reads and drops what the client still sends, for a bounded time.
  void Drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTime);
    drain_buffer_.resize(16 << 10);
    ReadDrain();
  }
  void ReadDrain() {
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainLimit) return;
                              self->ReadDrain();
                            });
  }

  void Shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  Server::Impl* server_;
  const ServerOptions& options_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::empty_body> continue_;
  std::string out_;  // the response being written
  bool keep_alive_after_write_ = false;
  std::string drain_buffer_;
  std::size_t drained_ = 0;
  std::string peer_address_;
  std::uint16_t peer_port_ = 0;
  std::string base_url_;
  Headers headers_;  // of the request being read, checked before its body
  Clock::time_point start_;
  unsigned version_ = 11;
  bool first_ = true;
  bool idle_ = false;
  bool keep_alive_ = false;
  bool close_after_write_ = false;
  bool drain_after_write_ = false;
};

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
  auto session = std::make_shared<Session>(this, std::move(socket));
  Register(session.get(), session, std::move(address));
  session->Start();
}

// Over a cap: the answer goes out in one non-blocking write (a fresh socket's send buffer has
// room), the request is never read, and the descriptor is freed at once. A client that already
// sent its request may see a reset instead of the 503; either way it is not served.
void Server::Impl::Refuse(Socket socket, const std::string& address, std::string_view which) {
  Response response = ProblemResponse(503, "Too many connections; retry later");
  response.headers.Set("Retry-After", "1");
  std::string out;
  SerializeResponse(response, NewRequestId(), 11, false, false, out);
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

void Server::Impl::Register(Session* session, std::weak_ptr<Session> weak, std::string address) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  ++per_address_[address];
  sessions_.emplace(session, Entry{std::move(weak), std::move(address)});
}

void Server::Impl::Unregister(Session* session) {
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
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [unused, entry] : sessions_) {
      if (auto session = entry.session.lock()) live.push_back(std::move(session));
    }
  }
  logger_->info("http stopping: {} open connection(s)", live.size());
  for (auto& session : live) session->CloseIfIdle();
  live.clear();
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](beast::error_code ec) {
    if (ec) return;  // cancelled: every connection is gone
    std::lock_guard<std::mutex> lock(sessions_mu_);
    logger_->warn("http grace period over: closing {} connection(s)", sessions_.size());
    for (auto& [unused, entry] : sessions_) {
      if (auto session = entry.session.lock()) session->ForceClose();
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
void Server::Offload(std::function<void()> task) { asio::post(impl_->pool_, std::move(task)); }

}  // namespace gatehouse::http
