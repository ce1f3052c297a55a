// Version 17: ids are never handed out twice (SQLite).
//
// SQLite's INTEGER PRIMARY KEY takes MAX(id) + 1, so deleting the record with the highest id
// gave its id to the next record created — and everything still naming the old id (its events in
// the activity log, which non-administrators see for records they may view; tokens and audit
// entries of a deleted user) then described the new one. AUTOINCREMENT never reuses an id. A
// column constraint cannot be altered in place, so each table whose key is {{id}} is rebuilt
// (SQLite's documented procedure: new table, copy, drop, rename, indexes and triggers again)
// with foreign keys off, so that the drop cascades nowhere, then checked with
// foreign_key_check. PostgreSQL's identity columns never reused an id: nothing to do there.
// New databases get AUTOINCREMENT from {{id}} directly and this step finds nothing to rebuild.
#include <string>
#include <string_view>
#include <vector>

#include "storage/migrations/migrations.h"

namespace gatehouse::storage::migrations {

namespace {

using base::Status;

constexpr std::string_view kReusingKey = "INTEGER PRIMARY KEY,";
constexpr std::string_view kNeverReusingKey = "INTEGER PRIMARY KEY AUTOINCREMENT,";

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// The activity log names records by these entity types. An id deleted before this migration
// may be the highest one the log mentions: the sequence starts above it, so the log's past
// never describes a record created after the migration either.
struct LoggedAs {
  std::string_view table;
  std::string_view singular;
  std::string_view plural;
};
constexpr LoggedAs kLoggedAs[] = {
    {"leads", "lead", "leads"},
    {"contacts", "contact", "contacts"},
    {"companies", "company", "companies"},
    {"tasks", "task", "tasks"},
    {"users", "user", "users"},
    {"incoming_leads", "incoming_lead", "unsorted"},
    {"list_items", "catalog_element", "list_items"},
    {"roles", "role", "roles"},
    {"user_groups", "group", "groups"},
    {"pipelines", "pipeline", "pipelines"},
    {"conversations", "talk", "conversations"},
};

Status StartAboveLoggedIds(sql::Connection& c, std::string_view table) {
  for (const LoggedAs& logged : kLoggedAs) {
    if (logged.table != table) continue;
    GH_RETURN_IF_ERROR(
        c.Execute(
             "UPDATE sqlite_sequence SET seq = (SELECT MAX(seq, COALESCE(MAX(entity_id), 0)) FROM "
             "events WHERE entity_type IN (?, ?)) WHERE name = ?",
             std::vector<sql::Value>{std::string(logged.singular), std::string(logged.plural),
                                     std::string(table)})
            .status());
    // A table left empty by the copy has no sequence row yet.
    GH_RETURN_IF_ERROR(
        c.Execute(
             "INSERT INTO sqlite_sequence (name, seq) SELECT ?, logged FROM (SELECT MAX(entity_id) "
             "AS logged FROM events WHERE entity_type IN (?, ?)) WHERE logged IS NOT NULL AND NOT "
             "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
             std::vector<sql::Value>{std::string(table), std::string(logged.singular),
                                     std::string(logged.plural), std::string(table)})
            .status());
  }
  return Status::Ok();
}

Status Rebuild(sql::Connection& c, const std::string& table, std::string create) {
  const std::string staged = "gh_rebuild_" + table;
  const std::size_t columns_at = create.find('(');
  const std::size_t key_at = create.find(kReusingKey);
  if (columns_at == std::string::npos || key_at == std::string::npos || key_at < columns_at) {
    return Status::Internal("cannot rebuild table " + table + ": unexpected schema " + create);
  }
  create.replace(key_at, kReusingKey.size(), kNeverReusingKey);
  create.replace(0, columns_at, "CREATE TABLE " + Quoted(staged) + " ");
  GH_ASSIGN_OR_RETURN(sql::Rows dependents,
                      c.Query("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN "
                              "('index', 'trigger') AND sql IS NOT NULL",
                              std::vector<sql::Value>{sql::Value(table)}));
  GH_RETURN_IF_ERROR(c.ExecuteScript(create));
  GH_RETURN_IF_ERROR(c.ExecuteScript(
      "INSERT INTO " + Quoted(staged) + " SELECT * FROM " + Quoted(table) + "; DROP TABLE " +
      Quoted(table) + "; ALTER TABLE " + Quoted(staged) + " RENAME TO " + Quoted(table)));
  for (const std::vector<sql::Value>& row : dependents.rows) {
    GH_RETURN_IF_ERROR(c.ExecuteScript(sql::AsText(row[0])));
  }
  return StartAboveLoggedIds(c, table);
}

}  // namespace

Status RebuildTablesWithAutoincrement(sql::Connection& c) {
  GH_ASSIGN_OR_RETURN(
      sql::Rows tables,
      c.Query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
              "sql LIKE '%INTEGER PRIMARY KEY,%' AND sql NOT LIKE '%AUTOINCREMENT%' "
              "ORDER BY name"));
  for (const std::vector<sql::Value>& row : tables.rows) {
    GH_RETURN_IF_ERROR(Rebuild(c, sql::AsText(row[0]), sql::AsText(row[1])));
  }
  GH_ASSIGN_OR_RETURN(sql::Rows broken, c.Query("PRAGMA foreign_key_check"));
  if (!broken.rows.empty()) {
    return Status::Internal("rebuilding the tables broke a foreign key of table " +
                            sql::AsText(broken.rows[0][0]));
  }
  return Status::Ok();
}

extern const std::string_view kV17Schema;
const std::string_view kV17Schema = "";

}  // namespace gatehouse::storage::migrations
