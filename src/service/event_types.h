// The activity-log event types Gatehouse records, for GET /api/v4/events/types
// (kommo-api-v4.md §13): each with its key (the `type` of an event), a stable integer code and
// an English label.
//
// Codes never change and are never reused: a new type gets a new code. Kommo's own codes are
// kept where its documentation gives them (lead_added 1, lead_deleted 7); the other Kommo
// entity types take codes below 100, Gatehouse's record extras 1xx, settings 2xx and security
// 3xx. RecordEvent asserts (debug builds) that the type it appends is listed here, so a new
// event type cannot ship without its entry.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace gatehouse::service {

struct EventType {
  std::string_view key{};   // "lead_added"
  int type = 0;             // stable code
  std::string_view lang{};  // English label, "New lead"
};

// The language the labels are in; the only `language_code` GET /api/v4/events/types accepts.
inline constexpr std::string_view kEventTypesLanguage = "en";

// Every type, ordered by code. Static data; thread-safe.
std::span<const EventType> EventTypes();

// The entry of `key`, or nullopt when Gatehouse records no such type.
std::optional<EventType> FindEventType(std::string_view key);

}  // namespace gatehouse::service
