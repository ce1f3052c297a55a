// Helpers shared by the admin service .cc files only (includes nlohmann; never include it from
// a public header).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/account.h"
#include "service/admin.h"
#include "service/events.h"

namespace gatehouse::service::internal {

// Rights as the activity log records them: {"leads": {"view": "A", ...}, ...,
// "status_rights": [{"pipeline_id", "status_id", "rights": {...}}], "mail_access", ...}.
nlohmann::json RightsEventJson(const domain::Rights& rights);

// Kommo's value_before/value_after shape: [{key: value}].
std::string Wrap(std::string_view key, const nlohmann::json& value);

// Appends an event of `type` about (`entity_type`, `id`) with before/after objects under `key`.
base::Status Record(storage::AccountWriter& writer, const Caller& caller, std::int64_t now,
                    std::string type, std::string entity_type, std::int64_t id,
                    std::string_view key, const nlohmann::json& before,
                    const nlohmann::json& after);

// Counts UTF-8 code points.
std::size_t CodePoints(std::string_view text);

// kInvalidArgument at `path` unless `name` has a non-space character and at most `max` code
// points.
base::Status CheckName(std::string_view name, std::string path, std::size_t max);

}  // namespace gatehouse::service::internal
