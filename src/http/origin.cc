#include "http/origin.h"

#include "base/text.h"
#include "http/framing.h"

namespace gatehouse::http {

namespace {

// The right-most non-empty element of a comma-separated value.
std::string_view LastElement(std::string_view value) {
  while (!value.empty()) {
    const std::size_t comma = value.rfind(',');
    std::string_view element =
        base::Trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
    if (!element.empty()) return element;
    if (comma == std::string_view::npos) break;
    value = value.substr(0, comma);
  }
  return {};
}

base::Status Bad(std::string reason) {
  return base::Status::InvalidField("public_url", "Invalid", "public URL " + std::move(reason));
}

}  // namespace

base::Result<std::string> ParsePublicUrl(std::string_view url) {
  const std::string lower = base::AsciiLower(url);
  std::string_view scheme;
  if (lower.starts_with("https://")) {
    scheme = "https";
  } else if (lower.starts_with("http://")) {
    scheme = "http";
  } else {
    return Bad("must start with http:// or https://");
  }
  std::string_view rest = url.substr(scheme.size() + 3);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return Bad("must be scheme://host[:port] without a path, query or user name");
  }
  if (!IsValidHost(rest)) return Bad("has no valid host[:port]");
  return std::string(scheme) + "://" + base::AsciiLower(rest);
}

std::string OriginOfAddress(std::string_view address, bool v6, std::uint16_t port) {
  std::string origin = "http://";
  if (v6)
    origin.append("[").append(address).append("]");
  else
    origin.append(address);
  return origin.append(":").append(std::to_string(port));
}

std::string ForwardedOrigin(const Headers& headers, std::string_view fallback) {
  std::string scheme = base::AsciiLower(LastElement(headers.Combined("X-Forwarded-Proto")));
  if (scheme != "http" && scheme != "https") {
    scheme = std::string(fallback.substr(0, fallback.find(':')));
  }
  const std::string host_value = headers.Combined("X-Forwarded-Host");
  std::string_view host = LastElement(host_value);
  if (!IsValidHost(host)) host = AuthorityOf(fallback);
  return scheme + "://" + base::AsciiLower(host);
}

std::string_view AuthorityOf(std::string_view origin) {
  const std::size_t start = origin.find("://");
  return start == std::string_view::npos ? origin : origin.substr(start + 3);
}

}  // namespace gatehouse::http
