// Unsorted (incoming leads from forms) and the Shared Inbox (talks) through the Router: a form's
// contacts and company are kept until it is accepted, adding forms needs the leads' add right,
// accept and decline, and talk messages listed where their links point.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

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
  storage::Conversation talk{.channel = "chat",
                             .subject = "Hello",
                             .entity_type = domain::DataSet::kLeads,
                             .entity_id = MakeLead(agent).id,
                             .responsible_user_id = agent};
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

}  // namespace
}  // namespace gatehouse::http::api
