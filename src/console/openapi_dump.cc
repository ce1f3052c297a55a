// gatehouse-openapi: prints the server's OpenAPI document (GET /api/v4/openapi.json) without a
// running server, so the console's TypeScript types can be generated from it at build time.
// The routes are registered over a throwaway SQLite database; no request is ever handled.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/clock.h"
#include "http/api/api.h"
#include "http/api/openapi.h"
#include "service/policy_cache.h"

int main() {
  using namespace gatehouse;
  char dir_template[] = "/tmp/gatehouse-openapi.XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    std::fprintf(stderr, "gatehouse-openapi: cannot create a temporary directory\n");
    return 1;
  }
  int status = 1;
  {
    auto store = storage::Store::Open("sqlite:" + std::string(dir) + "/openapi.db", 2);
    if (!store.ok() || !(*store)->Migrate().ok()) {
      std::fprintf(stderr, "gatehouse-openapi: cannot open a temporary database\n");
    } else {
      base::SystemClock clock;
      service::PolicyCache policies(store->get());
      http::Router router;
      http::api::ApiContext context{.store = store->get(), .policies = &policies, .clock = &clock};
      http::api::RegisterApi(router, context);
      std::fputs(http::api::OpenApiDocument(router).c_str(), stdout);
      status = std::fflush(stdout) == 0 ? 0 : 1;
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}
