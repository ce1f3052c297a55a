// GET /api/v4/openapi.json: an OpenAPI 3.0.3 document generated from the routes actually
// registered, so it can never list a path the server does not serve (or miss one it does),
// completed from the schema table in src/http/api/openapi/*.json.
//
// The schema table is every file's object merged (a name defined twice is an error):
//   {"components": {"schemas": {NAME: JSON Schema}, "parameters": {NAME: Parameter Object}},
//    "operations": {ROUTE_NAME: {                      // RouteOptions::name, e.g. "users.list"
//       "summary": "...",                              // optional
//       "parameters": ["page", {Parameter Object}],   // query/header; a string names one of
//                                                      // components.parameters
//       "request": JSON Schema,                        // the body, when the route takes one
//       "request_types": ["application/json", ...],    // default: ["application/json"]
//       "responses": {"200": {MEDIA_TYPE: JSON Schema}, // one entry per status it answers;
//                     "204": {}}}}}                    // {} is a response without a body
// Path parameters come from the route pattern. Every operation also gets a `default`
// application/problem+json response (a route may replace it with its own "default").
//
// The schemas are checked against real responses: openapi_test_util.h validates every response
// the HTTP route tests receive against the operation's schema (unknown members fail).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "http/router.h"

namespace gatehouse::http::api {

// The document for `router`'s routes, serialized.
std::string OpenApiDocument(const Router& router);

// The route names the schema table describes; kInvalidArgument naming the file when one is not
// valid JSON, not shaped as above, or defines a name another file does (the document then
// carries no table at all).
base::Result<std::vector<std::string>> OpenApiTableOperations();

// Registers the anonymous route; call after every other route (the document is built per
// request from the router, so later registrations appear too).
void RegisterOpenApiRoute(Router& router);

}  // namespace gatehouse::http::api
