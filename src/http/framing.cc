// The request framing rules of framing.h. Every rule here exists because two parsers (a proxy
// in front of us and Beast) could otherwise disagree on where a request ends: a request whose
// length we cannot determine the same way everyone else does is refused and its connection
// closed, never guessed at (request smuggling).
#include "http/framing.h"

#include <vector>

#include "base/text.h"

namespace gatehouse::http {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The non-empty elements of a comma-separated list (RFC 9110 §5.6.1 allows empty ones).
std::vector<std::string_view> ListElements(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = value.find(',');
    std::string_view element = base::Trim(value.substr(0, comma));
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

FramingVerdict Refuse(int status, std::string field, std::string detail) {
  return {status, std::move(field), std::move(detail)};
}

FramingVerdict CheckTransferEncoding(const Headers& headers, unsigned version) {
  if (version < 11) {
    return Refuse(400, "Transfer-Encoding", "Transfer-Encoding is not allowed in HTTP/1.0");
  }
  if (headers.Has("Content-Length")) {
    return Refuse(400, "Transfer-Encoding",
                  "Transfer-Encoding and Content-Length must not both be sent");
  }
  const std::string combined = headers.Combined("Transfer-Encoding");
  const std::vector<std::string_view> codings = ListElements(combined);
  if (codings.empty() || !EqualsIgnoreCase(codings.back(), "chunked")) {
    return Refuse(400, "Transfer-Encoding",
                  "the final transfer coding must be chunked, else the body length is unknown");
  }
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (EqualsIgnoreCase(codings[i], "chunked")) {
      return Refuse(400, "Transfer-Encoding", "chunked must be applied only once");
    }
  }
  if (codings.size() > 1) {
    return Refuse(501, "Transfer-Encoding", "only the chunked transfer coding is supported");
  }
  return {};
}

FramingVerdict CheckContentLength(const Headers& headers) {
  const std::string combined = headers.Combined("Content-Length");
  std::string_view first;
  for (std::string_view element : ListElements(combined)) {
    bool digits = element.size() <= 19;
    for (char c : element) digits = digits && IsDigit(c);
    if (!digits) return Refuse(400, "Content-Length", "Content-Length must be a decimal number");
    if (!first.empty() && element != first) {
      return Refuse(400, "Content-Length", "conflicting Content-Length values");
    }
    first = element;
  }
  if (headers.Has("Content-Length") && first.empty()) {
    return Refuse(400, "Content-Length", "Content-Length must be a decimal number");
  }
  return {};
}

FramingVerdict CheckHost(const Headers& headers, unsigned version) {
  const std::size_t count = headers.Count("Host");
  if (count > 1) return Refuse(400, "Host", "more than one Host header");
  if (count == 0) {
    if (version >= 11) return Refuse(400, "Host", "an HTTP/1.1 request needs a Host header");
    return {};
  }
  if (!IsValidHost(base::Trim(headers.Get("Host")))) {
    return Refuse(400, "Host", "the Host header is not a valid host[:port]");
  }
  return {};
}

bool IsRegNameChar(char c) {
  static constexpr std::string_view kOther = "-._~!$&'()*+,;=";
  return IsAlpha(c) || IsDigit(c) || kOther.find(c) != std::string_view::npos;
}

bool IsValidRegName(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%') {
      if (i + 2 >= name.size() || !IsHex(name[i + 1]) || !IsHex(name[i + 2])) return false;
      i += 2;
    } else if (!IsRegNameChar(name[i])) {
      return false;
    }
  }
  return true;
}

// "[...]": an IPv6 address (hex, ':' and a dotted IPv4 tail) or an IPvFuture; loose on the
// inside (no address is parsed from it), strict on the characters.
bool IsValidIpLiteral(std::string_view literal) {
  if (literal.size() < 3 || literal.front() != '[' || literal.back() != ']') return false;
  std::string_view inner = literal.substr(1, literal.size() - 2);
  for (char c : inner) {
    if (!IsHex(c) && c != ':' && c != '.' && c != 'v' && c != 'V' && !IsRegNameChar(c)) {
      return false;
    }
  }
  return inner.find(':') != std::string_view::npos || inner.front() == 'v' || inner.front() == 'V';
}

}  // namespace

bool IsValidHost(std::string_view host) {
  if (host.empty()) return false;
  std::string_view name = host;
  std::string_view port;
  if (host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(0, close + 1);
    std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
    if (!IsValidIpLiteral(name)) return false;
  } else {
    const std::size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      name = host.substr(0, colon);
      port = host.substr(colon + 1);
      if (port.find(':') != std::string_view::npos) return false;
    }
    if (name.empty() || !IsValidRegName(name)) return false;
  }
  if (port.size() > 5) return false;
  for (char c : port) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

FramingVerdict CheckFraming(const Headers& headers, unsigned version) {
  if (headers.Has("Transfer-Encoding")) {
    if (FramingVerdict v = CheckTransferEncoding(headers, version); !v.ok()) return v;
  }
  if (FramingVerdict v = CheckContentLength(headers); !v.ok()) return v;
  return CheckHost(headers, version);
}

}  // namespace gatehouse::http
