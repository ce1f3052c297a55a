// RecordService's incoming leads (Unsorted): view then accept or decline, the responsible user
// an accepted lead keeps, adding forms and calls (sip), a form's contacts and company becoming
// linked records when it is accepted, and a call's call_in note.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "service/records/records_test_util.h"

namespace gatehouse::service {
namespace {

TEST_F(RecordsTest, IncomingLeadsNeedViewThenAcceptOrDecline) {
  const storage::IncomingLead item{.uid = "u-1",
                                   .category = domain::IncomingCategory::kForms,
                                   .pipeline_id = pipeline_,
                                   .lead_name = "From the site",
                                   .lead_price = 42};
  storage::IncomingLead second = item;
  second.uid = "u-2";
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_RETURN_IF_ERROR(w.Create(item).status());
                            return w.Create(second).status();
                          })
                  .ok());
  domain::Rights viewer_rights;
  viewer_rights.Set(DataSet::kIncomingLeads, Action::kView, Level::kAllowed);
  const domain::UserId looker = AddUser("look@acme.test", viewer_rights, sales_);
  domain::Rights acceptor_rights = viewer_rights;
  acceptor_rights.Set(DataSet::kIncomingLeads, Action::kAccept, Level::kAllowed);
  acceptor_rights.Set(DataSet::kIncomingLeads, Action::kDecline, Level::kAllowed);
  const domain::UserId acceptor = AddUser("accept@acme.test", acceptor_rights, sales_);

  // Without view: invisible in lists and 404 on every action.
  auto none = service_->ListIncoming(As(allowed_), {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(service_->AcceptIncoming(As(allowed_), "u-1", 0).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->DeclineIncoming(As(allowed_), "u-1").status().code(), Code::kNotFound);
  // View only: listed, but accept/decline are 403 naming the right.
  EXPECT_EQ(service_->ListIncoming(As(looker), {})->items.size(), 2u);
  auto refused = service_->AcceptIncoming(As(looker), "u-1", 0);
  ASSERT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "incoming_leads.accept is D (denied)");
  EXPECT_EQ(service_->DeclineIncoming(As(looker), "u-1").status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(Events("incoming_lead_accepted").empty());

  // Accept creates the lead in the pipeline, logged in the same transaction.
  auto lead = service_->AcceptIncoming(As(acceptor), "u-1", working_[1]);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  EXPECT_EQ(lead->name, "From the site");
  EXPECT_EQ(lead->price, 42);
  EXPECT_EQ(lead->pipeline_id, pipeline_);
  EXPECT_EQ(lead->status_id, working_[1]);
  EXPECT_EQ(lead->responsible_user_id, acceptor);
  EXPECT_EQ(store_->Reader(account_).FindIncomingLeadByUid("u-1")->state, "accepted");
  auto accepted = Events("incoming_lead_accepted");
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].value_after_json, R"([{"lead":{"id":)" + std::to_string(lead->id) + "}}]");
  EXPECT_EQ(Events("lead_added").size(), 1u);
  // Accepting twice is refused and changes nothing.
  EXPECT_EQ(service_->AcceptIncoming(As(acceptor), "u-1", 0).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(Events("lead_added").size(), 1u);

  auto declined = service_->DeclineIncoming(As(acceptor), "u-2");
  ASSERT_TRUE(declined.ok()) << declined.status().ToString();
  EXPECT_EQ(declined->state, "declined");
  EXPECT_EQ(Events("incoming_lead_declined").size(), 1u);
  EXPECT_EQ(service_->AcceptIncoming(As(acceptor), "nope", 0).status().code(), Code::kNotFound);
}

TEST_F(RecordsTest, AnAcceptedLeadKeepsItsResponsibleUserUnlessTheyHaveLeft) {
  domain::Rights rights;
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId acceptor = AddUser("accept@acme.test", rights, sales_);
  const domain::UserId leaver = AddUser("leaver@acme.test", rights, sales_);
  const storage::IncomingLead kept{.uid = "u-kept",
                                   .category = domain::IncomingCategory::kForms,
                                   .pipeline_id = pipeline_,
                                   .responsible_user_id = mate_};
  storage::IncomingLead orphan = kept;
  orphan.uid = "u-orphan";
  orphan.responsible_user_id = leaver;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_RETURN_IF_ERROR(w.Create(kept).status());
                            GH_RETURN_IF_ERROR(w.Create(orphan).status());
                            GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(leaver));
                            row.user.is_active = false;
                            return w.UpdateUser(row);
                          })
                  .ok());

  auto to_mate = service_->AcceptIncoming(As(acceptor), "u-kept", 0);
  ASSERT_TRUE(to_mate.ok()) << to_mate.status().ToString();
  EXPECT_EQ(to_mate->responsible_user_id, mate_);
  auto taken = service_->AcceptIncoming(As(acceptor), "u-orphan", 0);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->responsible_user_id, acceptor);
}

TEST_F(RecordsTest, AddIncomingFormNeedsLeadsAdd) {
  const IncomingInput form{.source_uid = "site", .lead_name = "Web"};
  EXPECT_EQ(service_->AddIncoming(As(viewer_), std::vector{form}).status().code(),
            Code::kPermissionDenied);
  auto created = service_->AddIncoming(As(allowed_), std::vector{form});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ((*created)[0].category, domain::IncomingCategory::kForms);
  EXPECT_EQ((*created)[0].pipeline_id, pipeline_);
  EXPECT_EQ((*created)[0].uid.size(), 32u);
  EXPECT_EQ(Events("incoming_lead_added").size(), 1u);
}

TEST_F(RecordsTest, FormContactsAndCompanyBecomeLinkedRecordsWhenAccepted) {
  domain::CustomField phone{.data_set = DataSet::kContacts, .name = "Phone"};
  const base::Status defined =
      store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
        GH_ASSIGN_OR_RETURN(phone, w.CreateCustomField(phone));
        return base::Status::Ok();
      });
  ASSERT_TRUE(defined.ok()) << defined.ToString();
  const IncomingInput form{
      .source_uid = "site",
      .lead_name = "Web",
      .contacts = {{.name = "Ann Lee",
                    .first_name = "Ann",
                    .custom_fields_json = R"([{"field_id":)" + std::to_string(phone.id) +
                                          R"(,"values":[{"value":"+100"}]}])"},
                   {.name = "Bob"}},
      .companies = {{.name = "Acme"}}};
  auto created = service_->AddIncoming(As(allowed_), std::vector{form});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string uid = (*created)[0].uid;
  // Until accepted they are not records.
  EXPECT_TRUE(Events("contact_added").empty());
  EXPECT_TRUE(Events("company_added").empty());

  domain::Rights rights;
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId acceptor = AddUser("accept@acme.test", rights, sales_);
  auto lead = service_->AcceptIncoming(As(acceptor), uid, 0);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();

  storage::AccountReader reader = store_->Reader(account_);
  auto links = reader.LeadContacts(lead->id);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 2u);
  auto first = reader.Get<storage::Contact>((*links)[0].contact_id);
  auto second = reader.Get<storage::Contact>((*links)[1].contact_id);
  ASSERT_TRUE(first.ok() && second.ok());
  const storage::Contact& main = (*links)[0].is_main ? *first : *second;
  EXPECT_EQ(main.name, "Ann Lee");
  EXPECT_EQ(main.first_name, "Ann");
  // The form's value is the contact's value of the field, as if written on the contact.
  auto values = reader.FieldValues(DataSet::kContacts, std::vector<RecordId>{main.id});
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].field_id, phone.id);
  EXPECT_EQ((*values)[0].value.value, "+100");
  EXPECT_TRUE(main.custom_fields_json.empty()) << main.custom_fields_json;
  EXPECT_EQ(main.responsible_user_id, acceptor);  // the lead's responsible user
  EXPECT_EQ(main.created_by, acceptor);
  auto company = reader.LeadCompany(lead->id);
  ASSERT_TRUE(company.ok() && company->has_value());
  EXPECT_EQ(reader.Get<storage::Company>(**company)->name, "Acme");
  EXPECT_EQ(Events("contact_added").size(), 2u);
  EXPECT_EQ(Events("company_added").size(), 1u);
  EXPECT_EQ(Events("entity_linked").size(), 3u);
  // The item remembers what became of them.
  auto item = reader.FindIncomingLeadByUid(uid);
  ASSERT_TRUE(item.ok());
  EXPECT_NE(item->embedded_json.find("\"id\":" + std::to_string(**company)), std::string::npos)
      << item->embedded_json;
}

// Once accepted, the item names the lead and the records it became by id only to readers who
// may view them: a record a user cannot view does not exist for that user (SPEC §2).
TEST_F(RecordsTest, AnAcceptedItemNamesOnlyTheRecordsTheReaderMayView) {
  const IncomingInput form{.source_uid = "site",
                           .lead_name = "Web",
                           .contacts = {{.name = "Ann Lee"}},
                           .companies = {{.name = "Acme"}}};
  auto created = service_->AddIncoming(As(allowed_), std::vector{form});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string uid = (*created)[0].uid;
  domain::Rights inbox;  // incoming leads only: no lead, contact or company may be viewed
  for (Action action : {Action::kView, Action::kAccept}) {
    inbox.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId clerk = AddUser("clerk@acme.test", inbox, sales_);
  domain::Rights everything = testing::Uniform(Level::kAllowed);
  everything.Set(DataSet::kIncomingLeads, Action::kView, Level::kAllowed);
  const domain::UserId boss = AddUser("boss@acme.test", everything, sales_);
  auto lead = service_->AcceptIncoming(As(clerk), uid, 0);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();

  auto hidden = service_->GetIncoming(As(clerk), uid);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_EQ(hidden->state, "accepted");
  EXPECT_EQ(hidden->accepted_lead_id, 0);
  EXPECT_EQ(hidden->embedded_json.find("\"id\""), std::string::npos) << hidden->embedded_json;
  EXPECT_NE(hidden->embedded_json.find("Acme"), std::string::npos);  // what the form sent
  auto listed = service_->ListIncoming(As(clerk), {});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].accepted_lead_id, 0);
  EXPECT_EQ(listed->items[0].embedded_json, hidden->embedded_json);

  auto shown = service_->GetIncoming(As(boss), uid);
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  EXPECT_EQ(shown->accepted_lead_id, lead->id);
  auto company = store_->Reader(account_).LeadCompany(lead->id);
  ASSERT_TRUE(company.ok() && company->has_value());
  EXPECT_NE(shown->embedded_json.find("\"id\":" + std::to_string(**company)), std::string::npos)
      << shown->embedded_json;
}

// A call (sip) is a form's item with a call as its metadata: the same right to add it.
IncomingInput CallItem(IncomingCall call) {
  return IncomingInput{.category = domain::IncomingCategory::kSip,
                       .source_uid = "pbx",
                       .lead_name = "Call",
                       .call = std::move(call)};
}

IncomingCall NoteWantingCall() {
  return IncomingCall{.uniq = "call-1",
                      .phone = "+15550100",
                      .called_at = 1700000000,
                      .duration = 65,
                      .service_code = "pbx",
                      .link = "https://pbx.test/rec/1.mp3",
                      .is_call_event_needed = true};
}

// The notes of `lead` that `note_added` (its events) name.
std::vector<storage::Note> NotesOf(const std::vector<storage::EventRow>& note_added,
                                   const storage::AccountReader& reader, RecordId lead) {
  std::vector<storage::Note> notes;
  for (const storage::EventRow& e : note_added) {
    if (e.entity_type != "lead" || e.entity_id != lead) continue;
    const nlohmann::json value = nlohmann::json::parse(e.value_after_json);
    auto note = reader.GetNote(DataSet::kLeads, value[0]["note"]["id"].get<RecordId>());
    EXPECT_TRUE(note.ok()) << note.status().ToString();
    if (note.ok()) notes.push_back(*note);
  }
  return notes;
}

TEST_F(RecordsTest, AddIncomingCallNeedsLeadsAddAndKeepsTheCallAsItsMetadata) {
  const IncomingInput call = CallItem(NoteWantingCall());
  EXPECT_EQ(service_->AddIncoming(As(viewer_), std::vector{call}).status().code(),
            Code::kPermissionDenied);
  auto created = service_->AddIncoming(As(allowed_), std::vector{call});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)[0].category, domain::IncomingCategory::kSip);
  EXPECT_EQ((*created)[0].pipeline_id, pipeline_);
  EXPECT_EQ(nlohmann::json::parse((*created)[0].metadata_json),
            nlohmann::json::parse(R"({"uniq":"call-1","phone":"+15550100","called_at":1700000000,
                            "duration":65,"service_code":"pbx",
                            "link":"https://pbx.test/rec/1.mp3","is_call_event_needed":true})"));
  EXPECT_EQ(Events("incoming_lead_added").size(), 1u);
}

// What the call note would refuse is refused when the call is sent, at its metadata key, so that
// accepting never fails on it; so is a call_responsible who is not an active user.
TEST_F(RecordsTest, AddIncomingCallChecksItsNoteAndResponsibleWhenSent) {
  const domain::UserId leaver = AddUser("leaver@acme.test", {}, sales_);
  SetActive(leaver, false);
  auto with = [](auto edit) {
    IncomingCall call = NoteWantingCall();
    edit(call);
    return CallItem(call);
  };
  const std::vector<std::pair<IncomingInput, std::string>> refused = {
      {with([](IncomingCall& c) { c.link = "ftp://pbx.test/1.mp3"; }), "metadata.link"},
      {with([](IncomingCall& c) { c.service_code = "pbx\n"; }), "metadata.service_code"},
      {with([](IncomingCall& c) { c.uniq = std::string(256, 'u'); }), "metadata.uniq"},
      {with([](IncomingCall& c) { c.duration = 2'000'000'000; }), "metadata.duration"},
      {with([](IncomingCall& c) { c.call_responsible = 999999; }), "metadata.call_responsible"},
      {with([&](IncomingCall& c) { c.call_responsible = leaver; }), "metadata.call_responsible"},
      {IncomingInput{.category = domain::IncomingCategory::kSip, .source_uid = "pbx"}, "metadata"},
  };
  for (const auto& [item, path] : refused) {
    auto added = service_->AddIncoming(As(allowed_), std::vector{item});
    ASSERT_EQ(added.status().code(), Code::kInvalidArgument) << path;
    ASSERT_FALSE(added.status().fields().empty()) << path;
    EXPECT_EQ(added.status().fields()[0].path, path) << added.status().ToString();
  }
  EXPECT_TRUE(Events("incoming_lead_added").empty());
}

// Accepting a call that asks for it (is_call_event_needed) adds its call_in note to the lead in
// the accept's transaction, the call's call_responsible its responsible user while active.
TEST_F(RecordsTest, AcceptingACallAddsItsCallNote) {
  domain::Rights rights;
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId acceptor = AddUser("accept@acme.test", rights, sales_);
  IncomingCall to_mate = NoteWantingCall();
  to_mate.call_responsible = mate_;
  IncomingCall silent = NoteWantingCall();
  silent.is_call_event_needed = false;
  auto created = service_->AddIncoming(
      As(allowed_), std::vector{CallItem(to_mate), CallItem(NoteWantingCall()), CallItem(silent)});
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  auto lead = service_->AcceptIncoming(As(acceptor), (*created)[0].uid, 0);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  storage::AccountReader reader = store_->Reader(account_);
  std::vector<storage::Note> notes = NotesOf(Events("note_added"), reader, lead->id);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].note_type, "call_in");
  EXPECT_EQ(
      nlohmann::json::parse(notes[0].params_json),
      nlohmann::json::parse(R"({"uniq":"call-1","duration":65,"source":"pbx","phone":"+15550100",
                            "link":"https://pbx.test/rec/1.mp3"})"));
  EXPECT_EQ(notes[0].responsible_user_id, mate_);
  EXPECT_EQ(notes[0].created_by, acceptor);

  auto own = service_->AcceptIncoming(As(acceptor), (*created)[1].uid, 0);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  notes = NotesOf(Events("note_added"), reader, own->id);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].responsible_user_id, acceptor);

  auto none = service_->AcceptIncoming(As(acceptor), (*created)[2].uid, 0);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(NotesOf(Events("note_added"), reader, none->id).empty());
  EXPECT_EQ(Events("note_added").size(), 2u);
}

// The note is written in the accept's transaction: a call that cannot become one (kept before
// calls were checked) accepts nothing, and a call_responsible who has left since is replaced by
// the acceptor.
TEST_F(RecordsTest, ACallNoteIsPartOfTheAccept) {
  domain::Rights rights;
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId acceptor = AddUser("accept@acme.test", rights, sales_);
  const domain::UserId leaver = AddUser("leaver@acme.test", {}, sales_);
  const storage::IncomingLead broken{
      .uid = "u-broken",
      .category = domain::IncomingCategory::kSip,
      .pipeline_id = pipeline_,
      .metadata_json = R"({"uniq":"c","phone":"1","duration":5,"service_code":"pbx",)"
                       R"("link":"ftp://x","is_call_event_needed":true})"};
  storage::IncomingLead left = broken;
  left.uid = "u-left";
  left.metadata_json = R"({"uniq":"c","phone":"1","duration":5,"service_code":"pbx",)"
                       R"("is_call_event_needed":true,"call_responsible":)" +
                       std::to_string(leaver) + "}";
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_RETURN_IF_ERROR(w.Create(broken).status());
                            GH_RETURN_IF_ERROR(w.Create(left).status());
                            GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(leaver));
                            row.user.is_active = false;
                            return w.UpdateUser(row);
                          })
                  .ok());

  EXPECT_EQ(service_->AcceptIncoming(As(acceptor), "u-broken", 0).status().code(), Code::kInternal);
  storage::AccountReader reader = store_->Reader(account_);
  EXPECT_EQ(reader.FindIncomingLeadByUid("u-broken")->state, "pending");
  EXPECT_TRUE(Events("lead_added").empty());
  EXPECT_TRUE(Events("incoming_lead_accepted").empty());

  auto lead = service_->AcceptIncoming(As(acceptor), "u-left", 0);
  ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  std::vector<storage::Note> notes = NotesOf(Events("note_added"), reader, lead->id);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].responsible_user_id, acceptor);
}

// The summary counts what the list shows the caller: their own items at "if responsible", all
// of them for an administrator, none (zeros, not an error) without the view right, and never
// another account's.
TEST_F(RecordsTest, SummarizeIncomingCountsOnlyWhatTheCallerMayView) {
  domain::Rights own;
  own.Set(DataSet::kIncomingLeads, Action::kView, Level::kIfResponsible);
  const domain::UserId own_viewer = AddUser("own@acme.test", own, sales_);
  auto other_pipelines = store_->Reader(other_account_).ListPipelines();
  ASSERT_TRUE(other_pipelines.ok() && !other_pipelines->empty());
  const storage::IncomingLead mine{.uid = "u-mine",
                                   .category = domain::IncomingCategory::kSip,
                                   .pipeline_id = pipeline_,
                                   .responsible_user_id = mine_,
                                   .created_at = 100};
  storage::IncomingLead theirs = mine;
  theirs.uid = "u-theirs";
  theirs.category = domain::IncomingCategory::kForms;
  theirs.responsible_user_id = own_viewer;
  storage::IncomingLead elsewhere = mine;
  elsewhere.pipeline_id = other_pipelines->front().id;
  elsewhere.responsible_user_id = 0;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            GH_ASSIGN_OR_RETURN(storage::IncomingLead item, w.Create(mine));
                            GH_RETURN_IF_ERROR(w.Create(theirs).status());
                            return w.AcceptIncomingLead(item.id, mine_, 0, 130).status();
                          })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write(other_account_,
                          [&](storage::AccountWriter& w) -> base::Status {
                            return w.Create(elsewhere).status();
                          })
                  .ok());

  auto sees = [&](domain::UserId user) {
    auto summary = service_->SummarizeIncoming(As(user), {});
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : storage::IncomingSummary{};
  };
  const storage::IncomingSummary everything = sees(admin_);
  EXPECT_EQ(everything.total, 2);
  EXPECT_EQ(everything.accepted, 1);
  EXPECT_EQ(everything.average_sort_time, 30);
  const storage::IncomingSummary own_only = sees(own_viewer);
  EXPECT_EQ(own_only.total, 1);
  EXPECT_EQ(own_only.accepted, 0);
  EXPECT_EQ(own_only.categories[1],
            (storage::IncomingCategoryCount{domain::IncomingCategory::kForms, 1}));
  EXPECT_EQ(own_only.categories[0].total, 0);  // u-mine (sip) is mine_'s, not own_viewer's
  EXPECT_EQ(service_->ListIncoming(As(own_viewer), {})->items.size(), 1u);
  // Every right but incoming leads' view: nothing counts.
  const storage::IncomingSummary none = sees(allowed_);
  EXPECT_EQ(none.total, 0);
  EXPECT_EQ(none.categories.size(), domain::kAllIncomingCategories.size());
}

}  // namespace
}  // namespace gatehouse::service
