// The event types table: unique keys and codes in code order, English labels, Kommo's codes
// where Kommo documents them, and every type the services write listed.
#include "service/event_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gatehouse::service {
namespace {

TEST(EventTypesTest, KeysAndCodesAreUniqueAndOrdered) {
  std::set<std::string_view> keys;
  std::set<int> codes;
  int previous = 0;
  for (const EventType& type : EventTypes()) {
    EXPECT_TRUE(keys.insert(type.key).second) << type.key;
    EXPECT_TRUE(codes.insert(type.type).second) << type.type;
    EXPECT_GT(type.type, previous) << type.key;
    previous = type.type;
    EXPECT_FALSE(type.lang.empty()) << type.key;
  }
}

TEST(EventTypesTest, CodesAreStable) {
  // Published codes: a client may have stored them. Changing one is a breaking change.
  struct Case {
    std::string_view key;
    int type;
  };
  for (const Case& c :
       {Case{"lead_added", 1}, Case{"lead_status_changed", 2}, Case{"lead_deleted", 7},
        Case{"entity_responsible_changed", 16}, Case{"catalog_element_updated", 107},
        Case{"user_rights_changed", 204}, Case{"login_failed", 302}, Case{"import_started", 360},
        Case{"import_finished", 361}}) {
    std::optional<EventType> found = FindEventType(c.key);
    ASSERT_TRUE(found.has_value()) << c.key;
    EXPECT_EQ(found->type, c.type) << c.key;
  }
  EXPECT_EQ(FindEventType("lead_added")->lang, "New lead");
  EXPECT_FALSE(FindEventType("no_such_event").has_value());
  EXPECT_FALSE(FindEventType("").has_value());
}

TEST(EventTypesTest, ListsEveryTypeTheServicesRecord) {
  // The type strings passed to RecordEvent / Log / Record in src/service (RecordEvent also
  // asserts this for every event appended in debug builds, e.g. by the other tests).
  for (std::string_view key : {"account_created",
                               "catalog_added",
                               "catalog_element_added",
                               "catalog_element_updated",
                               "company_added",
                               "company_deleted",
                               "contact_added",
                               "contact_deleted",
                               "custom_field_value_changed",
                               "customer_added",
                               "customer_deleted",
                               "customer_status_added",
                               "customer_status_changed",
                               "customer_status_deleted",
                               "customer_status_updated",
                               "entity_linked",
                               "entity_responsible_changed",
                               "export_performed",
                               "group_added",
                               "group_deleted",
                               "group_updated",
                               "incoming_lead_accepted",
                               "incoming_lead_added",
                               "incoming_lead_declined",
                               "integration_added",
                               "integration_deleted",
                               "ip_whitelist_changed",
                               "ip_whitelist_refused",
                               "ip_whitelist_would_refuse",
                               "lead_added",
                               "lead_deleted",
                               "lead_status_changed",
                               "login_failed",
                               "login_locked",
                               "login_succeeded",
                               "login_unlocked",
                               "logout",
                               "name_field_changed",
                               "oauth_code_issued",
                               "oauth_grant_revoked",
                               "oauth_token_issued",
                               "outgoing_chat_message",
                               "password_changed",
                               "password_reset",
                               "pipeline_added",
                               "pipeline_deleted",
                               "pipeline_updated",
                               "recovery_codes_regenerated",
                               "role_added",
                               "role_deleted",
                               "role_updated",
                               "sale_field_changed",
                               "security_policy_changed",
                               "session_ended",
                               "sessions_ended",
                               "status_added",
                               "status_deleted",
                               "status_updated",
                               "task_added",
                               "task_completed",
                               "task_deadline_changed",
                               "task_deleted",
                               "task_result_added",
                               "task_text_changed",
                               "task_type_changed",
                               "token_created",
                               "token_revoked",
                               "two_factor_disabled",
                               "two_factor_enabled",
                               "two_factor_reset",
                               "user_activated",
                               "user_added",
                               "user_deactivated",
                               "user_removed",
                               "user_rights_changed",
                               "user_updated",
                               "import_started",
                               "import_finished"}) {
    EXPECT_TRUE(FindEventType(key).has_value()) << key;
  }
}

}  // namespace
}  // namespace gatehouse::service
