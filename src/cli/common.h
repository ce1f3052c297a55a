// Shared by the command files: opening and migrating the store, reporting failures.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::cli {

// Opens `url` and applies pending migrations. Prints nothing. A missing SQLite file is refused
// (kNotFound) unless `if_missing` is kCreate: only init, demo and migrate create a database.
base::Result<std::unique_ptr<storage::Store>> OpenMigratedStore(
    const std::string& url, int pool_size = 4,
    storage::sql::IfMissing if_missing = storage::sql::IfMissing::kRefuse,
    storage::sql::SqliteSync sync = storage::sql::SqliteSync::kNormal);

// The account named by `subdomain`, or the only account of the database when it is empty
// (kInvalidArgument at "subdomain" when there is not exactly one).
base::Result<storage::AccountRow> ResolveAccount(storage::Store& store,
                                                 const std::string& subdomain);

// One account's check by a `verify` command: prints the account's line and answers whether the
// account is sound.
using AccountCheck = std::function<base::Result<bool>(storage::Store&, const storage::AccountRow&)>;

// Opens the store at `db` and runs `check` on the account named by `subdomain`, or on every
// account of the database when it is empty; answers how many were not sound. A failure is
// printed as Fail prints it and answers nullopt (the command exits 1): "cannot open <db>",
// "cannot list the accounts", "cannot find account <subdomain>", "cannot verify account
// <subdomain>" (the check's error), or "nothing to verify" for a database without accounts,
// where a check that passed would hide a wrong --db from a cron job.
std::optional<int> CountUnsoundAccounts(const std::string& db, const std::string& subdomain,
                                        const AccountCheck& check);

// The Caller of an operator's command on account `account_id`: the system (no user, no policy
// snapshot), from client "cli".
service::Caller SystemCaller(domain::AccountId account_id);

// Prints "gatehouse: <what>: <status>" on stderr and returns exit code 1.
int Fail(const std::string& what, const base::Status& status);

// The password for a new administrator: GATEHOUSE_ADMIN_PASSWORD, else prompted on the
// terminal without echo (twice). kInvalidArgument when neither is possible.
base::Result<std::string> AdminPassword();

// A password from the environment variable `env`, else prompted twice without echo.
base::Result<std::string> PasswordFrom(const char* env, const char* prompt);

}  // namespace gatehouse::cli
