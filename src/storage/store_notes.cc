// Notes (migration 14): listed through their record's permission predicate, as the Shared
// Inbox lists conversations (store_talks.cc).
//
// Shape of a page (values bound; the text depends only on the query's shape):
//   SELECT <note columns> FROM notes AS n
//   WHERE n.account_id = ? AND n.entity_type = ? [AND n.id IN (...)] [AND n.entity_id IN (...)]
//     [AND n.note_type IN (...)] [AND n.updated_at >= ?] [AND n.updated_at <= ?]
//     AND EXISTS (SELECT 1 FROM <records> AS r WHERE r.account_id = n.account_id
//                 AND r.id = n.entity_id [AND <permission>])
//   ORDER BY n.<order>, n.id LIMIT ? OFFSET ?
// The permission SQL (PermissionCondition, the one the record lists use) names its columns
// unqualified; inside the subquery they bind to the innermost table, the record.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::string_view kNoteColumns =
    "n.id, n.entity_type, n.entity_id, n.note_type, n.params, n.responsible_user_id, "
    "n.created_by, n.updated_by, n.created_at, n.updated_at";

// A note's responsible user must be an active user of the account ("responsible_user_id",
// NotFound, for a missing user and a deactivated one alike).
Status CheckActiveUser(sql::Connection& c, AccountId account, UserId user) {
  Params params{Int(account), Int(user)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT is_active FROM users WHERE account_id = ? AND id = ?", params));
  if (rows.empty() || sql::AsInt(rows.rows[0][0]) == 0) {
    return Status::InvalidField(
        "responsible_user_id", "NotFound",
        "user " + std::to_string(user) + " is not an active user of this account");
  }
  return Status::Ok();
}

// The record table of the kinds that carry notes (the attachable ones); nullptr for any other.
const TableTraits* RecordTableOf(domain::DataSet entity_type) {
  if (!domain::IsAttachable(entity_type)) return nullptr;
  return VisitRecordKind(
      entity_type, []<typename R>() -> const TableTraits* { return &RecordTraits<R>::kTable; });
}

Status UnknownEntityType(domain::DataSet entity_type) {
  return Status::InvalidField("entity_type", "NotSupportedChoice",
                              "notes belong to " + domain::AttachableNames() + ", not " +
                                  std::string(domain::DataSetName(entity_type)));
}

Result<Note> NoteFromRow(const std::vector<Value>& row) {
  RowReader r(row);
  Note n{.id = r.Int()};
  const std::string kind = r.Text();
  const std::optional<domain::DataSet> entity_type = domain::AttachableDataSetFromName(kind);
  if (!entity_type) {
    return Status::Error(Code::kInternal, "note " + std::to_string(n.id) +
                                              " has an unknown entity_type '" + kind + "'");
  }
  n.entity_type = *entity_type;
  n.entity_id = r.Int();
  n.note_type = r.Text();
  n.params_json = r.Text();
  n.responsible_user_id = r.Int();
  n.created_by = r.Int();
  n.updated_by = r.Int();
  n.created_at = r.Int();
  n.updated_at = r.Int();
  return n;
}

Result<Page<Note>> ListNotes(sql::Connection& c, AccountId account, const NoteQuery& query) {
  const TableTraits* table = RecordTableOf(query.entity_type);
  if (table == nullptr) return UnknownEntityType(query.entity_type);
  Page<Note> page;
  const SqlCondition permission = PermissionCondition(query.permission, table->stages);
  if (permission.matches_nothing) return page;
  Where where{"n.account_id = ? AND n.entity_type = ?",
              {Int(account), DataSetText(query.entity_type)}};
  where.AddIn("n.id", query.ids);
  where.AddIn("n.entity_id", query.entity_ids);
  where.AddIn("n.note_type", query.note_types);
  where.AddRange("n.updated_at", query.updated_at);
  std::string sql = "SELECT " + std::string(kNoteColumns) + " FROM notes AS n WHERE " + where.sql;
  Params params = std::move(where.params);
  sql += " AND EXISTS (SELECT 1 FROM " + std::string(table->table) +
         " AS r WHERE r.account_id = n.account_id AND r.id = n.entity_id";
  if (!permission.sql.empty()) sql += " AND " + permission.sql;
  params.insert(params.end(), permission.params.begin(), permission.params.end());
  sql += ")";
  const std::string direction = query.order_direction == OrderDirection::kDesc ? " DESC" : "";
  sql += " ORDER BY n." + std::string(OrderColumn(query.order_field)) + direction + ", n.id" +
         direction + " LIMIT ?";
  const auto [limit, offset] = WindowOf(query.limit, query.page);
  params.push_back(Int(limit + 1));
  if (offset > 0) {
    sql += " OFFSET ?";
    params.push_back(Int(offset));
  }
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.QueryPlannedWithValues(sql, params));
  for (const auto& row : rows.rows) {
    GH_ASSIGN_OR_RETURN(Note note, NoteFromRow(row));
    page.items.push_back(std::move(note));
  }
  CutToLimit(page, limit, [&](const Note& last) { return CursorValue(last, query.order_field); });
  return page;
}

}  // namespace

Result<Page<Note>> AccountReader::ListVisibleNotes(const NoteQuery& query) const {
  return WithConnection([&](sql::Connection& c) { return ListNotes(c, account_id_, query); });
}

Result<Note> AccountReader::GetNote(domain::DataSet entity_type, RecordId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<Note> {
    Params params{Int(account_id_), DataSetText(entity_type), Int(id)};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT " + std::string(kNoteColumns) +
                                               " FROM notes AS n WHERE n.account_id = ? AND "
                                               "n.entity_type = ? AND n.id = ?",
                                           params, "note"));
    return NoteFromRow(row);
  });
}

Result<Note> AccountWriter::CreateNote(const Note& input) {
  Note note = input;
  const TableTraits* table = RecordTableOf(note.entity_type);
  if (table == nullptr) return UnknownEntityType(note.entity_type);
  Params record{Int(account_id_), Int(note.entity_id)};
  GH_ASSIGN_OR_RETURN(sql::Rows found, fixed_->Query("SELECT id FROM " + std::string(table->table) +
                                                         " WHERE account_id = ? AND id = ?",
                                                     record));
  if (found.empty()) {
    return Status::InvalidField("entity_id", "NotFound",
                                "the note's record does not exist in this account");
  }
  if (note.responsible_user_id != 0) {
    GH_RETURN_IF_ERROR(CheckActiveUser(*fixed_, account_id_, note.responsible_user_id));
  }
  if (note.created_at == 0) note.created_at = Now();
  if (note.updated_at == 0) note.updated_at = note.created_at;
  Params params{Int(account_id_),     DataSetText(note.entity_type), Int(note.entity_id),
                Text(note.note_type), Text(note.params_json),        Int(note.responsible_user_id),
                Int(note.created_by), Int(note.updated_by),          Int(note.created_at),
                Int(note.updated_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO notes (account_id, entity_type, entity_id, "
                                    "note_type, params, responsible_user_id, created_by, "
                                    "updated_by, created_at, updated_at) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    params));
  note.id = sql::AsInt(rows.rows.at(0).at(0));
  return note;
}

Status AccountWriter::UpdateNote(const Note& note) {
  GH_ASSIGN_OR_RETURN(Note old, GetNote(note.entity_type, note.id));
  if (note.responsible_user_id != 0 && note.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckActiveUser(*fixed_, account_id_, note.responsible_user_id));
  }
  Params params{Text(note.note_type),          Text(note.params_json),
                Int(note.responsible_user_id), Int(note.updated_by),
                Int(note.updated_at),          Int(account_id_),
                DataSetText(note.entity_type), Int(note.id)};
  return ExecuteOne(*fixed_,
                    "UPDATE notes SET note_type = ?, params = ?, responsible_user_id = ?, "
                    "updated_by = ?, updated_at = ? WHERE account_id = ? AND entity_type = ? AND "
                    "id = ?",
                    params, "note");
}

Status AccountWriter::DeleteNotesOf(domain::DataSet entity_type, RecordId id) {
  Params params{Int(account_id_), DataSetText(entity_type), Int(id)};
  return fixed_
      ->Execute("DELETE FROM notes WHERE account_id = ? AND entity_type = ? AND entity_id = ?",
                params)
      .status();
}

}  // namespace gatehouse::storage
