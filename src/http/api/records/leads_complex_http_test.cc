// POST /api/v4/leads/complex through the Router: the body a web-form plug-in sends (a lead with
// a new contact by field_code and a new company), existing records linked by id, Kommo's bare
// array answer, and every refusal a 400 or 403 that leaves nothing behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

class LeadsComplexHttpTest : public testing::RecordRoutesFixture {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddAdminRoutes();
    AddSalesUsers({DataSet::kLeads});
    admin_ = AddUser("admin@acme.test", service::testing::Uniform(Level::kAllowed), sales_, true);
    Response fields = Send(Method::kPost, "/api/v4/contacts/custom_fields", admin_,
                           R"([{"name": "Phone", "type": "multitext", "code": "PHONE"},
                               {"name": "Email", "type": "multitext", "code": "EMAIL"}])");
    ASSERT_EQ(fields.status, 200) << fields.body;
  }

  Response Complex(domain::UserId user, const std::string& body) {
    return Send(Method::kPost, "/api/v4/leads/complex", user, body);
  }

  // The ids `plural` lists for the administrator (who sees every record).
  std::vector<std::int64_t> AllIds(const std::string& plural) {
    return ListedIds(Send(Method::kGet, "/api/v4/" + plural, admin_), plural);
  }

  domain::UserId admin_ = 0;
};

// What a shop or web-form plug-in sends (kommo-api-v4.md §9; field codes and enum codes rather
// than ids, a tag by name).
constexpr char kWebForm[] = R"([{
  "name": "Request from the site", "price": 1500, "responsible_user_id": RESPONSIBLE,
  "_embedded": {
    "tags": [{"name": "Site"}],
    "contacts": [{"first_name": "Ann", "custom_fields_values": [
      {"field_code": "PHONE", "values": [{"value": "+1 555 0100", "enum_code": "WORK"}]},
      {"field_code": "EMAIL", "values": [{"value": "ann@shop.test", "enum_code": "WORK"}]}]}],
    "companies": [{"name": "Ann's shop"}]}}])";

std::string WebForm(domain::UserId responsible) {
  std::string body = kWebForm;
  body.replace(body.find("RESPONSIBLE"), 11, std::to_string(responsible));
  return body;
}

TEST_F(LeadsComplexHttpTest, AWebFormLeadArrivesWithItsContactAndCompany) {
  Response r = Complex(allowed_, WebForm(mine_));
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = Body(r);
  ASSERT_TRUE(body.is_array()) << r.body;
  ASSERT_EQ(body.size(), 1u);
  const json& item = body[0];
  EXPECT_EQ(item["request_id"], json::array({"0"}));
  EXPECT_EQ(item["merged"], false);
  const std::int64_t lead = item["id"], contact = item["contact_id"], company = item["company_id"];

  const json read = Body(
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?with=contacts", allowed_));
  EXPECT_EQ(read["name"], "Request from the site");
  EXPECT_EQ(read["price"], 1500);
  EXPECT_EQ(read["responsible_user_id"], mine_);
  EXPECT_EQ(read["_embedded"]["tags"][0]["name"], "Site");
  ASSERT_EQ(read["_embedded"]["contacts"].size(), 1u);
  EXPECT_EQ(read["_embedded"]["contacts"][0]["id"], contact);
  EXPECT_EQ(read["_embedded"]["contacts"][0]["is_main"], true);
  EXPECT_EQ(read["_embedded"]["companies"][0]["id"], company);

  // The contact is the lead's responsible user's, so the salesperson who works the lead sees it.
  const json person =
      Body(Send(Method::kGet, "/api/v4/contacts/" + std::to_string(contact), mine_));
  EXPECT_EQ(person["first_name"], "Ann");
  EXPECT_EQ(person["responsible_user_id"], mine_);
  ASSERT_EQ(person["custom_fields_values"].size(), 2u) << person;
  EXPECT_EQ(person["custom_fields_values"][0]["field_code"], "PHONE");
  EXPECT_EQ(person["custom_fields_values"][0]["values"][0]["value"], "+1 555 0100");
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/companies/" + std::to_string(company), mine_))["name"],
            "Ann's shop");
}

TEST_F(LeadsComplexHttpTest, ExistingRecordsAreLinkedByIdAndRequestIdsEchoed) {
  const std::int64_t contact = MakeContact(allowed_, "Known").id;
  // A client library sends the record as it loaded it, with its id: it is linked, not changed.
  Response r = Complex(allowed_, R"([{"name": "Repeat customer", "request_id": "form-7",
      "_embedded": {"contacts": [{"id": )" +
                                     std::to_string(contact) +
                                     R"(, "name": "Renamed", "request_id": null}]}},
      {"name": "Alone", "_embedded": {"contacts": [{"first_name": "New", "request_id": null}]}}])");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = Body(r);
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0]["contact_id"], contact);
  EXPECT_TRUE(body[0]["company_id"].is_null());
  EXPECT_EQ(body[0]["request_id"], json::array({"form-7"}));
  EXPECT_FALSE(body[1]["contact_id"].is_null());
  EXPECT_EQ(body[1]["request_id"], json::array({"1"}));
  const json read = Body(
      Send(Method::kGet, "/api/v4/contacts/" + std::to_string(contact) + "?with=leads", allowed_));
  EXPECT_EQ(read["name"], "Known");
  EXPECT_EQ(read["_embedded"]["leads"][0]["id"], body[0]["id"]);
}

TEST_F(LeadsComplexHttpTest, MalformedItemsAreRefusedByPathAndNothingIsKept) {
  const std::int64_t known = MakeContact(allowed_, "Known").id;
  struct Case {
    std::string item;
    std::string path;
  };
  const std::vector<Case> cases = {
      {R"({"_embedded": {"contacts": [{"name": "A"}, {"name": "B"}]}})", "0._embedded.contacts"},
      {R"({"_embedded": {"companies": [{"name": "A"}, {"name": "B"}]}})", "0._embedded.companies"},
      {R"({"_embedded": {"contacts": [{"name": "A", "colour": "red"}]}})",
       "0._embedded.contacts.0.colour"},
      {R"({"_embedded": {"companies": [{"name": 5}]}})", "0._embedded.companies.0.name"},
      {R"({"_embedded": {"metadata": {"form_id": "x"}}})", "0._embedded.metadata"},
      {R"({"name": "Fine", "price": -1})", "0.price"},
      // Checked by the service, after parsing: the field value's enum and an unknown user.
      {R"({"_embedded": {"contacts": [{"name": "A", "custom_fields_values": [{"field_code":
          "PHONE", "values": [{"value": "1", "enum_code": "NOPE"}]}]}]}})",
       "0._embedded.contacts.0.custom_fields_values.0.values.0.enum_code"},
      {R"({"_embedded": {"companies": [{"name": "A", "responsible_user_id": 987654}]}})",
       "0._embedded.companies.0.responsible_user_id"},
  };
  for (const Case& c : cases) {
    Response r = Complex(allowed_, "[" + c.item + "]");
    EXPECT_EQ(r.status, 400) << c.item << ": " << r.body;
    EXPECT_THAT(ErrorPaths(r), Contains(c.path)) << c.item << ": " << r.body;
  }
  EXPECT_TRUE(AllIds("leads").empty());
  EXPECT_THAT(AllIds("contacts"), ElementsAre(known));
  EXPECT_TRUE(AllIds("companies").empty());

  EXPECT_EQ(Complex(allowed_, R"({"name": "Not in an array"})").status, 400);
  std::string many = "[";
  for (int i = 0; i < 51; ++i) many += std::string(i == 0 ? "" : ",") + R"({"name": "x"})";
  Response too_many = Complex(allowed_, many + "]");
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_NE(too_many.body.find("at most 50"), std::string::npos) << too_many.body;
  EXPECT_TRUE(AllIds("leads").empty());
}

TEST_F(LeadsComplexHttpTest, EachRecordNeedsItsOwnRightsAndHiddenRecordsCannotBeLinked) {
  // viewer_ may only view leads: adding any record is refused, and nothing is kept.
  Response refused = Complex(viewer_, WebForm(viewer_));
  EXPECT_EQ(refused.status, 403) << refused.body;
  // mine_ sees only its own contacts: the outsider's is answered as if it did not exist.
  const std::int64_t hidden = MakeContact(outsider_, "Hidden").id;
  Response probe = Complex(mine_, R"([{"name": "Probe", "_embedded": {"contacts": [{"id": )" +
                                      std::to_string(hidden) + "}]}}]");
  EXPECT_EQ(probe.status, 400) << probe.body;
  EXPECT_THAT(ErrorPaths(probe), ElementsAre("0._embedded.contacts.0.id"));
  EXPECT_TRUE(AllIds("leads").empty());
  EXPECT_THAT(AllIds("contacts"), ElementsAre(hidden));
  EXPECT_TRUE(AllIds("companies").empty());
}

}  // namespace
}  // namespace gatehouse::http::api
