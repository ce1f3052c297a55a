// One connection of the server: reads a request head, refuses one whose framing is in doubt,
// reads the body, runs the router (on a pool when the route blocks or may write), writes the
// answer, and keeps the connection for the next request or closes it. See server.cc for the
// threads and the shutdown.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <random>

#include "http/framing.h"
#include "http/origin.h"
#include "http/problem.h"
#include "http/server_internal.h"

namespace gatehouse::http::internal {

namespace bhttp = boost::beast::http;

using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[i] = kHex[(bits >> (4 * i)) & 0xf];
  return id;
}

namespace {

// Appends "Name: value\r\n". CR and LF in either would split the response: they become spaces.
void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t start = out.size();
  out.append(name).append(": ").append(value);
  for (std::size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
  }
  out.append("\r\n");
}

}  // namespace

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

namespace {

// Bytes read and dropped after an error answer, so closing does not reset the connection
// before the client has read the answer.
constexpr std::size_t kDrainLimit = 4 << 20;
constexpr std::chrono::seconds kDrainTime{2};

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

// A year, the value browsers' preload lists ask for; no includeSubDomains: other hosts of the
// operator's domain may not serve TLS.
constexpr char kHstsValue[] = "max-age=31536000";

}  // namespace

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
      const ProblemOptions problem{.http_status = verdict.status};
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
    Request request{.method_name = "-", .request_id = NewRequestId()};
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

std::shared_ptr<Session> NewSession(Server::Impl* server, Socket socket) {
  return std::make_shared<Session>(server, std::move(socket));
}
void StartSession(Session& session) { session.Start(); }
void CloseIfIdle(Session& session) { session.CloseIfIdle(); }
void ForceClose(Session& session) { session.ForceClose(); }

}  // namespace gatehouse::http::internal
