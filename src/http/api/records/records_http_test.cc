// The record resources driven through the Router (no network): query parsing (raw and
// percent-encoded brackets, x[]= and x[0]=, unknown parameters refused), 204 for empty lists,
// _links that carry limit and filters, Kommo body shapes, problem+json errors, CSV export.
// The same fixture's other subjects: inbox_http_test.cc, catalogs_http_test.cc,
// customers_http_test.cc, record_fields_http_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

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
      {"filter[next_date]=1", "filter[next_date]"},  // a customers' filter
      {"limit=251", "limit"},
      {"limit=abc", "limit"},
      {"order[name]=asc", "order[name]"},
      {"order[id]=up", "order[id]"},
      {"with=only_deleted", "with"},
      {"filter[id]=1,x", "filter[id][1]"},
      // A stage filter naming no stage is refused, not dropped (which would list every stage).
      {"filter[statuses][0][pipeline_id]=0&filter[statuses][0][status_id]=1",
       "filter[statuses][0]"},
      {"filter[statuses][0][status_id]=1", "filter[statuses][0]"},
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
                      const storage::IncomingLead item{
                          .uid = "u-" + std::string(domain::IncomingCategoryName(category)),
                          .category = category,
                          .pipeline_id = pipeline_};
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

// Members a record does not keep are refused by name, nested ones included, and the store's
// ranges answer 400 on the field (a price once wrapped a stage's kept sum negative).
TEST_F(RecordsHttpTest, NestedUnknownsAndOutOfRangeValuesAreRefusedByName) {
  const std::string lead = std::to_string(MakeLead(mine_).id);
  EXPECT_EQ(FirstError(Send(Method::kPost, "/api/v4/companies", mine_,
                            R"([{"name":"x","_embedded":true}])")),
            "0._embedded: InvalidType");
  EXPECT_EQ(FirstError(Send(Method::kPost, "/api/v4/tasks", mine_,
                            R"([{"text":"t","complete_till":1900000000,"entity_id":)" + lead +
                                R"(,"entity_type":"leads","result":{"text":"done","a":1}}])")),
            "0.result.a: NotSupported");
  EXPECT_EQ(FirstError(Send(Method::kPost, "/api/v4/leads", mine_,
                            R"([{"name":"big","price":9223372036854775807}])")),
            "0.price: Invalid");
  EXPECT_EQ(FirstError(Send(Method::kPost, "/api/v4/tasks", mine_,
                            R"([{"text":"t","complete_till":1900000000,"task_type_id":99}])")),
            "0.task_type_id: NotFound");
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

}  // namespace
}  // namespace gatehouse::http::api
