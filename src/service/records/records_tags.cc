// Tags of leads, contacts and companies: the catalog use cases of RecordService and the tag
// changes of record writes (records_crud.cc calls ApplyTags; EmbedTags renders them).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "base/text.h"
#include "service/json_text.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

std::string TagValue(std::string_view name) {
  return Dump(json::array({{{"tag", {{"name", name}}}}}));
}

// The catalog's tag named `name`, if any.
Result<std::optional<storage::Tag>> FindByName(const storage::AccountReader& reader,
                                               domain::DataSet entity_type,
                                               const std::string& name) {
  const storage::TagQuery query{.name = name, .limit = 1};
  GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> found, reader.ListTags(entity_type, query));
  if (found.empty()) return std::optional<storage::Tag>();
  return std::optional<storage::Tag>(std::move(found.front()));
}

// The tags `refs` name, in order: ids must be in the catalog, names missing from it are
// created (create_missing; else skipped: removing a tag the catalog lacks changes nothing).
Result<std::vector<storage::Tag>> Resolve(storage::AccountWriter& w, const Caller& caller,
                                          std::int64_t now, domain::DataSet entity_type,
                                          const std::vector<TagRef>& refs, bool create_missing) {
  std::vector<storage::Tag> out;
  for (const TagRef& ref : refs) {
    if (ref.id != 0) {
      const storage::TagQuery query{.ids = {ref.id}, .limit = 1};
      GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> found, w.ListTags(entity_type, query));
      if (found.empty()) {
        return Status::FieldNotFound(ref.path + ".id", "tag", ref.id);
      }
      out.push_back(std::move(found.front()));
      continue;
    }
    GH_ASSIGN_OR_RETURN(std::optional<storage::Tag> found, FindByName(w, entity_type, ref.name));
    if (found) {
      out.push_back(std::move(*found));
    } else if (create_missing) {
      GH_ASSIGN_OR_RETURN(storage::Tag created, w.CreateTag(entity_type, {0, ref.name, ""}));
      GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                     {"tag_added", std::string(domain::DataSetName(entity_type)),
                                      created.id, "[]", TagValue(created.name)}));
      out.push_back(std::move(created));
    }
  }
  return out;
}

// May the caller name new tags of `data_set`: some record of it they may add or edit.
bool MayCreateTags(const Caller& caller, domain::DataSet data_set) {
  return !caller.policy->CompileFilter(caller.user_id, data_set, Action::kAdd).MatchesNothing() ||
         !caller.policy->CompileFilter(caller.user_id, data_set, Action::kEdit).MatchesNothing();
}

}  // namespace

namespace internal {

Status ApplyTags(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                 domain::DataSet entity_type, std::string_view kind, RecordId id,
                 const TagsInput& in, bool created) {
  std::vector<storage::Tag> before;
  if (!created) {
    const RecordId ids[] = {id};
    GH_ASSIGN_OR_RETURN(std::vector<storage::RecordTag> current, w.TagsOf(entity_type, ids));
    for (storage::RecordTag& t : current) before.push_back(std::move(t.tag));
  }
  std::vector<storage::Tag> after = before;
  if (in.set) {
    GH_ASSIGN_OR_RETURN(after, Resolve(w, caller, now, entity_type, *in.set, true));
  }
  GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> add,
                      Resolve(w, caller, now, entity_type, in.add, true));
  GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> remove,
                      Resolve(w, caller, now, entity_type, in.remove, false));
  after.insert(after.end(), add.begin(), add.end());
  std::set<std::int64_t> removed;
  for (const storage::Tag& t : remove) removed.insert(t.id);
  std::erase_if(after, [&](const storage::Tag& t) { return removed.contains(t.id); });
  std::set<std::int64_t> old_ids;
  std::set<std::int64_t> new_ids;
  for (const storage::Tag& t : before) old_ids.insert(t.id);
  std::vector<std::int64_t> ids;
  for (const storage::Tag& t : after) {
    if (new_ids.insert(t.id).second) ids.push_back(t.id);
  }
  if (old_ids == new_ids) return Status::Ok();
  GH_RETURN_IF_ERROR(w.SetRecordTags(entity_type, id, ids));
  std::set<std::int64_t> logged;
  for (const storage::Tag& t : after) {
    if (old_ids.contains(t.id) || !logged.insert(t.id).second) continue;
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now, {"entity_tag_added", std::string(kind), id, "[]", TagValue(t.name)}));
  }
  for (const storage::Tag& t : before) {
    if (new_ids.contains(t.id)) continue;
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now, {"entity_tag_deleted", std::string(kind), id, TagValue(t.name), "[]"}));
  }
  return Status::Ok();
}

}  // namespace internal

template <typename R>
Result<ListPage<storage::Tag>> RecordService::ListTags(const Caller& caller,
                                                       const storage::TagQuery& query) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::TagQuery ask = query;
  ask.limit = std::clamp(query.limit, 1, storage::kMaxPageLimit) + 1;
  GH_ASSIGN_OR_RETURN(
      std::vector<storage::Tag> tags,
      store_.Reader(caller.account_id).ListTags(storage::RecordTraits<R>::kDataSet, ask));
  ListPage<storage::Tag> page{.has_next = static_cast<int>(tags.size()) >= ask.limit};
  if (page.has_next) tags.pop_back();
  page.items = std::move(tags);
  return page;
}

template <typename R>
Result<std::vector<storage::Tag>> RecordService::AddTags(const Caller& caller,
                                                         std::span<const NewTag> items,
                                                         FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  using Traits = storage::RecordTraits<R>;
  if (!MayCreateTags(caller, Traits::kDataSet)) {
    return Status::Denied(std::string("adding ") + std::string(Traits::kPlural) +
                          " tags needs a right to add or edit " + std::string(Traits::kPlural));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].color.empty() && !base::IsHexColor(items[i].color)) {
      if (failed != nullptr) *failed = i;
      return Status::InvalidField("color", "InvalidValue",
                                  "color must be six hexadecimal digits (e.g. \"DDEBB5\")");
    }
  }
  const std::int64_t now = clock_.NowSeconds();
  const std::string entity(domain::DataSetName(Traits::kDataSet));
  return WriteBatch<storage::Tag>(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::Tag> {
        GH_ASSIGN_OR_RETURN(storage::Tag tag,
                            w.CreateTag(Traits::kDataSet, {0, items[i].name, items[i].color}));
        GH_RETURN_IF_ERROR(
            RecordEvent(w, caller, now, {"tag_added", entity, tag.id, "[]", TagValue(tag.name)}));
        return tag;
      });
}

template <typename R>
Status RecordService::DeleteTags(const Caller& caller, std::span<const std::int64_t> ids,
                                 FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  using Traits = storage::RecordTraits<R>;
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "delete tags"));
  const std::int64_t now = clock_.NowSeconds();
  const std::string entity(domain::DataSetName(Traits::kDataSet));
  return store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    return ForEachItem(ids.size(), failed, [&](std::size_t i) -> Status {
      const storage::TagQuery query{.ids = {ids[i]}, .limit = 1};
      GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> found, w.ListTags(Traits::kDataSet, query));
      if (found.empty()) {
        return Status::FieldNotFound("id", "tag", ids[i]);
      }
      GH_RETURN_IF_ERROR(w.DeleteTag(Traits::kDataSet, ids[i]));
      return RecordEvent(w, caller, now,
                         {"tag_deleted", entity, ids[i], TagValue(found.front().name), "[]"});
    });
  });
}

// One line per tagged kind.
#define GATEHOUSE_TAGGED_KIND(R)                                                             \
  template Result<ListPage<storage::Tag>> RecordService::ListTags<R>(                        \
      const Caller&, const storage::TagQuery&) const;                                        \
  template Result<std::vector<storage::Tag>> RecordService::AddTags<R>(                      \
      const Caller&, std::span<const NewTag>, FailedItem) const;                             \
  template Status RecordService::DeleteTags<R>(const Caller&, std::span<const std::int64_t>, \
                                               FailedItem) const;
GATEHOUSE_TAGGED_KIND(storage::Lead)
GATEHOUSE_TAGGED_KIND(storage::Contact)
GATEHOUSE_TAGGED_KIND(storage::Company)
GATEHOUSE_TAGGED_KIND(storage::Customer)
#undef GATEHOUSE_TAGGED_KIND

}  // namespace gatehouse::service
