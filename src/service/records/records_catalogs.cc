// RecordService: Lists (Kommo's catalogs). Access is the Lists feature switch, not a
// per-record right; the lists themselves are settings and belong to administrators.
#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

Status RequireLists(const Caller& caller) {
  return RequireFeature(caller, domain::Feature::kLists,
                        "catalog_access is false: the Lists feature is not allowed");
}

// List `list_id` of the account, or kNotFound.
Result<storage::List> FindList(const storage::AccountReader& reader, std::int64_t list_id) {
  GH_ASSIGN_OR_RETURN(std::vector<storage::List> lists, reader.ListLists());
  for (storage::List& list : lists) {
    if (list.id == list_id) return std::move(list);
  }
  return Status::NotFound("catalog", list_id);
}

Status RequireList(const storage::AccountReader& reader, std::int64_t list_id) {
  return FindList(reader, list_id).status();
}

// A batch write on the elements of list `list_id`: one transaction in which `write_one(w, i)`
// handles item i and returns the element as stored; all or nothing, the failing item reported.
template <typename WriteOne>
Result<std::vector<storage::ListItem>> WriteElements(storage::Store& store, const Caller& caller,
                                                     std::int64_t list_id, std::size_t count,
                                                     FailedItem failed, WriteOne write_one) {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  return store.WriteResult(
      caller.account_id, [&](storage::AccountWriter& w) -> Result<std::vector<storage::ListItem>> {
        GH_RETURN_IF_ERROR(RequireList(w, list_id));
        return CollectItems<storage::ListItem>(count, failed,
                                               [&](std::size_t i) { return write_one(w, i); });
      });
}

// [{"catalog_element": {"catalog_id", and the fields `change` names}}] of `item`.
std::string ElementValue(const storage::ListItem& item, const ListItemUpdate& change) {
  using nlohmann::json;
  json value = {{"catalog_id", item.list_id}};
  if (change.name) value["name"] = item.name;
  if (change.custom_fields_json) {
    json fields = nullptr;
    if (!item.custom_fields_json.empty()) {
      fields = json::parse(item.custom_fields_json, nullptr, /*allow_exceptions=*/false);
      if (fields.is_discarded()) fields = nullptr;
    }
    value["custom_fields_values"] = std::move(fields);
  }
  return Dump(json::array({{{"catalog_element", std::move(value)}}}));
}

}  // namespace

Result<std::vector<storage::List>> RecordService::ListCatalogs(const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  return store_.Reader(caller.account_id).ListLists();
}

Result<storage::List> RecordService::GetCatalog(const Caller& caller, std::int64_t list_id) const {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  return FindList(store_.Reader(caller.account_id), list_id);
}

Result<storage::ListItem> RecordService::GetCatalogElement(const Caller& caller,
                                                           std::int64_t list_id,
                                                           RecordId element_id) const {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_RETURN_IF_ERROR(RequireList(reader, list_id));
  Result<storage::ListItem> item = reader.GetListItem(list_id, element_id);
  if (!item.ok())
    return base::NotFoundAs(item.status(), Status::NotFound("catalog element", element_id));
  return item;
}

Result<std::vector<storage::List>> RecordService::AddCatalogs(
    const Caller& caller, std::span<const CatalogInput> catalogs, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "create catalogs"));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch<storage::List>(
      store_, caller.account_id, catalogs.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::List> {
        const CatalogInput& in = catalogs[i];
        if (in.name.empty()) return Status::InvalidField("name", "Required", "name is required");
        GH_ASSIGN_OR_RETURN(
            storage::List list,
            w.CreateList(in.name, in.sort.value_or(static_cast<int>((i + 1) * 10))));
        GH_RETURN_IF_ERROR(
            RecordEvent(w, caller, now, {"catalog_added", "catalog", list.id, "[]", "[]"}));
        return list;
      });
}

Result<ListPage<storage::ListItem>> RecordService::ListCatalogElements(
    const Caller& caller, std::int64_t list_id, int limit, int page, std::span<const RecordId> ids,
    std::string_view text) const {
  GH_RETURN_IF_ERROR(RequireLists(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_RETURN_IF_ERROR(RequireList(reader, list_id));
  ListPage<storage::ListItem> out;
  GH_ASSIGN_OR_RETURN(out.items, reader.ListItems(list_id, limit, page, ids, text));
  // One row at offset page*limit of the same filtered items tells whether a next page exists.
  GH_ASSIGN_OR_RETURN(std::vector<storage::ListItem> after,
                      reader.ListItems(list_id, 1, page * limit + 1, ids, text));
  out.has_next = !after.empty();
  return out;
}

Result<std::vector<storage::ListItem>> RecordService::AddCatalogElements(
    const Caller& caller, std::int64_t list_id, std::span<const ListItemInput> items,
    FailedItem failed) const {
  const std::int64_t now = clock_.NowSeconds();
  return WriteElements(
      store_, caller, list_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::ListItem> {
        if (items[i].name.empty()) {
          return Status::InvalidField("name", "Required", "name is required");
        }
        const storage::ListItem item{.list_id = list_id,
                                     .name = items[i].name,
                                     .custom_fields_json = items[i].custom_fields_json,
                                     .created_by = caller.user_id,
                                     .created_at = now,
                                     .updated_at = now};
        GH_ASSIGN_OR_RETURN(storage::ListItem created, w.CreateListItem(item));
        // The list travels in the value: filter[entity]=catalog_{id} selects by it.
        GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                       {"catalog_element_added", "catalog_element", created.id,
                                        "[]", ElementValue(created, ListItemUpdate{})}));
        return created;
      });
}

Result<std::vector<storage::ListItem>> RecordService::UpdateCatalogElements(
    const Caller& caller, std::int64_t list_id, std::span<const ListItemUpdate> items,
    FailedItem failed) const {
  const std::int64_t now = clock_.NowSeconds();
  return WriteElements(
      store_, caller, list_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::ListItem> {
        const ListItemUpdate& change = items[i];
        Result<storage::ListItem> old = w.GetListItem(list_id, change.id);
        if (!old.ok()) {
          // An element of another list or account is as unknown as a missing one.
          return base::NotFoundAs(
              old.status(),
              Status::InvalidField("id", "NotFound",
                                   "catalog element " + std::to_string(change.id) +
                                       " not found in catalog " + std::to_string(list_id)));
        }
        if (change.name && change.name->empty()) {
          return Status::InvalidField("name", "Required", "name must be a non-empty string");
        }
        storage::ListItem item = *old;
        if (change.name) item.name = *change.name;
        if (change.custom_fields_json) item.custom_fields_json = *change.custom_fields_json;
        item.updated_at = now;
        GH_RETURN_IF_ERROR(w.UpdateListItem(item));
        GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                       {"catalog_element_updated", "catalog_element", item.id,
                                        ElementValue(*old, change), ElementValue(item, change)}));
        return item;
      });
}

}  // namespace gatehouse::service
