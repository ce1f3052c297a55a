// Backups of a whole Gatehouse database (every account), taken while servers keep writing, and
// their restore (`gatehouse backup` / `gatehouse restore`, ../../docs/operations.md).
//
// SQLite: the backup is a SQLite file copied page by page with SQLite's online backup API inside
// one read transaction, so it is the database as of one commit (WAL mode lets writers go on
// meanwhile). PostgreSQL: the backup is `pg_dump --format=custom` (one snapshot as well),
// restored with `pg_restore`; both programs come from Debian's postgresql-client.
//
// A backup is first written next to its final name and renamed when complete, so a crash never
// leaves a half-written file under the name asked for.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace gatehouse::storage {

// Copies the database at `db_url` into the new file `to_file`. kAlreadyExists when `to_file`
// exists (a backup never overwrites anything); kNotFound when the SQLite database is missing;
// kUnavailable when the database or pg_dump cannot be reached.
base::Status BackupDatabase(std::string_view db_url, const std::string& to_file);

// Replaces the database at `db_url` with the backup `from_file` (SQLite files restore into a
// sqlite: URL, pg_dump archives into a postgresql: URL). The database must not hold an account
// unless `force`: kFailedPrecondition otherwise. kInvalidArgument when `from_file` is not a
// Gatehouse backup of the URL's engine. Servers on that database must be stopped first: they keep
// what they cached. The caller applies pending migrations afterwards (an older backup is upgraded
// like any older database).
base::Status RestoreDatabase(const std::string& from_file, std::string_view db_url, bool force);

}  // namespace gatehouse::storage
