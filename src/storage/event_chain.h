// The activity log's hash chain: what one event's hash covers, and a walk that checks a whole
// chain. Storage computes both (the writer links each event as it appends it; Verify reads them
// back), so no layer above can write an event outside the chain. On PostgreSQL the append is one
// SQL statement that computes the same hash in the server (store_events.cc), so that it can
// travel with the commit; Verify recomputes every hash here.
//
// hash = hex SHA-256 over the event's fields in a fixed order, each as "<length>:<bytes>;"
// (so no two different events encode alike): account id, seq, id, created_at, actor_user_id,
// actor_ip, type, entity_type, entity_id, value_before, value_after, prev_hash. The first
// event's prev_hash is "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/ids.h"
#include "storage/event_rows.h"

namespace gatehouse::storage {

std::string EventChainHash(domain::AccountId account_id, const EventRow& event);

// The outcome of walking an account's chain from seq 1.
struct ChainReport {
  std::int64_t checked = 0;    // chained events read
  std::int64_t unchained = 0;  // events written before the chain existed (no seq)
  std::int64_t head_seq = 0;   // what the account row says the last seq is
  // The first break, when there is one.
  struct Break {
    std::int64_t seq = 0;  // where it was found (the seq expected there for a gap)
    std::string event_id;  // "" when the event is missing
    std::string reason;    // "hash mismatch", "prev_hash mismatch", "missing event", ...
  };
  std::optional<Break> first_break{};
  bool intact() const { return !first_break.has_value(); }
};

// Checks events fed in seq order, one at a time, then the account's head.
class ChainWalker {
 public:
  explicit ChainWalker(domain::AccountId account_id) : account_id_(account_id) {}
  void Visit(const EventRow& event);  // no-op once a break is found
  ChainReport Finish(std::int64_t head_seq, const std::string& head_hash);

 private:
  void Break(std::int64_t seq, std::string event_id, std::string reason);
  domain::AccountId account_id_;
  ChainReport report_;
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_;
};

}  // namespace gatehouse::storage
