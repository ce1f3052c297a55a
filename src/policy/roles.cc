// Roles are presets copied into users; the link (user.role_id) is what lets an edit of the role
// reach every holder, and what a hand edit of the user's rights cuts.
#include "policy/roles.h"

#include <algorithm>

namespace gatehouse::policy {

void ApplyRole(const domain::Role& role, domain::User& user) {
  user.rights = role.rights;
  user.role_id = role.id;
}

std::vector<domain::UserId> UpdateRole(domain::AccountModel& model, const domain::Role& role) {
  auto it = std::find_if(model.roles.begin(), model.roles.end(),
                         [&role](const domain::Role& r) { return r.id == role.id; });
  if (it == model.roles.end()) {
    model.roles.push_back(role);
  } else {
    *it = role;
  }
  std::vector<domain::UserId> changed;
  for (domain::User& user : model.users) {
    if (user.role_id != role.id) continue;
    if (user.rights != role.rights) changed.push_back(user.id);
    ApplyRole(role, user);
  }
  return changed;
}

void SetUserRights(domain::User& user, domain::Rights rights) {
  user.rights = std::move(rights);
  user.role_id.reset();
}

std::vector<domain::UserId> RoleHolders(const domain::AccountModel& model, domain::RoleId role_id) {
  std::vector<domain::UserId> holders;
  for (const domain::User& user : model.users) {
    if (user.role_id == role_id) holders.push_back(user.id);
  }
  return holders;
}

}  // namespace gatehouse::policy
