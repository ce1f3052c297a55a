#include "storage/sql/postgres_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/sql/postgres_connect.h"

namespace gatehouse::storage::sql {
namespace {

using base::Code;
using base::Result;
using base::Status;

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across releases.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Text form of a parameter; nullopt for NULL. Doubles keep every bit (shortest round trip).
std::optional<std::string> ParamText(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* d = std::get_if<double>(&value)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), *d);
    return std::string(buffer, end);
  }
  return std::nullopt;
}

Value CellValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  std::size_t length = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t number = 0;
      auto [end, ec] = std::from_chars(text, text + length, number);
      if (ec == std::errc() && end == text + length) return number;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double number = 0;
      auto [end, ec] = std::from_chars(text, text + length, number);
      if (ec == std::errc() && end == text + length) return number;
      break;
    }
    default:
      break;
  }
  return std::string(text, length);
}

// What a constraint violation's SQLSTATE means to the caller (class 23 of the PostgreSQL manual).
struct ConstraintError {
  std::string_view sqlstate;
  Code code;
  const char* what;
};
constexpr ConstraintError kConstraintErrors[] = {
    {"23505", Code::kAlreadyExists, "unique key already taken"},
    {"23503", Code::kConflict, "foreign key violated"},
    {"23514", Code::kConflict, "check constraint violated"},
    {"23502", Code::kConflict, "not-null constraint violated"}};

// The error for a failed result. Only diagnostic fields that name schema objects are copied:
// the server's own message may quote SQL or values ("Key (email)=(a@b) already exists").
Status ErrorFrom(PGconn* conn, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  Code code = Code::kInternal;
  const char* what = "statement failed";
  if (PQstatus(conn) == CONNECTION_BAD || sqlstate.starts_with("08") ||
      sqlstate.starts_with("57P")) {
    code = Code::kUnavailable;
    what = "connection to the server failed";
  }
  for (const ConstraintError& e : kConstraintErrors) {
    if (code == Code::kInternal && sqlstate == e.sqlstate) {
      code = e.code;
      what = e.what;
    }
  }
  std::string message = std::string("postgres: ") + what;
  if (!sqlstate.empty()) message += " (sqlstate " + sqlstate;
  const std::pair<int, const char*> fields[] = {{PG_DIAG_CONSTRAINT_NAME, "constraint"},
                                                {PG_DIAG_TABLE_NAME, "table"},
                                                {PG_DIAG_COLUMN_NAME, "column"}};
  for (const auto& [field, label] : fields) {
    const char* name = result ? PQresultErrorField(result, field) : nullptr;
    if (name != nullptr && !sqlstate.empty()) message += std::string(", ") + label + " " + name;
  }
  if (!sqlstate.empty()) message += ")";
  return Status::Error(code, std::move(message));
}

bool Succeeded(const PGresult* result) {
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// Reads, without waiting, whatever the server sent to an idle session: a server that ended the
// session (shutdown, restart, pg_terminate_backend) sent an error and closed the socket, and
// reading up to the end of the stream marks the connection bad (libpq sees EOF only on a read
// that returns nothing, after the error message has been read). A healthy idle session has
// nothing to read: one poll(2), no read.
void NoticeClosedSocket(PGconn* conn) {
  for (int i = 0; i < 4 && PQstatus(conn) == CONNECTION_OK; ++i) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (fd.fd < 0 || ::poll(&fd, 1, 0) <= 0) return;
    if (PQconsumeInput(conn) == 0) return;  // the end of the stream: now CONNECTION_BAD
  }
}

// Session settings of every connection, applied after connecting and after each reset.
// plan_cache_mode = auto (PostgreSQL's default, set so that a server configured otherwise does
// not change it): a prepared statement is planned with its values for five runs, then keeps one
// generic plan when that is estimated no worse. That is what point reads and writes want: their
// plans do not depend on the values, and re-planning them costs more than running them (0.1-0.2
// ms for a write's statements, 0.8-1.9 ms for GET /api/v4/leads/{id}'s join, against 0.06 ms of
// execution; bench/README.md). Statements whose best plan does depend on the values (permission-
// filtered pages and counts: a generic plan cannot see LIMIT 250 or which 20 users an IN list
// names, measured 20 ms instead of 0.7 ms) come through QueryPlannedWithValues and run unnamed,
// planned with their values every time.
// Behind a transaction-mode pooler no session setting is made (it would stay on whichever
// server session ran it, for other clients); every statement runs unnamed there.
constexpr const char* kSessionSetup = "SET plan_cache_mode = auto";

Status Configure(PGconn* conn, bool pooled) {
  if (pooled) return Status::Ok();
  PgResult result(PQexec(conn, kSessionSetup));
  if (!Succeeded(result.get())) return ErrorFrom(conn, result.get());
  return Status::Ok();
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, bool pooled) : conn_(conn), pooled_(pooled) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecuteScript(std::string_view sql) override {
    GH_RETURN_IF_ERROR(EnsureConnected());
    // A script is sent as one simple query, outside a pipeline: what is held back goes first.
    if (!queued_.empty()) GH_RETURN_IF_ERROR(RunPipeline(TakeQueued()).status());
    PgResult result(PQexec(conn_, std::string(sql).c_str()));
    if (!Succeeded(result.get())) return ErrorFrom(conn_, result.get());
    return Status::Ok();
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    GH_ASSIGN_OR_RETURN(PgResult result, Run(sql, params, /*named=*/true));
    return RowsOf(result.get());
  }

  Result<Rows> QueryPlannedWithValues(std::string_view sql,
                                      std::span<const Value> params) override {
    GH_ASSIGN_OR_RETURN(PgResult result, Run(sql, params, /*named=*/false));
    return RowsOf(result.get());
  }

  static Rows RowsOf(const PGresult* result) {
    Rows rows;
    if (PQresultStatus(result) != PGRES_TUPLES_OK) return rows;
    int columns = PQnfields(result);
    int count = PQntuples(result);
    rows.columns.reserve(columns);
    for (int c = 0; c < columns; ++c) rows.columns.emplace_back(PQfname(result, c));
    rows.rows.reserve(count);
    for (int r = 0; r < count; ++r) {
      std::vector<Value>& row = rows.rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) row.push_back(CellValue(result, r, c));
    }
    return rows;
  }

  Result<std::int64_t> Execute(std::string_view sql, std::span<const Value> params) override {
    GH_ASSIGN_OR_RETURN(PgResult result, Run(sql, params, /*named=*/true));
    const char* tuples = PQcmdTuples(result.get());
    std::int64_t changed = 0;
    std::from_chars(tuples, tuples + std::strlen(tuples), changed);
    return changed;
  }

  Status Defer(std::string_view sql, std::span<const Value> params) override {
    // Behind a transaction-mode pooler every statement keeps its own round trip (the pooler
    // must see each one to follow the transaction).
    if (!in_transaction_ || pooled_) return Execute(sql, params).status();
    GH_RETURN_IF_ERROR(EnsureConnected());
    GH_ASSIGN_OR_RETURN(Queued statement, Bind(sql, params, /*named=*/true));
    queued_.push_back(std::move(statement));
    // Bounded, so that neither side's socket buffer fills while the other is not reading.
    if (queued_.size() >= kMaxQueued) return RunPipeline(TakeQueued()).status();
    return Status::Ok();
  }

  // BEGIN is held back and sent with the transaction's first statement: one round trip less.
  Status Begin() override {
    if (in_transaction_) return Status::Internal("postgres: a transaction is already open");
    GH_RETURN_IF_ERROR(EnsureConnected());
    if (pooled_) {
      GH_RETURN_IF_ERROR(Command("BEGIN"));
    } else {
      queued_.push_back(Queued{.name = "", .text = "BEGIN", .param_count = 0, .params = {}});
    }
    in_transaction_ = true;
    return Status::Ok();
  }

  Status Commit() override {
    if (!in_transaction_) return Status::Internal("postgres: commit without a transaction");
    in_transaction_ = false;
    std::vector<Queued> queued = TakeQueued();
    // A transaction that sent nothing (only its BEGIN is held back) has nothing to commit.
    if (queued.size() == 1 && queued[0].text == "BEGIN") return Status::Ok();
    PgResult result;
    if (queued.empty()) {
      result.reset(PQexec(conn_, "COMMIT"));
    } else {
      // What was held back and COMMIT in one round trip. A failed statement among them aborts
      // the rest, COMMIT included; the caller's Rollback ends the failed transaction.
      queued.push_back(Queued{.name = "", .text = "COMMIT", .param_count = 0, .params = {}});
      GH_ASSIGN_OR_RETURN(result, RunPipeline(std::move(queued)));
    }
    if (!Succeeded(result.get())) return ErrorFrom(conn_, result.get());
    // COMMIT of a transaction that already failed succeeds as a ROLLBACK: nothing was written.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
      return Status::Internal("postgres: the transaction failed earlier and was rolled back");
    }
    return Status::Ok();
  }

  // Rolling back a transaction whose connection died is a success: the server dropped it.
  Status Rollback() override {
    in_transaction_ = false;
    queued_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) return Status::Ok();
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::Ok();
    return Command("ROLLBACK");
  }

 private:
  struct Prepared {
    std::string name;  // empty behind a transaction-mode pooler: run unnamed, from `text`
    int param_count = 0;
    std::string text;  // with $n placeholders
  };

  // A statement held back by Defer (or BEGIN), ready to send: its prepared name, or its text
  // when it runs unnamed, and its parameters as text.
  struct Queued {
    std::string name;
    std::string text;
    int param_count = 0;
    std::vector<std::optional<std::string>> params;
  };
  static constexpr std::size_t kMaxQueued = 64;

  std::vector<Queued> TakeQueued() {
    std::vector<Queued> queued = std::move(queued_);
    queued_.clear();
    return queued;
  }

  // Parameters as text, checked, and the statement prepared (a round trip, the first time only),
  // or, not `named`, its placeholders rewritten for an unnamed run (planned with the values).
  Result<Queued> Bind(std::string_view sql, std::span<const Value> params, bool named) {
    Queued statement;
    statement.params.reserve(params.size());
    for (const Value& value : params) {
      statement.params.push_back(ParamText(value));
      // libpq sends C strings: an embedded NUL would silently cut the value short.
      if (statement.params.back() && statement.params.back()->find('\0') != std::string::npos) {
        return Status::Invalid("postgres: a text parameter contains a NUL character");
      }
    }
    GH_ASSIGN_OR_RETURN(const Prepared* prepared, named ? Prepare(sql) : Rewrite(sql));
    if (prepared->param_count != static_cast<int>(params.size())) {
      return Status::Internal("postgres: statement expects " +
                              std::to_string(prepared->param_count) + " parameters, got " +
                              std::to_string(params.size()));
    }
    statement.name = prepared->name;
    if (prepared->name.empty()) statement.text = prepared->text;
    statement.param_count = prepared->param_count;
    return statement;
  }

  static std::vector<const char*> ValuesOf(const Queued& statement) {
    std::vector<const char*> values;
    values.reserve(statement.params.size());
    for (const auto& text : statement.params) values.push_back(text ? text->c_str() : nullptr);
    return values;
  }

  PGresult* Exec(const Queued& statement) {
    const std::vector<const char*> values = ValuesOf(statement);
    return statement.name.empty()
               ? PQexecParams(conn_, statement.text.c_str(), statement.param_count, nullptr,
                              values.data(), nullptr, nullptr, 0)
               : PQexecPrepared(conn_, statement.name.c_str(), statement.param_count, values.data(),
                                nullptr, nullptr, 0);
  }

  bool Send(const Queued& statement) {
    const std::vector<const char*> values = ValuesOf(statement);
    return (statement.name.empty()
                ? PQsendQueryParams(conn_, statement.text.c_str(), statement.param_count, nullptr,
                                    values.data(), nullptr, nullptr, 0)
                : PQsendQueryPrepared(conn_, statement.name.c_str(), statement.param_count,
                                      values.data(), nullptr, nullptr, 0)) == 1;
  }

  // Sends `statements` in one pipeline (libpq pipeline mode, one Sync: one round trip) and
  // returns the last one's result, or the first failure. After a failure the server skips the
  // rest up to the Sync.
  Result<PgResult> RunPipeline(std::vector<Queued> statements) {
    if (PQenterPipelineMode(conn_) != 1) return ErrorFrom(conn_, nullptr);
    bool sent = true;
    for (const Queued& statement : statements) {
      if (!(sent = Send(statement))) break;
    }
    if (sent) sent = PQpipelineSync(conn_) == 1;
    PgResult failure;
    PgResult last;
    bool synced = false;
    std::size_t index = 0;  // the statement whose results come next; a null result ends each
    while (sent && !synced) {
      PgResult result(PQgetResult(conn_));
      if (result == nullptr) {
        if (PQstatus(conn_) != CONNECTION_OK || ++index > statements.size()) break;
        continue;
      }
      const ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_PIPELINE_SYNC) {
        synced = true;
      } else if (status != PGRES_PIPELINE_ABORTED) {
        if (!Succeeded(result.get())) {
          if (failure == nullptr) failure = std::move(result);
        } else if (index + 1 == statements.size()) {
          last = std::move(result);
        }
      }
    }
    PQexitPipelineMode(conn_);  // refused only with results unread, i.e. a broken connection
    if (failure != nullptr) return ErrorFrom(conn_, failure.get());
    if (!synced) {
      return Status::Error(Code::kUnavailable, "postgres: connection to the server failed");
    }
    return last;
  }

  Status Command(const char* command) {
    PgResult result(PQexec(conn_, command));
    if (!Succeeded(result.get())) return ErrorFrom(conn_, result.get());
    return Status::Ok();
  }

  // A connection lost between transactions is reopened; one lost inside a transaction is not,
  // or the rest of that transaction would run, committed piecemeal, on a new session. Between
  // transactions, whatever the server sent meanwhile is read first (no wait): a server that
  // shut down or restarted has closed the socket, which marks the connection bad here, so the
  // statement runs on a fresh session instead of failing on the dead one after an outage.
  // Reconnecting is bounded by connect_timeout (OpenPostgres); a refused one fails at once.
  Status EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK && !in_transaction_) NoticeClosedSocket(conn_);
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    if (in_transaction_) {
      return Status::Error(Code::kUnavailable,
                           "postgres: connection lost inside a transaction; roll it back");
    }
    statements_.clear();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::Error(Code::kUnavailable, "postgres: cannot reconnect to the server");
    }
    return Configure(conn_, pooled_);
  }

  // The placeholder rewrite of `sql` for unnamed runs, kept per text like prepared statements.
  Result<const Prepared*> Rewrite(std::string_view sql) {
    std::string key(sql);
    if (auto it = rewritten_.find(key); it != rewritten_.end()) return &it->second;
    int count = 0;
    GH_ASSIGN_OR_RETURN(std::string text, RewritePlaceholders(sql, &count));
    return &rewritten_.emplace(std::move(key), Prepared{"", count, std::move(text)}).first->second;
  }

  Result<const Prepared*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) return &it->second;
    int count = 0;
    GH_ASSIGN_OR_RETURN(std::string text, RewritePlaceholders(sql, &count));
    if (pooled_) {
      // A named statement lives in one server session, which a transaction-mode pooler hands
      // to other clients between transactions: only the placeholder rewrite is kept.
      return &statements_.emplace(std::move(key), Prepared{"", count, std::move(text)})
                  .first->second;
    }
    Prepared prepared{"gh_" + std::to_string(++next_statement_), count, ""};
    PgResult result(PQprepare(conn_, prepared.name.c_str(), text.c_str(), 0, nullptr));
    if (!Succeeded(result.get())) return ErrorFrom(conn_, result.get());
    return &statements_.emplace(std::move(key), std::move(prepared)).first->second;
  }

  void Forget(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) return;
    if (it->second.name.empty()) {
      statements_.erase(it);
      return;
    }
    PgResult ignored(PQexec(conn_, ("DEALLOCATE " + it->second.name).c_str()));
    statements_.erase(it);
  }

  Result<PgResult> Run(std::string_view sql, std::span<const Value> params, bool named) {
    GH_RETURN_IF_ERROR(EnsureConnected());
    if (!queued_.empty()) {
      // What was held back goes first, with this statement, in one round trip.
      GH_ASSIGN_OR_RETURN(Queued statement, Bind(sql, params, named));
      std::vector<Queued> statements = TakeQueued();
      statements.push_back(std::move(statement));
      return RunPipeline(std::move(statements));
    }
    for (int attempt = 0;; ++attempt) {
      GH_ASSIGN_OR_RETURN(Queued statement, Bind(sql, params, named));
      PgResult result(Exec(statement));
      if (Succeeded(result.get())) return result;
      // A cached plan goes stale when DDL changes a table's shape ("cached plan must not change
      // result type"); outside a transaction, prepare it afresh once.
      const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
      if (attempt == 0 && !in_transaction_ && state != nullptr &&
          std::strcmp(state, "0A000") == 0 && PQstatus(conn_) == CONNECTION_OK) {
        Forget(sql);
        continue;
      }
      return ErrorFrom(conn_, result.get());
    }
  }

  PGconn* conn_;
  const bool pooled_;  // behind a transaction-mode pooler (PostgresTarget)
  std::unordered_map<std::string, Prepared> statements_;
  std::unordered_map<std::string, Prepared> rewritten_;  // for unnamed runs (Rewrite)
  int next_statement_ = 0;
  bool in_transaction_ = false;
  std::vector<Queued> queued_;  // held back by Begin and Defer, sent with the next statement
};

}  // namespace

Result<PostgresTarget> ParsePostgresTarget(std::string_view url) {
  PostgresTarget target;
  const std::size_t query = url.find('?');
  if (query == std::string_view::npos ||
      !(url.starts_with("postgresql://") || url.starts_with("postgres://"))) {
    target.libpq_url = std::string(url);
    return target;
  }
  target.libpq_url = std::string(url.substr(0, query));
  std::string kept;
  std::string_view rest = url.substr(query + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.starts_with("gatehouse_pooler=")) {
      std::string_view mode = item.substr(17);
      if (mode == "transaction") {
        target.transaction_pooler = true;
      } else if (mode != "none") {
        return Status::InvalidField("db", "Invalid",
                                    "gatehouse_pooler must be \"transaction\" or \"none\"");
      }
      continue;
    }
    if (item.empty()) continue;
    kept += (kept.empty() ? "" : "&") + std::string(item);
  }
  if (!kept.empty()) target.libpq_url += "?" + kept;
  return target;
}

Result<std::unique_ptr<Connection>> OpenPostgres(std::string_view url) {
  GH_ASSIGN_OR_RETURN(PostgresTarget target, ParsePostgresTarget(url));
  GH_ASSIGN_OR_RETURN(PGconn * conn, ConnectPostgres(target.libpq_url, ApplicationName{}));
  // owns conn from here
  auto connection = std::make_unique<PostgresConnection>(conn, target.transaction_pooler);
  GH_RETURN_IF_ERROR(Configure(conn, target.transaction_pooler));
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace gatehouse::storage::sql
