#include "domain/rights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace gatehouse::domain {
namespace {

TEST(RightsTest, ActionAppliesFollowsTheSpecTable) {
  struct Row {
    DataSet data_set;
    std::vector<Action> actions;
  };
  const std::vector<Row> table = {
      {DataSet::kLeads,
       {Action::kView, Action::kAdd, Action::kEdit, Action::kDelete, Action::kExport}},
      {DataSet::kContacts,
       {Action::kView, Action::kAdd, Action::kEdit, Action::kDelete, Action::kExport}},
      {DataSet::kCompanies,
       {Action::kView, Action::kAdd, Action::kEdit, Action::kDelete, Action::kExport}},
      {DataSet::kTasks, {Action::kView, Action::kEdit, Action::kDelete}},
      {DataSet::kIncomingLeads, {Action::kView, Action::kAccept, Action::kDecline}},
  };
  for (const Row& row : table) {
    for (Action action : kAllActions) {
      const bool expected =
          std::find(row.actions.begin(), row.actions.end(), action) != row.actions.end();
      EXPECT_EQ(ActionApplies(row.data_set, action), expected)
          << DataSetName(row.data_set) << "." << ActionName(action);
    }
  }
}

TEST(RightsTest, OnlyAddAndIncomingLeadsTakeOnlyAllowedOrDenied) {
  EXPECT_TRUE(TakesOnlyAllowedOrDenied(DataSet::kLeads, Action::kAdd));
  EXPECT_TRUE(TakesOnlyAllowedOrDenied(DataSet::kContacts, Action::kAdd));
  EXPECT_TRUE(TakesOnlyAllowedOrDenied(DataSet::kIncomingLeads, Action::kView));
  EXPECT_TRUE(TakesOnlyAllowedOrDenied(DataSet::kIncomingLeads, Action::kAccept));
  EXPECT_TRUE(TakesOnlyAllowedOrDenied(DataSet::kIncomingLeads, Action::kDecline));
  EXPECT_FALSE(TakesOnlyAllowedOrDenied(DataSet::kLeads, Action::kView));
  EXPECT_FALSE(TakesOnlyAllowedOrDenied(DataSet::kTasks, Action::kEdit));
}

TEST(RightsTest, Dependencies) {
  EXPECT_EQ(Dependencies(Action::kEdit), std::vector<Action>{Action::kView});
  EXPECT_EQ(Dependencies(Action::kDelete), (std::vector<Action>{Action::kView, Action::kEdit}));
  EXPECT_EQ(Dependencies(Action::kExport), std::vector<Action>{Action::kView});
  EXPECT_TRUE(Dependencies(Action::kView).empty());
  EXPECT_TRUE(Dependencies(Action::kAdd).empty());
  EXPECT_TRUE(Dependencies(Action::kAccept).empty());
  EXPECT_TRUE(Dependencies(Action::kDecline).empty());
}

TEST(RightsTest, LevelLettersRoundTrip) {
  const std::vector<std::pair<Level, char>> table = {{Level::kDenied, 'D'},
                                                     {Level::kIfResponsible, 'M'},
                                                     {Level::kTeamWide, 'G'},
                                                     {Level::kAllowed, 'A'}};
  for (const auto& [level, letter] : table) {
    EXPECT_EQ(LevelLetter(level), letter);
    EXPECT_EQ(LevelFromLetter(std::string(1, letter)), level);
  }
  for (std::string_view bad : {"", "a", "X", "AA", "d", " A"}) {
    EXPECT_EQ(LevelFromLetter(bad), std::nullopt) << "'" << bad << "'";
  }
  EXPECT_EQ(LevelName(Level::kIfResponsible), "if_responsible");
  EXPECT_EQ(LevelName(Level::kTeamWide), "team_wide");
  EXPECT_LT(Level::kDenied, Level::kIfResponsible);
  EXPECT_LT(Level::kIfResponsible, Level::kTeamWide);
  EXPECT_LT(Level::kTeamWide, Level::kAllowed);
}

TEST(RightsTest, NamesRoundTrip) {
  for (DataSet data_set : kAllDataSets) {
    EXPECT_EQ(DataSetFromName(DataSetName(data_set)), data_set);
  }
  for (Action action : kAllActions) {
    EXPECT_EQ(ActionFromName(ActionName(action)), action);
  }
  EXPECT_EQ(DataSetName(DataSet::kIncomingLeads), "incoming_leads");
  EXPECT_EQ(ActionName(Action::kDecline), "decline");
  EXPECT_EQ(DataSetFromName("Leads"), std::nullopt);
  EXPECT_EQ(DataSetFromName("deals"), std::nullopt);
  // Customers are a record kind without a row of their own: the leads' row decides.
  EXPECT_EQ(DataSetName(DataSet::kCustomers), "customers");
  EXPECT_EQ(DataSetFromName("customers"), std::nullopt);
  EXPECT_EQ(RecordDataSetFromName("customers"), DataSet::kCustomers);
  EXPECT_EQ(RecordDataSetFromName("leads"), DataSet::kLeads);
  EXPECT_EQ(RightsRow(DataSet::kCustomers), DataSet::kLeads);
  EXPECT_EQ(RightsRow(DataSet::kTasks), DataSet::kTasks);
  Rights rights;
  rights.Set(DataSet::kLeads, Action::kEdit, Level::kTeamWide);
  EXPECT_EQ(rights.Get(DataSet::kCustomers, Action::kEdit), Level::kTeamWide);
  EXPECT_TRUE(ActionApplies(DataSet::kCustomers, Action::kExport));
  EXPECT_FALSE(ActionApplies(DataSet::kCustomers, Action::kAccept));
  EXPECT_EQ(ActionFromName("remove"), std::nullopt);
}

TEST(RightsTest, AttachableDataSetsByName) {
  for (DataSet data_set : kAttachableDataSets) {
    EXPECT_EQ(AttachableDataSetFromName(DataSetName(data_set)), data_set);
  }
  EXPECT_EQ(AttachableDataSetFromName("customers"), DataSet::kCustomers);
  for (std::string_view name : {"tasks", "incoming_leads", "customer", "lead", "Leads", ""}) {
    EXPECT_EQ(AttachableDataSetFromName(name), std::nullopt) << name;
  }
  EXPECT_EQ(AttachableNames(), "leads, contacts, companies or customers");
  // A customer takes tasks and notes, but its links are written with it, not pair by pair.
  EXPECT_TRUE(IsPairLinked(DataSet::kCompanies));
  EXPECT_FALSE(IsPairLinked(DataSet::kCustomers));
}

TEST(RightsTest, StageRightsGetSet) {
  StageRights entry;
  for (Action action : kAllActions) EXPECT_EQ(entry.Get(action), std::nullopt);
  entry.Set(Action::kEdit, Level::kAllowed);
  entry.Set(Action::kExport, Level::kDenied);
  entry.Set(Action::kAdd, Level::kAllowed);  // not a stage action: ignored
  EXPECT_EQ(entry.Get(Action::kEdit), Level::kAllowed);
  EXPECT_EQ(entry.Get(Action::kExport), Level::kDenied);
  EXPECT_EQ(entry.Get(Action::kView), std::nullopt);
  EXPECT_EQ(entry.Get(Action::kAdd), std::nullopt);
  EXPECT_EQ(entry.levels[1], Level::kAllowed);
  EXPECT_EQ(entry.levels[3], Level::kDenied);
  entry.Set(Action::kEdit, std::nullopt);
  EXPECT_EQ(entry.Get(Action::kEdit), std::nullopt);
}

TEST(RightsTest, DefaultRightsDenyEverything) {
  Rights rights;
  for (DataSet data_set : kAllDataSets) {
    for (Action action : kAllActions) EXPECT_EQ(rights.Get(data_set, action), Level::kDenied);
  }
  EXPECT_FALSE(rights.HasFeature(Feature::kLists));
  EXPECT_FALSE(rights.HasFeature(Feature::kSharedInbox));
  EXPECT_FALSE(rights.HasFeature(Feature::kFiles));
}

TEST(RightsTest, FindStageAndFeatures) {
  Rights rights;
  const StageRights a{.stage = {3, 142}};
  StageRights b{.stage = {3, 200}};
  b.Set(Action::kView, Level::kTeamWide);
  rights.stage_rights = {a, b};
  ASSERT_NE(rights.FindStage({3, 200}), nullptr);
  EXPECT_EQ(rights.FindStage({3, 200})->Get(Action::kView), Level::kTeamWide);
  EXPECT_EQ(rights.FindStage({3, 142}), &rights.stage_rights[0]);
  EXPECT_EQ(rights.FindStage({4, 142}), nullptr);
  rights.catalog_access = true;
  EXPECT_TRUE(rights.HasFeature(Feature::kLists));
  EXPECT_FALSE(rights.HasFeature(Feature::kSharedInbox));
  rights.mail_access = true;
  EXPECT_TRUE(rights.HasFeature(Feature::kSharedInbox));
}

TEST(RightsTest, AllAllowedAllowsEveryApplicableActionAndFeature) {
  const Rights rights = Rights::AllAllowed();
  for (DataSet data_set : kAllDataSets) {
    for (Action action : kAllActions) {
      EXPECT_EQ(rights.Get(data_set, action),
                ActionApplies(data_set, action) ? Level::kAllowed : Level::kDenied);
    }
  }
  EXPECT_TRUE(rights.HasFeature(Feature::kLists));
  EXPECT_TRUE(rights.HasFeature(Feature::kSharedInbox));
  EXPECT_TRUE(rights.HasFeature(Feature::kFiles));
  EXPECT_TRUE(rights.stage_rights.empty());
}

}  // namespace
}  // namespace gatehouse::domain
