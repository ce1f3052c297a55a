// The security-relevant part of an account (workspace): users, groups, roles, pipelines.
//
// This is what the permission engine compiles (policy/account_policy.h) and what storage loads.
// Plain values; no invariants are enforced here beyond what the comments say. Every member has
// an initializer ({} for the class-typed ones), as the storage rows do, so that a value may be
// written with designated initializers that name only the members that matter.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ids.h"
#include "domain/rights.h"

namespace gatehouse::domain {

struct Group {
  GroupId id = 0;
  std::string name{};
  bool operator==(const Group&) const = default;
};

struct Role {
  RoleId id = 0;
  std::string name{};
  Rights rights{};  // normalized
  bool operator==(const Role&) const = default;
};

struct User {
  UserId id = 0;
  std::string name{};
  std::string email{};
  bool is_admin = false;
  bool is_active = true;
  bool is_free = false;  // holds no paid seat; a free user acts on no data
  GroupId group_id = 0;  // exactly one group; the account's default group when not chosen
  std::optional<RoleId> role_id{};  // set while the user's rights follow a role
  Rights rights{};                  // normalized; for an admin ignored (admins may do everything)
  bool operator==(const User&) const = default;

  // Takes one of the account's paid seats: active and not free.
  bool HoldsSeat() const { return is_active && !is_free; }
  // An administrator who can act now: what an account must never be left without.
  bool IsActiveAdmin() const { return is_admin && HoldsSeat(); }
};

// Stage types as in Kommo: 1 is the incoming-leads stage of a pipeline, 0 a normal stage.
inline constexpr int kStageTypeNormal = 0;
inline constexpr int kStageTypeIncoming = 1;

struct Stage {
  StatusId id = 0;
  std::string name{};
  int sort = 0;
  int type = kStageTypeNormal;
  std::string color{};  // "#rrggbb" as set, or "" for the colour of the stage's position
  bool operator==(const Stage&) const = default;
};

// Whether `color` is a stage colour as Kommo writes one: '#' and six hex digits ("#99ccff").
bool IsStageColor(std::string_view color);

// A pipeline's stages include its incoming-leads stage and won 142 / lost 143.
struct Pipeline {
  PipelineId id = 0;
  std::string name{};
  int sort = 0;
  bool is_main = false;
  std::vector<Stage> stages{};

  bool HasStage(StatusId status_id) const;
  bool operator==(const Pipeline&) const = default;
};

struct AccountModel {
  AccountId id = 0;
  std::vector<User> users{};
  std::vector<Group> groups{};
  std::vector<Role> roles{};
  std::vector<Pipeline> pipelines{};
  // (data set, id) of every custom field of the account, sorted: what field rights may name.
  std::vector<std::pair<DataSet, std::int64_t>> custom_fields{};

  const User* FindUser(UserId id) const;
  const Role* FindRole(RoleId id) const;
  const Pipeline* FindPipeline(PipelineId id) const;
};

// A protected record as the engine sees it. pipeline/status matter only for leads.
struct RecordRef {
  DataSet data_set = DataSet::kLeads;
  UserId responsible_user_id = 0;  // 0: nobody
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  bool operator==(const RecordRef&) const = default;
};

}  // namespace gatehouse::domain
