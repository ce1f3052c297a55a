// Helpers shared by the records_*.cc files of RecordService. Not a public interface.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/account.h"
#include "service/caller.h"
#include "service/events.h"
#include "service/records/records.h"
#include "storage/record_rows.h"
#include "storage/store.h"

namespace gatehouse::service::internal {

// What the engine sees of a record (storage::RecordTraits<R>::Ref).
template <typename R>
domain::RecordRef RefOf(const R& record) {
  return storage::RecordTraits<R>::Ref(record);
}
inline domain::RecordRef RefOf(const storage::LeadWithCompany& read) { return RefOf(read.lead); }
// A company known only by its responsible user (a lead's linked company).
domain::RecordRef CompanyRef(domain::UserId responsible_user_id);

// OK when the caller's policy allows `action` on `record`, else kPermissionDenied whose
// message names the right and why it did not match, e.g.
// "leads.edit is M (if responsible) and you are not the responsible user".
base::Status Require(const Caller& caller, domain::Action action, const domain::RecordRef& record);

// A lead created in a stage (POST, or an incoming lead accepted into it) obeys the stage rules
// a move into that stage obeys, except the responsible-user comparison (`add` is A or D, and
// a new lead may be handed to someone else): OK unless the caller's stage rights there deny
// editing it even as its responsible user; then kPermissionDenied naming the stage right.
base::Status RequireStageAdmitsNewLead(const Caller& caller, const storage::Lead& lead);

// kInternal unless the caller carries the policy of its own account (a wiring bug).
base::Status RequirePolicy(const Caller& caller);

// RequirePolicy, then kPermissionDenied "<denial>" unless the caller's rights allow `feature`.
base::Status RequireFeature(const Caller& caller, domain::Feature feature, std::string_view denial);

// True when the caller may view `record`.
bool CanView(const Caller& caller, const domain::RecordRef& record);

// The responsible user's group of every user of the account (for Kommo's group_id).
// The group of a record's responsible user, for rendering group_id: read from the caller's
// policy snapshot (current: it is rebuilt on every change of users), not from the store.
class Groups {
 public:
  static base::Result<Groups> Load(const Caller& caller);
  domain::GroupId Of(domain::UserId user) const;

 private:
  const policy::AccountPolicy* policy_ = nullptr;
};

// Loads a record for a write or a read: missing or not viewable -> NotFound.
template <typename R, typename Getter>
base::Result<R> LoadVisible(const Caller& caller, Getter get, std::string_view what,
                            std::int64_t id) {
  base::Result<R> record = get(id);
  if (!record.ok()) {
    if (record.status().code() == base::Code::kNotFound) return base::Status::NotFound(what, id);
    return record.status();
  }
  if (!CanView(caller, RefOf(*record))) return base::Status::NotFound(what, id);
  return record;
}

// Kommo event value shapes, serialized.
std::string StatusValue(domain::PipelineId pipeline_id, domain::StatusId status_id);
std::string CustomerStatusValue(std::int64_t status_id);  // [{"customer_status":{"id":S}}]
std::string ResponsibleValue(domain::UserId user);
std::string NameValue(std::string_view name);
std::string SaleValue(std::int64_t price);
std::string LinkValue(std::string_view entity_type, std::int64_t id);
std::string TaskTextValue(std::string_view text);
std::string TaskDeadlineValue(std::int64_t timestamp);
std::string TaskResultValue(std::string_view text);
std::string ExportValue(std::string_view entity, std::int64_t rows);

// Runs `fn(i)` for each index of a batch; on the first error stores the index in `failed`
// (when non-null) and returns the error.
template <typename Fn>
base::Status ForEachItem(std::size_t count, std::size_t* failed, Fn fn) {
  for (std::size_t i = 0; i < count; ++i) {
    base::Status status = fn(i);
    if (!status.ok()) {
      if (failed != nullptr) *failed = i;
      return status;
    }
  }
  return base::Status::Ok();
}

// ForEachItem for items that each make a T (`make(i)` answers a Result<T>): the Ts in item
// order, or the first failure.
template <typename T, typename Make>
base::Result<std::vector<T>> CollectItems(std::size_t count, std::size_t* failed, Make make) {
  std::vector<T> out;
  out.reserve(count);
  GH_RETURN_IF_ERROR(ForEachItem(count, failed, [&](std::size_t i) -> base::Status {
    GH_ASSIGN_OR_RETURN(T item, make(i));
    out.push_back(std::move(item));
    return base::Status::Ok();
  }));
  return out;
}

// LoadVisible for a record kind, read through `reader` (or a writer).
template <typename R>
base::Result<R> LoadVisibleRecord(const Caller& caller, const storage::AccountReader& reader,
                                  domain::RecordId id) {
  return LoadVisible<R>(
      caller, [&](domain::RecordId i) { return reader.Get<R>(i); }, storage::RecordTraits<R>::kName,
      id);
}

// Writes one new record of kind R through `w` as RecordService::Add writes each item: the
// kind's create right, references, custom field values, "<kind>_added", links and tags.
template <typename R>
base::Result<Written> AddRecord(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                                const Input<R>& in);

// Links contact `contact_id` (the main one or not) or company `company_id` to lead `lead_id`
// and logs "entity_linked". No rights are checked: the callers link records they just created.
base::Status LinkLeadContact(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                             domain::RecordId lead_id, domain::RecordId contact_id, bool main);
base::Status LinkLeadCompany(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                             domain::RecordId lead_id, domain::RecordId company_id);

// `status` about the record `index` a write embeds under `key` ("contacts", "companies"): its
// field paths and message prefixed with "_embedded.<key>.<index>.", so they say which one.
base::Status AtEmbedded(base::Status status, std::string_view key, std::size_t index);

// Deletes record `id` in one transaction: NotFound unless the caller may view it, Denied
// without the delete right on it; logs "<kind>_deleted".
template <typename R>
base::Status DeleteRecord(storage::Store& store, const base::Clock& clock, const Caller& caller,
                          domain::RecordId id) {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock.NowSeconds();
  return store.Write(caller.account_id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(R record, LoadVisibleRecord<R>(caller, w, id));
    GH_RETURN_IF_ERROR(Require(caller, domain::Action::kDelete, RefOf(record)));
    GH_RETURN_IF_ERROR(w.Delete<R>(id));
    const std::string kind(storage::RecordTraits<R>::kName);
    return RecordEvent(w, caller, now, {kind + "_deleted", kind, id, "[]", "[]"});
  });
}

// A batch write in one transaction: `write_one(w, i)` writes item i and returns what it
// wrote (a T). All or nothing; *failed (when not null) is the index of the item that failed.
template <typename T = Written, typename WriteOne>
base::Result<std::vector<T>> WriteBatch(storage::Store& store, domain::AccountId account,
                                        std::size_t count, std::size_t* failed,
                                        WriteOne write_one) {
  return store.WriteResult(account, [&](storage::AccountWriter& w) {
    return CollectItems<T>(count, failed, [&](std::size_t i) { return write_one(w, i); });
  });
}

// ---- tags (records_tags.cc) ----

// Applies a write's tag changes to record `id` of the tagged kind whose data set is
// `entity_type` (`kind` "lead" names it in events): resolves the tags named (an unknown id is
// kInvalidArgument at its path, code NotFound; a name missing from the catalog creates the
// tag), replaces/adds/removes, and logs "entity_tag_added" / "entity_tag_deleted" per tag
// whose presence changed (value {"tag": {"name"}}). `created`: the record is new (no tags yet).
// The caller has checked the right to edit (or create) the record.
base::Status ApplyTags(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                       domain::DataSet entity_type, std::string_view kind, domain::RecordId id,
                       const TagsInput& in, bool created);

// Fills RecordView::tags of each view from one statement.
template <typename R>
base::Status EmbedTags(const storage::AccountReader& reader, std::span<RecordView<R>> views) {
  if (views.empty()) return base::Status::Ok();
  std::vector<domain::RecordId> ids;
  std::unordered_map<domain::RecordId, RecordView<R>*> view_of;
  for (RecordView<R>& view : views) {
    ids.push_back(view.record.id);
    view_of[view.record.id] = &view;
  }
  GH_ASSIGN_OR_RETURN(std::vector<storage::RecordTag> tags,
                      reader.TagsOf(storage::RecordTraits<R>::kDataSet, ids));
  for (storage::RecordTag& t : tags) view_of.at(t.record_id)->tags.push_back(std::move(t.tag));
  return base::Status::Ok();
}

}  // namespace gatehouse::service::internal
