#include "auth/second_factor.h"

#include "auth/recovery_codes.h"
#include "auth/totp.h"
#include "base/text.h"

namespace gatehouse::auth {

std::string CompactCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (base::kWhitespace.find(c) == std::string_view::npos) out += c;
  }
  return out;
}

std::optional<SecondFactorMatch> MatchSecondFactor(std::string_view code,
                                                   const std::string& totp_secret,
                                                   std::int64_t last_step,
                                                   const std::vector<std::string>& recovery_hashes,
                                                   std::int64_t now) {
  const std::string compact = CompactCode(code);
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
