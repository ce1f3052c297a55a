#include "auth/totp.h"

#include <liboath/oath.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "auth/tokens.h"

namespace gatehouse::auth {
namespace {

void EnsureOath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) std::abort();
  });
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

// Base32 secret → raw key. Upper-cases first (authenticator apps and people type lower-case);
// liboath ignores spaces and tolerates missing padding.
base::Result<std::string> DecodeSecret(std::string_view secret_base32) {
  EnsureOath();
  std::string upper(secret_base32);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  char* raw = nullptr;
  std::size_t raw_len = 0;
  if (upper.empty() || oath_base32_decode(upper.data(), upper.size(), &raw, &raw_len) != OATH_OK) {
    return base::Status::Invalid("TOTP secret is not valid base32");
  }
  std::unique_ptr<char, FreeDeleter> owned(raw);
  if (raw_len == 0) return base::Status::Invalid("TOTP secret is empty");
  return std::string(raw, raw_len);
}

std::string CodeAtStep(const std::string& key, std::int64_t step, int digits) {
  char otp[16] = {};
  int rc = oath_totp_generate2(key.data(), key.size(), static_cast<time_t>(step * kTotpStepSeconds),
                               kTotpStepSeconds, /*start_offset=*/0, static_cast<unsigned>(digits),
                               /*flags=HMAC-SHA1*/ 0, otp);
  return rc == OATH_OK ? std::string(otp) : std::string();
}

}  // namespace

std::int64_t TotpStep(std::int64_t now) {
  // Floor division, so a (nonsensical) negative time still maps monotonically.
  return now >= 0 ? now / kTotpStepSeconds : -((-now + kTotpStepSeconds - 1) / kTotpStepSeconds);
}

std::string NewTotpSecret() {
  EnsureOath();
  std::string raw = RandomBytes(kTotpSecretBytes);
  char* out = nullptr;
  std::size_t out_len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &out, &out_len) != OATH_OK) std::abort();
  std::unique_ptr<char, FreeDeleter> owned(out);
  std::string secret(out, out_len);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();  // 20 bytes: none anyway
  return secret;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account_email,
                       std::string_view secret_base32) {
  std::string issuer_enc = PercentEncode(issuer);
  return "otpauth://totp/" + issuer_enc + ":" + PercentEncode(account_email) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + issuer_enc +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

base::Status ValidateTotpCodeFormat(std::string_view code) {
  bool ok = code.size() == static_cast<std::size_t>(kTotpDigits);
  for (char c : code) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    return base::Status::InvalidField("code", "InvalidFormat",
                                      "The code must be exactly 6 digits.");
  }
  return base::Status::Ok();
}

base::Result<std::string> TotpCode(std::string_view secret_base32, std::int64_t now, int digits) {
  if (digits < 6 || digits > 8) return base::Status::Invalid("TOTP digits must be 6..8");
  GH_ASSIGN_OR_RETURN(std::string key, DecodeSecret(secret_base32));
  std::string code = CodeAtStep(key, TotpStep(now), digits);
  if (code.empty()) return base::Status::Internal("TOTP generation failed");
  return code;
}

base::Result<std::int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                      std::int64_t now, std::int64_t last_used_step) {
  GH_RETURN_IF_ERROR(ValidateTotpCodeFormat(code));
  auto key = DecodeSecret(secret_base32);
  if (!key.ok()) return base::Status::Internal("stored TOTP secret is unusable");
  // We generate each step of the window ourselves rather than call oath_totp_validate3: it
  // stops at the first matching step, which may be an already-used one even when a later step
  // matches too, and it compares with strcmp. Here used steps are skipped before comparing and
  // every comparison is constant-time.
  const std::int64_t current = TotpStep(now);
  bool replayed = false;
  for (std::int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
    std::string expected = CodeAtStep(*key, step, kTotpDigits);
    if (expected.empty()) return base::Status::Internal("TOTP generation failed");
    if (!ConstantTimeEquals(expected, code)) continue;
    if (step <= last_used_step) {
      replayed = true;
      continue;
    }
    return step;
  }
  return base::Status::Unauthenticated(replayed ? "TOTP code already used" : "wrong TOTP code");
}

}  // namespace gatehouse::auth
