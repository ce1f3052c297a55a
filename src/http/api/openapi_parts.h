// The OpenAPI schema files (src/http/api/openapi/*.json) as compiled into the binary. The build
// generates the definition (openapi_parts.cc from openapi_parts.cc.in); the format of the files
// is described in openapi.h.
#pragma once

#include <span>

namespace gatehouse::http::api {

struct OpenApiPart {
  const char* name;  // the file's name, e.g. "users.json"
  const char* text;  // its JSON text
};

// Every file, in the order the build globbed them. Static storage; never empty.
std::span<const OpenApiPart> OpenApiParts();

}  // namespace gatehouse::http::api
