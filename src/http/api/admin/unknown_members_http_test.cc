// The administrators' bodies (users, roles, groups, pipelines, stages, custom fields, the impact
// preview, the security policy and whitelist) refuse a member they do not have with a 400 that
// names it, and change nothing; what GET renders is accepted back and ignored.
#include <gtest/gtest.h>

#include <string>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/security/security_json.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// The first validation error of a 400 answer: {path, code, detail}.
json FirstError(const Response& response) {
  const json body = json::parse(response.body, nullptr, false);
  if (!body.contains("validation-errors")) return json();
  return body["validation-errors"][0]["errors"][0];
}

class UnknownMembersTest : public AdminHttpTest {
 protected:
  // A write of `body` to `target` is a 400 UnknownField at `path` (whatever the body changes
  // is then not written: the tests read the state back).
  void ExpectRefused(Method method, const std::string& target, const std::string& body,
                     const std::string& path) {
    Response refused = Call(method, target, admin_id_, body);
    ASSERT_EQ(refused.status, 400) << target << " " << body << " " << refused.body;
    EXPECT_EQ(refused.content_type, kProblemJson);
    const json error = FirstError(refused);
    EXPECT_EQ(error["path"], path) << refused.body;
    EXPECT_EQ(error["code"], "UnknownField") << refused.body;
    EXPECT_EQ(error["detail"], path + " is not a member of this resource") << refused.body;
  }

  std::string UserPath() const { return "/api/v4/users/" + std::to_string(member_); }
};

TEST_F(UnknownMembersTest, UsersRefuseUnknownMembersAndTakeTheirOwnGetBack) {
  ExpectRefused(Method::kPatch, UserPath(), R"({"name": "Renamed", "nickname": "x"})", "nickname");
  ExpectRefused(Method::kPatch, UserPath(), R"({"rights": {"deals": {"view": "A"}}})",
                "rights.deals");
  ExpectRefused(Method::kPatch, UserPath(),
                R"({"rights": {"status_rights": [{"entity_type": "leads", "pipeline_id": 1,
                    "status_id": 142, "rights": {"view": "A"}, "colour": "red"}]}})",
                "rights.status_rights.0.colour");
  EXPECT_NE(Body(Call(Method::kGet, UserPath(), admin_id_))["name"], "Renamed");
  ExpectRefused(Method::kPost, "/api/v4/users",
                R"([{"name": "New", "email": "new@acme.test",
                     "password": "correct horse battery", "phone": "+1 555"}])",
                "phone");
  EXPECT_FALSE(Reader().FindUserByEmail("new@acme.test").ok());

  // A user read with every extra and sent back, renamed, is taken.
  json user = Body(Call(Method::kGet,
                        UserPath() + "?with=role,group,uuid,amojo_id,user_rank,"
                                     "phone_number,security",
                        admin_id_));
  ASSERT_TRUE(user.contains("_links")) << user.dump();
  user["name"] = "Round trip";
  Response saved = Call(Method::kPatch, UserPath(), admin_id_, user.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["name"], "Round trip");
}

TEST_F(UnknownMembersTest, RolesAndGroupsRefuseUnknownMembers) {
  ExpectRefused(Method::kPost, "/api/v4/roles", R"([{"name": "Sales", "colour": "red"}])",
                "colour");
  // A role has no user fields.
  ExpectRefused(Method::kPost, "/api/v4/roles",
                R"([{"name": "Sales", "rights": {"leads": {"view": "A"}, "is_admin": true}}])",
                "rights.is_admin");
  Response roles = Call(Method::kGet, "/api/v4/roles", admin_id_);
  EXPECT_EQ(roles.body.find("Sales"), std::string::npos) << roles.body;

  Response created = Call(Method::kPost, "/api/v4/roles", admin_id_,
                          R"([{"name": "Support", "request_id": "r1"}])");
  ASSERT_EQ(created.status, 201) << created.body;
  json role = Body(created)["_embedded"]["roles"][0];
  const std::string role_path = "/api/v4/roles/" + std::to_string(role["id"].get<std::int64_t>());
  ExpectRefused(Method::kPatch, role_path, R"({"name": "Help", "owner": 1})", "owner");
  json read = Body(Call(Method::kGet, role_path + "?with=users", admin_id_));
  read["name"] = "Help desk";
  EXPECT_EQ(Call(Method::kPatch, role_path, admin_id_, read.dump()).status, 202);

  ExpectRefused(Method::kPost, "/api/v4/users_groups", R"([{"name": "North", "lead": 1}])", "lead");
  Response group = Call(Method::kPost, "/api/v4/users_groups", admin_id_,
                        R"([{"name": "South", "request_id": "g"}])");
  ASSERT_EQ(group.status, 201) << group.body;
  json south = Body(group)["_embedded"]["users_groups"][0];
  const std::string group_path =
      "/api/v4/users_groups/" + std::to_string(south["id"].get<std::int64_t>());
  ExpectRefused(Method::kPatch, group_path, R"({"name": "East", "region": "e"})", "region");
  south.erase("request_id");
  south["name"] = "West";
  EXPECT_EQ(Call(Method::kPatch, group_path, admin_id_, south.dump()).status, 200);
}

TEST_F(UnknownMembersTest, PipelinesAndStagesRefuseUnknownMembersAndArchiving) {
  const std::string before = Call(Method::kGet, "/api/v4/leads/pipelines", admin_id_).body;
  ExpectRefused(Method::kPost, "/api/v4/leads/pipelines", R"([{"name": "P", "owner": 1}])",
                "owner");
  ExpectRefused(Method::kPost, "/api/v4/leads/pipelines",
                R"([{"name": "P", "_embedded": {"statuses": [], "stages": []}}])",
                "_embedded.stages");
  ExpectRefused(Method::kPost, "/api/v4/leads/pipelines",
                R"([{"name": "P", "_embedded": {"statuses": [{"name": "S", "weight": 2}]}}])",
                "_embedded.statuses.0.weight");
  Response archived = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                           R"([{"name": "P", "is_archive": true}])");
  ASSERT_EQ(archived.status, 400) << archived.body;
  EXPECT_EQ(FirstError(archived)["path"], "is_archive");
  EXPECT_EQ(FirstError(archived)["code"], "NotSupportedChoice");
  Response not_array = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                            R"([{"name": "P", "_embedded": {"statuses": {"name": "S"}}}])");
  ASSERT_EQ(not_array.status, 400) << not_array.body;
  EXPECT_EQ(FirstError(not_array)["path"], "_embedded.statuses");
  EXPECT_EQ(Call(Method::kGet, "/api/v4/leads/pipelines", admin_id_).body, before);

  // The pipeline as GET renders it (statuses included) is taken back.
  json pipeline =
      Body(Call(Method::kGet, "/api/v4/leads/pipelines", admin_id_))["_embedded"]["pipelines"][0];
  const std::string path =
      "/api/v4/leads/pipelines/" + std::to_string(pipeline["id"].get<std::int64_t>());
  json stage = pipeline["_embedded"]["statuses"][1];
  const std::string stage_path =
      path + "/statuses/" + std::to_string(stage["id"].get<std::int64_t>());
  ExpectRefused(Method::kPatch, stage_path, R"({"name": "S", "probability": 50})", "probability");
  stage["name"] = "Renamed stage";
  Response stage_saved = Call(Method::kPatch, stage_path, admin_id_, stage.dump());
  ASSERT_EQ(stage_saved.status, 200) << stage_saved.body;
  EXPECT_EQ(Body(stage_saved)["name"], "Renamed stage");
  pipeline.erase("_embedded");
  pipeline["name"] = "Renamed pipeline";
  Response saved = Call(Method::kPatch, path, admin_id_, pipeline.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["name"], "Renamed pipeline");
}

TEST_F(UnknownMembersTest, CustomFieldsRefuseUnknownMembersAndSettingsNotKept) {
  const std::string fields = "/api/v4/leads/custom_fields";
  const std::string before = Call(Method::kGet, fields, admin_id_).body;
  ExpectRefused(Method::kPost, fields, R"([{"name": "Size", "type": "text", "settings": {}}])",
                "settings");
  ExpectRefused(Method::kPost, fields,
                R"([{"name": "Size", "type": "select",
                     "enums": [{"value": "S", "sort": 1, "colour": "red"}]}])",
                "enums.0.colour");
  Response required = Call(Method::kPost, fields, admin_id_,
                           R"([{"name": "Size", "type": "text", "is_required": true}])");
  ASSERT_EQ(required.status, 400) << required.body;
  EXPECT_EQ(FirstError(required)["path"], "is_required");
  EXPECT_EQ(FirstError(required)["code"], "NotSupportedChoice");
  EXPECT_EQ(Call(Method::kGet, fields, admin_id_).body, before);

  // A field as GET renders it is taken back.
  Response created =
      Call(Method::kPost, fields, admin_id_, R"([{"name": "Size", "type": "text"}])");
  ASSERT_EQ(created.status, 200) << created.body;
  json field = Body(created)["_embedded"]["custom_fields"][0];
  field.erase("request_id");
  field["name"] = "Shoe size";
  Response saved = Call(Method::kPatch, fields, admin_id_, json::array({field}).dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["_embedded"]["custom_fields"][0]["name"], "Shoe size");
}

TEST_F(UnknownMembersTest, ThePreviewOfAChangeRefusesUnknownMembers) {
  ExpectRefused(Method::kPost, "/api/v4/security/impact",
                R"({"user_id": )" + std::to_string(member_) +
                    R"(, "rights": {"leads": {"view": "A"}}, "dry": true})",
                "dry");
}

// The security policy and whitelist read their members first and refuse the rest after.
TEST(SecurityBodiesTest, PolicyAndWhitelistRefuseUnknownMembersButSeatsUsed) {
  base::Result<service::PolicyPatch> patch =
      ReadPolicyPatch(json::parse(R"({"lockout_threshold": 5, "seats_used": 3, "colour": 1})"));
  ASSERT_FALSE(patch.ok());
  ASSERT_EQ(patch.status().fields().size(), 1u);
  EXPECT_EQ(patch.status().fields()[0].path, "colour");
  EXPECT_EQ(patch.status().fields()[0].code, "UnknownField");
  EXPECT_TRUE(ReadPolicyPatch(json::parse(R"({"lockout_threshold": 5, "seats_used": 3})")).ok());

  base::Result<service::IpWhitelist> whitelist =
      ReadIpWhitelist(json::parse(R"({"entries": ["10.0.0.0/8"], "mode": "strict"})"));
  ASSERT_FALSE(whitelist.ok());
  EXPECT_EQ(whitelist.status().fields()[0].path, "mode");
  EXPECT_TRUE(ReadIpWhitelist(json::parse(R"({"entries": ["10.0.0.0/8"]})")).ok());
}

}  // namespace
}  // namespace gatehouse::http::api
