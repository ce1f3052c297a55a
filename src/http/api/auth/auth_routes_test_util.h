// Test support for the auth and security routes: a Router with RegisterAuthRoutes over a
// migrated SQLite store and a FakeClock, two probe routes that echo the Caller, and helpers to
// build requests as the server would and to log in.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/api.h"
#include "http/api/api_fixture_test_util.h"
#include "http/api/auth/auth_services.h"
#include "http/json.h"
#include "http/router.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api::testing {

using nlohmann::json;

inline Request MakeRequest(Method method, const std::string& target, const std::string& body = "",
                           const std::string& peer = service::testing::kPeer) {
  Request r{.method = method, .method_name = std::string(MethodName(method)), .target = target};
  const std::size_t q = target.find('?');
  r.path = target.substr(0, q);
  r.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
  std::size_t start = 1;
  while (start <= r.path.size()) {
    const std::size_t slash = r.path.find('/', start);
    r.segments.push_back(*PercentDecode(
        r.path.substr(start, slash == std::string::npos ? slash : slash - start), false));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  auto query = Query::Parse(r.raw_query);
  EXPECT_TRUE(query.ok());
  if (query.ok()) r.query = *query;
  r.body = body;
  r.peer_address = peer;
  r.headers.Add("Host", "acme.example");
  r.base_url = "http://acme.example";
  if (!body.empty()) r.headers.Add("Content-Type", "application/json");
  return r;
}

// MakeRequest as sent to `host` (Host header and base_url http://<host>).
inline Request MakeRequestTo(const std::string& host, Method method, const std::string& target,
                             const std::string& body = "") {
  Request r = MakeRequest(method, target, body);
  r.headers.Set("Host", host);
  r.base_url = "http://" + host;
  return r;
}

inline json BodyOf(const Response& response) { return json::parse(response.body, nullptr, false); }

// The value of the session cookie set by `response`, or "".
inline std::string SetCookieToken(const Response& response) {
  const std::string* cookie = response.headers.Find("Set-Cookie");
  if (cookie == nullptr) return "";
  const std::string prefix = std::string(kSessionCookie) + "=";
  if (cookie->rfind(prefix, 0) != 0) return "";
  return cookie->substr(prefix.size(), cookie->find(';') - prefix.size());
}

struct WebSession {
  std::string cookie{};  // token
  std::string csrf{};
};

class RoutesFixture : public ApiFixture<service::testing::AuthFixture> {
 protected:
  RoutesFixture() : ApiFixture(RegisterAuthRoutes) {}

  void Populate() override {
    ASSERT_TRUE(context_.auth);
    auto echo = [](Request& request) {
      const service::Caller& caller = api::CallerOf(request);
      json out = {{"user_id", caller.user_id},
                  {"actor_id", caller.actor_id},
                  {"via", static_cast<int>(caller.via)},
                  {"client_ip", caller.client_ip}};
      return JsonResponse(200, out);
    };
    router_.Add(Method::kGet, "/api/v4/probe", echo, {.name = "probe.get"});
    router_.Add(Method::kPost, "/api/v4/probe", echo, {.name = "probe.post"});
  }

  Response Send(Request request) {
    Response response = router_.Handle(request);
    // The probes are this fixture's own routes, not the API's.
    if (request.route_name.rfind("probe.", 0) != 0) ExpectConformsToOpenApi(request, response);
    return response;
  }

  Response Login(const std::string& email,
                 const std::string& password = service::testing::kPassword,
                 const std::string& code = "", const std::string& peer = service::testing::kPeer) {
    json body = {{"email", email}, {"password", password}};
    if (!code.empty()) body["code"] = code;
    return Send(MakeRequest(Method::kPost, "/auth/login", body.dump(), peer));
  }

  WebSession MustWebLogin(const std::string& email, const std::string& code = "") {
    Response r = Login(email, service::testing::kPassword, code);
    EXPECT_EQ(r.status, 200) << r.body;
    return {SetCookieToken(r), BodyOf(r).value("csrf_token", "")};
  }

  // A request carrying the session cookie (and the CSRF header when it changes state).
  Request WithSession(Request request, const WebSession& session, bool csrf = true) {
    request.headers.Add("Cookie",
                        "theme=dark; " + std::string(kSessionCookie) + "=" + session.cookie);
    if (csrf) request.headers.Add(std::string(kCsrfHeader), session.csrf);
    return request;
  }

  // The consent page's form as the browser posts it (the CSRF token a hidden field, no header).
  Request ConsentPost(const WebSession& session, const std::string& client_id,
                      const std::string& state, const std::string& decision) {
    Request post = WithSession(MakeRequest(Method::kPost, "/oauth"), session, false);
    post.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    post.body = "client_id=" + client_id + "&state=" + state + "&decision=" + decision +
                "&csrf_token=" + session.csrf;
    return post;
  }

  Request WithBearer(Request request, const std::string& token) {
    request.headers.Add("Authorization", "Bearer " + token);
    return request;
  }
};

}  // namespace gatehouse::http::api::testing

namespace gatehouse::http::api {

// What the tests through the auth middleware name unqualified.
using nlohmann::json;
using testing::BodyOf;
using testing::MakeRequest;
using testing::WebSession;

}  // namespace gatehouse::http::api
