// Helpers shared by the records_*.cc files of RecordService. Not a public interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"
#include "domain/account.h"
#include "service/caller.h"
#include "service/events.h"
#include "storage/records.h"
#include "storage/store.h"

namespace gatehouse::service::internal {

// What the engine sees of each record type.
domain::RecordRef RefOf(const storage::Lead& lead);
domain::RecordRef RefOf(const storage::Contact& contact);
domain::RecordRef RefOf(const storage::Company& company);
domain::RecordRef RefOf(const storage::Task& task);
domain::RecordRef RefOf(const storage::IncomingLead& item);

// kNotFound "<what> <id> not found": the one answer for missing, invisible or foreign records.
base::Status NotFound(std::string_view what, std::int64_t id);

// OK when the caller's policy allows `action` on `record`, else kPermissionDenied whose
// message names the right and why it did not match, e.g.
// "leads.edit is M (if responsible) and you are not the responsible user".
base::Status Require(const Caller& caller, domain::Action action, const domain::RecordRef& record);

// kInternal unless the caller carries the policy of its own account (a wiring bug).
base::Status RequirePolicy(const Caller& caller);

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
    if (record.status().code() == base::Code::kNotFound) return NotFound(what, id);
    return record.status();
  }
  if (!CanView(caller, RefOf(*record))) return NotFound(what, id);
  return record;
}

// Kommo event value shapes, serialized.
std::string StatusValue(domain::PipelineId pipeline_id, domain::StatusId status_id);
std::string ResponsibleValue(domain::UserId user);
std::string NameValue(std::string_view name);
std::string SaleValue(std::int64_t price);
std::string LinkValue(std::string_view entity_type, std::int64_t id);
std::string TaskTextValue(std::string_view text);
std::string TaskDeadlineValue(std::int64_t timestamp);
std::string TaskResultValue(std::string_view text);
std::string ExportValue(std::string_view entity, std::int64_t rows);

// Appends one event; value arguments are serialized JSON arrays.
base::Status Log(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                 std::string type, std::string entity_type, std::int64_t entity_id,
                 std::string before = "[]", std::string after = "[]");

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

}  // namespace gatehouse::service::internal
