// Password work: where Argon2id runs in this process.
//
// Every HashPassword and VerifyPassword runs on the password threads, at most `threads` at once,
// while its caller waits. A hash takes about 60 ms of one core and 64 MiB: unbounded, a burst of
// logins or password changes (the write pool has 32 threads) takes every core and 64 MiB per
// request at once, and every other request waits behind it. Bounded, password work uses at most
// `threads` cores and `threads` x 64 MiB, and further callers queue.
//
// The threads run at normal priority on purpose: at a lowered priority (nice 19 or SCHED_IDLE)
// a hash is preempted while it holds the process's memory-map lock (Argon2 maps and unmaps its
// 64 MiB), and every other thread that maps memory waits for it (bench/README.md, "login burst").
//
// Thread-safety: every function is thread-safe.
#pragma once

#include <functional>

namespace gatehouse::auth {

struct PasswordWorkOptions {
  int threads = 1;  // at least 1
};

// The default for a server: half the cores, at least one, so that a burst of password work
// leaves the other half to everything else.
PasswordWorkOptions DefaultPasswordWork();

// Sets how password work runs from now on; threads already started finish their current job
// and are replaced. Without a call, one thread.
void ConfigurePasswordWork(const PasswordWorkOptions& options);

// Runs `job` on a password thread and returns when it has run; an exception it throws is thrown
// again here.
void RunPasswordWork(const std::function<void()>& job);

}  // namespace gatehouse::auth
