#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"

namespace gatehouse::cli {

int RunMigrate(const DbOptions& options) {
  auto store = storage::Store::Open(options.db, 1, storage::sql::IfMissing::kCreate);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  std::vector<int> applied;
  base::Status status = (*store)->Migrate(&applied);
  if (!status.ok()) return Fail("migration failed", status);
  auto version = (*store)->SchemaVersion();
  std::printf("schema version %d (%zu migration(s) applied)\n", version.ok() ? *version : -1,
              applied.size());
  return 0;
}

}  // namespace gatehouse::cli
