// Roles, groups (teams), pipelines and their stages: the account settings that shape rights.
//
// Who: roles are administrator-only, reads and writes (Kommo). Groups and pipelines are read by
// every user and written by administrators only (kPermissionDenied otherwise).
// Rules (SPEC §1; kommo-api-v4.md §6, §8):
//   - A role's rights are validated and normalized like a user's. Editing a role copies its
//     rights to every user holding it (one transaction). A role users hold cannot be deleted
//     (kFailedPrecondition naming how many hold it). Role names are unique (case-insensitive).
//   - The default group and a group with users cannot be deleted (kFailedPrecondition).
//   - Every pipeline has an incoming stage, won 142 and lost 143; those three cannot be deleted
//     and the incoming stage cannot be edited. The last pipeline and one with leads cannot be
//     deleted. Deleting a pipeline or stage drops stage rights that named it, from roles (and
//     so their holders) and from users.
//   - A stage's descriptions (Kommo's `descriptions`: one text per level, newbie, candidate,
//     master) are written with the stage's add or update, in its transaction and its
//     status_added / status_updated event; every user reads them (StageDescriptions).
//   - Every write appends role_*/group_*/pipeline_*/status_* events in its transaction and
//     refreshes the account's policy after the commit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/stage_description.h"
#include "service/admin/admin.h"

namespace gatehouse::service {

// ---- roles ----

struct RoleInput {
  std::string request_id{};
  std::optional<std::string> name{};  // required on create
  RightsInput rights{};               // on update: absent parts keep their current value
};

// kInvalidArgument ("body") for an input that changes nothing (no name, no rights).
base::Status RequireChange(const RoleInput& input);

// Role `id` of `model` as `input` would leave it, validated exactly as UpdateRole does (name
// rules; rights resolved by ResolveRights over the role's current ones). kNotFound for a role
// not in `model`; kInvalidArgument with every field error. Pure: reads and writes nothing.
base::Result<domain::Role> ApplyRoleInput(const domain::AccountModel& model, domain::RoleId id,
                                          const RoleInput& input);

// ---- groups ----

struct GroupInput {
  std::string request_id{};
  std::string name{};
};

inline constexpr std::size_t kMaxGroupName = 100;

// ---- pipelines and stages ----

// One level's text of a stage description; an empty text removes the level's text.
struct StageDescriptionInput {
  domain::StageLevel level = domain::StageLevel::kNewbie;
  std::string description{};  // at most domain::kMaxStageDescription characters
};

struct StageInput {
  std::string request_id{};
  std::optional<domain::StatusId> id{};  // on pipeline create: 142/143 rename the closing stages
  std::optional<std::string> name{};
  std::optional<int> sort{};
  std::optional<std::string> color{};  // "#rrggbb" (domain::IsStageColor)
  // Statuses' add and update only: each level at most once; levels not sent keep their text.
  std::vector<StageDescriptionInput> descriptions{};
};

struct PipelineInput {
  std::string request_id{};
  std::optional<std::string> name{};
  std::optional<int> sort{};
  std::optional<bool> is_main{};
  std::vector<StageInput> stages{};  // create only
};

}  // namespace gatehouse::service
