// Store: opening, migrations, accounts, the transaction runner and installation-wide lookups.
#include "storage/store.h"

#include <algorithm>
#include <cctype>

#include "storage/migrations/migrations.h"
#include "storage/record_codec.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::unique_ptr<Store>> Store::Open(std::string_view url, int pool_size,
                                           sql::IfMissing if_missing, sql::SqliteSync sync) {
  GH_ASSIGN_OR_RETURN(std::unique_ptr<sql::ConnectionPool> pool,
                      sql::OpenPool(url, pool_size, if_missing, sync));
  return std::make_unique<Store>(std::move(pool));
}

// At most this many writes share one commit, so a write's wait for its batch stays bounded
// under any load.
constexpr int kMaxWritesPerCommit = 128;

Store::Store(std::unique_ptr<sql::ConnectionPool> pool) : pool_(std::move(pool)) {
  // PostgreSQL takes concurrent writers (row locks, MVCC) and already shares one WAL flush among
  // the commits that arrive together; batching them in one transaction would serialise them and
  // make unrelated writes wait on each other's row locks. SQLite has one writer at a time.
  if (pool_->dialect() == sql::Dialect::kSqlite) {
    group_commit_ = std::make_unique<GroupCommit>(*pool_, kMaxWritesPerCommit);
  }
}

int Store::BinarySchemaVersion() { return migrations::LatestVersion(); }

namespace {

constexpr std::string_view kCreateSchemaTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

Result<int> CurrentVersion(sql::Connection& c) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT MAX(version) FROM schema_migrations"));
  return static_cast<int>(rows.empty() ? 0 : sql::AsInt(rows.rows[0][0]));
}

Status NewerDatabase(int found) {
  return Status::Error(Code::kFailedPrecondition,
                       "the database schema is version " + std::to_string(found) +
                           ", newer than this gatehouse binary supports (" +
                           std::to_string(migrations::LatestVersion()) +
                           "); upgrade gatehouse before using this database");
}

// Applies one migration unless another process got there first. Caller holds no transaction.
Status ApplyInTransaction(sql::Connection& c, const migrations::Migration& m, std::int64_t now,
                          bool* applied) {
  GH_RETURN_IF_ERROR(c.Begin());
  auto fail = [&c](Status status) {
    (void)c.Rollback();
    return status;
  };
  if (c.dialect() == sql::Dialect::kPostgres) {
    // Serialises concurrent migrators (several server nodes starting at once).
    auto locked = c.Query("SELECT pg_advisory_xact_lock(7305870411)");
    if (!locked.ok()) return fail(locked.status());
  }
  Result<int> current = CurrentVersion(c);
  if (!current.ok()) return fail(current.status());
  if (*current > migrations::LatestVersion()) return fail(NewerDatabase(*current));
  if (*current >= m.version) {
    *applied = false;
    return fail(Status::Ok());
  }
  if (*current != m.version - 1) {
    return fail(
        Status::Internal("schema version gap before migration " + std::to_string(m.version)));
  }
  Status status = m.sql.empty() ? Status::Ok()  // a step only (PostgreSQL refuses an empty script)
                                : c.ExecuteScript(migrations::Render(m.sql, c.dialect()));
  if (status.ok() && m.sqlite_step != nullptr && c.dialect() == sql::Dialect::kSqlite) {
    status = m.sqlite_step(c);
  }
  if (status.ok() && m.step != nullptr) status = m.step(c);
  if (!status.ok()) {
    return fail(Status::Error(status.code(), "migration " + std::to_string(m.version) + " (" +
                                                 std::string(m.name) +
                                                 ") failed: " + status.message()));
  }
  Params params{Int(m.version), Text(std::string(m.name)), Int(now)};
  auto recorded = c.Execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", params);
  if (!recorded.ok()) return fail(recorded.status());
  GH_RETURN_IF_ERROR(c.Commit());
  *applied = true;
  return Status::Ok();
}

// SQLite reads foreign_keys only outside a transaction: a step that rebuilds tables needs it
// off so that dropping the old table cascades nowhere (its rows live on in the new one).
Status ApplyOne(sql::Connection& c, const migrations::Migration& m, std::int64_t now,
                bool* applied) {
  const bool keys_off = m.sqlite_step != nullptr && c.dialect() == sql::Dialect::kSqlite;
  if (keys_off) GH_RETURN_IF_ERROR(c.ExecuteScript("PRAGMA foreign_keys=OFF"));
  Status status = ApplyInTransaction(c, m, now, applied);
  if (keys_off) {
    Status restored = c.ExecuteScript("PRAGMA foreign_keys=ON");
    if (status.ok()) status = restored;
  }
  return status;
}

}  // namespace

Status Store::Migrate(std::vector<int>* applied) {
  sql::PooledConnection c = pool_->Acquire();
  GH_RETURN_IF_ERROR(c->ExecuteScript(kCreateSchemaTable));
  GH_ASSIGN_OR_RETURN(int current, CurrentVersion(*c));
  if (current > migrations::LatestVersion()) return NewerDatabase(current);
  for (const migrations::Migration& m : migrations::All()) {
    if (m.version <= current) continue;
    bool done = false;
    GH_RETURN_IF_ERROR(ApplyOne(*c, m, clock_->NowSeconds(), &done));
    if (done && applied != nullptr) applied->push_back(m.version);
  }
  return Status::Ok();
}

Result<int> Store::SchemaVersion() const {
  sql::PooledConnection c = pool_->Acquire();
  GH_RETURN_IF_ERROR(c->ExecuteScript(kCreateSchemaTable));
  return CurrentVersion(*c);
}

namespace {

constexpr std::array kAccountFields{
    Field("subdomain", &AccountRow::subdomain), Field("name", &AccountRow::name),
    Field("seats", &AccountRow::seats), Field("created_at", &AccountRow::created_at)};
// The accounts table has no account_id column: its rows are read through RowCodec and inserted
// with the field columns alone (RowCodec's insert would append account_id).
using AccountCodec = RowCodec<AccountRow, kAccountFields>;

Status ValidateSubdomain(std::string_view subdomain) {
  bool ok = !subdomain.empty() && subdomain.size() <= 63 && subdomain.front() != '-' &&
            subdomain.back() != '-';
  for (char c : subdomain) {
    ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
                std::isdigit(static_cast<unsigned char>(c)) || c == '-');
  }
  if (ok) return Status::Ok();
  return Status::InvalidField("subdomain", "InvalidFormat",
                              "subdomain must be 1-63 lower-case letters, digits or '-'");
}

}  // namespace

namespace {

// Tells the replay history triggers (migration 19) the time of the current transaction.
Status StampReplayClock(sql::Connection& c, std::int64_t now) {
  if (c.dialect() == sql::Dialect::kPostgres) {
    Params params{Text(std::to_string(now))};
    return c.Query("SELECT set_config('gatehouse.now', ?, true)", params).status();
  }
  // One writer at a time on SQLite (group commit), so one row serves every write.
  Params params{Int(now)};
  return c.Execute("UPDATE replay_clock SET now = ? WHERE id = 1", params).status();
}

}  // namespace

Result<AccountRow> Store::CreateAccount(const NewAccount& account) {
  GH_RETURN_IF_ERROR(ValidateSubdomain(account.subdomain));
  if (account.seats < 0) return Status::InvalidField("seats", "Invalid", "seats must be >= 0");
  AccountRow row{0, account.subdomain, account.name.empty() ? account.subdomain : account.name,
                 account.seats,
                 account.created_at != 0 ? account.created_at : clock_->NowSeconds()};
  auto body = [&](sql::Connection& c) -> Status {
    // The account's replay history starts at its creation (trigger on accounts).
    GH_RETURN_IF_ERROR(StampReplayClock(c, row.created_at));
    Params params;
    AccountCodec::Append(row, params);
    auto inserted =
        c.Query("INSERT INTO accounts (" + ColumnNames(AccountCodec::kFields) + ") VALUES " +
                    Tuple(static_cast<int>(kAccountFields.size())) + " RETURNING id",
                params);
    if (!inserted.ok() && inserted.status().code() == Code::kAlreadyExists) {
      return Status::Error(Code::kAlreadyExists,
                           "an account with subdomain '" + row.subdomain + "' already exists");
    }
    if (!inserted.ok()) return inserted.status();
    row.id = sql::AsInt(inserted->rows.at(0).at(0));
    Params group{Int(row.id), Int(row.created_at)};
    GH_RETURN_IF_ERROR(
        c.Execute("INSERT INTO user_groups (account_id, name, is_default, created_at) "
                  "VALUES (?, 'Main', 1, ?)",
                  group)
            .status());
    Params settings{Int(row.id), Int(row.created_at)};
    GH_RETURN_IF_ERROR(
        c.Execute("INSERT INTO security_settings (account_id, updated_at) VALUES (?, ?)", settings)
            .status());
    AccountWriter writer(this, row.id, &c);
    std::vector<domain::Stage> stages = {{0, "First contact", 20, domain::kStageTypeNormal},
                                         {0, "Negotiation", 30, domain::kStageTypeNormal},
                                         {0, "Decision", 40, domain::kStageTypeNormal}};
    GH_RETURN_IF_ERROR(writer.CreatePipeline("Sales pipeline", 1, true, stages).status());
    GH_RETURN_IF_ERROR(writer.CreateDefaultCustomerStatuses());
    return writer.FlushTotals();
  };
  GH_RETURN_IF_ERROR(RunTransaction(body));
  return row;
}

Result<AccountRow> Store::FindAccount(std::string_view subdomain) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(subdomain))};
  GH_ASSIGN_OR_RETURN(
      auto r,
      QueryRow(*c, "SELECT " + AccountCodec::Columns() + " FROM accounts WHERE subdomain = ?",
               params, "account"));
  return AccountCodec::FromRow(r);
}

Result<std::vector<AccountRow>> Store::ListAccounts() const {
  sql::PooledConnection c = pool_->Acquire();
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c->Query("SELECT " + AccountCodec::Columns() + " FROM accounts ORDER BY id"));
  std::vector<AccountRow> out;
  for (const auto& r : rows.rows) out.push_back(AccountCodec::FromRow(r));
  return out;
}

Result<AccountRow> AccountReader::Account() const {
  return WithConnection([&](sql::Connection& c) -> Result<AccountRow> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        auto r, QueryRow(c, "SELECT " + AccountCodec::Columns() + " FROM accounts WHERE id = ?",
                         params, "account"));
    return AccountCodec::FromRow(r);
  });
}

Status AccountWriter::UpdateAccount(std::string_view name, std::int64_t seats) {
  MarkSecurityChanged();
  if (name.empty()) return Status::InvalidField("name", "Required", "name must not be empty");
  if (seats < 0) return Status::InvalidField("seats", "Invalid", "seats must be >= 0");
  Params params{Text(std::string(name)), Int(seats), Int(account_id_)};
  return ExecuteOne(*fixed_, "UPDATE accounts SET name = ?, seats = ? WHERE id = ?", params,
                    "account");
}

Status Store::RunTransaction(const GroupCommit::Body& body,
                             const GroupCommit::OnCommit& on_commit) {
  if (group_commit_) return group_commit_->Run(body, on_commit);
  // PostgreSQL: writers run concurrently, each in a transaction of its own (see Store::Open).
  sql::PooledConnection c = pool_->Acquire();
  GH_RETURN_IF_ERROR(c->Begin());
  Status status = RunWriteBody(body, *c);
  if (status.ok()) status = c->Commit();
  if (!status.ok()) {
    (void)c->Rollback();
    return status;
  }
  writes_.fetch_add(1, std::memory_order_relaxed);
  if (on_commit) on_commit();
  return status;
}

Status Store::Write(AccountId account_id, const std::function<Status(AccountWriter&)>& body) {
  bool security_changed = false;
  return RunTransaction(
      [&](sql::Connection& c) -> Status {
        Params params{Int(account_id)};
        // The account check also hands the transaction's time to the replay history triggers
        // (migration 19), so the history costs no extra statement per write: PostgreSQL sets
        // the transaction-local gatehouse.now, SQLite the one-row replay_clock (one writer at
        // a time), only when the account exists.
        const std::int64_t now = clock_->NowSeconds();
        const bool postgres = dialect() == sql::Dialect::kPostgres;
        Params stamped{postgres ? Text(std::to_string(now)) : Int(now), Int(account_id)};
        GH_RETURN_IF_ERROR(
            QueryRow(c,
                     postgres ? "SELECT id, set_config('gatehouse.now', ?, true) FROM accounts "
                                "WHERE id = ?"
                              : "UPDATE replay_clock SET now = ? WHERE id = 1 AND EXISTS "
                                "(SELECT 1 FROM accounts WHERE id = ?) RETURNING id",
                     stamped, "account")
                .status());
        AccountWriter writer(this, account_id, &c);
        GH_RETURN_IF_ERROR(body(writer));
        if (writer.security_changed_) {
          GH_RETURN_IF_ERROR(c.Execute("UPDATE accounts SET security_revision = "
                                       "security_revision + 1 WHERE id = ?",
                                       params)
                                 .status());
          if (dialect() == sql::Dialect::kPostgres) {
            Params notify{Text(kSecurityChannel), Text(std::to_string(account_id))};
            GH_RETURN_IF_ERROR(c.Query("SELECT pg_notify(?, ?)", notify).status());
          }
        }
        // Last, so that the counters are the final locks the write takes (see FlushTotals), and
        // inside the write's own savepoint under group commit, so they go with its rows.
        GH_RETURN_IF_ERROR(writer.FlushTotals());
        security_changed = writer.security_changed_;
        return Status::Ok();
      },
      [&] {
        if (security_changed) security_epoch_.fetch_add(1, std::memory_order_acq_rel);
      });
}

Status AccountWriter::LockJob(std::int32_t job) {
  if (fixed_->dialect() != sql::Dialect::kPostgres) return Status::Ok();
  // The two-key form: (job, account). Its key space is apart from the one-key form the
  // migrations lock.
  Params params{Int(job), Int(account_id_)};
  return fixed_
      ->Query("SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))", params)
      .status();
}

Status Store::CheckWritable() {
  return RunTransaction([](sql::Connection& c) -> Status {
    GH_ASSIGN_OR_RETURN(
        std::int64_t changed,
        c.Execute("UPDATE readiness_heartbeat SET beats = beats + 1 WHERE id = 1", {}));
    if (changed != 1)
      return Status::Error(Code::kInternal, "the readiness heartbeat row is missing");
    return Status::Ok();
  });
}

WriteStats Store::write_stats() const {
  if (group_commit_) return group_commit_->stats();
  const std::uint64_t writes = writes_.load(std::memory_order_relaxed);
  return WriteStats{writes, writes};
}

std::size_t Store::queued_writes() const { return group_commit_ ? group_commit_->queued() : 0; }

Result<std::vector<std::pair<AccountId, std::int64_t>>> Store::SecurityRevisions() const {
  sql::PooledConnection c = pool_->Acquire();
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c->Query("SELECT id, security_revision FROM accounts ORDER BY id", {}));
  std::vector<std::pair<AccountId, std::int64_t>> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.emplace_back(sql::AsInt(r[0]), sql::AsInt(r[1]));
  return out;
}

Result<std::int64_t> Store::SecurityRevision(AccountId account_id) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Int(account_id)};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*c, "SELECT security_revision FROM accounts WHERE id = ?",
                                       params, "account"));
  return sql::AsInt(r[0]);
}

Result<std::string> Store::GetInstallationKey(std::string_view name) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(name))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*c, "SELECT key_value FROM installation_keys WHERE name = ?",
                                       params, "installation key"));
  return sql::AsText(r[0]);
}

Result<std::string> Store::PutInstallationKey(std::string_view name, std::string_view value) {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(name)), Text(std::string(value)), Int(clock_->NowSeconds())};
  // Portable "insert if absent": both engines accept ON CONFLICT DO NOTHING.
  GH_ASSIGN_OR_RETURN(std::int64_t inserted,
                      c->Execute("INSERT INTO installation_keys (name, key_value, created_at) "
                                 "VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                                 params));
  if (inserted > 0) {
    keys_epoch_.fetch_add(1, std::memory_order_acq_rel);
    if (dialect() == sql::Dialect::kPostgres) {
      // Outside a transaction: the insert has committed, so listeners read the new key.
      Params notify{Text(kKeysChannel), Text(std::string(name))};
      GH_RETURN_IF_ERROR(c->Query("SELECT pg_notify(?, ?)", notify).status());
    }
  }
  Params lookup{Text(std::string(name))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*c, "SELECT key_value FROM installation_keys WHERE name = ?",
                                       lookup, "installation key"));
  return sql::AsText(r[0]);
}

Result<bool> Store::ClaimLease(std::string_view name, std::string_view holder, std::int64_t now,
                               std::int64_t expires_at) {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(name)), Text(std::string(holder)), Int(expires_at), Int(now)};
  // Both engines accept this upsert. On PostgreSQL the conflicting row is locked and the WHERE
  // re-checked on its newest version, so of two concurrent claims of an expired lease one
  // updates it and the other finds it live (0 rows).
  GH_ASSIGN_OR_RETURN(
      std::int64_t claimed,
      c->Execute("INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                 "expires_at = excluded.expires_at "
                 "WHERE job_leases.expires_at <= ?",
                 params));
  return claimed > 0;
}

}  // namespace gatehouse::storage
