// Fuzzes the JWT reader (auth/jwt.h): every API request's bearer token goes through VerifyJwt.
//
// The first input byte picks a mode:
//   even: the rest is a token as a client sends it;
//   odd:  the rest is header JSON, a NUL byte and payload JSON, which the harness signs with
//         the right key, so the fuzzer also reaches the claim reader behind the signature check.
// Invariants: an accepted token carries an HMAC-SHA256 signature made with the key its kid
// names (checked here with libsodium directly) and is refused under any other key; its header
// says alg HS256; its claims are complete and current; claims signed again verify to the same
// claims; a token with one signature byte changed is refused.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt.h"
#include "auth/tokens.h"
#include "fuzz_check.h"

namespace {

using gatehouse::auth::JwtClaims;

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kKid = "k1";
const std::string kKeyA = "fuzz-key-A-0123456789abcdef01234";  // 32 bytes
const std::string kKeyB = "fuzz-key-B-0123456789abcdef01234";

gatehouse::auth::JwtKeyLookup LookupFor(const std::string& secret) {
  return [secret](std::string_view kid) -> std::optional<std::string> {
    if (kid == kKid) return secret;
    return std::nullopt;
  };
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

void CheckAccepted(std::string_view token, const JwtClaims& claims) {
  // Signed with key A, as the harness computes it.
  std::size_t last_dot = token.rfind('.');
  FUZZ_CHECK(last_dot != std::string_view::npos, "an accepted token has a signature part");
  auto signature = gatehouse::auth::Base64UrlDecode(token.substr(last_dot + 1));
  FUZZ_CHECK(signature.ok() && *signature == Hmac(kKeyA, token.substr(0, last_dot)),
             "an accepted token is signed with the key");
  FUZZ_CHECK(!gatehouse::auth::VerifyJwt(token, LookupFor(kKeyB), kNow).ok(),
             "a token is refused under another key");
  // The header says HS256.
  auto header = gatehouse::auth::Base64UrlDecode(token.substr(0, token.find('.')));
  FUZZ_CHECK(header.ok(), "an accepted header decodes");
  auto header_json = nlohmann::json::parse(*header, nullptr, false);
  FUZZ_CHECK(header_json.is_object() && header_json.value("alg", "") == "HS256",
             "an accepted token's alg is HS256");
  // The claims are complete and current.
  FUZZ_CHECK(claims.sub > 0 && claims.acc > 0 && !claims.jti.empty(), "claims are complete");
  FUZZ_CHECK(claims.exp > kNow, "an accepted token has not expired");
  FUZZ_CHECK(claims.iat <= kNow + gatehouse::auth::kJwtClockSkewSeconds,
             "an accepted token was not issued in the future");
  // One signature byte changed: refused.
  std::string tampered(token);
  std::size_t at = last_dot + 1 + (tampered.size() - last_dot - 1) / 2;
  if (at < tampered.size()) {
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    FUZZ_CHECK(!gatehouse::auth::VerifyJwt(tampered, LookupFor(kKeyA), kNow).ok(),
               "a token with a changed signature is refused");
  }
  // Claims signed again read back as themselves (when SignJwt takes them: exp > iat).
  auto resigned = gatehouse::auth::SignJwt(claims, {kKid, kKeyA});
  if (resigned.ok()) {
    auto again = gatehouse::auth::VerifyJwt(*resigned, LookupFor(kKeyA), kNow);
    FUZZ_CHECK(again.ok() && *again == claims, "claims signed again verify to themselves");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(sodium_init() >= 0, "libsodium starts");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string token;
  if (data[0] % 2 == 0) {
    token = std::string(rest);
  } else {
    std::size_t nul = rest.find('\0');
    std::string_view header = rest.substr(0, nul);
    std::string_view payload = nul == std::string_view::npos ? "" : rest.substr(nul + 1);
    token =
        gatehouse::auth::Base64UrlEncode(header) + "." + gatehouse::auth::Base64UrlEncode(payload);
    token += "." + gatehouse::auth::Base64UrlEncode(Hmac(kKeyA, token));
  }
  auto claims = gatehouse::auth::VerifyJwt(token, LookupFor(kKeyA), kNow);
  if (claims.ok()) {
    CheckAccepted(token, *claims);
  } else {
    FUZZ_CHECK(claims.status().code() == gatehouse::base::Code::kUnauthenticated,
               "a refused token is kUnauthenticated");
  }
  return 0;
}
