// Appending to the activity log (SPEC §5) inside the transaction of the change it records.
//
// Event ids are 26 lower-case Crockford base32 characters like Kommo's (a ULID: 48 bits of
// milliseconds then 80 random bits), so they sort by time. value_before/value_after are JSON
// text built by the caller (arrays in Kommo's shape for entity events).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "service/caller.h"
#include "storage/store.h"

namespace gatehouse::service {

std::string NewEventId(std::int64_t now_ms);

struct EventSpec {
  std::string type{};         // "lead_added", "user_rights_changed", "login_failed", ...
  std::string entity_type{};  // "lead", "user", "role", "group", "pipeline", "session", ...
  std::int64_t entity_id = 0;
  std::string value_before_json = "[]";
  std::string value_after_json = "[]";
};

// Appends `spec` as done by `caller` at `now` (unix seconds) through `writer`.
base::Status RecordEvent(storage::AccountWriter& writer, const Caller& caller, std::int64_t now,
                         EventSpec spec);

}  // namespace gatehouse::service
