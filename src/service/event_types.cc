// The table behind GET /api/v4/events/types. Keys are the type strings passed to RecordEvent
// and Log across src/service; append new rows with new codes, never renumber.
#include "service/event_types.h"

namespace gatehouse::service {
namespace {

constexpr EventType kEventTypes[] = {
    // Kommo's entity events (records).
    {"lead_added", 1, "New lead"},
    {"lead_status_changed", 2, "Lead stage changed"},
    {"contact_added", 3, "New contact"},
    {"contact_deleted", 4, "Contact deleted"},
    {"company_added", 5, "New company"},
    {"company_deleted", 6, "Company deleted"},
    {"lead_deleted", 7, "Lead deleted"},
    {"task_added", 8, "New task"},
    {"task_deleted", 9, "Task deleted"},
    {"task_completed", 10, "Task completed"},
    {"task_type_changed", 11, "Task type changed"},
    {"task_text_changed", 12, "Task text changed"},
    {"task_deadline_changed", 13, "Task deadline changed"},
    {"task_result_added", 14, "Task result added"},
    {"entity_linked", 15, "Linked"},
    {"entity_responsible_changed", 16, "Responsible user changed"},
    {"name_field_changed", 17, "Name changed"},
    {"sale_field_changed", 18, "Sale value changed"},
    {"custom_field_value_changed", 19, "Custom field value changed"},
    {"outgoing_chat_message", 20, "Outgoing chat message"},
    {"customer_added", 21, "New customer"},
    {"customer_deleted", 22, "Customer deleted"},
    {"customer_status_changed", 23, "Customer status changed"},
    {"entity_tag_added", 24, "Tags added"},
    {"entity_tag_deleted", 25, "Tags removed"},
    // Notes and links (issue 15): Kommo's keys; codes from 41 so as not to meet other additions.
    {"entity_unlinked", 41, "Unlinked"},
    {"common_note_added", 42, "New note"},
    {"service_note_added", 43, "New service message"},
    {"geo_note_added", 44, "New geolocation note"},
    // Gatehouse's record events: incoming leads, exports, lists.
    {"incoming_lead_added", 101, "New incoming lead"},
    {"incoming_lead_accepted", 102, "Incoming lead accepted"},
    {"incoming_lead_declined", 103, "Incoming lead declined"},
    {"export_performed", 104, "Export performed"},
    {"catalog_added", 105, "New list"},
    {"catalog_element_added", 106, "New list element"},
    {"catalog_element_updated", 107, "List element updated"},
    {"tag_added", 108, "New tag"},
    {"tag_deleted", 109, "Tag deleted"},
    {"loss_reason_added", 110, "New loss reason"},
    {"loss_reason_deleted", 111, "Loss reason deleted"},
    {"note_added", 141, "New call or SMS note"},
    {"note_updated", 142, "Note edited"},
    // Settings (administrators only).
    {"account_created", 201, "Account created"},
    {"user_added", 202, "New user"},
    {"user_updated", 203, "User updated"},
    {"user_rights_changed", 204, "User rights changed"},
    {"user_activated", 205, "User activated"},
    {"user_deactivated", 206, "User deactivated"},
    {"user_removed", 207, "User removed"},
    {"role_added", 208, "New role"},
    {"role_updated", 209, "Role updated"},
    {"role_deleted", 210, "Role deleted"},
    {"group_added", 211, "New group"},
    {"group_updated", 212, "Group updated"},
    {"group_deleted", 213, "Group deleted"},
    {"pipeline_added", 214, "New pipeline"},
    {"pipeline_updated", 215, "Pipeline updated"},
    {"pipeline_deleted", 216, "Pipeline deleted"},
    {"status_added", 217, "New stage"},
    {"status_updated", 218, "Stage updated"},
    {"status_deleted", 219, "Stage deleted"},
    {"customer_status_added", 220, "New customer status"},
    {"customer_status_updated", 221, "Customer status updated"},
    {"customer_status_deleted", 222, "Customer status deleted"},
    {"custom_field_added", 230, "New custom field"},
    {"custom_field_updated", 231, "Custom field updated"},
    {"custom_field_deleted", 232, "Custom field deleted"},
    // Security (administrators only).
    {"login_succeeded", 301, "Logged in"},
    {"login_failed", 302, "Login failed"},
    {"login_locked", 303, "Login locked after failed attempts"},
    {"login_unlocked", 304, "Login lock lifted"},
    {"logout", 305, "Logged out"},
    {"session_ended", 306, "Session ended"},
    {"sessions_ended", 307, "Sessions ended"},
    {"password_changed", 308, "Password changed"},
    {"password_reset", 309, "Password reset"},
    {"two_factor_enabled", 310, "Two-step verification enabled"},
    {"two_factor_disabled", 311, "Two-step verification disabled"},
    {"two_factor_reset", 312, "Two-step verification reset"},
    {"token_created", 313, "API token created"},
    {"token_revoked", 314, "API token revoked"},
    {"integration_added", 315, "New OAuth integration"},
    {"oauth_code_issued", 316, "OAuth authorization code issued"},
    {"oauth_token_issued", 317, "OAuth token issued"},
    {"ip_whitelist_changed", 318, "IP whitelist changed"},
    {"ip_whitelist_refused", 319, "Refused by the IP whitelist"},
    {"ip_whitelist_would_refuse", 320, "Would be refused by the IP whitelist (report only)"},
    {"security_policy_changed", 321, "Security policy changed"},
    {"recovery_codes_regenerated", 322, "New recovery codes for two-step verification"},
    {"oauth_grant_revoked", 323, "OAuth tokens revoked: their authorization code was used again"},
    {"integration_deleted", 324, "OAuth integration deleted, its tokens revoked"},
    // Four-eyes approval (codes from 340: other record events take the ones before).
    {"approval_requested", 340, "Change waiting for a second administrator's approval"},
    {"approval_approved", 341, "Change approved by a second administrator and applied"},
    {"approval_rejected", 342, "Change rejected by a second administrator"},
    {"approval_expired", 343, "Change not approved in time: expired"},
    // Imports from Kommo (`gatehouse import`; codes from 360).
    {"import_started", 360, "Import from a Kommo account started"},
    {"import_finished", 361, "Import from a Kommo account finished"},
};

}  // namespace

std::span<const EventType> EventTypes() { return kEventTypes; }

std::optional<EventType> FindEventType(std::string_view key) {
  for (const EventType& type : kEventTypes) {
    if (type.key == key) return type;
  }
  return std::nullopt;
}

}  // namespace gatehouse::service
