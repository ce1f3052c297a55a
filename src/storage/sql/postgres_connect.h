// Opening a libpq session the way every Gatehouse connection to PostgreSQL opens it: the
// driver's connections (postgres_connection.cc) and the listener's (postgres_listener.cc).
#pragma once

#include <libpq-fe.h>

#include <string>

#include "base/status.h"

namespace gatehouse::storage::sql {

// How the session names itself in pg_stat_activity.
struct ApplicationName {
  const char* name = "gatehouse";
  // true: the URL's own application_name wins (a fallback); false: this name always wins.
  bool url_may_override = true;
};

// Connects to `libpq_url` (a URL or key=value string libpq reads) in UTF8, with bounds on a
// server that went away without closing its sockets: connecting gives up after 5 s, a silent
// peer is found dead by TCP keepalives within about 25 s, unacknowledged data within 30 s. The
// server's notices are dropped (libpq would print them on stderr). The caller owns the result
// and ends it with PQfinish. kUnavailable names libpq's reason (host, port, user; never a
// password).
base::Result<PGconn*> ConnectPostgres(const std::string& libpq_url, ApplicationName application);

}  // namespace gatehouse::storage::sql
