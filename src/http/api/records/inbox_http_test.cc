// Unsorted (incoming leads from forms) and the Shared Inbox (talks) through the Router: a form's
// contacts and company are kept until it is accepted, adding forms needs the leads' add right,
// accept and decline, and talk messages listed where their links point.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

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
  // Several uids, as Kommo's filter[uid] takes them (and the summary does): the known one only.
  Response several = Send(
      Method::kGet, "/api/v4/leads/unsorted?filter[uid][]=" + uid + "&filter[uid][]=gone", handler);
  ASSERT_EQ(several.status, 200) << several.body;
  ASSERT_EQ(Body(several)["_embedded"]["unsorted"].size(), 1u);
  EXPECT_EQ(Body(several)["_embedded"]["unsorted"][0]["uid"], uid);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted?filter[uid]=gone", handler).status, 204);

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

// Nothing a form sends is answered 200 and dropped: what the item does not keep is a 400 naming
// it, and the form's own time is kept.
TEST_F(RecordsHttpTest, UnsortedFormsRefuseWhatTheItemDoesNotKeep) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"source_uid":"s","foo":1})", "0.foo"},
      {R"({"source_uid":"s","_embedded":{"notes":[]}})", "0._embedded.notes"},
      {R"({"source_uid":"s","_embedded":{"leads":[{"name":"A"},{"name":"B"}]}})",
       "0._embedded.leads"},
      {R"({"source_uid":"s","_embedded":{"leads":[{"name":"A","status_id":5}]}})",
       "0._embedded.leads.0.status_id"},
      {R"({"source_uid":"s","_embedded":{"leads":[{"name":"A","custom_fields_values":[]}]}})",
       "0._embedded.leads.0.custom_fields_values"},
      {R"({"source_uid":"s","_embedded":{"leads":[{"name":"A","_embedded":{"tags":[]}}]}})",
       "0._embedded.leads.0._embedded"},
      {R"({"source_uid":"s","_embedded":{"leads":[{"price":1000000000000}]}})",
       "0._embedded.leads.0.price"},
      {R"({"source_uid":"s","_embedded":{"leads":[7]}})", "0._embedded.leads.0"},
      {R"({"source_uid":"s","_embedded":{"contacts":[{"name":"A","email":"a@b.c"}]}})",
       "0._embedded.contacts.0.email"},
      {R"({"source_uid":"s","_embedded":{"contacts":[{"name":"A","responsible_user_id":1}]}})",
       "0._embedded.contacts.0.responsible_user_id"},
      {R"({"source_uid":"s","created_at":-1})", "0.created_at"},
  };
  for (const auto& [form, path] : refused) {
    Response r = Send(Method::kPost, "/api/v4/leads/unsorted/forms", allowed_, "[" + form + "]");
    EXPECT_EQ(r.status, 400) << form << ": " << r.body;
    EXPECT_NE(r.body.find("\"" + path + "\""), std::string::npos) << form << ": " << r.body;
  }
  domain::Rights viewing;
  viewing.Set(DataSet::kIncomingLeads, Action::kView, Level::kAllowed);
  const domain::UserId looker = AddUser("look@acme.test", viewing, sales_);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", looker).status, 204);  // none kept

  Response kept = Send(Method::kPost, "/api/v4/leads/unsorted/forms", allowed_,
                       R"([{"source_uid":"s","created_at":1700000000,
                            "_embedded":{"leads":[{"name":"Web","price":5}]}}])");
  ASSERT_EQ(kept.status, 200) << kept.body;
  const std::string uid = Body(kept)["_embedded"]["unsorted"][0]["uid"];
  EXPECT_EQ(store_->Reader(account_).FindIncomingLeadByUid(uid)->created_at, 1700000000);
}

// Accept and decline take Kommo's user_id only as the caller's own id, and nothing unknown.
TEST_F(RecordsHttpTest, UnsortedDecisionsRefuseAnotherUserAndUnknownKeys) {
  domain::Rights rights = service::testing::Uniform(Level::kAllowed);
  for (Action a : {Action::kView, Action::kAccept, Action::kDecline}) {
    rights.Set(DataSet::kIncomingLeads, a, Level::kAllowed);
  }
  const domain::UserId handler = AddUser("inbox@acme.test", rights, sales_);
  auto post_form = [&] {
    Response created = Send(Method::kPost, "/api/v4/leads/unsorted/forms", handler,
                            R"([{"source_uid":"s","_embedded":{"leads":[{"name":"Web"}]}}])");
    return Body(created)["_embedded"]["unsorted"][0]["uid"].get<std::string>();
  };
  const std::string uid = post_form();
  const std::string accept = "/api/v4/leads/unsorted/" + uid + "/accept";
  Response other =
      Send(Method::kPost, accept, handler, R"({"user_id":)" + std::to_string(allowed_) + "}");
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_NE(other.body.find("\"user_id\""), std::string::npos) << other.body;
  Response unknown = Send(Method::kPost, accept, handler, R"({"responsible_user_id":1})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("\"responsible_user_id\""), std::string::npos) << unknown.body;
  EXPECT_EQ(store_->Reader(account_).FindIncomingLeadByUid(uid)->state, "pending");
  Response own =
      Send(Method::kPost, accept, handler, R"({"user_id":)" + std::to_string(handler) + "}");
  EXPECT_EQ(own.status, 200) << own.body;

  const std::string declined = "/api/v4/leads/unsorted/" + post_form() + "/decline";
  EXPECT_EQ(Send(Method::kDelete, declined, handler, R"({"status_id":142})").status, 400);
  EXPECT_EQ(
      Send(Method::kDelete, declined, handler, R"({"user_id":)" + std::to_string(handler) + "}")
          .status,
      200);
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
  // What a message does not keep is refused by name, and nothing is posted.
  Response unknown = Send(Method::kPost, messages, agent, R"({"text":"four","attachments":[]})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("\"attachments\""), std::string::npos) << unknown.body;
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
