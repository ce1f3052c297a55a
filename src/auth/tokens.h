// Random secrets, their storage hashes, constant-time comparison and random ids (libsodium).
//
// Token grammar: 32 random bytes (256 bits) rendered as URL-safe base64 without padding, so
// 43 characters of [A-Za-z0-9_-]. Only SHA-256(token) in lower-case hex (64 characters) is
// stored; a fast unsalted hash is enough because the input has 256 bits of entropy.
//
// Thread-safety: every function is thread-safe (libsodium's RNG is).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gatehouse::auth {

inline constexpr std::size_t kTokenBytes = 32;

// Initializes libsodium once (idempotent, thread-safe); aborts if libsodium cannot start, as
// nothing secure can be done then. Every function in src/auth calls it; callers need not.
void EnsureSodium();

// `n` bytes from the OS CSPRNG.
std::string RandomBytes(std::size_t n);

// A fresh 256-bit token as 43 URL-safe base64 characters (session cookies, refresh tokens,
// OAuth codes and client secrets).
std::string NewToken();

// SHA-256 of `data` as 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

// Sha256Hex of `token`: the form a secret token is stored in.
std::string TokenHash(std::string_view token);

// Constant-time equality for secrets of the same length; different lengths compare unequal
// (the length is not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A random identifier of `bytes` random bytes as lower-case hex (default 16 bytes, 32 chars):
// JWT ids, session ids, key ids.
std::string NewRandomId(std::size_t bytes = 16);

// A random RFC 4122 version-4 UUID, lower-case ("3f2b…-…"): OAuth client ids, as Kommo's.
std::string NewUuid();

// Encodings used by tokens and JWTs.
std::string HexEncode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);  // URL-safe alphabet, no padding
// RFC 3986 percent-encoding of every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~): a
// query value or an otpauth:// label, whatever the locale.
std::string PercentEncode(std::string_view text);
// kInvalidArgument on any character outside [A-Za-z0-9_-], on padding or on a bad length.
base::Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace gatehouse::auth
