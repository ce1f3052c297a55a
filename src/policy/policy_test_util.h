// Test support for the policy tests: the domain names they use unqualified, the four levels by
// letter, as the spec's rights tables write them, a user added to an account model, a stage's
// rights, and the audiences of a list filter.
#pragma once

#include <initializer_list>
#include <utility>
#include <vector>

#include "domain/account.h"
#include "domain/rights.h"
#include "policy/list_filter.h"

namespace gatehouse::policy::testing {

inline constexpr domain::Level D = domain::Level::kDenied;
inline constexpr domain::Level M = domain::Level::kIfResponsible;
inline constexpr domain::Level G = domain::Level::kTeamWide;
inline constexpr domain::Level A = domain::Level::kAllowed;

// Appends user `id` of group `group` (active, no rights) to `model` and returns it, valid until
// the next user is added.
inline domain::User& AddUser(domain::AccountModel& model, domain::UserId id,
                             domain::GroupId group) {
  model.users.push_back({.id = id, .group_id = group});
  return model.users.back();
}

// The stage rights of stage (`pipeline`, `status`) with `levels` set.
inline domain::StageRights Stage(
    domain::PipelineId pipeline, domain::StatusId status,
    std::initializer_list<std::pair<domain::Action, domain::Level>> levels) {
  domain::StageRights entry{.stage = {pipeline, status}};
  for (const auto& [action, level] : levels) entry.Set(action, level);
  return entry;
}

// The audience every record is in, and the one of records whose responsible user is in `users`.
inline Audience All() { return Audience{Audience::Kind::kAll, {}}; }
inline Audience In(std::vector<domain::UserId> users) {
  return Audience{Audience::Kind::kResponsibleIn, std::move(users)};
}

}  // namespace gatehouse::policy::testing

namespace gatehouse::policy {

using domain::Action;
using domain::DataSet;
using domain::Level;
using domain::RecordRef;
using testing::A;
using testing::All;
using testing::D;
using testing::G;
using testing::In;
using testing::M;
using testing::Stage;

}  // namespace gatehouse::policy
