// HS256 JSON Web Tokens for API access (Kommo-compatible bearer tokens, kommo-api-v4.md §2).
//
// Grammar (RFC 7519 / RFC 7515 compact serialization):
//   token   = b64url(header) "." b64url(payload) "." b64url(HMAC-SHA256(key, header "." payload))
//   header  = {"alg":"HS256","typ":"JWT","kid":"<key id>"}
//   payload = {"sub":"<user id>","acc":<account id>,"jti":"<token id>","iat":<unix s>,
//              "exp":<unix s>,"kind":"personal"|"oauth","client_id":"<uuid>"?,
//              "api_domain":"<host>"}
// b64url is URL-safe base64 without padding. Verification accepts only alg "HS256" (never
// "none" nor any other), requires a known kid, a valid signature (constant-time), exp > now and
// iat no later than now + kJwtClockSkewSeconds. A valid signature proves only that we issued the
// token: the caller still checks the jti against revocations and the user's active state.
//
// Keys rotate: sign with the newest key; verify looks the token's kid up among all keys still
// accepted. Thread-safety: all functions are thread-safe if the lookup function is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/ids.h"

namespace gatehouse::auth {

inline constexpr std::size_t kJwtKeyBytes = 32;
inline constexpr std::int64_t kJwtClockSkewSeconds = 60;
inline constexpr std::size_t kMaxJwtLength = 8192;

enum class TokenKind { kPersonal, kOauth };

// "personal" / "oauth".
const char* TokenKindName(TokenKind kind);

struct JwtClaims {
  domain::UserId sub = 0;     // the user whose rights the token carries
  domain::AccountId acc = 0;  // the account it is valid for
  std::string jti{};          // token id: the revocation handle
  std::int64_t iat = 0;       // issued at, unix seconds
  std::int64_t exp = 0;       // expires at, unix seconds
  TokenKind kind = TokenKind::kPersonal;
  std::optional<std::string> client_id{};  // OAuth integration (kind kOauth)
  std::string api_domain{};                // host the token is used with (Kommo's claim)

  bool operator==(const JwtClaims&) const = default;
};

// A signing key: `kid` names it in the token header, `secret` is kJwtKeyBytes raw bytes.
struct JwtKey {
  std::string kid{};
  std::string secret{};
};

// A new key: 32 random bytes and a random 16-hex-character kid.
JwtKey NewJwtKey();

// Signs `claims` with `key`. kInvalidArgument when the key is shorter than 32 bytes, the kid is
// empty, or exp <= iat.
base::Result<std::string> SignJwt(const JwtClaims& claims, const JwtKey& key);

// Returns the secret for a kid, or nullopt when the kid is unknown or retired.
using JwtKeyLookup = std::function<std::optional<std::string>(std::string_view kid)>;

// Verifies `token` at time `now` (unix seconds). On any failure kUnauthenticated with a message
// for logs ("malformed token", "unsupported alg", "unknown key id", "bad signature",
// "token expired", "issued in the future", "bad claims"); never tells more to the client.
base::Result<JwtClaims> VerifyJwt(std::string_view token, const JwtKeyLookup& lookup,
                                  std::int64_t now);

}  // namespace gatehouse::auth
