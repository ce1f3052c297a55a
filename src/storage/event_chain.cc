#include "storage/event_chain.h"

#include "auth/tokens.h"

namespace gatehouse::storage {

namespace {

void AppendLengthPrefixed(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

}  // namespace

std::string EventChainHash(domain::AccountId account_id, const EventRow& event) {
  std::string text;
  text.reserve(128 + event.value_before_json.size() + event.value_after_json.size());
  AppendLengthPrefixed(text, std::to_string(account_id));
  AppendLengthPrefixed(text, std::to_string(event.seq));
  AppendLengthPrefixed(text, event.id);
  AppendLengthPrefixed(text, std::to_string(event.created_at));
  AppendLengthPrefixed(text, std::to_string(event.actor_user_id));
  AppendLengthPrefixed(text, event.actor_ip);
  AppendLengthPrefixed(text, event.type);
  AppendLengthPrefixed(text, event.entity_type);
  AppendLengthPrefixed(text, std::to_string(event.entity_id));
  AppendLengthPrefixed(text, event.value_before_json);
  AppendLengthPrefixed(text, event.value_after_json);
  AppendLengthPrefixed(text, event.prev_hash);
  return auth::Sha256Hex(text);
}

void ChainWalker::Break(std::int64_t seq, std::string event_id, std::string reason) {
  if (report_.first_break) return;
  report_.first_break = ChainReport::Break{seq, std::move(event_id), std::move(reason)};
}

void ChainWalker::Visit(const EventRow& event) {
  if (report_.first_break) return;
  ++report_.checked;
  if (event.seq != expected_seq_) {
    // A gap: the event expected here was removed (or renumbered).
    return Break(expected_seq_, "", "event " + std::to_string(expected_seq_) + " is missing");
  }
  if (event.prev_hash != prev_hash_) {
    return Break(event.seq, event.id, "prev_hash does not match the hash of the event before");
  }
  const std::string hash = EventChainHash(account_id_, event);
  if (event.hash != hash) {
    return Break(event.seq, event.id, "hash does not match the event's content");
  }
  prev_hash_ = event.hash;
  ++expected_seq_;
}

ChainReport ChainWalker::Finish(std::int64_t head_seq, const std::string& head_hash) {
  report_.head_seq = head_seq;
  if (!report_.first_break) {
    const std::int64_t last = expected_seq_ - 1;
    if (last < head_seq) {
      Break(last + 1, "",
            "events " + std::to_string(last + 1) + " to " + std::to_string(head_seq) +
                " are missing");
    } else if (last > head_seq || prev_hash_ != head_hash) {
      Break(last, "", "the account's chain head does not match its last event");
    }
  }
  return report_;
}

}  // namespace gatehouse::storage
