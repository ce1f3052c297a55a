// Two-step verification: enrolment (secret + QR), confirmation (recovery codes), disabling with
// a current code, new recovery codes, and the administrator's reset.
//
// State in the user row: no secret = off; a secret with totp_enabled false = pending
// enrolment; totp_enabled = on. totp_last_step is the replay guard shared with login.
#include <nlohmann/json.hpp>

#include "auth/qr.h"
#include "auth/recovery_codes.h"
#include "auth/second_factor.h"
#include "auth/totp.h"
#include "service/json_text.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

constexpr std::string_view kIssuer = "Gatehouse";

Status WrongCode() {
  return Status::InvalidField("code", "Invalid", "the code is wrong or was already used");
}

}  // namespace

Result<TwoFactorState> SecurityService::GetTwoFactor(const Caller& caller) const {
  GH_ASSIGN_OR_RETURN(storage::UserRow user,
                      auth_->store().Reader(caller.account_id).GetUser(caller.user_id));
  GH_ASSIGN_OR_RETURN(auto security, auth_->Security(caller.account_id));
  return TwoFactorState{
      .enabled = user.totp_enabled,
      .pending = !user.totp_enabled && !user.totp_secret.empty(),
      .required = security->policy.require_two_factor,
      .recovery_codes_left =
          user.totp_enabled ? static_cast<int>(user.recovery_code_hashes.size()) : 0};
}

Result<TwoFactorEnrollment> SecurityService::EnrollTwoFactor(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  TwoFactorEnrollment out;
  out.secret = auth::NewTotpSecret();
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(storage::UserRow user, w.GetUser(caller.user_id));
    if (user.totp_enabled) {
      return Status::Error(Code::kConflict,
                           "two-step verification is already on; disable it first");
    }
    out.otpauth_uri = auth::OtpauthUri(kIssuer, user.user.email, out.secret);
    return w.SetTwoFactor(caller.user_id, out.secret, false, 0, {});
  }));
  GH_ASSIGN_OR_RETURN(out.qr_svg, auth::QrSvg(out.otpauth_uri));
  return out;
}

Result<std::vector<std::string>> SecurityService::ConfirmTwoFactor(
    const Caller& caller, std::string_view raw_code) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  const std::string code = auth::CompactCode(raw_code);
  GH_RETURN_IF_ERROR(auth::ValidateTotpCodeFormat(code));
  const std::int64_t now = auth_->clock().NowSeconds();
  auth::RecoveryCodes recovery = auth::NewRecoveryCodes();
  std::int64_t ended = 0;
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(storage::UserRow user, w.GetUser(caller.user_id));
    if (user.totp_enabled) {
      return Status::Error(Code::kConflict, "two-step verification is already on");
    }
    if (user.totp_secret.empty()) {
      return Status::Error(Code::kFailedPrecondition, "enrol first: no pending secret");
    }
    Result<std::int64_t> step = auth::VerifyTotp(user.totp_secret, code, now, 0);
    if (!step.ok()) return WrongCode();
    GH_RETURN_IF_ERROR(
        w.SetTwoFactor(caller.user_id, user.totp_secret, true, *step, recovery.hashes));
    if (caller.via == Via::kSession) {
      GH_RETURN_IF_ERROR(w.SetSessionSecondFactor(caller.session_id));
    }
    // Turning 2FA on logs out every other session (Kommo).
    GH_ASSIGN_OR_RETURN(ended, w.DeleteSessions(caller.user_id, caller.session_id));
    json after = {{"two_factor", {{"enabled", true}, {"sessions_ended", ended}}}};
    return RecordEvent(
        w, caller, now,
        {"two_factor_enabled", "user", caller.user_id, "[]", Dump(json::array({after}))});
  }));
  return recovery.codes;
}

Status SecurityService::DisableTwoFactor(const Caller& caller, std::string_view raw_code) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  GH_ASSIGN_OR_RETURN(auto security, auth_->Security(caller.account_id));
  if (security->policy.require_two_factor) {
    return Status::Error(Code::kFailedPrecondition,
                         "this workspace requires two-step verification");
  }
  const std::string code = auth::CompactCode(raw_code);
  if (code.empty()) return Status::InvalidField("code", "Required", "code is required");
  const std::int64_t now = auth_->clock().NowSeconds();
  return auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::UserRow user, w.GetUser(caller.user_id));
    if (!user.totp_enabled) {
      return Status::Error(Code::kFailedPrecondition, "two-step verification is not on");
    }
    if (!auth::MatchSecondFactor(code, user.totp_secret, user.totp_last_step,
                                 user.recovery_code_hashes, now)) {
      return WrongCode();
    }
    GH_RETURN_IF_ERROR(w.SetTwoFactor(caller.user_id, "", false, 0, {}));
    json before = {{"two_factor", {{"enabled", true}}}};
    return RecordEvent(
        w, caller, now,
        {"two_factor_disabled", "user", caller.user_id, Dump(json::array({before})), "[]"});
  });
}

Result<std::vector<std::string>> SecurityService::RegenerateRecoveryCodes(
    const Caller& caller, std::string_view raw_code) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  const std::string code = auth::CompactCode(raw_code);
  if (code.empty()) return Status::InvalidField("code", "Required", "code is required");
  const std::int64_t now = auth_->clock().NowSeconds();
  auth::RecoveryCodes fresh = auth::NewRecoveryCodes();
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(storage::UserRow user, w.GetUser(caller.user_id));
    if (!user.totp_enabled) {
      return Status::Error(Code::kFailedPrecondition, "two-step verification is not on");
    }
    // A TOTP code moves the replay guard forward, as at login; a recovery code needs no
    // bookkeeping of its own since every old code is replaced below.
    const std::optional<auth::SecondFactorMatch> match = auth::MatchSecondFactor(
        code, user.totp_secret, user.totp_last_step, user.recovery_code_hashes, now);
    if (!match) return WrongCode();
    const std::int64_t last_step = match->kind == auth::SecondFactorMatch::Kind::kTotp
                                       ? match->totp_step
                                       : user.totp_last_step;
    GH_RETURN_IF_ERROR(
        w.SetTwoFactor(caller.user_id, user.totp_secret, true, last_step, fresh.hashes));
    json before = {{"recovery_codes", {{"left", user.recovery_code_hashes.size()}}}};
    json after = {{"recovery_codes", {{"left", fresh.hashes.size()}}}};
    return RecordEvent(w, caller, now,
                       {"recovery_codes_regenerated", "user", caller.user_id,
                        Dump(json::array({before})), Dump(json::array({after}))});
  }));
  return fresh.codes;
}

Status SecurityService::ResetTwoFactor(const Caller& caller, domain::UserId user_id) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  return deps_.store->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::UserRow user, w.GetUser(user_id));
    GH_RETURN_IF_ERROR(w.SetTwoFactor(user_id, "", false, 0, {}));
    GH_ASSIGN_OR_RETURN(std::int64_t ended, w.DeleteSessions(user_id));
    json before = {{"two_factor", {{"enabled", user.totp_enabled}}}};
    json after = {{"two_factor", {{"enabled", false}, {"sessions_ended", ended}}}};
    return RecordEvent(w, caller, now,
                       {"two_factor_reset", "user", user_id, Dump(json::array({before})),
                        Dump(json::array({after}))});
  });
}

}  // namespace gatehouse::service
