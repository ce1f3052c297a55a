// The HTTP server's lifecycle and limits on 127.0.0.1 (port 0): blocking routes on the pool,
// graceful stop (also by SIGTERM), idle and read timeouts, the connection caps, running out of
// descriptors, and bind errors. Every wait is bounded (server_test_util.h).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "http/server_test_util.h"

namespace gatehouse::http {
namespace {

using namespace std::chrono_literals;

// A blocking route runs on the pool: with one I/O thread, another connection is still served
// while the blocking handler is held.
TEST_F(ServerTest, BlockingRouteDoesNotStallIoThread) {
  const ServerOptions options{.threads = 1};
  StartServer(options);
  Client slow(server_->port());
  ASSERT_TRUE(slow.Send(Post("/blocking", "{}")));
  ASSERT_TRUE(blocking_started_.Wait());
  Client fast(server_->port());
  ASSERT_TRUE(fast.Send(Get("/hello")));
  EXPECT_EQ(fast.Read().status, 200);
  blocking_release_.Open();
  ExpectOk(slow.Read(), "offloaded");
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
  ExpectOk(r, "slow done");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(JoinWithin10s());
}

// Connections that end on their own while the server stops: every session must be let go on
// its own context before the contexts are destroyed (AddressSanitizer caught a session freed
// after the control context, once). Bounded: 400 rounds of 6 clients, each for at most 200 ms.
TEST_F(ServerTest, StopWhileConnectionsComeAndGo) {
  for (int round = 0; round < 400; ++round) {
    const ServerOptions options{.threads = 3};
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
  const ServerOptions options{.read_timeout = 300ms, .idle_timeout = 200ms};
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

// Over the total cap a connection gets 503 problem+json and is closed, without being read.
TEST_F(ServerTest, ConnectionCapAnswers503AndFreesSlots) {
  LogCapture log;
  const ServerOptions options{.max_connections = 3, .max_connections_per_ip = 0};
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
  const ServerOptions options{.max_connections = 100, .max_connections_per_ip = 2};
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
  const ServerOptions options{.max_connections = 100000,  // the caps must not be what saves it here
                              .max_connections_per_ip = 0};
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
