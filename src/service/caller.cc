#include "service/caller.h"

#include <string>

namespace gatehouse::service {

base::Status RequireAdmin(const Caller& caller, std::string_view action) {
  if (caller.is_admin()) return base::Status::Ok();
  return base::Status::Denied("only administrators may " + std::string(action));
}

base::Status RequireSelf(const Caller& caller) {
  if (caller.actor_id == 0 || caller.actor_id == caller.user_id) return base::Status::Ok();
  return base::Status::Denied("not allowed while acting as another user");
}

}  // namespace gatehouse::service
