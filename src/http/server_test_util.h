// Test support for the HTTP server's tests (server_test.cc, server_lifecycle_test.cc): a
// plain-socket client with bounded reads, a gate to hold handlers, and a fixture that serves a
// set of test routes on 127.0.0.1 (port 0). Every wait is bounded, so a broken server fails
// instead of hanging.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/json.h"
#include "http/problem.h"
#include "http/readiness.h"
#include "http/server.h"

namespace gatehouse::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers{};  // lower-case names
  std::string body{};

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
    return cv_.wait_for(lock, std::chrono::seconds(10), [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

inline std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

inline std::string Post(std::string_view target, std::string_view body) {
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
    options.shutdown_grace = std::chrono::seconds(3);
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

// A 200 answer whose body is `body`.
inline void ExpectOk(const RawResponse& r, std::string_view body) {
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
}

inline void ExpectProblem(const RawResponse& r, int status) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << r.body;
  EXPECT_EQ(body["status"], status);
  EXPECT_EQ(body["type"], "https://httpstatus.es/" + std::to_string(status));
  EXPECT_TRUE(body.contains("title"));
  EXPECT_TRUE(body.contains("detail"));
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
    std::mutex mu{};
    std::map<std::string, int> by_text{};  // message -> times; the suppressed count varies
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

}  // namespace gatehouse::http::testing

namespace gatehouse::http {

// What the server's tests name unqualified.
using testing::Client;
using testing::ExpectOk;
using testing::ExpectProblem;
using testing::Get;
using testing::LogCapture;
using testing::Post;
using testing::RawResponse;
using testing::ServerTest;

}  // namespace gatehouse::http
