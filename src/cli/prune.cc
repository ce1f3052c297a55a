#include <cstdio>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "service/auth/credential_pruning.h"

namespace gatehouse::cli {

int RunPrune(const DbOptions& options) {
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  base::SystemClock clock;
  auto pruned = service::PruneCredentials(**store, clock);
  if (!pruned.ok()) return Fail("pruning failed", pruned.status());
  std::printf("removed %s\n", service::DescribePruned(*pruned).c_str());
  return 0;
}

}  // namespace gatehouse::cli
