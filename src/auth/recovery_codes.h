// One-time recovery codes for two-step verification.
//
// Grammar: "xxxx-xxxx-xxxx", 12 characters from the 31-symbol alphabet
// "abcdefghjkmnpqrstuvwxyz23456789" (no i, l, o, 0, 1: nothing a person can misread), drawn
// uniformly: log2(31^12) ≈ 59 bits each. Input is normalized before use: ASCII letters
// lower-cased, spaces and dashes removed.
//
// Storage: SHA-256 of the normalized code, hex. A slow salted hash (Argon2) guards low-entropy
// secrets against offline guessing; a 59-bit uniformly random code is out of reach of offline
// brute force anyway (2^58 SHA-256 evaluations per code on average, per account), and the online
// path is throttled, so a fast hash lets us check all ten codes in constant time.
// Thread-safety: all functions are thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace gatehouse::auth {

inline constexpr int kRecoveryCodeCount = 10;
inline constexpr std::string_view kRecoveryCodeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

struct RecoveryCodes {
  std::vector<std::string> codes{};   // shown to the user once, "abcd-efgh-jkmn"
  std::vector<std::string> hashes{};  // stored; hashes[i] = HashRecoveryCode(codes[i])
};

// Ten fresh codes and their hashes.
RecoveryCodes NewRecoveryCodes();

// Lower-cases and drops spaces and dashes; returns "" unless the result is 12 alphabet
// characters.
std::string NormalizeRecoveryCode(std::string_view code);

// SHA-256 hex of the normalized code ("" when the code does not normalize).
std::string HashRecoveryCode(std::string_view code);

// The index in `hashes` of the hash matching `code`, comparing against every entry in constant
// time; entries that are empty (already used, cleared by the caller) never match. kNotFound when
// none matches or the code is malformed. The caller removes or clears hashes[index] in the same
// transaction that accepts the login, so each code works once.
base::Result<std::size_t> ConsumeRecoveryCode(std::string_view code,
                                              const std::vector<std::string>& hashes);

}  // namespace gatehouse::auth
