// The reference model itself against the examples and rules of SPEC §2, written by hand, so a
// disagreement in the property test can be blamed on the right side.
#include "tests/model/reference_model.h"

#include <gtest/gtest.h>

#include <vector>

namespace gatehouse::model {
namespace {

using domain::AccountModel;
using domain::Action;
using domain::DataSet;
using domain::Level;
using domain::RecordRef;
using domain::Rights;

constexpr domain::GroupId kSales = 1;
constexpr domain::GroupId kMarketing = 2;

domain::User MakeUser(domain::UserId id, domain::GroupId group, Rights rights = {}) {
  return domain::User{.id = id, .group_id = group, .rights = std::move(rights)};
}

RecordRef Lead(domain::UserId responsible, domain::PipelineId pipeline = 0,
               domain::StatusId status = 0) {
  return RecordRef{DataSet::kLeads, responsible, pipeline, status};
}

domain::StageRights Stage(domain::PipelineId pipeline, domain::StatusId status) {
  domain::StageRights entry;
  entry.stage = {pipeline, status};
  return entry;
}

TEST(ReferenceModelTest, NormalizeNarrowsToTheChainAsInTheSpecExample) {
  Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, Level::kIfResponsible);
  rights.Set(DataSet::kLeads, Action::kEdit, Level::kAllowed);
  rights.Set(DataSet::kLeads, Action::kDelete, Level::kAllowed);
  rights.Set(DataSet::kLeads, Action::kExport, Level::kTeamWide);
  rights.Set(DataSet::kLeads, Action::kAdd, Level::kAllowed);  // depends on nothing
  rights.Set(DataSet::kContacts, Action::kView, Level::kTeamWide);
  rights.Set(DataSet::kContacts, Action::kEdit, Level::kIfResponsible);
  rights.Set(DataSet::kContacts, Action::kDelete, Level::kAllowed);
  Rights got = RefNormalize(rights);
  EXPECT_EQ(got.Get(DataSet::kLeads, Action::kView), Level::kIfResponsible);
  EXPECT_EQ(got.Get(DataSet::kLeads, Action::kEdit), Level::kIfResponsible);  // {view:M, edit:M}
  EXPECT_EQ(got.Get(DataSet::kLeads, Action::kDelete), Level::kIfResponsible);
  EXPECT_EQ(got.Get(DataSet::kLeads, Action::kExport), Level::kIfResponsible);
  EXPECT_EQ(got.Get(DataSet::kLeads, Action::kAdd), Level::kAllowed);
  EXPECT_EQ(got.Get(DataSet::kContacts, Action::kDelete), Level::kIfResponsible);  // <= edit
  EXPECT_EQ(RefNormalize(got), got);                                               // idempotent
}

TEST(ReferenceModelTest, NormalizeInsideAStageConsultsOnlyTheActionsItSets) {
  Rights rights;
  domain::StageRights later = Stage(7, 143);
  later.Set(Action::kEdit, Level::kAllowed);  // view unset: not narrowed
  domain::StageRights earlier = Stage(7, 142);
  earlier.Set(Action::kView, Level::kDenied);
  earlier.Set(Action::kDelete, Level::kAllowed);
  rights.stage_rights = {later, earlier};
  Rights got = RefNormalize(rights);
  ASSERT_EQ(got.stage_rights.size(), 2u);
  EXPECT_EQ(got.stage_rights[0].stage.status_id, 142);  // sorted by stage
  EXPECT_EQ(got.stage_rights[0].levels[2], Level::kDenied);
  EXPECT_EQ(got.stage_rights[1].levels[1], Level::kAllowed);
  EXPECT_FALSE(got.stage_rights[1].levels[0].has_value());
}

TEST(ReferenceModelTest, LevelsAgainstTheResponsibleUser) {
  Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, Level::kIfResponsible);
  rights.Set(DataSet::kContacts, Action::kView, Level::kTeamWide);
  rights.Set(DataSet::kCompanies, Action::kView, Level::kAllowed);
  AccountModel model;
  model.users = {MakeUser(1, kSales, rights), MakeUser(2, kSales), MakeUser(3, kMarketing)};
  model.users[1].is_active = false;  // the responsible user's state does not matter for G
  RecordRef contact{DataSet::kContacts, 2, 0, 0};

  EXPECT_TRUE(RefCheck(model, 1, Action::kView, Lead(1)));
  EXPECT_FALSE(RefCheck(model, 1, Action::kView, Lead(2)));
  EXPECT_FALSE(RefCheck(model, 1, Action::kView, Lead(0)));
  EXPECT_TRUE(RefCheck(model, 1, Action::kView, contact));
  contact.responsible_user_id = 3;
  EXPECT_FALSE(RefCheck(model, 1, Action::kView, contact));
  contact.responsible_user_id = 99;  // not in the account
  EXPECT_FALSE(RefCheck(model, 1, Action::kView, contact));
  contact.responsible_user_id = 0;
  EXPECT_FALSE(RefCheck(model, 1, Action::kView, contact));
  EXPECT_TRUE(RefCheck(model, 1, Action::kView, RecordRef{DataSet::kCompanies, 0, 0, 0}));
  EXPECT_FALSE(RefCheck(model, 1, Action::kEdit, Lead(1)));  // everything else denied

  RefDecision decision = RefDecide(model, 1, Action::kView, Lead(2));
  EXPECT_EQ(decision.rule, RefRule::kGeneralRight);
  EXPECT_EQ(decision.level, Level::kIfResponsible);
  EXPECT_EQ(decision.match, RefMatch::kNotResponsible);
}

TEST(ReferenceModelTest, WhoIsActingComesFirstEvenForAdmins) {
  AccountModel model;
  model.users = {MakeUser(1, kSales), MakeUser(2, kSales), MakeUser(3, kSales),
                 MakeUser(4, kSales)};
  for (domain::User& user : model.users) user.is_admin = true;
  model.users[1].is_active = false;
  model.users[2].is_free = true;
  RecordRef task_export{DataSet::kTasks, 0, 0, 0};
  EXPECT_EQ(RefDecide(model, 1, Action::kDelete, Lead(0)).rule, RefRule::kAdmin);
  EXPECT_TRUE(RefCheck(model, 1, Action::kExport, task_export));  // admins may do everything
  EXPECT_EQ(RefDecide(model, 2, Action::kView, Lead(2)).rule, RefRule::kInactiveUser);
  EXPECT_EQ(RefDecide(model, 3, Action::kView, Lead(3)).rule, RefRule::kFreeUser);
  EXPECT_EQ(RefDecide(model, 5, Action::kView, Lead(5)).rule, RefRule::kUnknownUser);
  EXPECT_FALSE(RefCheck(model, 2, Action::kView, Lead(2)));
}

TEST(ReferenceModelTest, ActionsADataSetDoesNotHaveAreDenied) {
  Rights rights = Rights::AllAllowed();
  AccountModel model;
  model.users = {MakeUser(1, kSales, rights)};
  RecordRef task{DataSet::kTasks, 1, 0, 0};
  RecordRef incoming{DataSet::kIncomingLeads, 1, 0, 0};
  EXPECT_TRUE(RefCheck(model, 1, Action::kEdit, task));
  EXPECT_EQ(RefDecide(model, 1, Action::kExport, task).rule, RefRule::kNotApplicable);
  EXPECT_EQ(RefDecide(model, 1, Action::kAdd, task).rule, RefRule::kNotApplicable);
  EXPECT_TRUE(RefCheck(model, 1, Action::kAccept, incoming));
  EXPECT_FALSE(RefCheck(model, 1, Action::kEdit, incoming));
  EXPECT_FALSE(RefCheck(model, 1, Action::kAccept, Lead(1)));
}

TEST(ReferenceModelTest, StageRightsReplaceTheGeneralLeadRightsForTheirStageOnly) {
  Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, Level::kAllowed);
  rights.Set(DataSet::kLeads, Action::kEdit, Level::kAllowed);
  rights.Set(DataSet::kLeads, Action::kAdd, Level::kAllowed);
  domain::StageRights won = Stage(10, domain::kWonStatusId);
  won.Set(Action::kView, Level::kIfResponsible);  // narrowing; edit follows the merged chain
  domain::StageRights lost = Stage(10, domain::kLostStatusId);
  lost.Set(Action::kDelete, Level::kAllowed);  // widening delete (general D)
  rights.stage_rights = {won, lost};
  AccountModel model;
  model.users = {MakeUser(1, kSales, rights), MakeUser(2, kSales)};

  EXPECT_FALSE(RefCheck(model, 1, Action::kView, Lead(2, 10, 142)));
  EXPECT_TRUE(RefCheck(model, 1, Action::kView, Lead(1, 10, 142)));
  RefDecision edit = RefDecide(model, 1, Action::kEdit, Lead(2, 10, 142));
  EXPECT_FALSE(edit.allowed);
  EXPECT_EQ(edit.rule, RefRule::kStageRight);
  EXPECT_EQ(edit.level, Level::kIfResponsible);
  // 142 of another pipeline is another stage.
  EXPECT_EQ(RefDecide(model, 1, Action::kView, Lead(2, 11, 142)).rule, RefRule::kGeneralRight);
  EXPECT_TRUE(RefCheck(model, 1, Action::kView, Lead(2, 11, 142)));
  // `add` never uses stage rights; other data sets ignore pipeline and status.
  EXPECT_EQ(RefDecide(model, 1, Action::kAdd, Lead(2, 10, 142)).rule, RefRule::kGeneralRight);
  RecordRef contact{DataSet::kContacts, 2, 10, 143};
  EXPECT_EQ(RefDecide(model, 1, Action::kDelete, contact).rule, RefRule::kGeneralRight);
  EXPECT_TRUE(RefCheck(model, 1, Action::kDelete, Lead(2, 10, 143)));
  EXPECT_FALSE(RefCheck(model, 1, Action::kDelete, Lead(2)));
}

TEST(ReferenceModelTest, VisibleListsOnlyTheRecordsOfTheDataSetTheUserMayActOn) {
  Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, Level::kTeamWide);
  AccountModel model;
  model.users = {MakeUser(1, kSales, rights), MakeUser(2, kSales), MakeUser(3, kMarketing)};
  std::vector<RecordRef> records = {Lead(1), Lead(3), RecordRef{DataSet::kContacts, 1, 0, 0},
                                    Lead(2), Lead(0)};
  EXPECT_EQ(RefVisible(model, 1, DataSet::kLeads, Action::kView, records),
            (std::vector<std::size_t>{0, 3}));
  EXPECT_TRUE(RefVisible(model, 1, DataSet::kContacts, Action::kView, records).empty());
}

}  // namespace
}  // namespace gatehouse::model
