// HS256 JWTs. The grammar is in jwt.h. Order of checks in VerifyJwt: shape and size, header
// (alg exactly "HS256", kid known), signature (constant-time), and only then the payload is
// parsed, so unauthenticated JSON never reaches the claim code.
#include "auth/jwt.h"

#include <sodium.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "auth/tokens.h"

namespace gatehouse::auth {
namespace {

using nlohmann::json;

std::string HmacSha256(std::string_view key, std::string_view data) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  sodium_memzero(&state, sizeof state);
  return mac;
}

// Parses a JSON object without exceptions; nullopt when it is not valid JSON or not an object.
std::optional<json> ParseObject(std::string_view text) {
  json value = json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

bool ReadInt(const json& obj, const char* name, std::int64_t& out) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_integer()) return false;
  out = it->get<std::int64_t>();
  return true;
}

bool ReadString(const json& obj, const char* name, std::string& out) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool ParseDecimal(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

base::Result<JwtClaims> ReadClaims(const json& payload) {
  JwtClaims c;
  std::string sub, kind;
  if (!ReadString(payload, "sub", sub) || !ParseDecimal(sub, c.sub) ||
      !ReadInt(payload, "acc", c.acc) || c.acc <= 0 || !ReadString(payload, "jti", c.jti) ||
      c.jti.empty() || !ReadInt(payload, "iat", c.iat) || !ReadInt(payload, "exp", c.exp) ||
      !ReadString(payload, "kind", kind) || !ReadString(payload, "api_domain", c.api_domain)) {
    return base::Status::Unauthenticated("bad claims");
  }
  if (kind == "personal") {
    c.kind = TokenKind::kPersonal;
  } else if (kind == "oauth") {
    c.kind = TokenKind::kOauth;
  } else {
    return base::Status::Unauthenticated("bad claims");
  }
  if (auto it = payload.find("client_id"); it != payload.end()) {
    if (!it->is_string()) return base::Status::Unauthenticated("bad claims");
    c.client_id = it->get<std::string>();
  }
  return c;
}

// The key the token's header names: HS256 only, no "crit", "typ" JWT when present, and a "kid"
// that `lookup` knows with a key of at least kJwtKeyBytes.
base::Result<std::string> KeyOfHeader(std::string_view header_b64, const JwtKeyLookup& lookup) {
  auto header_text = Base64UrlDecode(header_b64);
  if (!header_text.ok()) return base::Status::Unauthenticated("malformed token");
  std::optional<json> header = ParseObject(*header_text);
  if (!header) return base::Status::Unauthenticated("malformed token");
  std::string alg, kid, typ;
  if (!ReadString(*header, "alg", alg) || alg != "HS256") {
    return base::Status::Unauthenticated("unsupported alg");
  }
  if (header->contains("crit")) return base::Status::Unauthenticated("unsupported header");
  if (header->contains("typ") && (!ReadString(*header, "typ", typ) || typ != "JWT")) {
    return base::Status::Unauthenticated("malformed token");
  }
  if (!ReadString(*header, "kid", kid) || kid.empty() || !lookup) {
    return base::Status::Unauthenticated("unknown key id");
  }
  std::optional<std::string> key = lookup(kid);
  if (!key || key->size() < kJwtKeyBytes) return base::Status::Unauthenticated("unknown key id");
  return *std::move(key);
}

base::Result<JwtClaims> Verify(std::string_view token, const JwtKeyLookup& lookup,
                               std::int64_t now) {
  if (token.empty() || token.size() > kMaxJwtLength) {
    return base::Status::Unauthenticated("malformed token");
  }
  std::size_t dot1 = token.find('.');
  std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return base::Status::Unauthenticated("malformed token");
  }
  std::string_view header_b64 = token.substr(0, dot1);
  std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view signature_b64 = token.substr(dot2 + 1);

  GH_ASSIGN_OR_RETURN(const std::string key, KeyOfHeader(header_b64, lookup));
  auto signature = Base64UrlDecode(signature_b64);
  if (!signature.ok() || signature->size() != crypto_auth_hmacsha256_BYTES) {
    return base::Status::Unauthenticated("bad signature");
  }
  std::string expected = HmacSha256(key, token.substr(0, dot2));
  if (sodium_memcmp(expected.data(), signature->data(), expected.size()) != 0) {
    return base::Status::Unauthenticated("bad signature");
  }

  auto payload_text = Base64UrlDecode(payload_b64);
  if (!payload_text.ok()) return base::Status::Unauthenticated("malformed token");
  std::optional<json> payload = ParseObject(*payload_text);
  if (!payload) return base::Status::Unauthenticated("malformed token");
  GH_ASSIGN_OR_RETURN(JwtClaims claims, ReadClaims(*payload));
  if (claims.exp <= now) return base::Status::Unauthenticated("token expired");
  if (claims.iat > now + kJwtClockSkewSeconds) {
    return base::Status::Unauthenticated("issued in the future");
  }
  return claims;
}

}  // namespace

const char* TokenKindName(TokenKind kind) {
  return kind == TokenKind::kOauth ? "oauth" : "personal";
}

JwtKey NewJwtKey() { return JwtKey{NewRandomId(8), RandomBytes(kJwtKeyBytes)}; }

base::Result<std::string> SignJwt(const JwtClaims& claims, const JwtKey& key) {
  if (key.secret.size() < kJwtKeyBytes) return base::Status::Invalid("JWT key is too short");
  if (key.kid.empty()) return base::Status::Invalid("JWT key has no id");
  if (claims.exp <= claims.iat) return base::Status::Invalid("JWT exp must be after iat");
  if (claims.jti.empty()) return base::Status::Invalid("JWT needs a jti");
  try {
    json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.kid}};
    json payload = {{"sub", std::to_string(claims.sub)},
                    {"acc", claims.acc},
                    {"jti", claims.jti},
                    {"iat", claims.iat},
                    {"exp", claims.exp},
                    {"kind", TokenKindName(claims.kind)},
                    {"api_domain", claims.api_domain}};
    if (claims.client_id) payload["client_id"] = *claims.client_id;
    // dump() throws on invalid UTF-8 in a string; report it as bad input.
    std::string signing_input =
        Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
    std::string signature = HmacSha256(key.secret, signing_input);
    return signing_input + "." + Base64UrlEncode(signature);
  } catch (const json::exception& e) {
    return base::Status::Invalid(std::string("JWT claims: ") + e.what());
  }
}

base::Result<JwtClaims> VerifyJwt(std::string_view token, const JwtKeyLookup& lookup,
                                  std::int64_t now) {
  try {
    return Verify(token, lookup, now);
  } catch (const std::exception&) {
    // Not expected (types are checked before every get<>), but a throw must not escape.
    return base::Status::Unauthenticated("malformed token");
  }
}

}  // namespace gatehouse::auth
