// Fields of the record resources through the Router (issue 15 §2): tags, unknown fields refused
// by name, records sent back as read, created_at/updated_at as given, with= on one record, loss
// reasons.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;

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
