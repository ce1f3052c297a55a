// RecordService Shared Inbox on a real store (SQLite, and PostgreSQL when GATEHOUSE_TEST_PG_URL
// is set): mail_access gates everything; a conversation is listed, counted and readable exactly
// when the policy lets the caller view its linked record (checked against Check() over random
// rights, stages and responsible users, with a replayable seed); posting a message needs a
// visible conversation and text, and writes its event in the same transaction.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

class TalksTest : public testing::OnEachEngine<testing::RecordsFixture> {
 protected:
  std::int64_t Seats() const override { return 100; }

  domain::Rights Inbox(Level leads, Level contacts, bool mail = true) {
    domain::Rights r = testing::Uniform(Level::kDenied);
    r.Set(DataSet::kLeads, Action::kView, leads);
    r.Set(DataSet::kContacts, Action::kView, contacts);
    r.mail_access = mail;
    return r;
  }

  storage::Conversation MakeTalk(std::optional<DataSet> entity_type, RecordId entity_id,
                                 domain::UserId responsible) {
    const storage::Conversation talk{.channel = "chat",
                                     .subject = "Hello",
                                     .entity_type = entity_type,
                                     .entity_id = entity_id,
                                     .responsible_user_id = responsible,
                                     .created_at = clock_.NowSeconds()};
    clock_.Advance(1);
    storage::Conversation out;
    base::Status s = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      GH_ASSIGN_OR_RETURN(out, w.Create(talk));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // Every page of the caller's inbox, with a small page size so paging is exercised.
  std::set<RecordId> AllTalks(const Caller& caller) {
    std::set<RecordId> ids;
    for (int page = 1; page < 100; ++page) {
      auto talks = service_->ListTalks(caller, 7, page);
      EXPECT_TRUE(talks.ok()) << talks.status().ToString();
      if (!talks.ok()) break;
      for (const storage::Conversation& t : talks->items) {
        EXPECT_TRUE(ids.insert(t.id).second) << "talk " << t.id << " listed twice";
      }
      if (!talks->has_next) break;
    }
    return ids;
  }
};

TEST_P(TalksTest, WithoutMailAccessEverythingIsForbidden) {
  const domain::UserId user = AddUser("u@acme.test",
                                      Inbox(Level::kAllowed, Level::kAllowed,
                                            /*mail=*/false),
                                      sales_);
  const RecordId talk = MakeTalk(DataSet::kLeads, MakeLead(user, stages_[1]).id, user).id;
  const Caller caller = As(user);
  EXPECT_EQ(service_->ListTalks(caller, 50, 1).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service_->GetTalk(caller, talk).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service_->AddTalkMessage(caller, talk, "hi").status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(Events("outgoing_chat_message").empty());
}

// The reference model: a conversation is visible iff Check(view) allows its linked record.
TEST_P(TalksTest, VisibleExactlyWhenTheLinkedRecordIsViewable) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto pick = [&](auto n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const Level levels[] = {Level::kDenied, Level::kIfResponsible, Level::kTeamWide, Level::kAllowed};

  std::vector<domain::UserId> users;
  users.push_back(AddUser("admin@acme.test", {}, sales_, /*admin=*/true));
  for (int i = 0; i < 8; ++i) {
    domain::Rights rights = Inbox(levels[pick(4)], levels[pick(4)]);
    if (pick(2) == 0) {  // a stage right that narrows or widens leads view
      domain::StageRights stage{.stage = {pipeline_, stages_[pick(stages_.size())]}};
      stage.Set(Action::kView, levels[pick(4)]);
      rights.stage_rights.push_back(stage);
    }
    users.push_back(AddUser("u" + std::to_string(i) + "@acme.test", std::move(rights),
                            pick(2) == 0 ? sales_ : marketing_));
  }
  auto responsible = [&]() -> domain::UserId {
    return pick(6) == 0 ? 0 : users[pick(users.size())];
  };

  // Linked records and what the engine sees of each.
  std::vector<std::pair<DataSet, RecordId>> links;
  std::map<std::pair<DataSet, RecordId>, domain::RecordRef> refs;
  for (int i = 0; i < 12; ++i) {
    storage::Lead lead = MakeLead(responsible(), stages_[pick(stages_.size())]);
    links.emplace_back(DataSet::kLeads, lead.id);
    refs[links.back()] = internal::RefOf(lead);
    storage::Contact contact = MakeContact(responsible());
    links.emplace_back(DataSet::kContacts, contact.id);
    refs[links.back()] = internal::RefOf(contact);
  }
  std::vector<storage::Conversation> talks;
  for (int i = 0; i < 40; ++i) {
    const auto& link = links[pick(links.size())];
    talks.push_back(MakeTalk(link.first, link.second, responsible()));
  }
  // Linked to a company or to nothing: in nobody's inbox.
  const RecordId company_talk =
      MakeTalk(DataSet::kCompanies, MakeCompany(users[1]).id, users[1]).id;
  const RecordId loose_talk = MakeTalk(std::nullopt, 0, users[1]).id;

  std::shared_ptr<const policy::AccountPolicy> policy = As(users[0]).policy;
  for (domain::UserId user : users) {
    SCOPED_TRACE("user " + std::to_string(user));
    const Caller caller = As(user);
    std::set<RecordId> expected;
    for (const storage::Conversation& talk : talks) {
      const domain::RecordRef& ref = refs.at({*talk.entity_type, talk.entity_id});
      if (policy->Check(user, Action::kView, ref).allowed) expected.insert(talk.id);
    }
    EXPECT_EQ(AllTalks(caller), expected);
    for (const storage::Conversation& talk : talks) {
      auto got = service_->GetTalk(caller, talk.id);
      if (expected.contains(talk.id)) {
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_EQ(*got, talk);
      } else {
        EXPECT_EQ(got.status().code(), Code::kNotFound);
      }
    }
    EXPECT_EQ(service_->GetTalk(caller, company_talk).status().code(), Code::kNotFound);
    EXPECT_EQ(service_->GetTalk(caller, loose_talk).status().code(), Code::kNotFound);
  }
}

TEST_P(TalksTest, PagesAreNewestFirstAndEmptyWhenNothingIsVisible) {
  const domain::UserId user =
      AddUser("u@acme.test", Inbox(Level::kAllowed, Level::kDenied), sales_);
  const domain::UserId blind =
      AddUser("b@acme.test", Inbox(Level::kDenied, Level::kDenied), sales_);
  const RecordId lead = MakeLead(user, stages_[1]).id;
  std::vector<RecordId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(MakeTalk(DataSet::kLeads, lead, user).id);
  auto first = service_->ListTalks(As(user), 3, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_TRUE(first->has_next);
  EXPECT_EQ(first->items.front().id, ids.back());
  auto second = service_->ListTalks(As(user), 3, 2);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_FALSE(second->has_next);
  EXPECT_EQ(second->items.back().id, ids.front());
  auto none = service_->ListTalks(As(blind), 50, 1);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
}

TEST_P(TalksTest, MessageIsAppendedWithItsEvent) {
  const domain::UserId agent =
      AddUser("a@acme.test", Inbox(Level::kIfResponsible, Level::kIfResponsible), sales_);
  const domain::UserId other =
      AddUser("o@acme.test", Inbox(Level::kAllowed, Level::kAllowed), marketing_);
  const RecordId contact = MakeContact(agent).id;
  const RecordId talk = MakeTalk(DataSet::kContacts, contact, agent).id;
  const RecordId hidden = MakeTalk(DataSet::kLeads, MakeLead(other, stages_[1]).id, other).id;
  clock_.Advance(100);

  auto message = service_->AddTalkMessage(As(agent), talk, "Hi there");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->conversation_id, talk);
  EXPECT_EQ(message->author_user_id, agent);
  EXPECT_EQ(message->text, "Hi there");
  EXPECT_EQ(message->created_at, clock_.NowSeconds());

  auto messages = service_->ListTalkMessages(As(agent), talk, 50, 1);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(messages->front(), *message);
  auto moved = service_->GetTalk(As(agent), talk);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->updated_at, clock_.NowSeconds());
  EXPECT_EQ(moved->last_message_at, clock_.NowSeconds());

  std::vector<storage::EventRow> events = Events("outgoing_chat_message");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_type, "contact");
  EXPECT_EQ(events[0].entity_id, contact);
  EXPECT_EQ(events[0].actor_user_id, agent);
  EXPECT_NE(events[0].value_after_json.find("\"talk_id\":" + std::to_string(talk)),
            std::string::npos);

  // Empty text: 400 naming the field, nothing written.
  auto empty = service_->AddTalkMessage(As(agent), talk, "");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(empty.status().fields().size(), 1u);
  EXPECT_EQ(empty.status().fields()[0].path, "text");

  // A conversation whose linked record the caller cannot view does not exist for them.
  EXPECT_EQ(service_->AddTalkMessage(As(agent), hidden, "psst").status().code(), Code::kNotFound);
  EXPECT_EQ(service_->AddTalkMessage(As(agent), 999'999, "psst").status().code(), Code::kNotFound);
  EXPECT_EQ(service_->ListTalkMessages(As(agent), hidden, 50, 1).status().code(), Code::kNotFound);
  EXPECT_EQ(Events("outgoing_chat_message").size(), 1u);
  auto hidden_messages = store_->Reader(account_).ListConversationMessages(hidden);
  ASSERT_TRUE(hidden_messages.ok());
  EXPECT_TRUE(hidden_messages->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, TalksTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
