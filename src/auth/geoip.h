// Approximate location (country) of an IP address for the sessions list and the security
// report's "session from a new country".
//
// Backends, first that applies: a MaxMind-format .mmdb file when one is configured
// (libmaxminddb: GeoLite2/GeoIP2 Country or City, DB-IP); else Debian's legacy GeoIP country
// databases (/usr/share/GeoIP/GeoIP.dat and GeoIPv6.dat, package geoip-database, via libgeoip)
// when present; else none, and every lookup says "unknown".
// Thread-safety: Lookup is thread-safe (the mmdb is memory-mapped and read-only; legacy lookups
// are serialized by a mutex).
#pragma once

#include <memory>
#include <string>

#include "auth/ip.h"
#include "base/status.h"

namespace gatehouse::auth {

inline constexpr const char* kCountryUnknown = "unknown";
inline constexpr const char* kCountryLocal = "local";

struct GeoIpOptions {
  std::string mmdb_path{};  // empty: not configured
  std::string legacy_v4_path = "/usr/share/GeoIP/GeoIP.dat";
  std::string legacy_v6_path = "/usr/share/GeoIP/GeoIPv6.dat";
};

class GeoIp {
 public:
  // Opens the backend chosen as above. Fails (kFailedPrecondition naming the file and
  // libmaxminddb's reason) only when `mmdb_path` is set and cannot be opened; missing legacy files
  // just mean backend "none".
  static base::Result<std::unique_ptr<GeoIp>> Open(const GeoIpOptions& options);

  // A GeoIp that knows nothing (backend "none").
  static std::unique_ptr<GeoIp> None();

  ~GeoIp();
  GeoIp(const GeoIp&) = delete;
  GeoIp& operator=(const GeoIp&) = delete;

  // ISO 3166-1 alpha-2 country code ("DE"), "local" for loopback/private/link-local addresses,
  // "unknown" when the database has no answer or there is no database.
  std::string Country(const IpAddress& address) const;

  // "mmdb", "geoip-legacy" or "none".
  const char* backend() const;

 private:
  struct Impl;
  explicit GeoIp(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::auth
