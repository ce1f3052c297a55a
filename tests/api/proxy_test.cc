// The shipped nginx example (packaging/nginx/gatehouse.conf) in front of the real binary, TLS
// ended by nginx with a throw-away certificate, driven by curl as a browser would reach it:
// plain HTTP is redirected to HTTPS, the sign-in cookie is Secure, every answer carries HSTS,
// links are https, an oversized body gets Gatehouse's own problem+json, and a client's forged
// X-Forwarded-For never becomes its address. Only the host, ports and certificate paths of the
// example are replaced, so a change to the example that breaks any of this fails here.
//
// Needs Debian's nginx, openssl and curl (scripts/install-deps.sh installs them for the suite);
// without nginx it skips, except under CI=true where it fails.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/api/harness.h"

namespace gatehouse::apitest {
namespace {

constexpr char kNginx[] = "/usr/sbin/nginx";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A port free on 127.0.0.1 right now (the kernel's pick for a socket bound to port 0).
std::uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

bool Accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

std::string ShellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Replaces the one occurrence of `from` (a test fails when there is not exactly one).
void ReplaceOnce(std::string& text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "the nginx example no longer has: " << from;
  ASSERT_EQ(text.find(from, at + 1), std::string::npos) << "twice in the nginx example: " << from;
  text.replace(at, from.size(), to);
}

struct CurlReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; the last value of each
  std::vector<std::string> set_cookies;
  std::string body;
  std::string Describe() const {
    return "HTTP " + std::to_string(status) + " " + body.substr(0, 400);
  }
};

class NginxProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kNginx, X_OK) != 0) {
      if (InCi()) FAIL() << kNginx << " is missing; scripts/install-deps.sh installs nginx";
      GTEST_SKIP() << kNginx << " is missing (scripts/install-deps.sh installs nginx)";
    }
    https_port_ = FreePort();
    http_port_ = FreePort();
    origin_ = "https://localhost:" + std::to_string(https_port_);
    auto server = TestServer::Create(Engine::kSqlite,
                                     [this](storage::Store& store) -> base::Status {
                                       GH_ASSIGN_OR_RETURN(seeded_, SeedAccount(store, "proxy"));
                                       return base::Status::Ok();
                                     },
                                     {"--public-url", origin_, "--max-connections-per-ip", "0"});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    dir_ = server_->dir();

    // The account trusts its proxy, as the example's header comment asks.
    HttpClient admin = server_->Client();
    ASSERT_EQ(Login(admin, seeded_.admin_email).status, 200);
    Response trusted = admin.SendJson("PATCH", "/api/v4/security/policy",
                                      {{"trusted_proxies", json::array({"127.0.0.1/32"})}});
    ASSERT_EQ(trusted.status, 200) << trusted.Describe();

    const std::string make_certificate =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout " +
        ShellQuoted(dir_ + "/key.pem") + " -out " + ShellQuoted(dir_ + "/cert.pem") +
        " >/dev/null 2>&1";
    ASSERT_EQ(std::system(make_certificate.c_str()), 0) << make_certificate;

    std::string site =
        ReadFile(std::string(GATEHOUSE_SOURCE_DIR) + "/packaging/nginx/gatehouse.conf");
    ASSERT_FALSE(site.empty());
    ReplaceOnce(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(http_port_) + ";");
    ReplaceOnce(site, "listen 443 ssl http2;",
                "listen 127.0.0.1:" + std::to_string(https_port_) + " ssl http2;");
    ReplaceOnce(site, "/etc/letsencrypt/live/crm.example.com/fullchain.pem", dir_ + "/cert.pem");
    ReplaceOnce(site, "/etc/letsencrypt/live/crm.example.com/privkey.pem", dir_ + "/key.pem");
    ReplaceOnce(site, "server 127.0.0.1:8080;",
                "server 127.0.0.1:" + std::to_string(server_->port()) + ";");
    for (std::size_t at; (at = site.find("crm.example.com")) != std::string::npos;) {
      site.replace(at, 15, "localhost");
    }
    WriteFile(dir_ + "/site.conf", site);
    // One process (no workers that would switch to another user), everything in the temp dir.
    WriteFile(dir_ + "/nginx.conf",
              "daemon off;\nmaster_process off;\npid " + dir_ + "/nginx.pid;\nerror_log " + dir_ +
                  "/nginx-error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log " +
                  dir_ + "/nginx-access.log;\n  client_body_temp_path " + dir_ +
                  "/body;\n  proxy_temp_path " + dir_ + "/proxy;\n  fastcgi_temp_path " + dir_ +
                  "/fastcgi;\n  uwsgi_temp_path " + dir_ + "/uwsgi;\n  scgi_temp_path " + dir_ +
                  "/scgi;\n  include " + dir_ + "/site.conf;\n}\n");

    nginx_ = ::fork();
    ASSERT_GE(nginx_, 0);
    if (nginx_ == 0) {
      const std::string conf = dir_ + "/nginx.conf";
      ::execl(kNginx, kNginx, "-p", dir_.c_str(), "-c", conf.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!Accepts(https_port_) && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      ASSERT_EQ(::waitpid(nginx_, &status, WNOHANG), 0)
          << "nginx exited: " << ReadFile(dir_ + "/nginx-error.log");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(Accepts(https_port_)) << ReadFile(dir_ + "/nginx-error.log");
  }

  void TearDown() override {
    if (nginx_ > 0) {
      ::kill(nginx_, SIGTERM);
      int status = 0;
      ::waitpid(nginx_, &status, 0);
    }
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->process().LogTail();
    }
  }

  // One request through nginx with curl (certificate not verified: it is self-signed; the name
  // resolves to loopback). `args` are curl options after the URL's.
  CurlReply Curl(const std::string& url, const std::vector<std::string>& args = {}) {
    std::string command = "curl -sS -k --max-time 10 -D " + ShellQuoted(dir_ + "/head.txt") +
                          " -o " + ShellQuoted(dir_ + "/body.txt");
    for (std::uint16_t port : {https_port_, http_port_}) {
      command += " --resolve localhost:" + std::to_string(port) + ":127.0.0.1";
    }
    for (const std::string& arg : args) command += " " + ShellQuoted(arg);
    command += " " + ShellQuoted(url) + " 2>" + ShellQuoted(dir_ + "/curl.err");
    CurlReply reply;
    if (std::system(command.c_str()) != 0) {
      reply.body = "curl failed: " + ReadFile(dir_ + "/curl.err");
      return reply;
    }
    std::istringstream head(ReadFile(dir_ + "/head.txt"));
    std::string line;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind("HTTP/", 0) == 0) {
        reply.status = std::stoi(line.substr(line.find(' ') + 1, 3));
        continue;
      }
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "set-cookie") reply.set_cookies.push_back(value);
      reply.headers[name] = value;
    }
    reply.body = ReadFile(dir_ + "/body.txt");
    return reply;
  }

  SeededAccount seeded_;
  std::unique_ptr<TestServer> server_;
  std::string dir_;
  std::string origin_;
  std::uint16_t https_port_ = 0;
  std::uint16_t http_port_ = 0;
  pid_t nginx_ = -1;
};

TEST_F(NginxProxyTest, ShippedExampleServesTheProductOverTls) {
  // Plain HTTP only redirects, to the same host and path over TLS.
  CurlReply plain = Curl("http://localhost:" + std::to_string(http_port_) + "/leads?page=2");
  EXPECT_EQ(plain.status, 301) << plain.Describe();
  EXPECT_EQ(plain.headers["location"], "https://localhost/leads?page=2");

  // Sign-in over TLS, with a forged client address.
  const std::string login =
      R"({"email":")" + seeded_.admin_email + R"(","password":")" + kPassword + R"("})";
  CurlReply signed_in =
      Curl(origin_ + "/auth/login", {"-H", "Content-Type: application/json", "-H",
                                     "X-Forwarded-For: 203.0.113.9", "--data-binary", login});
  ASSERT_EQ(signed_in.status, 200) << signed_in.Describe();
  EXPECT_EQ(signed_in.headers["strict-transport-security"], "max-age=31536000");
  ASSERT_EQ(signed_in.set_cookies.size(), 1u);
  const std::string& cookie = signed_in.set_cookies.front();
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  const std::string session = cookie.substr(0, cookie.find(';'));
  const json signed_in_body = json::parse(signed_in.body);

  // The forged address reached nobody: the session and the sign-in event carry the proxy's peer.
  auto sessions = server_->store().Reader(seeded_.account.id).ListSessions(seeded_.admin_id);
  ASSERT_TRUE(sessions.ok()) << sessions.status().ToString();
  ASSERT_EQ(sessions->size(), 2u);  // SetUp's direct one and this one
  for (const auto& s : *sessions) EXPECT_EQ(s.ip, "127.0.0.1");

  // Links are https on the public origin; the session works through the proxy.
  CurlReply users = Curl(origin_ + "/api/v4/users", {"-H", "Cookie: " + session});
  ASSERT_EQ(users.status, 200) << users.Describe();
  EXPECT_EQ(json::parse(users.body)["_links"]["self"]["href"], origin_ + "/api/v4/users?page=1");
  EXPECT_EQ(users.headers["strict-transport-security"], "max-age=31536000");

  // The console itself comes through too.
  CurlReply console = Curl(origin_ + "/login", {"-H", "Accept: text/html"});
  EXPECT_EQ(console.status, 200) << console.Describe();
  EXPECT_EQ(console.headers["content-type"].rfind("text/html", 0), 0u);

  // A body over Gatehouse's 1 MiB limit (under nginx's 2 MiB) gets Gatehouse's problem+json.
  WriteFile(dir_ + "/big.json", "{\"name\":\"" + std::string(1'500'000, 'x') + "\"}");
  CurlReply big = Curl(origin_ + "/api/v4/leads",
                       {"-H", "Cookie: " + session, "-H", "Content-Type: application/json", "-H",
                        "X-CSRF-Token: " + signed_in_body["csrf_token"].get<std::string>(),
                        "--data-binary", "@" + dir_ + "/big.json"});
  EXPECT_EQ(big.status, 413) << big.Describe();
  EXPECT_EQ(big.headers["content-type"], "application/problem+json") << big.Describe();
}

}  // namespace
}  // namespace gatehouse::apitest
