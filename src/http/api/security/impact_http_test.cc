// POST /api/v4/security/impact through the Router (no network): the 200 shape, the rights as
// the save would store them, 403 for non-administrators, the PATCH's own 400 (with field paths)
// and 404, and nothing saved.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/admin/admin_http_test_util.h"
#include "http/api/api.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class ImpactHttpTest : public testing::AdminRoutesTest {
 protected:
  void SetUp() override {
    AdminRoutesTest::SetUp();
    other_ = AddUser("other@acme.test");
    AddLead(member_, "own");
    AddLead(other_, "theirs");
    AddLead(0, "nobody's");
  }

  Response Post(const std::string& body, domain::UserId as) {
    return Call(Method::kPost, "/api/v4/security/impact", as, body);
  }

  // Creates the role "Rep" (no rights) and gives it to other_; 0 when that failed.
  domain::RoleId GiveOtherARole() {
    domain::RoleId role = 0;
    const base::Status written =
        store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
          GH_ASSIGN_OR_RETURN(role, w.CreateRole({0, "Rep", {}}));
          GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(other_));
          row.user.role_id = role;
          return w.UpdateUser(row);
        });
    EXPECT_TRUE(written.ok()) << written.message();
    return written.ok() ? role : 0;
  }

  domain::UserId other_ = 0;
};

TEST_F(ImpactHttpTest, UserChangeShape) {
  const std::string body = R"({"user_id": )" + std::to_string(member_) +
                           R"(, "rights": {"leads": {"view": "A", "edit": "A"}}})";
  Response response = Post(body, admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, kHalJson);
  const json out = Body(response);
  ASSERT_EQ(out["affected_users"].size(), 1u) << out.dump();
  const json& user = out["affected_users"][0];
  EXPECT_EQ(user["user_id"], member_);
  EXPECT_EQ(user["name"], "member");
  // view M -> A gains the other user's lead and the lead with nobody responsible; edit D -> A
  // gains all three.
  EXPECT_EQ(user["changes"], json::parse(R"([
      {"data_set": "leads", "action": "view", "level_before": "M", "level_after": "A",
       "gain": 2, "lose": 0},
      {"data_set": "leads", "action": "edit", "level_before": "D", "level_after": "A",
       "gain": 3, "lose": 0}])"));
  EXPECT_EQ(out["summary"], json({{"users", 1}, {"gain", 5}, {"lose", 0}, {"field_changes", 0}}));
  EXPECT_EQ(user["field_changes"], json::array());
  EXPECT_EQ(out["_links"]["self"]["href"], "http://acme.test/api/v4/security/impact");
  // Nothing was saved.
  auto stored = Reader().GetUser(member_);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->user.rights, LeadsView(domain::Level::kIfResponsible));
}

TEST_F(ImpactHttpTest, RoleChangeAndLevelOnlyActions) {
  const domain::RoleId role = GiveOtherARole();
  ASSERT_NE(role, 0);
  Response response =
      Post(R"({"role_id": )" + std::to_string(role) + R"(, "rights": {"leads": {"add": "A"}}})",
           admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  const json out = Body(response);
  ASSERT_EQ(out["affected_users"].size(), 1u) << out.dump();
  EXPECT_EQ(out["affected_users"][0]["user_id"], other_);
  EXPECT_EQ(out["affected_users"][0]["changes"],
            json::parse(R"([{"data_set": "leads", "action": "add", "level_before": "D",
                             "level_after": "A", "gain": null, "lose": null}])"));
  EXPECT_EQ(out["summary"], json({{"users", 1}, {"gain", 0}, {"lose", 0}, {"field_changes", 0}}));
}

// The console narrows dependent cells from `rights`: the levels the save would store, normalized
// by the server (edit, delete and export never wider than view), not the levels sent.
TEST_F(ImpactHttpTest, UserChangeReturnsTheNormalizedRights) {
  const std::string body =
      R"({"user_id": )" + std::to_string(member_) +
      R"(, "rights": {"leads": {"view": "M", "edit": "A", "delete": "G", "export": "A"},
                      "contacts": {"view": "G", "add": "A", "edit": "A"}, "mail_access": true}})";
  Response response = Post(body, admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  const json rights = Body(response)["rights"];
  EXPECT_EQ(rights["leads"], json::parse(R"({"view": "M", "add": "D", "edit": "M",
                                              "delete": "M", "export": "M"})"));
  EXPECT_EQ(rights["contacts"]["edit"], "G");
  EXPECT_EQ(rights["contacts"]["add"], "A");
  EXPECT_EQ(rights["mail_access"], true);
  // In the user shape, with the user fields.
  EXPECT_EQ(rights["is_admin"], false);
  EXPECT_TRUE(rights.contains("role_id"));
  EXPECT_TRUE(rights.contains("group_id"));
}

TEST_F(ImpactHttpTest, HandEditOfARoleHolderShowsTheDetachAndRoleEditTheRoleRights) {
  const domain::RoleId role = GiveOtherARole();
  ASSERT_NE(role, 0);
  Response hand = Post(R"({"user_id": )" + std::to_string(other_) +
                           R"(, "rights": {"tasks": {"view": "A", "edit": "A"}}})",
                       admin_id_);
  ASSERT_EQ(hand.status, 200) << hand.body;
  EXPECT_EQ(Body(hand)["rights"]["role_id"], nullptr);
  EXPECT_EQ(Body(hand)["rights"]["tasks"]["edit"], "A");

  Response edit = Post(R"({"role_id": )" + std::to_string(role) +
                           R"(, "rights": {"leads": {"view": "G", "edit": "A"}}})",
                       admin_id_);
  ASSERT_EQ(edit.status, 200) << edit.body;
  const json rights = Body(edit)["rights"];
  EXPECT_EQ(rights["leads"]["view"], "G");
  EXPECT_EQ(rights["leads"]["edit"], "G");
  EXPECT_FALSE(rights.contains("is_admin"));  // a role's rights carry no user fields
}

// Field rights (issue 15 §3): a role edit that hides one lead field and makes a contact field
// read-only is reported for the role's holder, per field, in the custom_fields_rights letters;
// the response conforms to the OpenAPI document (Call checks every response).
TEST_F(ImpactHttpTest, FieldRightChangesPerHolderAndField) {
  domain::RoleId role = 0;
  domain::CustomField budget{.data_set = domain::DataSet::kLeads, .name = "Budget"};
  domain::CustomField phone{.data_set = domain::DataSet::kContacts, .name = "Phone"};
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(budget, w.CreateCustomField(budget));
                            GH_ASSIGN_OR_RETURN(phone, w.CreateCustomField(phone));
                            GH_ASSIGN_OR_RETURN(role, w.CreateRole({0, "Rep", {}}));
                            GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(other_));
                            row.user.role_id = role;
                            return w.UpdateUser(row);
                          })
                  .ok());
  const std::string body = R"({"role_id": )" + std::to_string(role) +
                           R"(, "rights": {"custom_fields_rights": {"leads": {")" +
                           std::to_string(budget.id) + R"(": {"view": "D", "edit": "D"}},
                           "contacts": {")" +
                           std::to_string(phone.id) + R"(": {"view": "A", "edit": "D"}}}}})";
  Response response = Post(body, admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  const json out = Body(response);
  ASSERT_EQ(out["affected_users"].size(), 1u) << out.dump();
  const json& user = out["affected_users"][0];
  EXPECT_EQ(user["user_id"], other_);
  EXPECT_EQ(user["changes"], json::array());
  EXPECT_EQ(user["field_changes"],
            json::parse(R"([{"data_set": "leads", "field_id": )" + std::to_string(budget.id) +
                        R"(, "field_name": "Budget", "view_before": "A", "view_after": "D",
                            "edit_before": "A", "edit_after": "D"},
                           {"data_set": "contacts", "field_id": )" +
                        std::to_string(phone.id) +
                        R"(, "field_name": "Phone", "view_before": "A", "view_after": "A",
                            "edit_before": "A", "edit_after": "D"}])"));
  EXPECT_EQ(out["summary"], json({{"users", 1}, {"gain", 0}, {"lose", 0}, {"field_changes", 2}}));
  EXPECT_EQ(out["rights"]["custom_fields_rights"]["leads"][std::to_string(budget.id)]["view"], "D");
  // Nothing was saved: the holder still sees the field.
  auto stored = Reader().GetUser(other_);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->user.rights.field_rights.empty());
}

TEST_F(ImpactHttpTest, NoChangeIsAnEmptyReport) {
  Response response =
      Post(R"({"user_id": )" + std::to_string(member_) + R"(, "rights": {"leads": {"view": "M"}}})",
           admin_id_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Body(response)["affected_users"], json::array());
  EXPECT_EQ(Body(response)["summary"]["users"], 0);
}

TEST_F(ImpactHttpTest, OnlyAdministrators) {
  Response response =
      Post(R"({"user_id": )" + std::to_string(member_) + R"(, "rights": {"leads": {"view": "A"}}})",
           member_);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.content_type, kProblemJson);
  EXPECT_EQ(Body(response)["status"], 403);
}

TEST_F(ImpactHttpTest, ValidationErrorsAsThePatchGivesThem) {
  const std::string rights = R"("rights": {"leads": {"view": "X"}})";
  Response preview =
      Post(R"({"user_id": )" + std::to_string(member_) + ", " + rights + "}", admin_id_);
  EXPECT_EQ(preview.status, 400) << preview.body;
  EXPECT_EQ(preview.content_type, kProblemJson);
  const json errors = Body(preview)["validation-errors"];
  ASSERT_EQ(errors.size(), 1u) << preview.body;
  EXPECT_EQ(errors[0]["errors"][0]["path"], "rights.leads.view");

  Request patch;
  patch.method = Method::kPatch;
  patch.method_name = "PATCH";
  patch.target = patch.path = "/api/v4/users/" + std::to_string(member_);
  patch.segments = {"api", "v4", "users", std::to_string(member_)};
  patch.headers.Set("host", "acme.test");
  patch.body = "{" + rights + "}";
  SetCaller(patch, As(admin_id_));
  Response saved = router_.Handle(patch);
  EXPECT_EQ(saved.status, 400);
  EXPECT_EQ(Body(saved)["validation-errors"], errors);

  // Shape errors and a body naming no change.
  EXPECT_EQ(Post(R"({"user_id": "x", "rights": {}})", admin_id_).status, 400);
  Response none = Post(R"({"rights": {"leads": {"view": "A"}}})", admin_id_);
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(Body(none)["validation-errors"][0]["errors"][0]["path"], "user_id");
  // A role assigned to the user must exist, as in the PATCH (path role_id).
  Response role =
      Post(R"({"user_id": )" + std::to_string(member_) + R"(, "role_id": 987654})", admin_id_);
  EXPECT_EQ(role.status, 400) << role.body;
  EXPECT_EQ(Body(role)["validation-errors"][0]["errors"][0]["path"], "role_id");
}

TEST_F(ImpactHttpTest, UnknownUserOrRole) {
  EXPECT_EQ(Post(R"({"user_id": 987654, "rights": {"leads": {"view": "A"}}})", admin_id_).status,
            404);
  EXPECT_EQ(Post(R"({"role_id": 987654, "rights": {"leads": {"view": "A"}}})", admin_id_).status,
            404);
}

}  // namespace
}  // namespace gatehouse::http::api
