// Origins: the "scheme://host[:port]" links, redirects and OAuth pages are built from.
//
// A request's Host header is whatever the client typed, so it never feeds a link. The origin is
// the configured public URL (`gatehouse serve --public-url`), else the address the client
// connected to; and, only when no public URL is configured and the peer is one of the account's
// trusted proxies, the proxy's X-Forwarded-Proto and X-Forwarded-Host.
// Thread-safety: values only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/headers.h"

namespace gatehouse::http {

// Validates and normalizes a public URL: "http" or "https", a valid host[:port], and nothing
// after it but an optional "/". Returns "scheme://host[:port]" with the scheme and host in
// lower case and no trailing slash. kInvalidArgument with field "public_url" and the reason
// ("must start with http:// or https://", "must not have a path, query or user name", ...).
base::Result<std::string> ParsePublicUrl(std::string_view url);

// "http://ADDRESS:PORT" for a socket address ("[ADDRESS]" for IPv6).
std::string OriginOfAddress(std::string_view address, bool v6, std::uint16_t port);

// The origin a trusted proxy reports: the right-most element (the one the proxy next to us
// wrote) of X-Forwarded-Proto ("http" or "https") and of X-Forwarded-Host (a valid
// host[:port]), each across all lines of its header; each part missing or invalid comes from
// `fallback` (an origin). Call only for a peer known to be a trusted proxy.
std::string ForwardedOrigin(const Headers& headers, std::string_view fallback);

// "host[:port]" of an origin ("https://crm.example:8443" -> "crm.example:8443").
std::string_view AuthorityOf(std::string_view origin);

}  // namespace gatehouse::http
