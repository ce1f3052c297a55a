// Reading the activity log (Kommo's GET /api/v4/events) and explaining a decision.
//
// Events visibility (SPEC §2, §5; kommo-api-v4.md §13), decided per event at read time:
//   - administrators see every event;
//   - an entity event (entity type lead, contact, company, task) is visible to another user only
//     when that user may view the record now (the record is loaded and checked with the
//     caller's policy); events of a record that no longer exists are for administrators only;
//   - every other event (users, roles, groups, pipelines, sessions, tokens, logins, settings) is
//     for administrators only;
//   - in a visible event, a value entry naming another record the caller may not view (the
//     contact of an entity_linked on a visible lead, the lead an incoming lead became) is
//     omitted from value_before / value_after, as that record is omitted everywhere else.
// Filtering happens before paging, so counts and pages never reveal hidden events: the store
// is read newest first in batches until the requested page is full.
//
// Value filters (Kommo's filter[value_before] / filter[value_after]) run in the store's SQL:
// `leads_statuses` selects lead_status_changed events and `responsible_user_id`
// entity_responsible_changed ones, matching the stored value text exactly. That text is
// written by one serializer (StatusValue / ResponsibleValue in records_internal.h) and the
// filter renders its wanted values with the same functions, so equal values are equal texts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/admin/admin.h"

namespace gatehouse::service {

// One side (before or after) of a value filter; entries of one kind are alternatives.
struct EventValueFilter {
  std::vector<domain::StageKey> leads_statuses{};      // lead_status_changed
  std::vector<domain::UserId> responsible_user_ids{};  // entity_responsible_changed
  bool empty() const { return leads_statuses.empty() && responsible_user_ids.empty(); }
};

struct EventFilter {
  std::vector<std::string> ids{};
  storage::Range created_at{};
  std::vector<domain::UserId> created_by{};
  std::vector<std::string> entity_types{};  // Kommo's singular names: lead, contact, company, task
  std::vector<std::int64_t> entity_ids{};
  std::vector<std::string> types{};
  // Both sides must hold; every non-empty side must name the same kind of value
  // (kInvalidArgument "filter[value_before]" otherwise).
  EventValueFilter value_before{};
  EventValueFilter value_after{};
  int page = 1;    // 1-based
  int limit = 50;  // 1..kMaxEventsLimit
};

inline constexpr int kMaxEventsLimit = 250;

struct EventPage {
  std::vector<storage::EventRow> items{};
  bool has_next = false;
};

// The API's singular entity name of a data set's record ("lead"); for events.
std::optional<domain::DataSet> DataSetOfEventEntity(std::string_view entity_type);

struct ExplainRequest {
  domain::UserId user_id = 0;
  domain::DataSet data_set =
      domain::DataSet::kLeads;  // leads, contacts, companies, tasks, customers
  domain::RecordId entity_id = 0;
  domain::Action action = domain::Action::kView;
  // Point-in-time replay (service/security/replay.h): explain as of this unix time instead of now.
  std::optional<std::int64_t> at{};
};

struct ExplainResult {
  policy::Explanation explanation{};
  domain::RecordRef record{};
  std::int64_t replay_from = 0;  // with `at`: the earliest time replay can answer for
};

}  // namespace gatehouse::service
