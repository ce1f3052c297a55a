// The code a user types as the second step of a login, or to prove it is them before turning
// two-step verification off or replacing the recovery codes: a TOTP code ("123456", or
// "123 456" as authenticator apps show it) or one of the recovery codes. One reading of such a
// code for every place that takes one.
// Thread-safety: a pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::auth {

struct SecondFactorMatch {
  enum class Kind { kTotp, kRecovery };
  Kind kind = Kind::kTotp;
  std::int64_t totp_step = 0;      // kTotp: the step matched, the caller's new replay guard
  std::size_t recovery_index = 0;  // kRecovery: the matched entry of the recovery hashes
};

// `code` without the blanks and line ends a person may type or paste anywhere in it ("123 456").
std::string CompactCode(std::string_view code);

// What `code` matches: the TOTP secret at `now` in a step after `last_step`, else one of the
// recovery hashes; nullopt when neither. `code` is read as CompactCode reads it.
// The caller stores what the match uses up (the step, or the removed recovery hash) in the
// transaction that accepts it.
std::optional<SecondFactorMatch> MatchSecondFactor(std::string_view code,
                                                   const std::string& totp_secret,
                                                   std::int64_t last_step,
                                                   const std::vector<std::string>& recovery_hashes,
                                                   std::int64_t now);

}  // namespace gatehouse::auth
