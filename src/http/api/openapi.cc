// The document is the router's route list dressed with the schema table (openapi/*.json): the
// routes say which operations exist, the table what they take and answer. An operation the
// table does not describe still appears, with only its problem response, and the OpenAPI test
// fails for it.
#include "http/api/openapi.h"

#include "base/text.h"
#include "http/api/openapi_parts.h"
#include "http/json.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

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

std::string LowerMethod(Method method) { return base::AsciiLower(MethodName(method)); }

// Moves every member of `from` into `into`; a member `into` already has is an error.
base::Status MergeNames(const json& from, json& into, const std::string& where) {
  if (from.is_null()) return base::Status::Ok();
  if (!from.is_object()) return base::Status::Invalid(where + " must be an object");
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (into.contains(it.key())) {
      return base::Status::Invalid(where + "." + it.key() + " is defined twice");
    }
    into[it.key()] = it.value();
  }
  return base::Status::Ok();
}

base::Result<json> LoadTable() {
  json table = {{"components", {{"schemas", json::object()}, {"parameters", json::object()}}},
                {"operations", json::object()}};
  for (const OpenApiPart& part : OpenApiParts()) {
    const std::string file = std::string("openapi/") + part.name;
    json parsed = json::parse(part.text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) return base::Status::Invalid(file + " is not a JSON object");
    for (auto it = parsed.begin(); it != parsed.end(); ++it) {
      if (it.key() != "components" && it.key() != "operations" && it.key() != "$comment") {
        return base::Status::Invalid(file + ": unknown member " + it.key());
      }
    }
    const json& components = parsed.value("components", json::object());
    for (const char* kind : {"schemas", "parameters"}) {
      GH_RETURN_IF_ERROR(MergeNames(components.value(kind, json()), table["components"][kind],
                                    file + ": components." + kind));
    }
    GH_RETURN_IF_ERROR(
        MergeNames(parsed.value("operations", json()), table["operations"], file + ": operations"));
  }
  return table;
}

// Loaded once: the files are compiled in, so the answer never changes.
const base::Result<json>& Table() {
  static const base::Result<json> table = LoadTable();
  return table;
}

json ResponseObject(const std::string& status, const json& content) {
  json out;
  if (status == "default") {
    out["description"] = "a problem";
  } else {
    out["description"] = std::string(ReasonPhrase(std::atoi(status.c_str())));
  }
  for (auto it = content.begin(); it != content.end(); ++it) {
    out["content"][it.key()]["schema"] = it.value();
  }
  return out;
}

// Parameters, body and responses of one operation from its table entry (null: none).
void Describe(const json& entry, json& operation) {
  if (entry.contains("summary")) operation["summary"] = entry["summary"];
  for (const json& param : entry.value("parameters", json::array())) {
    if (param.is_string()) {
      operation["parameters"].push_back(
          {{"$ref", "#/components/parameters/" + param.get<std::string>()}});
    } else {
      operation["parameters"].push_back(param);
    }
  }
  if (entry.contains("request")) {
    json& body = operation["requestBody"];
    body["required"] = true;
    for (const json& type : entry.value("request_types", json::array({"application/json"}))) {
      body["content"][type.get<std::string>()]["schema"] = entry["request"];
    }
  }
  const json responses = entry.value("responses", json::object());
  for (auto it = responses.begin(); it != responses.end(); ++it) {
    operation["responses"][it.key()] = ResponseObject(it.key(), it.value());
  }
}

}  // namespace

base::Result<std::vector<std::string>> OpenApiTableOperations() {
  const base::Result<json>& table = Table();
  if (!table.ok()) return table.status();
  std::vector<std::string> names;
  for (auto it = (*table)["operations"].begin(); it != (*table)["operations"].end(); ++it) {
    names.push_back(it.key());
  }
  return names;
}

std::string OpenApiDocument(const Router& router) {
  static const json kEmpty = {
      {"components", {{"schemas", json::object()}, {"parameters", json::object()}}},
      {"operations", json::object()}};
  const json& table = Table().ok() ? *Table() : kEmpty;
  json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "Gatehouse API"},
                 {"version", "0.1.0"},
                 {"description",
                  "Kommo-API-v4-shaped REST API of Gatehouse. Every record path is enforced by "
                  "the permission engine; see docs/api.md for the semantics."}};
  doc["components"] = table["components"];
  doc["components"]["securitySchemes"] = {
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
      {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gatehouse_session"}}}};
  json& paths = doc["paths"];
  paths = json::object();
  for (const Router::RouteInfo& route : router.Routes()) {
    std::vector<PathParam> params;
    const std::string path = OpenApiPath(route.pattern, params);
    json operation;
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
      operation["security"] = json::array();
    } else {
      operation["security"] = {{{"bearer", json::array()}}, {{"session", json::array()}}};
    }
    if (auto entry = table["operations"].find(route.options.name);
        entry != table["operations"].end()) {
      Describe(*entry, operation);
    }
    if (!operation["responses"].contains("default")) {
      operation["responses"]["default"] = ResponseObject(
          "default", {{"application/problem+json", {{"$ref", "#/components/schemas/Problem"}}}});
    }
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
