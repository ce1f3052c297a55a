// Custom fields through the Router (issue 15 §3): definitions (administrators write, everyone
// reads what they may view), custom_fields_values validated per type in Kommo's shape, and
// field rights: hidden fields absent from responses and unknown to writes, read-only fields a
// 403 naming the field with nothing of the batch written, hidden values kept by a PATCH.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/api.h"
#include "http/api/records/record_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

class CustomFieldsHttpTest : public testing::RecordRoutesFixture {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (HasFatalFailure()) return;
    AddAdminRoutes();
    admin_ = AddUser("admin@acme.test", service::testing::Uniform(Level::kAllowed), sales_, true);
    user_ = AddUser("user@acme.test", service::testing::Uniform(Level::kAllowed), sales_);
  }

  static json Body(const Response& response) { return json::parse(response.body, nullptr, false); }

  // Creates the fields of `body` (a JSON array) as the administrator; returns them.
  json CreateFields(const std::string& entity, const std::string& body) {
    Response r = Send(Method::kPost, "/api/v4/" + entity + "/custom_fields", admin_, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r)["_embedded"]["custom_fields"];
  }

  std::int64_t CreateLead(domain::UserId user, const json& values) {
    json body = json::array({{{"name", "Deal"}, {"custom_fields_values", values}}});
    Response r = Send(Method::kPost, "/api/v4/leads", user, body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return 0;
    return Body(r)["_embedded"]["leads"][0]["id"].get<std::int64_t>();
  }

  json LeadValues(std::int64_t id, domain::UserId user) {
    Response r = Send(Method::kGet, "/api/v4/leads/" + std::to_string(id), user);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r)["custom_fields_values"];
  }

  // A user whose rights restrict `field_rights` (everything else A).
  domain::UserId AddRestricted(const std::string& email,
                               std::vector<domain::FieldRight> field_rights) {
    domain::Rights rights = service::testing::Uniform(Level::kAllowed);
    rights.field_rights = std::move(field_rights);
    domain::NormalizeFieldRights(rights.field_rights);
    return AddUser(email, rights, sales_);
  }

  domain::UserId admin_ = 0, user_ = 0;
};

TEST_F(CustomFieldsHttpTest, AdministratorsDefineFieldsEveryoneReadsThem) {
  json fields = CreateFields("leads", R"([
      {"name": "Budget", "type": "numeric", "sort": 1},
      {"name": "Source", "type": "select", "enums": [{"value": "Web"}, {"value": "Phone"}]},
      {"name": "Phone", "type": "multitext", "code": "PHONE"}])");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1]["enums"].size(), 2u);
  EXPECT_EQ(fields[2]["enums"][0]["value"], "WORK");  // Kommo's phone enums by default
  EXPECT_EQ(fields[2]["code"], "PHONE");
  EXPECT_EQ(fields[0]["entity_type"], "leads");

  Response denied = Send(Method::kPost, "/api/v4/leads/custom_fields", user_,
                         R"([{"name": "X", "type": "text"}])");
  EXPECT_EQ(denied.status, 403) << denied.body;
  Response listed = Send(Method::kGet, "/api/v4/leads/custom_fields", user_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(Body(listed)["_embedded"]["custom_fields"].size(), 3u);
  // Contacts have fields of their own.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts/custom_fields", user_).status, 204);

  Response bad = Send(Method::kPost, "/api/v4/leads/custom_fields", admin_,
                      R"([{"name": "A", "type": "colour"}, {"name": "B", "type": "select"}])");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("type"), std::string::npos);
  EXPECT_NE(bad.body.find("enums"), std::string::npos);

  const std::string one = "/api/v4/leads/custom_fields/" + fields[0]["id"].dump();
  Response renamed = Send(Method::kPatch, one, admin_, R"({"name": "Budget EUR"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Body(renamed)["name"], "Budget EUR");
  EXPECT_EQ(Send(Method::kPatch, one, user_, R"({"name": "Mine"})").status, 403);
  EXPECT_EQ(Send(Method::kDelete, one, user_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, one, admin_).status, 204);
  EXPECT_EQ(Send(Method::kGet, one, admin_).status, 404);
}

TEST_F(CustomFieldsHttpTest, ValuesAreValidatedPerTypeAndRenderedInKommosShape) {
  json fields = CreateFields("leads", R"([
      {"name": "Budget", "type": "numeric"},
      {"name": "Source", "type": "select", "enums": [{"value": "Web"}, {"value": "Phone"}]},
      {"name": "Phone", "type": "multitext", "code": "PHONE"},
      {"name": "Due", "type": "date"},
      {"name": "Site", "type": "url"},
      {"name": "VIP", "type": "checkbox"}])");
  ASSERT_EQ(fields.size(), 6u);
  const std::int64_t budget = fields[0]["id"], source = fields[1]["id"], phone = fields[2]["id"],
                     due = fields[3]["id"], site = fields[4]["id"], vip = fields[5]["id"];
  const std::int64_t web = fields[1]["enums"][0]["id"];
  const std::int64_t lead = CreateLead(
      user_,
      json::array({{{"field_id", budget}, {"values", {{{"value", "1500.50"}}}}},
                   {{"field_id", source}, {"values", {{{"enum_id", web}}}}},
                   {{"field_id", phone},
                    {"values", {{{"value", "+100"}, {"enum_code", "MOB"}}, {{"value", "+200"}}}}},
                   {{"field_id", due}, {"values", {{{"value", "2026-02-01"}}}}},
                   {{"field_id", site}, {"values", {{{"value", "https://acme.test/x"}}}}},
                   {{"field_id", vip}, {"values", {{{"value", true}}}}}}));
  ASSERT_NE(lead, 0);
  json values = LeadValues(lead, user_);
  ASSERT_TRUE(values.is_array()) << values;
  ASSERT_EQ(values.size(), 6u) << values;
  EXPECT_EQ(values[0]["field_name"], "Budget");
  EXPECT_EQ(values[0]["field_type"], "numeric");
  EXPECT_EQ(values[0]["values"][0]["value"], "1500.50");
  EXPECT_EQ(values[1]["values"][0]["value"], "Web");
  EXPECT_EQ(values[1]["values"][0]["enum_id"], web);
  EXPECT_EQ(values[2]["field_code"], "PHONE");
  EXPECT_EQ(values[2]["values"][0]["enum_code"], "MOB");
  EXPECT_EQ(values[2]["values"][1]["enum_code"], "WORK");
  EXPECT_EQ(values[3]["values"][0]["value"], 1769904000);
  EXPECT_EQ(values[5]["values"][0]["value"], true);

  struct Case {
    json entry;
    std::string path;
  };
  const std::vector<Case> cases = {
      {{{"field_id", 999999}, {"values", {{{"value", "x"}}}}}, "0.custom_fields_values.0.field_id"},
      {{{"field_id", budget}, {"values", {{{"value", "lots"}}}}},
       "0.custom_fields_values.0.values.0.value"},
      {{{"field_id", source}, {"values", {{{"enum_id", 999999}}}}},
       "0.custom_fields_values.0.values.0.enum_id"},
      {{{"field_id", due}, {"values", {{{"value", "2026-02-30"}}}}},
       "0.custom_fields_values.0.values.0.value"},
      {{{"field_id", site}, {"values", {{{"value", "javascript:alert(1)"}}}}},
       "0.custom_fields_values.0.values.0.value"},
      {{{"field_id", vip}, {"values", {{{"value", "yes"}}}}},
       "0.custom_fields_values.0.values.0.value"},
      {{{"field_id", source}, {"values", {{{"enum_id", web}}, {{"enum_id", web}}}}},
       "0.custom_fields_values.0.values"},
  };
  for (const Case& c : cases) {
    // The second item is valid: nothing of the batch may be written.
    json body = json::array({{{"id", lead}, {"name", "Renamed"}},
                             {{"id", lead}, {"custom_fields_values", json::array({c.entry})}}});
    std::swap(body[0], body[1]);
    Response r = Send(Method::kPatch, "/api/v4/leads", user_, body.dump());
    EXPECT_EQ(r.status, 400) << c.entry << r.body;
    EXPECT_NE(r.body.find("\"" + c.path + "\""), std::string::npos) << c.entry << r.body;
  }
  Response after = Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), user_);
  EXPECT_EQ(Body(after)["name"], "Deal");
  EXPECT_EQ(LeadValues(lead, user_), values);

  // values null clears one field; the others stay.
  Response cleared = Send(
      Method::kPatch, "/api/v4/leads", user_,
      json::array(
          {{{"id", lead}, {"custom_fields_values", {{{"field_id", budget}, {"values", nullptr}}}}}})
          .dump());
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(LeadValues(lead, user_).size(), 5u);

  // Deleting a field deletes its values.
  EXPECT_EQ(
      Send(Method::kDelete, "/api/v4/leads/custom_fields/" + std::to_string(source), admin_).status,
      204);
  EXPECT_EQ(LeadValues(lead, user_).size(), 4u);
}

TEST_F(CustomFieldsHttpTest, FieldRightsHideFieldsAndRefuseWritesOfReadOnlyOnes) {
  json fields = CreateFields("leads", R"([
      {"name": "Open", "type": "text"}, {"name": "Secret", "type": "text"},
      {"name": "Frozen", "type": "text"}])");
  ASSERT_EQ(fields.size(), 3u);
  const std::int64_t open = fields[0]["id"], secret = fields[1]["id"], frozen = fields[2]["id"];
  const domain::UserId limited = AddRestricted(
      "limited@acme.test",
      {{DataSet::kLeads, secret, false, true}, {DataSet::kLeads, frozen, true, false}});
  auto entry = [](std::int64_t id, const std::string& v) {
    return json{{"field_id", id}, {"values", {{{"value", v}}}}};
  };
  const std::int64_t lead =
      CreateLead(admin_, json::array({entry(open, "o"), entry(secret, "s"), entry(frozen, "f")}));

  // Hidden: absent from the record, its list and the definitions.
  json seen = LeadValues(lead, limited);
  ASSERT_EQ(seen.size(), 2u) << seen;
  EXPECT_EQ(seen[0]["field_id"], open);
  EXPECT_EQ(seen[1]["field_id"], frozen);
  Response list = Send(Method::kGet, "/api/v4/leads", limited);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("\"Secret\""), std::string::npos);
  Response defs = Send(Method::kGet, "/api/v4/leads/custom_fields", limited);
  EXPECT_EQ(Body(defs)["_embedded"]["custom_fields"].size(), 2u);
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/leads/custom_fields/" + std::to_string(secret), limited).status,
      404);
  EXPECT_EQ(LeadValues(lead, admin_).size(), 3u);  // administrators see all

  // Read-only: a 403 naming the field, and nothing of the batch is written.
  json batch = json::array({{{"id", lead}, {"name", "Renamed"}},
                            {{"id", lead}, {"custom_fields_values", {entry(frozen, "x")}}}});
  Response refused = Send(Method::kPatch, "/api/v4/leads", limited, batch.dump());
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("Frozen"), std::string::npos) << refused.body;
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), admin_))["name"],
            "Deal");
  // Hidden: as unknown as a field that does not exist.
  Response hidden =
      Send(Method::kPatch, "/api/v4/leads", limited,
           json::array({{{"id", lead}, {"custom_fields_values", {entry(secret, "x")}}}}).dump());
  EXPECT_EQ(hidden.status, 400) << hidden.body;

  // A PATCH of other things keeps the hidden value.
  Response patched = Send(
      Method::kPatch, "/api/v4/leads", limited,
      json::array({{{"id", lead}, {"name", "New"}, {"custom_fields_values", {entry(open, "o2")}}}})
          .dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  json all = LeadValues(lead, admin_);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["values"][0]["value"], "o2");
  EXPECT_EQ(all[1]["values"][0]["value"], "s");
  EXPECT_EQ(all[2]["values"][0]["value"], "f");
}

TEST_F(CustomFieldsHttpTest, FieldRightsTravelThroughTheUsersAndRolesApi) {
  json fields = CreateFields("contacts", R"([{"name": "Salary", "type": "price"}])");
  const std::string id = fields[0]["id"].dump();
  const std::string user = "/api/v4/users/" + std::to_string(user_);
  Response set = Send(Method::kPatch, user, admin_,
                      R"({"rights": {"custom_fields_rights": {"contacts": {")" + id +
                          R"(": {"view": "D", "edit": "A"}}}}})");
  ASSERT_EQ(set.status, 200) << set.body;
  json rights = Body(Send(Method::kGet, user, admin_))["rights"];
  EXPECT_EQ(rights["custom_fields_rights"]["contacts"][id]["view"], "D");
  EXPECT_EQ(rights["custom_fields_rights"]["contacts"][id]["edit"], "D");  // narrowed to view
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts/custom_fields", user_).status, 204);

  Response unknown =
      Send(Method::kPatch, user, admin_,
           R"({"rights": {"custom_fields_rights": {"contacts": {"424242": {"view": "D"}}}}})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("rights.custom_fields_rights.contacts.424242"), std::string::npos);

  // A role's field rights reach its holders.
  Response role = Send(Method::kPost, "/api/v4/roles", admin_,
                       R"([{"name": "No salary", "rights": {"contacts": {"view": "A"},
                           "custom_fields_rights": {"contacts": {")" +
                           id + R"(": {"view": "A", "edit": "D"}}}}}])");
  ASSERT_EQ(role.status, 201) << role.body;
  const std::int64_t role_id = Body(role)["_embedded"]["roles"][0]["id"];
  EXPECT_EQ(
      Body(role)["_embedded"]["roles"][0]["rights"]["custom_fields_rights"]["contacts"][id]["edit"],
      "D");
  ASSERT_EQ(
      Send(Method::kPatch, user, admin_, R"({"role_id": )" + std::to_string(role_id) + "}").status,
      200);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts/custom_fields", user_).status, 200);
  EXPECT_FALSE(As(user_).policy->CanEditField(user_, DataSet::kContacts, fields[0]["id"]));

  // Deleting the field drops it from every right.
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/contacts/custom_fields/" + id, admin_).status, 204);
  EXPECT_TRUE(Body(Send(Method::kGet, user, admin_))["rights"]["custom_fields_rights"].is_null());
}

}  // namespace
}  // namespace gatehouse::http::api
