// libFuzzer target: the HTTP/1.1 request parser with the server's framing rules.
//
// Input: the bytes a client sends on one connection. They go through what the server does
// with them (http/server.cc): a Beast request_parser with the server's default limits reads a
// head; the framing rules (http/framing.h) judge it before any body is read, and a refused head
// ends the connection; then the body, then the target and query parsing a handler sees
// (ParseTarget, Query). Kept-alive requests follow one another until the input ends or a
// request fails. Crashes and sanitizer reports are the findings; the return value is ignored.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/framing.h"
#include "http/request.h"
#include "http/server.h"

namespace {

namespace bhttp = boost::beast::http;
using gatehouse::http::Headers;

// Parses one request from the front of `input`; false when the connection would end (an
// error, a refused head, or input that ends mid-request).
bool OneRequest(std::string_view& input, const gatehouse::http::ServerOptions& limits) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(limits.body_limit);
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.eager(false);  // the head alone first, as async_read_header does
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (ec || !parser.is_header_done()) return false;
  input.remove_prefix(used);

  auto& message = parser.get();
  Headers headers;
  for (const auto& field : message) {
    headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  if (!gatehouse::http::CheckFraming(headers, message.version()).ok()) return false;
  (void)headers.Combined("X-Forwarded-For");

  parser.eager(true);
  while (!parser.is_done()) {
    used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    if (ec) return false;
    if (used == 0) return false;
    input.remove_prefix(used);
  }
  bhttp::request<bhttp::string_body> done = parser.release();
  gatehouse::http::Request request{.method_name = std::string(done.method_string()),
                                   .target = std::string(done.target()),
                                   .headers = std::move(headers),
                                   .body = std::move(done.body())};
  request.method = gatehouse::http::ParseMethod(request.method_name);
  (void)gatehouse::http::ParseTarget(request);
  return done.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gatehouse::http::ServerOptions limits;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 64 && !input.empty(); ++i) {
    if (!OneRequest(input, limits)) break;
  }
  return 0;
}
