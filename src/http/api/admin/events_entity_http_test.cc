// GET /api/v4/events?filter[entity]= with the settings entities (user, role, group, ...):
// administrators narrow the log to what an event acted on; others still see none of them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/admin/admin_http_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class EventsEntityHttpTest : public testing::AdminRoutesTest {};

TEST_F(EventsEntityHttpTest, SettingsEntitiesFilterTheLog) {
  AddEvent("group_added", "group", 7, admin_id_);
  AddEvent("user_added", "user", member_, admin_id_);
  AddEvent("login_locked", "login", 0, 0);
  Response groups = Call(Method::kGet, "/api/v4/events?filter[entity]=group", admin_id_);
  ASSERT_EQ(groups.status, 200) << groups.body;
  json events = Body(groups)["_embedded"]["events"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "group_added");

  Response one_user = Call(
      Method::kGet,
      "/api/v4/events?filter[entity]=user&filter[entity_id]=" + std::to_string(member_), admin_id_);
  ASSERT_EQ(one_user.status, 200) << one_user.body;
  ASSERT_EQ(Body(one_user)["_embedded"]["events"].size(), 1u);
  EXPECT_EQ(Body(one_user)["_embedded"]["events"][0]["type"], "user_added");

  Response both =
      Call(Method::kGet, "/api/v4/events?filter[entity][]=login&filter[entity][]=group", admin_id_);
  ASSERT_EQ(both.status, 200);
  EXPECT_EQ(Body(both)["_embedded"]["events"].size(), 2u);

  // Settings events stay for administrators only: filtered or not, a member sees nothing.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?filter[entity]=group", member_).status, 204);
  Response unknown = Call(Method::kGet, "/api/v4/events?filter[entity]=planet", admin_id_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown)["validation-errors"][0]["errors"][0]["path"], "filter[entity]");
}

}  // namespace
}  // namespace gatehouse::http::api
