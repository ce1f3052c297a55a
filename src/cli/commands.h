// The `gatehouse` commands as plain functions over option structs. Only main.cc knows CLI11
// (it costs ~8 s per translation unit); each command lives in its own file and returns the
// process exit code, printing a one-line reason on failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace gatehouse::cli {

inline constexpr const char* kDefaultDb = "sqlite:./gatehouse.db";

struct ServeOptions {
  std::string db = kDefaultDb;
  std::string listen = "127.0.0.1:8080";
  int threads = 0;                            // 0: one per core
  std::string public_url{};                   // empty: links use the address clients reached
  std::size_t max_connections = 0;            // 0: from RLIMIT_NOFILE (http/server.h)
  std::size_t max_connections_per_ip = 256;   // 0: no per-address limit
  std::string sqlite_synchronous = "normal";  // "normal" or "full" (storage::sql::SqliteSync)
  int db_pool_size = 0;                       // database connections; 0: 2 per thread + 2, >= 4
  std::int64_t security_poll_ms = 1000;       // poll of security revisions (see PolicyCache)
  std::string notify_db{};  // PostgreSQL URL to LISTEN on; empty: `db`; "off": poll only
  // Clock seconds between sweeps of expired credentials, cluster-wide (CredentialPruner).
  std::int64_t credential_prune_seconds = 3600;
  // Not settings themselves: where the others may also come from (cli/config.h).
  std::string config{};                 // a TOML file; empty: none
  std::set<std::string> flags_given{};  // file keys of the settings set by flags
};
// Settings not given as flags come from the environment, then from `config` (cli/config.h).
int RunServe(ServeOptions options);

// `gatehouse config check`: resolves the settings `serve` would run with (same sources, same
// checks), prints each with its source, secrets masked; exit 1 with the reason when one is bad.
int RunConfigCheck(ServeOptions options);

struct InitOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};
  std::string name{};
  std::string admin_email{};
  std::string admin_name = "Administrator";
  std::int64_t seats = 10;
};
int RunInit(const InitOptions& options);

struct DemoOptions {
  std::string db = kDefaultDb;
  std::string subdomain = "demo";
  std::int64_t leads = 1000;
  std::uint64_t seed = 42;
};
int RunDemo(const DemoOptions& options);

// A command that names only the database: `gatehouse migrate`, `gatehouse keys rotate`.
struct DbOptions {
  std::string db = kDefaultDb;
};
int RunMigrate(const DbOptions& options);

// `gatehouse security-report`: the security report of one account (SPEC §6), read as the
// system. Exit codes, for cron: 0 when no finding is at or above `fail_on` (or no `fail_on`),
// kExitFindings when one is, kExitUsage for bad arguments, kExitReportFailed (with a one-line
// reason) when no report could be made.
struct SecurityReportOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};  // empty: the only account
  bool json = false;        // print the API's JSON document instead of text
  std::string fail_on{};    // "high", "medium", "low" or empty (never fail on findings)
};
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;  // also main.cc's answer to every CLI11 parse error
inline constexpr int kExitReportFailed = 3;
int RunSecurityReport(const SecurityReportOptions& options);

// `gatehouse explain`: the engine's explanation of one user's action on one record, or (with
// `viewers`) every user who could view the record, as the system; with `at` >= 0 as it was at
// that unix time (point-in-time replay, service/security/replay.h). Same parameters as GET
// /api/v4/security/explain[/viewers]. Exit 0 with the answer (allowed or not), 1 with a one-line
// reason when there is none (unknown record or user, time out of the history), kExitUsage for
// bad arguments.
struct ExplainOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};  // empty: the only account
  std::int64_t user_id = 0;
  std::string entity_type{};
  std::int64_t entity_id = 0;
  std::string action = "view";
  std::int64_t at = -1;  // -1: now
  bool viewers = false;
  bool json = false;
};
int RunExplain(const ExplainOptions& options);

// `gatehouse keys rotate`: adds a new newest JWT signing key for the installation.
int RunKeysRotate(const DbOptions& options);

// `gatehouse prune`: one sweep of the credentials nobody can use any more, as the server makes
// every credential_prune_seconds (service/auth/credential_pruning.h); prints what it removed.
int RunPrune(const DbOptions& options);

// The checks of derived data, for cron: each account of the database (or the one named), exit 1
// when a check fails or the database holds no account (a check must not pass on a wrong --db).
struct CheckOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};  // empty: every account
};
// `gatehouse audit verify`: walks each account's activity-log hash chain; exit 1 when a chain is
// broken, naming the first broken link.
int RunAuditVerify(const CheckOptions& options);
// `gatehouse verify counters`: recomputes each account's lead totals from the leads; prints every
// differing cell and exits 1 when there is one.
int RunVerifyCounters(const CheckOptions& options);

// `gatehouse backup`: a consistent copy of the whole database while servers write to it
// (storage/backup.h); never overwrites a file.
struct BackupOptions {
  std::string db = kDefaultDb;
  std::string to{};
};
int RunBackup(const BackupOptions& options);

// `gatehouse restore`: replaces the database with a backup (refused on a database that holds an
// account unless `force`), migrates it, and checks every account's activity-log chain (exit 1
// when one is broken).
struct RestoreOptions {
  std::string from{};
  std::string db = kDefaultDb;
  bool force = false;
};
int RunRestore(const RestoreOptions& options);

// `gatehouse user reset-2fa|reset-password|end-sessions`: operator helpers for one user of one
// account, acting as the system (logged as such in the activity log).
struct UserOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};  // empty: the only account
  std::string email{};
};
int RunUserResetTwoFactor(const UserOptions& options);
// The new password comes from GATEHOUSE_NEW_PASSWORD or is prompted.
int RunUserResetPassword(const UserOptions& options);
int RunUserEndSessions(const UserOptions& options);

// `gatehouse user deactivate-dormant [--dry-run]`: applies the dormant-user rule
// (service/security/dormant_users.h) now, to the named account or every account, as the system
// (events' actor_ip "cli"); prints one line per user deactivated (or, with `dry_run`, who would be,
// and changes nothing) and per administrator kept as the last one, then a summary line.
struct DormantOptions {
  std::string db = kDefaultDb;
  std::string subdomain{};  // empty: every account
  bool dry_run = false;
};
int RunUserDeactivateDormant(const DormantOptions& options);

// `gatehouse import`: recreates a Kommo API v4 account (import/importer.h) in account
// `subdomain` (default: the source's), creating the database and the account when missing;
// resumable (run it again after an interruption). The token comes from --token or
// GATEHOUSE_IMPORT_TOKEN; `rate` is requests per second (Kommo allows 7).
struct ImportOptions {
  std::string db = kDefaultDb;
  std::string from{};
  std::string token{};
  std::string subdomain{};
  double rate = 7;
  int page_limit = 250;
};
int RunImport(const ImportOptions& options);

}  // namespace gatehouse::cli
