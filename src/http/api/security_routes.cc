// Account security resources: password change, 2FA, sessions, IP whitelist, policy.
#include "http/api/auth_services.h"

namespace gatehouse::http::api {

void RegisterSecurityRoutes(Router&, ApiContext&) {}

}  // namespace gatehouse::http::api
