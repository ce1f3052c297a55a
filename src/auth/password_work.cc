#include "auth/password_work.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse::auth {
namespace {

struct Job {
  const std::function<void()>* work;
  std::exception_ptr failure;  // what the work threw, thrown again on its caller's thread
  bool done = false;
};

class Workers {
 public:
  void Configure(const PasswordWorkOptions& options) {
    std::vector<std::thread> old;
    {
      std::lock_guard lock(mu_);
      options_ = options;
      if (options_.threads < 1) options_.threads = 1;
      ++generation_;
      old.swap(threads_);
    }
    cv_.notify_all();
    for (std::thread& t : old) t.join();
    std::lock_guard lock(mu_);
    if (!queue_.empty()) StartThreads();  // jobs queued while the old threads were leaving
  }

  void Run(const std::function<void()>& work) {
    Job job{.work = &work, .failure = nullptr, .done = false};
    std::unique_lock lock(mu_);
    StartThreads();
    queue_.push_back(&job);
    cv_.notify_all();
    done_cv_.wait(lock, [&] { return job.done; });
    if (job.failure) std::rethrow_exception(job.failure);
  }

  ~Workers() {
    {
      std::lock_guard lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void StartThreads() {  // mu_ held
    while (static_cast<int>(threads_.size()) < options_.threads) {
      threads_.emplace_back([this, generation = generation_] { Loop(generation); });
    }
  }

  void Loop(std::uint64_t generation) {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return generation != generation_ || !queue_.empty(); });
      if (generation != generation_) return;  // replaced (Configure) or stopping
      Job* job = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        (*job->work)();
      } catch (...) {
        job->failure = std::current_exception();
      }
      lock.lock();
      job->done = true;
      done_cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  PasswordWorkOptions options_;
  std::uint64_t generation_ = 0;
  std::deque<Job*> queue_;
  std::vector<std::thread> threads_;
};

Workers& TheWorkers() {
  static Workers workers;
  return workers;
}

}  // namespace

PasswordWorkOptions DefaultPasswordWork() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return {.threads = std::max(1, cores / 2)};
}

void ConfigurePasswordWork(const PasswordWorkOptions& options) { TheWorkers().Configure(options); }

void RunPasswordWork(const std::function<void()>& job) { TheWorkers().Run(job); }

}  // namespace gatehouse::auth
