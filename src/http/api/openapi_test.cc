#include "http/api/openapi.h"

#include <gtest/gtest.h>

#include "http/json.h"

namespace gatehouse::http::api {
namespace {

Response Ok(Request&) { return Response::NoContent(); }

TEST(OpenApiTest, ListsExactlyTheRegisteredRoutes) {
  Router router;
  router.Add(Method::kGet, "/api/v4/leads/{id:int}", Ok, {.name = "leads.get"});
  router.Add(Method::kPatch, "/api/v4/leads/{id:int}", Ok, {.name = "leads.patch"});
  router.Add(Method::kPost, "/auth/login", Ok, {.name = "auth.login", .allow_anonymous = true});
  RegisterOpenApiRoute(router);

  nlohmann::json doc = nlohmann::json::parse(OpenApiDocument(router));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  ASSERT_EQ(doc["paths"].size(), 3u);
  const nlohmann::json& lead = doc["paths"]["/api/v4/leads/{id}"];
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
  Request request;
  request.method = Method::kGet;
  request.path = "/api/v4/openapi.json";
  request.segments = {"api", "v4", "openapi.json"};
  Response response = router.Handle(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, kJson);
  EXPECT_TRUE(nlohmann::json::parse(response.body)["paths"].contains("/api/v4/openapi.json"));
}

}  // namespace
}  // namespace gatehouse::http::api
