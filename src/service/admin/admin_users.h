// Users: listing, adding, editing (rights, role, group, flags), deactivating and removing.
//
// Rules (SPEC §1, §2, §4; kommo-api-v4.md §5):
//   - Reads are open to every user of the account; rights are shown to administrators and, for
//     their own user, to the user (UserView::with_rights). Every write is administrator-only.
//   - Precedence on a write: is_free ignores rights, role and group (a free user holds no rights
//     and no role); else a role (rights.role_id) supplies the rights (the link is kept, so
//     editing the role updates the user); else a rights matrix sets them by hand and detaches
//     the user from its role. On create, missing rights are denied and a missing group is the
//     account's default group.
//   - Seats: active non-free users never exceed the account's seats (kResourceExhausted).
//   - The last active administrator can be neither demoted, made free, deactivated nor removed
//     (kFailedPrecondition).
//   - Deactivation (and removal) ends the user's sessions and revokes their API tokens in the
//     same transaction.
//   - Removal reassigns every record of the user to `reassign_to` (an active user) and
//     deactivates the user in one transaction; the row stays for the activity log, holding no
//     seat, sessions or records.
//   - Every write appends its activity-log events (user_added, user_updated, user_rights_changed,
//     user_deactivated, user_activated, user_removed) in the transaction of the change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/admin/admin.h"

namespace gatehouse::service {

// Flags and links of a user as they arrive; absent fields are nullopt. For group_id and
// role_id the inner nullopt is an explicit null (default group / no role).
struct UserFlagsInput {
  std::optional<bool> is_admin{};
  std::optional<bool> is_free{};
  std::optional<bool> is_active{};
  std::optional<std::optional<domain::GroupId>> group_id{};
  std::optional<std::optional<domain::RoleId>> role_id{};
  std::string group_id_path = "rights.group_id";  // where errors about them point
  std::string role_id_path = "rights.role_id";
};

struct NewUserInput {
  std::string request_id{};
  std::string name{};
  std::string email{};
  std::string password{};
  std::string lang{};  // empty: "en"
  RightsInput rights{};
  UserFlagsInput flags{};
};

struct UserPatch {
  std::optional<std::string> name{};
  std::optional<std::string> lang{};
  RightsInput rights{};
  UserFlagsInput flags{};
  bool empty() const {
    return !name && !lang && !rights.HasMatrix() && !flags.is_admin && !flags.is_free &&
           !flags.is_active && !flags.group_id && !flags.role_id;
  }
};

// A user as the caller may see it.
struct UserView {
  storage::UserRow row{};
  bool with_rights = false;
};

inline constexpr int kMaxUsersPerRequest = 10;

// UpdateUser's change inside the caller's transaction, past the four-eyes gate (what approving
// a grant applies).
base::Result<storage::UserRow> WriteUserPatch(storage::AccountWriter& w, const Caller& caller,
                                              std::int64_t now, domain::UserId id,
                                              const UserPatch& patch);

// kInvalidArgument ("body") for a patch that changes nothing.
base::Status RequireChange(const UserPatch& patch);

// The user `before` as `patch` would leave it, validated against `model` exactly as UpdateUser
// does (Kommo's precedence: is_free, then role_id, then the rights matrix; rights resolved by
// ResolveRights over the current ones). kInvalidArgument with every field error otherwise.
// Pure: reads and writes nothing.
base::Result<storage::UserRow> ApplyUserPatch(const storage::UserRow& before,
                                              const UserPatch& patch,
                                              const domain::AccountModel& model,
                                              domain::GroupId default_group);

// The state rules of a change from `old_user` to `new_user`: the last active administrator
// (kFailedPrecondition) and seats (kResourceExhausted; reads the account's seats through
// `reader` only when the change takes a seat).
base::Status CheckUserTransition(const storage::AccountReader& reader,
                                 const domain::AccountModel& model, const domain::User& old_user,
                                 const domain::User& new_user);

// ApplyUserPatch, then CheckUserTransition, against the account as `reader` sees it: what
// UpdateUser would store, and the account's model it was checked against.
struct CheckedUserPatch {
  domain::AccountModel model{};
  storage::UserRow changed{};
};
base::Result<CheckedUserPatch> CheckUserPatch(const storage::AccountReader& reader,
                                              const storage::UserRow& before,
                                              const UserPatch& patch);

}  // namespace gatehouse::service
