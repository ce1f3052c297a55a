// Lists (catalogs) and their items: the Lists feature, no per-record rights.
#include <algorithm>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::vector<List>> AccountReader::ListLists() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<storage::List>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT id, name, sort, created_at FROM lists WHERE account_id = "
                                "? ORDER BY sort, id",
                                params));
    std::vector<storage::List> out;
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsText(r[1]), sql::AsInt(r[2]), sql::AsInt(r[3])});
    }
    return out;
  });
}

Result<std::vector<ListItem>> AccountReader::ListItems(std::int64_t list_id, int limit,
                                                       int page) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ListItem>> {
    const int n = std::clamp(limit, 1, kMaxPageLimit);
    Params params{Int(account_id_), Int(list_id), Int(n),
                  Int(static_cast<std::int64_t>(std::max(page, 1) - 1) * n)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT id, list_id, name, custom_fields, created_by, created_at, "
                                "updated_at FROM list_items WHERE account_id = ? AND list_id = ? "
                                "ORDER BY id LIMIT ? OFFSET ?",
                                params));
    std::vector<ListItem> out;
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsText(r[2]), sql::AsText(r[3]),
                     sql::AsInt(r[4]), sql::AsInt(r[5]), sql::AsInt(r[6])});
    }
    return out;
  });
}

Result<ListItem> AccountReader::GetListItem(std::int64_t list_id, RecordId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<ListItem> {
    Params params{Int(account_id_), Int(list_id), Int(id)};
    GH_ASSIGN_OR_RETURN(std::vector<Value> r,
                        QueryRow(c,
                                 "SELECT id, list_id, name, custom_fields, created_by, created_at, "
                                 "updated_at FROM list_items WHERE account_id = ? AND list_id = ? "
                                 "AND id = ?",
                                 params, "list item"));
    return ListItem{sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsText(r[2]), sql::AsText(r[3]),
                    sql::AsInt(r[4]), sql::AsInt(r[5]), sql::AsInt(r[6])};
  });
}

Result<List> AccountWriter::CreateList(std::string_view name, int sort) {
  if (name.empty()) return Status::InvalidField("name", "Required", "list name is required");
  storage::List list{0, std::string(name), sort, Now()};
  Params params{Int(account_id_), Text(list.name), Int(sort), Int(list.created_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO lists (account_id, name, sort, created_at) "
                                    "VALUES (?, ?, ?, ?) RETURNING id",
                                    params));
  list.id = sql::AsInt(rows.rows.at(0).at(0));
  return list;
}

Result<ListItem> AccountWriter::CreateListItem(const ListItem& input) {
  ListItem item = input;
  Params check{Int(account_id_), Int(item.list_id)};
  GH_ASSIGN_OR_RETURN(sql::Rows lists,
                      fixed_->Query("SELECT id FROM lists WHERE account_id = ? AND id = ?", check));
  if (lists.empty()) return Status::NotFound("list not found");
  if (item.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  if (item.created_at == 0) item.created_at = Now();
  if (item.updated_at == 0) item.updated_at = item.created_at;
  Params params{Int(account_id_),     Int(item.list_id),
                Text(item.name),      Text(item.custom_fields_json),
                Int(item.created_by), Int(item.created_at),
                Int(item.updated_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO list_items (account_id, list_id, name, "
                                    "custom_fields, created_by, created_at, updated_at) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    params));
  item.id = sql::AsInt(rows.rows.at(0).at(0));
  return item;
}

Status AccountWriter::UpdateListItem(const ListItem& item) {
  if (item.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  Params params{Text(item.name),      Text(item.custom_fields_json),
                Int(item.updated_at), Int(account_id_),
                Int(item.list_id),    Int(item.id)};
  // The list is part of the key: an item of another list is as missing as one of another
  // account.
  return ExecuteOne(*fixed_,
                    "UPDATE list_items SET name = ?, custom_fields = ?, updated_at = ? WHERE "
                    "account_id = ? AND list_id = ? AND id = ?",
                    params, "list item");
}

}  // namespace gatehouse::storage
