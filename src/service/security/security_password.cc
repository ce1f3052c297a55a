// Password change (self-service) and reset (administrator or CLI).
#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

Status RequireAdminOrSystem(const Caller& caller) {
  if (caller.via == Via::kSystem) return Status::Ok();
  return RequireAdmin(caller);
}

Status SecurityService::ChangePassword(const Caller& caller, std::string_view current,
                                       std::string_view next) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  if (caller.via != Via::kSession) {
    return Status::Denied("a password can be changed only from a web session");
  }
  GH_ASSIGN_OR_RETURN(storage::UserRow user,
                      auth_->store().Reader(caller.account_id).GetUser(caller.user_id));
  if (user.password_hash.empty() || !auth::VerifyPassword(user.password_hash, current)) {
    return Status::InvalidField("current_password", "Invalid", "the current password is wrong");
  }
  GH_RETURN_IF_ERROR(
      auth::CheckPasswordPolicy(next, user.user.email, auth_->common_passwords(), "new_password"));
  GH_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(next));
  const std::int64_t now = auth_->clock().NowSeconds();
  return auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_RETURN_IF_ERROR(w.SetPasswordHash(caller.user_id, hash));
    GH_ASSIGN_OR_RETURN(std::int64_t sessions, w.DeleteSessions(caller.user_id, caller.session_id));
    GH_ASSIGN_OR_RETURN(std::int64_t tokens, w.RevokeApiTokensOfUser(caller.user_id));
    json after = {{"password", {{"sessions_ended", sessions}, {"tokens_revoked", tokens}}}};
    return RecordEvent(
        w, caller, now,
        {"password_changed", "user", caller.user_id, "[]", Dump(json::array({after}))});
  });
}

Status SecurityService::ResetPassword(const Caller& caller, domain::UserId user_id,
                                      std::string_view password,
                                      const auth::CommonPasswords& common) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  // One's own password needs the current one (ChangePassword): a stolen administrator session
  // must not be enough to lock its owner out and keep the account.
  if (caller.via != Via::kSystem && user_id == caller.actor_id) {
    return Status::Denied(
        "your own password is changed with POST /api/v4/security/password, which asks for the "
        "current one");
  }
  GH_ASSIGN_OR_RETURN(storage::UserRow user,
                      deps_.store->Reader(caller.account_id).GetUser(user_id));
  GH_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password, user.user.email, common, "password"));
  GH_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(password));
  const std::int64_t now = deps_.clock->NowSeconds();
  return deps_.store->Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_RETURN_IF_ERROR(w.SetPasswordHash(user_id, hash));
    GH_ASSIGN_OR_RETURN(std::int64_t sessions, w.DeleteSessions(user_id));
    GH_ASSIGN_OR_RETURN(std::int64_t tokens, w.RevokeApiTokensOfUser(user_id));
    json after = {{"password", {{"sessions_ended", sessions}, {"tokens_revoked", tokens}}}};
    return RecordEvent(w, caller, now,
                       {"password_reset", "user", user_id, "[]", Dump(json::array({after}))});
  });
}

Status SecurityService::ResetPassword(const Caller& caller, domain::UserId user_id,
                                      std::string_view password) const {
  return ResetPassword(caller, user_id, password, auth_->common_passwords());
}

}  // namespace gatehouse::service
