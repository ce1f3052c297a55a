#include "auth/second_factor.h"

#include <algorithm>

#include "auth/recovery_codes.h"
#include "auth/totp.h"
#include "base/text.h"

namespace gatehouse::auth {

std::optional<SecondFactorMatch> MatchSecondFactor(std::string_view code,
                                                   const std::string& totp_secret,
                                                   std::int64_t last_step,
                                                   const std::vector<std::string>& recovery_hashes,
                                                   std::int64_t now) {
  std::string compact(code);
  compact.erase(
      std::remove_if(compact.begin(), compact.end(),
                     [](char c) { return base::kWhitespace.find(c) != std::string_view::npos; }),
      compact.end());
  if (ValidateTotpCodeFormat(compact).ok()) {
    base::Result<std::int64_t> step = VerifyTotp(totp_secret, compact, now, last_step);
    if (!step.ok()) return std::nullopt;
    return SecondFactorMatch{SecondFactorMatch::Kind::kTotp, *step, 0};
  }
  base::Result<std::size_t> index = ConsumeRecoveryCode(compact, recovery_hashes);
  if (!index.ok()) return std::nullopt;
  return SecondFactorMatch{SecondFactorMatch::Kind::kRecovery, 0, *index};
}

}  // namespace gatehouse::auth
