// IP addresses, CIDR ranges, the IP whitelist's entries and the client address behind proxies.
//
// Address text: anything inet_pton accepts (dotted-quad IPv4, RFC 4291 IPv6 without a zone id).
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address a.b.c.d, so a dual-stack
// socket's peer matches IPv4 whitelist entries. Range text: "<address>" (one host) or
// "<address>/<prefix>" with prefix 0..32 (IPv4) or 0..128 (IPv6); the network address is
// normalized (host bits cleared: "10.1.2.3/8" is 10.0.0.0/8).
// Thread-safety: values only; all functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace gatehouse::auth {

struct IpAddress {
  bool v4 = true;
  // IPv4 uses bytes[0..3] only (the rest zero); IPv6 all 16.
  std::array<std::uint8_t, 16> bytes{};

  int BitLength() const { return v4 ? 32 : 128; }
  // Canonical text (inet_ntop): "10.0.0.1", "2001:db8::1".
  std::string ToString() const;
  // 127/8, ::1.
  bool IsLoopback() const;
  // Loopback, RFC 1918, link-local (169.254/16, fe80::/10), unique-local fc00::/7, 0.0.0.0/8,
  // CGNAT 100.64/10, unspecified: addresses no geolocation database can place.
  bool IsPrivateOrLocal() const;

  bool operator==(const IpAddress&) const = default;
};

struct IpRange {
  IpAddress network{};  // host bits cleared
  int prefix = 32;

  // "10.0.0.0/8"; a single host prints without the prefix ("10.0.0.1").
  std::string ToString() const;

  bool operator==(const IpRange&) const = default;
};

// kInvalidArgument "<text>: not an IP address" on failure.
base::Result<IpAddress> ParseIpAddress(std::string_view text);

// Parses "<address>[/<prefix>]" (see above). kInvalidArgument with a message naming the input:
// "<text>: not an IP address", "<text>: prefix length must be 0..32" (or 0..128, or 96..128
// for an IPv4-mapped IPv6 network), "<text>: prefix length is not a number".
base::Result<IpRange> ParseIpRange(std::string_view text);

// True when `address` lies in `range` (an IPv4 address never lies in an IPv6 range and vice
// versa, after the IPv4-mapped mapping).
bool Contains(const IpRange& range, const IpAddress& address);
// True when any range contains it.
bool ContainsAny(const std::vector<IpRange>& ranges, const IpAddress& address);

// One IP whitelist entry as typed by an administrator: surrounding spaces trimmed, then
// ParseIpRange. Failure is kInvalidArgument with one FieldError at `field` (code
// "InvalidIpRange", detail e.g. "10.0.0.0/33: prefix length must be 0..32", or "empty entry").
base::Result<IpRange> ParseWhitelistEntry(std::string_view text, std::string_view field = "value");

// The client's address. When `peer` is not in `trusted_proxies` it is the peer, whatever the
// X-Forwarded-For header says (an untrusted peer can write anything there). When the peer is a
// trusted proxy, the X-Forwarded-For entries ("a, b, c"; each may be "[v6]", "[v6]:port" or
// "v4:port") are walked right to left, skipping trusted proxies, and the first untrusted one
// is the client. If an entry does not parse, or every entry is trusted, the left-most address
// reached so far is returned (the last hop we can vouch for).
IpAddress ClientAddress(const IpAddress& peer, std::string_view x_forwarded_for,
                        const std::vector<IpRange>& trusted_proxies);

}  // namespace gatehouse::auth
