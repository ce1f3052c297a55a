// AdminService: the administrative family of use cases (the account, users, roles, groups,
// pipelines and stages, the activity log, explain, custom fields).
//
// A service family is one class holding its dependencies (not owned; they outlive it), built
// once where the API context is built (http/api RegisterAdminRoutes) or by a CLI command, with
// one method per use case taking the acting `const Caller&` first. Methods return Status or
// Result<T> and throw nothing; the rules they share (rights, one Store::Write per request,
// policy refresh, error codes) are in service/admin/admin.h, the input and output types in the
// subject headers included below. Thread-safety: the methods are const and hold no state besides
// the dependencies (which are thread-safe); call them from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/admin/admin.h"
#include "service/admin/admin_events.h"
#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"
#include "service/admin/custom_fields.h"
#include "service/caller.h"

namespace gatehouse::service {

class AdminService {
 public:
  explicit AdminService(AdminDeps deps) : deps_(deps) {}

  // ---- the account (admin.cc) ----
  // The caller's account (any user of it).
  base::Result<storage::AccountRow> GetAccount(const Caller& caller) const;

  // ---- users (admin_users.h, admin_users.cc) ----
  // Every user of the account, by id.
  base::Result<std::vector<UserView>> ListUsers(const Caller& caller) const;

  // kNotFound when not a user of the caller's account.
  base::Result<UserView> GetUser(const Caller& caller, domain::UserId id) const;

  // Adds 1..kMaxUsersPerRequest users, all or none. name, email and password are required; the
  // password must pass auth::CheckPasswordPolicy; the email must be new to the account
  // (case-insensitive, also within the batch). Invalid items: kInvalidArgument, with
  // `item_errors` (when non-null) holding one entry per failing item. Hashes passwords (about
  // 60 ms each): call off the I/O threads.
  base::Result<std::vector<storage::UserRow>> CreateUsers(
      const Caller& caller, const std::vector<NewUserInput>& items,
      std::vector<ItemErrors>* item_errors) const;

  // Applies `patch` to user `id`; returns the stored user. An empty patch is kInvalidArgument.
  // Steps, each also callable alone (the impact preview runs them without saving):
  // RequireChange, CheckUserPatch (ApplyUserPatch, CheckUserTransition), then the write.
  // While the security policy's four_eyes is on, a patch granting administrator rights must come
  // alone and is stored as a pending approval request (four_eyes.h) instead: its id goes to
  // `*pending_approval` and the user is returned unchanged (without `pending_approval`:
  // kFailedPrecondition).
  base::Result<storage::UserRow> UpdateUser(const Caller& caller, domain::UserId id,
                                            const UserPatch& patch,
                                            std::int64_t* pending_approval = nullptr) const;

  // Activates (`active`) or deactivates 1..kMaxUsersPerRequest users, all or none, in one
  // transaction (user_activation.cc): each change is UpdateUser's {is_active} patch, with its
  // rules, effects and events; a user already in that state is left as is and logs nothing.
  // An item refused (not a user of the caller's account, listed twice, no free seat, the last
  // or one of the two approving administrators) is kInvalidArgument at "id" (NotFound,
  // Duplicate, NoFreeSeat, NotAllowed), its index in `*failed` (when non-null); a batch size
  // outside 1..kMaxUsersPerRequest is kInvalidArgument at "body".
  base::Status SetUsersActive(const Caller& caller, std::span<const domain::UserId> ids,
                              bool active, std::size_t* failed = nullptr) const;

  // Removes user `id` after moving every record to `reassign_to` (required: kInvalidArgument
  // naming "reassign_to" when absent, or when it is not another active user of the account).
  base::Result<storage::ReassignCounts> RemoveUser(const Caller& caller, domain::UserId id,
                                                   std::optional<domain::UserId> reassign_to) const;

  // ---- roles, groups, pipelines and stages (admin_settings.h, admin_settings.cc) ----
  base::Result<std::vector<domain::Role>> ListRoles(const Caller& caller) const;

  base::Result<domain::Role> GetRole(const Caller& caller, domain::RoleId id) const;

  // The users holding each role, by role id (for with=users).
  base::Result<std::vector<std::pair<domain::RoleId, domain::UserId>>> RoleHolders(
      const Caller& caller) const;

  // All or none; invalid items: kInvalidArgument and `item_errors` per item.
  base::Result<std::vector<domain::Role>> CreateRoles(const Caller& caller,
                                                      const std::vector<RoleInput>& items,
                                                      std::vector<ItemErrors>* item_errors) const;

  // An input that changes nothing (no name, no rights) is kInvalidArgument. Steps, each also
  // callable alone (the impact preview runs them without saving): RequireChange,
  // ApplyRoleInput, then the write, which copies the rights to every holder.
  base::Result<domain::Role> UpdateRole(const Caller& caller, domain::RoleId id,
                                        const RoleInput& input) const;

  base::Status DeleteRole(const Caller& caller, domain::RoleId id) const;

  base::Result<std::vector<domain::Group>> ListGroups(const Caller& caller) const;

  base::Result<std::vector<domain::Group>> CreateGroups(const Caller& caller,
                                                        const std::vector<GroupInput>& items,
                                                        std::vector<ItemErrors>* item_errors) const;

  base::Result<domain::Group> RenameGroup(const Caller& caller, domain::GroupId id,
                                          const std::string& name) const;

  base::Status DeleteGroup(const Caller& caller, domain::GroupId id) const;

  base::Result<std::vector<domain::Pipeline>> ListPipelines(const Caller& caller) const;

  base::Result<domain::Pipeline> GetPipeline(const Caller& caller, domain::PipelineId id) const;

  base::Result<std::vector<domain::Pipeline>> CreatePipelines(
      const Caller& caller, const std::vector<PipelineInput>& items,
      std::vector<ItemErrors>* item_errors) const;

  base::Result<domain::Pipeline> UpdatePipeline(const Caller& caller, domain::PipelineId id,
                                                const PipelineInput& input) const;

  base::Status DeletePipeline(const Caller& caller, domain::PipelineId id) const;

  // Adds stages to pipeline `pipeline_id`; returns them as stored.
  base::Result<std::vector<domain::Stage>> AddStages(const Caller& caller,
                                                     domain::PipelineId pipeline_id,
                                                     const std::vector<StageInput>& items,
                                                     std::vector<ItemErrors>* item_errors) const;

  base::Result<domain::Stage> UpdateStage(const Caller& caller, domain::PipelineId pipeline_id,
                                          domain::StatusId status_id,
                                          const StageInput& input) const;

  base::Status DeleteStage(const Caller& caller, domain::PipelineId pipeline_id,
                           domain::StatusId status_id) const;

  // The descriptions of every stage of pipeline `pipeline_id`, for every user (as the stages);
  // kNotFound for a pipeline not of the caller's account.
  base::Result<std::vector<domain::StageDescription>> StageDescriptions(
      const Caller& caller, domain::PipelineId pipeline_id) const;

  // ---- activity log and explain (admin_events.h, admin_events.cc) ----
  // The page of events `caller` may see, newest first.
  base::Result<EventPage> ListEvents(const Caller& caller, const EventFilter& filter) const;

  // Feeds `visit` every event matching `filter` (page and limit ignored), newest first, for
  // administrators (SPEC §5: they export the log); logs "export_performed" (entity "event") once
  // read. Returns the number of events.
  base::Result<std::int64_t> ExportEvents(
      const Caller& caller, const EventFilter& filter,
      const std::function<void(const storage::EventRow&)>& visit) const;

  // Walks the caller's account's activity-log hash chain (SPEC §5) and reports the first broken
  // link. Administrators only (and the system, for the CLI).
  base::Result<storage::ChainReport> VerifyAuditLog(const Caller& caller) const;

  // One event by id, visible under the same rules as the list; kNotFound "event not found" for
  // a missing event and an invisible one alike.
  base::Result<storage::EventRow> GetEvent(const Caller& caller, std::string_view id) const;

  // The engine's explanation of `request.action` by `request.user_id` on one record. An
  // administrator may ask about any user; anyone else only about themself (kPermissionDenied
  // otherwise), and only about records they may view. kNotFound when the user or the record is
  // not in the caller's account, and for a record a non-administrator may not view. With
  // `request.at`: replay (ExplainAt in service/security/replay.h), administrators and the system
  // only.
  base::Result<ExplainResult> ExplainAccess(const Caller& caller,
                                            const ExplainRequest& request) const;

  // ---- custom fields (custom_fields.h, custom_fields.cc) ----
  base::Result<std::vector<domain::CustomField>> ListCustomFields(const Caller& caller,
                                                                  domain::DataSet data_set) const;

  // kNotFound for a missing field or one the caller may not view.
  base::Result<domain::CustomField> GetCustomField(const Caller& caller, domain::DataSet data_set,
                                                   std::int64_t id) const;

  base::Result<std::vector<domain::CustomField>> CreateCustomFields(
      const Caller& caller, domain::DataSet data_set, const std::vector<CustomFieldInput>& items,
      std::vector<ItemErrors>* item_errors) const;

  base::Result<std::vector<domain::CustomField>> UpdateCustomFields(
      const Caller& caller, domain::DataSet data_set, const std::vector<CustomFieldInput>& items,
      std::vector<ItemErrors>* item_errors) const;

  base::Status DeleteCustomField(const Caller& caller, domain::DataSet data_set,
                                 std::int64_t id) const;

 private:
  AdminDeps deps_;
};

}  // namespace gatehouse::service
