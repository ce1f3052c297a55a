#include "http/api/api.h"
#include "http/api/openapi.h"

namespace gatehouse::http::api {

void RegisterApi(Router& router, ApiContext& context) {
  RegisterAuthRoutes(router, context);
  RegisterRecordRoutes(router, context);
  RegisterAdminRoutes(router, context);
  RegisterOpenApiRoute(router);
}

}  // namespace gatehouse::http::api
