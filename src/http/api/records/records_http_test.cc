// The record resources driven through the Router (no network): query parsing (raw and
// percent-encoded brackets, x[]= and x[0]=, unknown parameters refused), 204 for empty lists,
// _links that carry limit and filters, Kommo body shapes, problem+json errors, CSV export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "http/api/api.h"
#include "http/api/records/record_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class RecordsHttpTest : public testing::RecordRoutesFixture {
 protected:
  void SetUp() override {
    RecordRoutesFixture::SetUp();
    if (HasFatalFailure()) return;
    AddSalesUsers({DataSet::kLeads});
  }
};

TEST_F(RecordsHttpTest, FiltersAcceptRawAndPercentEncodedBracketsAndBothArrayForms) {
  const auto a = MakeLead(mine_).id;
  const auto b = MakeLead(outsider_).id;
  MakeLead(allowed_);
  const std::string mine = std::to_string(mine_), out = std::to_string(outsider_);
  struct Case {
    std::string query;
    std::vector<std::int64_t> want;
  };
  const std::vector<Case> cases = {
      {"filter[responsible_user_id]=" + mine, {a}},
      {"filter[responsible_user_id][]=" + mine + "&filter[responsible_user_id][]=" + out, {a, b}},
      {"filter[responsible_user_id][0]=" + mine + "&filter[responsible_user_id][1]=" + out, {a, b}},
      {"filter%5Bresponsible_user_id%5D%5B0%5D=" + out, {b}},
      {"filter%5Bresponsible_user_id%5D%5B%5D=" + out, {b}},
      {"filter[id]=" + std::to_string(a) + "," + std::to_string(b), {a, b}},
      {"filter[id][]=" + std::to_string(b), {b}},
      {"order[id]=desc&filter[responsible_user_id]=" + mine + "," + out, {b, a}},
      {"filter[statuses][0][pipeline_id]=" + std::to_string(pipeline_) +
           "&filter[statuses][0][status_id]=" + std::to_string(working_[0]) +
           "&filter[responsible_user_id]=" + mine,
       {a}},
      {"filter[price][from]=50&filter[price][to]=150&filter[id]=" + std::to_string(a), {a}},
      {"filter[price][from]=101", {}},
  };
  for (const Case& c : cases) {
    Response response = Send(Method::kGet, "/api/v4/leads?" + c.query, allowed_);
    EXPECT_EQ(ListedIds(response, "leads"), c.want) << c.query;
  }
}

TEST_F(RecordsHttpTest, UnknownParametersAndFiltersAreRefusedByName) {
  struct Case {
    std::string query;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"filter[bogus]=1", "filter[bogus]"},
      {"filter%5Bbogus%5D=1", "filter[bogus]"},
      {"foo=1", "foo"},
      {"filter[closest_task_at]=1", "filter[closest_task_at]"},
      {"limit=251", "limit"},
      {"limit=abc", "limit"},
      {"order[name]=asc", "order[name]"},
      {"order[id]=up", "order[id]"},
      {"with=only_deleted", "with"},
      {"filter[id]=1,x", "filter[id][1]"},
  };
  for (const Case& c : cases) {
    Response response = Send(Method::kGet, "/api/v4/leads?" + c.query, allowed_);
    ASSERT_EQ(response.status, 400) << c.query;
    EXPECT_EQ(response.content_type, kProblemJson);
    json body = Body(response);
    EXPECT_EQ(body["status"], 400);
    EXPECT_EQ(body["type"], "https://httpstatus.es/400");
    ASSERT_TRUE(body.contains("validation-errors")) << c.query;
    EXPECT_EQ(body["validation-errors"][0]["errors"][0]["path"], c.path) << c.query;
  }
  // Tasks take a top-level entity_type (§16.9) but refuse a filter the store lacks.
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/tasks?entity_type=leads&filter[entity_id]=1", allowed_).status,
      204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/tasks?filter[entity_id]=1", allowed_).status, 400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/tasks?filter[closest_task_at]=1", allowed_).status, 400);
}

TEST_F(RecordsHttpTest, LeadsSummaryCountsTheViewableLeadsOfEveryStage) {
  MakeLead(mine_);
  MakeLead(mine_, working_[1]);
  MakeLead(outsider_, working_[1]);
  MakeLead(allowed_);
  // stage -> (count, price) as the user sees it.
  auto summary = [&](domain::UserId user, const std::string& query) {
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> out;
    Response response = Send(Method::kGet, "/api/v4/leads/summary" + query, user);
    EXPECT_EQ(response.status, 200) << response.body;
    if (response.status != 200) return out;
    json body = Body(response);
    std::int64_t count = 0;
    for (const json& stage : body["_embedded"]["stages"]) {
      EXPECT_EQ(stage["pipeline_id"], pipeline_);
      out[stage["status_id"]] = {stage["count"], stage["price"]};
      count += stage["count"].get<std::int64_t>();
    }
    EXPECT_EQ(body["total"]["count"], count);
    EXPECT_EQ(body["total"]["price"], 100 * count);
    return out;
  };
  auto all = summary(allowed_, "");
  EXPECT_EQ(all[working_[0]], (std::pair<std::int64_t, std::int64_t>{2, 200}));
  EXPECT_EQ(all[working_[1]], (std::pair<std::int64_t, std::int64_t>{2, 200}));
  EXPECT_EQ(all[domain::kWonStatusId], (std::pair<std::int64_t, std::int64_t>{0, 0}));
  // "If responsible": only their own leads, stage by stage.
  auto mine = summary(mine_, "?filter[pipeline_id]=" + std::to_string(pipeline_));
  EXPECT_EQ(mine[working_[0]], (std::pair<std::int64_t, std::int64_t>{1, 100}));
  EXPECT_EQ(mine[working_[1]], (std::pair<std::int64_t, std::int64_t>{1, 100}));
  EXPECT_EQ(mine.size(), all.size()) << "every stage is listed, empty ones with 0";

  struct Case {
    std::string query;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"?filter[pipeline_id]=abc", "filter[pipeline_id]"},
      {"?filter[pipeline_id]=0", "filter[pipeline_id]"},
      {"?filter[pipeline_id]=987654", "filter[pipeline_id]"},
      {"?filter[responsible_user_id]=1", "filter[responsible_user_id]"},
      {"?limit=5", "limit"},
  };
  for (const Case& c : cases) {
    Response response = Send(Method::kGet, "/api/v4/leads/summary" + c.query, allowed_);
    ASSERT_EQ(response.status, 400) << c.query << " " << response.body;
    json body = Body(response);
    ASSERT_TRUE(body.contains("validation-errors")) << c.query << " " << response.body;
    EXPECT_EQ(body["validation-errors"][0]["errors"][0]["path"], c.path) << c.query;
  }
}

TEST_F(RecordsHttpTest, FormContactsAndCompaniesAreKeptThenCreatedOnAccept) {
  Response refused = Send(Method::kPost, "/api/v4/leads/unsorted/forms", allowed_,
                          R"([{"source_uid":"site","_embedded":{
                                "contacts":[{"name":7}],
                                "companies":[{"name":"A"},{"name":"B"}]}}])");
  ASSERT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("_embedded.contacts.0.name"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("\"0._embedded.companies\""), std::string::npos) << refused.body;

  Response posted = Send(Method::kPost, "/api/v4/leads/unsorted/forms", allowed_,
                         R"([{"source_uid":"site","source_name":"Site","_embedded":{
                               "leads":[{"name":"Web lead","price":5}],
                               "contacts":[{"name":"Ann","first_name":"Ann"}],
                               "companies":[{"name":"Acme"}]}}])");
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string uid = Body(posted)["_embedded"]["unsorted"][0]["uid"];
  domain::Rights rights;
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  rights.Set(DataSet::kLeads, Action::kView, Level::kAllowed);
  rights.Set(DataSet::kContacts, Action::kView, Level::kAllowed);
  rights.Set(DataSet::kCompanies, Action::kView, Level::kAllowed);
  const domain::UserId acceptor = AddUser("accept@acme.test", rights, sales_);

  json pending = Body(Send(Method::kGet, "/api/v4/leads/unsorted/" + uid, acceptor));
  ASSERT_EQ(pending["_embedded"]["contacts"].size(), 1u) << pending.dump();
  EXPECT_EQ(pending["_embedded"]["contacts"][0]["name"], "Ann");
  EXPECT_FALSE(pending["_embedded"]["contacts"][0].contains("id"));
  EXPECT_EQ(pending["_embedded"]["companies"][0]["name"], "Acme");

  Response accepted = Send(Method::kPost, "/api/v4/leads/unsorted/" + uid + "/accept", acceptor);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::int64_t lead = Body(accepted)["_embedded"]["leads"][0]["id"];
  json read = Body(
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?with=contacts", acceptor));
  ASSERT_EQ(read["_embedded"]["contacts"].size(), 1u) << read.dump();
  ASSERT_EQ(read["_embedded"]["companies"].size(), 1u) << read.dump();
  const std::int64_t contact = read["_embedded"]["contacts"][0]["id"];
  EXPECT_EQ(
      Body(Send(Method::kGet, "/api/v4/contacts/" + std::to_string(contact), acceptor))["name"],
      "Ann");
  json done = Body(Send(Method::kGet, "/api/v4/leads/unsorted/" + uid, acceptor));
  EXPECT_EQ(done["_embedded"]["contacts"][0]["id"], contact);
  EXPECT_EQ(done["_embedded"]["contacts"][0]["_links"]["self"]["href"],
            "http://crm.test/api/v4/contacts/" + std::to_string(contact));
}

TEST_F(RecordsHttpTest, KommoFiltersUpdatedByTaskTypeAndCategory) {
  const auto untouched = MakeLead(allowed_).id;
  const auto edited = MakeLead(allowed_).id;
  ASSERT_EQ(Send(Method::kPatch, "/api/v4/leads/" + std::to_string(edited), allowed_,
                 R"({"name":"edited"})")
                .status,
            200);
  EXPECT_THAT(
      ListedIds(Send(Method::kGet, "/api/v4/leads?filter[updated_by][]=" + std::to_string(allowed_),
                     allowed_),
                "leads"),
      ::testing::ElementsAre(edited));
  EXPECT_THAT(
      ListedIds(Send(Method::kGet, "/api/v4/leads?filter[updated_by]=0", allowed_), "leads"),
      ::testing::ElementsAre(untouched));

  Response tasks = Send(Method::kPost, "/api/v4/tasks", allowed_,
                        R"([{"text":"call","complete_till":1900000000,"task_type_id":1},
                            {"text":"meet","complete_till":1900000000,"task_type_id":2}])");
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  const std::int64_t meeting = Body(tasks)["_embedded"]["tasks"][1]["id"];
  EXPECT_THAT(
      ListedIds(Send(Method::kGet, "/api/v4/tasks?filter[task_type][]=2", allowed_), "tasks"),
      ::testing::ElementsAre(meeting));
  EXPECT_THAT(
      ListedIds(Send(Method::kGet, "/api/v4/tasks?filter[task_type]=1,2", allowed_), "tasks"),
      ::testing::SizeIs(2));

  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](storage::AccountWriter& w) -> base::Status {
                    for (domain::IncomingCategory category :
                         {domain::IncomingCategory::kForms, domain::IncomingCategory::kSip}) {
                      storage::IncomingLead item;
                      item.uid = "u-" + std::string(domain::IncomingCategoryName(category));
                      item.category = category;
                      item.pipeline_id = pipeline_;
                      GH_RETURN_IF_ERROR(w.Create(item).status());
                    }
                    return base::Status::Ok();
                  })
          .ok());
  domain::Rights incoming;
  incoming.Set(DataSet::kIncomingLeads, Action::kView, Level::kAllowed);
  const domain::UserId looker = AddUser("look@acme.test", incoming, sales_);
  Response sip = Send(Method::kGet, "/api/v4/leads/unsorted?filter[category][]=sip", looker);
  ASSERT_EQ(sip.status, 200) << sip.body;
  ASSERT_EQ(Body(sip)["_embedded"]["unsorted"].size(), 1u);
  EXPECT_EQ(Body(sip)["_embedded"]["unsorted"][0]["uid"], "u-sip");
  Response bad = Send(Method::kGet, "/api/v4/leads/unsorted?filter[category][]=fax", looker);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("filter[category]"), std::string::npos) << bad.body;
}

TEST_F(RecordsHttpTest, EmptyListIs204WithNoBody) {
  MakeLead(outsider_);
  Response response = Send(Method::kGet, "/api/v4/leads", mine_);
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  EXPECT_TRUE(response.content_type.empty());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads", outsider_).status, 200);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts", mine_).status, 204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", allowed_).status, 204);
}

TEST_F(RecordsHttpTest, NextLinkCarriesLimitAndFilters) {
  const auto first = MakeLead(mine_).id;
  MakeLead(outsider_);
  const auto second = MakeLead(mine_).id;
  const std::string filter = "filter%5Bresponsible_user_id%5D%5B%5D=" + std::to_string(mine_);
  Response page1 = Send(Method::kGet, "/api/v4/leads?limit=1&" + filter, allowed_);
  ASSERT_EQ(page1.status, 200);
  EXPECT_EQ(page1.content_type, kHalJson);
  json body = Body(page1);
  EXPECT_FALSE(body.contains("status"));
  EXPECT_EQ(body["_page"], 1);
  EXPECT_EQ(ListedIds(page1, "leads"), std::vector<std::int64_t>{first});
  const std::string next = body["_links"]["next"]["href"];
  EXPECT_THAT(next, StartsWith("http://crm.test/api/v4/leads?"));
  EXPECT_THAT(next, HasSubstr("limit=1"));
  EXPECT_THAT(next, HasSubstr(filter));
  EXPECT_THAT(next, HasSubstr("page=2"));
  // Following it verbatim gives the second visible lead and no further next.
  Response page2 = Send(Method::kGet, next.substr(std::string("http://crm.test").size()), allowed_);
  ASSERT_EQ(page2.status, 200);
  EXPECT_EQ(ListedIds(page2, "leads"), std::vector<std::int64_t>{second});
  EXPECT_FALSE(Body(page2)["_links"].contains("next"));
  EXPECT_TRUE(Body(page2)["_links"].contains("prev"));
}

TEST_F(RecordsHttpTest, LeadHasKommoShapeAndEmbedsOnlyViewableLinks) {
  const auto lead = MakeLead(mine_).id;
  const auto own = MakeContact(mine_).id;
  const auto hidden = MakeContact(outsider_).id;
  Link(lead, hidden);
  Link(lead, own);  // the main contact now
  Response response =
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?with=contacts", mine_);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body["id"], lead);
  EXPECT_EQ(body["responsible_user_id"], mine_);
  EXPECT_EQ(body["group_id"], sales_);
  EXPECT_EQ(body["pipeline_id"], pipeline_);
  EXPECT_EQ(body["status_id"], working_[0]);
  EXPECT_EQ(body["account_id"], account_);
  EXPECT_EQ(body["is_deleted"], false);
  EXPECT_TRUE(body["custom_fields_values"].is_null());
  EXPECT_TRUE(body["score"].is_null());
  EXPECT_TRUE(body["closed_at"].is_null());
  EXPECT_FALSE(body.contains("status"));
  EXPECT_EQ(body["_links"]["self"]["href"], "http://crm.test/api/v4/leads/" + std::to_string(lead));
  EXPECT_EQ(body["_embedded"]["tags"], json::array());
  ASSERT_EQ(body["_embedded"]["contacts"].size(), 1u);
  EXPECT_EQ(body["_embedded"]["contacts"][0]["id"], own);
  EXPECT_EQ(body["_embedded"]["contacts"][0]["is_main"], true);
  // Without with=contacts: no contacts key.
  json plain = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), mine_));
  EXPECT_FALSE(plain["_embedded"].contains("contacts"));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?page=1", mine_).status,
            400);
}

TEST_F(RecordsHttpTest, ContactsAndCompaniesReadWithLinksCanBeSentBackAsRead) {
  const auto lead = MakeLead(allowed_).id;
  const auto contact = MakeContact(allowed_).id;
  const auto company = MakeCompany(allowed_).id;
  Link(lead, contact, company);
  const std::pair<std::string, std::string> reads[] = {
      {"/api/v4/contacts/" + std::to_string(contact), "?with=leads"},
      {"/api/v4/companies/" + std::to_string(company), "?with=leads,contacts"}};
  for (const auto& [target, with] : reads) {
    Response read = Send(Method::kGet, target + with, allowed_);
    ASSERT_EQ(read.status, 200) << read.body;
    json body = Body(read);
    ASSERT_EQ(body["_embedded"]["leads"].size(), 1u) << target;
    body["name"] = "Renamed";
    Response written = Send(Method::kPatch, target, allowed_, body.dump());
    EXPECT_EQ(written.status, 200) << target << ": " << written.body;
    EXPECT_EQ(Body(Send(Method::kGet, target, allowed_))["name"], "Renamed") << target;
  }
  // The lead's links are unchanged by the round trips.
  json lead_body = Body(
      Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?with=contacts", allowed_));
  EXPECT_EQ(lead_body["_embedded"]["contacts"][0]["id"], contact);
  EXPECT_EQ(lead_body["_embedded"]["companies"][0]["id"], company);
  // A contact-company link is not kept here: refused, naming the member.
  Response refused =
      Send(Method::kPatch, "/api/v4/contacts/" + std::to_string(contact), allowed_,
           R"({"_embedded":{"companies":[{"id":)" + std::to_string(company) + "}]}}");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("_embedded.companies"), std::string::npos) << refused.body;
}

TEST_F(RecordsHttpTest, InvisibleIs404AndForbiddenIs403AsProblemJson) {
  const auto lead = MakeLead(outsider_).id;
  Response missing = Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), mine_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, kProblemJson);
  json body = Body(missing);
  EXPECT_EQ(body["title"], "Not Found");
  EXPECT_EQ(body["status"], 404);
  EXPECT_EQ(body["detail"], "lead " + std::to_string(lead) + " not found");
  Response forbidden =
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), viewer_, R"({"name":"x"})");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(Body(forbidden)["detail"], "leads.edit is D (denied)");
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/leads/" + std::to_string(lead), viewer_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/leads/" + std::to_string(lead), mine_).status, 404);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/leads/" + std::to_string(lead), allowed_).status, 204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), allowed_).status, 404);
}

TEST_F(RecordsHttpTest, PostEchoesRequestIdsAndValidatesTypes) {
  Response created = Send(Method::kPost, "/api/v4/leads", mine_,
                          R"([{"name":"A","price":10,"request_id":"r1"},{"name":"B"}])");
  ASSERT_EQ(created.status, 200) << created.body;
  json body = Body(created);
  EXPECT_FALSE(body.contains("status"));
  ASSERT_EQ(body["_embedded"]["leads"].size(), 2u);
  EXPECT_EQ(body["_embedded"]["leads"][0]["request_id"], "r1");
  EXPECT_EQ(body["_embedded"]["leads"][1]["request_id"], "1");
  const std::int64_t id = body["_embedded"]["leads"][0]["id"];
  EXPECT_THAT(std::string(body["_embedded"]["leads"][0]["_links"]["self"]["href"]),
              HasSubstr("/api/v4/leads/" + std::to_string(id)));
  auto stored = store_->Reader(account_).Get<storage::Lead>(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->price, 10);
  EXPECT_EQ(stored->responsible_user_id, mine_);

  const std::size_t leads_before = Events("lead_added").size();
  Response invalid = Send(Method::kPost, "/api/v4/leads", mine_,
                          R"([{"name":"ok"},{"name":5,"price":"abc","request_id":"x"}])");
  ASSERT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.content_type, kProblemJson);
  json errors = Body(invalid)["validation-errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["request_id"], "x");
  std::vector<std::string> paths;
  for (const json& e : errors[0]["errors"]) paths.push_back(e["path"]);
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre("1.name", "1.price"));
  EXPECT_EQ(Events("lead_added").size(), leads_before);  // nothing written

  Response single =
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(id), mine_, R"({"price":"abc"})");
  ASSERT_EQ(single.status, 400);
  EXPECT_EQ(Body(single)["validation-errors"][0]["errors"][0]["path"], "price");
  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads", mine_, "{not json").status, 400);
  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads", viewer_, R"([{"name":"x"}])").status, 403);
}

// The first field error of a 400 as "path: code".
std::string FirstError(const Response& response) {
  const json body = json::parse(response.body, nullptr, false);
  if (response.status != 400 || !body.contains("validation-errors")) {
    return std::to_string(response.status) + " " + response.body;
  }
  const json& error = body["validation-errors"][0]["errors"][0];
  return error.value("path", "") + ": " + error.value("code", "");
}

TEST_F(RecordsHttpTest, TextFieldsRefuseControlCharactersAndNamesOver255Characters) {
  const domain::UserId boss = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
  const std::string max_name(255, 'n');
  std::string wide_name;  // 255 two-byte characters: 510 bytes, still 255 characters
  for (int i = 0; i < 255; ++i) wide_name += "\u00e9";
  const auto lead = MakeLead(mine_).id;
  struct Case {
    std::string target;
    std::string body;
    std::string want;  // "" for accepted
  };
  const std::string catalog_elements = [&] {
    Response created = Send(Method::kPost, "/api/v4/catalogs", boss, R"([{"name":"L"}])");
    EXPECT_EQ(created.status, 200) << created.body;
    return "/api/v4/catalogs/" +
           std::to_string(Body(created)["_embedded"]["catalogs"][0]["id"].get<std::int64_t>()) +
           "/elements";
  }();
  const std::vector<Case> cases = {
      {"/api/v4/leads", R"([{"name":")" + max_name + R"("}])", ""},
      {"/api/v4/leads", R"([{"name":")" + wide_name + R"("}])", ""},
      {"/api/v4/leads", R"([{"name":")" + max_name + R"(x"}])", "0.name: TooLong"},
      {"/api/v4/leads", R"([{"name":"a\u0000b"}])", "0.name: InvalidCharacter"},
      {"/api/v4/leads", R"([{"name":"two\nlines"}])", "0.name: InvalidCharacter"},
      {"/api/v4/leads", R"([{"name":"bell\u0007"}])", "0.name: InvalidCharacter"},
      {"/api/v4/leads", R"([{"name":"del\u007f"}])", "0.name: InvalidCharacter"},
      {"/api/v4/contacts", R"([{"name":"ok","first_name":"a\tb"}])",
       "0.first_name: InvalidCharacter"},
      {"/api/v4/contacts", R"([{"last_name":")" + max_name + R"(x"}])", "0.last_name: TooLong"},
      {"/api/v4/companies", R"([{"name":"x\u0000"}])", "0.name: InvalidCharacter"},
      {"/api/v4/tasks",
       R"([{"text":"call\nback\ttoday","complete_till":1900000000,"entity_type":"leads",)"
       R"("entity_id":)" +
           std::to_string(lead) + "}]",
       ""},
      {"/api/v4/tasks", R"([{"text":"nul\u0000","complete_till":1900000000}])",
       "0.text: InvalidCharacter"},
      {"/api/v4/leads/unsorted/forms", R"([{"source_uid":"s\u0001"}])",
       "0.source_uid: InvalidCharacter"},
      {"/api/v4/leads/unsorted/forms",
       R"([{"source_uid":"s","_embedded":{"leads":[{"name":")" + max_name + R"(x"}]}}])",
       "0._embedded.leads.0.name: TooLong"},
      {"/api/v4/leads/unsorted/forms",
       R"([{"source_uid":"s","_embedded":{"contacts":[{"name":"a\u0000"}]}}])",
       "0._embedded.contacts.0.name: InvalidCharacter"},
      {catalog_elements, R"([{"name":")" + max_name + R"(x"}])", "0.name: TooLong"},
      {catalog_elements, R"([{"name":"\u001b[31m"}])", "0.name: InvalidCharacter"},
  };
  for (const Case& c : cases) {
    Response r = Send(Method::kPost, c.target, boss, c.body);
    if (c.want.empty()) {
      EXPECT_EQ(r.status, 200) << c.target << " " << c.body << ": " << r.body;
    } else {
      EXPECT_EQ(FirstError(r), c.want) << c.target << " " << c.body;
    }
  }
  // PATCH of one record: paths without the index.
  Response patched =
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), mine_, R"({"name":"a\rb"})");
  EXPECT_EQ(FirstError(patched), "name: InvalidCharacter");
}

TEST_F(RecordsHttpTest, BatchBodiesAreArraysAndKeysAreNotRepeated) {
  const domain::UserId boss = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
  // Kommo documents arrays for every record batch; a bare object is not silently a batch.
  for (const char* target : {"/api/v4/leads", "/api/v4/contacts", "/api/v4/companies",
                             "/api/v4/tasks", "/api/v4/leads/unsorted/forms", "/api/v4/catalogs"}) {
    for (Method method : {Method::kPost, Method::kPatch}) {
      const std::string path = target;
      if (method == Method::kPatch &&
          (path.find("unsorted") != std::string::npos || path == "/api/v4/catalogs")) {
        continue;  // no batch PATCH there
      }
      Response r = Send(method, target, boss, R"({"name":"x","id":1,"source_uid":"s"})");
      EXPECT_EQ(FirstError(r), "body: InvalidType") << MethodName(method) << " " << target;
    }
  }
  // PATCH /{id} takes its one object.
  const auto lead = MakeLead(mine_).id;
  EXPECT_EQ(
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), mine_, R"({"name":"One"})")
          .status,
      200);
  // A key given twice is refused, wherever it is, naming it.
  struct Case {
    std::string target;
    std::string body;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/v4/leads", R"([{"name":"a","name":"b"}])", "0.name: DuplicateKey"},
           {"/api/v4/leads", R"([{"name":"a"},{"price":1,"name":"b","price":2}])",
            "1.price: DuplicateKey"},
           {"/api/v4/leads",
            R"([{"_embedded":{"contacts":[{"id":1},{"id":2,"is_main":true,"id":3}]}}])",
            "0._embedded.contacts.1.id: DuplicateKey"},
           {"/api/v4/leads/" + std::to_string(lead),
            R"({"responsible_user_id":1,"responsible_user_id":2})",
            "responsible_user_id: DuplicateKey"},
           {"/api/v4/leads/unsorted/forms",
            R"([{"source_uid":"a","metadata":{"ip":"1","ip":"2"}}])",
            "0.metadata.ip: DuplicateKey"},
       }) {
    const Method method = c.target.find("/leads/") != std::string::npos &&
                                  c.target.find("unsorted") == std::string::npos
                              ? Method::kPatch
                              : Method::kPost;
    EXPECT_EQ(FirstError(Send(method, c.target, boss, c.body)), c.want) << c.body;
  }
  // The same key in sibling objects is not a repeat.
  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads", boss, R"([{"name":"a"},{"name":"b"}])").status,
            200);
}

TEST_F(RecordsHttpTest, UnsortedFormsNeedLeadsAdd) {
  // Posting a web form creates an incoming lead: a lead to be, so it takes leads.add (the
  // incoming-leads rights decide who sees, accepts and declines it afterwards).
  const std::string form = R"([{"source_uid":"site","_embedded":{"leads":[{"name":"Web"}]}}])";
  Response refused = Send(Method::kPost, "/api/v4/leads/unsorted/forms", viewer_, form);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.content_type, kProblemJson);
  Response created = Send(Method::kPost, "/api/v4/leads/unsorted/forms", allowed_, form);
  EXPECT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(Body(created)["_embedded"]["unsorted"][0]["uid"].get<std::string>().size(), 32u);
}

TEST_F(RecordsHttpTest, PatchIgnoresReadOnlyFieldsAndEmptyEmbeddedArrays) {
  const auto lead = MakeLead(mine_).id;
  const auto contact = MakeContact(mine_).id;
  Link(lead, contact);
  // What a client sends after GET: read-only fields and empty _embedded arrays.
  json patch = {
      {"id", lead},
      {"name", "Renamed"},
      {"created_at", 1},
      {"account_id", 999},
      {"group_id", 5},
      {"is_deleted", false},
      {"_links", {{"self", {{"href", "x"}}}}},
      {"_embedded",
       {{"tags", json::array()}, {"contacts", json::array()}, {"companies", json::array()}}}};
  Response response = Send(Method::kPatch, "/api/v4/leads", mine_, json::array({patch}).dump());
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body["_embedded"]["leads"][0]["id"], lead);
  EXPECT_TRUE(body["_embedded"]["leads"][0].contains("updated_at"));
  auto stored = store_->Reader(account_).Get<storage::Lead>(lead);
  EXPECT_EQ(stored->name, "Renamed");
  EXPECT_NE(stored->created_at, 1);
  EXPECT_EQ(store_->Reader(account_).LeadContacts(lead)->size(), 1u);  // not unlinked

  Response one =
      Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), mine_, R"({"price":7})");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one)["id"], lead);
  EXPECT_TRUE(Body(one).contains("updated_at"));
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead)->price, 7);
}

TEST_F(RecordsHttpTest, BatchPatchWithOneForbiddenItemChangesNothing) {
  const auto own = MakeLead(mine_).id;
  const auto others = MakeLead(outsider_).id;
  const std::string body = json::array({{{"id", own}, {"price", 1}, {"request_id", "a"}},
                                        {{"id", others}, {"price", 2}, {"request_id", "b"}}})
                               .dump();
  Response response = Send(Method::kPatch, "/api/v4/leads", mine_, body);
  ASSERT_EQ(response.status, 404);
  EXPECT_THAT(std::string(Body(response)["detail"]), HasSubstr("item 1 (request_id b)"));
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(own)->price, 100);

  Response invalid =
      Send(Method::kPatch, "/api/v4/leads", mine_,
           json::array({{{"id", own}, {"price", 1}}, {{"id", own}, {"status_id", 424242}}}).dump());
  ASSERT_EQ(invalid.status, 400);
  json errors = Body(invalid)["validation-errors"];
  EXPECT_EQ(errors[0]["request_id"], "1");
  EXPECT_EQ(errors[0]["errors"][0]["path"], "1.status_id");
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(own)->price, 100);
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/leads", mine_, R"([{"price":1}])").status, 400);
}

TEST_F(RecordsHttpTest, ExportIsCsvOfExportableRecordsWithTheListFilters) {
  const auto own = MakeLead(mine_).id;
  MakeLead(outsider_);
  Response csv = Send(Method::kGet, "/api/v4/leads/export", mine_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv");
  EXPECT_THAT(csv.body, StartsWith("id,name,"));
  EXPECT_THAT(csv.body, HasSubstr("\r\n" + std::to_string(own) + ",Deal,100,"));
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2);  // header + one row
  Response filtered =
      Send(Method::kGet, "/api/v4/leads/export?filter[id]=" + std::to_string(own + 1000), allowed_);
  EXPECT_EQ(std::count(filtered.body.begin(), filtered.body.end(), '\n'), 1);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/export?page=2", allowed_).status, 400);
  Response denied = Send(Method::kGet, "/api/v4/contacts/export", viewer_);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(Body(denied)["detail"], "contacts.export is D (denied)");
  EXPECT_EQ(Events("export_performed").size(), 2u);
}

TEST_F(RecordsHttpTest, CsvCellsAreQuotedAndFormulaSafe) {
  MakeLead(mine_, 0, "=HYPERLINK(\"x\"),1");
  Response csv = Send(Method::kGet, "/api/v4/leads/export", mine_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_THAT(csv.body, HasSubstr(",\"'=HYPERLINK(\"\"x\"\"),1\","));
}

TEST_F(RecordsHttpTest, UnsortedFormsAcceptAndDecline) {
  domain::Rights rights = service::testing::Uniform(Level::kAllowed);
  for (Action a : {Action::kView, Action::kAccept, Action::kDecline}) {
    rights.Set(DataSet::kIncomingLeads, a, Level::kAllowed);
  }
  const domain::UserId handler = AddUser("inbox@acme.test", rights, sales_);
  Response created = Send(Method::kPost, "/api/v4/leads/unsorted/forms", handler,
                          R"([{"source_uid":"site","source_name":"Site","request_id":"f1",
                               "metadata":{"form_id":"contact"},
                               "_embedded":{"leads":[{"name":"Web lead","price":5}]}}])");
  ASSERT_EQ(created.status, 200) << created.body;
  json item = Body(created)["_embedded"]["unsorted"][0];
  EXPECT_EQ(item["request_id"], "f1");
  const std::string uid = item["uid"];

  Response listed = Send(Method::kGet, "/api/v4/leads/unsorted", handler);
  ASSERT_EQ(listed.status, 200);
  json first = Body(listed)["_embedded"]["unsorted"][0];
  EXPECT_EQ(first["uid"], uid);
  EXPECT_EQ(first["category"], "forms");
  EXPECT_EQ(first["metadata"]["form_id"], "contact");
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", allowed_).status, 204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted?filter[uid]=" + uid, handler).status, 200);

  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads/unsorted/" + uid + "/accept", allowed_).status, 404);
  Response accepted = Send(Method::kPost, "/api/v4/leads/unsorted/" + uid + "/accept", handler,
                           R"({"status_id":)" + std::to_string(working_[1]) + "}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::int64_t lead_id = Body(accepted)["_embedded"]["leads"][0]["id"];
  auto lead = store_->Reader(account_).Get<storage::Lead>(lead_id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->name, "Web lead");
  EXPECT_EQ(lead->status_id, working_[1]);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/leads/unsorted/" + uid + "/decline", handler).status,
            422);  // already accepted
}

TEST_F(RecordsHttpTest, TalkMessagesAreListedWhereTheirLinksPoint) {
  domain::Rights with_inbox = service::testing::Uniform(Level::kAllowed);
  with_inbox.mail_access = true;
  const domain::UserId agent = AddUser("agent@acme.test", with_inbox, sales_);
  storage::Conversation talk;
  talk.channel = "chat";
  talk.subject = "Hello";
  talk.entity_type = domain::DataSet::kLeads;
  talk.entity_id = MakeLead(agent).id;
  talk.responsible_user_id = agent;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(talk, w.Create(talk));
                            return base::Status::Ok();
                          })
                  .ok());
  const std::string messages = "/api/v4/talks/" + std::to_string(talk.id) + "/messages";
  std::string self;
  for (const char* text : {"one", "two", "three"}) {
    Response sent = Send(Method::kPost, messages, agent, json{{"text", text}}.dump());
    ASSERT_EQ(sent.status, 201) << sent.body;
    self = Body(sent)["_links"]["self"]["href"];
  }
  EXPECT_EQ(self, "http://crm.test" + messages);
  Response first = Send(Method::kGet, messages + "?limit=2", agent);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(Body(first)["_embedded"]["messages"].size(), 2u);
  EXPECT_EQ(Body(first)["_embedded"]["messages"][0]["text"], "one");
  EXPECT_TRUE(Body(first)["_links"].contains("next"));
  Response last = Send(Method::kGet, messages + "?limit=2&page=2", agent);
  ASSERT_EQ(Body(last)["_embedded"]["messages"].size(), 1u);
  EXPECT_FALSE(Body(last)["_links"].contains("next"));
  // Without the Shared Inbox, or for an invisible conversation: the same answers as the talk.
  EXPECT_EQ(Send(Method::kGet, messages, allowed_).status, 403);
}

TEST_F(RecordsHttpTest, CatalogElementsBatchPatch) {
  domain::Rights with_lists = service::testing::Uniform(Level::kIfResponsible);
  with_lists.catalog_access = true;
  const domain::UserId lister = AddUser("lists@acme.test", with_lists, sales_);
  const domain::UserId admin = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
  Response catalog = Send(Method::kPost, "/api/v4/catalogs", admin, R"([{"name":"Products"}])");
  ASSERT_EQ(catalog.status, 200) << catalog.body;
  const std::string elements =
      "/api/v4/catalogs/" +
      std::to_string(Body(catalog)["_embedded"]["catalogs"][0]["id"].get<std::int64_t>()) +
      "/elements";
  Response added = Send(Method::kPost, elements, lister,
                        R"([{"name":"Widget"},
                            {"name":"Gadget","custom_fields_values":[{"field_id":1}]}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t widget = Body(added)["_embedded"]["elements"][0]["id"];
  const std::int64_t gadget = Body(added)["_embedded"]["elements"][1]["id"];
  // Every _links.self leads somewhere: the catalog and each element.
  const std::string catalog_self =
      Body(catalog)["_embedded"]["catalogs"][0]["_links"]["self"]["href"];
  const std::string widget_self = Body(added)["_embedded"]["elements"][0]["_links"]["self"]["href"];
  const std::string host = "http://crm.test";
  Response catalog_read = Send(Method::kGet, catalog_self.substr(host.size()), lister);
  ASSERT_EQ(catalog_read.status, 200) << catalog_self << ": " << catalog_read.body;
  EXPECT_EQ(Body(catalog_read)["name"], "Products");
  Response widget_read = Send(Method::kGet, widget_self.substr(host.size()), lister);
  ASSERT_EQ(widget_read.status, 200) << widget_self << ": " << widget_read.body;
  EXPECT_EQ(Body(widget_read)["name"], "Widget");
  EXPECT_EQ(Send(Method::kGet, elements + "/987654", lister).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/catalogs/987654", lister).status, 404);
  EXPECT_EQ(Send(Method::kGet, widget_self.substr(host.size()), mine_).status, 403);
  auto names = [&]() {
    std::vector<std::string> out;
    const json body = Body(Send(Method::kGet, elements, lister));
    for (const json& e : body["_embedded"]["elements"])
      out.push_back(e["name"].get<std::string>() + "/" + e["custom_fields_values"].dump());
    return out;
  };
  const std::size_t events_before = Events().size();

  // One unknown element: 400 naming its request_id and path, and nothing changes.
  Response unknown = Send(Method::kPatch, elements, lister,
                          R"([{"id":)" + std::to_string(widget) + R"(,"name":"Changed"},
                              {"id":987654,"name":"Ghost","request_id":"ghost"}])");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.content_type, kProblemJson);
  json problem = Body(unknown);
  ASSERT_EQ(problem["validation-errors"].size(), 1u) << unknown.body;
  EXPECT_EQ(problem["validation-errors"][0]["request_id"], "ghost");
  EXPECT_EQ(problem["validation-errors"][0]["errors"][0]["path"], "1.id");
  EXPECT_EQ(problem["validation-errors"][0]["errors"][0]["code"], "NotFound");
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget/null", R"(Gadget/[{"field_id":1}])"}));
  EXPECT_EQ(Events().size(), events_before);

  // Malformed items are reported together, each with its path.
  Response malformed = Send(Method::kPatch, elements, lister,
                            R"([{"name":"No id"},{"id":)" + std::to_string(widget) +
                                R"(,"name":""},{"id":"x","custom_fields_values":5}])");
  EXPECT_EQ(malformed.status, 400);
  std::vector<std::string> paths;
  const json malformed_body = Body(malformed);
  for (const json& item : malformed_body["validation-errors"]) {
    for (const json& e : item["errors"]) paths.push_back(e["path"]);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"0.id", "1.name", "2.id", "2.custom_fields_values"}));

  // Rights and the catalog come first.
  const std::string one = R"([{"id":)" + std::to_string(widget) + R"(,"name":"Nope"}])";
  Response denied = Send(Method::kPatch, elements, allowed_, one);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.content_type, kProblemJson);
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/catalogs/987654/elements", lister, one).status, 404);
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget/null", R"(Gadget/[{"field_id":1}])"}));

  // The update: named fields change, read-only ones are ignored, request_id is echoed.
  clock_.Advance(30);
  Response patched = Send(Method::kPatch, elements, lister,
                          R"([{"id":)" + std::to_string(widget) +
                              R"(,"name":"Widget Pro","request_id":"w","created_at":1},
                              {"id":)" +
                              std::to_string(gadget) + R"(,"custom_fields_values":null}])");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.content_type, kHalJson);
  json items = Body(patched)["_embedded"]["elements"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], widget);
  EXPECT_EQ(items[0]["name"], "Widget Pro");
  EXPECT_EQ(items[0]["request_id"], "w");
  EXPECT_EQ(items[0]["updated_at"], clock_.NowSeconds());
  EXPECT_NE(items[0]["created_at"], 1);
  EXPECT_EQ(items[1]["request_id"], "1");
  EXPECT_TRUE(items[1]["custom_fields_values"].is_null());
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget Pro/null", "Gadget/null"}));
  EXPECT_EQ(Events("catalog_element_updated").size(), 2u);
}

// ---- customers (issue 15 §4) ----

TEST_F(RecordsHttpTest, CustomersFollowTheLeadsRightsWithFiltersLinksAndEvents) {
  const std::string contact = std::to_string(MakeContact(mine_).id);
  const std::string hidden_contact = std::to_string(MakeContact(outsider_).id);
  const std::string company = std::to_string(MakeCompany(mine_).id);
  // `mine_` has M everywhere: adds (A), sees and edits only their own.
  Response added =
      Send(Method::kPost, "/api/v4/customers", mine_,
           R"([{"name":"Repeat buyer","next_price":500,"next_date":1900000000,
                            "periodicity":30,"request_id":"r1",
                            "_embedded":{"contacts":[{"id":)" +
               contact + R"(,"is_main":true}],"companies":[{"id":)" + company + R"(}]}}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t id = Body(added)["_embedded"]["customers"][0]["id"];
  EXPECT_EQ(Body(added)["_embedded"]["customers"][0]["request_id"], "r1");
  EXPECT_EQ(Events("customer_added").size(), 1u);
  EXPECT_EQ(Events("entity_linked").size(), 2u);

  Response got = Send(
      Method::kGet, "/api/v4/customers/" + std::to_string(id) + "?with=contacts,companies", mine_);
  ASSERT_EQ(got.status, 200) << got.body;
  const json customer = Body(got);
  EXPECT_EQ(customer["name"], "Repeat buyer");
  EXPECT_EQ(customer["next_price"], 500);
  EXPECT_EQ(customer["next_date"], 1900000000);
  EXPECT_EQ(customer["periodicity"], 30);
  EXPECT_EQ(customer["responsible_user_id"], mine_);
  EXPECT_FALSE(customer.contains("ltv"));  // computed by Kommo from purchases: not kept
  EXPECT_EQ(customer["_embedded"]["contacts"][0]["id"], std::stoll(contact));
  EXPECT_EQ(customer["_embedded"]["contacts"][0]["is_main"], true);
  EXPECT_EQ(customer["_embedded"]["companies"][0]["id"], std::stoll(company));
  Response statuses_list = Send(Method::kGet, "/api/v4/customers/statuses", mine_);
  ASSERT_EQ(statuses_list.status, 200) << statuses_list.body;
  const json statuses = Body(statuses_list)["_embedded"]["statuses"];
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_EQ(customer["status_id"], statuses[0]["id"]);  // the first status by default

  // A contact the caller may not view cannot be linked: 400 on its path, nothing written.
  Response hidden = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                         R"({"_embedded":{"contacts":[{"id":)" + hidden_contact + "}]}}");
  EXPECT_EQ(hidden.status, 400);
  EXPECT_THAT(hidden.body, HasSubstr("_embedded.contacts.0.id"));

  // Another group's M user does not see it (404) and cannot list it; filters and unknown filters.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), outsider_).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers", outsider_).status, 204);
  EXPECT_EQ(ListedIds(Send(Method::kGet, "/api/v4/customers", allowed_), "customers"),
            std::vector<std::int64_t>{id});
  const std::string status2 = std::to_string(statuses[1]["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?filter[status]=" + status2, allowed_).status,
            204);
  EXPECT_EQ(ListedIds(Send(Method::kGet, "/api/v4/customers?filter[next_date][from]=1800000000",
                           allowed_),
                      "customers"),
            std::vector<std::int64_t>{id});
  Response unknown = Send(Method::kGet, "/api/v4/customers?filter[price]=1", allowed_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.content_type, kProblemJson);
  EXPECT_THAT(unknown.body, HasSubstr("filter[price]"));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?filter[closest_task_at]=1", allowed_).status,
            400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads?filter[next_date]=1", allowed_).status, 400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?with=leads", allowed_).status, 400);

  // A status change is logged in Kommo's shape; an unknown status is a 400 on status_id.
  Response moved = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                        R"({"status_id":)" + status2 + "}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto changed = Events("customer_status_changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].value_after_json, R"([{"customer_status":{"id":)" + status2 + "}}]");
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                 R"({"status_id":987654})")
                .status,
            400);

  // The viewer (leads view only) sees it but may neither edit nor delete it: 403 naming the
  // leads right; export follows leads.export.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), viewer_).status, 200);
  Response refused =
      Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), viewer_, R"({"name":"x"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("leads.edit is D"));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/export", viewer_).status, 403);
  Response csv = Send(Method::kGet, "/api/v4/customers/export", allowed_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(csv.body, StartsWith("id,name,next_price,next_date,status_id,periodicity,"));
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/" + std::to_string(id), viewer_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/" + std::to_string(id), mine_).status, 204);
  EXPECT_EQ(Events("customer_deleted").size(), 1u);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), allowed_).status, 404);
}

TEST_F(RecordsHttpTest, CustomerStatusesAreReadByEveryoneAndWrittenByAdministrators) {
  const domain::UserId admin =
      AddUser("boss@acme.test", service::testing::Uniform(Level::kDenied), sales_, true);
  Response listed = Send(Method::kGet, "/api/v4/customers/statuses", viewer_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json first = Body(listed)["_embedded"]["statuses"][0];
  EXPECT_EQ(first["name"], "Recently bought");
  EXPECT_EQ(first["type"], 4);
  EXPECT_EQ(first["is_default"], true);
  EXPECT_TRUE(first["conditions"].is_array());
  const std::string system = std::to_string(first["id"].get<std::int64_t>());

  const std::string body = R"([{"name":"VIP","color":"#ccc8f9","request_id":"v"}])";
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/statuses", allowed_, body).status, 403);
  Response added = Send(Method::kPost, "/api/v4/customers/statuses", admin, body);
  ASSERT_EQ(added.status, 200) << added.body;
  const json vip = Body(added)["_embedded"]["statuses"][0];
  EXPECT_EQ(vip["type"], 0);
  EXPECT_EQ(vip["request_id"], "v");
  const std::string vip_id = std::to_string(vip["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/statuses/" + vip_id, viewer_).status, 200);

  Response bad = Send(Method::kPost, "/api/v4/customers/statuses", admin,
                      R"([{"name":"Odd","color":"#123456"}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("color"));
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/statuses", admin, R"([{"sort":5}])").status,
            400);

  Response renamed = Send(Method::kPatch, "/api/v4/customers/statuses/" + vip_id, admin,
                          R"({"name":"Very important"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Body(renamed)["name"], "Very important");
  EXPECT_EQ(Body(renamed)["color"], "#ccc8f9");

  // A customer in the deleted status moves to the first one; system statuses stay.
  Response customer = Send(Method::kPost, "/api/v4/customers", allowed_,
                           R"([{"name":"In VIP","status_id":)" + vip_id + "}]");
  ASSERT_EQ(customer.status, 200) << customer.body;
  const std::string customer_id =
      std::to_string(Body(customer)["_embedded"]["customers"][0]["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + system, admin).status, 422);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + vip_id, allowed_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + vip_id, admin).status, 204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/statuses/" + vip_id, admin).status, 404);
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/customers/" + customer_id, admin))["status_id"],
            first["id"]);
  EXPECT_EQ(Events("customer_status_added").size(), 1u);
  EXPECT_EQ(Events("customer_status_updated").size(), 1u);
  EXPECT_EQ(Events("customer_status_deleted").size(), 1u);
}

// ---- issue 15 §2: tags, unknown fields, created_at, with= (wt-tags) ----

TEST_F(RecordsHttpTest, TagsRoundTripThroughCreateUpdateAddDeleteAndFilter) {
  Response created =
      Send(Method::kPost, "/api/v4/leads", allowed_,
           R"([{"name":"Tagged","_embedded":{"tags":[{"name":"vip"},{"name":"hot"}]}},
                              {"name":"Plain"}])");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::int64_t lead = Body(created)["_embedded"]["leads"][0]["id"];
  const std::int64_t plain = Body(created)["_embedded"]["leads"][1]["id"];
  const std::string one = "/api/v4/leads/" + std::to_string(lead);
  auto names = [&] {
    std::vector<std::string> out;
    json read = Body(Send(Method::kGet, one, allowed_));
    for (const json& t : read["_embedded"]["tags"]) out.push_back(t["name"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(names(), (std::vector<std::string>{"hot", "vip"}));

  // The catalog, its filters, and an added tag with a color.
  Response catalog = Send(Method::kGet, "/api/v4/leads/tags?filter[name]=vip", viewer_);
  ASSERT_EQ(catalog.status, 200) << catalog.body;
  const json vip = Body(catalog)["_embedded"]["tags"][0];
  EXPECT_EQ(vip["name"], "vip");
  EXPECT_TRUE(vip["color"].is_null());
  Response added = Send(Method::kPost, "/api/v4/leads/tags", allowed_,
                        R"([{"name":"gold","color":"DDEBB5","request_id":"g"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(Body(added)["_embedded"]["tags"][0]["request_id"], "g");
  EXPECT_EQ(Body(added)["_embedded"]["tags"][0]["color"], "DDEBB5");
  EXPECT_EQ(Send(Method::kPost, "/api/v4/leads/tags", allowed_, R"([{"name":"gold"}])").status,
            400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts/tags", allowed_).status, 204);

  // tags_to_add / tags_to_delete; then _embedded.tags replaces; an empty array changes nothing.
  ASSERT_EQ(Send(Method::kPatch, one, allowed_,
                 R"({"tags_to_add":[{"name":"gold"}],"tags_to_delete":[{"id":)" +
                     std::to_string(vip["id"].get<std::int64_t>()) + "}]}")
                .status,
            200);
  EXPECT_EQ(names(), (std::vector<std::string>{"gold", "hot"}));
  ASSERT_EQ(Send(Method::kPatch, one, allowed_, R"({"_embedded":{"tags":[]}})").status, 200);
  EXPECT_EQ(names(), (std::vector<std::string>{"gold", "hot"}));
  ASSERT_EQ(
      Send(Method::kPatch, "/api/v4/leads", allowed_,
           R"([{"id":)" + std::to_string(lead) + R"(,"_embedded":{"tags":[{"name":"hot"}]}}])")
          .status,
      200);
  EXPECT_EQ(names(), (std::vector<std::string>{"hot"}));

  // filter[tags], both array forms; the list renders every record's tags.
  const json hot =
      Body(Send(Method::kGet, "/api/v4/leads/tags?query=HO", allowed_))["_embedded"]["tags"][0];
  const std::string hot_id = std::to_string(hot["id"].get<std::int64_t>());
  EXPECT_EQ(
      ListedIds(Send(Method::kGet, "/api/v4/leads?filter[tags][]=" + hot_id, allowed_), "leads"),
      (std::vector<std::int64_t>{lead}));
  EXPECT_EQ(
      ListedIds(Send(Method::kGet,
                     "/api/v4/leads?filter[tags]=" + hot_id + "&filter[tags_logic]=and", allowed_),
                "leads"),
      (std::vector<std::int64_t>{lead}));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads?filter[tags_logic]=xor", allowed_).status, 400);
  json page = Body(Send(Method::kGet, "/api/v4/leads", allowed_));
  for (const json& item : page["_embedded"]["leads"]) {
    EXPECT_EQ(item["_embedded"]["tags"].size(), item["id"] == plain ? 0u : 1u) << item.dump();
  }

  // null clears; an unknown id is a 400 at its path.
  ASSERT_EQ(Send(Method::kPatch, one, allowed_, R"({"_embedded":{"tags":null}})").status, 200);
  EXPECT_TRUE(names().empty());
  Response unknown = Send(Method::kPatch, one, allowed_, R"({"tags_to_add":[{"id":987654}]})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body, HasSubstr("tags_to_add.0.id"));

  // Deleting a tag is for administrators.
  const domain::UserId boss = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
  ASSERT_EQ(
      Send(Method::kDelete, "/api/v4/leads/tags", allowed_, R"([{"id":)" + hot_id + "}]").status,
      403);
  ASSERT_EQ(Send(Method::kDelete, "/api/v4/leads/tags", boss, R"([{"id":)" + hot_id + "}]").status,
            204);
}

TEST_F(RecordsHttpTest, UnknownFieldsAre400NamingThemAndNothingIsWritten) {
  struct Case {
    std::string target;
    std::string body;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"/api/v4/leads", R"([{"name":"A","source_id":5}])", "0.source_id"},
      {"/api/v4/leads", R"([{"name":"A"},{"name":"B","bogus":true}])", "1.bogus"},
      {"/api/v4/leads", R"([{"name":"A","_embedded":{"catalog_elements":[{"id":1}]}}])",
       "0._embedded.catalog_elements"},
      {"/api/v4/contacts", R"([{"name":"A","phone":"+1"}])", "0.phone"},
      {"/api/v4/companies", R"([{"name":"A","_embedded":{"customers":[]}}])",
       "0._embedded.customers"},
      {"/api/v4/tasks", R"([{"text":"T","complete_till":1700000000,"_embedded":{}}])",
       "0._embedded"},
      {"/api/v4/leads", R"([{"name":"A","created_at":"yesterday"}])", "0.created_at"},
      {"/api/v4/leads", R"([{"name":"A","created_at":-5}])", "0.created_at"},
  };
  for (const Case& c : cases) {
    Response response = Send(Method::kPost, c.target, allowed_, c.body);
    EXPECT_EQ(response.status, 400) << c.body << " -> " << response.body;
    EXPECT_EQ(response.content_type, kProblemJson);
    EXPECT_THAT(response.body, HasSubstr("\"" + c.path + "\"")) << c.body;
  }
  for (const char* plural : {"leads", "contacts", "companies", "tasks"}) {
    EXPECT_EQ(Send(Method::kGet, std::string("/api/v4/") + plural, allowed_).status, 204)
        << plural << ": nothing was written";
  }
  // On PATCH /{id} the name is the field's own.
  const std::int64_t lead = MakeLead(allowed_).id;
  Response patch = Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), allowed_,
                        R"({"name":"Changed","source_id":5})");
  EXPECT_EQ(patch.status, 400);
  EXPECT_THAT(patch.body, HasSubstr(R"("path":"source_id")"));
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), allowed_))["name"],
            "Deal");
}

TEST_F(RecordsHttpTest, RecordsSentBackAsReadAreAccepted) {
  const std::int64_t lead = MakeLead(allowed_).id;
  const std::int64_t contact = MakeContact(allowed_).id;
  const std::int64_t company = MakeCompany(allowed_).id;
  Link(lead, contact, company);
  ASSERT_EQ(Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), allowed_,
                 R"({"tags_to_add":[{"name":"kept"}]})")
                .status,
            200);
  const std::vector<std::pair<std::string, std::string>> reads = {
      {"/api/v4/leads/" + std::to_string(lead), "?with=contacts"},
      {"/api/v4/contacts/" + std::to_string(contact), "?with=leads"},
      {"/api/v4/companies/" + std::to_string(company), "?with=leads,contacts"}};
  for (const auto& [target, with] : reads) {
    json read = Body(Send(Method::kGet, target + with, allowed_));
    clock_.Advance(5);
    Response back = Send(Method::kPatch, target, allowed_, read.dump());
    EXPECT_EQ(back.status, 200) << target << ": " << back.body;
    json again = Body(Send(Method::kGet, target + with, allowed_));
    EXPECT_EQ(again["_embedded"]["tags"], read["_embedded"]["tags"]) << target;
    EXPECT_EQ(again["name"], read["name"]) << target;
    // updated_at sent back unchanged means "now".
    EXPECT_EQ(again["updated_at"], clock_.NowSeconds()) << target;
  }
  // A whole page sent back as a batch PATCH.
  json page = Body(Send(Method::kGet, "/api/v4/leads", allowed_));
  Response batch =
      Send(Method::kPatch, "/api/v4/leads", allowed_, page["_embedded"]["leads"].dump());
  EXPECT_EQ(batch.status, 200) << batch.body;
  // A task, too.
  Response task = Send(Method::kPost, "/api/v4/tasks", allowed_,
                       R"([{"text":"Call","complete_till":1700000000}])");
  ASSERT_EQ(task.status, 200) << task.body;
  const std::string task_path =
      "/api/v4/tasks/" +
      std::to_string(Body(task)["_embedded"]["tasks"][0]["id"].get<std::int64_t>());
  json task_read = Body(Send(Method::kGet, task_path, allowed_));
  EXPECT_EQ(Send(Method::kPatch, task_path, allowed_, task_read.dump()).status, 200);
}

TEST_F(RecordsHttpTest, CreatedAtAndUpdatedAtAreStoredAsGivenOnCreate) {
  Response created = Send(Method::kPost, "/api/v4/leads", allowed_,
                          R"([{"name":"Old","created_at":1500000000,"updated_at":1500000100}])");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::int64_t lead = Body(created)["_embedded"]["leads"][0]["id"];
  json read = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), allowed_));
  EXPECT_EQ(read["created_at"], 1500000000);
  EXPECT_EQ(read["updated_at"], 1500000100);
  Response patched = Send(Method::kPatch, "/api/v4/leads/" + std::to_string(lead), allowed_,
                          R"({"updated_at":1600000000,"created_at":1})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  read = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead), allowed_));
  EXPECT_EQ(read["updated_at"], 1600000000);
  EXPECT_EQ(read["created_at"], 1500000000) << "created_at does not change on update";
  EXPECT_EQ(
      Send(Method::kPost, "/api/v4/leads", allowed_, R"([{"created_at":99999999999}])").status,
      400);
}

TEST_F(RecordsHttpTest, WithOnASingleRecordToleratesNullEmptyAndUnknownValues) {
  const std::int64_t lead = MakeLead(allowed_).id;
  const std::int64_t contact = MakeContact(allowed_).id;
  Link(lead, contact);
  for (const char* with : {"?with=null", "?with=", "?with=null,contacts", "?with=bogus"}) {
    Response read = Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + with, allowed_);
    EXPECT_EQ(read.status, 200) << with << ": " << read.body;
    if (std::string(with) == "?with=null,contacts") {
      EXPECT_EQ(Body(read)["_embedded"]["contacts"].size(), 1u);
    }
    EXPECT_EQ(
        Send(Method::kGet, "/api/v4/contacts/" + std::to_string(contact) + with, allowed_).status,
        200)
        << with;
  }
  Response task = Send(Method::kPost, "/api/v4/tasks", allowed_,
                       R"([{"text":"Call","complete_till":1700000000}])");
  ASSERT_EQ(task.status, 200);
  EXPECT_EQ(Send(Method::kGet,
                 "/api/v4/tasks/" +
                     std::to_string(Body(task)["_embedded"]["tasks"][0]["id"].get<std::int64_t>()) +
                     "?with=null",
                 allowed_)
                .status,
            200);
  // Lists stay strict, and other parameters on a single record are still refused.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads?with=null", allowed_).status, 400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/" + std::to_string(lead) + "?foo=1", allowed_).status,
            400);
}

TEST_F(RecordsHttpTest, LossReasonsAndALeadsLossReasonIsValidated) {
  const domain::UserId boss = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/loss_reasons", allowed_).status, 204);
  EXPECT_EQ(
      Send(Method::kPost, "/api/v4/leads/loss_reasons", allowed_, R"([{"name":"Price"}])").status,
      403);
  Response added = Send(Method::kPost, "/api/v4/leads/loss_reasons", boss,
                        R"([{"name":"Price","sort":10,"request_id":"p"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t price = Body(added)["_embedded"]["loss_reasons"][0]["id"];
  EXPECT_EQ(Body(added)["_embedded"]["loss_reasons"][0]["request_id"], "p");
  EXPECT_EQ(
      Send(Method::kPost, "/api/v4/leads/loss_reasons", boss, R"([{"name":"X","color":1}])").status,
      400);
  Response one = Send(Method::kGet, "/api/v4/leads/loss_reasons/" + std::to_string(price), viewer_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one)["name"], "Price");
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/loss_reasons/987654", viewer_).status, 404);

  Response bad = Send(Method::kPost, "/api/v4/leads", allowed_,
                      R"([{"name":"Lost","loss_reason_id":987654}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr(R"("path":"0.loss_reason_id")"));
  Response good = Send(Method::kPost, "/api/v4/leads", allowed_,
                       R"([{"name":"Lost","loss_reason_id":)" + std::to_string(price) + "}]");
  ASSERT_EQ(good.status, 200) << good.body;
  const std::string lead =
      "/api/v4/leads/" +
      std::to_string(Body(good)["_embedded"]["leads"][0]["id"].get<std::int64_t>());
  json read = Body(Send(Method::kGet, lead + "?with=loss_reason", allowed_));
  ASSERT_EQ(read["_embedded"]["loss_reason"].size(), 1u) << read.dump();
  EXPECT_EQ(read["_embedded"]["loss_reason"][0]["name"], "Price");
  // Sent back as read (with _embedded.loss_reason): accepted.
  EXPECT_EQ(Send(Method::kPatch, lead, allowed_, read.dump()).status, 200);
  EXPECT_EQ(
      Send(Method::kDelete, "/api/v4/leads/loss_reasons/" + std::to_string(price), boss).status,
      204);
  EXPECT_TRUE(Body(Send(Method::kGet, lead, allowed_))["loss_reason_id"].is_null());
}

}  // namespace
}  // namespace gatehouse::http::api
