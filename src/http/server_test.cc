// Drives the real server on 127.0.0.1 (port 0) with a plain-socket client (server_test_util.h):
// HTTP/1.1 framing (keep-alive, chunked, Expect, Host, Transfer-Encoding), the error answers
// (400, 404/405, 413, 431, 500 as problem+json), security headers, health and readiness, and
// what is logged. Lifecycle and limits: server_lifecycle_test.cc.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "http/server_test_util.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Get("/hello")));
  RawResponse first = client.Read();
  ExpectOk(first, "hello");
  EXPECT_EQ(first.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(first.Header("x-frame-options"), "DENY");
  EXPECT_EQ(first.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(first.Header("cache-control"), "no-store");
  EXPECT_EQ(first.Header("x-request-id").size(), 16u);
  EXPECT_EQ(first.Header("connection"), "");  // HTTP/1.1 default: keep-alive

  ASSERT_TRUE(client.Send(Get("/leads/42", "X-Request-Id: client-id-1\r\n")));
  RawResponse second = client.Read();
  ExpectOk(second, "42 from 127.0.0.1");
  EXPECT_EQ(second.Header("x-request-id"), "client-id-1");

  // Pipelined: two requests in one write, two answers in order.
  ASSERT_TRUE(client.Send(Get("/hello") + Get("/leads/7")));
  EXPECT_EQ(client.Read().body, "hello");
  EXPECT_EQ(client.Read().body, "7 from 127.0.0.1");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello", "Connection: close\r\n")));
  RawResponse r = client.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(ServerTest, ChunkedRequestBody) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  ExpectOk(client.Read(), "hello world");
}

TEST_F(ServerTest, ExpectContinue) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.Read().status, 100);
  ASSERT_TRUE(client.Send("abc"));
  EXPECT_EQ(client.Read().body, "abc");
}

TEST_F(ServerTest, JsonBodies) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Post("/json", R"({"name":"Deal"})")));
  RawResponse ok = client.Read();
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("content-type"), "application/hal+json");
  EXPECT_EQ(ok.body, R"({"name":"Deal"})");

  ASSERT_TRUE(client.Send(Post("/json", R"({"name":)")));
  RawResponse bad = client.Read();
  ExpectProblem(bad, 400);
  nlohmann::json body = nlohmann::json::parse(bad.body);
  EXPECT_EQ(body["validation-errors"][0]["errors"][0]["path"], "body");
  EXPECT_EQ(body["validation-errors"][0]["errors"][0]["code"], "InvalidJson");

  // The connection survives a handler's 400.
  ASSERT_TRUE(client.Send(Get("/hello", "Content-Type: application/json\r\n")));
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(ServerTest, QueryStringsRawAndEncoded) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/query?filter%5Bid%5D%5B0%5D=1&filter%5Bid%5D%5B1%5D=2")));
  EXPECT_EQ(client.Read().body, "1;2;");
  ASSERT_TRUE(client.Send(Get("/query?filter[id][]=3&filter[id][]=4")));
  EXPECT_EQ(client.Read().body, "3;4;");
  ASSERT_TRUE(client.Send(Get("/query?filter[id]=5,x")));
  RawResponse bad = client.Read();
  ExpectProblem(bad, 400);
  EXPECT_EQ(nlohmann::json::parse(bad.body)["detail"], "filter[id][1]: not an integer");
  ASSERT_TRUE(client.Send(Get("/query?filter[id]=%zz")));
  ExpectProblem(client.Read(), 400);
}

TEST_F(ServerTest, HugeBodyIs413) {
  StartServer();
  {
    Client client(server_->port());
    std::string body(2 << 20, 'x');
    ASSERT_TRUE(client.Send(Post("/echo", body)));
    RawResponse r = client.Read();
    ExpectProblem(r, 413);
    EXPECT_EQ(r.Header("connection"), "close");
  }
  {
    Client client(server_->port());
    std::string request = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string chunk(64 << 10, 'y');
    for (int i = 0; i < 20; ++i) request += "10000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    client.Send(request);  // the server may stop reading early
    ExpectProblem(client.Read(), 413);
  }
}

TEST_F(ServerTest, HeaderTooLargeIs431) {
  StartServer();
  Client client(server_->port());
  client.Send(Get("/hello", "X-Big: " + std::string(20 << 10, 'h') + "\r\n"));
  ExpectProblem(client.Read(), 431);
}

TEST_F(ServerTest, BadRequestLineIs400) {
  StartServer();
  static const char* kBad[] = {
      "HELLO\r\n\r\n",
      "GET /hello HTTP/9.9\r\n\r\n",
      "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  };
  for (const char* raw : kBad) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(raw));
    RawResponse r = client.Read();
    ExpectProblem(r, 400);
    EXPECT_EQ(r.Header("connection"), "close") << raw;
  }
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("http://elsewhere/hello")));
  ExpectProblem(client.Read(), 400);
  ASSERT_TRUE(client.Send(Get("/hel%zzlo")));
  ExpectProblem(client.Read(), 400);
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/nowhere")));
  RawResponse missing = client.Read();
  ExpectProblem(missing, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");

  ASSERT_TRUE(client.Send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse wrong = client.Read();
  ExpectProblem(wrong, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, HEAD");

  ASSERT_TRUE(client.Send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse head = client.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "5");
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.Read().body, "hello");  // no stray HEAD body on the wire
}

TEST_F(ServerTest, HandlerExceptionIsGeneric500) {
  if (!std::getenv("HTTP_TEST_LOG")) spdlog::set_level(spdlog::level::off);
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/throw")));
  RawResponse r = client.Read();
  ExpectProblem(r, 500);
  EXPECT_EQ(nlohmann::json::parse(r.body)["detail"], std::string(kInternalDetail));
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  ASSERT_TRUE(client.Send(Get("/hello")));
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(ServerTest, SecurityHeadersAndHtmlPolicy) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/html")));
  RawResponse html = client.Read();
  EXPECT_NE(html.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(html.Header("content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  ASSERT_TRUE(client.Send(Get("/nowhere")));
  RawResponse problem = client.Read();
  EXPECT_EQ(problem.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(problem.Header("x-frame-options"), "DENY");
}

// A header value carrying CR/LF (say, a redirect URI from a client) must not split the response.
TEST_F(ServerTest, LineBreaksInHeaderValuesCannotSplitTheResponse) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/split")));
  RawResponse split = client.Read();
  EXPECT_EQ(split.status, 200);
  EXPECT_EQ(split.Header("set-cookie"), "");
  EXPECT_EQ(split.Header("location"), "/next  Set-Cookie: stolen=1    <html>");
  EXPECT_EQ(split.body, "ok");
  ASSERT_TRUE(client.Send(Get("/hello")));  // the connection still frames correctly
  ExpectOk(client.Read(), "hello");
}

TEST_F(ServerTest, HealthzAndMetrics) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/healthz")));
  ExpectOk(client.Read(), R"({"healthy":true})");
  ASSERT_TRUE(client.Send(Get("/nowhere")));
  client.Read();
  ASSERT_TRUE(client.Send(Get("/metrics")));
  RawResponse metrics = client.Read();
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("gatehouse_http_requests_total{route=\"healthz\",class=\"2xx\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("gatehouse_http_requests_total{route=\"unmatched\",class=\"4xx\"} 1"),
            std::string::npos);
}

// RFC 9112 §6.3: a Transfer-Encoding whose final coding is not chunked leaves the body length
// unknown: 400 and close. The bytes after the head used to run as a second request.
TEST_F(ServerTest, TransferEncodingNotEndingInChunkedIs400AndCloses) {
  StartServer();
  const std::string smuggled = "GET /count HTTP/1.1\r\nHost: t\r\n\r\n";
  struct Case {
    const char* headers;
    int status;
  };
  const Case cases[] = {
      {"Transfer-Encoding: gzip\r\n", 400},
      {"Transfer-Encoding: chunked, identity\r\n", 400},
      {"Transfer-Encoding: xchunked\r\n", 400},
      {"Transfer-Encoding: identity\r\n", 400},
      {"Transfer-Encoding: gzip\r\nContent-Length: 0\r\n", 400},
      {"Content-Length: 0\r\nTransfer-Encoding: gzip\r\n", 400},  // Beast's own refusal
      {"Transfer-Encoding: gzip, chunked\r\n", 501},
  };
  for (const Case& c : cases) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send("POST /count HTTP/1.1\r\nHost: t\r\n" + std::string(c.headers) +
                            "\r\n" + smuggled));
    RawResponse r = client.Read();
    ExpectProblem(r, c.status);
    EXPECT_EQ(r.Header("connection"), "close") << c.headers;
    if (std::string(c.headers).rfind("Content-Length", 0) != 0) {
      EXPECT_NE(r.body.find("Transfer-Encoding"), std::string::npos) << r.body;
    }
    EXPECT_TRUE(client.ClosedByPeer()) << c.headers;
  }
  EXPECT_EQ(counted_, 0) << "a refused request, or what followed its head, was run";
  Client chunked(server_->port());  // the one accepted coding still works
  ASSERT_TRUE(chunked.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));
  EXPECT_EQ(chunked.Read().body, "ok");
}

TEST_F(ServerTest, HostIsRequiredOnceInHttp11) {
  StartServer();
  const std::pair<const char*, int> cases[] = {
      {"GET /count HTTP/1.1\r\n\r\n", 400},
      {"GET /count HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET /count HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
      {"GET /count HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
      {"GET /count HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET /count HTTP/1.0\r\n\r\n", 200},
      {"GET /count HTTP/1.1\r\nHost: a.example:8080\r\n\r\n", 200},
  };
  for (const auto& [raw, status] : cases) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(raw));
    RawResponse r = client.Read();
    EXPECT_EQ(r.status, status) << raw;
  }
  EXPECT_EQ(counted_, 2);
}

// Links are built from the connection (or the public URL), never from Host.
TEST_F(ServerTest, BaseUrlComesFromTheConnectionOrThePublicUrl) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET /base HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
  RawResponse plain = client.Read();
  EXPECT_EQ(plain.body, "http://127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_EQ(plain.Header("strict-transport-security"), "") << "no HSTS without an https URL";

  Router router;
  router.Add(Method::kGet, "/base", [](Request& r) {
    return Response::Text(200, r.base_url + (r.base_url_configured ? " configured" : ""));
  });
  ServerOptions options{.host = "127.0.0.1",
                        .port = 0,
                        .threads = 1,
                        .handle_signals = false,
                        .public_url = "https://crm.example/"};
  Server server(options, &router);
  ASSERT_TRUE(server.Start().ok());
  std::thread thread([&server] { server.Run(); });
  Client public_client(server.port());
  ASSERT_TRUE(public_client.Send("GET /base HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
  RawResponse over_tls = public_client.Read();
  EXPECT_EQ(over_tls.body, "https://crm.example configured");
  EXPECT_EQ(over_tls.Header("strict-transport-security"), "max-age=31536000");
  server.Stop();
  thread.join();

  options.public_url = "crm.example";
  Server bad(options, &router);
  EXPECT_EQ(bad.Start().code(), base::Code::kInvalidArgument);
}

// The hidden cause of a 500 is logged once, on one line, with the request id.
TEST_F(ServerTest, InternalErrorIsLoggedAsOneLineWithTheRequestId) {
  LogCapture log;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/internal")));
  RawResponse r = client.Read();
  ExpectProblem(r, 500);
  EXPECT_EQ(r.body.find("disk on fire"), std::string::npos);
  const std::string rid = r.Header("x-request-id");
  ASSERT_FALSE(rid.empty());
  std::vector<std::string> lines = log.Lines("disk on fire");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("rid=" + rid), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("forged: line"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find('\n'), std::string::npos) << lines[0];
}

TEST_F(ServerTest, ReadyzReportsTheProbeAndCachesIt) {
  std::atomic<int> calls{0};
  std::atomic<bool> writable{false};
  AddReadinessRoute(
      router_,
      [&] {
        ++calls;
        return writable ? base::Status::Ok()
                        : base::Status::Error(base::Code::kUnavailable, "disk full");
      },
      300ms);
  StartServer();
  Client client(server_->port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send(Get("/readyz")));
    RawResponse r = client.Read();
    ExpectProblem(r, 503);
    EXPECT_NE(r.body.find("disk full"), std::string::npos) << r.body;
  }
  EXPECT_EQ(calls, 1) << "the probe's answer is reused within the cache interval";
  ASSERT_TRUE(client.Send(Get("/healthz")));
  EXPECT_EQ(client.Read().status, 200);
  writable = true;
  std::this_thread::sleep_for(350ms);
  ASSERT_TRUE(client.Send(Get("/readyz")));
  ExpectOk(client.Read(), R"({"ready":true})");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace gatehouse::http
