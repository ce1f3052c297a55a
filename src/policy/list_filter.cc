#include "policy/list_filter.h"

#include <algorithm>

namespace gatehouse::policy {

bool Audience::Admits(domain::UserId responsible_user_id) const {
  switch (kind) {
    case Kind::kNone:
      return false;
    case Kind::kAll:
      return true;
    case Kind::kResponsibleIn:
      // A record without a responsible user belongs to nobody's audience.
      return responsible_user_id != 0 &&
             std::binary_search(users.begin(), users.end(), responsible_user_id);
  }
  return false;
}

bool ListFilter::Matches(const domain::RecordRef& record) const {
  if (record.data_set == domain::DataSet::kLeads && !stages.empty()) {
    const domain::StageKey key{record.pipeline_id, record.status_id};
    const auto it = std::lower_bound(
        stages.begin(), stages.end(), key,
        [](const StageAudience& entry, const domain::StageKey& k) { return entry.stage < k; });
    if (it != stages.end() && it->stage == key)
      return it->audience.Admits(record.responsible_user_id);
  }
  return otherwise.Admits(record.responsible_user_id);
}

bool ListFilter::MatchesNothing() const {
  if (otherwise.kind != Audience::Kind::kNone) return false;
  return std::all_of(stages.begin(), stages.end(), [](const StageAudience& entry) {
    return entry.audience.kind == Audience::Kind::kNone;
  });
}

bool ListFilter::MatchesEverything() const {
  if (otherwise.kind != Audience::Kind::kAll) return false;
  return std::all_of(stages.begin(), stages.end(), [](const StageAudience& entry) {
    return entry.audience.kind == Audience::Kind::kAll;
  });
}

}  // namespace gatehouse::policy
