// Sessions: listing (own; administrators anyone's), ending one, ending many.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/user_agent.h"
#include "service/json_text.h"
#include "service/security/security.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

SessionInfo InfoOf(const storage::SessionRow& row, const Caller& caller) {
  return SessionInfo{.id = row.id,
                     .user_id = row.user_id,
                     .device = auth::ParseUserAgent(row.user_agent).Device(),
                     .ip = row.ip,
                     .location = row.location.empty() ? auth::kCountryUnknown : row.location,
                     .created_at = row.created_at,
                     .last_activity_at = row.last_seen_at,
                     .current = caller.via == Via::kSession && caller.session_id == row.id};
}

}  // namespace

Result<std::vector<SessionInfo>> SecurityService::ListSessions(const Caller& caller,
                                                               domain::UserId user_id,
                                                               bool all) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  const bool someone_else = all || (user_id != 0 && user_id != caller.user_id);
  if (someone_else) GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  const domain::UserId filter = all ? 0 : (user_id != 0 ? user_id : caller.user_id);
  GH_ASSIGN_OR_RETURN(std::vector<storage::SessionRow> rows,
                      auth_->store().Reader(caller.account_id).ListSessions(filter));
  std::vector<SessionInfo> out;
  out.reserve(rows.size());
  for (const storage::SessionRow& row : rows) out.push_back(InfoOf(row, caller));
  return out;
}

Status SecurityService::EndSession(const Caller& caller, std::string_view session_id) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  const std::int64_t now = auth_->clock().NowSeconds();
  const bool admin = RequireAdminOrSystem(caller).ok();
  return auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(std::vector<storage::SessionRow> rows,
                        w.ListSessions(admin ? 0 : caller.user_id));
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const storage::SessionRow& r) { return r.id == session_id; });
    if (it == rows.end()) return Status::NotFound("no such session");
    GH_RETURN_IF_ERROR(w.DeleteSession(it->id));
    json before = {
        {"session",
         {{"id", it->id},
          {"reason", it->user_id == caller.user_id ? "ended_by_user" : "ended_by_admin"}}}};
    return RecordEvent(w, caller, now,
                       {"session_ended", "user", it->user_id, Dump(json::array({before})), "[]"});
  });
}

Result<std::int64_t> SecurityService::EndSessions(const Caller& caller, std::string_view scope,
                                                  domain::UserId user_id) const {
  GH_RETURN_IF_ERROR(RequireSelf(caller));
  domain::UserId target = 0;
  if (scope == "others") {
    target = caller.user_id;
  } else if (scope == "user" || scope == "account") {
    GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
    if (scope == "user") {
      if (user_id <= 0) return Status::InvalidField("user_id", "Required", "user_id is required");
      GH_RETURN_IF_ERROR(auth_->store().Reader(caller.account_id).GetUser(user_id).status());
      target = user_id;
    }
  } else {
    return Status::InvalidField("scope", "NotSupportedChoice",
                                "scope must be others, user or account");
  }
  const std::int64_t now = auth_->clock().NowSeconds();
  std::int64_t ended = 0;
  GH_RETURN_IF_ERROR(auth_->store().Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_ASSIGN_OR_RETURN(ended, w.DeleteSessions(target, caller.session_id));
    json after = {{"sessions", {{"scope", scope}, {"ended", ended}}}};
    return RecordEvent(
        w, caller, now,
        {"sessions_ended", target != 0 ? "user" : "account",
         target != 0 ? target : caller.account_id, "[]", Dump(json::array({after}))});
  }));
  return ended;
}

Result<std::int64_t> SecurityService::EndUserSessions(const Caller& caller,
                                                      domain::UserId user_id) const {
  GH_RETURN_IF_ERROR(RequireAdminOrSystem(caller));
  const std::int64_t now = deps_.clock->NowSeconds();
  std::int64_t ended = 0;
  GH_RETURN_IF_ERROR(deps_.store->Write(caller.account_id, [&](storage::AccountWriter& w) {
    GH_RETURN_IF_ERROR(w.GetUser(user_id).status());
    GH_ASSIGN_OR_RETURN(ended, w.DeleteSessions(user_id));
    json after = {{"sessions", {{"scope", "user"}, {"ended", ended}}}};
    return RecordEvent(w, caller, now,
                       {"sessions_ended", "user", user_id, "[]", Dump(json::array({after}))});
  }));
  return ended;
}

}  // namespace gatehouse::service
