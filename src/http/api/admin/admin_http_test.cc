// The admin resources through the Router (no network): Kommo's shapes and status codes,
// administrator-only writes, and problem+json validation errors, for users, roles, groups, the
// account and pipelines. The activity log and explain: admin_events_http_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/openapi.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;
using ::testing::UnorderedElementsAreArray;

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

// Every administrator's collection refuses a batch of valid items over its limit alike, naming
// the limit (an empty body is refused earlier, as a missing body).
TEST_F(AdminHttpTest, BatchOverTheLimitIsRefusedAlikeOnEveryCollection) {
  const struct {
    const char* target;
    std::size_t max;
    const char* what;
    json item;
  } collections[] = {
      {"/api/v4/users",
       10,
       "users",
       {{"name", "N"}, {"email", "n@acme.test"}, {"password", "correct horse battery"}}},
      {"/api/v4/roles", 50, "roles", {{"name", "R"}}},
      {"/api/v4/users_groups", 50, "groups", {{"name", "G"}}},
      {"/api/v4/leads/pipelines", 50, "pipelines", {{"name", "P"}}},
      // The API's own limit on any batch (kMaxBatchItems) is the same 250 and is met first.
      {"/api/v4/leads/custom_fields", 250, "items", {{"name", "F"}, {"type", "text"}}}};
  for (const auto& c : collections) {
    const json batch(c.max + 1, c.item);
    Response response = Call(Method::kPost, c.target, admin_id_, batch.dump());
    ASSERT_EQ(response.status, 400) << c.target << ": " << response.body;
    const json error = Body(response)["validation-errors"][0]["errors"][0];
    EXPECT_EQ(error["code"], "TooMany") << c.target << ": " << response.body;
    EXPECT_EQ(error["detail"], "at most " + std::to_string(c.max) + " " + c.what + " per request")
        << c.target;
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
  // Clients check the mode before they use /api/v4/customers.
  EXPECT_EQ(body["customers_mode"], "periodicity");
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

// A stage's colour is kept (create, PATCH of the colour alone, a new pipeline's stages), a bad
// one is refused by name, and is_unsorted_on: false cannot be kept, so it is refused.
TEST_F(AdminHttpTest, StageColoursAreKeptAndIsUnsortedOnFalseRefused) {
  const json pipeline =
      Body(Call(Method::kGet, "/api/v4/leads/pipelines", member_))["_embedded"]["pipelines"][0];
  const std::string statuses =
      "/api/v4/leads/pipelines/" + std::to_string(pipeline["id"].get<std::int64_t>()) + "/statuses";
  Response added =
      Call(Method::kPost, statuses, admin_id_, R"([{"name":"Hot","color":"#123456"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const json status = Body(added)["_embedded"]["statuses"][0];
  EXPECT_EQ(status["color"], "#123456");
  const std::string path = statuses + "/" + std::to_string(status["id"].get<std::int64_t>());
  Response recoloured = Call(Method::kPatch, path, admin_id_, R"({"color":"#fffeb2"})");
  ASSERT_EQ(recoloured.status, 200) << recoloured.body;
  EXPECT_EQ(Body(recoloured)["color"], "#fffeb2");
  EXPECT_EQ(Body(Call(Method::kGet, path, member_))["color"], "#fffeb2");
  for (const char* bad : {R"({"color":"red"})", R"({"color":"#12345"})", R"({"color":"123456"})"}) {
    Response refused = Call(Method::kPatch, path, admin_id_, bad);
    EXPECT_EQ(refused.status, 400) << bad << refused.body;
    EXPECT_NE(refused.body.find("\"color\""), std::string::npos) << refused.body;
  }
  Response created = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                          R"([{"name":"Colours","_embedded":{"statuses":[
                               {"name":"Intro","color":"#87f2c0"},{"name":"Bad","color":"x"}]}}])");
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_NE(created.body.find("_embedded.statuses.1.color"), std::string::npos) << created.body;
  created =
      Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
           R"([{"name":"Colours","_embedded":{"statuses":[{"name":"Intro","color":"#87f2c0"}]}}])");
  ASSERT_EQ(created.status, 200) << created.body;
  bool found = false;
  const json created_body = Body(created);
  for (const json& s : created_body["_embedded"]["pipelines"][0]["_embedded"]["statuses"]) {
    if (s["name"] == "Intro") found = s["color"] == "#87f2c0";
  }
  EXPECT_TRUE(found) << created.body;
  Response off = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                      R"([{"name":"No inbox","is_unsorted_on":false}])");
  EXPECT_EQ(off.status, 400) << off.body;
  EXPECT_NE(off.body.find("is_unsorted_on"), std::string::npos) << off.body;
}

}  // namespace
}  // namespace gatehouse::http::api
