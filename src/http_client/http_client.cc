#include "http_client/http_client.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <optional>

#include "base/text.h"

namespace gatehouse::http_client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using base::Result;
using base::Status;

namespace {

Status BadUrl(std::string_view url, const std::string& why) {
  return Status::InvalidField("from", "InvalidUrl", "'" + std::string(url) + "' " + why);
}

}  // namespace

std::string Endpoint::Origin() const {
  const bool default_port = port == (tls ? "443" : "80");
  return std::string(tls ? "https://" : "http://") + host + (default_port ? "" : ":" + port);
}

Result<Endpoint> ParseBaseUrl(std::string_view url) {
  Endpoint out;
  std::string_view rest;
  if (base::AsciiLower(url.substr(0, 8)) == "https://") {
    out.tls = true;
    rest = url.substr(8);
  } else if (base::AsciiLower(url.substr(0, 7)) == "http://") {
    rest = url.substr(7);
  } else {
    return BadUrl(url, "is not an http:// or https:// URL");
  }
  if (rest.find_first_of("?#@") != std::string_view::npos) {
    return BadUrl(url, "must be a base URL without user, query or fragment");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.base_path = std::string(path);
  out.port = out.tls ? "443" : "80";
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl(url, "has an unclosed '['");
    out.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return BadUrl(url, "has junk after the address");
      out.port = std::string(authority.substr(1));
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return BadUrl(url, "names no host");
  if (out.port.empty() || out.port.size() > 5 ||
      !std::all_of(out.port.begin(), out.port.end(),
                   [](unsigned char c) { return std::isdigit(c) != 0; }) ||
      std::stoi(out.port) < 1 || std::stoi(out.port) > 65535) {
    return BadUrl(url, "has an invalid port");
  }
  out.host = base::AsciiLower(out.host);
  return out;
}

std::string Response::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

struct Client::Impl {
  Endpoint endpoint;
  Options options;
  asio::io_context ioc;
  ssl::context tls{ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool connected() const { return plain.has_value() || secure.has_value(); }
  beast::tcp_stream& Lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs the io_context until the operation started before completes (each operation is
  // asynchronous only so that tcp_stream's deadline bounds it).
  void Run() {
    ioc.restart();
    ioc.run();
  }

  Status Failure(const std::string& what, const beast::error_code& ec) {
    Close();
    const std::string reason =
        ec == beast::error::timeout
            ? "timed out after " + std::to_string(options.timeout.count()) + " ms"
            : ec.message();
    return Status::Error(base::Code::kUnavailable,
                         what + " " + endpoint.Origin() + " failed: " + reason);
  }

  void Close() {
    if (connected()) {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      Lowest().socket().close(ignored);
    }
    secure.reset();
    plain.reset();
    buffer.clear();
  }

  Status Connect() {
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    const tcp::resolver::results_type results = resolver.resolve(endpoint.host, endpoint.port, ec);
    if (ec) return Failure("resolving", ec);
    if (endpoint.tls) {
      secure.emplace(ioc, tls);
      // SNI, and the name the certificate must carry.
      if (SSL_set_tlsext_host_name(secure->native_handle(), endpoint.host.c_str()) != 1) {
        Close();
        return Status::Error(base::Code::kUnavailable, "cannot set the TLS server name");
      }
      secure->set_verify_callback(ssl::host_name_verification(endpoint.host));
    } else {
      plain.emplace(ioc);
    }
    Lowest().expires_after(options.timeout);
    Lowest().async_connect(results, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
    Run();
    if (ec) return Failure("connecting to", ec);
    if (secure) {
      Lowest().expires_after(options.timeout);
      secure->async_handshake(ssl::stream_base::client, [&ec](beast::error_code e) { ec = e; });
      Run();
      if (ec) return Failure("TLS handshake with", ec);
    }
    return Status::Ok();
  }

  template <typename Stream>
  Result<Response> Exchange(Stream& stream, const http::request<http::empty_body>& request) {
    beast::error_code ec;
    Lowest().expires_after(options.timeout);
    http::async_write(stream, request, [&ec](beast::error_code e, std::size_t) { ec = e; });
    Run();
    if (ec) return Failure("sending to", ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    Lowest().expires_after(options.timeout);
    http::async_read(stream, buffer, parser, [&ec](beast::error_code e, std::size_t) { ec = e; });
    Run();
    if (ec) return Failure("reading from", ec);
    http::response<http::string_body> message = parser.release();
    Response out{.status = static_cast<int>(message.result_int())};
    for (const auto& field : message) {
      out.headers.emplace_back(base::AsciiLower(std::string(field.name_string())),
                               std::string(field.value()));
    }
    out.body = std::move(message.body());
    if (!message.keep_alive()) Close();
    return out;
  }

  Result<Response> Send(const http::request<http::empty_body>& request) {
    if (!connected()) GH_RETURN_IF_ERROR(Connect());
    if (secure) return Exchange(*secure, request);
    return Exchange(*plain, request);
  }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() {
  if (impl_) impl_->Close();
}

const Endpoint& Client::endpoint() const { return impl_->endpoint; }

Result<std::unique_ptr<Client>> Client::Create(const Endpoint& endpoint, const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->options = options;
  if (endpoint.tls) {
    beast::error_code ec;
    impl->tls.set_default_verify_paths(ec);  // the system's trust store (OpenSSL's defaults)
    if (ec) {
      return Status::Error(base::Code::kUnavailable,
                           "cannot load the system's certificate store: " + ec.message());
    }
    impl->tls.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_2_VERSION);
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Result<Response> Client::Get(std::string_view target, const Headers& headers) {
  http::request<http::empty_body> request{http::verb::get,
                                          impl_->endpoint.base_path + std::string(target), 11};
  const Endpoint& at = impl_->endpoint;
  const bool default_port = at.port == (at.tls ? "443" : "80");
  const std::string host = at.host.find(':') != std::string::npos ? "[" + at.host + "]" : at.host;
  request.set(http::field::host, default_port ? host : host + ":" + at.port);
  request.set(http::field::user_agent, "gatehouse-import/0.1");
  request.set(http::field::accept, "application/hal+json, application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.keep_alive(true);
  const bool reused = impl_->connected();
  Result<Response> response = impl_->Send(request);
  // A kept-alive connection the server has closed meanwhile fails at once: one fresh try.
  if (!response.ok() && reused) response = impl_->Send(request);
  return response;
}

}  // namespace gatehouse::http_client
