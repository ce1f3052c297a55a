// Time-based one-time passwords (RFC 6238) with liboath: HMAC-SHA1, 30-second steps, 6 digits,
// accepting the neighbouring step on either side (±30 s of clock drift).
//
// Replay guard: VerifyTotp returns the step a code matched; the caller persists it as
// `last_used_step` and passes it back next time, and any step <= last_used_step is refused, so
// a code is accepted once only, even within its window.
//
// Secret grammar: 20 random bytes (160 bits, RFC 4226's recommendation) in RFC 4648 base32,
// upper-case, without padding (32 characters).
// Thread-safety: all functions are thread-safe (liboath is initialized once).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gatehouse::auth {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpWindowSteps = 1;
inline constexpr std::size_t kTotpSecretBytes = 20;

// The step number for a unix time: floor(now / 30).
std::int64_t TotpStep(std::int64_t now);

// A fresh base32 secret (32 characters, no padding).
std::string NewTotpSecret();

// "otpauth://totp/Gatehouse:<email>?secret=<secret>&issuer=Gatehouse&algorithm=SHA1&digits=6
// &period=30", label and issuer percent-encoded, for authenticator apps (QR code).
std::string OtpauthUri(std::string_view issuer, std::string_view account_email,
                       std::string_view secret_base32);

// OK when `code` is exactly 6 ASCII digits; else kInvalidArgument with a FieldError at "code"
// (code "InvalidFormat").
base::Status ValidateTotpCodeFormat(std::string_view code);

// The code for `secret_base32` at `now` with `digits` digits (6..8). kInvalidArgument when the
// secret is not valid base32. For enrolment tests and tools.
base::Result<std::string> TotpCode(std::string_view secret_base32, std::int64_t now,
                                   int digits = kTotpDigits);

// Checks `code` against the steps TotpStep(now)-1 .. TotpStep(now)+1 and returns the matched
// step. Fails with kInvalidArgument on a malformed code, kInternal on an unusable secret, and
// kUnauthenticated when no step in the window matches or the matching step is
// <= `last_used_step` (replay; pass 0 when no code was ever used).
base::Result<std::int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                      std::int64_t now, std::int64_t last_used_step);

}  // namespace gatehouse::auth
