// Housekeeping of credentials: the sessions, OAuth codes and refresh tokens and access tokens
// that can no longer be used are deleted (Store::PruneExpiredCredentials says which), at the
// server's start and then once per period across the servers of one database, and on demand by
// `gatehouse prune`. Without it every sign-in, code and refresh adds rows that stay forever.
//
// Thread-safety: every function is thread-safe; CredentialPruner's methods too.
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "service/leased_job.h"
#include "storage/store.h"

namespace gatehouse::service {

// How long an expired access token stays stored (storage::CredentialPruning).
inline constexpr std::int64_t kAccessTokenRetentionSeconds = 30 * 24 * 3600;

// One sweep at clock.NowSeconds(), in batches of 1000 rows.
base::Result<storage::PrunedCredentials> PruneCredentials(storage::Store& store,
                                                          const base::Clock& clock);

// "2 sessions, 0 OAuth codes, 5 refresh tokens, 1 access token": for logs and the CLI.
std::string DescribePruned(const storage::PrunedCredentials& pruned);

// PruneCredentials as the LeasedJob "credential_pruning": logs at info what a sweep removed when
// it removed anything, and a failure as a warning (LeasedJob).
class CredentialPruner {
 public:
  static constexpr const char* kLeaseName = "credential_pruning";
  using Options = LeasedJob::Options;
  CredentialPruner(storage::Store* store, const base::Clock* clock, Options options);

  // Starts the background thread; its first attempt is at once.
  void Start();
  // Stops and joins (a sweep in progress finishes first). Idempotent.
  void Stop() { job_.Stop(); }
  // One attempt now, on the calling thread: claims the lease and sweeps when claimed. Whether
  // it swept, and (`pruned`) what it removed.
  base::Result<bool> RunOnce(storage::PrunedCredentials* pruned = nullptr);

 private:
  base::Status Run(storage::PrunedCredentials* pruned);
  storage::Store* store_;
  const base::Clock* clock_;
  LeasedJob job_;
};

}  // namespace gatehouse::service
