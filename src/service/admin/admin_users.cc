// Users: the precedence of Kommo's rights object (free > role > matrix), seats, the last
// administrator, and deactivation that ends every way in.
#include "service/admin/admin_users.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "auth/password.h"
#include "base/text.h"
#include "policy/roles.h"
#include "service/admin/admin_internal.h"
#include "service/admin/admin_service.h"
#include "service/json_text.h"
#include "service/security/four_eyes.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

using internal::AddError;
using internal::RightsEventJson;

constexpr std::size_t kMaxUserName = 50;
constexpr std::string_view kLangs[] = {"en", "ru", "es", "pt"};

// Loaded once; nullptr when no list could be found (passwords are then refused: the policy
// cannot be checked).
const auth::CommonPasswords* CommonList() {
  static const auth::CommonPasswords* list = []() -> const auth::CommonPasswords* {
    auto loaded = auth::CommonPasswords::LoadDefault();
    if (!loaded.ok()) {
      spdlog::error("common-password list: {}", loaded.status().ToString());
      return nullptr;
    }
    return new auth::CommonPasswords(std::move(loaded).value());
  }();
  return list;
}

bool HasGroup(const domain::AccountModel& model, domain::GroupId id) {
  return std::any_of(model.groups.begin(), model.groups.end(),
                     [id](const domain::Group& g) { return g.id == id; });
}

// Applies flags, group, role and rights of the input to `user` in Kommo's precedence.
// `creating`: fields the input leaves out take their defaults (default group, denied rights).
void ApplyAccess(const RightsInput& rights, const UserFlagsInput& flags,
                 const domain::AccountModel& model, domain::GroupId default_group, bool creating,
                 domain::User& user, std::vector<FieldError>& errors) {
  if (flags.is_admin) user.is_admin = *flags.is_admin;
  if (flags.is_active) user.is_active = *flags.is_active;
  if (flags.is_free) user.is_free = *flags.is_free;
  if (creating) user.group_id = default_group;
  if (user.is_free) {
    // A free user holds no paid seat and acts on no data: rights, role and group are ignored.
    user.rights = domain::Rights{};
    user.role_id.reset();
    return;
  }
  if (flags.group_id) {
    const domain::GroupId group = flags.group_id->value_or(default_group);
    if (HasGroup(model, group)) {
      user.group_id = group;
    } else {
      errors.push_back(
          {flags.group_id_path, "NotFound", "group " + std::to_string(group) + " does not exist"});
    }
  }
  if (flags.role_id && flags.role_id->has_value()) {
    const domain::Role* role = model.FindRole(**flags.role_id);
    if (role == nullptr) {
      errors.push_back({flags.role_id_path, "NotFound",
                        "role " + std::to_string(**flags.role_id) + " does not exist"});
      return;
    }
    policy::ApplyRole(*role, user);  // the role supplies the rights; a matrix is ignored
    return;
  }
  if (flags.role_id) user.role_id.reset();  // explicit null: keep the rights, drop the link
  if (rights.HasMatrix() || creating) {
    auto resolved = ResolveRights(rights, creating ? nullptr : &user.rights, model.pipelines,
                                  model.custom_fields);
    if (!resolved.ok()) {
      AddError(errors, resolved.status());
      return;
    }
    policy::SetUserRights(user, std::move(resolved).value());
  }
}

int ActiveAdminsExcept(const domain::AccountModel& model, domain::UserId except) {
  int count = 0;
  for (const domain::User& user : model.users) {
    if (user.id != except && user.IsActiveAdmin()) ++count;
  }
  return count;
}

std::int64_t SeatsTakenExcept(const domain::AccountModel& model, domain::UserId except) {
  std::int64_t count = 0;
  for (const domain::User& user : model.users) {
    if (user.id != except && user.HoldsSeat()) ++count;
  }
  return count;
}

Status NoSeat(std::int64_t seats, std::int64_t wanted) {
  return Status::Error(Code::kResourceExhausted,
                       "no free seat: the account has " + std::to_string(seats) +
                           " paid seats and this change needs " + std::to_string(wanted) +
                           "; deactivate a user, make one free, or add seats");
}

Status LastAdmin(const domain::User& user) {
  return Status::Error(Code::kFailedPrecondition,
                       "user " + std::to_string(user.id) +
                           " is the last active administrator; make another user an "
                           "administrator first");
}

nlohmann::json UserFacts(const storage::UserRow& row) {
  const domain::User& u = row.user;
  return {{"name", u.name},         {"email", u.email},
          {"lang", row.lang},       {"is_admin", u.is_admin},
          {"is_free", u.is_free},   {"is_active", u.is_active},
          {"group_id", u.group_id}, {"role_id", u.role_id ? nlohmann::json(*u.role_id) : nullptr}};
}

// The changed members of two fact objects, as (before, after).
std::pair<nlohmann::json, nlohmann::json> Diff(const nlohmann::json& before,
                                               const nlohmann::json& after) {
  nlohmann::json b = nlohmann::json::object(), a = nlohmann::json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (before.value(it.key(), nlohmann::json()) != it.value()) {
      b[it.key()] = before.value(it.key(), nlohmann::json());
      a[it.key()] = it.value();
    }
  }
  return {b, a};
}

Status CheckEmail(std::string_view email) {
  if (email.empty()) return Status::InvalidField("email", "Required", "email is required");
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() || email.size() > 254 ||
      email.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Status::InvalidField("email", "InvalidFormat", "email must be an e-mail address");
  }
  return Status::Ok();
}

Status CheckLang(std::string_view lang) {
  if (std::find(std::begin(kLangs), std::end(kLangs), lang) != std::end(kLangs)) {
    return Status::Ok();
  }
  return Status::InvalidField("lang", "NotSupportedChoice", "lang must be en, ru, es or pt");
}

// Validates one new user against the account (outside the write; the write re-checks what
// the store enforces). Returns the user to create, or fills `errors`.
storage::UserRow PrepareNewUser(const NewUserInput& in, const domain::AccountModel& model,
                                domain::GroupId default_group, const storage::AccountReader& reader,
                                std::set<std::string>& batch_emails,
                                std::vector<FieldError>& errors) {
  storage::UserRow row{.user = {.name = in.name, .email = in.email},
                       .lang = in.lang.empty() ? "en" : in.lang};
  if (Status s = internal::CheckName(in.name, "name", kMaxUserName); !s.ok()) AddError(errors, s);
  if (Status s = CheckEmail(in.email); !s.ok()) {
    AddError(errors, s);
  } else if (!batch_emails.insert(base::AsciiLower(in.email)).second) {
    errors.push_back({"email", "AlreadyExists", "email " + in.email + " is listed twice"});
  } else if (reader.FindUserByEmail(in.email).ok()) {
    errors.push_back(
        {"email", "AlreadyExists", "a user with email " + in.email + " already exists"});
  }
  if (in.password.empty()) {
    errors.push_back({"password", "Required", "password is required"});
  } else if (const auth::CommonPasswords* common = CommonList(); common == nullptr) {
    errors.push_back({"password", "Unavailable", "the password policy cannot be checked"});
  } else if (Status s = auth::CheckPasswordPolicy(in.password, in.email, *common); !s.ok()) {
    AddError(errors, s);
  }
  if (Status s = CheckLang(row.lang); !s.ok()) AddError(errors, s);
  ApplyAccess(in.rights, in.flags, model, default_group, /*creating=*/true, row.user, errors);
  return row;
}

}  // namespace

Result<std::vector<UserView>> AdminService::ListUsers(const Caller& caller) const {
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> rows,
                      deps_.store->Reader(caller.account_id).ListUsers());
  const bool admin = caller.is_admin();
  std::vector<UserView> out;
  out.reserve(rows.size());
  for (storage::UserRow& row : rows) {
    const bool with_rights = admin;
    out.push_back({std::move(row), with_rights});
  }
  return out;
}

Result<UserView> AdminService::GetUser(const Caller& caller, domain::UserId id) const {
  GH_ASSIGN_OR_RETURN(storage::UserRow row, deps_.store->Reader(caller.account_id).GetUser(id));
  const bool with_rights = caller.is_admin() || id == caller.user_id;
  return UserView{std::move(row), with_rights};
}

namespace {

// A new administrator is a grant of administrator rights: while four-eyes approval is on it
// is made by a PATCH of an existing user, which waits for approval.
Status RefuseUnapprovedAdmins(const storage::AccountReader& reader,
                              const std::vector<storage::UserRow>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].user.is_admin) continue;
    GH_ASSIGN_OR_RETURN(bool four_eyes, FourEyesOn(reader));
    if (!four_eyes) return Status::Ok();
    return Status::InvalidField(
        rows.size() == 1 ? "rights.is_admin" : std::to_string(i) + ".rights.is_admin",
        "NeedsApproval",
        "four-eyes approval is on: add the user without administrator rights, then grant them "
        "(PATCH /api/v4/users/{id}), which waits for a second administrator's approval");
  }
  return Status::Ok();
}

// Checks every item of a batch of new users and builds its row (password hashed), or says what
// is wrong with each item.
Result<std::vector<storage::UserRow>> PrepareNewUsers(const storage::AccountReader& reader,
                                                      const std::vector<NewUserInput>& items,
                                                      std::vector<ItemErrors>* item_errors) {
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, reader.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(domain::GroupId default_group, reader.DefaultGroupId());
  std::vector<storage::UserRow> rows;
  std::vector<ItemErrors> failed;
  std::set<std::string> batch_emails;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<FieldError> errors;
    rows.push_back(PrepareNewUser(items[i], model, default_group, reader, batch_emails, errors));
    if (!errors.empty()) {
      failed.push_back({internal::ItemId(items[i].request_id, i), errors});
    }
  }
  if (!failed.empty()) return internal::BatchInvalid(std::move(failed), item_errors);
  for (std::size_t i = 0; i < items.size(); ++i) {
    GH_ASSIGN_OR_RETURN(rows[i].password_hash, auth::HashPassword(items[i].password));
  }
  return rows;
}

// Inserts prepared users, seats and four-eyes approval permitting, each with its "user_added".
Result<std::vector<domain::UserId>> InsertUsers(storage::AccountWriter& w, const Caller& caller,
                                                std::int64_t now,
                                                std::vector<storage::UserRow>& rows) {
  GH_ASSIGN_OR_RETURN(domain::AccountModel current, w.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(storage::AccountRow account, w.Account());
  std::int64_t wanted = SeatsTakenExcept(current, 0);
  for (const storage::UserRow& row : rows) wanted += row.user.HoldsSeat() ? 1 : 0;
  if (wanted > account.seats) return NoSeat(account.seats, wanted);
  GH_RETURN_IF_ERROR(RefuseUnapprovedAdmins(w, rows));
  std::vector<domain::UserId> ids;
  for (storage::UserRow& row : rows) {
    row.created_at = now;
    GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
    ids.push_back(id);
    nlohmann::json after = UserFacts(row);
    after["rights"] = RightsEventJson(row.user.rights);
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now, {"user_added", "user", id, "[]", EventValue("user", after)}));
  }
  return ids;
}

}  // namespace

Result<std::vector<storage::UserRow>> AdminService::CreateUsers(
    const Caller& caller, const std::vector<NewUserInput>& items,
    std::vector<ItemErrors>* item_errors) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(internal::CheckBatchSize(items.size(), kMaxUsersPerRequest, "users"));
  storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(std::vector<storage::UserRow> rows,
                      PrepareNewUsers(reader, items, item_errors));
  const std::int64_t now = deps_.clock->NowSeconds();
  GH_ASSIGN_OR_RETURN(std::vector<domain::UserId> ids,
                      WriteModel(deps_, caller, [&](storage::AccountWriter& w) {
                        return InsertUsers(w, caller, now, rows);
                      }));
  std::vector<storage::UserRow> created;
  for (domain::UserId id : ids) {
    GH_ASSIGN_OR_RETURN(storage::UserRow row, reader.GetUser(id));
    created.push_back(std::move(row));
  }
  return created;
}

Status RequireChange(const UserPatch& patch) {
  if (!patch.empty()) return Status::Ok();
  return Status::InvalidField("body", "Required", "nothing to change: the body is empty");
}

Result<storage::UserRow> ApplyUserPatch(const storage::UserRow& before, const UserPatch& patch,
                                        const domain::AccountModel& model,
                                        domain::GroupId default_group) {
  storage::UserRow row = before;
  std::vector<FieldError> errors;
  if (patch.name) {
    row.user.name = *patch.name;
    if (Status s = internal::CheckName(*patch.name, "name", kMaxUserName); !s.ok()) {
      AddError(errors, s);
    }
  }
  if (patch.lang) {
    row.lang = *patch.lang;
    if (Status s = CheckLang(*patch.lang); !s.ok()) AddError(errors, s);
  }
  ApplyAccess(patch.rights, patch.flags, model, default_group, /*creating=*/false, row.user,
              errors);
  if (!errors.empty()) {
    std::string message =
        errors.size() == 1 ? errors[0].path + ": " + errors[0].detail : "Request validation failed";
    return Status::Invalid(std::move(message), std::move(errors));
  }
  return row;
}

Status CheckUserTransition(const storage::AccountReader& reader, const domain::AccountModel& model,
                           const domain::User& old_user, const domain::User& new_user) {
  if (old_user.IsActiveAdmin() && !new_user.IsActiveAdmin()) {
    const int remaining = ActiveAdminsExcept(model, old_user.id);
    if (remaining == 0) return LastAdmin(old_user);
    GH_RETURN_IF_ERROR(CheckApproversRemain(reader, remaining));
  }
  if (new_user.HoldsSeat() && !old_user.HoldsSeat()) {
    GH_ASSIGN_OR_RETURN(storage::AccountRow account, reader.Account());
    const std::int64_t wanted = SeatsTakenExcept(model, old_user.id) + 1;
    if (wanted > account.seats) return NoSeat(account.seats, wanted);
  }
  return Status::Ok();
}

Result<CheckedUserPatch> CheckUserPatch(const storage::AccountReader& reader,
                                        const storage::UserRow& before, const UserPatch& patch) {
  CheckedUserPatch checked;
  GH_ASSIGN_OR_RETURN(checked.model, reader.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(const domain::GroupId default_group, reader.DefaultGroupId());
  GH_ASSIGN_OR_RETURN(checked.changed, ApplyUserPatch(before, patch, checked.model, default_group));
  GH_RETURN_IF_ERROR(CheckUserTransition(reader, checked.model, before.user, checked.changed.user));
  return checked;
}

namespace {

// Deactivation closes every way in at once, inside the same transaction; either direction is
// logged as its own event.
Status ApplyActivityChange(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                           const domain::User& old_user, const domain::User& new_user) {
  const domain::UserId id = new_user.id;
  if (old_user.is_active && !new_user.is_active) {
    GH_ASSIGN_OR_RETURN(std::int64_t sessions, w.DeleteSessions(id));
    GH_ASSIGN_OR_RETURN(std::int64_t tokens, w.RevokeApiTokensOfUser(id));
    return RecordEvent(w, caller, now,
                       {"user_deactivated", "user", id, EventValue("user", {{"is_active", true}}),
                        EventValue("user", {{"is_active", false},
                                            {"sessions_ended", sessions},
                                            {"tokens_revoked", tokens}})});
  }
  if (!old_user.is_active && new_user.is_active) {
    return RecordEvent(w, caller, now,
                       {"user_activated", "user", id, EventValue("user", {{"is_active", false}}),
                        EventValue("user", {{"is_active", true}})});
  }
  return Status::Ok();
}

// "user_updated" for the changed facts other than activity and role, "user_rights_changed" for
// rights or role.
Status LogUserChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                      const storage::UserRow& before, const storage::UserRow& after) {
  const domain::UserId id = after.user.id;
  nlohmann::json facts_before = UserFacts(before), facts_after = UserFacts(after);
  for (const char* key : {"is_active", "role_id"}) {
    facts_before.erase(key);
    facts_after.erase(key);
  }
  auto [changed_before, changed_after] = Diff(facts_before, facts_after);
  if (!changed_after.empty()) {
    GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                   {"user_updated", "user", id, EventValue("user", changed_before),
                                    EventValue("user", changed_after)}));
  }
  const domain::User& old_user = before.user;
  const domain::User& new_user = after.user;
  if (old_user.rights == new_user.rights && old_user.role_id == new_user.role_id) {
    return Status::Ok();
  }
  auto access = [](const domain::User& u) {
    return nlohmann::json{
        {"role_id", u.role_id ? nlohmann::json(*u.role_id) : nlohmann::json(nullptr)},
        {"rights", RightsEventJson(u.rights)}};
  };
  return RecordEvent(w, caller, now,
                     {"user_rights_changed", "user", id, EventValue("user", access(old_user)),
                      EventValue("user", access(new_user))});
}

}  // namespace

Result<storage::UserRow> WriteUserPatch(storage::AccountWriter& w, const Caller& caller,
                                        std::int64_t now, domain::UserId id,
                                        const UserPatch& patch) {
  GH_ASSIGN_OR_RETURN(const storage::UserRow before, w.GetUser(id));
  GH_ASSIGN_OR_RETURN(CheckedUserPatch checked, CheckUserPatch(w, before, patch));
  storage::UserRow& row = checked.changed;
  // The dormant-user rule counts a reactivated user's days from here (dormant_users.h).
  if (!before.user.is_active && row.user.is_active) row.reactivated_at = now;
  const domain::User& old_user = before.user;
  const domain::User& new_user = row.user;
  GH_RETURN_IF_ERROR(w.UpdateUser(row));
  GH_RETURN_IF_ERROR(ApplyActivityChange(w, caller, now, old_user, new_user));
  GH_RETURN_IF_ERROR(LogUserChanges(w, caller, now, before, row));
  return w.GetUser(id);
}

namespace {

// While four-eyes approval is on, a patch that makes user `before` an administrator is a grant
// that waits for approval; it must come alone, so that "nothing applies until approved" holds
// for the whole request.
Result<bool> IsGrantForApproval(const storage::AccountReader& reader,
                                const storage::UserRow& before, const UserPatch& patch) {
  if (!patch.flags.is_admin || !*patch.flags.is_admin || before.user.is_admin) return false;
  GH_ASSIGN_OR_RETURN(bool four_eyes, FourEyesOn(reader));
  if (!four_eyes) return false;
  UserPatch rest = patch;
  rest.flags.is_admin.reset();
  if (!rest.empty()) {
    return Status::InvalidField("rights.is_admin", "NeedsApproval",
                                "four-eyes approval is on: send the grant of administrator "
                                "rights alone, it waits for a second administrator's approval");
  }
  return true;
}

}  // namespace

Result<storage::UserRow> AdminService::UpdateUser(const Caller& caller, domain::UserId id,
                                                  const UserPatch& patch,
                                                  std::int64_t* pending_approval) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(patch));
  const std::int64_t now = deps_.clock->NowSeconds();
  // The user as written, or as it stays while a grant waits for approval `approval_id`.
  struct Outcome {
    storage::UserRow user;
    std::int64_t approval_id = 0;
  };
  auto write = [&](storage::AccountWriter& w) -> Result<Outcome> {
    GH_ASSIGN_OR_RETURN(const storage::UserRow before, w.GetUser(id));
    GH_ASSIGN_OR_RETURN(bool for_approval, IsGrantForApproval(w, before, patch));
    if (!for_approval) {
      GH_ASSIGN_OR_RETURN(storage::UserRow updated, WriteUserPatch(w, caller, now, id, patch));
      return Outcome{std::move(updated), 0};
    }
    if (pending_approval == nullptr) {
      return Status::Error(base::Code::kFailedPrecondition,
                           "four-eyes approval is on: granting administrator rights needs a "
                           "second administrator's approval");
    }
    // Checked now as well (seats, an inactive user), so that the requester hears of it.
    GH_RETURN_IF_ERROR(CheckUserPatch(w, before, patch).status());
    GH_ASSIGN_OR_RETURN(
        std::int64_t approval_id,
        RequestApproval(w, caller, now, kApproveAdminGrant, id, R"({"is_admin":true})"));
    return Outcome{before, approval_id};
  };
  GH_ASSIGN_OR_RETURN(Outcome outcome, deps_.store->WriteResult(caller.account_id, write));
  if (outcome.approval_id != 0) {
    *pending_approval = outcome.approval_id;
    return outcome.user;
  }
  RefreshPolicy(deps_, caller.account_id);
  return outcome.user;
}

namespace {

// RemoveUser's rules for `heir` (reassign_to): another user than `id`, active and paid.
Status CheckHeir(const storage::AccountReader& reader, domain::UserId id, domain::UserId heir) {
  if (heir == id) {
    return Status::InvalidField("reassign_to", "NotSupportedChoice",
                                "reassign_to must be another user than the one removed");
  }
  auto target = reader.GetUser(heir);
  if (!target.ok() || !target->user.HoldsSeat()) {
    return Status::InvalidField("reassign_to", "NotSupportedChoice",
                                "reassign_to must be an active, paid user of this account");
  }
  return Status::Ok();
}

}  // namespace

Result<storage::ReassignCounts> AdminService::RemoveUser(
    const Caller& caller, domain::UserId id, std::optional<domain::UserId> reassign_to) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  if (!reassign_to) {
    return Status::InvalidField("reassign_to", "Required",
                                "reassign_to is required: name the active user who takes over "
                                "this user's leads, contacts, companies and tasks");
  }
  const std::int64_t now = deps_.clock->NowSeconds();
  return WriteModel(
      deps_, caller, [&](storage::AccountWriter& w) -> Result<storage::ReassignCounts> {
        storage::ReassignCounts counts;
        GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(id));
        GH_RETURN_IF_ERROR(CheckHeir(w, id, *reassign_to));
        GH_ASSIGN_OR_RETURN(domain::AccountModel model, w.LoadAccountModel());
        if (row.user.IsActiveAdmin()) {
          const int remaining = ActiveAdminsExcept(model, id);
          if (remaining == 0) return LastAdmin(row.user);
          GH_RETURN_IF_ERROR(CheckApproversRemain(w, remaining));
        }
        GH_ASSIGN_OR_RETURN(counts, w.Reassign(id, *reassign_to, now));
        const bool was_active = row.user.is_active;
        GH_ASSIGN_OR_RETURN(std::int64_t sessions, w.DeleteSessions(id));
        GH_ASSIGN_OR_RETURN(std::int64_t tokens, w.RevokeApiTokensOfUser(id));
        // Removal is permanent (SPEC §4): the row goes, with its sessions, tokens and grants.
        GH_RETURN_IF_ERROR(w.DeleteUser(id));
        GH_RETURN_IF_ERROR(
            RecordEvent(w, caller, now,
                        {"user_removed", "user", id,
                         EventValue("user", {{"is_active", was_active}, {"email", row.user.email}}),
                         EventValue("user", {{"is_active", false},
                                             {"reassigned_to", *reassign_to},
                                             {"reassigned",
                                              {{"leads", counts.leads},
                                               {"contacts", counts.contacts},
                                               {"companies", counts.companies},
                                               {"tasks", counts.tasks},
                                               {"incoming_leads", counts.incoming_leads},
                                               {"conversations", counts.conversations},
                                               {"customers", counts.customers}}},
                                             {"sessions_ended", sessions},
                                             {"tokens_revoked", tokens}})}));
        return counts;
      });
}

}  // namespace gatehouse::service
