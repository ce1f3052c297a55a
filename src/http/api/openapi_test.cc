#include "http/api/openapi.h"

#include <gtest/gtest.h>

#include <set>

#include "http/api/api.h"
#include "http/api/api_fixture_test_util.h"
#include "http/api/auth/auth_routes_test_util.h"
#include "http/api/openapi_test_util.h"
#include "http/json.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;
using testing::OpenApiChecker;

Response Ok(Request&) { return Response::NoContent(); }

TEST(OpenApiTest, ListsExactlyTheRegisteredRoutes) {
  Router router;
  router.Add(Method::kGet, "/api/v4/leads/{id:int}", Ok, {.name = "leads.get"});
  router.Add(Method::kPatch, "/api/v4/leads/{id:int}", Ok, {.name = "leads.patch"});
  router.Add(Method::kPost, "/auth/login", Ok, {.name = "auth.login", .allow_anonymous = true});
  RegisterOpenApiRoute(router);

  json doc = json::parse(OpenApiDocument(router));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  ASSERT_EQ(doc["paths"].size(), 3u);
  const json& lead = doc["paths"]["/api/v4/leads/{id}"];
  EXPECT_EQ(lead["get"]["operationId"], "leads.get");
  EXPECT_EQ(lead["patch"]["operationId"], "leads.patch");
  EXPECT_EQ(lead["get"]["parameters"][0]["name"], "id");
  EXPECT_EQ(lead["get"]["parameters"][0]["schema"]["type"], "integer");
  EXPECT_FALSE(lead["get"]["security"].empty());
  EXPECT_TRUE(doc["paths"]["/auth/login"]["post"]["security"].empty());
  EXPECT_TRUE(doc["paths"].contains("/api/v4/openapi.json"));
}

TEST(OpenApiTest, ServedAnonymouslyAsJson) {
  Router router;
  RegisterOpenApiRoute(router);
  Request request{.method = Method::kGet,
                  .path = "/api/v4/openapi.json",
                  .segments = {"api", "v4", "openapi.json"}};
  Response response = router.Handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, kJson);
  EXPECT_TRUE(json::parse(response.body)["paths"].contains("/api/v4/openapi.json"));
}

TEST(OpenApiTest, TableEntriesBecomeParametersBodiesAndResponses) {
  Router router;
  router.Add(Method::kPost, "/api/v4/users", Ok, {.name = "users.add"});
  router.Add(Method::kGet, "/api/v4/users", Ok, {.name = "users.list"});
  router.Add(Method::kDelete, "/api/v4/users/{id:int}", Ok, {.name = "users.delete"});
  json doc = json::parse(OpenApiDocument(router));
  const json& add = doc["paths"]["/api/v4/users"]["post"];
  EXPECT_TRUE(add["requestBody"]["required"]);
  EXPECT_EQ(add["requestBody"]["content"]["application/json"]["schema"]["type"], "array");
  EXPECT_EQ(add["responses"]["201"]["content"]["application/hal+json"]["schema"]["$ref"],
            "#/components/schemas/UsersCreated");
  EXPECT_EQ(add["responses"]["default"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem");
  const json& list = doc["paths"]["/api/v4/users"]["get"];
  EXPECT_EQ(list["parameters"][0]["$ref"], "#/components/parameters/page");
  EXPECT_FALSE(list["responses"]["204"].contains("content"));
  const json& remove = doc["paths"]["/api/v4/users/{id}"]["delete"];
  EXPECT_EQ(remove["parameters"][0]["in"], "path");  // from the pattern, then the table's
  EXPECT_EQ(remove["parameters"][1]["$ref"], "#/components/parameters/reassign_to");
  EXPECT_TRUE(doc["components"]["schemas"].contains("UserRights"));
}

// The validator the drift tests rely on: it must refuse what the schemas do not allow.
TEST(OpenApiTest, CheckerRefusesUndocumentedAndMissingMembers) {
  Router router;
  OpenApiChecker checker(router);
  const json schema = {{"$ref", "#/components/schemas/Group"}};
  auto errors = [&](const json& schema, const json& value) {
    std::vector<std::string> out;
    checker.SchemaErrors(schema, value, "", out);
    return out;
  };
  const json links = {{"self", {{"href", "http://x/api/v4/users_groups/1"}}}};
  const json group = {{"id", 1}, {"name", "Sales"}, {"uuid", nullptr}, {"_links", links}};
  EXPECT_TRUE(errors(schema, group).empty());
  json extra = group;
  extra["color"] = "red";
  EXPECT_EQ(errors(schema, extra), std::vector<std::string>{"/color: not in the schema"});
  json missing = group;
  missing.erase("uuid");
  EXPECT_EQ(errors(schema, missing), std::vector<std::string>{": required member uuid is missing"});
  json mistyped = group;
  mistyped["id"] = "1";
  EXPECT_EQ(errors(schema, mistyped).size(), 1u);
  json null_name = group;
  null_name["name"] = nullptr;  // not nullable
  EXPECT_EQ(errors(schema, null_name).size(), 1u);
  EXPECT_EQ(errors({{"$ref", "#/components/schemas/Level"}}, "X").size(), 1u);
  EXPECT_TRUE(errors({{"$ref", "#/components/schemas/Level"}}, "M").empty());
  EXPECT_EQ(errors({{"$ref", "#/components/schemas/Nope"}}, 1).size(), 1u);
  const json one_of = {{"oneOf", json::array({{{"type", "integer"}}, {{"type", "string"}}})}};
  EXPECT_TRUE(errors(one_of, 5).empty());
  EXPECT_EQ(errors(one_of, true).size(), 1u);
  EXPECT_EQ(errors({{"type", "array"}, {"items", {{"type", "integer"}}}}, json({1, "2"})).size(),
            1u);
}

TEST(OpenApiTest, CheckerMatchesStatusAndMediaType) {
  Router router;
  router.Add(Method::kDelete, "/api/v4/users_groups/{id:int}", Ok, {.name = "groups.delete"});
  OpenApiChecker checker(router);
  Request request;
  request.route_name = "groups.delete";
  EXPECT_EQ(checker.ResponseMismatch(request, Response::NoContent()), "");
  EXPECT_NE(checker.ResponseMismatch(request, Response::Json(200, "{}")), "");
  Response problem = Response::Json(
      404, R"({"title":"Not Found","type":"t","status":404,"detail":"gone"})", kProblemJson);
  EXPECT_EQ(checker.ResponseMismatch(request, problem), "");
  problem.content_type = std::string(kHalJson);
  EXPECT_NE(checker.ResponseMismatch(request, problem), "");
  request.route_name = "unknown";
  EXPECT_NE(checker.ResponseMismatch(request, Response::NoContent()), "");
}

// The full route set, as `gatehouse serve` registers it.
class FullDocumentTest : public testing::ApiFixture<service::testing::AuthFixture> {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddBuiltinRoutes(router_);
    RegisterAuthRoutes(router_, context_);
    RegisterRecordRoutes(router_, context_);
    RegisterAdminRoutes(router_, context_);
    RegisterOpenApiRoute(router_);
  }
};

// Every $ref in `node` resolves in `checker`'s document.
void ExpectRefsResolve(const OpenApiChecker& checker, const json& node, const std::string& at) {
  if (node.is_object()) {
    if (auto ref = node.find("$ref"); ref != node.end()) {
      EXPECT_NE(checker.Resolve(ref->get<std::string>()), nullptr) << at << ": " << *ref;
    }
    for (auto& [key, child] : node.items()) ExpectRefsResolve(checker, child, at + "/" + key);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      ExpectRefsResolve(checker, node[i], at + "/" + std::to_string(i));
    }
  }
}

TEST_F(FullDocumentTest, EveryRouteHasASuccessResponseAndEveryRefResolves) {
  auto table = OpenApiTableOperations();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  OpenApiChecker checker(router_);
  std::set<std::string> routes;
  for (const Router::RouteInfo& route : router_.Routes()) {
    routes.insert(route.options.name);
    const std::string where = std::string(MethodName(route.method)) + " " + route.pattern;
    ASSERT_FALSE(route.options.name.empty()) << where;
    int successes = 0;
    for (auto& [method, operation] : checker.doc()["paths"].items()) {
      for (auto& [verb, op] : operation.items()) {
        if (op["operationId"] != route.options.name) continue;
        for (auto& [status, response] : op["responses"].items()) {
          if (status == "default" || std::stoi(status) >= 400) continue;
          ++successes;
          // A success either has no body (204, 302) or a schema for each media type.
          const json contents = response.value("content", json::object());
          for (auto& [media, content] : contents.items()) {
            EXPECT_TRUE(content.contains("schema")) << where << " " << status << " " << media;
          }
        }
      }
    }
    EXPECT_GT(successes, 0) << where << " (" << route.options.name
                            << ") has no success response in src/http/api/openapi/*.json";
  }
  // No stale entries: each operation in the table is a registered route.
  for (const std::string& name : *table) {
    EXPECT_TRUE(routes.count(name))
        << "openapi/*.json describes " << name << ", which no route is named";
  }
  ExpectRefsResolve(checker, checker.doc(), "");
}

TEST_F(FullDocumentTest, ParametersAreUniqueAndPathParametersMatchThePath) {
  OpenApiChecker checker(router_);
  for (auto& [path, methods] : checker.doc()["paths"].items()) {
    for (auto& [verb, op] : methods.items()) {
      std::set<std::string> seen;
      for (const json& param : op.value("parameters", json::array())) {
        const json& resolved = param.contains("$ref") ? *checker.Resolve(param["$ref"]) : param;
        const std::string key =
            resolved["in"].get<std::string>() + ":" + resolved["name"].get<std::string>();
        EXPECT_TRUE(seen.insert(key).second) << path << " " << verb << " repeats " << key;
        if (resolved["in"] == "path") {
          EXPECT_NE(path.find("{" + resolved["name"].get<std::string>() + "}"), std::string::npos);
        }
      }
    }
  }
}

}  // namespace
}  // namespace gatehouse::http::api
