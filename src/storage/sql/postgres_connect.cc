#include "storage/sql/postgres_connect.h"

namespace gatehouse::storage::sql {
namespace {

void IgnoreNotice(void*, const char*) {}

}  // namespace

base::Result<PGconn*> ConnectPostgres(const std::string& libpq_url, ApplicationName application) {
  // Parameters listed before dbname are overridden by the URL's own (expanded in its place);
  // those after it override the URL's.
  const char* name_key =
      application.url_may_override ? "fallback_application_name" : "application_name";
  const char* keys[] = {"connect_timeout",  "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout", "dbname",
                        "client_encoding",  name_key,           nullptr};
  const char* values[] = {
      "5", "10", "5", "3", "30000", libpq_url.c_str(), "UTF8", application.name, nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return base::Status::Error(base::Code::kUnavailable, "postgres: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(conn);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    PQfinish(conn);
    return base::Status::Error(base::Code::kUnavailable, "postgres: cannot connect: " + reason);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return conn;
}

}  // namespace gatehouse::storage::sql
