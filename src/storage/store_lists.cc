// Lists (catalogs) and their items: the Lists feature, no per-record rights.
#include <algorithm>
#include <span>
#include <string>
#include <string_view>

#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::array kListFields{Field("name", &List::name), Field("sort", &List::sort),
                                 Field("created_at", &List::created_at)};
using ListCodec = RowCodec<List, kListFields>;

constexpr std::array kItemFields{Field("list_id", &ListItem::list_id),
                                 Field("name", &ListItem::name),
                                 Field("custom_fields", &ListItem::custom_fields_json),
                                 Field("created_by", &ListItem::created_by),
                                 Field("created_at", &ListItem::created_at),
                                 Field("updated_at", &ListItem::updated_at)};
using ItemCodec = RowCodec<ListItem, kItemFields>;

// What the caller's filters (CallerFilters) may read of list_items: id and name, nothing else.
constexpr TableTraits kItemTable{.table = "list_items"};

}  // namespace

Result<std::vector<List>> AccountReader::ListLists() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<storage::List>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + ListCodec::Columns() +
                                    " FROM lists WHERE account_id = ? ORDER BY sort, id",
                                params));
    return ListCodec::FromRows(rows);
  });
}

Result<std::vector<ListItem>> AccountReader::ListItems(std::int64_t list_id, int limit, int page,
                                                       std::span<const RecordId> ids,
                                                       std::string_view text) const {
  // The records' id and text filters, so that a list's query matches as theirs does.
  const ListQuery filter{.ids = {ids.begin(), ids.end()}, .text = std::string(text)};
  GH_ASSIGN_OR_RETURN(SqlCondition filters, CallerFilters(kItemTable, filter));
  const PageWindow window = WindowOf(limit, page);
  Params params{Int(account_id_), Int(list_id)};
  params.insert(params.end(), filters.params.begin(), filters.params.end());
  params.push_back(Int(window.limit));
  params.push_back(Int(window.offset));
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ListItem>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + ItemCodec::Columns() +
                                    " FROM list_items WHERE account_id = ? AND list_id = ?" +
                                    filters.sql + " ORDER BY id LIMIT ? OFFSET ?",
                                params));
    return ItemCodec::FromRows(rows);
  });
}

Result<ListItem> AccountReader::GetListItem(std::int64_t list_id, RecordId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<ListItem> {
    Params params{Int(account_id_), Int(list_id), Int(id)};
    GH_ASSIGN_OR_RETURN(std::vector<Value> r,
                        QueryRow(c,
                                 "SELECT " + ItemCodec::Columns() +
                                     " FROM list_items WHERE account_id = ? AND list_id = ? AND "
                                     "id = ?",
                                 params, "list item"));
    return ItemCodec::FromRow(r);
  });
}

Result<List> AccountWriter::CreateList(std::string_view name, int sort) {
  if (name.empty()) return Status::InvalidField("name", "Required", "list name is required");
  return InsertRow<ListCodec>(*fixed_, "lists", account_id_,
                              storage::List{0, std::string(name), sort, Now()});
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
  return InsertRow<ItemCodec>(*fixed_, "list_items", account_id_, std::move(item));
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
