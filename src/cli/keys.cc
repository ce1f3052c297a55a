#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "service/auth/auth_keys.h"

namespace gatehouse::cli {

int RunKeysRotate(const DbOptions& options) {
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("cannot open " + options.db, store.status());
  auto ring = service::JwtKeyRing::Load(store->get());
  if (!ring.ok()) return Fail("cannot read the signing keys", ring.status());
  base::Result<std::string> kid = (*ring)->Rotate();
  if (!kid.ok()) return Fail("rotation failed", kid.status());
  std::printf(
      "signing key %s is current (%zu keys); running servers sign with it within %lld s, and "
      "tokens signed with older keys stay valid until they expire\n",
      kid->c_str(), (*ring)->size(),
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::seconds>(service::JwtKeyRing::kReloadInterval)
              .count()));
  return 0;
}

}  // namespace gatehouse::cli
