#include "http_client/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace gatehouse::http_client {
namespace {

TEST(ParseBaseUrlTest, TakesSchemesHostsPortsAndPaths) {
  auto kommo = ParseBaseUrl("https://Acme.kommo.com");
  ASSERT_TRUE(kommo.ok());
  EXPECT_TRUE(kommo->tls);
  EXPECT_EQ(kommo->host, "acme.kommo.com");
  EXPECT_EQ(kommo->port, "443");
  EXPECT_EQ(kommo->base_path, "");
  EXPECT_EQ(kommo->Origin(), "https://acme.kommo.com");

  auto local = ParseBaseUrl("http://127.0.0.1:8080/crm/");
  ASSERT_TRUE(local.ok());
  EXPECT_FALSE(local->tls);
  EXPECT_EQ(local->port, "8080");
  EXPECT_EQ(local->base_path, "/crm");
  EXPECT_EQ(local->Origin(), "http://127.0.0.1:8080");

  auto v6 = ParseBaseUrl("http://[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "9000");
}

TEST(ParseBaseUrlTest, RefusesWhatIsNotABaseUrl) {
  for (const char* bad : {"ftp://x", "acme.kommo.com", "https://", "https://a:0", "https://a:99999",
                          "https://a:x", "https://u@a", "https://a/?q=1", "https://a#f"}) {
    auto parsed = ParseBaseUrl(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    ASSERT_EQ(parsed.status().fields().size(), 1u) << bad;
    EXPECT_EQ(parsed.status().fields()[0].path, "from");
  }
}

// A loopback listener that answers each request read on one connection with the next canned
// response, and records the requests' heads.
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> responses) : responses_(std::move(responses)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 4);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> requests;
  int connections = 0;

 private:
  void Serve() {
    std::size_t next = 0;
    while (next < responses_.size()) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      ++connections;
      std::string pending;
      while (next < responses_.size()) {
        char buffer[4096];
        const ssize_t got = read(client, buffer, sizeof(buffer));
        if (got <= 0) break;
        pending.append(buffer, static_cast<std::size_t>(got));
        const std::size_t end = pending.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        requests.push_back(pending.substr(0, end));
        pending.erase(0, end + 4);
        const std::string& answer = responses_[next++];
        (void)!write(client, answer.data(), answer.size());
        if (answer.find("Connection: close") != std::string::npos) break;
      }
      close(client);
    }
  }
  std::vector<std::string> responses_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(ClientTest, GetsOverOneKeptAliveConnectionAndReopensAClosedOne) {
  CannedServer server({
      "HTTP/1.1 200 OK\r\nContent-Type: application/hal+json\r\nContent-Length: 2\r\n\r\n{}",
      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n",
  });
  auto endpoint = ParseBaseUrl("http://127.0.0.1:" + std::to_string(server.port()) + "/base");
  ASSERT_TRUE(endpoint.ok());
  auto client = Client::Create(*endpoint);
  ASSERT_TRUE(client.ok());
  auto first = (*client)->Get("/api/v4/users?page=1", {{"Authorization", "Bearer T"}});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "{}");
  EXPECT_EQ(first->Header("content-type"), "application/hal+json");
  auto second = (*client)->Get("/api/v4/users?page=2");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->status, 204);
  auto third = (*client)->Get("/api/v4/users?page=3");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->status, 429);
  EXPECT_EQ(third->Header("retry-after"), "3");
  ASSERT_EQ(server.requests.size(), 3u);
  EXPECT_NE(server.requests[0].find("GET /base/api/v4/users?page=1 HTTP/1.1"), std::string::npos);
  EXPECT_NE(server.requests[0].find("Authorization: Bearer T"), std::string::npos);
  EXPECT_NE(server.requests[0].find("Host: 127.0.0.1:" + std::to_string(server.port())),
            std::string::npos);
  EXPECT_EQ(server.connections, 2);  // the second answer closed the first connection
}

TEST(ClientTest, NoServerOrNoTlsIsUnavailableWithTheReason) {
  int port = 0;
  {
    CannedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"});
    port = server.port();
    // TLS spoken to a plain HTTP listener: the handshake fails, nothing is trusted.
    auto endpoint = ParseBaseUrl("https://127.0.0.1:" + std::to_string(port));
    ASSERT_TRUE(endpoint.ok());
    auto client = Client::Create(*endpoint, Options{std::chrono::milliseconds(1000)});
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    auto response = (*client)->Get("/api/v4/account");
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.status().code(), base::Code::kUnavailable);
    EXPECT_NE(response.status().message().find("TLS handshake"), std::string::npos)
        << response.status().message();
    // Let the canned server finish: it waits for one request it will never get over TLS.
    auto plain = Client::Create(*ParseBaseUrl("http://127.0.0.1:" + std::to_string(port)));
    ASSERT_TRUE(plain.ok());
    (void)(*plain)->Get("/");
  }
  auto endpoint = ParseBaseUrl("http://127.0.0.1:" + std::to_string(port));
  auto client = Client::Create(*endpoint);
  ASSERT_TRUE(client.ok());
  auto refused = (*client)->Get("/api/v4/account");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), base::Code::kUnavailable);
  EXPECT_NE(refused.status().message().find("connecting to"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::http_client
