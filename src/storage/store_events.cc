// The activity log: appending an entry as the next link of the account's hash chain,
// reading and filtering entries, and verifying the chain.
#include <algorithm>
#include <array>

#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// What the caller says of an event, in the order both appends bind it first.
constexpr std::array kEventInputFields{Field("id", &EventRow::id),
                                       Field("created_at", &EventRow::created_at),
                                       Field("actor_user_id", &EventRow::actor_user_id),
                                       Field("actor_ip", &EventRow::actor_ip),
                                       Field("type", &EventRow::type),
                                       Field("entity_type", &EventRow::entity_type),
                                       Field("entity_id", &EventRow::entity_id),
                                       Field("value_before", &EventRow::value_before_json),
                                       Field("value_after", &EventRow::value_after_json)};
using EventInputCodec = ColumnCodec<EventRow, kEventInputFields>;
// The input, then its link of the hash chain.
constexpr auto kEventFields =
    JoinFields(kEventInputFields,
               std::array{Field("seq", &EventRow::seq), Field("prev_hash", &EventRow::prev_hash),
                          Field("hash", &EventRow::hash)});
using EventCodec = ColumnCodec<EventRow, kEventFields>;

// One field of EventChainHash's text (event_chain.h), written in SQL: "<byte length>:<bytes>;".
std::string ChainField(std::string_view text_expression) {
  const std::string e(text_expression);
  return "octet_length(convert_to(" + e + ", 'UTF8'))::text || ':' || " + e + " || ';'";
}

// The append on PostgreSQL, as two statements that need no answer, so that they travel with the
// commit (Connection::Defer). The first takes the next number with an UPDATE, which also locks the
// account row until the commit: concurrent appenders queue there. The second, whose snapshot sees
// that number, reads it and the head (`prev`), hashes the event exactly as EventChainHash does
// (`link`; sha256 is built in since PostgreSQL 11), moves the head (`head`) and inserts the event.
// A missing account leaves account_id NULL, which the insert refuses (events.account_id is NOT
// NULL): never a silent no-op.
// The lock is an UPDATE's on purpose. A SELECT ... FOR NO KEY UPDATE that has waited for a
// committed update goes on to lock the row's newer versions while it still holds the tuple lock
// of the version it waited on, and an UPDATE in the same statement works from the statement's
// snapshot, that older version: two appenders of the one-statement form deadlocked so under the
// crash test's load (PostgreSQL 40P01, about one run in four). An UPDATE that waited only re-reads
// the newest version, and the statement after it sees its own. FOR UPDATE would be worse still:
// it waits for the FOR KEY SHARE lock an insert referencing the account takes (a lead, an event).
constexpr std::string_view kPostgresNextNumberSql =
    "UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ?";

const std::string& PostgresAppendSql() {
  static const std::string sql =
      "WITH input (id, created_at, actor_user_id, actor_ip, type, entity_type, entity_id, "
      "value_before, value_after) AS (VALUES (?::text, ?::int8, ?::int8, ?::text, ?::text, "
      "?::text, ?::int8, ?::text, ?::text)), "
      "prev AS (SELECT id AS account_id, event_seq AS seq, event_head AS prev_hash "
      "FROM accounts WHERE id = ?::int8), "
      "link AS (SELECT i.*, p.account_id, p.seq, p.prev_hash, encode(sha256(convert_to(" +
      ChainField("p.account_id::text") + " || " + ChainField("p.seq::text") + " || " +
      ChainField("i.id") + " || " + ChainField("i.created_at::text") + " || " +
      ChainField("i.actor_user_id::text") + " || " + ChainField("i.actor_ip") + " || " +
      ChainField("i.type") + " || " + ChainField("i.entity_type") + " || " +
      ChainField("i.entity_id::text") + " || " + ChainField("i.value_before") + " || " +
      ChainField("i.value_after") + " || " + ChainField("p.prev_hash") +
      ", 'UTF8')), 'hex') AS hash FROM input AS i LEFT JOIN prev AS p ON true), "
      "head AS (UPDATE accounts SET event_head = link.hash FROM link "
      "WHERE accounts.id = link.account_id) "
      "INSERT INTO events (id, seq, account_id, created_at, actor_user_id, actor_ip, type, "
      "entity_type, entity_id, value_before, value_after, prev_hash, hash) "
      "SELECT id, seq, account_id, created_at, actor_user_id, actor_ip, type, entity_type, "
      "entity_id, value_before, value_after, prev_hash, hash FROM link";
  return sql;
}

}  // namespace

Result<std::vector<EventRow>> AccountReader::ListEvents(const EventQuery& q) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<EventRow>> {
    Where where{"account_id = ?", {Int(account_id_)}};
    where.Add("actor_user_id = ?", q.actor_user_id != 0, Int(q.actor_user_id));
    where.AddIn("type", q.types);
    where.Add("entity_type = ?", !q.entity_type.empty(), Text(q.entity_type));
    where.Add("entity_id = ?", !q.entity_type.empty() && q.entity_id != 0, Int(q.entity_id));
    where.AddRange("created_at", q.created_at);
    // Exact text matches: the values are written by one serializer, so equal values are
    // equal texts, and both engines compare them the same way (no JSON functions needed).
    where.AddIn("value_before", q.value_before);
    where.AddIn("value_after", q.value_after);
    where.Add("id < ?", !q.before_id.empty(), Text(q.before_id));
    where.params.push_back(Int(std::clamp(q.limit, 1, kMaxPageLimit)));
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + EventCodec::Columns() + " FROM events WHERE " +
                                    where.sql + " ORDER BY id DESC LIMIT ?",
                                where.params));
    std::vector<EventRow> out;
    for (const auto& r : rows.rows) out.push_back(EventCodec::FromRow(r));
    return out;
  });
}

Result<EventRow> AccountReader::GetEvent(std::string_view id) const {
  return WithConnection([&](sql::Connection& c) -> Result<EventRow> {
    Params params{Int(account_id_), Text(std::string(id))};
    GH_ASSIGN_OR_RETURN(
        std::vector<Value> r,
        QueryRow(c,
                 "SELECT " + EventCodec::Columns() + " FROM events WHERE account_id = ? AND id = ?",
                 params, "event"));
    return EventCodec::FromRow(r);
  });
}

Result<ChainReport> AccountReader::VerifyEventChain() const {
  return WithConnection([&](sql::Connection& c) -> Result<ChainReport> {
    ChainWalker walker(account_id_);
    constexpr int kBatch = 1000;
    std::int64_t after = 0;
    for (;;) {
      Params params{Int(account_id_), Int(after), Int(kBatch)};
      GH_ASSIGN_OR_RETURN(sql::Rows rows,
                          c.Query("SELECT " + EventCodec::Columns() +
                                      " FROM events WHERE account_id = ? AND seq > ? ORDER BY "
                                      "seq LIMIT ?",
                                  params));
      for (const auto& r : rows.rows) {
        const EventRow event = EventCodec::FromRow(r);
        walker.Visit(event);
        after = event.seq;
      }
      if (rows.rows.size() < static_cast<std::size_t>(kBatch)) break;
    }
    Params account{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        std::vector<Value> head,
        QueryRow(c, "SELECT event_seq, event_head FROM accounts WHERE id = ?", account, "account"));
    GH_ASSIGN_OR_RETURN(
        sql::Rows legacy,
        c.Query("SELECT COUNT(*) FROM events WHERE account_id = ? AND seq IS NULL", account));
    ChainReport report = walker.Finish(sql::AsInt(head[0]), sql::AsText(head[1]));
    report.unchained = legacy.empty() ? 0 : sql::AsInt(legacy.rows[0][0]);
    return report;
  });
}

namespace {

// Statements that need no answer: the account row, which every writer of the account waits
// for, is locked only from them to the commit, in the same round trip.
Status AppendOnPostgres(sql::Connection& c, domain::AccountId account, const EventRow& e) {
  Params account_param{Int(account)};
  GH_RETURN_IF_ERROR(c.Defer(kPostgresNextNumberSql, account_param));
  Params params;
  EventInputCodec::Append(e, params);
  params.push_back(Int(account));
  return c.Defer(PostgresAppendSql(), params);
}

// Taking the next number locks the account row until commit: appenders of one account queue
// here, so each links to the one before (see migrations/v006_event_chain.sql).
Status AppendOnSqlite(sql::Connection& c, domain::AccountId account, const EventRow& input) {
  Params account_param{Int(account)};
  GH_ASSIGN_OR_RETURN(sql::Rows link,
                      c.Query("UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ? "
                              "RETURNING event_seq, event_head",
                              account_param));
  if (link.empty()) return Status::NotFound("account " + std::to_string(account));
  EventRow e = input;
  e.seq = sql::AsInt(link.rows[0][0]);
  e.prev_hash = sql::AsText(link.rows[0][1]);
  e.hash = EventChainHash(account, e);
  Params head{Text(e.hash), Int(account)};
  GH_RETURN_IF_ERROR(c.Execute("UPDATE accounts SET event_head = ? WHERE id = ?", head).status());
  Params params;
  EventCodec::Append(e, params);
  params.push_back(Int(account));
  return c
      .Execute("INSERT INTO events (" + EventCodec::Columns() + ", account_id) VALUES " +
                   Tuple(EventCodec::kCount + 1),
               params)
      .status();
}

}  // namespace

Status AccountWriter::AppendEvent(const EventRow& input) {
  if (input.id.empty() || input.type.empty()) {
    return Status::Invalid("an event needs an id and a type");
  }
  if (fixed_->dialect() == sql::Dialect::kPostgres) {
    return AppendOnPostgres(*fixed_, account_id_, input);
  }
  return AppendOnSqlite(*fixed_, account_id_, input);
}

}  // namespace gatehouse::storage
