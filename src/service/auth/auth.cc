// Shared pieces of the authentication service: construction, the per-account settings cache,
// client addresses behind proxies and the per-account login throttles.
#include "service/auth/auth.h"

#include "auth/tokens.h"
#include "base/text.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

// Settings are re-read at most this often, so a change made by another server process applies
// here within about a second (SPEC §8); changes made here invalidate at once.
constexpr std::int64_t kSecurityCacheSeconds = 1;

}  // namespace

AuthService::AuthService(storage::Store* store, PolicyCache* policies, const base::Clock* clock,
                         AuthOptions options)
    : store_(store), policies_(policies), clock_(clock), options_(std::move(options)) {
  if (!options_.geoip) options_.geoip = auth::GeoIp::None();
}

AuthService::~AuthService() = default;

Result<std::unique_ptr<AuthService>> AuthService::Create(storage::Store* store,
                                                         PolicyCache* policies,
                                                         const base::Clock* clock,
                                                         AuthOptions options) {
  std::unique_ptr<AuthService> service(new AuthService(store, policies, clock, std::move(options)));
  GH_ASSIGN_OR_RETURN(service->keys_, JwtKeyRing::Load(store));
  // A real Argon2id hash of a random password: verifying against it costs what a real
  // verification costs, so an unknown email answers as slowly as a wrong password.
  GH_ASSIGN_OR_RETURN(service->dummy_hash_, auth::HashPassword(auth::NewToken()));
  return service;
}

Result<std::shared_ptr<const AccountSecurity>> AuthService::Security(domain::AccountId account_id) {
  const std::int64_t now = clock_->NowSeconds();
  {
    std::shared_lock lock(security_mu_);
    auto it = security_cache_.find(account_id);
    if (it != security_cache_.end() && now >= it->second.loaded_at &&
        now - it->second.loaded_at < kSecurityCacheSeconds) {
      return it->second.security;
    }
  }
  GH_ASSIGN_OR_RETURN(AccountSecurity loaded, LoadAccountSecurity(store_->Reader(account_id)));
  auto security = std::make_shared<const AccountSecurity>(std::move(loaded));
  std::unique_lock lock(security_mu_);
  security_cache_[account_id] = {security, now};
  return security;
}

void AuthService::InvalidateSecurity(domain::AccountId account_id) {
  std::unique_lock lock(security_mu_);
  security_cache_.erase(account_id);
}

auth::IpAddress AuthService::ClientAddress(const AccountSecurity& security,
                                           const ClientInfo& client) {
  Result<auth::IpAddress> peer = auth::ParseIpAddress(client.peer);
  // The server always knows its peer; an unparseable one (a test without a peer) is treated as
  // the unspecified address, which no whitelist entry but 0.0.0.0/0 admits.
  auth::IpAddress address = peer.ok() ? *peer : auth::IpAddress{};
  return auth::ClientAddress(address, client.forwarded_for, security.trusted_proxy_ranges);
}

bool AuthService::FromTrustedProxy(const AccountSecurity& security, const ClientInfo& client) {
  Result<auth::IpAddress> peer = auth::ParseIpAddress(client.peer);
  return peer.ok() && auth::ContainsAny(security.trusted_proxy_ranges, *peer);
}

auth::ThrottleOptions AuthService::ThrottleOptionsFor(const SecurityPolicy& policy) {
  auth::ThrottleOptions options;
  options.account_email.lockout_threshold = static_cast<int>(policy.lockout_threshold);
  options.account_email.free_failures =
      std::min(options.account_email.free_failures, options.account_email.lockout_threshold - 1);
  options.account_email.lockout_seconds = policy.lockout_minutes * 60;
  options.ip.lockout_seconds = policy.lockout_minutes * 60;
  return options;
}

std::string AuthService::ThrottleRowKey(auth::ThrottleKeyKind kind, std::string_view key) {
  return std::string(auth::ThrottleKeyKindName(kind)) + ":" + std::string(key);
}

Caller AuthService::EventCaller(domain::AccountId account_id, domain::UserId user_id,
                                std::string client_ip) {
  return Caller{.account_id = account_id,
                .user_id = user_id,
                .actor_id = user_id,
                .via = Via::kSession,
                .client_ip = std::move(client_ip)};
}

Status AuthService::EnforceWhitelist(domain::AccountId account_id, const AccountSecurity& security,
                                     const auth::IpAddress& address, bool api,
                                     domain::UserId user_id, std::string_view entity_type,
                                     std::string event_json, AuthError* error) {
  const WhitelistVerdict verdict = CheckWhitelist(security, address, api);
  if (verdict == WhitelistVerdict::kAllowed) return Status::Ok();
  const bool refused = verdict == WhitelistVerdict::kRefused;
  const std::string ip = address.ToString();
  GH_RETURN_IF_ERROR(store_->Write(account_id, [&](storage::AccountWriter& w) -> Status {
    return RecordEvent(w, EventCaller(account_id, user_id, ip), clock_->NowSeconds(),
                       {refused ? "ip_whitelist_refused" : "ip_whitelist_would_refuse",
                        std::string(entity_type), user_id, "[]", std::move(event_json)});
  }));
  if (!refused) return Status::Ok();
  error->type_suffix = std::string(kIpNotAllowed);
  return Status::Denied("access to this account is not allowed from " + ip);
}

Result<storage::AccountRow> AuthService::ResolveAccount(std::string_view subdomain) {
  if (!subdomain.empty()) {
    return store_->FindAccount(base::AsciiLower(subdomain));
  }
  GH_ASSIGN_OR_RETURN(std::vector<storage::AccountRow> accounts, store_->ListAccounts());
  if (accounts.size() == 1) return accounts.front();
  return Status::InvalidField("subdomain", "Required",
                              "subdomain is required: this server holds several accounts");
}

}  // namespace gatehouse::service
