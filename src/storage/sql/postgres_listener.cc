#include "storage/sql/postgres_listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "storage/sql/postgres_connect.h"
#include "storage/sql/postgres_connection.h"

namespace gatehouse::storage::sql {
namespace {

using base::Result;
using base::Status;

bool PlainIdentifier(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Connects and LISTENs; nullptr when either fails.
PGconn* Connect(const std::string& gatehouse_url, const std::vector<std::string>& channels) {
  Result<PostgresTarget> target = ParsePostgresTarget(gatehouse_url);
  if (!target.ok()) return nullptr;
  // application_name after dbname, so the URL's own cannot hide this connection.
  Result<PGconn*> connected = ConnectPostgres(
      target->libpq_url, {.name = PostgresListener::kApplicationName, .url_may_override = false});
  if (!connected.ok()) return nullptr;
  PGconn* conn = *connected;
  std::string sql;
  for (const std::string& channel : channels) sql += "LISTEN " + channel + ";";
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) {
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

}  // namespace

Result<std::unique_ptr<PostgresListener>> PostgresListener::Start(std::string url,
                                                                  std::vector<std::string> channels,
                                                                  OnNotify on_notify,
                                                                  OnState on_state) {
  for (const std::string& channel : channels) {
    if (!PlainIdentifier(channel)) return Status::Invalid("bad channel name '" + channel + "'");
  }
  std::unique_ptr<PostgresListener> listener(new PostgresListener(
      std::move(url), std::move(channels), std::move(on_notify), std::move(on_state)));
  listener->thread_ = std::thread([raw = listener.get()] { raw->Run(); });
  return listener;
}

PostgresListener::PostgresListener(std::string url, std::vector<std::string> channels,
                                   OnNotify on_notify, OnState on_state)
    : url_(std::move(url)),
      channels_(std::move(channels)),
      on_notify_(std::move(on_notify)),
      on_state_(std::move(on_state)) {}

PostgresListener::~PostgresListener() {
  stop_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

void PostgresListener::Run() {
  using std::chrono::milliseconds;
  constexpr milliseconds kTick(200);  // how often the thread looks at stop_
  milliseconds pause(200);
  while (!stop_.load(std::memory_order_acquire)) {
    PGconn* conn = Connect(url_, channels_);
    if (conn == nullptr) {
      // Wait, in ticks so that stopping stays prompt, then try again with a longer pause.
      for (milliseconds waited(0); waited < pause && !stop_.load(); waited += kTick) {
        std::this_thread::sleep_for(kTick);
      }
      pause = std::min(pause * 2, milliseconds(5000));
      continue;
    }
    pause = milliseconds(200);
    connects_.fetch_add(1, std::memory_order_acq_rel);
    listening_.store(true, std::memory_order_release);
    if (on_state_) on_state_(true);
    while (!stop_.load(std::memory_order_acquire)) {
      pollfd fd{PQsocket(conn), POLLIN, 0};
      if (fd.fd < 0) break;
      const int ready = ::poll(&fd, 1, static_cast<int>(kTick.count()));
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
      // Reads what arrived; 0 means the connection is gone (closed, reset, timed out).
      if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) break;
      while (PGnotify* n = PQnotifies(conn)) {
        const std::string channel = n->relname != nullptr ? n->relname : "";
        const std::string payload = n->extra != nullptr ? n->extra : "";
        PQfreemem(n);
        if (on_notify_) on_notify_(channel, payload);
      }
    }
    PQfinish(conn);
    listening_.store(false, std::memory_order_release);
    if (on_state_ && !stop_.load(std::memory_order_acquire)) on_state_(false);
  }
}

}  // namespace gatehouse::storage::sql
