#include "policy/account_policy.h"

#include <gtest/gtest.h>

#include <limits>
#include <utility>

#include "policy/policy_test_util.h"

namespace gatehouse::policy {
namespace {

domain::User MakeUser(domain::UserId id, domain::GroupId group) {
  return {.id = id, .name = "user " + std::to_string(id), .group_id = group};
}

// Sets every applicable action of `data_set` to `level` (add only to A or D).
void SetAll(domain::Rights& rights, DataSet data_set, Level level) {
  for (Action action : domain::kAllActions) {
    if (!domain::ActionApplies(data_set, action)) continue;
    Level l = level;
    if (domain::TakesOnlyAllowedOrDenied(data_set, action) && l != A) l = D;
    rights.Set(data_set, action, l);
  }
}

RecordRef Lead(domain::UserId responsible, domain::PipelineId pipeline = 3,
               domain::StatusId status = 11) {
  return RecordRef{DataSet::kLeads, responsible, pipeline, status};
}

RecordRef Record(DataSet data_set, domain::UserId responsible) {
  return RecordRef{data_set, responsible, 0, 0};
}

// Account 1: groups 1 Sales and 2 Marketing; pipelines 3 (stages 10, 11, 12) and 4 (20).
//   1 admin, 2 normal (group 1), 3 inactive (group 1), 4 normal (group 2), 5 free (group 1),
//   6 inactive admin, 7 free admin, 8 normal (group 1) whose rights the tests set.
domain::AccountModel BaseModel() {
  const domain::Pipeline p3{
      .id = 3,
      .stages = {
          {10, "Incoming", 0, domain::kStageTypeIncoming}, {11, "New", 1, 0}, {12, "Won?", 2, 0}}};
  const domain::Pipeline p4{.id = 4, .stages = {{20, "First", 0, 0}}};
  domain::AccountModel model{
      .id = 1,
      .users = {MakeUser(1, 1), MakeUser(2, 1), MakeUser(3, 1), MakeUser(4, 2), MakeUser(5, 1),
                MakeUser(6, 1), MakeUser(7, 1), MakeUser(8, 1)},
      .groups = {{1, "Sales"}, {2, "Marketing"}},
      .pipelines = {p3, p4}};
  model.users[0].is_admin = true;
  model.users[2].is_active = false;
  model.users[4].is_free = true;
  model.users[5].is_admin = true;
  model.users[5].is_active = false;
  model.users[6].is_admin = true;
  model.users[6].is_free = true;
  for (domain::User& user : model.users) {
    for (DataSet data_set : domain::kAllDataSets) SetAll(user.rights, data_set, A);
  }
  return model;
}

std::shared_ptr<const AccountPolicy> BuildWith(domain::Rights rights_of_8) {
  domain::AccountModel model = BaseModel();
  model.users[7].rights = std::move(rights_of_8);
  return AccountPolicy::Build(model);
}

TEST(AccountPolicyTest, UnknownUserIsDenied) {
  auto policy = AccountPolicy::Build(BaseModel());
  EXPECT_EQ(policy->FindUser(999), nullptr);
  for (domain::UserId id : {999, 0, -1}) {
    const Decision d = policy->Check(id, Action::kView, Lead(id));
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.rule, Rule::kUnknownUser);
  }
  EXPECT_EQ(policy->Check(nullptr, Action::kView, Lead(2)).rule, Rule::kUnknownUser);
}

TEST(AccountPolicyTest, InactiveAndFreeAreDeniedEvenForAdmins) {
  auto policy = AccountPolicy::Build(BaseModel());
  const std::vector<std::pair<domain::UserId, Rule>> table = {{3, Rule::kInactiveUser},
                                                              {6, Rule::kInactiveUser},
                                                              {5, Rule::kFreeUser},
                                                              {7, Rule::kFreeUser}};
  for (const auto& [id, rule] : table) {
    const Decision d = policy->Check(id, Action::kView, Lead(id));
    EXPECT_FALSE(d.allowed) << id;
    EXPECT_EQ(d.rule, rule) << id;
    EXPECT_EQ(d.level, D);
  }
}

TEST(AccountPolicyTest, AdminMayDoEverythingEvenNotApplicableActions) {
  auto policy = AccountPolicy::Build(BaseModel());
  for (DataSet data_set : domain::kAllDataSets) {
    for (Action action : domain::kAllActions) {
      const Decision d = policy->Check(1, action, Record(data_set, 0));
      EXPECT_TRUE(d.allowed);
      EXPECT_EQ(d.rule, Rule::kAdmin);
      EXPECT_EQ(d.level, A);
      EXPECT_EQ(d.match, Match::kNotCompared);
    }
  }
}

TEST(AccountPolicyTest, NotApplicableActionsAreDenied) {
  domain::Rights rights;
  rights.levels.fill({A, A, A, A, A, A, A});  // even a stray A on an action that does not exist
  auto policy = BuildWith(rights);
  for (DataSet data_set : domain::kAllDataSets) {
    for (Action action : domain::kAllActions) {
      const Decision d = policy->Check(8, action, Record(data_set, 8));
      if (domain::ActionApplies(data_set, action)) {
        EXPECT_TRUE(d.allowed);
        EXPECT_EQ(d.rule, Rule::kGeneralRight);
      } else {
        EXPECT_FALSE(d.allowed);
        EXPECT_EQ(d.rule, Rule::kNotApplicable);
      }
    }
  }
}

TEST(AccountPolicyTest, GeneralLevels) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, A);
  SetAll(rights, DataSet::kContacts, M);
  SetAll(rights, DataSet::kCompanies, G);
  SetAll(rights, DataSet::kTasks, D);
  auto policy = BuildWith(rights);
  struct Row {
    DataSet data_set;
    domain::UserId responsible;
    bool allowed;
    Level level;
    Match match;
  };
  const std::vector<Row> table = {
      {DataSet::kLeads, 0, true, A, Match::kNotCompared},
      {DataSet::kLeads, 4, true, A, Match::kNotCompared},
      {DataSet::kLeads, 999, true, A, Match::kNotCompared},
      {DataSet::kContacts, 8, true, M, Match::kResponsible},
      {DataSet::kContacts, 2, false, M, Match::kNotResponsible},
      {DataSet::kContacts, 0, false, M, Match::kNotResponsible},
      {DataSet::kCompanies, 8, true, G, Match::kSameGroup},
      {DataSet::kCompanies, 2, true, G, Match::kSameGroup},
      {DataSet::kCompanies, 1, true, G, Match::kSameGroup},      // an admin in the group
      {DataSet::kCompanies, 3, true, G, Match::kSameGroup},      // inactive, same group: counts
      {DataSet::kCompanies, 5, true, G, Match::kSameGroup},      // free, same group: counts
      {DataSet::kCompanies, 4, false, G, Match::kOtherGroup},    // another group
      {DataSet::kCompanies, 0, false, G, Match::kOtherGroup},    // nobody
      {DataSet::kCompanies, 999, false, G, Match::kOtherGroup},  // not in the account
      {DataSet::kTasks, 8, false, D, Match::kNotCompared},
      {DataSet::kTasks, 0, false, D, Match::kNotCompared},
  };
  for (const Row& row : table) {
    const Decision d = policy->Check(8, Action::kView, Record(row.data_set, row.responsible));
    EXPECT_EQ(d.allowed, row.allowed)
        << domain::DataSetName(row.data_set) << " " << row.responsible;
    EXPECT_EQ(d.rule, Rule::kGeneralRight);
    EXPECT_EQ(d.level, row.level);
    EXPECT_EQ(d.match, row.match) << domain::DataSetName(row.data_set) << " " << row.responsible;
  }
}

TEST(AccountPolicyTest, CheckByHandleEqualsCheckById) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, G);
  auto policy = BuildWith(rights);
  const auto* user = policy->FindUser(8);
  ASSERT_NE(user, nullptr);
  for (domain::UserId responsible : {0, 1, 2, 3, 4, 8, 999}) {
    const Decision a = policy->Check(8, Action::kEdit, Lead(responsible));
    const Decision b = policy->Check(user, Action::kEdit, Lead(responsible));
    EXPECT_EQ(a.allowed, b.allowed);
    EXPECT_EQ(a.rule, b.rule);
    EXPECT_EQ(a.match, b.match);
  }
}

TEST(AccountPolicyTest, BuildNormalizesDefensively) {
  domain::Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, M);
  rights.Set(DataSet::kLeads, Action::kEdit, A);  // stored wider than view
  rights.Set(DataSet::kLeads, Action::kDelete, A);
  rights.Set(DataSet::kLeads, Action::kExport, G);
  auto policy = BuildWith(rights);
  for (Action action : {Action::kEdit, Action::kDelete, Action::kExport}) {
    const Decision other = policy->Check(8, action, Lead(2));
    EXPECT_FALSE(other.allowed) << domain::ActionName(action);
    EXPECT_EQ(other.level, M);
    EXPECT_TRUE(policy->Check(8, action, Lead(8)).allowed);
  }
}

TEST(AccountPolicyTest, StageRightNarrowsAndWidens) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, M);
  rights.stage_rights = {
      Stage(3, 11,
            {{Action::kView, A},
             {Action::kEdit, A},
             {Action::kDelete, A},
             {Action::kExport, A}}),  // widens
      Stage(3, 12,
            {{Action::kView, D},
             {Action::kEdit, D},
             {Action::kDelete, D},
             {Action::kExport, D}}),  // narrows
  };
  auto policy = BuildWith(rights);
  for (Action action : domain::kStageActions) {
    const Decision wide = policy->Check(8, action, Lead(4, 3, 11));
    EXPECT_TRUE(wide.allowed);
    EXPECT_EQ(wide.rule, Rule::kStageRight);
    EXPECT_EQ(wide.level, A);
    const Decision narrow = policy->Check(8, action, Lead(8, 3, 12));
    EXPECT_FALSE(narrow.allowed);
    EXPECT_EQ(narrow.rule, Rule::kStageRight);
    EXPECT_EQ(narrow.level, D);
    const Decision general = policy->Check(8, action, Lead(8, 3, 10));
    EXPECT_TRUE(general.allowed);
    EXPECT_EQ(general.rule, Rule::kGeneralRight);
    EXPECT_EQ(general.match, Match::kResponsible);
    // The same status in another pipeline is another stage.
    EXPECT_EQ(policy->Check(8, action, Lead(4, 4, 11)).rule, Rule::kGeneralRight);
    EXPECT_FALSE(policy->Check(8, action, Lead(4, 4, 11)).allowed);
  }
}

TEST(AccountPolicyTest, StageEntryThatSetsSomeActionsKeepsTheOthersAndReappliesTheChain) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, A);
  rights.Set(DataSet::kLeads, Action::kEdit, G);
  rights.Set(DataSet::kLeads, Action::kDelete, M);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, M}}), Stage(3, 12, {{Action::kExport, D}})};
  auto policy = BuildWith(rights);
  // Stage (3, 11) sets view M: edit G, delete M and export A from the general rights are
  // narrowed to M by the chain.
  for (Action action : domain::kStageActions) {
    const Decision d = policy->Check(8, action, Lead(2, 3, 11));
    EXPECT_EQ(d.rule, Rule::kStageRight) << domain::ActionName(action);
    EXPECT_EQ(d.level, M) << domain::ActionName(action);
    EXPECT_FALSE(d.allowed);
  }
  // Stage (3, 12) sets only export: view, edit, delete keep their general levels.
  EXPECT_EQ(policy->Check(8, Action::kView, Lead(4, 3, 12)).level, A);
  EXPECT_EQ(policy->Check(8, Action::kEdit, Lead(4, 3, 12)).level, G);
  EXPECT_FALSE(policy->Check(8, Action::kEdit, Lead(4, 3, 12)).allowed);
  EXPECT_TRUE(policy->Check(8, Action::kEdit, Lead(2, 3, 12)).allowed);
  EXPECT_EQ(policy->Check(8, Action::kDelete, Lead(4, 3, 12)).level, M);
  EXPECT_EQ(policy->Check(8, Action::kExport, Lead(8, 3, 12)).level, D);
  EXPECT_EQ(policy->Check(8, Action::kView, Lead(4, 3, 12)).rule, Rule::kStageRight);
}

TEST(AccountPolicyTest, StageEntryCannotWidenBeyondAWiderDependency) {
  domain::Rights rights;
  rights.Set(DataSet::kLeads, Action::kView, M);
  rights.stage_rights = {Stage(3, 11, {{Action::kEdit, A}})};
  auto policy = BuildWith(rights);
  const Decision d = policy->Check(8, Action::kEdit, Lead(2, 3, 11));
  EXPECT_EQ(d.rule, Rule::kStageRight);
  EXPECT_EQ(d.level, M);  // edit A merged with general view M: edit <= view
  EXPECT_FALSE(d.allowed);
}

TEST(AccountPolicyTest, AddNeverUsesStageRights) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, A);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, D}})};
  auto policy = BuildWith(rights);
  const Decision d = policy->Check(8, Action::kAdd, Lead(0, 3, 11));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, Rule::kGeneralRight);
  EXPECT_FALSE(policy->Check(8, Action::kView, Lead(0, 3, 11)).allowed);
}

TEST(AccountPolicyTest, StageRightsApplyToLeadsOnly) {
  domain::Rights rights;
  SetAll(rights, DataSet::kContacts, A);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, D}})};
  auto policy = BuildWith(rights);
  const Decision d = policy->Check(8, Action::kView, RecordRef{DataSet::kContacts, 0, 3, 11});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, Rule::kGeneralRight);
}

TEST(AccountPolicyTest, WonAndLostAreSeparateStagesInEachPipeline) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, D);
  rights.stage_rights = {Stage(3, domain::kWonStatusId, {{Action::kView, A}}),
                         Stage(4, domain::kLostStatusId, {{Action::kView, A}})};
  auto policy = BuildWith(rights);
  EXPECT_TRUE(policy->Check(8, Action::kView, Lead(0, 3, 142)).allowed);
  EXPECT_FALSE(policy->Check(8, Action::kView, Lead(0, 3, 143)).allowed);
  EXPECT_FALSE(policy->Check(8, Action::kView, Lead(0, 4, 142)).allowed);
  EXPECT_TRUE(policy->Check(8, Action::kView, Lead(0, 4, 143)).allowed);
  EXPECT_EQ(policy->Check(8, Action::kView, Lead(0, 4, 142)).rule, Rule::kGeneralRight);
  EXPECT_EQ(policy->Check(8, Action::kView, Lead(0, 4, 143)).rule, Rule::kStageRight);
}

TEST(AccountPolicyTest, StageEntryWithNothingSetStillDecidesWithGeneralLevels) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, G);
  rights.stage_rights = {Stage(3, 11, {})};
  auto policy = BuildWith(rights);
  const Decision d = policy->Check(8, Action::kView, Lead(2, 3, 11));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, Rule::kStageRight);
  EXPECT_EQ(d.level, G);
}

TEST(AccountPolicyTest, FeaturesAndAdminFlag) {
  domain::AccountModel model = BaseModel();
  model.users[7].rights.catalog_access = true;
  model.users[1].rights.mail_access = true;
  model.users[1].rights.files_access = true;
  model.users[4].rights.catalog_access = true;  // free: still no
  model.users[2].rights.catalog_access = true;  // inactive: still no
  auto policy = AccountPolicy::Build(model);
  EXPECT_TRUE(policy->HasFeature(8, domain::Feature::kLists));
  EXPECT_FALSE(policy->HasFeature(8, domain::Feature::kSharedInbox));
  EXPECT_TRUE(policy->HasFeature(2, domain::Feature::kSharedInbox));
  EXPECT_TRUE(policy->HasFeature(2, domain::Feature::kFiles));
  EXPECT_FALSE(policy->HasFeature(5, domain::Feature::kLists));
  EXPECT_FALSE(policy->HasFeature(3, domain::Feature::kLists));
  EXPECT_FALSE(policy->HasFeature(999, domain::Feature::kLists));
  EXPECT_TRUE(policy->HasFeature(1, domain::Feature::kSharedInbox));
  EXPECT_FALSE(policy->HasFeature(6, domain::Feature::kSharedInbox));

  EXPECT_TRUE(policy->IsAdmin(1));
  EXPECT_FALSE(policy->IsAdmin(6));  // inactive
  EXPECT_FALSE(policy->IsAdmin(2));
  EXPECT_FALSE(policy->IsAdmin(999));
}

TEST(AccountPolicyTest, GroupOfAnswersForEveryKnownUser) {
  auto policy = AccountPolicy::Build(BaseModel());
  EXPECT_EQ(policy->GroupOf(4), 2);
  EXPECT_EQ(policy->GroupOf(3), 1);  // inactive users keep their group
  EXPECT_EQ(policy->GroupOf(999), std::nullopt);
  EXPECT_EQ(policy->GroupOf(0), std::nullopt);
}

TEST(AccountPolicyTest, ActiveStateOfEveryKindOfUser) {
  auto policy = AccountPolicy::Build(BaseModel());
  EXPECT_TRUE(policy->IsActive(1));   // administrator
  EXPECT_TRUE(policy->IsActive(2));   // plain user
  EXPECT_TRUE(policy->IsActive(5));   // free users may log in
  EXPECT_FALSE(policy->IsActive(3));  // deactivated
  EXPECT_FALSE(policy->IsActive(6));  // deactivated administrator
  EXPECT_FALSE(policy->IsActive(999));
  EXPECT_TRUE(policy->IsActivePaid(1));
  EXPECT_TRUE(policy->IsActivePaid(2));
  EXPECT_FALSE(policy->IsActivePaid(5));
  EXPECT_FALSE(policy->IsActivePaid(3));
  EXPECT_FALSE(policy->IsActivePaid(999));
}

TEST(AccountPolicyTest, FreeAdministratorIsNoAdministrator) {
  domain::AccountModel model = BaseModel();
  model.users[0].is_free = true;
  ASSERT_TRUE(model.users[0].is_admin);
  auto policy = AccountPolicy::Build(model);
  EXPECT_FALSE(policy->IsAdmin(model.users[0].id));
  EXPECT_FALSE(policy->Check(model.users[0].id, Action::kView, Lead(0, 3, 11)).allowed);
}

TEST(AccountPolicyTest, VersionIncreasesWithEveryBuild) {
  auto a = AccountPolicy::Build(BaseModel());
  auto b = AccountPolicy::Build(BaseModel());
  EXPECT_LT(a->version(), b->version());
  EXPECT_EQ(a->account_id(), 1);
}

TEST(AccountPolicyTest, ManyUsersWithScatteredIds) {
  domain::AccountModel model{.id = 2};
  // Strided, negative and huge ids exercise the id table's probing.
  std::vector<domain::UserId> ids;
  for (int i = 0; i < 3000; ++i) ids.push_back(static_cast<domain::UserId>(i) * 1024 + 7);
  ids.push_back(-5);
  ids.push_back(std::numeric_limits<domain::UserId>::max());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    domain::User user = MakeUser(ids[i], static_cast<domain::GroupId>(i % 7));
    SetAll(user.rights, DataSet::kLeads, G);
    model.users.push_back(user);
  }
  auto policy = AccountPolicy::Build(model);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_NE(policy->FindUser(ids[i]), nullptr) << ids[i];
    const std::size_t other = (i * 31 + 5) % ids.size();
    const bool same_group = (i % 7) == (other % 7);
    EXPECT_EQ(policy->Check(ids[i], Action::kView, Lead(ids[other])).allowed, same_group);
  }
  EXPECT_EQ(policy->FindUser(8), nullptr);
  EXPECT_EQ(policy->FindUser(1024 * 3000 + 7), nullptr);
}

TEST(AccountPolicyTest, DenseIdsAroundZeroAndTheirNeighbours) {
  domain::AccountModel model;
  for (domain::UserId id = -3; id <= 5; ++id) {
    if (id == 2) continue;  // a hole inside the dense range
    domain::User user = MakeUser(id, id % 2 == 0 ? 1 : 2);
    SetAll(user.rights, DataSet::kLeads, G);
    model.users.push_back(user);
  }
  auto policy = AccountPolicy::Build(model);
  for (domain::UserId id :
       {domain::UserId{-4}, domain::UserId{2}, domain::UserId{6},
        std::numeric_limits<domain::UserId>::min(), std::numeric_limits<domain::UserId>::max()}) {
    EXPECT_EQ(policy->FindUser(id), nullptr) << id;
    EXPECT_EQ(policy->Check(id, Action::kView, Lead(4)).rule, Rule::kUnknownUser) << id;
  }
  EXPECT_TRUE(policy->Check(4, Action::kView, Lead(-2)).allowed);
  EXPECT_FALSE(policy->Check(4, Action::kView, Lead(-3)).allowed);
  EXPECT_FALSE(policy->Check(4, Action::kView, Lead(2)).allowed);  // the hole is nobody
  EXPECT_FALSE(
      policy->Check(domain::UserId{0}, Action::kView, Lead(0)).allowed);  // 0 never matches
  EXPECT_TRUE(policy->Check(domain::UserId{0}, Action::kView, Lead(4)).allowed);
}

TEST(AccountPolicyTest, RepeatedUserIdKeepsTheFirst) {
  domain::AccountModel model = BaseModel();
  domain::User twin = MakeUser(8, 2);
  SetAll(twin.rights, DataSet::kLeads, D);
  model.users.push_back(twin);
  auto policy = AccountPolicy::Build(model);
  EXPECT_TRUE(policy->Check(8, Action::kView, Lead(0)).allowed);
  EXPECT_EQ(policy->Explain(8, Action::kView, Lead(0)).user_group_id, 1);
}

TEST(AccountPolicyTest, EmptyAccount) {
  auto policy = AccountPolicy::Build(domain::AccountModel{});
  EXPECT_EQ(policy->Check(1, Action::kView, Lead(1)).rule, Rule::kUnknownUser);
  EXPECT_TRUE(policy->CompileFilter(1, DataSet::kLeads, Action::kView).MatchesNothing());
}

}  // namespace
}  // namespace gatehouse::policy

namespace gatehouse::policy {
namespace {

TEST(DecisionTest, RuleAndMatchNames) {
  const std::vector<std::pair<Rule, std::string>> rules = {
      {Rule::kUnknownUser, "unknown_user"},     {Rule::kInactiveUser, "inactive_user"},
      {Rule::kFreeUser, "free_user"},           {Rule::kAdmin, "admin"},
      {Rule::kNotApplicable, "not_applicable"}, {Rule::kGeneralRight, "general_right"},
      {Rule::kStageRight, "stage_right"}};
  for (const auto& [rule, name] : rules) EXPECT_EQ(RuleName(rule), name);
  const std::vector<std::pair<Match, std::string>> matches = {
      {Match::kNotCompared, "not_compared"},
      {Match::kResponsible, "responsible"},
      {Match::kNotResponsible, "not_responsible"},
      {Match::kSameGroup, "same_group"},
      {Match::kOtherGroup, "other_group"}};
  for (const auto& [match, name] : matches) EXPECT_EQ(MatchName(match), name);
  const Decision fresh;
  EXPECT_FALSE(fresh.allowed);  // denies by default
  EXPECT_EQ(fresh.rule, Rule::kUnknownUser);
}

// Customers have the leads' row of the matrix (SPEC §1) and never the leads' stage rights,
// whatever pipeline and status a caller puts in the reference.
TEST(AccountPolicyTest, CustomersTakeTheLeadsGeneralRightsWithoutStageRights) {
  domain::Rights rights;
  SetAll(rights, DataSet::kLeads, M);
  SetAll(rights, DataSet::kContacts, A);  // another row: must not leak into customers
  rights.Set(DataSet::kLeads, Action::kAdd, A);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, A}, {Action::kEdit, A}})};
  auto policy = BuildWith(rights);
  const RecordRef own{DataSet::kCustomers, 8, 0, 0};
  const RecordRef others{DataSet::kCustomers, 2, 0, 0};
  const RecordRef in_stage{DataSet::kCustomers, 2, 3, 11};
  for (Action action : {Action::kView, Action::kEdit, Action::kDelete, Action::kExport}) {
    EXPECT_TRUE(policy->Check(8, action, own).allowed);
    const Decision d = policy->Check(8, action, others);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.rule, Rule::kGeneralRight);
    EXPECT_EQ(d.level, M);
    const Decision staged = policy->Check(8, action, in_stage);
    EXPECT_FALSE(staged.allowed) << "a stage right applied to a customer";
    EXPECT_EQ(staged.rule, Rule::kGeneralRight);
  }
  EXPECT_TRUE(policy->Check(8, Action::kAdd, others).allowed);
  EXPECT_FALSE(policy->Check(8, Action::kAccept, own).allowed);  // not a customers action
  // The lead in that stage does get the stage right.
  EXPECT_TRUE(policy->Check(8, Action::kView, Lead(2, 3, 11)).allowed);
  const ListFilter filter = policy->CompileFilter(8, DataSet::kCustomers, Action::kView);
  EXPECT_TRUE(filter.stages.empty());
  EXPECT_TRUE(filter.Matches(own));
  EXPECT_FALSE(filter.Matches(in_stage));
  const Explanation why = policy->Explain(8, Action::kEdit, others);
  ASSERT_FALSE(why.reasons.empty());
  EXPECT_NE(why.reasons[0].text.find("leads.edit"), std::string::npos) << why.reasons[0].text;
  EXPECT_NE(why.reasons[0].text.find("customers have the leads' rights"), std::string::npos);
}

TEST(AccountPolicyTest, KnowsWhichKindsHaveCustomFields) {
  domain::AccountModel model = BaseModel();
  EXPECT_FALSE(AccountPolicy::Build(model)->HasCustomFields(DataSet::kLeads));
  model.custom_fields = {{DataSet::kContacts, 7}, {DataSet::kCustomers, 9}};
  auto policy = AccountPolicy::Build(model);
  EXPECT_FALSE(policy->HasCustomFields(DataSet::kLeads));
  EXPECT_TRUE(policy->HasCustomFields(DataSet::kContacts));
  EXPECT_FALSE(policy->HasCustomFields(DataSet::kCompanies));
  EXPECT_TRUE(policy->HasCustomFields(DataSet::kCustomers));
}

}  // namespace
}  // namespace gatehouse::policy
