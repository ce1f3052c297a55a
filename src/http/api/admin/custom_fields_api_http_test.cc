// The rest of the custom fields API (issue 15 §2-§4), through the Router on both engines, every
// response checked against the OpenAPI document: filter[custom_fields_values] inside the
// permission filter (a hidden field answered exactly as an unknown one), CSV export columns per
// visible field and tags, customers with custom fields and tags, created_by / updated_by stored,
// customers' computed figures refused, and custom_field_value_changed events shown only with
// their field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/api.h"
#include "http/api/records/record_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

using storage::testing::Engine;

class CustomFieldsApiTest : public service::testing::OnEachEngine<testing::RecordRoutesFixture> {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddAdminRoutes();
    admin_ = AddUser("admin@acme.test", service::testing::Uniform(Level::kAllowed), sales_, true);
    user_ = AddUser("user@acme.test", service::testing::Uniform(Level::kAllowed), sales_);
    mine_ = AddUser("mine@acme.test", service::testing::Uniform(Level::kIfResponsible), sales_);
  }

  static json Body(const Response& response) { return json::parse(response.body, nullptr, false); }

  // Creates the fields of `body` (a JSON array) as the administrator; returns their ids.
  std::vector<std::int64_t> CreateFields(const std::string& entity, const std::string& body) {
    Response r = Send(Method::kPost, "/api/v4/" + entity + "/custom_fields", admin_, body);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::int64_t> ids;
    const json body = Body(r);
    for (const json& f : body["_embedded"]["custom_fields"]) ids.push_back(f["id"]);
    return ids;
  }

  // POSTs one record of `entity` as `user`; returns its id (0 on failure).
  std::int64_t Create(const std::string& entity, domain::UserId user, json item) {
    Response r = Send(Method::kPost, "/api/v4/" + entity, user, json::array({item}).dump());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return 0;
    return Body(r)["_embedded"][entity][0]["id"].get<std::int64_t>();
  }

  // The ids a list answers (204: none).
  std::vector<std::int64_t> Ids(const std::string& target, domain::UserId user) {
    Response r = Send(Method::kGet, target, user);
    std::vector<std::int64_t> ids;
    if (r.status == 204) return ids;
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    const std::string plural = target.substr(8, target.find_first_of("/?", 8) - 8);
    const json body = Body(r);
    for (const json& item : body["_embedded"][plural]) ids.push_back(item["id"]);
    return ids;
  }

  domain::UserId AddRestricted(const std::string& email, std::vector<domain::FieldRight> rights) {
    domain::Rights r = service::testing::Uniform(Level::kAllowed);
    r.field_rights = std::move(rights);
    domain::NormalizeFieldRights(r.field_rights);
    return AddUser(email, r, sales_);
  }

  static json Values(std::int64_t field, json values) {
    return json::array({{{"field_id", field}, {"values", std::move(values)}}});
  }

  domain::UserId admin_ = 0, user_ = 0;
};

using IdList = std::vector<std::int64_t>;

TEST_P(CustomFieldsApiTest, FilterByCustomFieldValuesPerType) {
  const IdList f = CreateFields("leads", R"([
      {"name": "Budget", "type": "numeric"},
      {"name": "Source", "type": "select", "enums": [{"value": "Web"}, {"value": "Phone"}]},
      {"name": "City", "type": "text"},
      {"name": "VIP", "type": "checkbox"},
      {"name": "Signed", "type": "date"}])");
  ASSERT_EQ(f.size(), 5u);
  auto lead = [&](json values) {
    return Create("leads", user_, {{"name", "L"}, {"custom_fields_values", std::move(values)}});
  };
  const std::int64_t a =
      lead(json::array({{{"field_id", f[0]}, {"values", {{{"value", 100}}}}},
                        {{"field_id", f[1]}, {"values", {{{"value", "Web"}}}}},
                        {{"field_id", f[2]}, {"values", {{{"value", "Oslo"}}}}},
                        {{"field_id", f[3]}, {"values", {{{"value", true}}}}},
                        {{"field_id", f[4]}, {"values", {{{"value", "2024-01-15"}}}}}}));
  const std::int64_t b =
      lead(json::array({{{"field_id", f[0]}, {"values", {{{"value", "2500.5"}}}}},
                        {{"field_id", f[1]}, {"values", {{{"value", "Phone"}}}}},
                        {{"field_id", f[2]}, {"values", {{{"value", "Bergen"}}}}},
                        {{"field_id", f[3]}, {"values", {{{"value", false}}}}}}));
  const std::int64_t c = lead(json::array());  // no values at all
  const std::string base = "/api/v4/leads?filter[custom_fields_values][";
  auto cf = [&](int i) { return "filter[custom_fields_values][" + std::to_string(f[i]) + "]"; };
  auto key = [&](int i) { return "/api/v4/leads?" + cf(i); };

  EXPECT_EQ(Ids(key(0) + "[from]=50&" + cf(0) + "[to]=1000", user_), (IdList{a}));
  EXPECT_EQ(Ids(key(0) + "[from]=1000", user_), (IdList{b}));
  EXPECT_EQ(Ids(key(0) + "[]=2500.50", user_), (IdList{b}));  // numbers compare as numbers
  EXPECT_EQ(Ids(key(1) + "[]=Web", user_), (IdList{a}));      // an enum by value ...
  const Response fields =
      Send(Method::kGet, "/api/v4/leads/custom_fields/" + std::to_string(f[1]), admin_);
  const std::int64_t phone = Body(fields)["enums"][1]["id"];
  EXPECT_EQ(Ids(key(1) + "[]=" + std::to_string(phone), user_), (IdList{b}));  // ... or by id
  EXPECT_EQ(Ids(key(1) + "[]=Web&" + cf(1) + "[]=Phone", user_), (IdList{a, b}));
  EXPECT_EQ(Ids(key(2) + "[]=Bergen", user_), (IdList{b}));
  EXPECT_EQ(Ids(key(3) + "=1", user_), (IdList{a}));
  EXPECT_EQ(Ids(key(3) + "=0", user_), (IdList{b, c}));  // unchecked: cleared or never set
  EXPECT_EQ(Ids(key(4) + "[from]=2024-01-01&" + cf(4) + "[to]=2024-02-01", user_), (IdList{a}));
  // Conditions combine with AND, and with the other filters.
  EXPECT_EQ(Ids(key(1) + "[]=Web&" + cf(2) + "[]=Bergen", user_), IdList{});
  EXPECT_EQ(Ids(key(2) + "[]=Oslo&filter[id]=" + std::to_string(b), user_), IdList{});

  // Bad conditions are 400s naming them.
  for (const std::string& bad :
       {key(0) + "[]=lots", key(2) + "[from]=1", key(1) + "[]=Fax", key(3) + "=maybe",
        key(0) + "[below]=3", base + "x][]=1", base + "999999][]=1"}) {
    Response r = Send(Method::kGet, bad, user_);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("filter[custom_fields_values]"), std::string::npos) << r.body;
  }
  // Tasks carry no custom fields.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/tasks?filter[custom_fields_values][1][]=x", user_).status,
            400);
}

TEST_P(CustomFieldsApiTest, FilterRunsInsideThePermissionFilterAndHiddenFieldsDoNotExist) {
  const IdList f = CreateFields("contacts", R"([{"name": "City", "type": "text"},
                                             {"name": "Salary", "type": "numeric"}])");
  ASSERT_EQ(f.size(), 2u);
  const std::int64_t own =
      Create("contacts", mine_,
             {{"name", "Own"}, {"custom_fields_values", Values(f[0], {{{"value", "Oslo"}}})}});
  Create("contacts", user_,
         {{"name", "Other's"}, {"custom_fields_values", Values(f[0], {{{"value", "Oslo"}}})}});
  const std::string city =
      "/api/v4/contacts?filter[custom_fields_values][" + std::to_string(f[0]) + "][]=Oslo";
  // Only the matching contacts the caller may view: a filter never widens the view.
  EXPECT_EQ(Ids(city, mine_), (IdList{own}));
  EXPECT_EQ(Ids(city, user_).size(), 2u);

  // A field the caller may not view is refused exactly as a field that does not exist.
  const domain::UserId blind =
      AddRestricted("blind@acme.test", {{DataSet::kContacts, f[1], false, false}});
  const std::string hidden =
      "/api/v4/contacts?filter[custom_fields_values][" + std::to_string(f[1]) + "][from]=1";
  const std::string missing =
      "/api/v4/contacts?filter[custom_fields_values][" + std::to_string(f[1] + 1000) + "][from]=1";
  const Response refused = Send(Method::kGet, hidden, blind);
  const Response unknown = Send(Method::kGet, missing, blind);
  ASSERT_EQ(refused.status, 400) << refused.body;
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  json a = Body(refused), b = Body(unknown);
  auto detail = [](json body, std::int64_t id) {
    std::string text = body["validation-errors"][0]["errors"][0].dump();
    const std::string needle = std::to_string(id);
    for (std::size_t at; (at = text.find(needle)) != std::string::npos;)
      text.replace(at, needle.size(), "ID");
    return text;
  };
  EXPECT_EQ(detail(a, f[1]), detail(b, f[1] + 1000));
  EXPECT_EQ(a["validation-errors"][0]["errors"][0]["code"], "NotFound");
  // The export takes the same filters, refused alike.
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/contacts/export?" + hidden.substr(hidden.find('?') + 1), blind)
          .status,
      400);
  // Visible fields still filter for that user.
  EXPECT_EQ(Ids(city, blind).size(), 2u);
}

TEST_P(CustomFieldsApiTest, ExportHasAColumnPerVisibleFieldAndTheTags) {
  const IdList f = CreateFields("leads", R"([{"name": "Budget", "type": "numeric"},
                                          {"name": "Secret, note", "type": "text"},
                                          {"name": "Channels", "type": "multiselect",
                                           "enums": [{"value": "Web"}, {"value": "Mail"}]}])");
  ASSERT_EQ(f.size(), 3u);
  const std::int64_t id = Create(
      "leads", user_,
      {{"name", "Deal"},
       {"custom_fields_values",
        json::array({{{"field_id", f[0]}, {"values", {{{"value", 12}}}}},
                     {{"field_id", f[1]}, {"values", {{{"value", "classified"}}}}},
                     {{"field_id", f[2]}, {"values", {{{"value", "Web"}}, {{"value", "Mail"}}}}}})},
       {"_embedded", {{"tags", {{{"name", "hot"}}, {{"name", "b2b"}}}}}}});
  ASSERT_NE(id, 0);
  Create("leads", user_, {{"name", "Plain"}});

  const Response all = Send(Method::kGet, "/api/v4/leads/export", admin_);
  ASSERT_EQ(all.status, 200) << all.body;
  const std::string header = all.body.substr(0, all.body.find("\r\n"));
  EXPECT_NE(header.find(",closed_at,Budget,\"Secret, note\",Channels,tags"), std::string::npos)
      << header;
  EXPECT_NE(all.body.find(",12,classified,Web; Mail,"), std::string::npos) << all.body;
  EXPECT_TRUE(all.body.find(",hot; b2b\r\n") != std::string::npos ||
              all.body.find(",b2b; hot\r\n") != std::string::npos)
      << all.body;
  EXPECT_NE(all.body.find(",,,,\r\n"), std::string::npos) << all.body;  // the lead without any

  // A hidden field has no column and its values appear nowhere.
  const domain::UserId blind =
      AddRestricted("blind@acme.test", {{DataSet::kLeads, f[1], false, false}});
  const Response some = Send(Method::kGet, "/api/v4/leads/export", blind);
  ASSERT_EQ(some.status, 200) << some.body;
  EXPECT_EQ(some.body.find("Secret"), std::string::npos) << some.body;
  EXPECT_EQ(some.body.find("classified"), std::string::npos) << some.body;
  EXPECT_NE(some.body.find(",Budget,Channels,tags\r\n"), std::string::npos) << some.body;
  // The filter applies to the export too.
  const Response filtered = Send(
      Method::kGet,
      "/api/v4/leads/export?filter[custom_fields_values][" + std::to_string(f[0]) + "][from]=10",
      admin_);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.body.find("Plain"), std::string::npos) << filtered.body;
  EXPECT_NE(filtered.body.find("Deal"), std::string::npos) << filtered.body;
}

TEST_P(CustomFieldsApiTest, CustomersHaveCustomFieldsFieldRightsAndTags) {
  const IdList f = CreateFields("customers", R"([{"name": "Plan", "type": "select",
                                              "enums": [{"value": "Gold"}, {"value": "Basic"}]},
                                             {"name": "Margin", "type": "numeric"}])");
  ASSERT_EQ(f.size(), 2u);
  Response listed = Send(Method::kGet, "/api/v4/customers/custom_fields", user_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Body(listed)["_embedded"]["custom_fields"][0]["entity_type"], "customers");
  // Leads do not see customers' fields.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/custom_fields", user_).status, 204);

  // Values validated per type, at Kommo's paths.
  Response bad = Send(
      Method::kPost, "/api/v4/customers", user_,
      json::array({{{"name", "C"}, {"custom_fields_values", Values(f[1], {{{"value", "much"}}})}}})
          .dump());
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("custom_fields_values.0.values.0.value"), std::string::npos) << bad.body;

  const std::int64_t gold =
      Create("customers", user_,
             {{"name", "Gold one"},
              {"custom_fields_values",
               json::array({{{"field_id", f[0]}, {"values", {{{"value", "Gold"}}}}},
                            {{"field_id", f[1]}, {"values", {{{"value", 30}}}}}})},
              {"_embedded", {{"tags", {{{"name", "loyal"}}}}}}});
  const std::int64_t basic = Create(
      "customers", user_,
      {{"name", "Basic one"}, {"custom_fields_values", Values(f[0], {{{"value", "Basic"}}})}});
  ASSERT_NE(gold, 0);
  const Response read = Send(Method::kGet, "/api/v4/customers/" + std::to_string(gold), user_);
  ASSERT_EQ(read.status, 200) << read.body;
  const json customer = Body(read);
  ASSERT_EQ(customer["custom_fields_values"].size(), 2u) << read.body;
  EXPECT_EQ(customer["custom_fields_values"][0]["values"][0]["value"], "Gold");
  EXPECT_EQ(customer["_embedded"]["tags"][0]["name"], "loyal");

  // Filters: by field and by tag.
  EXPECT_EQ(
      Ids("/api/v4/customers?filter[custom_fields_values][" + std::to_string(f[0]) + "][]=Basic",
          user_),
      (IdList{basic}));
  const Response tags = Send(Method::kGet, "/api/v4/customers/tags", user_);
  ASSERT_EQ(tags.status, 200) << tags.body;
  const std::int64_t loyal = Body(tags)["_embedded"]["tags"][0]["id"];
  EXPECT_EQ(Ids("/api/v4/customers?filter[tags][]=" + std::to_string(loyal), user_),
            (IdList{gold}));
  Response untag = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(gold), user_,
                        json{{"tags_to_delete", {{{"name", "loyal"}}}}}.dump());
  ASSERT_EQ(untag.status, 200) << untag.body;
  EXPECT_EQ(Ids("/api/v4/customers?filter[tags][]=" + std::to_string(loyal), user_), IdList{});

  // Field rights under custom_fields_rights.customers, through the users API.
  Response patched =
      Send(Method::kPatch, "/api/v4/users/" + std::to_string(mine_), admin_,
           json{{"rights",
                 {{"custom_fields_rights",
                   {{"customers", {{std::to_string(f[1]), {{"view", "D"}, {"edit", "D"}}}}}}}}}}
               .dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  const std::int64_t own =
      Create("customers", mine_,
             {{"name", "Mine"}, {"custom_fields_values", Values(f[0], {{{"value", "Gold"}}})}});
  Response hidden = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(own), admin_,
                         json{{"custom_fields_values", Values(f[1], {{{"value", 5}}})}}.dump());
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  const Response seen = Send(Method::kGet, "/api/v4/customers/" + std::to_string(own), mine_);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(Body(seen)["custom_fields_values"].size(), 1u) << seen.body;
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/customers/custom_fields/" + std::to_string(f[1]), mine_).status,
      404);
  EXPECT_EQ(
      Send(Method::kGet,
           "/api/v4/customers?filter[custom_fields_values][" + std::to_string(f[1]) + "][from]=1",
           mine_)
          .status,
      400);
}

TEST_P(CustomFieldsApiTest, CreatedByAndUpdatedByAreStoredAndChecked) {
  const Response made =
      Send(Method::kPost, "/api/v4/leads", user_,
           json::array({{{"name", "By robot"}, {"created_by", 0}},
                        {{"name", "By admin"}, {"created_by", admin_}, {"updated_by", mine_}}})
               .dump());
  ASSERT_EQ(made.status, 200) << made.body;
  const std::int64_t robot = Body(made)["_embedded"]["leads"][0]["id"];
  const std::int64_t by_admin = Body(made)["_embedded"]["leads"][1]["id"];
  json lead = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(by_admin), user_));
  EXPECT_EQ(lead["created_by"], admin_);
  EXPECT_EQ(lead["updated_by"], mine_);
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(robot), user_))["created_by"],
            0);

  // Not a user of this account: 400 naming the field, nothing written.
  for (const char* field : {"created_by", "updated_by"}) {
    Response r = Send(Method::kPost, "/api/v4/contacts", user_,
                      json::array({{{"name", "X"}, {field, 987654}}}).dump());
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
  }
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts", user_).status, 204);

  // PATCH: updated_by as given; created_by only sent back unchanged.
  Response edited =
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(by_admin), user_,
           json{{"name", "Renamed"}, {"created_by", admin_}, {"updated_by", admin_}}.dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  lead = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(by_admin), user_));
  EXPECT_EQ(lead["updated_by"], admin_);
  EXPECT_EQ(lead["name"], "Renamed");
  Response moved = Send(Method::kPatch, "/api/v4/leads/" + std::to_string(by_admin), user_,
                        json{{"created_by", user_}}.dump());
  EXPECT_EQ(moved.status, 400) << moved.body;
  EXPECT_NE(moved.body.find("created_by"), std::string::npos);
}

TEST_P(CustomFieldsApiTest, CustomersComputedFiguresAreRefusedNotDropped) {
  for (const char* field : {"ltv", "purchases_count", "average_check"}) {
    Response r = Send(Method::kPost, "/api/v4/customers", user_,
                      json::array({{{"name", "C"}, {field, 10}}}).dump());
    EXPECT_EQ(r.status, 400) << field << ": " << r.body;
    EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
  }
  // A customer read and sent back unchanged is accepted (GET renders none of them).
  const std::int64_t id = Create("customers", user_, {{"name", "C"}});
  Response read = Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), user_);
  ASSERT_EQ(read.status, 200);
  json back = Body(read);
  back.erase("_embedded");
  Response again =
      Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), user_, back.dump());
  EXPECT_EQ(again.status, 200) << again.body;
}

TEST_P(CustomFieldsApiTest, FieldChangeEventsNameTheFieldAndFollowFieldRights) {
  const IdList f = CreateFields("leads", R"([{"name": "Open", "type": "text"},
                                          {"name": "Secret", "type": "text"}])");
  ASSERT_EQ(f.size(), 2u);
  const domain::UserId blind =
      AddRestricted("blind@acme.test", {{DataSet::kLeads, f[1], false, false}});
  const std::int64_t id = Create("leads", user_, {{"name", "Deal"}});
  const std::string one = "/api/v4/leads/" + std::to_string(id);
  ASSERT_EQ(Send(Method::kPatch, one, admin_,
                 json{{"custom_fields_values", Values(f[1], {{{"value", "hush"}}})}}.dump())
                .status,
            200);
  ASSERT_EQ(Send(Method::kPatch, one, admin_,
                 json{{"custom_fields_values", Values(f[0], {{{"value", "hello"}}})}}.dump())
                .status,
            200);
  const std::string events =
      "/api/v4/events?filter[type]=custom_field_value_changed&filter[entity]=lead";
  const Response all = Send(Method::kGet, events, user_);
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(Body(all)["_embedded"]["events"].size(), 2u) << all.body;
  EXPECT_NE(all.body.find("hush"), std::string::npos);
  // The user who may not view the field sees neither its value nor that it changed.
  const Response some = Send(Method::kGet, events, blind);
  ASSERT_EQ(some.status, 200) << some.body;
  const json shown = Body(some)["_embedded"]["events"];
  ASSERT_EQ(shown.size(), 1u) << some.body;
  EXPECT_EQ(shown[0]["value_after"][0]["custom_field_value"]["field_id"], f[0]);
  EXPECT_EQ(shown[0]["value_after"][0]["custom_field_value"]["text"], "hello");
  EXPECT_EQ(some.body.find("hush"), std::string::npos);
  EXPECT_EQ(some.body.find("\"field_id\":" + std::to_string(f[1]) + ","), std::string::npos);
}

// An incoming lead's contacts and company carry custom_fields_values that become records'
// values on accept: they are checked when the form is sent (per type, under the sender's field
// rights, nothing created when refused), hidden from who may not view the field while the lead
// waits, and stored as the records' values on accept.
TEST_P(CustomFieldsApiTest, IncomingLeadsCheckTheirContactsFieldsAndHideThemLikeRecords) {
  const IdList contact = CreateFields("contacts", R"([{"name": "City", "type": "text"},
                                                   {"name": "Secret", "type": "text"}])");
  const IdList company = CreateFields("companies", R"([{"name": "Staff", "type": "numeric"}])");
  ASSERT_EQ(contact.size(), 2u);
  ASSERT_EQ(company.size(), 1u);
  domain::Rights rights = service::testing::Uniform(Level::kAllowed);
  for (domain::Action action : {domain::Action::kView, domain::Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  rights.field_rights = {{DataSet::kContacts, contact[1], false, false}};
  const domain::UserId blind = AddUser("blind@acme.test", rights, sales_);
  auto form = [&](json contact_values, json company_values) {
    return json::array(
               {{{"source_uid", "site"},
                 {"source_name", "Website"},
                 {"_embedded",
                  {{"leads", json::array({{{"name", "Web"}}})},
                   {"contacts",
                    json::array({{{"name", "Ann"}, {"custom_fields_values", contact_values}}})},
                   {"companies", json::array({{{"name", "Acme"},
                                               {"custom_fields_values", company_values}}})}}}}})
        .dump();
  };
  auto paths = [](const Response& r) {
    std::vector<std::string> out;
    const json body = Body(r);
    for (const json& e : body["validation-errors"][0]["errors"]) out.push_back(e["path"]);
    return out;
  };
  const std::string forms = "/api/v4/leads/unsorted/forms";

  // Refused with the form, at the embedded record's path (after the batch index): a value of the
  // wrong type, a field that does not exist, a field the sender may not view (answered as one that
  // does not exist).
  const Response wrong = Send(
      Method::kPost, forms, user_,
      form(Values(contact[0], {{{"value", "Oslo"}}}), Values(company[0], {{{"value", "many"}}})));
  ASSERT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(
      paths(wrong),
      (std::vector<std::string>{"0._embedded.companies.0.custom_fields_values.0.values.0.value"}));
  const Response unknown = Send(Method::kPost, forms, user_,
                                form(Values(contact[1] + 1000, {{{"value", "x"}}}), nullptr));
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(paths(unknown),
            (std::vector<std::string>{"0._embedded.contacts.0.custom_fields_values.0.field_id"}));
  const Response hidden =
      Send(Method::kPost, forms, blind, form(Values(contact[1], {{{"value", "hush"}}}), nullptr));
  ASSERT_EQ(hidden.status, 400) << hidden.body;
  EXPECT_EQ(paths(hidden), paths(unknown));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", admin_).status, 204);

  // Sent by a user who may write both fields.
  json values = Values(contact[0], {{{"value", "Oslo"}}});
  values.push_back({{"field_id", contact[1]}, {"values", {{{"value", "hush"}}}}});
  const Response sent =
      Send(Method::kPost, forms, user_, form(values, Values(company[0], {{{"value", "12"}}})));
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string uid = Body(sent)["_embedded"]["unsorted"][0]["uid"];
  const std::string one = "/api/v4/leads/unsorted/" + uid;

  // While it waits: the hidden field is absent for blind, in the list and the item alike.
  for (const std::string& target : {one, std::string("/api/v4/leads/unsorted")}) {
    const Response seen = Send(Method::kGet, target, blind);
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(seen.body.find("hush"), std::string::npos) << target << ": " << seen.body;
    EXPECT_NE(seen.body.find("Oslo"), std::string::npos) << target;
    EXPECT_NE(Send(Method::kGet, target, admin_).body.find("hush"), std::string::npos) << target;
  }

  // Accepted by blind: the values were the sender's to write, so the accept stores them all;
  // blind still does not see the hidden one on the created contact.
  const Response accepted = Send(Method::kPost, one + "/accept", blind, "{}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const Response item = Send(Method::kGet, one, admin_);
  const json contacts = Body(item)["_embedded"]["contacts"];
  ASSERT_EQ(contacts.size(), 1u) << item.body;
  const std::string ann =
      "/api/v4/contacts/" + std::to_string(contacts[0]["id"].get<std::int64_t>());
  const json full = Body(Send(Method::kGet, ann, user_))["custom_fields_values"];
  ASSERT_EQ(full.size(), 2u) << full.dump();
  EXPECT_EQ(full[0]["field_id"], contact[0]);
  EXPECT_EQ(full[0]["values"][0]["value"], "Oslo");
  EXPECT_EQ(full[1]["field_id"], contact[1]);
  EXPECT_EQ(full[1]["values"][0]["value"], "hush");
  const json partial = Body(Send(Method::kGet, ann, blind))["custom_fields_values"];
  ASSERT_EQ(partial.size(), 1u) << partial.dump();
  EXPECT_EQ(partial[0]["field_id"], contact[0]);
  const std::string acme =
      "/api/v4/companies/" +
      std::to_string(Body(item)["_embedded"]["companies"][0]["id"].get<std::int64_t>());
  const json staff = Body(Send(Method::kGet, acme, user_))["custom_fields_values"];
  ASSERT_EQ(staff.size(), 1u) << staff.dump();
  EXPECT_EQ(staff[0]["values"][0]["value"], "12");
}

INSTANTIATE_TEST_SUITE_P(Engines, CustomFieldsApiTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::http::api
