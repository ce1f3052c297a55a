// Helpers shared by the admin service .cc files only (includes nlohmann; never include it from
// a public header).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/account.h"
#include "service/admin/admin.h"
#include "service/events.h"

namespace gatehouse::service::internal {

// Rights as the activity log records them: {"leads": {"view": "A", ...}, ...,
// "status_rights": [{"pipeline_id", "status_id", "rights": {...}}], "mail_access", ...,
// "custom_fields_rights" when a field is restricted}: storage::RightsToJson's text.
nlohmann::json RightsEventJson(const domain::Rights& rights);

// The kInvalidArgument of a failed batch (its only error's "path: detail" as the message, or
// "Request validation failed"); fills `out` with the items' errors when given.
base::Status BatchInvalid(std::vector<ItemErrors> failed, std::vector<ItemErrors>* out);

// Applies `prune` (which returns whether it changed the rights) to every role (and so its
// holders) and to every user without a role, storing what changed through `w`.
base::Status PruneRights(storage::AccountWriter& w,
                         const std::function<bool(domain::Rights&)>& prune);

// How a batch item's errors name it: the request_id the client sent, else its index.
inline std::string ItemId(const std::string& request_id, std::size_t index) {
  return request_id.empty() ? std::to_string(index) : request_id;
}

// kInvalidArgument at "body" unless a batch holds 1 to `max` items (`what`: "roles", ...), with
// the codes and words of the API's own batch limit (http/api/body_reader.h).
base::Status CheckBatchSize(std::size_t size, std::size_t max, std::string_view what);

// Appends the field errors of a failed `status` to an item's `errors`; a status without fields
// becomes one error with its message.
void AddError(std::vector<base::FieldError>& errors, const base::Status& status);

// kInvalidArgument at `path` unless `name` has a non-space character and at most `max` code
// points.
base::Status CheckName(std::string_view name, std::string path, std::size_t max);

// Whether the caller may see custom field `id` of `data_set` (its field rights).
inline bool CanViewField(const Caller& caller, domain::DataSet data_set, std::int64_t id) {
  return caller.policy && caller.policy->CanViewField(caller.user_id, data_set, id);
}

}  // namespace gatehouse::service::internal
