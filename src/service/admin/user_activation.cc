// Activating and deactivating users by the batch (Kommo's Users::activate/deactivate): each
// change is exactly PATCH /api/v4/users/{id} {is_active} (WriteUserPatch), so seats, the last
// administrator, four-eyes' two approvers, ended sessions and tokens and the activity log
// follow the one set of rules; the batch only adds all-or-nothing and item-named refusals.
#include <set>

#include "service/admin/admin_internal.h"
#include "service/admin/admin_service.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

// A refusal of one item as bad input at its "id", so that the batch names the item: the
// batch's answer is one 400 whatever rule refused it (PATCH answers seats and the last
// administrator with their own codes, as it has one user to speak of).
Status RefuseItem(const Status& status) {
  std::string code;
  switch (status.code()) {
    case Code::kResourceExhausted:
      code = "NoFreeSeat";
      break;
    case Code::kFailedPrecondition:
      code = "NotAllowed";
      break;
    default:
      return status;
  }
  return Status::InvalidField("id", code, status.message());
}

// Ids listed twice would make the second item a no-op that hides a client's mistake.
Status CheckActivationIds(std::span<const domain::UserId> ids, std::size_t* failed) {
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(ids.size(), kMaxUsersPerRequest, "users"));
  std::set<domain::UserId> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (seen.insert(ids[i]).second) continue;
    if (failed != nullptr) *failed = i;
    return Status::InvalidField("id", "Duplicate",
                                "user " + std::to_string(ids[i]) + " is listed more than once");
  }
  return Status::Ok();
}

// One item inside the batch's transaction. A user already in the asked state is left alone:
// nothing is written or logged for it.
Status SetActive(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                 domain::UserId id, bool active) {
  Result<storage::UserRow> before = w.GetUser(id);
  if (!before.ok()) {
    if (before.status().code() != Code::kNotFound) return before.status();
    // The same words for a user of another account: the writer sees only the caller's.
    return Status::InvalidField("id", "NotFound", "user " + std::to_string(id) + " does not exist");
  }
  if (before->user.is_active == active) return Status::Ok();
  const UserPatch patch{.flags = {.is_active = active}};
  return RefuseItem(WriteUserPatch(w, caller, now, id, patch).status());
}

}  // namespace

Status AdminService::SetUsersActive(const Caller& caller, std::span<const domain::UserId> ids,
                                    bool active, std::size_t* failed) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(CheckActivationIds(ids, failed));
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(deps_, caller, [&](storage::AccountWriter& w) -> Status {
    return internal::ForEachItem(ids.size(), failed, [&](std::size_t i) {
      return SetActive(w, caller, now, ids[i], active);
    });
  });
}

}  // namespace gatehouse::service
