#include "http/router.h"

#include <gtest/gtest.h>

#include "http/json.h"
#include "http/problem.h"

namespace gatehouse::http {
namespace {

Request Make(Method method, std::vector<std::string> segments) {
  return Request{.method = method,
                 .method_name = std::string(MethodName(method)),
                 .segments = std::move(segments)};
}

Handler Named(std::string name) {
  return [name](Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.params) body += " " + key + "=" + value;
    return Response::Text(200, body);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(Method::kGet, "/api/v4/leads", Named("list"), {.name = "leads.list"});
    router_.Add(Method::kPost, "/api/v4/leads", Named("add"));
    router_.Add(Method::kGet, "/api/v4/leads/{id:int}", Named("get"));
    router_.Add(Method::kPatch, "/api/v4/leads/{id:int}", Named("patch"));
    router_.Add(Method::kGet, "/api/v4/leads/pipelines", Named("pipelines"));
    router_.Add(Method::kGet, "/api/v4/leads/pipelines/{id:int}/statuses/{status_id:int}",
                Named("status"));
    router_.Add(Method::kPost, "/api/v4/leads/unsorted/{uid}/accept", Named("accept"));
    router_.Add(Method::kGet, "/api/v4/things/{name}", Named("thing-any"));
    router_.Add(Method::kGet, "/api/v4/things/special", Named("thing-special"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchTable) {
  static const struct {
    Method method;
    std::vector<std::string> segments;
    int status;
    const char* body;
  } kCases[] = {
      {Method::kGet, {"api", "v4", "leads"}, 200, "list"},
      {Method::kGet, {"api", "v4", "leads", ""}, 200, "list"},  // trailing slash
      {Method::kPost, {"api", "v4", "leads"}, 200, "add"},
      {Method::kGet, {"api", "v4", "leads", "42"}, 200, "get id=42"},
      {Method::kPatch, {"api", "v4", "leads", "42"}, 200, "patch id=42"},
      {Method::kHead, {"api", "v4", "leads", "42"}, 200, "get id=42"},
      {Method::kGet, {"api", "v4", "leads", "pipelines"}, 200, "pipelines"},
      {Method::kGet,
       {"api", "v4", "leads", "pipelines", "3", "statuses", "9"},
       200,
       "status id=3 status_id=9"},
      {Method::kPost, {"api", "v4", "leads", "unsorted", "ab-c", "accept"}, 200, "accept uid=ab-c"},
      {Method::kGet, {"api", "v4", "things", "special"}, 200, "thing-special"},
      {Method::kGet, {"api", "v4", "things", "other"}, 200, "thing-any name=other"},
      {Method::kGet, {"api", "v4", "leads", "abc"}, 404, nullptr},
      {Method::kGet, {"api", "v4", "leads", "99999999999999999999"}, 404, nullptr},
      {Method::kGet, {"api", "v4", "leads", "-1"}, 404, nullptr},
      {Method::kGet, {"api", "v4", "nothing"}, 404, nullptr},
      {Method::kGet, {}, 404, nullptr},
      {Method::kGet, {"api", "v4", "things", ""}, 404, nullptr},
      {Method::kDelete, {"api", "v4", "leads", "42"}, 405, nullptr},
      {Method::kPut, {"api", "v4", "leads"}, 405, nullptr},
  };
  for (const auto& c : kCases) {
    Request request = Make(c.method, c.segments);
    Response response = router_.Handle(request);
    std::string where = std::string(MethodName(c.method)) + " " + std::to_string(c.segments.size());
    EXPECT_EQ(response.status, c.status) << where;
    if (c.body != nullptr) {
      EXPECT_EQ(response.body, c.body) << where;
    } else {
      EXPECT_EQ(response.content_type, "application/problem+json") << where;
    }
  }
}

TEST_F(RouterTest, MethodNotAllowedListsAllow) {
  Request request = Make(Method::kDelete, {"api", "v4", "leads", "7"});
  Response response = router_.Handle(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "GET, HEAD, PATCH");
  EXPECT_EQ(nlohmann::json::parse(response.body)["type"], "https://httpstatus.es/405");
}

TEST_F(RouterTest, RouteNameAndParams) {
  Request request = Make(Method::kGet, {"api", "v4", "leads"});
  Router::Match match = router_.Find(request);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(request.route_name, "leads.list");
  ASSERT_NE(request.route, nullptr);
  EXPECT_FALSE(request.route->allow_anonymous);

  Request by_id = Make(Method::kPatch, {"api", "v4", "leads", "12"});
  ASSERT_NE(router_.Find(by_id).route, nullptr);
  EXPECT_EQ(by_id.route_name, "PATCH /api/v4/leads/{id:int}");
  EXPECT_EQ(*by_id.ParamInt("id"), 12);
  EXPECT_EQ(by_id.Param("none"), "");
  EXPECT_FALSE(by_id.ParamInt("none").ok());
}

TEST_F(RouterTest, MiddlewareRunsInOrderAndCanAnswer) {
  std::vector<std::string> calls;
  router_.Use([&calls](Request& request) -> std::optional<Response> {
    calls.push_back("first");
    request.user_id = 5;
    return std::nullopt;
  });
  router_.Use([&calls](Request& request) -> std::optional<Response> {
    calls.push_back("second");
    if (request.headers.Get("Authorization").empty()) {
      return ProblemResponse(base::Status::Error(base::Code::kUnauthenticated, "No token"));
    }
    return std::nullopt;
  });
  Request anonymous = Make(Method::kGet, {"api", "v4", "leads"});
  EXPECT_EQ(router_.Handle(anonymous).status, 401);
  EXPECT_EQ(anonymous.user_id, 5);
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "second"}));

  Request with_token = Make(Method::kGet, {"api", "v4", "leads"});
  with_token.headers.Add("authorization", "Bearer x");
  EXPECT_EQ(router_.Handle(with_token).status, 200);

  calls.clear();
  Request unknown = Make(Method::kGet, {"nowhere"});
  EXPECT_EQ(router_.Handle(unknown).status, 404);
  EXPECT_TRUE(calls.empty());  // middleware runs for matched routes only
}

TEST_F(RouterTest, FallbackTakesUnmatchedGetsOnly) {
  Request before = Make(Method::kGet, {"settings", "users"});
  EXPECT_EQ(router_.Handle(before).status, 404);
  router_.SetFallback(Named("console"), {.name = "console"});
  Request page = Make(Method::kGet, {"settings", "users", "7"});
  Response served = router_.Handle(page);
  EXPECT_EQ(served.body, "console");
  EXPECT_EQ(page.route_name, "console");
  EXPECT_TRUE(page.route->allow_anonymous);
  Request head = Make(Method::kHead, {"login"});
  EXPECT_EQ(router_.Handle(head).body, "console");
  // A path that names a route keeps its 405, and other methods keep the 404.
  Request wrong_method = Make(Method::kDelete, {"api", "v4", "leads"});
  EXPECT_EQ(router_.Handle(wrong_method).status, 405);
  Request post = Make(Method::kPost, {"login"});
  EXPECT_EQ(router_.Handle(post).status, 404);
  // Routes still win over the fallback.
  Request list = Make(Method::kGet, {"api", "v4", "leads"});
  EXPECT_EQ(router_.Handle(list).body, "list");
}

TEST(RouterDeathTest, BadPatternsAbort) {
  Router router;
  EXPECT_DEATH(router.Add(Method::kGet, "no-slash", Named("x")), "must start");
  EXPECT_DEATH(router.Add(Method::kGet, "/a/{id:float}", Named("x")), "unknown parameter type");
  EXPECT_DEATH(router.Add(Method::kGet, "/a//b", Named("x")), "empty segment");
  router.Add(Method::kGet, "/a", Named("x"));
  EXPECT_DEATH(router.Add(Method::kGet, "/a", Named("x")), "duplicate");
  // The auth middleware checks administrators_only on authenticated callers only.
  EXPECT_DEATH(router.Add(Method::kGet, "/b", Named("x"),
                          {.name = "b", .allow_anonymous = true, .administrators_only = true}),
               "both anonymous and for administrators only");
}

TEST(BuiltinRoutesTest, HealthzAndMetrics) {
  Router router;
  AddBuiltinRoutes(router);
  Request health = Make(Method::kGet, {"healthz"});
  Response response = router.Handle(health);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"healthy":true})");
  EXPECT_TRUE(health.route->allow_anonymous);

  Router::Match match = router.Find(health);
  Metrics::Record(match.series, 200, 1500);
  Metrics::Record(match.series, 503, 20);
  Request metrics = Make(Method::kGet, {"metrics"});
  std::string text = router.Handle(metrics).body;
  EXPECT_NE(text.find("gatehouse_http_requests_total{route=\"healthz\",class=\"2xx\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("gatehouse_http_requests_total{route=\"healthz\",class=\"5xx\"} 1"),
            std::string::npos);
  EXPECT_NE(
      text.find("gatehouse_http_request_duration_seconds_bucket{route=\"healthz\",le=\"0.001\"} 1"),
      std::string::npos);
  EXPECT_NE(
      text.find(
          "gatehouse_http_request_duration_seconds_bucket{route=\"healthz\",le=\"0.0025\"} 2"),
      std::string::npos);
  EXPECT_NE(text.find("gatehouse_http_request_duration_seconds_count{route=\"healthz\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE gatehouse_http_request_duration_seconds histogram"),
            std::string::npos);
}

}  // namespace
}  // namespace gatehouse::http
