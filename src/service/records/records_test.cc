// RecordService against a real SQLite store: lists filtered per level in SQL, 404 for invisible
// records, 403 naming the missing right, batch atomicity, stage-move rules, delete, embedded
// links filtered per linked record, exports, and the activity log written in the same
// transaction as the change (and absent when it fails). Incoming leads:
// records_incoming_test.cc; tasks, contacts, companies and catalogs: records_kinds_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/records/records_test_util.h"

namespace gatehouse::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(RecordsTest, ListIsFilteredPerLevelInTheQuery) {
  const RecordId own = MakeLead(mine_).id;
  const RecordId mates = MakeLead(mate_).id;
  const RecordId outsiders = MakeLead(outsider_).id;
  EXPECT_THAT(LeadIds(As(allowed_)), ElementsAre(own, mates, outsiders));
  EXPECT_THAT(LeadIds(As(admin_)), ElementsAre(own, mates, outsiders));
  EXPECT_THAT(LeadIds(As(mine_)), ElementsAre(own));
  // Team-wide: the responsible user is in the caller's group (sales), not marketing.
  EXPECT_THAT(LeadIds(As(team_)), ElementsAre(own, mates));
  EXPECT_THAT(LeadIds(As(denied_)), ElementsAre());
  // Paging happens after the permission filter: page 1 of size 1 holds the first visible lead
  // and says there is more; page 2 holds the second.
  storage::ListQuery paged{.limit = 1};
  auto page1 = service_->List<storage::Lead>(As(team_), paged, {});
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->items.size(), 1u);
  EXPECT_EQ(page1->items[0].record.id, own);
  EXPECT_TRUE(page1->has_next);
  paged.page = 2;
  auto page2 = service_->List<storage::Lead>(As(team_), paged, {});
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].record.id, mates);
  EXPECT_FALSE(page2->has_next);
  // The caller's own filters combine with the permission filter (AND).
  const storage::ListQuery by_responsible{.responsible_user_ids = {outsider_}};
  EXPECT_THAT(LeadIds(As(team_), by_responsible), ElementsAre());
  EXPECT_THAT(LeadIds(As(allowed_), by_responsible), ElementsAre(outsiders));
}

TEST_F(RecordsTest, GroupIdIsTheResponsibleUsersGroup) {
  MakeLead(outsider_);
  auto page = service_->List<storage::Lead>(As(allowed_), {}, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].group_id, marketing_);
}

TEST_F(RecordsTest, GetAnswersNotFoundForInvisibleMissingAndForeignRecordsAlike) {
  const RecordId others = MakeLead(outsider_).id;
  auto invisible = service_->Get<storage::Lead>(As(mine_), others, {});
  ASSERT_EQ(invisible.status().code(), Code::kNotFound);
  EXPECT_EQ(invisible.status().message(), "lead " + std::to_string(others) + " not found");
  auto missing = service_->Get<storage::Lead>(As(mine_), others + 1000, {});
  ASSERT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "lead " + std::to_string(others + 1000) + " not found");
  // A user of another account asking for this account's id: not found either.
  const domain::UserId foreign =
      AddUser("x@other.test", testing::Uniform(Level::kAllowed), 0, true, other_account_);
  EXPECT_EQ(service_->Get<storage::Lead>(As(foreign, other_account_), others, {}).status().code(),
            Code::kNotFound);
  auto visible = service_->Get<storage::Lead>(As(allowed_), others, {});
  ASSERT_TRUE(visible.ok());
  EXPECT_EQ(visible->record.responsible_user_id, outsider_);
}

TEST_F(RecordsTest, PatchForbiddenIs403NamingTheRightAndInvisibleIs404) {
  const RecordId lead = MakeLead(outsider_).id;
  const LeadInput in{.id = lead, .name = "Renamed"};
  // Viewer sees the lead but has edit D.
  auto forbidden = service_->Update<storage::Lead>(As(viewer_), std::vector{in});
  ASSERT_EQ(forbidden.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(forbidden.status().message(), "leads.edit is D (denied)");
  // mine_ cannot see it at all.
  auto invisible = service_->Update<storage::Lead>(As(mine_), std::vector{in});
  EXPECT_EQ(invisible.status().code(), Code::kNotFound);
  // The team-wide user sees same-group leads only; a marketing lead is invisible to them.
  EXPECT_EQ(service_->Update<storage::Lead>(As(team_), std::vector{in}).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead)->name, "Deal");
  // Allowed: changes it and logs name_field_changed with Kommo's value shapes.
  auto ok = service_->Update<storage::Lead>(As(allowed_), std::vector{in});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead)->name, "Renamed");
  auto events = Events("name_field_changed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_type, "lead");
  EXPECT_EQ(events[0].entity_id, lead);
  EXPECT_EQ(events[0].actor_user_id, allowed_);
  EXPECT_EQ(events[0].value_before_json, R"([{"name_field_value":{"name":"Deal"}}])");
  EXPECT_EQ(events[0].value_after_json, R"([{"name_field_value":{"name":"Renamed"}}])");
}

TEST_F(RecordsTest, EditIfResponsibleNamesWhyItDidNotMatch) {
  // mine_ holds view M / edit M; a teammate's lead is invisible (404), so give mine_ view G.
  domain::Rights rights = testing::Uniform(Level::kIfResponsible);
  rights.Set(DataSet::kLeads, Action::kView, Level::kTeamWide);
  const domain::UserId user = AddUser("g-view@acme.test", rights, sales_);
  const RecordId lead = MakeLead(mate_).id;
  const LeadInput in{.id = lead, .price = 5};
  auto denied = service_->Update<storage::Lead>(As(user), std::vector{in});
  ASSERT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(),
            "leads.edit is M (if responsible) and you are not the responsible user");
}

TEST_F(RecordsTest, BatchPatchIsAtomicAndReportsTheFailingItem) {
  const RecordId own = MakeLead(mine_).id;
  const RecordId others = MakeLead(outsider_).id;
  const std::size_t events_before = Events().size();
  const LeadInput first{.id = own, .price = 999};
  const LeadInput second{.id = others, .price = 1};
  std::size_t failed = 99;
  auto result = service_->Update<storage::Lead>(As(mine_), std::vector{first, second}, &failed);
  EXPECT_EQ(result.status().code(), Code::kNotFound);
  EXPECT_EQ(failed, 1u);
  // Nothing changed, nothing logged: the first item's update was rolled back.
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(own)->price, 100);
  EXPECT_EQ(Events().size(), events_before);

  // An invalid item (responsible user of no account) likewise.
  const LeadInput bad{.id = own, .responsible_user_id = 987654};
  result = service_->Update<storage::Lead>(As(mine_), std::vector{first, bad}, &failed);
  ASSERT_EQ(result.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(result.status().fields().at(0).path, "responsible_user_id");
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(own)->price, 100);
  EXPECT_EQ(Events().size(), events_before);

  // Both fine: both applied, each logged once.
  result = service_->Update<storage::Lead>(As(mine_), std::vector{first}, &failed);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ((*result)[0].id, own);
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(own)->price, 999);
  auto sale = Events("sale_field_changed");
  ASSERT_EQ(sale.size(), 1u);
  EXPECT_EQ(sale[0].value_before_json, R"([{"sale_field_value":{"sale":100}}])");
  EXPECT_EQ(sale[0].value_after_json, R"([{"sale_field_value":{"sale":999}}])");
}

TEST_F(RecordsTest, StageMoveNeedsEditInTheOldStageAndInTheTargetStage) {
  const domain::StatusId first = working_[0];
  const domain::StatusId second = working_[1];
  // Edit A in general, but D in the second stage.
  domain::Rights rights = testing::Uniform(Level::kAllowed);
  domain::StageRights stage{.stage = {pipeline_, second}};
  stage.Set(Action::kEdit, Level::kDenied);
  rights.stage_rights.push_back(stage);
  const domain::UserId user = AddUser("stage@acme.test", rights, sales_);

  const RecordId in_first = MakeLead(user, first).id;
  const RecordId in_second = MakeLead(user, second).id;

  // Into the second stage: the result would not be editable -> 403, unchanged, no event.
  const LeadInput move{.id = in_first, .status_id = second};
  auto denied = service_->Update<storage::Lead>(As(user), std::vector{move});
  ASSERT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(denied.status().message(), HasSubstr("leads.edit is D (denied) in stage " +
                                                   std::to_string(second) + " of pipeline"));
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(in_first)->status_id, first);
  EXPECT_TRUE(Events("lead_status_changed").empty());

  // Out of the second stage: no edit there on the lead as it is -> 403.
  const LeadInput out{.id = in_second, .status_id = first};
  auto stuck = service_->Update<storage::Lead>(As(user), std::vector{out});
  ASSERT_EQ(stuck.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(in_second)->status_id, second);

  // Into won 142 (no stage entry: general A) works and logs Kommo's lead_status_changed.
  const LeadInput won{.id = in_first, .status_id = domain::kWonStatusId};
  auto ok = service_->Update<storage::Lead>(As(user), std::vector{won});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto lead = store_->Reader(account_).Get<storage::Lead>(in_first);
  EXPECT_EQ(lead->status_id, domain::kWonStatusId);
  EXPECT_NE(lead->closed_at, 0);
  auto events = Events("lead_status_changed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value_before_json, R"([{"lead_status":{"id":)" + std::to_string(first) +
                                             R"(,"pipeline_id":)" + std::to_string(pipeline_) +
                                             "}}]");
  EXPECT_EQ(events[0].value_after_json,
            R"([{"lead_status":{"id":142,"pipeline_id":)" + std::to_string(pipeline_) + "}}]");
}

TEST_F(RecordsTest, StageMoveChecksTheTargetWithTheNewResponsibleUser) {
  // Edit M: moving a lead while handing it to someone else leaves a lead the caller may not
  // edit only when the stage changes too; a plain hand-off needs edit on the lead as it is.
  const RecordId lead = MakeLead(mine_).id;
  const LeadInput handoff_and_move{
      .id = lead, .status_id = working_[1], .responsible_user_id = mate_};
  EXPECT_EQ(
      service_->Update<storage::Lead>(As(mine_), std::vector{handoff_and_move}).status().code(),
      Code::kPermissionDenied);
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead)->responsible_user_id, mine_);

  const LeadInput handoff{.id = lead, .responsible_user_id = mate_};
  ASSERT_TRUE(service_->Update<storage::Lead>(As(mine_), std::vector{handoff}).ok());
  auto events = Events("entity_responsible_changed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].value_before_json,
            R"([{"responsible_user":{"id":)" + std::to_string(mine_) + "}}]");
  EXPECT_EQ(events[0].value_after_json,
            R"([{"responsible_user":{"id":)" + std::to_string(mate_) + "}}]");
  // Now it is mate's: invisible to mine_.
  EXPECT_EQ(service_->Get<storage::Lead>(As(mine_), lead, {}).status().code(), Code::kNotFound);
}

TEST_F(RecordsTest, DeleteNeedsViewThenDelete) {
  const RecordId lead = MakeLead(outsider_).id;
  EXPECT_EQ(service_->Delete<storage::Lead>(As(mine_), lead).code(), Code::kNotFound);
  base::Status forbidden = service_->Delete<storage::Lead>(As(viewer_), lead);
  EXPECT_EQ(forbidden.code(), Code::kPermissionDenied);
  EXPECT_EQ(forbidden.message(), "leads.delete is D (denied)");
  EXPECT_TRUE(store_->Reader(account_).Get<storage::Lead>(lead).ok());
  EXPECT_TRUE(Events("lead_deleted").empty());
  ASSERT_TRUE(service_->Delete<storage::Lead>(As(allowed_), lead).ok());
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead).status().code(), Code::kNotFound);
  auto events = Events("lead_deleted");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, lead);
  EXPECT_EQ(events[0].value_after_json, "[]");
  // Contacts, companies and tasks follow the same rule.
  const RecordId contact = MakeContact(outsider_).id;
  EXPECT_EQ(service_->Delete<storage::Contact>(As(mine_), contact).code(), Code::kNotFound);
  EXPECT_EQ(service_->Delete<storage::Contact>(As(viewer_), contact).code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(service_->Delete<storage::Contact>(As(allowed_), contact).ok());
  EXPECT_EQ(Events("contact_deleted").size(), 1u);
}

TEST_F(RecordsTest, EmbeddedLinksShowOnlyViewableRecords) {
  const RecordId lead = MakeLead(mine_).id;
  const RecordId own_contact = MakeContact(mine_, "Own").id;
  const RecordId other_contact = MakeContact(outsider_, "Other").id;
  const RecordId other_company = MakeCompany(outsider_).id;
  Link(lead, own_contact, other_company);
  Link(lead, other_contact);
  const Embed embed{.contacts = true};
  auto view = service_->Get<storage::Lead>(As(mine_), lead, embed);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  std::vector<RecordId> contacts;
  for (const auto& link : view->contacts) contacts.push_back(link.contact_id);
  EXPECT_THAT(contacts, ElementsAre(own_contact));
  EXPECT_TRUE(view->companies.empty());
  // An allowed user sees both contacts and the company.
  auto full = service_->Get<storage::Lead>(As(allowed_), lead, embed);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->contacts.size(), 2u);
  EXPECT_THAT(full->companies, ElementsAre(other_company));
  // Without with=contacts no contacts are embedded at all.
  EXPECT_TRUE(service_->Get<storage::Lead>(As(allowed_), lead, {})->contacts.empty());
  // The same rule from the contact's side: the outsider's contact lists the lead only to
  // callers who may view the lead.
  const Embed leads{.leads = true};
  auto from_contact = service_->Get<storage::Contact>(As(outsider_), other_contact, leads);
  ASSERT_TRUE(from_contact.ok());
  EXPECT_TRUE(from_contact->leads.empty());
  EXPECT_THAT(service_->Get<storage::Contact>(As(allowed_), other_contact, leads)->leads,
              ElementsAre(lead));
  EXPECT_THAT(service_->Get<storage::Company>(As(allowed_), other_company, leads)->leads,
              ElementsAre(lead));
  EXPECT_TRUE(service_->Get<storage::Company>(As(outsider_), other_company, leads)->leads.empty());
}

TEST_F(RecordsTest, LinkingAnInvisibleContactIsReportedAsNotFound) {
  const RecordId lead = MakeLead(mine_).id;
  const RecordId hidden = MakeContact(outsider_).id;
  LeadInput in{.id = lead, .name = "Changed", .contacts = {{hidden, false}}};
  auto result = service_->Update<storage::Lead>(As(mine_), std::vector{in});
  ASSERT_EQ(result.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(result.status().fields().at(0).path, "_embedded.contacts.0.id");
  EXPECT_EQ(result.status().fields().at(0).detail,
            "contact " + std::to_string(hidden) + " not found");
  EXPECT_EQ(store_->Reader(account_).Get<storage::Lead>(lead)->name, "Deal");
  EXPECT_TRUE(store_->Reader(account_).LeadContacts(lead)->empty());
  // A visible contact links, once, with one entity_linked event.
  const RecordId own = MakeContact(mine_).id;
  in.contacts = {{own, true}};
  ASSERT_TRUE(service_->Update<storage::Lead>(As(mine_), std::vector{in}).ok());
  ASSERT_TRUE(service_->Update<storage::Lead>(As(mine_), std::vector{in}).ok());
  EXPECT_EQ(store_->Reader(account_).LeadContacts(lead)->size(), 1u);
  EXPECT_EQ(Events("entity_linked").size(), 1u);
}

TEST_F(RecordsTest, AddNeedsTheAddRightAndDefaultsTheResponsibleUser) {
  LeadInput in{.name = "New"};
  auto denied = service_->Add<storage::Lead>(As(viewer_), std::vector{in});
  ASSERT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), "leads.add is D (denied)");
  EXPECT_TRUE(Events("lead_added").empty());

  auto added = service_->Add<storage::Lead>(As(mine_), std::vector{in, in});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->size(), 2u);
  auto lead = store_->Reader(account_).Get<storage::Lead>((*added)[0].id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->responsible_user_id, mine_);
  EXPECT_EQ(lead->created_by, mine_);
  EXPECT_EQ(lead->pipeline_id, pipeline_);
  EXPECT_EQ(lead->status_id, working_[0]);
  EXPECT_EQ(Events("lead_added").size(), 2u);

  // The created record need not be viewable by its creator (Kommo does not require it).
  in.responsible_user_id = outsider_;
  auto for_other = service_->Add<storage::Lead>(As(mine_), std::vector{in});
  ASSERT_TRUE(for_other.ok()) << for_other.status().ToString();
  EXPECT_EQ(service_->Get<storage::Lead>(As(mine_), (*for_other)[0].id, {}).status().code(),
            Code::kNotFound);
}

TEST_F(RecordsTest, NewLeadsObeyTheStageRightsOfTheStageTheyEnter) {
  // Leads A in general; edit D in the second working stage, edit M in won 142.
  domain::Rights rights = testing::Uniform(Level::kAllowed);
  domain::StageRights no_edit{.stage = {pipeline_, working_[1]}};
  no_edit.Set(Action::kEdit, Level::kDenied);
  domain::StageRights own_only{.stage = {pipeline_, domain::kWonStatusId}};
  own_only.Set(Action::kEdit, Level::kIfResponsible);
  rights.stage_rights = {no_edit, own_only};
  for (Action action : {Action::kView, Action::kAccept}) {
    rights.Set(DataSet::kIncomingLeads, action, Level::kAllowed);
  }
  const domain::UserId user = AddUser("stages@acme.test", rights, sales_);

  LeadInput in{.name = "Straight into stage 2", .pipeline_id = pipeline_, .status_id = working_[1]};
  auto refused = service_->Add<storage::Lead>(As(user), std::vector{in});
  ASSERT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(
      refused.status().message(),
      HasSubstr("a lead cannot enter stage " + std::to_string(working_[1]) + " of pipeline " +
                std::to_string(pipeline_) + ": leads.edit is D (denied) in stage"));
  EXPECT_TRUE(Events("lead_added").empty());
  EXPECT_TRUE(LeadIds(As(admin_)).empty());

  // Where the stage rights allow their own leads, a new lead may still go to someone else.
  in.status_id = domain::kWonStatusId;
  in.responsible_user_id = mate_;
  auto handed = service_->Add<storage::Lead>(As(user), std::vector{in});
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  in.status_id = working_[0];  // no stage entry: the add right alone decides
  ASSERT_TRUE(service_->Add<storage::Lead>(As(user), std::vector{in}).ok());

  // Accepting an incoming lead into the stage is refused the same way and changes nothing.
  const storage::IncomingLead item{.uid = "u-stage",
                                   .category = domain::IncomingCategory::kForms,
                                   .pipeline_id = pipeline_,
                                   .lead_name = "From the site"};
  ASSERT_TRUE(
      store_->Write(account_, [&](storage::AccountWriter& w) { return w.Create(item).status(); })
          .ok());
  auto not_accepted = service_->AcceptIncoming(As(user), "u-stage", working_[1]);
  ASSERT_EQ(not_accepted.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(not_accepted.status().message(), HasSubstr("a lead cannot enter stage"));
  EXPECT_EQ(store_->Reader(account_).FindIncomingLeadByUid("u-stage")->state, "pending");
  EXPECT_TRUE(Events("incoming_lead_accepted").empty());
  EXPECT_EQ(LeadIds(As(admin_)).size(), 2u);
  auto accepted = service_->AcceptIncoming(As(user), "u-stage", working_[0]);
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->status_id, working_[0]);
}

TEST_F(RecordsTest, FailedWriteLeavesNoEventAndNoRecord) {
  const domain::UserId inactive =
      AddUser("gone@acme.test", testing::Uniform(Level::kAllowed), sales_);
  SetActive(inactive, false);
  const LeadInput good{.name = "Good"};
  const LeadInput bad{.name = "Bad", .responsible_user_id = inactive};
  std::size_t failed = 0;
  auto result = service_->Add<storage::Lead>(As(allowed_), std::vector{good, bad}, &failed);
  ASSERT_EQ(result.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(result.status().fields().at(0).path, "responsible_user_id");
  EXPECT_TRUE(Events("lead_added").empty());
  EXPECT_THAT(LeadIds(As(admin_)), ElementsAre());
}

TEST_F(RecordsTest, ExportRowsAreExactlyTheExportableRecords) {
  domain::Rights rights = testing::Uniform(Level::kAllowed);
  rights.Set(DataSet::kLeads, Action::kExport, Level::kIfResponsible);
  const domain::UserId exporter = AddUser("export@acme.test", rights, sales_);
  const RecordId own1 = MakeLead(exporter).id;
  MakeLead(outsider_);
  const RecordId own2 = MakeLead(exporter).id;
  std::vector<RecordId> rows;
  auto count = service_->Export<storage::Lead>(As(exporter), {},
                                               [&](const ExportBatch<storage::Lead>& batch) {
                                                 for (const auto& l : batch.records)
                                                   rows.push_back(l.id);
                                                 return base::Status::Ok();
                                               });
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(count->rows, 2);
  EXPECT_THAT(rows, ElementsAre(own1, own2));
  // The exporter sees all three leads in lists: export is narrower than view.
  EXPECT_EQ(LeadIds(As(exporter)).size(), 3u);
  auto events = Events("export_performed");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_user_id, exporter);
  EXPECT_EQ(events[0].value_after_json, R"([{"export":{"entity":"leads","rows":2}}])");

  auto denied =
      service_->Export<storage::Lead>(As(viewer_), {}, [&](const ExportBatch<storage::Lead>&) {
        ADD_FAILURE() << "a denied export visited rows";
        return base::Status::Ok();
      });
  ASSERT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), "leads.export is D (denied)");
  EXPECT_EQ(Events("export_performed").size(), 1u);
}

}  // namespace
}  // namespace gatehouse::service
