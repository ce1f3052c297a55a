// The SQLite driver behind the Connection seam (connection.h), over the SQLite C API.
//
// Each connection runs in WAL mode with synchronous=NORMAL (or FULL, see SqliteSync),
// foreign_keys=ON and a busy timeout, so several pooled connections to one file can read while one
// writes. Transactions begin IMMEDIATE: a writer takes the write lock up front and waits (busy
// timeout) instead of failing half-way when another writer holds it. Prepared statements are cached
// by SQL text.
//
// Errors: SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY -> kAlreadyExists; other constraint violations ->
// kConflict; SQLITE_BUSY/LOCKED and CANTOPEN -> kUnavailable; anything else -> kInternal.
// Thread-safety: one thread at a time, like every Connection.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage::sql {

// Opens the database file at `path`, creating it when missing if `if_missing` is kCreate.
// Errors: kNotFound when the file is missing and `if_missing` is kRefuse; kUnavailable when it
// cannot be opened.
base::Result<std::unique_ptr<Connection>> OpenSqlite(std::string_view path,
                                                     IfMissing if_missing = IfMissing::kCreate,
                                                     SqliteSync sync = SqliteSync::kNormal);

}  // namespace gatehouse::storage::sql
