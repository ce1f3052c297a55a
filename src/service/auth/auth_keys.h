// The installation's JWT signing keys: created at first start, rotatable, shared by every server
// process through the store's installation_keys table.
//
// Key names are "jwt_signing_key.<n>" for n = 1, 2, ...; the highest n signs, and every key
// stays valid for verification (a retired key would cut off long-lived tokens it signed, which
// may live five years). Stored value grammar: "<kid>:<base64url secret>" (32 secret bytes).
// Rotation inserts key n+1; if another process inserted it first, its key wins (the store's
// first-writer-wins Put) and both processes converge. A process that meets an unknown kid
// reloads the ring (at most once every few seconds), so a key rotated elsewhere verifies here;
// signing reloads a ring older than the same interval, so a key rotated elsewhere (by
// `gatehouse keys rotate`, say) signs here within that interval, without a restart. On
// PostgreSQL a server that LISTENs hears of a new key at once (Store::kKeysChannel, which moves
// Store::keys_epoch()), and the ring is stale from then on.
//
// Thread-safety: every method is thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwt.h"
#include "base/status.h"
#include "storage/store.h"

namespace gatehouse::service {

class JwtKeyRing {
 public:
  // Loads every stored key, creating key 1 when there is none. Fails on storage errors or a
  // malformed stored key (kInternal naming it).
  static base::Result<std::unique_ptr<JwtKeyRing>> Load(
      storage::Store* store, std::chrono::steady_clock::duration reload_interval = kReloadInterval);

  static constexpr std::chrono::steady_clock::duration kReloadInterval = std::chrono::seconds(5);

  // Signs with the newest key, reloading the ring first when it is older than the interval.
  base::Result<std::string> Sign(const auth::JwtClaims& claims);
  // The secret of `kid`, reloading from the store once when it is unknown here.
  std::optional<std::string> Lookup(std::string_view kid);
  // Adds a new newest key; returns its kid.
  base::Result<std::string> Rotate();

  std::string current_kid() const;
  std::size_t size() const;

 private:
  JwtKeyRing(storage::Store* store, std::chrono::steady_clock::duration reload_interval)
      : store_(store), reload_interval_(reload_interval) {}
  base::Status Reload();  // reads keys 1..n into keys_ (caller holds no lock)
  bool Stale() const;     // caller holds no lock

  storage::Store* store_;
  const std::chrono::steady_clock::duration reload_interval_;
  mutable std::shared_mutex mu_;
  std::vector<auth::JwtKey> keys_;  // index n-1 holds key n
  std::chrono::steady_clock::time_point last_reload_{};
  std::uint64_t loaded_keys_epoch_ = 0;  // Store::keys_epoch() when keys_ was read
};

}  // namespace gatehouse::service
