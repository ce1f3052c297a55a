#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>
#include <thread>

#include "base/clock.h"
#include "cli/access_log.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "console/assets.h"
#include "http/api/api.h"
#include "http/api/openapi.h"
#include "http/origin.h"
#include "http/readiness.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_site.h"
#include "service/policy_cache.h"

namespace gatehouse::cli {
namespace {

// "HOST:PORT" or "[V6]:PORT".
base::Status ParseListen(const std::string& listen, http::ServerOptions& out) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return base::Status::InvalidField("listen", "Invalid", "expected HOST:PORT, got " + listen);
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const char* begin = listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535) {
    return base::Status::InvalidField("listen", "Invalid", "bad port in " + listen);
  }
  out.host = host.empty() ? "127.0.0.1" : host;
  out.port = static_cast<std::uint16_t>(port);
  return base::Status::Ok();
}

// Registers the "http" logger the server writes its access log to (see access_log.h).
void SetUpAccessLog() {
  auto logger = std::make_shared<spdlog::logger>("http", std::make_shared<BufferedStdoutSink>());
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace

int RunServe(const ServeOptions& options) {
  SetUpAccessLog();
  http::ServerOptions server_options;
  if (base::Status s = ParseListen(options.listen, server_options); !s.ok()) {
    return Fail("bad --listen", s);
  }
  server_options.threads = options.threads;
  server_options.max_connections = options.max_connections;
  server_options.max_connections_per_ip = options.max_connections_per_ip;
  if (!options.public_url.empty()) {
    base::Result<std::string> public_url = http::ParsePublicUrl(options.public_url);
    if (!public_url.ok()) return Fail("bad --public-url", public_url.status());
    server_options.public_url = *public_url;
  }
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  // Handlers run on I/O threads and on the blocking pool: one connection each, plus slack.
  auto store = OpenMigratedStore(options.db, std::max(4, threads * 2 + 2));
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
      "gatehouse ready on http://{}:{}/ (database {}, at most {} connections, {} per "
      "address{})",
      server_options.host, server.port(), options.db.substr(0, options.db.find(':')),
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
