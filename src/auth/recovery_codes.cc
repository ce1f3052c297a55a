#include "auth/recovery_codes.h"

#include <sodium.h>

#include "auth/tokens.h"
#include "base/text.h"

namespace gatehouse::auth {
namespace {

constexpr std::size_t kCodeChars = 12;
constexpr std::size_t kGroup = 4;

bool InAlphabet(char c) { return kRecoveryCodeAlphabet.find(c) != std::string_view::npos; }

}  // namespace

RecoveryCodes NewRecoveryCodes() {
  EnsureSodium();
  RecoveryCodes out;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string code;
    for (std::size_t j = 0; j < kCodeChars; ++j) {
      if (j > 0 && j % kGroup == 0) code += '-';
      // randombytes_uniform has no modulo bias.
      code += kRecoveryCodeAlphabet[randombytes_uniform(
          static_cast<std::uint32_t>(kRecoveryCodeAlphabet.size()))];
    }
    out.hashes.push_back(HashRecoveryCode(code));
    out.codes.push_back(std::move(code));
  }
  return out;
}

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    c = base::AsciiLower(c);
    if (!InAlphabet(c) || out.size() == kCodeChars) return "";
    out += c;
  }
  return out.size() == kCodeChars ? out : "";
}

std::string HashRecoveryCode(std::string_view code) {
  std::string normalized = NormalizeRecoveryCode(code);
  return normalized.empty() ? "" : TokenHash(normalized);
}

base::Result<std::size_t> ConsumeRecoveryCode(std::string_view code,
                                              const std::vector<std::string>& hashes) {
  std::string hash = HashRecoveryCode(code);
  if (hash.empty()) return base::Status::NotFound("recovery code not recognized");
  // Compare against every entry, no early exit, so timing does not reveal which one matched.
  std::size_t found = hashes.size();
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    bool match = !hashes[i].empty() && ConstantTimeEquals(hashes[i], hash);
    if (match && found == hashes.size()) found = i;
  }
  if (found == hashes.size()) return base::Status::NotFound("recovery code not recognized");
  return found;
}

}  // namespace gatehouse::auth
