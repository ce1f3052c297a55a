#include "auth/geoip.h"

#include <GeoIP.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace gatehouse::auth {

struct GeoIp::Impl {
  enum class Kind { kNone, kMmdb, kLegacy } kind = Kind::kNone;
  MMDB_s mmdb{};
  GeoIP* legacy_v4 = nullptr;
  GeoIP* legacy_v6 = nullptr;
  mutable std::mutex legacy_mu;

  ~Impl() {
    if (kind == Kind::kMmdb) MMDB_close(&mmdb);
    if (legacy_v4 != nullptr) GeoIP_delete(legacy_v4);
    if (legacy_v6 != nullptr) GeoIP_delete(legacy_v6);
  }

  std::string LookupMmdb(const IpAddress& a) const {
    sockaddr_storage ss{};
    if (a.v4) {
      auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
      sin->sin_family = AF_INET;
      std::memcpy(&sin->sin_addr, a.bytes.data(), 4);
    } else {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
      sin6->sin6_family = AF_INET6;
      std::memcpy(&sin6->sin6_addr, a.bytes.data(), 16);
    }
    int error = MMDB_SUCCESS;
    // MMDB_lookup_sockaddr only reads the mapped file: safe from many threads.
    MMDB_lookup_result_s result =
        MMDB_lookup_sockaddr(&mmdb, reinterpret_cast<const sockaddr*>(&ss), &error);
    if (error != MMDB_SUCCESS || !result.found_entry) return kCountryUnknown;
    // GeoLite2/GeoIP2 and DB-IP put it in country.iso_code; an anycast or satellite network may
    // only have the registered country.
    for (const char* field : {"country", "registered_country"}) {
      MMDB_entry_data_s data{};
      if (MMDB_get_value(&result.entry, &data, field, "iso_code", nullptr) == MMDB_SUCCESS &&
          data.has_data && data.type == MMDB_DATA_TYPE_UTF8_STRING && data.data_size > 0) {
        return std::string(data.utf8_string, data.data_size);
      }
    }
    return kCountryUnknown;
  }

  std::string LookupLegacy(const IpAddress& a) const {
    std::lock_guard<std::mutex> lock(legacy_mu);
    GeoIPLookup gl{};
    const char* code = nullptr;
    if (a.v4 && legacy_v4 != nullptr) {
      unsigned long ipnum = (static_cast<unsigned long>(a.bytes[0]) << 24) |
                            (static_cast<unsigned long>(a.bytes[1]) << 16) |
                            (static_cast<unsigned long>(a.bytes[2]) << 8) | a.bytes[3];
      code = GeoIP_country_code_by_ipnum_gl(legacy_v4, ipnum, &gl);
    } else if (!a.v4 && legacy_v6 != nullptr) {
      geoipv6_t addr;
      std::memcpy(&addr, a.bytes.data(), 16);
      code = GeoIP_country_code_by_ipnum_v6_gl(legacy_v6, addr, &gl);
    }
    // "--" is the legacy database's "no country".
    if (code == nullptr || *code == '\0' || std::strcmp(code, "--") == 0) return kCountryUnknown;
    return code;
  }
};

GeoIp::GeoIp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GeoIp::~GeoIp() = default;

std::unique_ptr<GeoIp> GeoIp::None() {
  return std::unique_ptr<GeoIp>(new GeoIp(std::make_unique<Impl>()));
}

base::Result<std::unique_ptr<GeoIp>> GeoIp::Open(const GeoIpOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (!options.mmdb_path.empty()) {
    int rc = MMDB_open(options.mmdb_path.c_str(), MMDB_MODE_MMAP, &impl->mmdb);
    if (rc != MMDB_SUCCESS) {
      return base::Status::Error(
          base::Code::kFailedPrecondition,
          "cannot open GeoIP database " + options.mmdb_path + ": " + MMDB_strerror(rc));
    }
    impl->kind = Impl::Kind::kMmdb;
    return std::unique_ptr<GeoIp>(new GeoIp(std::move(impl)));
  }
  // libgeoip prints to stderr when a file is missing; look first. MEMORY_CACHE reads the file
  // once, so later lookups never touch the disk.
  auto open_legacy = [](const std::string& path) -> GeoIP* {
    if (path.empty() || access(path.c_str(), R_OK) != 0) return nullptr;
    return GeoIP_open(path.c_str(), GEOIP_MEMORY_CACHE);
  };
  impl->legacy_v4 = open_legacy(options.legacy_v4_path);
  impl->legacy_v6 = open_legacy(options.legacy_v6_path);
  if (impl->legacy_v4 != nullptr || impl->legacy_v6 != nullptr) impl->kind = Impl::Kind::kLegacy;
  return std::unique_ptr<GeoIp>(new GeoIp(std::move(impl)));
}

std::string GeoIp::Country(const IpAddress& address) const {
  if (address.IsPrivateOrLocal()) return kCountryLocal;
  switch (impl_->kind) {
    case Impl::Kind::kMmdb:
      return impl_->LookupMmdb(address);
    case Impl::Kind::kLegacy:
      return impl_->LookupLegacy(address);
    case Impl::Kind::kNone:
      break;
  }
  return kCountryUnknown;
}

const char* GeoIp::backend() const {
  switch (impl_->kind) {
    case Impl::Kind::kMmdb:
      return "mmdb";
    case Impl::Kind::kLegacy:
      return "geoip-legacy";
    case Impl::Kind::kNone:
      break;
  }
  return "none";
}

}  // namespace gatehouse::auth
