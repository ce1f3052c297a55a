#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "auth/password_work.h"
#include "base/clock.h"
#include "cli/access_log.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/config.h"
#include "console/assets.h"
#include "http/api/api.h"
#include "http/api/openapi.h"
#include "http/readiness.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_site.h"
#include "service/auth/credential_pruning.h"
#include "service/policy_cache.h"
#include "service/security/dormant_users.h"
#include "storage/sql/postgres_connection.h"
#include "storage/sql/postgres_listener.h"

namespace gatehouse::cli {
namespace {

// Registers the "http" logger the server writes its access log to (see access_log.h).
void SetUpAccessLog() {
  auto logger = std::make_shared<spdlog::logger>("http", std::make_shared<BufferedStdoutSink>());
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

// The listener of the changes other servers make (PostgreSQL NOTIFY, applied to `policies`),
// or none (nullptr) on SQLite, with notify_db "off", or behind a transaction-mode pooler without
// a notify_db (then changes are polled).
base::Result<std::unique_ptr<storage::sql::PostgresListener>> ListenForChanges(
    const ServeOptions& options, storage::Store& store, service::PolicyCache& policies) {
  // LISTEN needs a session of its own: not through a transaction-mode pooler.
  const bool behind_pooler = store.dialect() == storage::sql::Dialect::kPostgres &&
                             storage::sql::ParsePostgresTarget(options.db)->transaction_pooler;
  if (behind_pooler && options.notify_db.empty()) {
    spdlog::info(
        "the database is behind a transaction-mode pooler: changes made by other servers "
        "are polled every {} ms (set notify_db to PostgreSQL's own address to LISTEN)",
        options.security_poll_ms);
  }
  if (store.dialect() == storage::sql::Dialect::kPostgres && options.notify_db != "off" &&
      !(behind_pooler && options.notify_db.empty())) {
    storage::Store* shared = &store;
    auto started = storage::sql::PostgresListener::Start(
        options.notify_db.empty() ? options.db : options.notify_db,
        {storage::Store::kSecurityChannel, storage::Store::kKeysChannel},
        [&policies, shared](const std::string& channel, const std::string& payload) {
          if (channel == storage::Store::kKeysChannel) {
            shared->NoteKeysChanged();
            return;
          }
          domain::AccountId account = 0;
          auto [end, ec] =
              std::from_chars(payload.data(), payload.data() + payload.size(), account);
          if (ec != std::errc() || end != payload.data() + payload.size()) return;
          if (base::Status s = policies.OnRemoteChange(account); !s.ok()) {
            spdlog::warn("applying a change of account {} failed: {}", account, s.message());
          }
        },
        [&policies](bool listening) {
          if (listening) {
            spdlog::info("listening for changes made by other servers (PostgreSQL NOTIFY)");
          } else {
            spdlog::warn(
                "the listening connection to PostgreSQL dropped; polling every {} ms "
                "until it is back",
                policies.poll_interval().count());
          }
          policies.SetListening(listening);
        });
    return started;
  }
  return std::unique_ptr<storage::sql::PostgresListener>();
}

// The database connections of this server: db_pool_size, else 2 per I/O thread + 2 (at least
// 4), since handlers run on I/O threads and on the blocking pool (one connection each).
int PoolSize(const ServeOptions& options) {
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  return options.db_pool_size > 0 ? options.db_pool_size : std::max(4, threads * 2 + 2);
}

// The line that says the server is up, and how it is set.
void LogReady(const ServeOptions& options, const http::ServerOptions& server_options,
              const http::Server& server) {
  spdlog::info(
      "gatehouse ready on http://{}:{}/ (database {}{}, at most {} connections, {} per "
      "address{})",
      server_options.host, server.port(), options.db.substr(0, options.db.find(':')),
      options.sqlite_synchronous == "full" ? " with synchronous=FULL" : "",
      server.max_connections(),
      options.max_connections_per_ip == 0 ? std::string("unlimited")
                                          : std::to_string(options.max_connections_per_ip),
      options.public_url.empty() ? "" : ", public URL " + server_options.public_url);
  std::fflush(stdout);
}

}  // namespace

int RunServe(ServeOptions options) {
  if (auto settings = ResolveServeSettings(options.config, options.flags_given, options);
      !settings.ok()) {
    return Fail("bad setting", settings.status());
  }
  http::ServerOptions server_options;
  if (base::Status s = CheckServeOptions(options, server_options); !s.ok()) {
    return Fail("bad setting", s);
  }
  SetUpAccessLog();
  auth::ConfigurePasswordWork(auth::DefaultPasswordWork());
  const int pool_size = PoolSize(options);
  base::SystemClock clock;  // declared first: the store keeps a pointer to it
  auto store = OpenMigratedStore(options.db, pool_size, storage::sql::IfMissing::kRefuse,
                                 *ParseSqliteSync(options.sqlite_synchronous));
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  (*store)->set_clock(&clock);  // the replay history is stamped by the services' clock
  const std::chrono::milliseconds poll(options.security_poll_ms);
  service::PolicyCache policies(store->get(), poll, poll * 30);
  // On PostgreSQL, changes made by other servers arrive as notifications (PolicyCache).
  auto listener = ListenForChanges(options, **store, policies);
  if (!listener.ok()) return Fail("cannot listen for changes", listener.status());
  http::Router router;
  http::AddBuiltinRoutes(router);
  storage::Store* db = store->get();
  http::AddReadinessRoute(router, [db] { return db->CheckWritable(); });
  http::api::ApiContext context{.store = store->get(), .policies = &policies, .clock = &clock};

  http::Server server(server_options, &router);
  http::api::RegisterApi(router, context);
  http::RegisterStaticSite(router, console::Files());

  if (base::Status s = server.Start(); !s.ok()) return Fail("cannot listen", s);
  LogReady(options, server_options, server);
  // The dormant-user rule (security policy dormant_days), hourly across every server on this
  // database (a lease in the database picks one server per hour).
  service::DormantScheduler dormant({store->get(), &policies, &clock}, {});
  dormant.Start();
  // Expired sessions, OAuth codes and tokens: at start, then every credential_prune_seconds
  // across the servers of this database, off the I/O threads.
  service::CredentialPruner pruner(store->get(), &clock,
                                   {.period_seconds = options.credential_prune_seconds});
  pruner.Start();
  server.Run();
  pruner.Stop();
  dormant.Stop();
  spdlog::get("http")->flush();
  spdlog::info("gatehouse stopped");
  return 0;
}

}  // namespace gatehouse::cli

namespace gatehouse::cli {

int RunConfigCheck(ServeOptions options) {
  auto settings = ResolveServeSettings(options.config, options.flags_given, options);
  if (!settings.ok()) return Fail("bad setting", settings.status());
  http::ServerOptions server_options;
  if (base::Status s = CheckServeOptions(options, server_options); !s.ok()) {
    return Fail("bad setting", s);
  }
  for (const EffectiveSetting& setting : *settings) {
    std::printf("%-24s %-40s (%s)\n", setting.key.c_str(), setting.value.c_str(),
                SettingSourceName(setting.source));
  }
  std::printf("configuration valid\n");
  return 0;
}

}  // namespace gatehouse::cli
