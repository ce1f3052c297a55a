// GET /api/v4/openapi.json: an OpenAPI 3.0 document generated from the routes actually
// registered, so it can never list a path the server does not serve (or miss one it does).
#pragma once

#include <string>

#include "http/router.h"

namespace gatehouse::http::api {

// The document for `router`'s routes, serialized.
std::string OpenApiDocument(const Router& router);

// Registers the anonymous route; call after every other route (the document is built per
// request from the router, so later registrations appear too).
void RegisterOpenApiRoute(Router& router);

}  // namespace gatehouse::http::api
