// Version 19's steps that SQL text cannot share between the engines: the triggers that write
// the history, and the first version of every existing row. The tables and the design:
// v019_replay_history.sql.
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage::migrations {

namespace {

using base::Status;

// The tables whose rows decide record access, and whether the row has a lead stage.
struct RecordTable {
  std::string_view name;
  bool stage;
};
constexpr RecordTable kRecordTables[] = {{"leads", true},
                                         {"contacts", false},
                                         {"companies", false},
                                         {"tasks", false},
                                         {"customers", false}};

constexpr std::string_view kUserColumns =
    "is_admin, is_active, is_free, group_id, role_id, rights_json";

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The baseline: every existing row's state as of the migration, at time `now` (SQL).
std::string Baseline(std::string_view now) {
  std::string sql =
      "INSERT INTO replay_starts (account_id, started_at) SELECT id, {now} FROM accounts;\n"
      "INSERT INTO user_versions (account_id, user_id, at, {user}) "
      "SELECT account_id, id, {now}, {user} FROM users;\n"
      "INSERT INTO stage_versions (account_id, pipeline_id, status_id, at) "
      "SELECT account_id, pipeline_id, status_id, {now} FROM statuses;\n";
  for (const RecordTable& t : kRecordTables) {
    sql += std::string(
               "INSERT INTO record_versions (account_id, entity_type, record_id, at, "
               "responsible_user_id, pipeline_id, status_id) SELECT account_id, '") +
           std::string(t.name) + "', id, {now}, COALESCE(responsible_user_id, 0), " +
           (t.stage ? "pipeline_id, status_id" : "0, 0") + " FROM " + std::string(t.name) + ";\n";
  }
  sql = Replace(sql, "{user}", kUserColumns);
  return Replace(sql, "{now}", now);
}

// ---- SQLite: triggers reading the time from replay_clock ----

constexpr std::string_view kSqliteNow =
    "COALESCE(NULLIF((SELECT now FROM replay_clock WHERE id = 1), 0), "
    "CAST(strftime('%s', 'now') AS INTEGER))";

// "CREATE TRIGGER <table>_replay_update AFTER UPDATE OF <the columns a version holds> ON <table>".
std::string UpdateTriggerHead(const RecordTable& t) {
  const std::string name(t.name);
  return "CREATE TRIGGER " + name + "_replay_update AFTER UPDATE OF responsible_user_id" +
         (t.stage ? ", pipeline_id, status_id" : "") + " ON " + name;
}

// When an update makes a new version: a column it holds changed. `differs` is the dialect's
// null-safe inequality.
std::string VersionChanged(const RecordTable& t, std::string_view differs) {
  const std::string d(differs);
  std::string changed = "OLD.responsible_user_id " + d + " NEW.responsible_user_id";
  if (t.stage) {
    changed +=
        " OR OLD.pipeline_id " + d + " NEW.pipeline_id OR OLD.status_id " + d + " NEW.status_id";
  }
  return changed;
}

// The three triggers of one record table, each writing the record's version row.
std::string SqliteRecordTriggers(const RecordTable& t) {
  const std::string name(t.name);
  std::string sql;
  auto values = [&](std::string_view row, std::string_view removed) {
    const std::string r(row);
    return "(" + r + ".account_id, '" + name + "', " + r + ".id, {now}, " + std::string(removed) +
           ", COALESCE(" + r + ".responsible_user_id, 0), " +
           (t.stage ? r + ".pipeline_id, " + r + ".status_id" : std::string("0, 0")) + ")";
  };
  const std::string insert =
      "INSERT INTO record_versions (account_id, entity_type, record_id, at, removed, "
      "responsible_user_id, pipeline_id, status_id) VALUES ";
  sql += "CREATE TRIGGER " + name + "_replay_insert AFTER INSERT ON " + name + " BEGIN " + insert +
         values("NEW", "0") + "; END;\n";
  sql += UpdateTriggerHead(t) + " WHEN " + VersionChanged(t, "IS NOT") + " BEGIN " + insert +
         values("NEW", "0") + "; END;\n";
  sql += "CREATE TRIGGER " + name + "_replay_delete AFTER DELETE ON " + name + " BEGIN " + insert +
         values("OLD", "1") + "; END;\n";
  return sql;
}

std::string SqliteTriggers() {
  std::string sql;
  sql +=
      "CREATE TRIGGER accounts_replay_start AFTER INSERT ON accounts BEGIN "
      "INSERT INTO replay_starts (account_id, started_at) VALUES (NEW.id, {now}); END;\n";
  const std::string user_values =
      "NEW.is_admin, NEW.is_active, NEW.is_free, NEW.group_id, NEW.role_id, NEW.rights_json";
  sql +=
      "CREATE TRIGGER users_replay_insert AFTER INSERT ON users BEGIN "
      "INSERT INTO user_versions (account_id, user_id, at, {user}) VALUES "
      "(NEW.account_id, NEW.id, {now}, " +
      user_values + "); END;\n";
  sql +=
      "CREATE TRIGGER users_replay_update AFTER UPDATE OF {user} ON users WHEN "
      "OLD.is_admin IS NOT NEW.is_admin OR OLD.is_active IS NOT NEW.is_active OR "
      "OLD.is_free IS NOT NEW.is_free OR OLD.group_id IS NOT NEW.group_id OR "
      "OLD.role_id IS NOT NEW.role_id OR OLD.rights_json IS NOT NEW.rights_json BEGIN "
      "INSERT INTO user_versions (account_id, user_id, at, {user}) VALUES "
      "(NEW.account_id, NEW.id, {now}, " +
      user_values + "); END;\n";
  sql +=
      "CREATE TRIGGER users_replay_delete AFTER DELETE ON users BEGIN "
      "INSERT INTO user_versions (account_id, user_id, at, removed) VALUES "
      "(OLD.account_id, OLD.id, {now}, 1); END;\n"
      "CREATE TRIGGER statuses_replay_insert AFTER INSERT ON statuses BEGIN "
      "INSERT INTO stage_versions (account_id, pipeline_id, status_id, at) VALUES "
      "(NEW.account_id, NEW.pipeline_id, NEW.status_id, {now}); END;\n"
      "CREATE TRIGGER statuses_replay_delete AFTER DELETE ON statuses BEGIN "
      "INSERT INTO stage_versions (account_id, pipeline_id, status_id, at, removed) VALUES "
      "(OLD.account_id, OLD.pipeline_id, OLD.status_id, {now}, 1); END;\n";
  for (const RecordTable& t : kRecordTables) sql += SqliteRecordTriggers(t);
  sql = Replace(sql, "{user}", kUserColumns);
  return Replace(sql, "{now}", kSqliteNow);
}

// ---- PostgreSQL: trigger functions reading the time from gatehouse.now ----

constexpr std::string_view kPostgresTriggerFunctions = R"sql(
CREATE FUNCTION gatehouse_replay_now() RETURNS BIGINT LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('gatehouse.now', true), '')::BIGINT,
                  EXTRACT(EPOCH FROM clock_timestamp())::BIGINT)
$$;
CREATE FUNCTION gatehouse_replay_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO replay_starts (account_id, started_at) VALUES (NEW.id, gatehouse_replay_now());
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_replay_start AFTER INSERT ON accounts
  FOR EACH ROW EXECUTE PROCEDURE gatehouse_replay_account();
CREATE FUNCTION gatehouse_replay_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO user_versions (account_id, user_id, at, removed)
      VALUES (OLD.account_id, OLD.id, gatehouse_replay_now(), 1);
  ELSE
    INSERT INTO user_versions (account_id, user_id, at, is_admin, is_active, is_free, group_id,
                               role_id, rights_json)
      VALUES (NEW.account_id, NEW.id, gatehouse_replay_now(), NEW.is_admin, NEW.is_active,
              NEW.is_free, NEW.group_id, NEW.role_id, NEW.rights_json);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER users_replay_insert AFTER INSERT ON users
  FOR EACH ROW EXECUTE PROCEDURE gatehouse_replay_user();
CREATE TRIGGER users_replay_update AFTER UPDATE OF {user} ON users FOR EACH ROW
  WHEN (OLD.is_admin IS DISTINCT FROM NEW.is_admin OR OLD.is_active IS DISTINCT FROM NEW.is_active
        OR OLD.is_free IS DISTINCT FROM NEW.is_free OR OLD.group_id IS DISTINCT FROM NEW.group_id
        OR OLD.role_id IS DISTINCT FROM NEW.role_id
        OR OLD.rights_json IS DISTINCT FROM NEW.rights_json)
  EXECUTE PROCEDURE gatehouse_replay_user();
CREATE TRIGGER users_replay_delete AFTER DELETE ON users
  FOR EACH ROW EXECUTE PROCEDURE gatehouse_replay_user();
CREATE FUNCTION gatehouse_replay_stage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO stage_versions (account_id, pipeline_id, status_id, at, removed)
      VALUES (OLD.account_id, OLD.pipeline_id, OLD.status_id, gatehouse_replay_now(), 1);
  ELSE
    INSERT INTO stage_versions (account_id, pipeline_id, status_id, at)
      VALUES (NEW.account_id, NEW.pipeline_id, NEW.status_id, gatehouse_replay_now());
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER statuses_replay_insert AFTER INSERT ON statuses
  FOR EACH ROW EXECUTE PROCEDURE gatehouse_replay_stage();
CREATE TRIGGER statuses_replay_delete AFTER DELETE ON statuses
  FOR EACH ROW EXECUTE PROCEDURE gatehouse_replay_stage();
CREATE FUNCTION gatehouse_replay_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO record_versions (account_id, entity_type, record_id, at, removed,
                                 responsible_user_id, pipeline_id, status_id)
      VALUES (OLD.account_id, TG_TABLE_NAME, OLD.id, gatehouse_replay_now(), 1,
              COALESCE(OLD.responsible_user_id, 0), OLD.pipeline_id, OLD.status_id);
  ELSE
    INSERT INTO record_versions (account_id, entity_type, record_id, at, removed,
                                 responsible_user_id, pipeline_id, status_id)
      VALUES (NEW.account_id, TG_TABLE_NAME, NEW.id, gatehouse_replay_now(), 0,
              COALESCE(NEW.responsible_user_id, 0), NEW.pipeline_id, NEW.status_id);
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION gatehouse_replay_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO record_versions (account_id, entity_type, record_id, at, removed,
                                 responsible_user_id)
      VALUES (OLD.account_id, TG_TABLE_NAME, OLD.id, gatehouse_replay_now(), 1,
              COALESCE(OLD.responsible_user_id, 0));
  ELSE
    INSERT INTO record_versions (account_id, entity_type, record_id, at, removed,
                                 responsible_user_id)
      VALUES (NEW.account_id, TG_TABLE_NAME, NEW.id, gatehouse_replay_now(), 0,
              COALESCE(NEW.responsible_user_id, 0));
  END IF;
  RETURN NULL;
END $$;
)sql";

// The three triggers of one record table, calling the function of its kind.
std::string PostgresRecordTriggers(const RecordTable& t) {
  const std::string name(t.name);
  std::string sql;
  const std::string function = t.stage ? "gatehouse_replay_lead" : "gatehouse_replay_record";
  sql += "CREATE TRIGGER " + name + "_replay_insert AFTER INSERT ON " + name +
         " FOR EACH ROW EXECUTE PROCEDURE " + function + "();\n";
  sql += UpdateTriggerHead(t) + " FOR EACH ROW WHEN (" + VersionChanged(t, "IS DISTINCT FROM") +
         ") EXECUTE PROCEDURE " + function + "();\n";
  sql += "CREATE TRIGGER " + name + "_replay_delete AFTER DELETE ON " + name +
         " FOR EACH ROW EXECUTE PROCEDURE " + function + "();\n";
  return sql;
}

std::string PostgresTriggers() {
  std::string sql(kPostgresTriggerFunctions);
  for (const RecordTable& t : kRecordTables) sql += PostgresRecordTriggers(t);
  return Replace(sql, "{user}", kUserColumns);
}

}  // namespace

Status CreateReplayTriggers(sql::Connection& c) {
  if (c.dialect() == sql::Dialect::kSqlite) {
    GH_RETURN_IF_ERROR(c.ExecuteScript(Baseline("CAST(strftime('%s', 'now') AS INTEGER)")));
    return c.ExecuteScript(SqliteTriggers());
  }
  GH_RETURN_IF_ERROR(c.ExecuteScript(Baseline("EXTRACT(EPOCH FROM now())::BIGINT")));
  return c.ExecuteScript(PostgresTriggers());
}

}  // namespace gatehouse::storage::migrations
