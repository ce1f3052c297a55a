#include "auth/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "base/text.h"

namespace gatehouse::auth {
namespace {

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool InRange(const IpAddress& a, std::uint8_t b0, std::uint8_t b1, int prefix) {
  IpRange r;
  r.network.v4 = a.v4;
  r.network.bytes[0] = b0;
  r.network.bytes[1] = b1;
  r.prefix = prefix;
  return Contains(r, a);
}

// Clears every bit past `prefix`.
void Mask(IpAddress& a, int prefix) {
  for (int i = 0; i < 16; ++i) {
    int keep = prefix - i * 8;
    if (keep >= 8) continue;
    a.bytes[i] = keep <= 0 ? 0 : static_cast<std::uint8_t>(a.bytes[i] & (0xff << (8 - keep)));
  }
}

// Parses an address and reports whether it was written as IPv4-mapped IPv6 (prefix lengths of
// such a range count from bit 96).
bool ParseAddress(std::string_view text, IpAddress& out, bool& mapped) {
  mapped = false;
  // inet_pton reads up to the first NUL: "10.0.0.1\0junk" would pass as 10.0.0.1.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN ||
      text.find('\0') != std::string_view::npos) {
    return false;
  }
  std::string s(text);  // inet_pton wants NUL termination
  if (s.find(':') == std::string::npos) {
    out = IpAddress{};
    out.v4 = true;
    return inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1;
  }
  std::uint8_t b[16];
  if (inet_pton(AF_INET6, s.c_str(), b) != 1) return false;  // also rejects "%zone"
  out = IpAddress{};
  if (std::memcmp(b, kMappedPrefix, sizeof kMappedPrefix) == 0) {
    mapped = true;
    out.v4 = true;
    std::memcpy(out.bytes.data(), b + 12, 4);
  } else {
    out.v4 = false;
    std::memcpy(out.bytes.data(), b, 16);
  }
  return true;
}

// One X-Forwarded-For element: "1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]:80".
bool ParseForwardedElement(std::string_view s, IpAddress& out) {
  s = base::Trim(s);
  bool mapped = false;
  if (!s.empty() && s.front() == '[') {
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    s = s.substr(1, close - 1);
  } else if (std::size_t colon = s.find(':');
             colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
    s = s.substr(0, colon);  // IPv4 with a port
  }
  return ParseAddress(s, out, mapped);
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::IsLoopback() const {
  if (v4) return bytes[0] == 127;
  IpAddress one;
  one.v4 = false;
  one.bytes[15] = 1;
  return *this == one;
}

bool IpAddress::IsPrivateOrLocal() const {
  if (v4) {
    return bytes[0] == 0 || bytes[0] == 10 || bytes[0] == 127 || bytes[0] >= 224 ||
           InRange(*this, 172, 16, 12) || InRange(*this, 192, 168, 16) ||
           InRange(*this, 169, 254, 16) || InRange(*this, 100, 64, 10);
  }
  IpAddress zero;
  zero.v4 = false;
  return IsLoopback() || *this == zero || InRange(*this, 0xfe, 0x80, 10) ||
         InRange(*this, 0xfc, 0x00, 7) || bytes[0] == 0xff;
}

std::string IpRange::ToString() const {
  if (prefix == network.BitLength()) return network.ToString();
  return network.ToString() + "/" + std::to_string(prefix);
}

base::Result<IpAddress> ParseIpAddress(std::string_view text) {
  IpAddress a;
  bool mapped = false;
  if (!ParseAddress(text, a, mapped)) {
    return base::Status::Invalid(std::string(text) + ": not an IP address");
  }
  return a;
}

base::Result<IpRange> ParseIpRange(std::string_view text) {
  std::string name(text);
  std::size_t slash = text.find('/');
  IpRange r;
  bool mapped = false;
  if (!ParseAddress(text.substr(0, slash), r.network, mapped)) {
    return base::Status::Invalid(name + ": not an IP address");
  }
  const int max = mapped ? 128 : r.network.BitLength();
  const int min = mapped ? 96 : 0;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return base::Status::Invalid(name + ": prefix length is not a number");
    }
    std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (prefix < min || prefix > max) {
      return base::Status::Invalid(name + ": prefix length must be " + std::to_string(min) + ".." +
                                   std::to_string(max));
    }
  }
  r.prefix = mapped ? prefix - 96 : prefix;
  Mask(r.network, r.prefix);
  return r;
}

bool Contains(const IpRange& range, const IpAddress& address) {
  if (range.network.v4 != address.v4) return false;
  IpAddress masked = address;
  Mask(masked, range.prefix);
  return masked == range.network;
}

bool ContainsAny(const std::vector<IpRange>& ranges, const IpAddress& address) {
  for (const IpRange& r : ranges) {
    if (Contains(r, address)) return true;
  }
  return false;
}

base::Result<IpRange> ParseWhitelistEntry(std::string_view text, std::string_view field) {
  std::string_view trimmed = base::Trim(text);
  if (trimmed.empty()) {
    return base::Status::InvalidField(std::string(field), "InvalidIpRange", "empty entry");
  }
  auto range = ParseIpRange(trimmed);
  if (!range.ok()) {
    return base::Status::InvalidField(std::string(field), "InvalidIpRange",
                                      range.status().message());
  }
  return range;
}

IpAddress ClientAddress(const IpAddress& peer, std::string_view x_forwarded_for,
                        const std::vector<IpRange>& trusted_proxies) {
  IpAddress client = peer;
  if (!ContainsAny(trusted_proxies, peer)) return client;
  std::string_view rest = x_forwarded_for;
  while (!base::Trim(rest).empty()) {
    std::size_t comma = rest.rfind(',');
    std::string_view element = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    IpAddress hop;
    if (!ParseForwardedElement(element, hop)) break;  // garbage: trust nothing left of it
    client = hop;
    if (!ContainsAny(trusted_proxies, hop)) break;
  }
  return client;
}

}  // namespace gatehouse::auth
