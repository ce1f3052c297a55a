#include "service/auth/auth_keys.h"

#include <mutex>

#include "auth/tokens.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::string_view kKeyPrefix = "jwt_signing_key.";

std::string KeyName(std::size_t n) { return std::string(kKeyPrefix) + std::to_string(n); }

std::string EncodeKey(const auth::JwtKey& key) {
  return key.kid + ":" + auth::Base64UrlEncode(key.secret);
}

Result<auth::JwtKey> DecodeKey(std::string_view name, std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::Internal("installation key " + std::string(name) + " is malformed");
  }
  Result<std::string> secret = auth::Base64UrlDecode(value.substr(colon + 1));
  if (!secret.ok() || secret->size() != auth::kJwtKeyBytes) {
    return Status::Internal("installation key " + std::string(name) + " is malformed");
  }
  return auth::JwtKey{std::string(value.substr(0, colon)), std::move(secret).value()};
}

}  // namespace

Result<std::unique_ptr<JwtKeyRing>> JwtKeyRing::Load(
    storage::Store* store, std::chrono::steady_clock::duration reload_interval) {
  std::unique_ptr<JwtKeyRing> ring(new JwtKeyRing(store, reload_interval));
  GH_RETURN_IF_ERROR(ring->Reload());
  if (ring->size() == 0) {
    GH_ASSIGN_OR_RETURN(std::string value,
                        store->PutInstallationKey(KeyName(1), EncodeKey(auth::NewJwtKey())));
    GH_ASSIGN_OR_RETURN(auth::JwtKey key, DecodeKey(KeyName(1), value));
    std::unique_lock lock(ring->mu_);
    ring->keys_.push_back(std::move(key));
  }
  return ring;
}

Status JwtKeyRing::Reload() {
  // Read before the keys: a key added meanwhile leaves the ring stale, so it is read again.
  const std::uint64_t epoch = store_->keys_epoch();
  std::vector<auth::JwtKey> keys;
  for (std::size_t n = 1;; ++n) {
    Result<std::string> value = store_->GetInstallationKey(KeyName(n));
    if (!value.ok()) {
      if (value.status().code() == base::Code::kNotFound) break;
      return value.status();
    }
    GH_ASSIGN_OR_RETURN(auth::JwtKey key, DecodeKey(KeyName(n), *value));
    keys.push_back(std::move(key));
  }
  std::unique_lock lock(mu_);
  if (keys.size() >= keys_.size()) keys_ = std::move(keys);
  last_reload_ = std::chrono::steady_clock::now();
  loaded_keys_epoch_ = epoch;
  return Status::Ok();
}

bool JwtKeyRing::Stale() const {
  std::shared_lock lock(mu_);
  return store_->keys_epoch() != loaded_keys_epoch_ ||
         std::chrono::steady_clock::now() - last_reload_ >= reload_interval_;
}

Result<std::string> JwtKeyRing::Sign(const auth::JwtClaims& claims) {
  if (Stale()) GH_RETURN_IF_ERROR(Reload());
  std::shared_lock lock(mu_);
  if (keys_.empty()) return Status::Internal("no JWT signing key");
  return auth::SignJwt(claims, keys_.back());
}

std::optional<std::string> JwtKeyRing::Lookup(std::string_view kid) {
  auto find = [&]() -> std::optional<std::string> {
    std::shared_lock lock(mu_);
    for (const auth::JwtKey& key : keys_) {
      if (key.kid == kid) return key.secret;
    }
    return std::nullopt;
  };
  if (auto secret = find()) return secret;
  if (!Stale() || !Reload().ok()) return std::nullopt;
  return find();
}

Result<std::string> JwtKeyRing::Rotate() {
  GH_RETURN_IF_ERROR(Reload());
  const std::size_t next = size() + 1;
  GH_ASSIGN_OR_RETURN(std::string value,
                      store_->PutInstallationKey(KeyName(next), EncodeKey(auth::NewJwtKey())));
  GH_ASSIGN_OR_RETURN(auth::JwtKey key, DecodeKey(KeyName(next), value));
  std::string kid = key.kid;
  std::unique_lock lock(mu_);
  if (keys_.size() == next - 1) keys_.push_back(std::move(key));
  return kid;
}

std::string JwtKeyRing::current_kid() const {
  std::shared_lock lock(mu_);
  return keys_.empty() ? std::string() : keys_.back().kid;
}

std::size_t JwtKeyRing::size() const {
  std::shared_lock lock(mu_);
  return keys_.size();
}

}  // namespace gatehouse::service
