// Role presets (SPEC §1): assigning a role copies its rights and keeps the link; editing the
// role updates every holder; editing a user's rights by hand detaches the user.
// Pure functions over domain values; the caller persists and republishes the policy.
#pragma once

#include <vector>

#include "domain/account.h"

namespace gatehouse::policy {

// Copies role.rights into user.rights and links the user to the role.
void ApplyRole(const domain::Role& role, domain::User& user);

// Replaces the role in `model` (by id) with `role` and re-applies it to every user holding it.
// Returns the ids of the users whose rights changed.
std::vector<domain::UserId> UpdateRole(domain::AccountModel& model, const domain::Role& role);

// Sets rights by hand: the user no longer follows a role.
void SetUserRights(domain::User& user, domain::Rights rights);

// Users that hold `role_id` (a role with holders cannot be deleted).
std::vector<domain::UserId> RoleHolders(const domain::AccountModel& model, domain::RoleId role_id);

}  // namespace gatehouse::policy
