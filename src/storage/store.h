// The store: every persistent table of Gatehouse behind one interface, on SQLite or PostgreSQL.
//
// Account scoping by construction: account data is reached only through an AccountReader or
// AccountWriter bound to one account id. Every SQL statement those objects run binds that id
// itself, so a caller cannot forget it; a record id of another account behaves exactly like a
// missing one (kNotFound, nothing changed).
//
// Thread-safety: Store is thread-safe (it owns a ConnectionPool). An AccountReader is a cheap
// value that may be used from any thread; each call borrows a pooled connection. An
// AccountWriter exists only inside Store::Write and only on that thread.
//
// Errors: kNotFound for a missing record (or one of another account); kInvalidArgument with a
// field path for a write that breaks a rule (stage not in the lead's pipeline, responsible user
// of another account or deactivated, ...); kAlreadyExists for a taken unique key;
// kFailedPrecondition for a database newer than this binary; kUnavailable/kInternal for engine
// failures. A failed write changes nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "storage/account_reader.h"
#include "storage/account_writer.h"
#include "storage/group_commit.h"
#include "storage/sql/connection.h"
#include "storage/sql/pool.h"

namespace gatehouse::storage {

// Fields of a new account. The store also creates the default group ("All users"), the main
// pipeline with its incoming stage, two working stages, won 142 and lost 143.
struct NewAccount {
  std::string subdomain{};
  std::string name{};
  std::int64_t seats = 10;
  std::int64_t created_at = 0;  // 0: now
};

// A sweep of the credentials nobody can use any more (Store::PruneExpiredCredentials).
struct CredentialPruning {
  std::int64_t now = 0;
  // How long an expired access token (api_tokens) is kept: its row is the only record of its
  // name, integration and last use, which an investigation of the activity log (whose entries
  // name the token's id) may need after it stopped working.
  std::int64_t token_retention_seconds = 30 * 24 * 3600;
  // Rows per DELETE, each in a transaction of its own, so a backlog never holds SQLite's one
  // write lock for long.
  std::int64_t batch_rows = 1000;
};

// The rows a sweep deleted, per table.
struct PrunedCredentials {
  std::int64_t sessions = 0;
  std::int64_t oauth_codes = 0;
  std::int64_t oauth_refresh_tokens = 0;
  std::int64_t api_tokens = 0;
  std::int64_t total() const { return sessions + oauth_codes + oauth_refresh_tokens + api_tokens; }
  bool operator==(const PrunedCredentials&) const = default;
};

class Store {
 public:
  // Opens `url` ("sqlite:PATH", "postgresql://...") with `pool_size` connections. Does not
  // migrate; call Migrate() (the server does at start). A missing SQLite file is created only
  // when `if_missing` is kCreate (else kNotFound, see sql::IfMissing). `sync`: sql::SqliteSync.
  static base::Result<std::unique_ptr<Store>> Open(
      std::string_view url, int pool_size = 4, sql::IfMissing if_missing = sql::IfMissing::kCreate,
      sql::SqliteSync sync = sql::SqliteSync::kNormal);
  explicit Store(std::unique_ptr<sql::ConnectionPool> pool);

  // Applies every pending migration, each in its own transaction, recording it in
  // schema_migrations. Idempotent. Refuses (kFailedPrecondition) a database whose version is
  // newer than this binary's. `applied` (optional) receives the versions it applied.
  base::Status Migrate(std::vector<int>* applied = nullptr);
  base::Result<int> SchemaVersion() const;  // 0 for an empty database
  // Proves the database accepts a write now: bumps the readiness heartbeat row in a
  // transaction and commits it (a rolled-back write would not reach the disk, so would miss a
  // full disk). OK, or the engine's error (a read-only file, a full disk, a lost server).
  // Group-committed with Write on SQLite; cheap (one row), but callers should cache the answer.
  base::Status CheckWritable();
  static int BinarySchemaVersion();
  sql::Dialect dialect() const { return pool_->dialect(); }
  sql::ConnectionPool& pool() { return *pool_; }

  // Accounts (the only unscoped data).
  base::Result<AccountRow> CreateAccount(const NewAccount& account);
  base::Result<AccountRow> FindAccount(std::string_view subdomain) const;
  base::Result<std::vector<AccountRow>> ListAccounts() const;

  // Lookups that find the account from a secret (a cookie or bearer token hash).
  base::Result<SessionRow> FindSession(std::string_view token_hash) const;
  base::Result<ApiTokenRow> FindApiToken(std::string_view token_hash) const;
  base::Result<std::pair<AccountId, OAuthIntegrationRow>> FindOAuthIntegration(
      std::string_view client_id) const;
  // The account of a live refresh token (not used, not revoked, not expired at `now`); kNotFound
  // otherwise. Reads only: the token stays usable.
  base::Result<AccountId> FindAccountOfOAuthRefresh(std::string_view token_hash,
                                                    std::int64_t now) const;

  // Installation-wide keys (JWT signing key, ...). Get returns kNotFound when unset; Put
  // inserts only when absent and returns the stored value (first writer wins).
  base::Result<std::string> GetInstallationKey(std::string_view name) const;
  base::Result<std::string> PutInstallationKey(std::string_view name, std::string_view value);

  // Leases of installation-wide background jobs (migration 11). Claims job `name` for `holder`
  // until `expires_at` when no lease of it is live at `now` (none yet, or its expires_at <= now);
  // true when claimed. One statement, so of several servers claiming at once exactly one wins.
  // Used so that a scheduled job runs once per period across every server on the database.
  base::Result<bool> ClaimLease(std::string_view name, std::string_view holder, std::int64_t now,
                                std::int64_t expires_at);

  // Housekeeping across every account (store_sessions.cc): deletes, at most `batch_rows` rows per
  // transaction until none is left, the sessions whose expires_at has passed (their cookie is
  // gone), the OAuth refresh tokens revoked (used, or revoked with their grant) or expired, the
  // authorization codes expired (a used one only once no token of its grant is live: a replay of
  // it must still revoke them), and the access tokens expired more than token_retention_seconds
  // ago, revoked or not. A token without an expiry (a personal long-lived one) is never deleted,
  // revoked or not: no revocation time is stored. Idempotent; not a security change (no row it
  // deletes authenticates anyone), so no revision moves.
  base::Result<PrunedCredentials> PruneExpiredCredentials(const CredentialPruning& pruning);

  AccountReader Reader(AccountId account_id) { return AccountReader(this, account_id, nullptr); }

  // The clock of every time the store stamps by itself: the replay history (migration 19: every
  // Write tells the database the time of its transaction, which the history triggers record),
  // the created_at/updated_at of rows written without one, migrations' applied_at, installation
  // keys. The server passes the same injected clock as the services, so tests that move time
  // control these too. Not owned; set before the first write (default: the system clock).
  void set_clock(const base::Clock* clock) { clock_ = clock; }
  const base::Clock& clock() const { return *clock_; }

  // Runs `body` as one atomic write: its changes are stored only when it returns OK, else they
  // are rolled back and its error is returned. OK means committed: the write is in the database
  // (on SQLite in the WAL, which survives the process being killed) when Write returns.
  // SQLite (one writer at a time): writes of this process are group-committed (group_commit.h):
  // queued writes run one after another in one transaction, each in its own savepoint, so a
  // write sees every write acknowledged or batched before it, a failing one rolls back alone,
  // and every caller returns after the shared COMMIT. `body` may then run on another caller's
  // thread (while its own caller waits); it must not call Write. PostgreSQL: one transaction per
  // write, writers in parallel (the server batches concurrent commits' WAL flushes itself).
  base::Status Write(AccountId account_id, const std::function<base::Status(AccountWriter&)>& body);
  // Write for a body that answers a value (a base::Result<T>): that value once the write is
  // committed, else the body's or the commit's error. What a write made reaches its caller
  // only through a committed transaction.
  template <typename Body>
  std::invoke_result_t<Body&, AccountWriter&> WriteResult(AccountId account_id, Body&& body);
  // Writes and commits since this Store was opened (equal on PostgreSQL, where nothing is
  // batched), and the writes waiting or running now (SQLite; 0 on PostgreSQL). For tests and
  // benchmarks.
  WriteStats write_stats() const;
  std::size_t queued_writes() const;

  // Security state is what the permission engine and authentication are built from: users,
  // groups, roles, pipelines and stages, sessions, API tokens, the account's seats and security
  // settings. A Write that changes any of it also increases the account's security revision in
  // the same transaction, so every process sharing the database can tell (by polling
  // SecurityRevisions) that its caches are stale; and, once committed, this Store's
  // security_epoch(), so caches in this process can tell at once.
  std::uint64_t security_epoch() const { return security_epoch_.load(std::memory_order_acquire); }
  // Every account's id and security revision.
  base::Result<std::vector<std::pair<AccountId, std::int64_t>>> SecurityRevisions() const;
  base::Result<std::int64_t> SecurityRevision(AccountId account_id) const;

  // On PostgreSQL the same transaction also sends NOTIFY on kSecurityChannel with the account id
  // as payload (delivered at commit, to every listening session), and a new installation key
  // sends NOTIFY on kKeysChannel with its name: servers that LISTEN (sql::PostgresListener)
  // apply a change within milliseconds instead of at their next poll.
  static constexpr const char* kSecurityChannel = "gatehouse_security";
  static constexpr const char* kKeysChannel = "gatehouse_keys";
  // Changes whenever the installation keys may have changed: at once when this Store added one,
  // and when NoteKeysChanged() is called (a notification of another process's change).
  std::uint64_t keys_epoch() const { return keys_epoch_.load(std::memory_order_acquire); }
  void NoteKeysChanged() { keys_epoch_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  friend class AccountReader;
  std::unique_ptr<sql::ConnectionPool> pool_;
  // Runs `body` in a transaction of its own (PostgreSQL) or a savepoint of a group commit
  // (SQLite); `on_commit` runs once it is committed, before the caller returns.
  base::Status RunTransaction(const GroupCommit::Body& body,
                              const GroupCommit::OnCommit& on_commit = nullptr);
  std::atomic<std::uint64_t> security_epoch_{0};
  std::unique_ptr<GroupCommit> group_commit_;  // SQLite only
  std::atomic<std::uint64_t> writes_{0};       // PostgreSQL's commits (write_stats)
  std::atomic<std::uint64_t> keys_epoch_{0};
  base::SystemClock system_clock_;
  const base::Clock* clock_ = &system_clock_;
};

template <typename Fn>
auto AccountReader::WithConnection(Fn&& fn) const {
  if (fixed_ != nullptr) return fn(*fixed_);
  sql::PooledConnection lease = store_->pool().Acquire();
  return fn(*lease);
}

inline std::int64_t AccountReader::Now() const { return store_->clock().NowSeconds(); }

template <typename Body>
std::invoke_result_t<Body&, AccountWriter&> Store::WriteResult(AccountId account_id, Body&& body) {
  std::optional<typename std::invoke_result_t<Body&, AccountWriter&>::value_type> value;
  GH_RETURN_IF_ERROR(Write(account_id, [&](AccountWriter& w) -> base::Status {
    auto answer = body(w);
    if (!answer.ok()) return answer.status();
    value = std::move(answer).value();
    return base::Status::Ok();
  }));
  return std::move(*value);
}

}  // namespace gatehouse::storage
