#include <spdlog/spdlog.h>

#include <cstdio>
#include <thread>

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
#include "service/policy_cache.h"

namespace gatehouse::cli {
namespace {

// Registers the "http" logger the server writes its access log to (see access_log.h).
void SetUpAccessLog() {
  auto logger = std::make_shared<spdlog::logger>("http", std::make_shared<BufferedStdoutSink>());
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
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
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  // Handlers run on I/O threads and on the blocking pool: one connection each, plus slack.
  auto store =
      OpenMigratedStore(options.db, std::max(4, threads * 2 + 2), storage::sql::IfMissing::kRefuse,
                        *ParseSqliteSync(options.sqlite_synchronous));
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());

  base::SystemClock clock;
  service::PolicyCache policies(store->get());
  http::Router router;
  http::AddBuiltinRoutes(router);
  storage::Store* db = store->get();
  http::AddReadinessRoute(router, [db] { return db->CheckWritable(); });
  http::api::ApiContext context;
  context.store = store->get();
  context.policies = &policies;
  context.clock = &clock;

  http::Server server(server_options, &router);
  context.server = &server;
  http::api::RegisterApi(router, context);
  http::RegisterStaticSite(router, console::Files());

  if (base::Status s = server.Start(); !s.ok()) return Fail("cannot listen", s);
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
  server.Run();
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
