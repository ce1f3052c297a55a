// A Kommo account with customers switched off, for `gatehouse import`'s tests (import_test.cc):
// a loopback proxy in front of a Gatehouse source that answers every GET under
// /api/v4/customers with 402, as Kommo does for such an account, and passes the rest on.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/harness.h"

namespace gatehouse::apitest {

class CustomersOffProxy {
 public:
  // Listens on a free loopback port (0 from port() when it could not).
  explicit CustomersOffProxy(std::uint16_t upstream) : upstream_(upstream) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~CustomersOffProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);  // wakes recv()
    }
    for (std::thread& t : connections_) t.join();
    for (int fd : clients_) ::close(fd);
    ::close(listener_);
  }

  CustomersOffProxy(const CustomersOffProxy&) = delete;
  CustomersOffProxy& operator=(const CustomersOffProxy&) = delete;

  std::uint16_t port() const { return port_; }
  int refused() const { return refused_; }  // GETs answered 402

 private:
  void Accept() {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      std::lock_guard<std::mutex> lock(mutex_);
      clients_.push_back(fd);
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // One keep-alive connection: GETs without a body, answered in order.
  void Serve(int fd) {
    HttpClient upstream(upstream_);
    std::string buffer;
    char chunk[4096];
    for (;;) {
      const std::size_t end = buffer.find("\r\n\r\n");
      if (end == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      const std::string head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      const std::size_t space = head.find(' ');
      const std::string target = head.substr(space + 1, head.find(' ', space + 1) - space - 1);
      if (!Send(fd, Answer(upstream, target, HeaderOf(head, "authorization")))) return;
    }
  }

  std::string Answer(HttpClient& upstream, const std::string& target,
                     const std::string& authorization) {
    if (target.rfind("/api/v4/customers", 0) == 0) {
      ++refused_;
      const std::string body = R"({"title":"Payment Required","status":402})";
      return "HTTP/1.1 402 Payment Required\r\nContent-Type: application/problem+json\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    const Response r = upstream.Get(target, {{"Authorization", authorization}});
    if (r.status == 204) return "HTTP/1.1 204 No Content\r\n\r\n";
    return "HTTP/1.1 " + std::to_string(r.status) +
           " X\r\nContent-Type: " + r.Header("content-type") +
           "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  }

  // The value of header `name` (lower-case) in a request head, "" when absent.
  static std::string HeaderOf(const std::string& head, const std::string& name) {
    std::size_t at = 0;
    while ((at = head.find("\r\n", at)) != std::string::npos) {
      at += 2;
      const std::size_t colon = head.find(':', at);
      const std::size_t line_end = std::min(head.find("\r\n", at), head.size());
      if (colon == std::string::npos || colon > line_end) continue;
      std::string key = head.substr(at, colon - at);
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key != name) continue;
      const std::size_t value = head.find_first_not_of(' ', colon + 1);
      return head.substr(value, line_end - value);
    }
    return "";
  }

  static bool Send(int fd, std::string data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.erase(0, static_cast<std::size_t>(n));
    }
    return true;
  }

  std::uint16_t upstream_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> refused_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> clients_;
  std::vector<std::thread> connections_;
};

}  // namespace gatehouse::apitest
