// Tags of records (migration 13): each account's catalog per entity type and the tags each
// record carries.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/sql_terms.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// What the caller's filters (CallerFilters) may read of a tag catalog: id and name.
constexpr TableTraits kTagTable{.table = "tags"};

}  // namespace

Result<std::vector<Tag>> AccountReader::ListTags(domain::DataSet entity_type,
                                                 const TagQuery& query) const {
  std::string sql =
      "SELECT " + TagCodec::Columns() + " FROM tags WHERE account_id = ? AND entity_type = ?";
  Params params{Int(account_id_), DataSetText(entity_type)};
  // The records' id and text filters, so that the catalog's query matches as a record list's does.
  GH_ASSIGN_OR_RETURN(SqlCondition filters,
                      CallerFilters(kTagTable, ListQuery{.ids = query.ids, .text = query.text}));
  sql += filters.sql;
  params.insert(params.end(), filters.params.begin(), filters.params.end());
  if (!query.name.empty()) {
    sql += " AND name = ?";
    params.push_back(Text(query.name));
  }
  const int limit = std::clamp(query.limit, 1, kMaxPageLimit + 1);
  sql += " ORDER BY id LIMIT ?";
  params.push_back(Int(limit));
  const std::int64_t offset =
      static_cast<std::int64_t>(std::max(query.page, 1) - 1) * std::min(limit, kMaxPageLimit);
  if (offset > 0) {
    sql += " OFFSET ?";
    params.push_back(Int(offset));
  }
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<Tag>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    return TagCodec::FromRows(rows);
  });
}

Result<std::vector<RecordTag>> AccountReader::TagsOf(domain::DataSet entity_type,
                                                     std::span<const RecordId> ids) const {
  std::vector<RecordTag> out;
  if (ids.empty()) return out;
  std::string sql =
      "SELECT rt.record_id, " + TagCodec::Columns("t") +
      " FROM record_tags AS rt JOIN tags AS t ON "
      "t.id = rt.tag_id WHERE rt.account_id = ? AND rt.entity_type = ? AND rt.record_id IN (" +
      Placeholders(ids.size()) + ") ORDER BY rt.record_id, t.id";
  Params params{Int(account_id_), DataSetText(entity_type)};
  for (RecordId id : ids) params.push_back(Int(id));
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<RecordTag>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    out.reserve(rows.rows.size());
    for (const auto& row : rows.rows) {
      out.push_back({sql::AsInt(row[0]), TagCodec::FromRow(row, 1)});
    }
    return out;
  });
}

Result<Tag> AccountWriter::CreateTag(domain::DataSet entity_type, const Tag& input) {
  if (input.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  // Looked up first: on PostgreSQL a unique violation would abort the whole transaction.
  GH_ASSIGN_OR_RETURN(
      sql::Rows existing,
      fixed_->Query("SELECT id FROM tags WHERE account_id = ? AND entity_type = ? AND name = ?",
                    Params{Int(account_id_), DataSetText(entity_type), Text(input.name)}));
  if (!existing.empty()) {
    return Status::InvalidField("name", "AlreadyExists",
                                "a tag named \"" + input.name + "\" exists already");
  }
  Tag tag = input;
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO tags (account_id, entity_type, name, color) "
                                    "VALUES (?, ?, ?, ?) RETURNING id",
                                    Params{Int(account_id_), DataSetText(entity_type),
                                           Text(tag.name), Text(tag.color)}));
  tag.id = sql::AsInt(rows.rows.at(0).at(0));
  return tag;
}

Status AccountWriter::SetRecordTags(domain::DataSet entity_type, RecordId id,
                                    std::span<const std::int64_t> tag_ids) {
  GH_RETURN_IF_ERROR(fixed_
                         ->Execute("DELETE FROM record_tags WHERE account_id = ? AND "
                                   "entity_type = ? AND record_id = ?",
                                   Params{Int(account_id_), DataSetText(entity_type), Int(id)})
                         .status());
  std::vector<std::int64_t> distinct(tag_ids.begin(), tag_ids.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.empty()) return Status::Ok();
  std::string sql = "INSERT INTO record_tags (account_id, entity_type, record_id, tag_id) VALUES ";
  Params params;
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    sql += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
    params.push_back(Int(account_id_));
    params.push_back(DataSetText(entity_type));
    params.push_back(Int(id));
    params.push_back(Int(distinct[i]));
  }
  return fixed_->Execute(sql, params).status();
}

Status AccountWriter::DeleteTag(domain::DataSet entity_type, std::int64_t id) {
  const Params params{Int(account_id_), DataSetText(entity_type), Int(id)};
  GH_ASSIGN_OR_RETURN(
      std::int64_t deleted,
      fixed_->Execute("DELETE FROM tags WHERE account_id = ? AND entity_type = ? AND id = ?",
                      params));
  if (deleted == 0) return Status::NotFound("tag", id);
  return fixed_
      ->Execute("DELETE FROM record_tags WHERE account_id = ? AND entity_type = ? AND tag_id = ?",
                params)
      .status();
}

}  // namespace gatehouse::storage
