#include "http/api/openapi.h"

#include <cctype>

#include "http/json.h"

namespace gatehouse::http::api {
namespace {

struct PathParam {
  std::string name;
  bool integer = false;
};

// "/api/v4/leads/{id:int}" -> "/api/v4/leads/{id}" and its parameters.
std::string OpenApiPath(const std::string& pattern, std::vector<PathParam>& params) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    std::string inner = pattern.substr(i + 1, close - i - 1);
    PathParam param;
    if (const std::size_t colon = inner.find(':'); colon != std::string::npos) {
      param.integer = inner.substr(colon + 1) == "int";
      inner = inner.substr(0, colon);
    }
    param.name = inner;
    out += "{" + inner + "}";
    params.push_back(param);
    i = close + 1;
  }
  return out;
}

std::string LowerMethod(Method method) {
  std::string name(MethodName(method));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

std::string OpenApiDocument(const Router& router) {
  nlohmann::json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "Gatehouse API"},
                 {"version", "0.1.0"},
                 {"description",
                  "Kommo-API-v4-shaped REST API of Gatehouse. Every record path is enforced by "
                  "the permission engine; see docs/api.md for the semantics."}};
  doc["components"]["securitySchemes"] = {
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
      {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gatehouse_session"}}}};
  doc["components"]["schemas"]["Problem"] = {
      {"type", "object"},
      {"properties",
       {{"title", {{"type", "string"}}},
        {"type", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"validation-errors", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  nlohmann::json& paths = doc["paths"];
  paths = nlohmann::json::object();
  for (const Router::RouteInfo& route : router.Routes()) {
    std::vector<PathParam> params;
    const std::string path = OpenApiPath(route.pattern, params);
    nlohmann::json operation;
    operation["operationId"] = route.options.name.empty()
                                   ? std::string(MethodName(route.method)) + " " + route.pattern
                                   : route.options.name;
    for (const PathParam& param : params) {
      operation["parameters"].push_back(
          {{"name", param.name},
           {"in", "path"},
           {"required", true},
           {"schema", {{"type", param.integer ? "integer" : "string"}}}});
    }
    if (route.options.allow_anonymous) {
      operation["security"] = nlohmann::json::array();
    } else {
      operation["security"] = {{{"bearer", nlohmann::json::array()}},
                               {{"session", nlohmann::json::array()}}};
    }
    operation["responses"]["default"] = {
        {"description", "success (application/hal+json) or a problem"},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    paths[path][LowerMethod(route.method)] = std::move(operation);
  }
  return doc.dump();
}

void RegisterOpenApiRoute(Router& router) {
  const Router* source = &router;
  router.Add(Method::kGet, "/api/v4/openapi.json",
             [source](Request&) { return Response::Json(200, OpenApiDocument(*source), kJson); },
             {.name = "openapi", .allow_anonymous = true});
}

}  // namespace gatehouse::http::api
