// Store behaviour on every engine: accounts, the security model, scoping by account, validated
// writes that change nothing on failure, reassignment, sessions, tokens and the activity log.
#include "storage/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class AccountStoreTest : public StoreTest {};

TEST_P(AccountStoreTest, NewAccountHasDefaultGroupAndMainPipeline) {
  AccountId id = NewAccount("acme");
  AccountReader r = store_->Reader(id);
  auto groups = r.ListGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(*r.DefaultGroupId(), groups->front().id);
  auto pipelines = r.ListPipelines();
  ASSERT_TRUE(pipelines.ok());
  ASSERT_EQ(pipelines->size(), 1u);
  const domain::Pipeline& p = pipelines->front();
  EXPECT_TRUE(p.is_main);
  ASSERT_GE(p.stages.size(), 4u);
  EXPECT_EQ(p.stages.front().type, domain::kStageTypeIncoming);
  EXPECT_EQ(p.stages[p.stages.size() - 2].id, domain::kWonStatusId);
  EXPECT_EQ(p.stages.back().id, domain::kLostStatusId);
  EXPECT_EQ(store_->FindAccount("acme")->id, id);
  EXPECT_EQ(r.Account()->seats, 50);
}

TEST_P(AccountStoreTest, DuplicateOrBadSubdomainRefused) {
  NewAccount("acme");
  EXPECT_EQ(store_->CreateAccount({"acme", "x", 1, 0}).status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->CreateAccount({"Bad Name", "x", 1, 0}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->ListAccounts()->size(), 1u);
}

TEST_P(AccountStoreTest, UserEmailIsUniqueCaseInsensitive) {
  AccountId a = NewAccount("acme");
  NewUser(a, "Ann@Example.com");
  Status status = store_->Write(a, [](AccountWriter& w) {
    UserRow row;
    row.user.name = "dup";
    row.user.email = "ann@example.COM";
    return w.CreateUser(row).status();
  });
  EXPECT_EQ(status.code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->Reader(a).FindUserByEmail("ANN@example.com")->user.email, "Ann@Example.com");
  // Another account may use the same address.
  AccountId b = NewAccount("other");
  EXPECT_NE(NewUser(b, "ann@example.com"), 0);
}

TEST_P(AccountStoreTest, ModelRoundTripsRightsAndRoleLinks) {
  AccountId a = NewAccount("acme");
  domain::Rights rights;
  rights.Set(domain::DataSet::kLeads, domain::Action::kView, domain::Level::kTeamWide);
  rights.Set(domain::DataSet::kLeads, domain::Action::kEdit, domain::Level::kIfResponsible);
  rights.Set(domain::DataSet::kIncomingLeads, domain::Action::kAccept, domain::Level::kAllowed);
  rights.mail_access = true;
  domain::StageRights stage;
  stage.stage = {store_->Reader(a).ListPipelines()->front().id, domain::kWonStatusId};
  stage.Set(domain::Action::kView, domain::Level::kAllowed);
  rights.stage_rights.push_back(stage);
  UserId user = 0;
  RoleId role = 0;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(role, w.CreateRole({0, "Rep", rights}));
                            UserRow row;
                            row.user.name = "Ann";
                            row.user.email = "ann@x.io";
                            row.user.role_id = role;
                            row.user.rights = rights;
                            row.recovery_code_hashes = {"h1", "h2"};
                            GH_ASSIGN_OR_RETURN(user, w.CreateUser(row));
                            return Status::Ok();
                          })
                  .ok());
  auto model = store_->Reader(a).LoadAccountModel();
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->id, a);
  ASSERT_NE(model->FindUser(user), nullptr);
  EXPECT_EQ(model->FindUser(user)->rights, rights);
  EXPECT_EQ(model->FindUser(user)->role_id, role);
  EXPECT_EQ(model->FindRole(role)->rights, rights);
  EXPECT_EQ(store_->Reader(a).GetUser(user)->recovery_code_hashes,
            std::vector<std::string>({"h1", "h2"}));

  // Editing the role updates every holder; a held role cannot be deleted.
  domain::Rights wider = rights;
  wider.Set(domain::DataSet::kContacts, domain::Action::kView, domain::Level::kAllowed);
  ASSERT_TRUE(store_->Write(a,
                            [&](AccountWriter& w) {
                              return w.UpdateRole({role, "Rep", wider});
                            })
                  .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(user)->user.rights, wider);
  EXPECT_EQ(store_->Write(a, [&](AccountWriter& w) { return w.DeleteRole(role); }).code(),
            Code::kFailedPrecondition);
}

TEST_P(AccountStoreTest, PipelinesAndStages) {
  AccountId a = NewAccount("acme");
  domain::Pipeline second = NewPipeline(a, "Second", {{0, "Only", 20, 0}});
  ASSERT_EQ(second.stages.size(), 4u);  // incoming, Only, 142, 143
  EXPECT_FALSE(second.is_main);
  // Generated ids never collide with the shared closing stages.
  for (const domain::Stage& s : second.stages) {
    if (s.id != domain::kWonStatusId && s.id != domain::kLostStatusId) {
      EXPECT_GT(s.id, 1000);
    }
  }
  // The only working stage cannot go; system stages cannot go.
  EXPECT_EQ(
      store_
          ->Write(a,
                  [&](AccountWriter& w) { return w.DeleteStage(second.id, second.stages[1].id); })
          .code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(
      store_->Write(a, [&](AccountWriter& w) { return w.DeleteStage(second.id, 142); }).code(),
      Code::kFailedPrecondition);
  // A pipeline with leads cannot be deleted; an empty one can.
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) {
                            Lead lead;
                            lead.pipeline_id = second.id;
                            return w.Create(lead).status();
                          })
                  .ok());
  EXPECT_EQ(store_->Write(a, [&](AccountWriter& w) { return w.DeletePipeline(second.id); }).code(),
            Code::kFailedPrecondition);
}

// ---- account scoping ----

class ScopingTest : public StoreTest {};

TEST_P(ScopingTest, AnotherAccountsRecordsDoNotExist) {
  AccountId mine = NewAccount("mine");
  AccountId theirs = NewAccount("theirs");
  UserId their_user = NewUser(theirs, "t@theirs.io");
  Lead their_lead;
  Contact their_contact;
  Company their_company;
  ASSERT_TRUE(store_
                  ->Write(theirs,
                          [&](AccountWriter& w) -> Status {
                            Lead l;
                            l.name = "theirs";
                            l.responsible_user_id = their_user;
                            GH_ASSIGN_OR_RETURN(their_lead, w.Create(l));
                            Contact c;
                            c.name = "their contact";
                            GH_ASSIGN_OR_RETURN(their_contact, w.Create(c));
                            Company co;
                            co.name = "their company";
                            GH_ASSIGN_OR_RETURN(their_company, w.Create(co));
                            return Status::Ok();
                          })
                  .ok());
  const Lead my_lead = NewRecord(mine, Lead{});

  AccountReader r = store_->Reader(mine);
  EXPECT_EQ(r.Get<Lead>(their_lead.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.Get<Contact>(their_contact.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.Get<Company>(their_company.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.GetUser(their_user).status().code(), Code::kNotFound);
  auto write = [&](auto fn) { return store_->Write(mine, fn).code(); };
  Lead renamed = their_lead;
  renamed.name = "hijacked";
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Update(renamed); }), Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Delete<Lead>(their_lead.id); }),
            Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Delete<Contact>(their_contact.id); }),
            Code::kNotFound);
  EXPECT_EQ(
      write([&](AccountWriter& w) { return w.LinkContact(my_lead.id, their_contact.id, true); }),
      Code::kNotFound);
  EXPECT_EQ(write([&](AccountWriter& w) { return w.LinkCompany(my_lead.id, their_company.id); }),
            Code::kNotFound);
  EXPECT_EQ(
      write([&](AccountWriter& w) { return w.LinkContact(their_lead.id, their_contact.id, true); }),
      Code::kNotFound);
  // Their responsible user cannot own my records.
  Lead bad;
  bad.responsible_user_id = their_user;
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Create(bad).status(); }),
            Code::kInvalidArgument);
  // Their pipeline cannot hold my lead.
  Lead cross;
  cross.pipeline_id = their_lead.pipeline_id;
  EXPECT_EQ(write([&](AccountWriter& w) { return w.Create(cross).status(); }),
            Code::kInvalidArgument);

  // Lists and counts see only mine; theirs is unchanged.
  testing::FilteredQuery q;
  q.permission.otherwise.kind = policy::Audience::Kind::kAll;
  auto page = r.List<Lead>(q.permission, q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, my_lead.id);
  EXPECT_EQ(*r.Count<Lead>(q.permission, q), 1);
  EXPECT_EQ(*store_->Reader(theirs).Get<Lead>(their_lead.id), their_lead);
  EXPECT_TRUE(store_->Reader(theirs).Get<Contact>(their_contact.id).ok());
  EXPECT_TRUE(store_->Reader(theirs).LeadContacts(their_lead.id)->empty());
}

TEST_P(ScopingTest, WriteToUnknownAccountIsNotFound) {
  bool ran = false;
  Status status = store_->Write(424242, [&](AccountWriter&) {
    ran = true;
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), Code::kNotFound);
  EXPECT_FALSE(ran);
}

// ---- write rules ----

class WriteRulesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
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
  Lead lead;
  lead.pipeline_id = main_.id;
  lead.status_id = other_.stages[1].id;
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
  Status lead = create_without_statuses([&](AccountWriter& w) {
    Lead input;
    input.pipeline_id = main_.id;
    return w.Create(input).status();
  });
  EXPECT_FALSE(lead.ok());
  EXPECT_NE(lead.code(), Code::kInvalidArgument) << lead.ToString();
  Status incoming = create_without_statuses([&](AccountWriter& w) {
    IncomingLead input;
    input.uid = "call-1";
    input.category = domain::IncomingCategory::kSip;
    input.pipeline_id = main_.id;
    return w.Create(input).status();
  });
  EXPECT_FALSE(incoming.ok());
  EXPECT_NE(incoming.code(), Code::kInvalidArgument) << incoming.ToString();
  EXPECT_EQ(LeadCount(), 0);
  // The table is back after the rollback: the same writes succeed.
  Lead input;
  input.pipeline_id = main_.id;
  EXPECT_TRUE(CreateLead(input).ok());
}

TEST_P(WriteRulesTest, DeactivatedOrUnknownResponsibleIsRefused) {
  Lead lead;
  lead.responsible_user_id = inactive_;
  Status status = CreateLead(lead);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.fields().at(0).path, "responsible_user_id");
  EXPECT_EQ(status.fields().at(0).code, "Inactive");
  lead.responsible_user_id = 999999;
  EXPECT_EQ(CreateLead(lead).code(), Code::kInvalidArgument);
  EXPECT_EQ(LeadCount(), 0);
}

TEST_P(WriteRulesTest, FailedStepRollsBackEarlierSteps) {
  Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
    GH_RETURN_IF_ERROR(w.Create(Lead{}).status());
    GH_RETURN_IF_ERROR(
        w.AppendEvent({"01TEST", 1, active_, "", "lead_added", "leads", 1, "", "", "", ""}));
    Lead bad;
    bad.responsible_user_id = inactive_;
    return w.Create(bad).status();  // fails: everything above is undone
  });
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(LeadCount(), 0);
  EXPECT_TRUE(store_->Reader(account_).ListEvents({})->empty());
}

TEST_P(WriteRulesTest, UpdateValidatesAndKeepsCreationFields) {
  Lead lead;
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            Lead l;
                            l.name = "Deal";
                            l.created_by = active_;
                            l.created_at = 1000;
                            GH_ASSIGN_OR_RETURN(lead, w.Create(l));
                            return Status::Ok();
                          })
                  .ok());
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
  Task task;
  task.text = "call";
  check(task);
}

TEST_P(WriteRulesTest, TaskEntityMustExistInAccount) {
  Task task;
  task.entity_type = domain::DataSet::kLeads;
  task.entity_id = 987654;
  task.text = "call";
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
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(lead, w.Create(Lead{}));
                            GH_ASSIGN_OR_RETURN(c1, w.Create(Contact{}));
                            GH_ASSIGN_OR_RETURN(c2, w.Create(Contact{}));
                            GH_ASSIGN_OR_RETURN(co, w.Create(Company{}));
                            GH_RETURN_IF_ERROR(w.LinkContact(lead.id, c1.id, true));
                            GH_RETURN_IF_ERROR(w.LinkContact(lead.id, c2.id, true));
                            GH_RETURN_IF_ERROR(w.LinkCompany(lead.id, co.id));
                            Task t;
                            t.entity_type = domain::DataSet::kLeads;
                            t.entity_id = lead.id;
                            return w.Create(t).status();
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
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            Lead l;
                            l.name = "linked";
                            l.price = 700;
                            l.responsible_user_id = active_;
                            GH_ASSIGN_OR_RETURN(linked, w.Create(l));
                            GH_ASSIGN_OR_RETURN(alone, w.Create(Lead{}));
                            Company c;
                            c.responsible_user_id = active_;
                            GH_ASSIGN_OR_RETURN(co, w.Create(c));
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
                            Lead l;
                            l.responsible_user_id = active_;
                            GH_ASSIGN_OR_RETURN(Lead created, w.Create(l));
                            lead_id = created.id;
                            SessionRow session;
                            session.id = "s-del";
                            session.token_hash = "h-del";
                            session.user_id = active_;
                            session.created_at = 1;
                            session.last_seen_at = 1;
                            session.expires_at = 1'000'000;
                            return w.CreateSession(session);
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
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) -> Status {
                            for (int i = 0; i < 3; ++i) {
                              Lead l;
                              l.responsible_user_id = active_;
                              GH_RETURN_IF_ERROR(w.Create(l).status());
                            }
                            Contact c;
                            c.responsible_user_id = active_;
                            GH_RETURN_IF_ERROR(w.Create(c).status());
                            Task t;
                            t.responsible_user_id = active_;
                            GH_RETURN_IF_ERROR(w.Create(t).status());
                            Lead other;
                            other.responsible_user_id = to;
                            return w.Create(other).status();
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
  IncomingLead item;
  item.uid = "u-1";
  item.category = domain::IncomingCategory::kForms;
  item.pipeline_id = main_.id;
  item.lead_name = "From the website";
  item.lead_price = 900;
  const IncomingLead stored = NewRecord(account_, item);
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

// ---- sessions, tokens, events ----

class AuthStoreTest : public StoreTest {};

TEST_P(AuthStoreTest, SecurityRevisionMovesWithSecurityStateOnly) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  auto revision = [&](AccountId account) {
    auto r = store_->SecurityRevision(account);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  const std::int64_t start = revision(a);
  const std::uint64_t epoch = store_->security_epoch();
  UserId u = NewUser(a, "u@acme.io");  // a user: security state
  EXPECT_EQ(revision(a), start + 1);
  EXPECT_EQ(revision(b), 0);  // only the changed account moves
  EXPECT_EQ(store_->security_epoch(), epoch + 1);

  // A record write is not security state.
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            Lead lead;
                            lead.name = "deal";
                            lead.responsible_user_id = u;
                            return w.Create(lead).status();
                          })
                  .ok());
  EXPECT_EQ(revision(a), start + 1);
  EXPECT_EQ(store_->security_epoch(), epoch + 1);

  // A rolled-back change leaves both alone.
  EXPECT_FALSE(store_
                   ->Write(a,
                           [&](AccountWriter& w) -> Status {
                             GH_RETURN_IF_ERROR(w.CreateGroup("sales").status());
                             return Status::Error(Code::kInternal, "changed my mind");
                           })
                   .ok());
  EXPECT_EQ(revision(a), start + 1);
  EXPECT_EQ(store_->security_epoch(), epoch + 1);

  // Tokens, sessions and settings are security state; one transaction moves it once.
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(
                                w.CreateApiToken(
                                     {0, a, u, "ci", "rhash", "long_lived", 0, 1, 0, 0, false, ""})
                                    .status());
                            GH_RETURN_IF_ERROR(w.RevokeApiTokensOfUser(u).status());
                            return w.DeleteSessions(u).status();
                          })
                  .ok());
  EXPECT_EQ(revision(a), start + 2);
  EXPECT_EQ(store_->security_epoch(), epoch + 2);

  auto all = store_->SecurityRevisions();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], std::make_pair(a, start + 2));
  EXPECT_EQ((*all)[1], std::make_pair(b, std::int64_t{0}));
  EXPECT_EQ(store_->SecurityRevision(9999).status().code(), Code::kNotFound);
}

TEST_P(AuthStoreTest, SessionsAndTokens) {
  AccountId a = NewAccount("acme");
  UserId u = NewUser(a, "u@acme.io");
  ASSERT_TRUE(
      store_
          ->Write(a,
                  [&](AccountWriter& w) -> Status {
                    GH_RETURN_IF_ERROR(w.CreateSession(
                        {"s1", "hash1", a, u, "1.2.3.4", "curl", "unknown", false, 1, 1, 99}));
                    GH_RETURN_IF_ERROR(w.CreateSession(
                        {"s2", "hash2", a, u, "1.2.3.4", "curl", "unknown", false, 1, 2, 99}));
                    return w
                        .CreateApiToken(
                            {0, a, u, "ci", "thash", "long_lived", 0, 1, 0, 0, false, ""})
                        .status();
                  })
          .ok());
  auto session = store_->FindSession("hash1");
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->account_id, a);
  EXPECT_EQ(session->user_id, u);
  EXPECT_EQ(store_->FindSession("nope").status().code(), Code::kNotFound);
  std::int64_t ended = 0;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(ended, w.DeleteSessions(u, "s2"));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(ended, 1);
  ASSERT_EQ(store_->Reader(a).ListSessions(u)->size(), 1u);
  auto token = store_->FindApiToken("thash");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->revoked);
  ASSERT_TRUE(
      store_->Write(a, [&](AccountWriter& w) { return w.RevokeApiTokensOfUser(u).status(); }).ok());
  EXPECT_TRUE(store_->FindApiToken("thash")->revoked);
  // A session for a user of another account is refused.
  AccountId b = NewAccount("other");
  EXPECT_EQ(store_
                ->Write(b,
                        [&](AccountWriter& w) {
                          return w.CreateSession({"s3", "hash3", b, u, "", "", "", false, 1, 1, 9});
                        })
                .code(),
            Code::kInvalidArgument);
}

TEST_P(AuthStoreTest, EventsFormAHashChainThatRevealsTampering) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  auto append = [&](AccountId account, const std::string& id, const std::string& after) {
    EventRow e;
    e.id = id;
    e.created_at = 100;
    e.type = "lead_added";
    e.entity_type = "lead";
    e.entity_id = 7;
    e.value_after_json = after;
    e.prev_hash = "ignored";  // the writer links the event itself
    ASSERT_TRUE(store_->Write(account, [&](AccountWriter& w) { return w.AppendEvent(e); }).ok());
  };
  for (int i = 0; i < 4; ++i) append(a, "01C" + std::to_string(i), "[" + std::to_string(i) + "]");
  append(b, "01D0", "[]");  // another account has its own chain

  auto events = store_->Reader(a).ListEvents({});
  ASSERT_EQ(events->size(), 4u);
  // Newest first: seq 4..1, each linked to the one before.
  for (std::size_t i = 0; i < 4; ++i) {
    const EventRow& e = (*events)[i];
    EXPECT_EQ(e.seq, static_cast<std::int64_t>(4 - i));
    EXPECT_EQ(e.hash, EventChainHash(a, e));
    EXPECT_EQ(e.prev_hash, i + 1 < 4 ? (*events)[i + 1].hash : "");
  }
  EXPECT_EQ(store_->Reader(b).ListEvents({})->front().seq, 1);
  auto intact = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(intact.ok()) << intact.status().ToString();
  EXPECT_TRUE(intact->intact());
  EXPECT_EQ(intact->checked, 4);
  EXPECT_EQ(intact->head_seq, 4);

  auto run = [&](const std::string& sql, std::vector<sql::Value> params) {
    auto c = store_->pool().Acquire();
    ASSERT_TRUE(c->Execute(sql, params).ok()) << sql;
  };
  // An edited value breaks that event's hash.
  run("UPDATE events SET value_after = ? WHERE account_id = ? AND seq = ?",
      {std::string("[99]"), a, std::int64_t{2}});
  auto edited = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(edited.ok());
  ASSERT_FALSE(edited->intact());
  EXPECT_EQ(edited->first_break->seq, 2);
  EXPECT_EQ(edited->first_break->event_id, "01C1");
  EXPECT_EQ(edited->first_break->reason, "hash does not match the event's content");
  run("UPDATE events SET value_after = ? WHERE account_id = ? AND seq = ?",
      {std::string("[1]"), a, std::int64_t{2}});
  EXPECT_TRUE(store_->Reader(a).VerifyEventChain()->intact());

  // A removed event leaves a gap; a removed last event disagrees with the account's head.
  run("DELETE FROM events WHERE account_id = ? AND seq = ?", {a, std::int64_t{4}});
  auto truncated = store_->Reader(a).VerifyEventChain();
  ASSERT_FALSE(truncated->intact());
  EXPECT_EQ(truncated->first_break->seq, 4);
  run("DELETE FROM events WHERE account_id = ? AND seq = ?", {a, std::int64_t{2}});
  auto gap = store_->Reader(a).VerifyEventChain();
  ASSERT_FALSE(gap->intact());
  EXPECT_EQ(gap->first_break->seq, 2);
  EXPECT_EQ(gap->first_break->reason, "event 2 is missing");
  EXPECT_TRUE(store_->Reader(b).VerifyEventChain()->intact());
}

// PostgreSQL hashes the event in SQL (one statement that travels with the commit), SQLite in
// C++: both must hash every text exactly as EventChainHash does, multi-byte characters, quotes,
// empty values and several events of one transaction included.
TEST_P(AuthStoreTest, TheChainHashesAnyTextAsEventChainHashDoes) {
  AccountId a = NewAccount("acme");
  const std::vector<EventRow> inputs = {
      {"01U0", 1733000000, 0, "", "lead_added", "leads", 1, "", "", "", "", 0},
      {"01U1", 1733000001, 42, "2001:db8::1", "lead_updated", "leads", 9007199254740993,
       R"([{"name":"Café \"Ünïcode\" 日本語 🚀"}])", R"([{"name":"a;b:c"}])", "", "", 0},
      {"01U2", -5, 7, "10.0.0.1", "user_rights_changed", "users", -1, "[]", "{}", "", "", 0},
  };
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            for (const EventRow& e : inputs) GH_RETURN_IF_ERROR(w.AppendEvent(e));
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(store_->Write(a, [&](AccountWriter& w) { return w.AppendEvent(inputs[1]); }).code() ==
              Code::kAlreadyExists)
      << "an event id is used once";
  auto events = store_->Reader(a).ListEvents({});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), inputs.size());
  for (const EventRow& e : *events) {
    const EventRow& in = inputs.at(static_cast<std::size_t>(e.seq - 1));
    EXPECT_EQ(e.id, in.id);
    EXPECT_EQ(e.value_before_json, in.value_before_json);
    EXPECT_EQ(e.entity_id, in.entity_id);
    EXPECT_EQ(e.hash, EventChainHash(a, e)) << "seq " << e.seq;
  }
  auto report = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact());
  EXPECT_EQ(report->head_seq, 3);
}

TEST_P(AuthStoreTest, ConcurrentAppendersNeverForkTheChain) {
  AccountId a = NewAccount("acme");
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        EventRow e;
        e.id = "01T" + std::to_string(t) + "-" + std::to_string(1000 + i);
        e.type = "lead_added";
        if (!store_->Write(a, [&](AccountWriter& w) { return w.AppendEvent(e); }).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = store_->Reader(a).VerifyEventChain();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact()) << report->first_break->reason;
  EXPECT_EQ(report->checked, kThreads * kEach);
  EXPECT_EQ(report->head_seq, kThreads * kEach);
}

TEST_P(AuthStoreTest, EventsAreScopedOrderedAndFiltered) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            for (int i = 0; i < 5; ++i) {
                              EventRow e;
                              e.id = "01E" + std::to_string(i);
                              e.created_at = 100 + i;
                              e.type = i % 2 == 0 ? "login" : "lead_added";
                              e.entity_type = "leads";
                              e.entity_id = i;
                              GH_RETURN_IF_ERROR(w.AppendEvent(e));
                            }
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(
      store_
          ->Write(b,
                  [&](AccountWriter& w) {
                    return w.AppendEvent({"01F0", 1, 0, "", "login", "", 0, "", "", "", ""});
                  })
          .ok());
  auto all = store_->Reader(a).ListEvents({});
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().id, "01E4");  // newest first
  EventQuery logins;
  logins.types = {"login"};
  logins.before_id = "01E4";
  auto filtered = store_->Reader(a).ListEvents(logins);
  ASSERT_EQ(filtered->size(), 2u);
  EXPECT_EQ(filtered->at(0).id, "01E2");
  EXPECT_EQ(store_->Reader(b).ListEvents({})->size(), 1u);
}

TEST_P(AuthStoreTest, GetEventAndExactValueFilters) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  const std::string status_2 = R"([{"lead_status":{"id":2,"pipeline_id":1}}])";
  const std::string status_3 = R"([{"lead_status":{"id":3,"pipeline_id":1}}])";
  ASSERT_TRUE(
      store_
          ->Write(a,
                  [&](AccountWriter& w) -> Status {
                    GH_RETURN_IF_ERROR(w.AppendEvent({"01G1", 1, 0, "", "lead_status_changed",
                                                      "lead", 7, status_2, status_3, "", ""}));
                    GH_RETURN_IF_ERROR(w.AppendEvent({"01G2", 2, 0, "", "lead_status_changed",
                                                      "lead", 7, status_3, status_2, "", ""}));
                    return w.AppendEvent(
                        {"01G3", 3, 0, "", "lead_added", "lead", 8, "[]", "[]", "", ""});
                  })
          .ok());
  ASSERT_TRUE(store_
                  ->Write(b,
                          [&](AccountWriter& w) {
                            return w.AppendEvent({"01H1", 1, 0, "", "lead_status_changed", "lead",
                                                  9, status_2, status_3, "", ""});
                          })
                  .ok());
  auto one = store_->Reader(a).GetEvent("01G2");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->type, "lead_status_changed");
  EXPECT_EQ(one->value_after_json, status_2);
  EXPECT_EQ(store_->Reader(a).GetEvent("01H1").status().code(), Code::kNotFound);  // b's
  EXPECT_EQ(store_->Reader(a).GetEvent("nope").status().code(), Code::kNotFound);

  auto ids = [&](const EventQuery& q) {
    std::vector<std::string> out;
    auto events = store_->Reader(a).ListEvents(q);
    EXPECT_TRUE(events.ok());
    if (events.ok()) {
      for (const EventRow& e : *events) out.push_back(e.id);
    }
    return out;
  };
  EventQuery after_3;
  after_3.value_after = {status_3};
  EXPECT_EQ(ids(after_3), std::vector<std::string>{"01G1"});  // not b's 01H1
  EventQuery moved;
  moved.value_before = {status_3};
  moved.value_after = {status_2};
  EXPECT_EQ(ids(moved), std::vector<std::string>{"01G2"});
  EventQuery either;
  either.value_after = {status_2, status_3};
  EXPECT_EQ(ids(either), (std::vector<std::string>{"01G2", "01G1"}));
  EventQuery none;
  none.value_after = {R"([{"lead_status":{"id":4,"pipeline_id":1}}])"};
  EXPECT_TRUE(ids(none).empty());
}

TEST_P(AuthStoreTest, ListItemsUpdateOnlyWithinTheirListAndAccount) {
  AccountId a = NewAccount("acme");
  AccountId b = NewAccount("other");
  List products, services, theirs;
  ListItem widget, their_item;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(products, w.CreateList("Products", 10));
                            GH_ASSIGN_OR_RETURN(services, w.CreateList("Services", 20));
                            ListItem item;
                            item.list_id = products.id;
                            item.name = "Widget";
                            item.custom_fields_json = "[]";
                            item.created_at = 5;
                            GH_ASSIGN_OR_RETURN(widget, w.CreateListItem(item));
                            return Status::Ok();
                          })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write(b,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(theirs, w.CreateList("Theirs", 10));
                            ListItem item;
                            item.list_id = theirs.id;
                            item.name = "Their widget";
                            GH_ASSIGN_OR_RETURN(their_item, w.CreateListItem(item));
                            return Status::Ok();
                          })
                  .ok());
  AccountReader r = store_->Reader(a);
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), widget);
  EXPECT_EQ(r.GetListItem(services.id, widget.id).status().code(), Code::kNotFound);
  EXPECT_EQ(r.GetListItem(theirs.id, their_item.id).status().code(), Code::kNotFound);

  ListItem renamed = widget;
  renamed.name = "Widget Pro";
  renamed.custom_fields_json = R"([{"field_id":1}])";
  renamed.updated_at = 99;
  ASSERT_TRUE(store_->Write(a, [&](AccountWriter& w) { return w.UpdateListItem(renamed); }).ok());
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), renamed);  // created_* kept
  auto update = [&](ListItem item) {
    return store_->Write(a, [&](AccountWriter& w) { return w.UpdateListItem(item); }).code();
  };
  ListItem other_list = renamed;
  other_list.list_id = services.id;
  other_list.name = "moved?";
  EXPECT_EQ(update(other_list), Code::kNotFound);
  ListItem foreign = their_item;
  foreign.name = "hijacked";
  EXPECT_EQ(update(foreign), Code::kNotFound);
  ListItem unnamed = renamed;
  unnamed.name = "";
  EXPECT_EQ(update(unnamed), Code::kInvalidArgument);
  EXPECT_EQ(*r.GetListItem(products.id, widget.id), renamed);
  EXPECT_EQ(store_->Reader(b).GetListItem(theirs.id, their_item.id)->name, "Their widget");
}

TEST_P(AuthStoreTest, SecuritySettingsThrottleAndInstallationKeys) {
  AccountId a = NewAccount("acme");
  EXPECT_EQ(store_->Reader(a).SecuritySettings()->ip_whitelist_json, "[]");
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_RETURN_IF_ERROR(w.PutSecuritySettings(
                                {"{\"require_2fa\":true}", "[\"10.0.0.0/8\"]", 5}));
                            return w.PutThrottle({"ip:1.2.3.4", 3, 10, 20});
                          })
                  .ok());
  EXPECT_EQ(store_->Reader(a).SecuritySettings()->ip_whitelist_json, "[\"10.0.0.0/8\"]");
  EXPECT_EQ(store_->Reader(a).GetThrottle("ip:1.2.3.4")->value().failures, 3);
  EXPECT_FALSE(store_->Reader(a).GetThrottle("ip:9.9.9.9")->has_value());
  EXPECT_EQ(store_->GetInstallationKey("jwt").status().code(), Code::kNotFound);
  EXPECT_EQ(*store_->PutInstallationKey("jwt", "first"), "first");
  EXPECT_EQ(*store_->PutInstallationKey("jwt", "second"), "first");  // first writer wins
}

TEST_P(AuthStoreTest, JobLeasesGoToOneHolderUntilTheyExpire) {
  // Free: the first claim wins; a live lease is refused to anyone, its holder included.
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "a", 100, 200));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "b", 150, 250));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "a", 199, 299));
  EXPECT_TRUE(*store_->ClaimLease("other_job", "b", 150, 250)) << "one lease per job";
  // Expired at its expires_at: the next claim wins, and holds until its own expiry.
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "b", 200, 300));
  EXPECT_FALSE(*store_->ClaimLease("dormant_users", "a", 299, 399));
  EXPECT_TRUE(*store_->ClaimLease("dormant_users", "a", 300, 400));
}

TEST_P(AuthStoreTest, ConcurrentClaimsOfOneLeaseHaveOneWinner) {
  auto other = Store::Open(url_, 2);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  for (std::int64_t round = 0; round < 20; ++round) {
    const std::int64_t now = 1000 + round * 10;
    base::Result<bool> first = false, second = false;
    std::thread a([&] { first = store_->ClaimLease("job", "a", now, now + 10); });
    std::thread b([&] { second = (*other)->ClaimLease("job", "b", now, now + 10); });
    a.join();
    b.join();
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_NE(*first, *second) << "round " << round;
  }
}

TEST_P(AuthStoreTest, ReactivationTimeIsStored) {
  AccountId a = NewAccount("acme");
  UserId id = 0;
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            UserRow row;
                            row.user.name = "Ann";
                            row.user.email = "ann@acme.test";
                            row.user.is_active = true;
                            row.reactivated_at = 77;
                            GH_ASSIGN_OR_RETURN(id, w.CreateUser(row));
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(id)->reactivated_at, 77);
  ASSERT_TRUE(store_
                  ->Write(a,
                          [&](AccountWriter& w) -> Status {
                            GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(id));
                            row.reactivated_at = 88;
                            return w.UpdateUser(row);
                          })
                  .ok());
  EXPECT_EQ(store_->Reader(a).GetUser(id)->reactivated_at, 88);
  EXPECT_EQ(store_->Reader(a).ListUsers()->back().reactivated_at, 88);
}

GH_INSTANTIATE_STORE_TEST(AccountStoreTest);
GH_INSTANTIATE_STORE_TEST(ScopingTest);
GH_INSTANTIATE_STORE_TEST(WriteRulesTest);
GH_INSTANTIATE_STORE_TEST(AuthStoreTest);

}  // namespace
}  // namespace gatehouse::storage
