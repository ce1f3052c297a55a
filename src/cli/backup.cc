// `gatehouse backup` and `gatehouse restore` (storage/backup.h does the work).
#include "storage/backup.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"

namespace gatehouse::cli {

int RunBackup(const BackupOptions& options) {
  if (base::Status s = storage::BackupDatabase(options.db, options.to); !s.ok()) {
    return Fail("backup of " + options.db + " failed", s);
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(options.to, ec);
  std::printf("backup written to %s (%llu bytes)\n", options.to.c_str(),
              static_cast<unsigned long long>(ec ? 0 : bytes));
  return 0;
}

int RunRestore(const RestoreOptions& options) {
  if (base::Status s = storage::RestoreDatabase(options.from, options.db, options.force); !s.ok()) {
    return Fail("restore into " + options.db + " failed", s);
  }
  // An older backup is upgraded like any older database; then each account's activity log
  // must still verify, or the backup was altered.
  auto store = OpenMigratedStore(options.db, 1);
  if (!store.ok()) return Fail("restored, but cannot open " + options.db, store.status());
  auto accounts = (*store)->ListAccounts();
  if (!accounts.ok()) return Fail("restored, but cannot list the accounts", accounts.status());
  int broken = 0;
  for (const storage::AccountRow& account : *accounts) {
    auto report = (*store)->Reader(account.id).VerifyEventChain();
    if (!report.ok()) return Fail("cannot verify account " + account.subdomain, report.status());
    if (!report->intact()) ++broken;
  }
  auto version = (*store)->SchemaVersion();
  std::printf("restored %s: schema version %d, %zu account(s), activity log %s\n",
              options.from.c_str(), version.ok() ? *version : -1, accounts->size(),
              broken == 0 ? "intact" : "ALTERED (see gatehouse audit verify)");
  return broken == 0 ? 0 : 1;
}

}  // namespace gatehouse::cli
