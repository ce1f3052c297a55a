#include "service/caller.h"

#include <string>

namespace gatehouse::service {

base::Status RequireAdmin(const Caller& caller, std::string_view action) {
  if (caller.is_admin()) return base::Status::Ok();
  return base::Status::Denied("only administrators may " + std::string(action));
}

}  // namespace gatehouse::service
