// The row of the activity log (events), a link of the account's hash chain (event_chain.h).
#pragma once

#include <cstdint>
#include <string>

#include "storage/row_ids.h"

namespace gatehouse::storage {

// One activity-log entry. `id` is a ULID-like text key that sorts by time. prev_hash/hash are
// empty until the hash chain fills them (audit/).
struct EventRow {
  std::string id{};
  std::int64_t created_at = 0;
  UserId actor_user_id = 0;  // 0: system
  std::string actor_ip{};
  std::string type{};  // "lead_added", "user_rights_changed", ...
  std::string entity_type{};
  std::int64_t entity_id = 0;
  std::string value_before_json{};
  std::string value_after_json{};
  std::string prev_hash{};
  std::string hash{};
  std::int64_t seq = 0;  // position in the account's hash chain (0: written before the chain)
  bool operator==(const EventRow&) const = default;
};

}  // namespace gatehouse::storage
