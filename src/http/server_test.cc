// Drives the real server on 127.0.0.1 (port 0) with a plain-socket client. Every socket read
// has a timeout, and every wait is bounded, so a broken server fails instead of hanging.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/json.h"
#include "http/problem.h"
#include "http/readiness.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class Client {
 public:
  // `source`: the local address to connect from (any of 127/8 on Linux); default 127.0.0.1.
  explicit Client(std::uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    if (source != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &local.sin_addr);
      ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { ::close(fd_); }

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (status 0 on EOF or timeout). `head`: the request was HEAD.
  RawResponse Read(bool head = false) {
    RawResponse response;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return response;
    }
    std::string header = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    size_t line_end = header.find("\r\n");
    std::string status_line = header.substr(0, line_end);
    response.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? header.size() : line_end + 2;
    while (pos < header.size()) {
      size_t next = header.find("\r\n", pos);
      if (next == std::string::npos) next = header.size();
      std::string line = header.substr(pos, next - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t value_start = line.find_first_not_of(' ', colon + 1);
      response.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
      pos = next + 2;
    }
    bool no_body = head || response.status < 200 || response.status == 204;
    size_t length = no_body ? 0 : std::stoul("0" + response.Header("content-length"));
    while (buffer_.size() < length) {
      if (!Fill()) return RawResponse{};
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closed the connection (EOF) within the read timeout.
  bool ClosedByPeer() {
    char c;
    return buffer_.empty() && ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// A one-shot gate with a bounded wait.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, 10s, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    // HTTP_TEST_LOG=1 shows the access log.
    spdlog::set_level(std::getenv("HTTP_TEST_LOG") ? spdlog::level::info : spdlog::level::warn);
    AddBuiltinRoutes(router_);
    router_.Add(Method::kGet, "/hello", [](Request&) { return Response::Text(200, "hello"); });
    router_.Add(Method::kGet, "/split", [](Request&) {
      Response r = Response::Text(200, "ok");
      r.headers.Set("Location", "/next\r\nSet-Cookie: stolen=1\r\n\r\n<html>");
      return r;
    });
    router_.Add(Method::kGet, "/html",
                [](Request&) { return Response::Text(200, "<p>hi</p>", kTextHtml); });
    router_.Add(Method::kPost, "/echo", [](Request& r) { return Response::Text(200, r.body); });
    router_.Add(Method::kPost, "/json", [](Request& r) {
      base::Result<nlohmann::json> body = ParseJsonBody(r);
      if (!body.ok()) return ProblemResponse(body.status());
      return JsonResponse(200, {{"name", body->value("name", "")}});
    });
    router_.Add(Method::kGet, "/query", [](Request& r) {
      base::Result<std::vector<std::int64_t>> ids = r.query.GetIntList("filter[id]");
      if (!ids.ok()) return ProblemResponse(ids.status());
      std::string text;
      for (std::int64_t id : *ids) text += std::to_string(id) + ";";
      return Response::Text(200, text);
    });
    router_.Add(Method::kGet, "/leads/{id:int}", [](Request& r) {
      return Response::Text(200, std::string(r.Param("id")) + " from " + r.peer_address);
    });
    router_.Add(Method::kGet, "/count", [this](Request&) {
      ++counted_;
      return Response::Text(200, "counted");
    });
    router_.Add(Method::kPost, "/count", [this](Request&) {
      ++counted_;
      return Response::Text(200, "counted");
    });
    router_.Add(Method::kGet, "/base", [](Request& r) { return Response::Text(200, r.base_url); });
    router_.Add(Method::kGet, "/internal", [](Request&) {
      return ProblemResponse(
          base::Status::Error(base::Code::kInternal, "disk on fire\nforged: line"));
    });
    router_.Add(Method::kGet, "/throw",
                [](Request&) -> Response { throw std::runtime_error("secret internal detail"); });
    router_.Add(Method::kGet, "/slow", [this](Request&) {
      slow_started_.Open();
      EXPECT_TRUE(slow_release_.Wait());
      return Response::Text(200, "slow done");
    });
    router_.Add(Method::kPost, "/blocking",
                [this](Request&) {
                  blocking_started_.Open();
                  EXPECT_TRUE(blocking_release_.Wait());
                  return Response::Text(200, "offloaded");
                },
                {.name = "blocking", .blocking = true});
  }

  ~ServerTest() override {
    slow_release_.Open();
    blocking_release_.Open();
    if (server_) {
      server_->Stop();
      thread_.join();
    }
  }

  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    options.handle_signals = handle_signals_;
    options.shutdown_grace = 3s;
    server_ = std::make_unique<Server>(options, &router_);
    base::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  // Joins the Run() thread, failing (not hanging) if it does not return within 10 s.
  bool JoinWithin10s() {
    auto done = std::make_shared<Gate>();
    std::thread waiter([this, done] {
      thread_.join();
      done->Open();
    });
    bool ok = done->Wait();
    if (ok) {
      waiter.join();
      server_.reset();
    } else {
      waiter.detach();
    }
    return ok;
  }

  Router router_;
  std::atomic<int> counted_{0};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  bool handle_signals_ = false;
  Gate slow_started_, slow_release_, blocking_started_, blocking_release_;
};

void ExpectProblem(const RawResponse& r, int status) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << r.body;
  EXPECT_EQ(body["status"], status);
  EXPECT_EQ(body["type"], "https://httpstatus.es/" + std::to_string(status));
  EXPECT_TRUE(body.contains("title"));
  EXPECT_TRUE(body.contains("detail"));
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Get("/hello")));
  RawResponse first = client.Read();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "hello");
  EXPECT_EQ(first.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(first.Header("x-frame-options"), "DENY");
  EXPECT_EQ(first.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(first.Header("cache-control"), "no-store");
  EXPECT_EQ(first.Header("x-request-id").size(), 16u);
  EXPECT_EQ(first.Header("connection"), "");  // HTTP/1.1 default: keep-alive

  ASSERT_TRUE(client.Send(Get("/leads/42", "X-Request-Id: client-id-1\r\n")));
  RawResponse second = client.Read();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "42 from 127.0.0.1");
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
  RawResponse r = client.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
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
  RawResponse next = client.Read();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "hello");
}

TEST_F(ServerTest, HealthzAndMetrics) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/healthz")));
  RawResponse health = client.Read();
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"healthy":true})");
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

// A blocking route runs on the pool: with one I/O thread, another connection is still served
// while the blocking handler is held.
TEST_F(ServerTest, BlockingRouteDoesNotStallIoThread) {
  ServerOptions options;
  options.threads = 1;
  StartServer(options);
  Client slow(server_->port());
  ASSERT_TRUE(slow.Send(Post("/blocking", "{}")));
  ASSERT_TRUE(blocking_started_.Wait());
  Client fast(server_->port());
  ASSERT_TRUE(fast.Send(Get("/hello")));
  EXPECT_EQ(fast.Read().status, 200);
  blocking_release_.Open();
  RawResponse r = slow.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "offloaded");
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequest) {
  StartServer();
  Client idle(server_->port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_EQ(idle.Read().status, 200);  // now an idle kept-alive connection

  Client busy(server_->port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  ASSERT_TRUE(slow_started_.Wait());
  server_->Stop();

  EXPECT_TRUE(idle.ClosedByPeer());  // idle connections close at once
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {  // the listener closes
    refused = !Client(server_->port()).connected();
    if (!refused) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(refused);

  slow_release_.Open();
  RawResponse r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(JoinWithin10s());
}

// Connections that end on their own while the server stops: every session must be let go on
// its own context before the contexts are destroyed (AddressSanitizer caught a session freed
// after the control context, once). Bounded: 400 rounds of 6 clients, each for at most 200 ms.
TEST_F(ServerTest, StopWhileConnectionsComeAndGo) {
  for (int round = 0; round < 400; ++round) {
    ServerOptions options;
    options.threads = 3;
    StartServer(options);
    std::uint16_t port = server_->port();
    std::atomic<bool> stop_clients{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 6; ++c) {
      clients.emplace_back([port, &stop_clients] {
        auto until = std::chrono::steady_clock::now() + 200ms;
        while (!stop_clients && std::chrono::steady_clock::now() < until) {
          Client client(port);
          if (!client.connected()) return;
          if (!client.Send(Get("/hello", "Connection: close\r\n"))) return;
          client.Read();
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500 + 300 * (round % 11)));
    server_->Stop();
    EXPECT_TRUE(JoinWithin10s()) << "round " << round;
    stop_clients = true;
    for (std::thread& t : clients) t.join();
    if (HasFailure()) return;
  }
}

TEST_F(ServerTest, SigtermStopsServer) {
  handle_signals_ = true;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  ASSERT_EQ(client.Read().status, 200);  // Run() is serving, so the handler is installed
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_TRUE(JoinWithin10s());
}

TEST_F(ServerTest, IdleAndReadTimeoutsCloseConnections) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  options.read_timeout = 300ms;
  StartServer(options);
  Client idle(server_->port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_EQ(idle.Read().status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.ClosedByPeer());  // within the 5 s socket timeout
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);

  Client slowloris(server_->port());
  ASSERT_TRUE(slowloris.Send("GET /hello HTTP/1.1\r\nHost: t\r\n"));  // never finished
  EXPECT_TRUE(slowloris.ClosedByPeer());
}

// Captures what the server logs through the "http" logger while alive: a count of lines by
// substring (kept as counters, so a flood of millions of lines costs no memory) and the first
// lines in full. Create it before StartServer (the server looks the logger up then).
class LogCapture {
 public:
  LogCapture() {
    sink_ = std::make_shared<Sink>();
    auto logger = std::make_shared<spdlog::logger>("http", sink_);
    logger->set_level(spdlog::level::trace);
    spdlog::register_logger(logger);
  }
  ~LogCapture() { spdlog::drop("http"); }

  // Lines seen that contain `needle`.
  int Count(const std::string& needle) {
    std::lock_guard<std::mutex> lock(sink_->mu);
    int n = 0;
    for (const auto& [text, count] : sink_->by_text) {
      if (text.find(needle) != std::string::npos) n += count;
    }
    return n;
  }
  // The first lines containing `needle` (at most 100 distinct lines are kept).
  std::vector<std::string> Lines(const std::string& needle) {
    std::lock_guard<std::mutex> lock(sink_->mu);
    std::vector<std::string> out;
    for (const auto& [text, count] : sink_->by_text) {
      if (text.find(needle) != std::string::npos) out.push_back(text);
    }
    return out;
  }

 private:
  struct Sink : spdlog::sinks::base_sink<std::mutex> {
    std::mutex mu;
    std::map<std::string, int> by_text;  // message -> times; the suppressed count varies
    void sink_it_(const spdlog::details::log_msg& msg) override {
      std::string text(msg.payload.data(), msg.payload.size());
      std::lock_guard<std::mutex> lock(mu);
      auto it = by_text.find(text);
      if (it != by_text.end()) {
        ++it->second;
      } else if (by_text.size() < 100) {
        by_text.emplace(std::move(text), 1);
      } else {
        ++by_text["(other)"];
      }
    }
    void flush_() override {}
  };
  std::shared_ptr<Sink> sink_;
};

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
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  options.handle_signals = false;
  options.public_url = "https://crm.example/";
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

// Over the total cap a connection gets 503 problem+json and is closed, without being read.
TEST_F(ServerTest, ConnectionCapAnswers503AndFreesSlots) {
  LogCapture log;
  ServerOptions options;
  options.max_connections = 3;
  options.max_connections_per_ip = 0;
  StartServer(options);
  EXPECT_EQ(server_->max_connections(), 3u);
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Client>(server_->port()));
    ASSERT_TRUE(held.back()->Send(Get("/hello")));
    ASSERT_EQ(held.back()->Read().status, 200);
  }
  for (int i = 0; i < 3; ++i) {
    Client over(server_->port());
    RawResponse r = over.Read();
    ExpectProblem(r, 503);
    EXPECT_EQ(r.Header("retry-after"), "1");
    EXPECT_EQ(r.Header("connection"), "close");
    EXPECT_TRUE(over.ClosedByPeer());
  }
  EXPECT_EQ(log.Count("max_connections reached"), 1) << "refusals are logged once per 5 s";
  held.pop_back();  // a slot frees once the server sees the close
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    Client again(server_->port());
    served = again.Send(Get("/healthz")) && again.Read().status == 200;
    if (!served) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, PerAddressCapLeavesOtherAddressesServed) {
  ServerOptions options;
  options.max_connections = 100;
  options.max_connections_per_ip = 2;
  StartServer(options);
  Client first(server_->port()), second(server_->port());
  for (Client* c : {&first, &second}) {
    ASSERT_TRUE(c->Send(Get("/hello")));
    ASSERT_EQ(c->Read().status, 200);
  }
  Client third(server_->port());
  ExpectProblem(third.Read(), 503);
  Client elsewhere(server_->port(), "127.0.0.2");
  ASSERT_TRUE(elsewhere.connected());
  ASSERT_TRUE(elsewhere.Send(Get("/hello")));
  EXPECT_EQ(elsewhere.Read().status, 200);
}

int OpenDescriptors() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)entry;
    ++n;
  }
  return n;
}

// With the process out of descriptors, accept used to fail and be retried at once, logging
// "Too many open files" in a busy loop (millions of lines a second). Now it pauses, warns at
// most once per 5 s, and serves again once descriptors are freed.
TEST_F(ServerTest, OutOfDescriptorsPausesAcceptInsteadOfSpinning) {
  LogCapture log;
  ServerOptions options;
  options.max_connections = 100000;  // the caps must not be what saves it here
  options.max_connections_per_ip = 0;
  StartServer(options);
  const std::uint16_t port = server_->port();
  {
    Client warm(port);
    ASSERT_TRUE(warm.Send(Get("/healthz")));
    ASSERT_EQ(warm.Read().status, 200);
  }
  constexpr int kIdle = 40;
  int to_child[2];
  int from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The idle clients live in a child, so they do not use this process's descriptors. Only
    // system calls here (the parent has threads).
    ::close(to_child[1]);
    ::close(from_child[0]);
    char byte = 0;
    if (::read(to_child[0], &byte, 1) != 1) ::_exit(1);
    char opened = 0;
    for (int i = 0; i < kIdle; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(port);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
        ++opened;
      }
    }
    (void)!::write(from_child[1], &opened, 1);
    while (::read(to_child[0], &byte, 1) > 0) {
    }
    ::_exit(0);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);

  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(OpenDescriptors() + 3);  // room for three connections
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  ASSERT_EQ(::write(to_child[1], "g", 1), 1);
  pollfd ready{from_child[0], POLLIN, 0};
  char opened = 0;
  const bool reported = ::poll(&ready, 1, 10'000) == 1 && ::read(from_child[0], &opened, 1) == 1;
  std::this_thread::sleep_for(200ms);  // the server meets EMFILE
  const int before = log.Count("http accept");
  std::this_thread::sleep_for(1s);
  const int in_one_second = log.Count("http accept") - before;

  ::close(to_child[1]);  // the child closes its connections and exits
  int child_status = 0;
  for (int i = 0; i < 100 && ::waitpid(pid, &child_status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  ::close(from_child[0]);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);

  EXPECT_TRUE(reported);
  EXPECT_EQ(opened, kIdle);
  EXPECT_GE(log.Count("Too many open files"), 1) << "the test did not exhaust descriptors";
  EXPECT_LE(in_one_second, 1) << "accept warnings logged in one second out of descriptors";
  bool healthy = false;
  for (int attempt = 0; attempt < 50 && !healthy; ++attempt) {
    Client client(port);
    healthy = client.connected() && client.Send(Get("/healthz")) && client.Read().status == 200;
    if (!healthy) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(healthy) << "/healthz after the descriptors were freed";
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
  RawResponse ready = client.Read();
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"ready":true})");
  EXPECT_EQ(calls, 2);
}

TEST(ServerStartTest, BindErrors) {
  Router router;
  ServerOptions options;
  options.host = "not-an-address";
  Server bad_host(options, &router);
  EXPECT_EQ(bad_host.Start().code(), base::Code::kInvalidArgument);

  options.host = "127.0.0.1";
  options.port = 0;
  Server first(options, &router);
  ASSERT_TRUE(first.Start().ok());
  options.port = first.port();
  Server second(options, &router);
  base::Status taken = second.Start();
  EXPECT_EQ(taken.code(), base::Code::kUnavailable);
  EXPECT_NE(taken.message().find("listen 127.0.0.1:"), std::string::npos) << taken.ToString();
}

}  // namespace
}  // namespace gatehouse::http
