// The admin resources through the Router (no network): Kommo's shapes and status codes,
// administrator-only writes, and problem+json validation errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/api.h"
#include "http/api/openapi.h"
#include "service/event_types.h"
#include "service/records/records.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;
using ::testing::UnorderedElementsAreArray;

class AdminHttpTest : public testing::AdminRoutesTest {
 protected:
  // The events of `entity` (filter[entity][]) that `as` is shown.
  json EventsOf(const std::string& entity, domain::UserId as) {
    Response listed = Call(Method::kGet, "/api/v4/events?filter[entity][]=" + entity, as);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return Body(listed)["_embedded"]["events"];
  }
};

TEST_F(AdminHttpTest, PagingOutOfRangeIsRefusedOnEveryListAlike) {
  for (const char* target :
       {"/api/v4/users", "/api/v4/roles", "/api/v4/users_groups", "/api/v4/events"}) {
    for (const char* query : {"?limit=251", "?limit=0", "?page=0", "?page=2147483647"}) {
      Response response = Call(Method::kGet, std::string(target) + query, admin_id_);
      EXPECT_EQ(response.status, 400) << target << query << ": " << response.body;
      const std::string param = std::string(query).substr(1, std::string(query).find('=') - 1);
      EXPECT_NE(response.body.find("\"path\":\"" + param + "\""), std::string::npos)
          << target << query << ": " << response.body;
    }
  }
}

TEST_F(AdminHttpTest, UserHasKommoRightsObject) {
  Response response = Call(Method::kGet, "/api/v4/users?limit=1", admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, kHalJson);
  json body = Body(response);
  EXPECT_EQ(body["_total_items"], 2);
  EXPECT_EQ(body["_page_count"], 2);
  EXPECT_EQ(body["_page"], 1);
  EXPECT_EQ(body["_links"]["next"]["href"], "http://acme.test/api/v4/users?limit=1&page=2");
  const json& user = body["_embedded"]["users"][0];
  EXPECT_EQ(user["id"], admin_id_);
  EXPECT_EQ(user["_links"]["self"]["href"],
            "http://acme.test/api/v4/users/" + std::to_string(admin_id_));
  const json& rights = user["rights"];
  EXPECT_THAT(Keys(rights),
              UnorderedElementsAreArray(std::set<std::string>{
                  "leads", "contacts", "companies", "tasks", "incoming_leads", "mail_access",
                  "catalog_access", "files_access", "status_rights", "catalog_rights",
                  "custom_fields_rights", "oper_day_reports_view_access", "oper_day_user_tracking",
                  "is_admin", "is_free", "is_active", "group_id", "role_id"}));
  for (const char* data_set : {"leads", "contacts", "companies"}) {
    EXPECT_EQ(Keys(rights[data_set]),
              (std::set<std::string>{"view", "edit", "add", "delete", "export"}));
  }
  EXPECT_EQ(Keys(rights["tasks"]), (std::set<std::string>{"view", "edit", "delete"}));
  EXPECT_EQ(Keys(rights["incoming_leads"]), (std::set<std::string>{"view", "accept", "decline"}));
  EXPECT_TRUE(rights["status_rights"].is_array());
  EXPECT_TRUE(rights["custom_fields_rights"].is_null());
  EXPECT_EQ(rights["oper_day_user_tracking"], false);
  EXPECT_EQ(rights["is_admin"], true);
  EXPECT_TRUE(rights["role_id"].is_null());
  EXPECT_EQ(rights["group_id"], default_group_);
}

// with=security (ours): 2FA and last login for those who see the rights, never otherwise.
TEST_F(AdminHttpTest, WithSecurityAddsTwoFactorAndLastLogin) {
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(member_));
                            row.totp_enabled = true;
                            row.last_login_at = 1700000000;
                            return w.UpdateUser(row);
                          })
                  .ok());
  const std::string path = "/api/v4/users/" + std::to_string(member_);
  json member = Body(Call(Method::kGet, path + "?with=security", admin_id_));
  EXPECT_EQ(member["two_factor_enabled"], true);
  EXPECT_EQ(member["last_login_at"], 1700000000);
  json list = Body(Call(Method::kGet, "/api/v4/users?with=security", admin_id_));
  const json& admin = list["_embedded"]["users"][0];
  EXPECT_EQ(admin["two_factor_enabled"], false);
  EXPECT_TRUE(admin["last_login_at"].is_null());  // never logged in
  EXPECT_FALSE(Body(Call(Method::kGet, path, admin_id_)).contains("two_factor_enabled"));
  // A member: their own record (GET by id) only, as with the rights.
  json seen_by_member = Body(Call(Method::kGet, "/api/v4/users?with=security", member_));
  for (const json& user : seen_by_member["_embedded"]["users"]) {
    EXPECT_FALSE(user.contains("last_login_at")) << user.dump();
  }
  EXPECT_EQ(Body(Call(Method::kGet, path + "?with=security", member_))["two_factor_enabled"], true);
  const std::string admin_path = "/api/v4/users/" + std::to_string(admin_id_) + "?with=security";
  EXPECT_FALSE(Body(Call(Method::kGet, admin_path, member_)).contains("two_factor_enabled"));
}

TEST_F(AdminHttpTest, NonAdministratorsListUsersWithoutRightsAndCannotWrite) {
  Response list = Call(Method::kGet, "/api/v4/users?with=group", member_);
  ASSERT_EQ(list.status, 200);
  const json users = Body(list)["_embedded"]["users"];
  ASSERT_EQ(users.size(), 2u);
  for (const json& user : users) {
    EXPECT_FALSE(user.contains("rights")) << user.dump();
    EXPECT_EQ(user["_embedded"]["groups"][0]["id"], default_group_);
  }
  const std::string id = std::to_string(member_);
  for (auto [method, target] :
       std::vector<std::pair<Method, std::string>>{{Method::kPost, "/api/v4/users"},
                                                   {Method::kPatch, "/api/v4/users/" + id},
                                                   {Method::kDelete, "/api/v4/users/" + id},
                                                   {Method::kGet, "/api/v4/roles"},
                                                   {Method::kPost, "/api/v4/roles"},
                                                   {Method::kPost, "/api/v4/users_groups"},
                                                   {Method::kPost, "/api/v4/leads/pipelines"}}) {
    Response response = Call(method, target, member_, R"({"name":"x"})");
    EXPECT_EQ(response.status, 403) << target;
    EXPECT_EQ(response.content_type, kProblemJson);
    EXPECT_EQ(Body(response)["status"], 403);
  }
}

TEST_F(AdminHttpTest, CreateUsersNormalizesAndEchoesRequestId) {
  Response response = Call(Method::kPost, "/api/v4/users", admin_id_, R"([{
      "name": "Bob", "email": "bob@acme.test", "password": "correct horse battery",
      "request_id": "r1",
      "rights": {"leads": {"view": "M", "edit": "A", "add": "A", "delete": "G", "export": "A"},
                 "mail_access": true, "oper_day_user_tracking": false}}])");
  ASSERT_EQ(response.status, 201) << response.body;
  json body = Body(response);
  EXPECT_EQ(body["_total_items"], 1);
  const json& user = body["_embedded"]["users"][0];
  EXPECT_EQ(user["request_id"], "r1");
  EXPECT_EQ(user["email"], "bob@acme.test");
  EXPECT_EQ(user["rights"]["leads"],
            json({{"view", "M"}, {"edit", "M"}, {"add", "A"}, {"delete", "M"}, {"export", "M"}}));
  EXPECT_EQ(user["rights"]["contacts"]["view"], "D");
  EXPECT_EQ(user["rights"]["mail_access"], true);
  EXPECT_FALSE(user.contains("password"));
}

TEST_F(AdminHttpTest, ValidationErrorsAreProblemJsonPerItem) {
  Response response = Call(Method::kPost, "/api/v4/users", admin_id_, R"([
      {"name": "Ok", "email": "ok@acme.test", "password": "correct horse battery"},
      {"name": "Bad", "email": "bad@acme.test", "password": "correct horse battery",
       "rights": {"leads": {"add": "M", "view": "Q"},
                  "status_rights": [{"pipeline_id": 1, "status_id": 142,
                                     "rights": {"view": "Z"}}]}}])");
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.content_type, kProblemJson);
  json body = Body(response);
  ASSERT_EQ(body["validation-errors"].size(), 1u);
  EXPECT_EQ(body["validation-errors"][0]["request_id"], "1");
  std::set<std::string> paths;
  for (const json& e : body["validation-errors"][0]["errors"]) paths.insert(e["path"]);
  EXPECT_TRUE(paths.count("rights.leads.add")) << body.dump();
  EXPECT_TRUE(paths.count("rights.leads.view")) << body.dump();
  EXPECT_EQ(Call(Method::kGet, "/api/v4/users", admin_id_).status, 200);
  EXPECT_FALSE(Reader().FindUserByEmail("ok@acme.test").ok());  // all or none
  // A PATCH reports its fields under request_id "0".
  Response patch = Call(Method::kPatch, "/api/v4/users/" + std::to_string(member_), admin_id_,
                        R"({"rights": {"tasks": {"export": "A"}}, "is_admin": "yes"})");
  ASSERT_EQ(patch.status, 400);
  json errors = Body(patch)["validation-errors"][0]["errors"];
  EXPECT_EQ(errors[0]["path"], "is_admin");
}

TEST_F(AdminHttpTest, PatchAndRemoveUser) {
  const std::string id = std::to_string(member_);
  Response patched = Call(Method::kPatch, "/api/v4/users/" + id, admin_id_,
                          R"({"name": "Member One", "rights": {"contacts": {"view": "G"}}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  json user = Body(patched);
  EXPECT_EQ(user["name"], "Member One");
  EXPECT_EQ(user["rights"]["contacts"]["view"], "G");
  EXPECT_EQ(user["rights"]["leads"]["view"], "M");  // untouched
  // Removal needs reassign_to.
  Response refused = Call(Method::kDelete, "/api/v4/users/" + id, admin_id_);
  ASSERT_EQ(refused.status, 400);
  EXPECT_EQ(Body(refused)["validation-errors"][0]["errors"][0]["path"], "reassign_to");
  Response removed =
      Call(Method::kDelete, "/api/v4/users/" + id + "?reassign_to=" + std::to_string(admin_id_),
           admin_id_);
  EXPECT_EQ(removed.status, 204);
  // Removal is permanent: the user is gone.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/users/" + id, admin_id_).status, 404);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/users/999999", admin_id_).status, 404);
  // The last administrator cannot demote themself.
  Response last = Call(Method::kPatch, "/api/v4/users/" + std::to_string(admin_id_), admin_id_,
                       R"({"is_admin": false})");
  EXPECT_EQ(last.status, 422);
  EXPECT_NE(Body(last)["detail"].get<std::string>().find("last active administrator"),
            std::string::npos);
}

TEST_F(AdminHttpTest, SeatsOverflowIs402) {
  for (int i = 0; i < kSeats - 2; ++i) AddUser("u" + std::to_string(i) + "@acme.test");
  Response response =
      Call(Method::kPost, "/api/v4/users", admin_id_,
           R"({"name":"X","email":"x@acme.test","password":"correct horse battery"})");
  EXPECT_EQ(response.status, 402) << response.body;
  EXPECT_EQ(Body(response)["type"], "https://httpstatus.es/402/seats");
}

TEST_F(AdminHttpTest, RolesLifecycle) {
  Response array = Call(Method::kPost, "/api/v4/roles", admin_id_,
                        R"([{"name": "Sales", "rights": {"leads": {"view": "A", "edit": "G"}}},
                            {"name": "Support", "request_id": "s"}])");
  ASSERT_EQ(array.status, 201) << array.body;
  json created = Body(array);
  EXPECT_EQ(created["_total_items"], 2);
  ASSERT_EQ(created["_embedded"]["roles"].size(), 2u);
  EXPECT_EQ(created["_embedded"]["roles"][1]["request_id"], "s");
  const json& sales = created["_embedded"]["roles"][0];
  EXPECT_EQ(sales["rights"]["leads"]["edit"], "G");
  EXPECT_FALSE(sales["rights"].contains("is_admin"));  // a role's rights have no user fields
  const std::string sales_id = std::to_string(sales["id"].get<std::int64_t>());

  Response object = Call(Method::kPost, "/api/v4/roles", admin_id_, R"({"name": "Solo"})");
  ASSERT_EQ(object.status, 201);
  EXPECT_EQ(Body(object)["_embedded"]["roles"].size(), 1u);

  Response patched = Call(Method::kPatch, "/api/v4/roles/" + sales_id, admin_id_,
                          R"({"name": "Field sales", "rights": {"leads": {"view": "M"}}})");
  ASSERT_EQ(patched.status, 202) << patched.body;
  EXPECT_EQ(Body(patched)["name"], "Field sales");
  EXPECT_EQ(Body(patched)["rights"]["leads"]["edit"], "D");  // the data set was replaced

  // Hold it, then see the holder and the refusal to delete.
  ASSERT_EQ(Call(Method::kPatch, "/api/v4/users/" + std::to_string(member_), admin_id_,
                 R"({"rights": {"role_id": )" + sales_id + "}}")
                .status,
            200);
  Response with_users = Call(Method::kGet, "/api/v4/roles/" + sales_id + "?with=users", admin_id_);
  ASSERT_EQ(with_users.status, 200);
  EXPECT_EQ(Body(with_users)["_embedded"]["users"], json::array({{{"id", member_}}}));
  Response held = Call(Method::kDelete, "/api/v4/roles/" + sales_id, admin_id_);
  EXPECT_EQ(held.status, 422);
  EXPECT_EQ(held.content_type, kProblemJson);
  Response list = Call(Method::kGet, "/api/v4/roles", admin_id_);
  EXPECT_EQ(Body(list)["_total_items"], 3);
  const std::string solo_id =
      std::to_string(Body(object)["_embedded"]["roles"][0]["id"].get<std::int64_t>());
  Response deleted = Call(Method::kDelete, "/api/v4/roles/" + solo_id, admin_id_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
}

// Every with= extra of /account and /users, so the OpenAPI drift check (in Call) sees each
// optional member the handlers can add.
TEST_F(AdminHttpTest, EveryWithExtraMatchesTheOpenApiDocument) {
  ASSERT_EQ(Call(Method::kPost, "/api/v4/roles", admin_id_, R"([{"name": "Sales"}])").status, 201);
  Response role = Call(Method::kGet, "/api/v4/roles", admin_id_);
  const std::string role_id =
      std::to_string(Body(role)["_embedded"]["roles"][0]["id"].get<std::int64_t>());
  ASSERT_EQ(Call(Method::kPatch, "/api/v4/users/" + std::to_string(member_), admin_id_,
                 R"({"role_id": )" + role_id + "}")
                .status,
            200);
  Response account = Call(Method::kGet,
                          "/api/v4/account?with=amojo_id,version,is_api_filter_enabled,drive_url,"
                          "entity_names,invoices_settings,amojo_rights,users_groups,task_types,"
                          "datetime_settings",
                          member_);
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(
      Keys(Body(account)["_embedded"]),
      (std::set<std::string>{"amojo_rights", "users_groups", "task_types", "datetime_settings"}));
  Response users =
      Call(Method::kGet, "/api/v4/users?with=role,group,uuid,amojo_id,user_rank,phone_number",
           admin_id_);
  ASSERT_EQ(users.status, 200);
  bool saw_role = false;
  const json listed = Body(users);
  for (const json& user : listed["_embedded"]["users"]) {
    saw_role = saw_role || !user["_embedded"]["roles"].empty();
    EXPECT_TRUE(user.contains("phone_number"));
  }
  EXPECT_TRUE(saw_role);
}

TEST_F(AdminHttpTest, GroupsAndAccount) {
  Response created =
      Call(Method::kPost, "/api/v4/users_groups", admin_id_, R"([{"name": "Sales"}])");
  ASSERT_EQ(created.status, 201) << created.body;
  Response account =
      Call(Method::kGet, "/api/v4/account?with=users_groups,task_types,version", member_);
  ASSERT_EQ(account.status, 200);
  json body = Body(account);
  EXPECT_EQ(body["id"], account_);
  EXPECT_EQ(body["current_user_id"], member_);
  EXPECT_EQ(body["subdomain"], "acme");
  ASSERT_EQ(body["_embedded"]["users_groups"].size(), 2u);
  EXPECT_EQ(Keys(body["_embedded"]["users_groups"][1]),
            (std::set<std::string>{"id", "name", "uuid"}));
  EXPECT_EQ(body["_embedded"]["users_groups"][1]["name"], "Sales");
  EXPECT_EQ(body["_embedded"]["task_types"][0]["code"], "FOLLOW_UP");
  EXPECT_TRUE(body.contains("version"));
  Response groups = Call(Method::kGet, "/api/v4/users_groups", member_);
  ASSERT_EQ(groups.status, 200);
  EXPECT_EQ(Body(groups)["_embedded"]["users_groups"].size(), 2u);
  Response default_group =
      Call(Method::kDelete, "/api/v4/users_groups/" + std::to_string(default_group_), admin_id_);
  EXPECT_EQ(default_group.status, 422);
}

// A PATCH of one item takes one JSON object. An array (a batch sent to the item's path) or a
// scalar is refused naming the body, on every such route, and changes nothing.
TEST_F(AdminHttpTest, APatchOfOneItemRefusesABodyThatIsNotAnObject) {
  Response pipelines = Call(Method::kGet, "/api/v4/leads/pipelines", admin_id_);
  ASSERT_EQ(pipelines.status, 200);
  const json pipeline = Body(pipelines)["_embedded"]["pipelines"][0];
  const std::string pipeline_path =
      "/api/v4/leads/pipelines/" + std::to_string(pipeline["id"].get<std::int64_t>());
  const std::string status_path =
      pipeline_path + "/statuses/" +
      std::to_string(pipeline["_embedded"]["statuses"][1]["id"].get<std::int64_t>());
  Response groups = Call(Method::kGet, "/api/v4/users_groups", admin_id_);
  ASSERT_EQ(groups.status, 200);
  const std::string group_path =
      "/api/v4/users_groups/" +
      std::to_string(Body(groups)["_embedded"]["users_groups"][0]["id"].get<std::int64_t>());
  const std::string user_path = "/api/v4/users/" + std::to_string(member_);
  auto state = [&] {
    return std::vector<std::string>{Call(Method::kGet, "/api/v4/leads/pipelines", admin_id_).body,
                                    Call(Method::kGet, "/api/v4/users_groups", admin_id_).body,
                                    Call(Method::kGet, user_path, admin_id_).body};
  };
  const std::vector<std::string> before = state();
  for (const std::string& path : {pipeline_path, status_path, group_path, user_path}) {
    for (const char* body : {R"([{"name": "Renamed"}])", "42", R"("Renamed")"}) {
      Response patched = Call(Method::kPatch, path, admin_id_, body);
      EXPECT_EQ(patched.status, 400) << path << " " << body << ": " << patched.body;
      EXPECT_NE(patched.body.find("\"path\":\"body\""), std::string::npos)
          << path << " " << body << ": " << patched.body;
    }
  }
  EXPECT_EQ(state(), before);
}

TEST_F(AdminHttpTest, PipelinesShapes) {
  Response list = Call(Method::kGet, "/api/v4/leads/pipelines", member_);
  ASSERT_EQ(list.status, 200);
  const json list_body = Body(list);
  const json& pipeline = list_body["_embedded"]["pipelines"][0];
  EXPECT_EQ(Keys(pipeline),
            (std::set<std::string>{"id", "name", "sort", "is_main", "is_unsorted_on", "is_archive",
                                   "account_id", "_links", "_embedded"}));
  std::set<std::int64_t> ids;
  for (const json& status : pipeline["_embedded"]["statuses"]) {
    ids.insert(status["id"].get<std::int64_t>());
    EXPECT_EQ(Keys(status),
              (std::set<std::string>{"id", "name", "sort", "is_editable", "pipeline_id", "color",
                                     "type", "account_id", "_links"}));
  }
  EXPECT_TRUE(ids.count(142) && ids.count(143));
  const std::string id = std::to_string(pipeline["id"].get<std::int64_t>());
  Response added = Call(Method::kPost, "/api/v4/leads/pipelines/" + id + "/statuses", admin_id_,
                        R"([{"name": "Demo", "sort": 25, "color": "#99ccff"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const json status = Body(added)["_embedded"]["statuses"][0];
  EXPECT_EQ(status["name"], "Demo");
  EXPECT_EQ(status["request_id"], "0");
  const std::string status_path = "/api/v4/leads/pipelines/" + id + "/statuses/" +
                                  std::to_string(status["id"].get<std::int64_t>());
  Response renamed = Call(Method::kPatch, status_path, admin_id_, R"({"name": "Demo call"})");
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(Body(renamed)["name"], "Demo call");
  EXPECT_EQ(Call(Method::kGet, status_path, member_).status, 200);
  EXPECT_EQ(Call(Method::kDelete, status_path, admin_id_).status, 204);
  EXPECT_EQ(Call(Method::kGet, status_path, member_).status, 404);
  Response created = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                          R"([{"name": "Partners", "sort": 20, "is_main": false,
                               "is_unsorted_on": true,
                               "_embedded": {"statuses": [{"name": "Intro", "sort": 10}]}}])");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string new_id =
      std::to_string(Body(created)["_embedded"]["pipelines"][0]["id"].get<std::int64_t>());
  EXPECT_EQ(Call(Method::kDelete, "/api/v4/leads/pipelines/" + new_id, admin_id_).status, 204);
  EXPECT_EQ(Call(Method::kDelete, "/api/v4/leads/pipelines/" + id, admin_id_).status, 422);
}

TEST_F(AdminHttpTest, EventsAndExplain) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  AddEvent("lead_added", "lead", own.id, member_);
  AddEvent("lead_added", "lead", other.id, admin_id_);
  json events = EventsOf("lead", member_);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["entity_id"], own.id);
  EXPECT_EQ(events[0]["type"], "lead_added");
  EXPECT_TRUE(events[0]["id"].is_string());
  EXPECT_EQ(events[0]["id"].get<std::string>().size(), 26u);
  EXPECT_TRUE(events[0]["value_after"].is_array());
  EXPECT_EQ(events[0]["_embedded"]["entity"]["_links"]["self"]["href"],
            "http://acme.test/api/v4/leads/" + std::to_string(own.id));
  // Settings events are for administrators only; nothing visible is a 204.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?filter[type][]=user_added", member_).status, 204);
  Response admin = Call(Method::kGet, "/api/v4/events?filter[type][]=user_added", admin_id_);
  ASSERT_EQ(admin.status, 200);
  EXPECT_EQ(Body(admin)["_embedded"]["events"][0]["entity_type"], "user");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?filter[entity_id][]=1", admin_id_).status, 400);
  // The log as CSV: administrators only, every matching event, with the chain fields.
  Response exported =
      Call(Method::kGet, "/api/v4/events/export?filter[type][]=user_added", admin_id_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.content_type, "text/csv");
  const std::size_t header_end = exported.body.find("\r\n");
  EXPECT_EQ(exported.body.substr(0, header_end),
            "id,created_at,created_by,actor_ip,type,entity_type,entity_id,value_before,"
            "value_after,seq,prev_hash,hash");
  const std::size_t lines =
      static_cast<std::size_t>(std::count(exported.body.begin(), exported.body.end(), '\n'));
  EXPECT_EQ(lines - 1, Body(admin)["_embedded"]["events"].size()) << exported.body;
  EXPECT_NE(exported.body.find(",user_added,user,"), std::string::npos) << exported.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/export", member_).status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/export?limit=5", admin_id_).status, 400);
  Response logged = Call(Method::kGet, "/api/v4/events?filter[type][]=export_performed", admin_id_);
  ASSERT_EQ(logged.status, 200) << logged.body;
  EXPECT_EQ(Body(logged)["_embedded"]["events"][0]["entity_type"], "event");
  // The activity log's hash chain: administrators only.
  Response verified = Call(Method::kGet, "/api/v4/security/audit/verify", admin_id_);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Body(verified)["intact"], true);
  EXPECT_GT(Body(verified)["events_checked"].get<std::int64_t>(), 0);
  EXPECT_EQ(Body(verified)["events_checked"], Body(verified)["head_seq"]);
  EXPECT_TRUE(Body(verified)["first_break"].is_null());
  EXPECT_EQ(Call(Method::kGet, "/api/v4/security/audit/verify", member_).status, 403);
  // Kommo's with= values are accepted; anything else is refused by name.
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events?with=lead_name,contact_name", admin_id_).status,
            200);
  Response bogus = Call(Method::kGet, "/api/v4/events?with=bogus", admin_id_);
  EXPECT_EQ(bogus.status, 400);
  EXPECT_NE(bogus.body.find("with=bogus"), std::string::npos) << bogus.body;

  const std::string explain = "/api/v4/security/explain?user_id=" + std::to_string(member_) +
                              "&entity_type=leads&entity_id=" + std::to_string(other.id) +
                              "&action=view";
  Response explained = Call(Method::kGet, explain, admin_id_);
  ASSERT_EQ(explained.status, 200) << explained.body;
  json e = Body(explained);
  EXPECT_EQ(e["allowed"], false);
  EXPECT_EQ(e["rule"], "general_right");
  EXPECT_EQ(e["level"], "M");
  EXPECT_EQ(e["match"], "not_responsible");
  EXPECT_TRUE(e["stage"].is_null());
  EXPECT_FALSE(e["reasons"].empty());
  // Point-in-time replay (replay_http_test.cc): now is within the history, so at=now answers
  // like the present-time explain.
  Response at =
      Call(Method::kGet, explain + "&at=" + std::to_string(clock_.NowSeconds()), admin_id_);
  ASSERT_EQ(at.status, 200) << at.body;
  EXPECT_EQ(Body(at)["allowed"], e["allowed"]);
  EXPECT_EQ(Body(at)["match"], e["match"]);
  EXPECT_EQ(Body(at)["at"], clock_.NowSeconds());
}

// "Why can I see this?": everyone may ask the engine about their own access to a record they
// may view; another user's access and invisible records stay an administrator's question.
TEST_F(AdminHttpTest, MembersExplainTheirOwnAccessOnly) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  auto explain = [](domain::UserId user, std::int64_t lead, const char* action) {
    return "/api/v4/security/explain?user_id=" + std::to_string(user) +
           "&entity_type=leads&entity_id=" + std::to_string(lead) + "&action=" + action;
  };
  Response mine = Call(Method::kGet, explain(member_, own.id, "view"), member_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(Body(mine)["allowed"], true);
  EXPECT_EQ(Body(mine)["level"], "M");
  EXPECT_EQ(Body(mine)["match"], "responsible");
  EXPECT_EQ(Body(mine)["responsible_user_id"], member_);
  Response edit = Call(Method::kGet, explain(member_, own.id, "edit"), member_);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(Body(edit)["action"], "edit");

  // A lead the member may not view answers like a missing one: nothing about it leaks.
  Response hidden = Call(Method::kGet, explain(member_, other.id, "view"), member_);
  EXPECT_EQ(hidden.status, 404);
  Response missing = Call(Method::kGet, explain(member_, 987654, "view"), member_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Body(hidden)["detail"], "leads " + std::to_string(other.id) + " not found");
  // Another user's access: administrators only.
  EXPECT_EQ(Call(Method::kGet, explain(admin_id_, own.id, "view"), member_).status, 403);
  // Bad input is still a 400 naming the field.
  Response bad = Call(Method::kGet, explain(member_, own.id, "fly"), member_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["validation-errors"][0]["errors"][0]["path"], "action");
  // The administrator sees the member's denial of the other lead, with the reason.
  Response admin = Call(Method::kGet, explain(member_, other.id, "view"), admin_id_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(Body(admin)["allowed"], false);
}

// Customers have the leads' rights: explain names them, events follow them (issue 15 §4).
TEST_F(AdminHttpTest, CustomersAreExplainedAndTheirEventsShownByTheLeadsRights) {
  auto add = [&](domain::UserId responsible) {
    storage::Customer created;
    base::Status wrote = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      storage::Customer c;
      c.name = "Buyer";
      c.responsible_user_id = responsible;
      GH_ASSIGN_OR_RETURN(created, w.Create(c));
      return base::Status::Ok();
    });
    EXPECT_TRUE(wrote.ok()) << wrote.ToString();
    return created;
  };
  const storage::Customer own = add(member_);
  const storage::Customer other = add(admin_id_);
  auto explain = [](domain::UserId user, std::int64_t id) {
    return "/api/v4/security/explain?user_id=" + std::to_string(user) +
           "&entity_type=customers&entity_id=" + std::to_string(id) + "&action=view";
  };
  Response mine = Call(Method::kGet, explain(member_, own.id), member_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  json e = Body(mine);
  EXPECT_EQ(e["entity_type"], "customers");
  EXPECT_EQ(e["allowed"], true);
  EXPECT_EQ(e["rule"], "general_right");
  EXPECT_EQ(e["level"], "M");
  EXPECT_NE(e["reasons"][0]["text"].get<std::string>().find("customers have the leads' rights"),
            std::string::npos)
      << mine.body;
  Response hidden = Call(Method::kGet, explain(member_, other.id), member_);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(Body(hidden)["detail"], "customers " + std::to_string(other.id) + " not found");
  // A missing customer answers the same.
  EXPECT_EQ(Call(Method::kGet, explain(member_, 987654), member_).status, 404);

  AddEvent("customer_added", "customer", own.id, member_);
  AddEvent("customer_added", "customer", other.id, admin_id_);
  json listed = EventsOf("customer", member_);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["entity_id"], own.id);
  EXPECT_EQ(listed[0]["_embedded"]["entity"]["_links"]["self"]["href"],
            "http://acme.test/api/v4/customers/" + std::to_string(own.id));
  EXPECT_EQ(EventsOf("customer", admin_id_).size(), 2u);
}

TEST_F(AdminHttpTest, OneEventHasTheListsShapeAndVisibility) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  AddEvent("lead_added", "lead", own.id, member_);
  AddEvent("lead_added", "lead", other.id, admin_id_);
  Response listed = Call(Method::kGet, "/api/v4/events?limit=250", admin_id_);
  ASSERT_EQ(listed.status, 200);
  std::map<std::string, json> by_key;  // "type:entity_id" -> list item
  const json listed_body = Body(listed);
  for (const json& e : listed_body["_embedded"]["events"]) {
    by_key[e["type"].get<std::string>() + ":" +
           std::to_string(e["entity_id"].get<std::int64_t>())] = e;
  }
  const json mine = by_key.at("lead_added:" + std::to_string(own.id));
  const json theirs = by_key.at("lead_added:" + std::to_string(other.id));
  const json settings = by_key.at("user_added:" + std::to_string(admin_id_));
  auto path = [](const json& e) { return "/api/v4/events/" + e["id"].get<std::string>(); };

  Response one = Call(Method::kGet, path(mine), member_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.content_type, kHalJson);
  EXPECT_EQ(Body(one), mine);  // exactly the list's item
  EXPECT_EQ(Body(one)["_links"]["self"]["href"], "http://acme.test" + path(mine));
  EXPECT_EQ(Call(Method::kGet, path(mine) + "?with=lead_name", member_).status, 200);
  EXPECT_EQ(Call(Method::kGet, path(mine) + "?page=2", member_).status, 400);

  Response missing = Call(Method::kGet, "/api/v4/events/0000000000000000000000000z", member_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, kProblemJson);
  for (const json& hidden : {theirs, settings}) {
    Response refused = Call(Method::kGet, path(hidden), member_);
    EXPECT_EQ(refused.status, 404) << hidden.dump();
    EXPECT_EQ(refused.body, missing.body) << "an invisible event must look missing";
    Response admin = Call(Method::kGet, path(hidden), admin_id_);
    ASSERT_EQ(admin.status, 200) << admin.body;
    EXPECT_EQ(Body(admin), hidden);
  }
}

TEST_F(AdminHttpTest, EventTypes) {
  Response types = Call(Method::kGet, "/api/v4/events/types", member_);
  ASSERT_EQ(types.status, 200) << types.body;
  EXPECT_EQ(types.content_type, kHalJson);
  json body = Body(types);
  const json& list = body["_embedded"]["events_types"];
  EXPECT_EQ(body["_total_items"], list.size());
  EXPECT_EQ(list.size(), service::EventTypes().size());
  EXPECT_EQ(list[0], json({{"key", "lead_added"}, {"type", 1}, {"lang", "New lead"}}));
  std::set<std::string> keys;
  for (const json& t : list) {
    EXPECT_EQ(Keys(t), (std::set<std::string>{"key", "type", "lang"}));
    EXPECT_TRUE(t["type"].is_number_integer());
    keys.insert(t["key"]);
  }
  for (const char* recorded : {"lead_status_changed", "entity_responsible_changed",
                               "catalog_element_updated", "user_rights_changed", "login_failed"}) {
    EXPECT_TRUE(keys.count(recorded)) << recorded;
  }
  Response english = Call(Method::kGet, "/api/v4/events/types?language_code=en", member_);
  EXPECT_EQ(english.status, 200);
  EXPECT_EQ(Body(english)["_embedded"], body["_embedded"]);
  Response russian = Call(Method::kGet, "/api/v4/events/types?language_code=ru", member_);
  EXPECT_EQ(russian.status, 400);
  EXPECT_EQ(Body(russian)["validation-errors"][0]["errors"][0]["path"], "language_code");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/events/types?limit=5", member_).status, 400);
}

TEST_F(AdminHttpTest, EventValueFilters) {
  const storage::Lead own = AddLead(member_);
  const storage::Lead other = AddLead(admin_id_);
  auto pipelines = Reader().ListPipelines();
  ASSERT_TRUE(pipelines.ok());
  const domain::Pipeline& pipeline = pipelines->front();
  ASSERT_EQ(own.pipeline_id, pipeline.id);
  domain::StatusId target = 0;
  for (const domain::Stage& stage : pipeline.stages) {
    if (stage.type != domain::kStageTypeIncoming && stage.id != own.status_id &&
        stage.id != domain::kWonStatusId && stage.id != domain::kLostStatusId) {
      target = stage.id;
    }
  }
  ASSERT_NE(target, 0);
  // Real writes, so the stored values are what the lead service records.
  service::RecordService records(*store_, clock_);
  for (domain::RecordId id : {own.id, other.id}) {
    service::LeadInput move;
    move.id = id;
    move.status_id = target;
    clock_.Advance(1);
    ASSERT_TRUE(records.Update<storage::Lead>(Admin(), std::vector{move}).ok());
  }
  service::LeadInput give;
  give.id = other.id;
  give.responsible_user_id = member_;
  clock_.Advance(1);
  ASSERT_TRUE(records.Update<storage::Lead>(Admin(), std::vector{give}).ok());

  auto listed = [&](const std::string& query, domain::UserId as) {
    std::vector<std::string> out;
    Response r = Call(Method::kGet, "/api/v4/events?" + query, as);
    EXPECT_TRUE(r.status == 200 || r.status == 204) << query << ": " << r.body;
    if (r.status != 200) return out;
    const json body = Body(r);
    for (const json& e : body["_embedded"]["events"]) {
      out.push_back(e["type"].get<std::string>() + ":" +
                    std::to_string(e["entity_id"].get<std::int64_t>()));
    }
    return out;
  };
  const std::string p = std::to_string(pipeline.id), s = std::to_string(target);
  const std::string status_after = "filter[value_after][leads_statuses][0][pipeline_id]=" + p +
                                   "&filter[value_after][leads_statuses][0][status_id]=" + s;
  const std::string own_moved = "lead_status_changed:" + std::to_string(own.id);
  const std::string other_moved = "lead_status_changed:" + std::to_string(other.id);
  EXPECT_EQ(listed(status_after, admin_id_), (std::vector<std::string>{other_moved, own_moved}));
  // The member now also sees the other lead (made responsible last).
  EXPECT_EQ(listed(status_after, member_), (std::vector<std::string>{other_moved, own_moved}));
  EXPECT_EQ(listed(status_after + "&limit=1&page=2", admin_id_),
            std::vector<std::string>{own_moved});
  EXPECT_EQ(listed("filter%5Bvalue_after%5D%5Bleads_statuses%5D%5B0%5D%5Bpipeline_id%5D=" + p +
                       "&filter%5Bvalue_after%5D%5Bleads_statuses%5D%5B0%5D%5Bstatus_id%5D=" + s,
                   admin_id_)
                .size(),
            2u);
  EXPECT_EQ(listed("filter[value_before][leads_statuses][0][pipeline_id]=" + p +
                       "&filter[value_before][leads_statuses][0][status_id]=" + s,
                   admin_id_),
            std::vector<std::string>{});
  const std::string given = "entity_responsible_changed:" + std::to_string(other.id);
  EXPECT_EQ(listed("filter[value_after][responsible_user_id]=" + std::to_string(member_), member_),
            std::vector<std::string>{given});
  EXPECT_EQ(listed("filter[value_before][responsible_user_id][]=" + std::to_string(admin_id_) +
                       "&filter[value_after][responsible_user_id][]=" + std::to_string(member_),
                   admin_id_),
            std::vector<std::string>{given});
  EXPECT_EQ(
      listed("filter[value_after][responsible_user_id]=" + std::to_string(admin_id_), admin_id_),
      std::vector<std::string>{});

  struct Bad {
    std::string query;
    std::string path;
  };
  const std::vector<Bad> bad = {
      {"filter[value_after]=1", "filter[value_after]"},
      {"filter[value_after][responsible_user_id]=x", "filter[value_after][responsible_user_id]"},
      {"filter[value_after][responsible_user_id]=-3", "filter[value_after][responsible_user_id]"},
      {"filter[value_before][leads_statuses][0][pipeline_id]=" + p,
       "filter[value_before][leads_statuses][0]"},
      {"filter[value_after][leads_statuses]=5", "filter[value_after][leads_statuses]"},
      {"filter[value_after][value]=5", "filter[value_after][value]"},
      {"filter[value_after][custom_field_values]=5", "filter[value_after][custom_field_values]"},
      {"filter[value_after][colour]=5", "filter[value_after][colour]"},
      {status_after + "&filter[value_after][responsible_user_id]=1", "filter[value_after]"},
      {"filter[value_before][responsible_user_id]=1&" + status_after, "filter[value_after]"},
  };
  for (const Bad& b : bad) {
    Response r = Call(Method::kGet, "/api/v4/events?" + b.query, admin_id_);
    EXPECT_EQ(r.status, 400) << b.query << ": " << r.body;
    EXPECT_EQ(Body(r)["validation-errors"][0]["errors"][0]["path"], b.path) << b.query;
  }
}

TEST_F(AdminHttpTest, OpenApiListsTheNewRoutes) {
  Router router;
  RegisterAdminRoutes(router, context_);
  RegisterRecordRoutes(router, context_);
  json doc = json::parse(OpenApiDocument(router));
  EXPECT_TRUE(doc["paths"]["/api/v4/events/{id}"].contains("get"));
  EXPECT_EQ(doc["paths"]["/api/v4/events/{id}"]["get"]["operationId"], "events.get");
  EXPECT_TRUE(doc["paths"]["/api/v4/events/types"].contains("get"));
  EXPECT_EQ(doc["paths"]["/api/v4/catalogs/{id}/elements"]["patch"]["operationId"],
            "catalogs.elements.update");
}

}  // namespace
}  // namespace gatehouse::http::api
