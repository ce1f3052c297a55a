// Store writes on every engine: references checked, defaults applied, a failing step rolls the
// whole write back, links and cascading deletes, reassignment and incoming leads.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <map>
#include <string>

#include "storage/closest_task.h"
#include "storage/store.h"
#include "storage/store_test_util.h"
#include "storage/value_ranges.h"

namespace gatehouse::storage {
namespace {

class WriteRulesTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("acme");
    active_ = NewUser(account_, "active@acme.io");
    inactive_ = NewUser(account_, "gone@acme.io", 0, false);
    auto pipelines = store_->Reader(account_).ListPipelines();
    main_ = pipelines->front();
    other_ = NewPipeline(account_, "Other", {{0, "X", 20, 0}});
  }
  std::int64_t LeadCount() {
    testing::FilteredQuery q;
    q.permission.otherwise.kind = policy::Audience::Kind::kAll;
    return *store_->Reader(account_).Count<Lead>(q.permission, q);
  }
  Status CreateLead(const Lead& lead) {
    return store_->Write(account_, [&](AccountWriter& w) { return w.Create(lead).status(); });
  }
  // closest_task_at of record `id` (0: none).
  template <typename R>
  std::int64_t ClosestTaskOf(RecordId id) {
    return store_->Reader(account_).Get<R>(id)->closest_task_at;
  }
  AccountId account_ = 0;
  UserId active_ = 0;
  UserId inactive_ = 0;
  domain::Pipeline main_;
  domain::Pipeline other_;
};

TEST_P(WriteRulesTest, DefaultsToMainPipelineFirstWorkingStage) {
  const Lead created = NewRecord(account_, Lead{});
  EXPECT_EQ(created.pipeline_id, main_.id);
  EXPECT_EQ(created.status_id, main_.stages[1].id);
  EXPECT_GT(created.created_at, 0);
  EXPECT_EQ(created.closed_at, 0);
}

TEST_P(WriteRulesTest, StageOfAnotherPipelineIsRefused) {
  Lead lead{.pipeline_id = main_.id, .status_id = other_.stages[1].id};
  Status status = CreateLead(lead);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  ASSERT_EQ(status.fields().size(), 1u);
  EXPECT_EQ(status.fields()[0].path, "status_id");
  EXPECT_EQ(LeadCount(), 0);
  // 142/143 belong to every pipeline.
  lead.status_id = domain::kWonStatusId;
  EXPECT_TRUE(CreateLead(lead).ok());
}

// A lookup that fails (here the stages' table is gone for the transaction, as a connection lost
// mid-write fails) is the store's error, never "pipeline N does not exist": a 400 the client
// would believe. The outage test caught a lead POST answered so while PostgreSQL restarted.
TEST_P(WriteRulesTest, AFailedLookupIsNotAMissingReference) {
  auto create_without_statuses = [&](auto create) {
    return store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(
          w.connection().Execute("ALTER TABLE statuses RENAME TO statuses_away", {}).status());
      return create(w);
    });
  };
  Status lead = create_without_statuses(
      [&](AccountWriter& w) { return w.Create(Lead{.pipeline_id = main_.id}).status(); });
  EXPECT_FALSE(lead.ok());
  EXPECT_NE(lead.code(), Code::kInvalidArgument) << lead.ToString();
  Status incoming = create_without_statuses([&](AccountWriter& w) {
    return w
        .Create(IncomingLead{
            .uid = "call-1", .category = domain::IncomingCategory::kSip, .pipeline_id = main_.id})
        .status();
  });
  EXPECT_FALSE(incoming.ok());
  EXPECT_NE(incoming.code(), Code::kInvalidArgument) << incoming.ToString();
  EXPECT_EQ(LeadCount(), 0);
  // The table is back after the rollback: the same writes succeed.
  EXPECT_TRUE(CreateLead(Lead{.pipeline_id = main_.id}).ok());
}

TEST_P(WriteRulesTest, DeactivatedOrUnknownResponsibleIsRefused) {
  Lead lead{.responsible_user_id = inactive_};
  Status status = CreateLead(lead);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.fields().at(0).path, "responsible_user_id");
  EXPECT_EQ(status.fields().at(0).code, "Inactive");
  lead.responsible_user_id = 999999;
  EXPECT_EQ(CreateLead(lead).code(), Code::kInvalidArgument);
  EXPECT_EQ(LeadCount(), 0);
}

// Amounts and times are bounded on every write path, so the totals kept per stage stay exact
// (a price near INT64_MAX once wrapped a stage's sum negative for good).
TEST_P(WriteRulesTest, AmountsTimesAndTaskFieldsStayInRange) {
  const auto refused_on = [](const Status& status) {
    return status.fields().empty() ? std::string("-") : status.fields().front().path;
  };
  EXPECT_EQ(refused_on(CreateLead({.price = kMaxAmount + 1})), "price");
  EXPECT_EQ(refused_on(CreateLead({.price = -1})), "price");
  EXPECT_EQ(refused_on(CreateLead({.closed_at = kMaxTime + 1})), "closed_at");
  EXPECT_EQ(refused_on(CreateLead({.closed_at = std::numeric_limits<std::int64_t>::min()})),
            "closed_at");
  EXPECT_EQ(LeadCount(), 0);
  EXPECT_TRUE(CreateLead({.price = kMaxAmount, .closed_at = kMaxTime}).ok());

  const Lead lead = NewRecord(account_, Lead{.name = "Deal"});
  auto create_task = [&](Task task) {
    task.entity_type = domain::DataSet::kLeads;
    task.entity_id = lead.id;
    return store_->Write(account_, [&](AccountWriter& w) { return w.Create(task).status(); });
  };
  EXPECT_EQ(refused_on(create_task({.task_type_id = 99})), "task_type_id");
  EXPECT_EQ(refused_on(create_task({.task_type_id = -1})), "task_type_id");
  EXPECT_EQ(refused_on(create_task({.complete_till = -5})), "complete_till");
  EXPECT_EQ(refused_on(create_task({.duration = -5})), "duration");
  EXPECT_TRUE(create_task({.task_type_id = kMeetingTaskType, .complete_till = kMaxTime}).ok());
}

TEST_P(WriteRulesTest, FailedStepRollsBackEarlierSteps) {
  Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
    GH_RETURN_IF_ERROR(w.Create(Lead{}).status());
    GH_RETURN_IF_ERROR(
        w.AppendEvent({"01TEST", 1, active_, "", "lead_added", "leads", 1, "", "", "", ""}));
    // Fails: everything above is undone.
    return w.Create(Lead{.responsible_user_id = inactive_}).status();
  });
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(LeadCount(), 0);
  EXPECT_TRUE(store_->Reader(account_).ListEvents({})->empty());
}

TEST_P(WriteRulesTest, UpdateValidatesAndKeepsCreationFields) {
  const Lead lead =
      NewRecord(account_, Lead{.name = "Deal", .created_by = active_, .created_at = 1000});
  ASSERT_NE(lead.id, 0);
  Lead moved = lead;
  moved.status_id = other_.stages[1].id;  // not in the lead's pipeline
  EXPECT_EQ(store_->Write(account_, [&](AccountWriter& w) { return w.Update(moved); }).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(*store_->Reader(account_).Get<Lead>(lead.id), lead);

  Lead won = lead;
  won.status_id = domain::kLostStatusId;
  won.created_at = 5;  // ignored
  won.price = 500;
  ASSERT_TRUE(store_->Write(account_, [&](AccountWriter& w) { return w.Update(won); }).ok());
  Lead stored = *store_->Reader(account_).Get<Lead>(lead.id);
  EXPECT_EQ(stored.price, 500);
  EXPECT_EQ(stored.created_at, 1000);
  EXPECT_EQ(stored.created_by, active_);
  EXPECT_GT(stored.closed_at, 0);
}

// Every kind runs the same shared checks: a new editor (updated_by) must be a user of the
// account. Tasks once skipped it (issue 15).
TEST_P(WriteRulesTest, EveryKindRefusesAnUnknownEditorOnUpdate) {
  const AccountId theirs = NewAccount("globex");
  const UserId stranger = NewUser(theirs, "someone@globex.io");
  auto check = [&](auto record) {
    using R = decltype(record);
    record.created_by = active_;
    record.updated_by = active_;
    record = NewRecord(account_, record);
    for (UserId editor : {UserId{999999}, stranger}) {
      R edited = record;
      edited.updated_by = editor;
      Status status = store_->Write(account_, [&](AccountWriter& w) { return w.Update(edited); });
      EXPECT_EQ(status.code(), Code::kInvalidArgument) << RecordTraits<R>::kName;
      ASSERT_EQ(status.fields().size(), 1u) << RecordTraits<R>::kName;
      EXPECT_EQ(status.fields()[0].path, "updated_by");
      EXPECT_EQ(*store_->Reader(account_).Get<R>(record.id), record) << RecordTraits<R>::kName;
    }
    // Deactivated users may still edit, and 0 is the robot.
    for (UserId editor : {inactive_, UserId{0}}) {
      R edited = record;
      edited.updated_by = editor;
      EXPECT_TRUE(store_->Write(account_, [&](AccountWriter& w) { return w.Update(edited); }).ok())
          << RecordTraits<R>::kName;
    }
  };
  check(Lead{});
  check(Contact{});
  check(Company{});
  check(Task{.text = "call"});
}

TEST_P(WriteRulesTest, TaskEntityMustExistInAccount) {
  Task task{.entity_type = domain::DataSet::kLeads, .entity_id = 987654, .text = "call"};
  Status status =
      store_->Write(account_, [&](AccountWriter& w) { return w.Create(task).status(); });
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.fields().at(0).path, "entity_id");
  task.entity_type = domain::DataSet::kTasks;  // not a kind a task attaches to
  status = store_->Write(account_, [&](AccountWriter& w) { return w.Create(task).status(); });
  EXPECT_EQ(status.fields().at(0).path, "entity_type");
}

TEST_P(WriteRulesTest, LinksAndCascadingDelete) {
  Lead lead;
  Contact c1, c2;
  Company co;
  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) -> Status {
                    GH_ASSIGN_OR_RETURN(lead, w.Create(Lead{}));
                    GH_ASSIGN_OR_RETURN(c1, w.Create(Contact{}));
                    GH_ASSIGN_OR_RETURN(c2, w.Create(Contact{}));
                    GH_ASSIGN_OR_RETURN(co, w.Create(Company{}));
                    GH_RETURN_IF_ERROR(w.LinkContact(lead.id, c1.id, true));
                    GH_RETURN_IF_ERROR(w.LinkContact(lead.id, c2.id, true));
                    GH_RETURN_IF_ERROR(w.LinkCompany(lead.id, co.id));
                    return w
                        .Create(Task{.entity_type = domain::DataSet::kLeads, .entity_id = lead.id})
                        .status();
                  })
          .ok());
  AccountReader r = store_->Reader(account_);
  auto links = r.LeadContacts(lead.id);
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ(links->at(0), (LeadContactLink{lead.id, c2.id, true}));  // only one main
  EXPECT_EQ(links->at(1), (LeadContactLink{lead.id, c1.id, false}));
  EXPECT_EQ(*r.LeadCompany(lead.id), co.id);
  const RecordId of_contact[] = {c1.id};
  auto contact_leads = r.Linked(Link::kContactLeads, of_contact);
  ASSERT_EQ(contact_leads->size(), 1u);
  EXPECT_EQ(contact_leads->at(0).id, lead.id);
  ASSERT_TRUE(
      store_->Write(account_, [&](AccountWriter& w) { return w.Delete<Lead>(lead.id); }).ok());
  // The link rows go with the lead.
  EXPECT_TRUE(r.LeadContacts(lead.id)->empty());
  EXPECT_FALSE(r.LeadCompany(lead.id)->has_value());
  testing::FilteredQuery q;
  q.permission.otherwise.kind = policy::Audience::Kind::kAll;
  EXPECT_EQ(*r.Count<Task>(q.permission, q), 0);
  EXPECT_TRUE(r.Get<Contact>(c1.id).ok());
}

// Everything that still names a deleted id (its events, which non-administrators see for the
// records they may view) must never come to describe a record created later.
TEST_P(WriteRulesTest, DeletedIdsAreNeverHandedOutAgain) {
  Lead first;
  Contact contact;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(first, w.Create(Lead{}));
                            GH_ASSIGN_OR_RETURN(contact, w.Create(Contact{}));
                            return Status::Ok();
                          })
                  .ok());
  Lead second;
  Contact next_contact;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.Delete<Lead>(first.id));
                            GH_RETURN_IF_ERROR(w.Delete<Contact>(contact.id));
                            GH_ASSIGN_OR_RETURN(second, w.Create(Lead{}));
                            GH_ASSIGN_OR_RETURN(next_contact, w.Create(Contact{}));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_GT(second.id, first.id);
  EXPECT_GT(next_contact.id, contact.id);
  const UserId leaving = NewUser(account_, "leaving@acme.io");
  ASSERT_TRUE(
      store_->Write(account_, [&](AccountWriter& w) { return w.DeleteUser(leaving); }).ok());
  EXPECT_GT(NewUser(account_, "arriving@acme.io"), leaving);
}

TEST_P(WriteRulesTest, LeadWithItsCompanyInOneRead) {
  Lead linked, alone, foreign;
  Company co, unowned;
  AccountId other = NewAccount("elsewhere");
  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) -> Status {
                    GH_ASSIGN_OR_RETURN(linked, w.Create(Lead{.name = "linked",
                                                              .price = 700,
                                                              .responsible_user_id = active_}));
                    GH_ASSIGN_OR_RETURN(alone, w.Create(Lead{}));
                    GH_ASSIGN_OR_RETURN(co, w.Create(Company{.responsible_user_id = active_}));
                    GH_ASSIGN_OR_RETURN(unowned, w.Create(Company{}));
                    return w.LinkCompany(linked.id, co.id);
                  })
          .ok());
  foreign = NewRecord(other, Lead{});
  AccountReader r = store_->Reader(account_);
  auto read = r.GetLeadWithCompany(linked.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->lead, *r.Get<Lead>(linked.id));  // every column, as GetLead reads them
  EXPECT_EQ(read->company_id, co.id);
  EXPECT_EQ(read->company_responsible_user_id, active_);
  EXPECT_TRUE(read->tags.empty());
  auto bare = r.GetLeadWithCompany(alone.id);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->company_id, 0);
  // Its tags in the same statement, as TagsOf gives them; the lead and company read the same
  // whatever the number of tags (a row per tag).
  Tag hot, cold;
  ASSERT_TRUE(
      store_
          ->Write(
              account_,
              [&](AccountWriter& w) -> Status {
                GH_ASSIGN_OR_RETURN(hot,
                                    w.CreateTag(domain::DataSet::kLeads, Tag{0, "hot", "red"}));
                GH_ASSIGN_OR_RETURN(cold, w.CreateTag(domain::DataSet::kLeads, Tag{0, "cold", ""}));
                const std::int64_t both[] = {cold.id, hot.id};
                return w.SetRecordTags(domain::DataSet::kLeads, linked.id, both);
              })
          .ok());
  auto tagged = r.GetLeadWithCompany(linked.id);
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  EXPECT_EQ(tagged->lead, read->lead);
  EXPECT_EQ(tagged->company_id, co.id);
  const RecordId one[] = {linked.id};
  auto expected = r.TagsOf(domain::DataSet::kLeads, one);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(tagged->tags.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(tagged->tags[i], (*expected)[i].tag);
  EXPECT_EQ(r.GetLeadWithCompany(foreign.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.GetLeadWithCompany(999999).status().code(), Code::kNotFound);

  // The page form: only leads that have a company, with its responsible user (none: 0).
  ASSERT_TRUE(
      store_->Write(account_, [&](AccountWriter& w) { return w.LinkCompany(alone.id, unowned.id); })
          .ok());
  std::vector<RecordId> ids{linked.id, alone.id, foreign.id, 999999};
  auto companies = r.Linked(Link::kLeadCompany, ids);
  ASSERT_TRUE(companies.ok()) << companies.status().ToString();
  ASSERT_EQ(companies->size(), 2u);
  std::map<RecordId, LinkedRecord> by_lead;
  for (const LinkedRecord& c : *companies) by_lead[c.of] = c;
  EXPECT_EQ(by_lead.at(linked.id).id, co.id);
  EXPECT_EQ(by_lead.at(linked.id).ref.responsible_user_id, active_);
  EXPECT_EQ(by_lead.at(alone.id).id, unowned.id);
  EXPECT_EQ(by_lead.at(alone.id).ref.responsible_user_id, 0);
  EXPECT_TRUE(r.Linked(Link::kLeadCompany, {})->empty());
}

TEST_P(WriteRulesTest, DeleteUserOnlyOnceNothingIsOwnedAndTakesTheirSessions) {
  UserId heir = NewUser(account_, "heir@acme.io");
  RecordId lead_id = 0;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(Lead created,
                                                w.Create(Lead{.responsible_user_id = active_}));
                            lead_id = created.id;
                            return w.CreateSession(SessionRow{.id = "s-del",
                                                              .token_hash = "h-del",
                                                              .user_id = active_,
                                                              .created_at = 1,
                                                              .last_seen_at = 1,
                                                              .expires_at = 1'000'000});
                          })
                  .ok());
  // Still responsible for a lead: refused, nothing removed.
  EXPECT_EQ(store_->Write(account_, [&](AccountWriter& w) { return w.DeleteUser(active_); }).code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(store_->Reader(account_).GetUser(active_).ok());
  // Another account's user id behaves like a missing one.
  EXPECT_NE(store_->Write(account_, [&](AccountWriter& w) { return w.DeleteUser(999'999); }).code(),
            Code::kOk);

  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.Reassign(active_, heir, 5).status());
                            return w.DeleteUser(active_);
                          })
                  .ok());
  EXPECT_EQ(store_->Reader(account_).GetUser(active_).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Reader(account_).Get<Lead>(lead_id)->responsible_user_id, heir);
  EXPECT_EQ(store_->FindSession("h-del").status().code(), Code::kNotFound);
}

TEST_P(WriteRulesTest, ReassignMovesEverythingInOneStep) {
  UserId to = NewUser(account_, "to@acme.io");
  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) -> Status {
                    for (int i = 0; i < 3; ++i) {
                      GH_RETURN_IF_ERROR(w.Create(Lead{.responsible_user_id = active_}).status());
                    }
                    GH_RETURN_IF_ERROR(w.Create(Contact{.responsible_user_id = active_}).status());
                    GH_RETURN_IF_ERROR(w.Create(Task{.responsible_user_id = active_}).status());
                    return w.Create(Lead{.responsible_user_id = to}).status();
                  })
          .ok());
  // Deactivate the source user: reassignment must still work from them.
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(active_));
                            row.user.is_active = false;
                            return w.UpdateUser(row);
                          })
                  .ok());
  // To an inactive user: refused, nothing moves.
  EXPECT_EQ(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) { return w.Reassign(active_, inactive_, 1).status(); })
          .code(),
      Code::kInvalidArgument);
  ReassignCounts counts;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(counts, w.Reassign(active_, to, 12345));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(counts.leads, 3);
  EXPECT_EQ(counts.contacts, 1);
  EXPECT_EQ(counts.tasks, 1);
  EXPECT_EQ(counts.companies, 0);
  EXPECT_EQ(counts.total(), 5);
  testing::FilteredQuery q;
  q.permission.otherwise.kind = policy::Audience::Kind::kAll;
  q.responsible_user_ids = {active_};
  EXPECT_EQ(*store_->Reader(account_).Count<Lead>(q.permission, q), 0);
  q.responsible_user_ids = {to};
  auto page = store_->Reader(account_).List<Lead>(q.permission, q);
  ASSERT_EQ(page->items.size(), 4u);
  EXPECT_EQ(page->items[0].updated_at, 12345);
}

TEST_P(WriteRulesTest, IncomingLeadAcceptAndDecline) {
  const IncomingLead stored =
      NewRecord(account_, IncomingLead{.uid = "u-1",
                                       .category = domain::IncomingCategory::kForms,
                                       .pipeline_id = main_.id,
                                       .lead_name = "From the website",
                                       .lead_price = 900});
  Lead lead;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(lead,
                                                w.AcceptIncomingLead(stored.id, active_, 0, 77));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(lead.name, "From the website");
  EXPECT_EQ(lead.price, 900);
  EXPECT_EQ(lead.responsible_user_id, active_);
  auto after = store_->Reader(account_).FindIncomingLeadByUid("u-1");
  EXPECT_EQ(after->state, "accepted");
  EXPECT_EQ(after->accepted_lead_id, lead.id);
  EXPECT_EQ(
      store_
          ->Write(account_, [&](AccountWriter& w) { return w.DeclineIncomingLead(stored.id, 78); })
          .code(),
      Code::kFailedPrecondition);
}

// closest_task_at (closest_task.h): the earliest deadline of a record's open tasks (0: none),
// kept by every task write.
TEST_P(WriteRulesTest, TaskWritesKeepTheEarliestOpenDeadlineOfTheirRecord) {
  const RecordId lead = NewRecord(account_, Lead{}).id;
  const RecordId other_lead = NewRecord(account_, Lead{}).id;
  const RecordId contact = NewRecord(account_, Contact{.name = "Ann"}).id;
  auto task = [&](domain::DataSet type, RecordId id, std::int64_t complete_till) {
    return NewRecord(account_, Task{.entity_type = type,
                                    .entity_id = id,
                                    .text = "Call",
                                    .complete_till = complete_till,
                                    .responsible_user_id = active_});
  };
  auto write = [&](const std::function<Status(AccountWriter&)>& change) {
    Status written = store_->Write(account_, change);
    EXPECT_TRUE(written.ok()) << written.ToString();
  };
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 0);  // no task: none (null)
  Task later = task(domain::DataSet::kLeads, lead, 5000);
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 5000);
  Task sooner = task(domain::DataSet::kLeads, lead, 3000);
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 3000);
  task(domain::DataSet::kContacts, contact, 4000);
  EXPECT_EQ(ClosestTaskOf<Contact>(contact), 4000);
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 3000);  // another record's task counts only there

  // Completing the sooner one: the later one is the closest.
  sooner.is_completed = true;
  write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 5000);
  // Moving the later one to another lead: the first has none, the other has it.
  later.entity_id = other_lead;
  write([&](AccountWriter& w) { return w.Update(later); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 0);
  EXPECT_EQ(ClosestTaskOf<Lead>(other_lead), 5000);
  // Reopening and deleting.
  sooner.is_completed = false;
  write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 3000);
  sooner.complete_till = 2500;  // a new deadline
  write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 2500);
  sooner.text = "Call back";  // a new text changes nothing
  write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 2500);
  write([&](AccountWriter& w) { return w.Delete<Task>(sooner.id); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 0);
  write([&](AccountWriter& w) { return w.Delete<Task>(later.id); });
  EXPECT_EQ(ClosestTaskOf<Lead>(other_lead), 0);

  // A whole account recomputed from its tasks (the demo filler, migration 22).
  task(domain::DataSet::kLeads, lead, 7000);
  write([&](AccountWriter& w) {
    return w.connection().Execute("UPDATE leads SET closest_task_at = 1").status();
  });
  write([&](AccountWriter& w) {
    return RefreshClosestTask(w.connection(), domain::DataSet::kLeads, account_, 0);
  });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 7000);
  EXPECT_EQ(ClosestTaskOf<Lead>(other_lead), 0);
  write([&](AccountWriter& w) {
    return w.connection().Execute("UPDATE leads SET closest_task_at = 1").status();
  });
  write([&](AccountWriter& w) { return RefreshEveryClosestTask(w.connection()); });
  EXPECT_EQ(ClosestTaskOf<Lead>(lead), 7000);
  EXPECT_EQ(ClosestTaskOf<Contact>(contact), 4000);
}

GH_INSTANTIATE_STORE_TEST(WriteRulesTest);

}  // namespace
}  // namespace gatehouse::storage
