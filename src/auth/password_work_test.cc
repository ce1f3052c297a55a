#include "auth/password_work.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "auth/password.h"

namespace gatehouse::auth {
namespace {

class PasswordWorkTest : public ::testing::Test {
 protected:
  void TearDown() override { ConfigurePasswordWork({.threads = 1}); }
};

// Runs `callers` threads at once, each running a job that takes `job_ms` on the password
// threads; returns the most jobs that ran at the same time.
int MostAtOnce(int callers, int job_ms) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> ran{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i) {
    threads.emplace_back([&] {
      RunPasswordWork([&] {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(job_ms));
        --running;
        ++ran;
      });
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ran.load(), callers);
  return most.load();
}

TEST_F(PasswordWorkTest, RunsTheJobOnAnotherThreadAndReturnsAfterIt) {
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id worker;
  bool ran = false;
  RunPasswordWork([&] {
    worker = std::this_thread::get_id();
    ran = true;
  });
  EXPECT_TRUE(ran);
  EXPECT_NE(worker, caller);
}

TEST_F(PasswordWorkTest, NoMoreJobsAtOnceThanThreads) {
  ConfigurePasswordWork({.threads = 2});
  EXPECT_LE(MostAtOnce(8, 30), 2);
  ConfigurePasswordWork({.threads = 1});
  EXPECT_EQ(MostAtOnce(6, 10), 1);
}

TEST_F(PasswordWorkTest, AnExceptionReachesTheCaller) {
  EXPECT_THROW(RunPasswordWork([] { throw std::runtime_error("no memory"); }), std::runtime_error);
  bool ran = false;
  RunPasswordWork([&] { ran = true; });  // the thread survived it
  EXPECT_TRUE(ran);
}

TEST_F(PasswordWorkTest, ReconfiguringWhileCallersWaitLosesNoJob) {
  std::atomic<int> ran{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      RunPasswordWork([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++ran;
      });
    });
  }
  ConfigurePasswordWork({.threads = 3});
  ConfigurePasswordWork({.threads = 1});
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(ran.load(), 6);
}

TEST_F(PasswordWorkTest, HashAndVerifyWaitForAPasswordThread) {
  ConfigurePasswordWork({.threads = 1});
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::thread busy([&] {
    RunPasswordWork([&] {
      started.set_value();
      released.wait();
    });
  });
  started.get_future().wait();  // the only password thread is now taken
  std::atomic<bool> verified{false};
  std::thread verifier([&] {
    EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
    verified = true;
  });
  // The verification waits for the password thread, however long it is busy.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(verified.load());
  release.set_value();
  busy.join();
  verifier.join();
  EXPECT_TRUE(verified.load());
  EXPECT_FALSE(VerifyPassword(*hash, "wrong horse battery"));
}

TEST_F(PasswordWorkTest, DefaultIsHalfTheCoresAtLeastOne) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(DefaultPasswordWork().threads, std::max(1, cores / 2));
}

}  // namespace
}  // namespace gatehouse::auth
