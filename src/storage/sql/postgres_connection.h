// The PostgreSQL driver behind the Connection seam (connection.h), over libpq.
//
// SQL arrives in the portable subset with `?` placeholders; the driver rewrites them to $1..$n
// (leaving string literals, quoted identifiers, dollar-quoted bodies and comments alone),
// prepares each distinct text once per connection (PQprepare under a generated name) and runs it
// with PQexecPrepared. Parameters travel as text: int64 and double formatted exactly, std::string
// as is, monostate as NULL; the server infers each parameter's type from its context.
//
// Results are converted by column type: int2/int4/int8/oid -> int64, bool -> int64 0/1 (as
// SQLite would return a comparison), float4/float8/numeric -> double, NULL -> monostate,
// everything else -> its text form.
//
// Errors (SQLSTATE): 23505 -> kAlreadyExists; 23503, 23514, 23502 -> kConflict; class 08 or a
// lost connection -> kUnavailable; anything else -> kInternal. Messages name the SQLSTATE and,
// when the server reports one, the constraint, table and column; never SQL text or values.
//
// Every session runs with plan_cache_mode = auto: a prepared statement settles on one cached
// plan when PostgreSQL estimates it no worse, which spares point reads and writes their planning
// (more than their execution). QueryPlannedWithValues runs a statement unnamed, planned with its
// values every time, because a generic plan for a permission-filtered page can be 30x slower
// than the custom one (see the .cc).
//
// Inside a transaction, BEGIN and the statements given to Defer are held back and sent with the
// next statement that needs an answer, or with COMMIT, in one pipeline (libpq pipeline mode):
// one round trip for all of them.
//
// A connection that broke outside a transaction is reset on the next call (its statement cache
// is dropped with it); one that broke inside a transaction fails every call with kUnavailable
// until Rollback, so a half-done transaction can never continue on a fresh session.
//
// Thread-safety: like every Connection, one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/sql/connection.h"
#include "storage/sql/postgres_placeholders.h"  // RewritePlaceholders, for the unit test

namespace gatehouse::storage::sql {

// A Gatehouse URL parameter, taken out before the URL goes to libpq:
// `gatehouse_pooler=transaction` says the address is a pooler in transaction mode (pgbouncer
// `pool_mode = transaction`), which hands each transaction to any server session. The driver
// then uses unnamed statements (PQexecParams: parsed per call, planned with the values) instead
// of prepared ones, which live in one server session, and makes no session setting.
// `gatehouse_pooler=none` is the default. docs/scaling.md.
struct PostgresTarget {
  std::string libpq_url{};  // the URL without Gatehouse's own parameters
  bool transaction_pooler = false;
};
// kInvalidArgument (at "db") for a bad gatehouse_pooler value. A key=value connection string is
// passed on unchanged.
base::Result<PostgresTarget> ParsePostgresTarget(std::string_view url);

// Connects to `url`, a libpq connection string ("postgresql://user@host:port/db?..." or
// "host=... dbname=..."), with client encoding UTF8.
// Returns the open connection, or kUnavailable (with libpq's reason) when the server cannot be
// reached or refuses the login.
base::Result<std::unique_ptr<Connection>> OpenPostgres(std::string_view url);

}  // namespace gatehouse::storage::sql
