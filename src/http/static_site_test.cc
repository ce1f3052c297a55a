#include "http/static_site.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

constexpr StaticFile kFiles[] = {
    {"/index.html", "text/html; charset=utf-8", "<html>app</html>", "", "\"i1\""},
    {"/assets/index-abc.js", "text/javascript; charset=utf-8", "console.log(1)", "GZ", "\"j1\""},
};

Request Get(std::string path, std::string accept = "text/html,*/*;q=0.8") {
  Request r{.method = Method::kGet, .method_name = "GET", .path = path};
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    r.segments.push_back(path.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (!accept.empty()) r.headers.Add("Accept", accept);
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  StaticSiteTest() {
    router_.Add(Method::kGet, "/api/v4/leads", [](Request&) { return Response::Text(200, "api"); });
    RegisterStaticSite(router_, kFiles);
  }
  Response Send(Request request) { return router_.Handle(request); }
  Router router_;
};

TEST_F(StaticSiteTest, DeepLinksGetIndexWithoutCaching) {
  for (std::string path : {"/", "/login", "/settings/users/7", "/leads/board"}) {
    Response r = Send(Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<html>app</html>") << path;
    EXPECT_EQ(r.headers.Get("cache-control"), "no-cache") << path;
    EXPECT_EQ(r.headers.Get("content-security-policy"), kConsoleCsp) << path;
    EXPECT_EQ(r.headers.Get("content-security-policy").find("unsafe-eval"), std::string::npos);
  }
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableAndGzipped) {
  Request plain = Get("/assets/index-abc.js", "*/*");
  Response r = Send(plain);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.headers.Get("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  Request zipped = Get("/assets/index-abc.js", "*/*");
  zipped.headers.Add("Accept-Encoding", "br, gzip;q=0.9");
  Response z = Send(zipped);
  EXPECT_EQ(z.body, "GZ");
  EXPECT_EQ(z.headers.Get("content-encoding"), "gzip");
  Request refused = Get("/assets/index-abc.js", "*/*");
  refused.headers.Add("Accept-Encoding", "gzip;q=0");
  EXPECT_EQ(Send(refused).body, "console.log(1)");
}

TEST_F(StaticSiteTest, RevalidationAnswers304) {
  Request again = Get("/assets/index-abc.js", "*/*");
  again.headers.Add("If-None-Match", "\"j1\"");
  Response r = Send(again);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(StaticSiteTest, ApiPathsAndNonHtmlClientsKeepProblems) {
  EXPECT_EQ(Send(Get("/api/v4/leads")).body, "api");
  for (std::string path : {"/api/v4/nothing", "/auth/nothing", "/oauth2/nothing"}) {
    Response r = Send(Get(path));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, kProblemJson) << path;
  }
  for (std::string accept : {"application/json", "text/html;q=0, */*", "text/*;q=0, */*;q=0.5",
                             "application/problem+json, text/html;q=0.0"}) {
    Response r = Send(Get("/settings/users", accept));
    EXPECT_EQ(r.status, 404) << accept;
    EXPECT_EQ(r.content_type, kProblemJson) << accept;
  }
  EXPECT_EQ(Send(Get("/assets/missing.js", "*/*")).status, 404);
  EXPECT_EQ(Send(Get("/assets/missing.js", "text/html")).status, 404);
  EXPECT_EQ(Send(Get("/favicon.ico", "image/webp,*/*;q=0.8")).status, 404);
  EXPECT_EQ(Send(Get("/robots.txt", "")).status, 404);
}

// RFC 9110: "*/*", "text/*" and a request without Accept all accept text/html, so a plain
// `curl http://host/` sees the console, not the 404 the product set out to remove.
TEST_F(StaticSiteTest, ClientsAcceptingAnyTypeGetTheConsole) {
  for (std::string accept :
       {"", "*/*", "text/*", "application/json;q=0.9, */*;q=0.1", "TEXT/HTML", " text/html ;q=1"}) {
    for (std::string path : {"/", "/settings/users/7"}) {
      Response r = Send(Get(path, accept));
      EXPECT_EQ(r.status, 200) << path << " Accept: " << accept;
      EXPECT_EQ(r.body, "<html>app</html>") << path << " Accept: " << accept;
    }
  }
  // A browser navigating to a page whose last segment has a dot names text/html outright.
  EXPECT_EQ(Send(Get("/leads/export.csv")).status, 200);
}

TEST(StaticSiteEmptyTest, BuildWithoutConsoleSays503) {
  Router router;
  RegisterStaticSite(router, {});
  Request r = Get("/login");
  Response response = router.Handle(r);
  EXPECT_EQ(response.status, 503);
}

}  // namespace
}  // namespace gatehouse::http
