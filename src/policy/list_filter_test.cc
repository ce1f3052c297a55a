#include "policy/list_filter.h"

#include <gtest/gtest.h>

#include "policy/account_policy.h"
#include "policy/policy_test_util.h"

namespace gatehouse::policy {
namespace {

Audience None() { return Audience{}; }

TEST(AudienceTest, Admits) {
  EXPECT_FALSE(None().Admits(1));
  EXPECT_FALSE(None().Admits(0));
  EXPECT_TRUE(All().Admits(1));
  EXPECT_TRUE(All().Admits(0));
  const Audience some = In({2, 5, 9});
  EXPECT_TRUE(some.Admits(2));
  EXPECT_TRUE(some.Admits(9));
  EXPECT_FALSE(some.Admits(3));
  EXPECT_FALSE(some.Admits(0));
  EXPECT_FALSE(In({0, 4}).Admits(0));  // 0 never is, even if listed
}

TEST(ListFilterTest, MatchesUsesTheStageAudienceForLeadsOnly) {
  const ListFilter filter{.otherwise = In({7}),
                          .stages = {{{3, 11}, All()}, {{3, 142}, None()}, {{4, 142}, In({8})}}};
  EXPECT_TRUE(filter.Matches({DataSet::kLeads, 7, 3, 10}));
  EXPECT_FALSE(filter.Matches({DataSet::kLeads, 8, 3, 10}));
  EXPECT_TRUE(filter.Matches({DataSet::kLeads, 8, 3, 11}));
  EXPECT_TRUE(filter.Matches({DataSet::kLeads, 0, 3, 11}));
  EXPECT_FALSE(filter.Matches({DataSet::kLeads, 7, 3, 142}));
  EXPECT_TRUE(filter.Matches({DataSet::kLeads, 8, 4, 142}));
  EXPECT_FALSE(filter.Matches({DataSet::kLeads, 7, 4, 142}));
  EXPECT_TRUE(filter.Matches({DataSet::kLeads, 7, 4, 143}));
  // A contact carries no stage: `otherwise` decides.
  EXPECT_FALSE(filter.Matches({DataSet::kContacts, 8, 3, 11}));
  EXPECT_TRUE(filter.Matches({DataSet::kContacts, 7, 3, 142}));
}

TEST(ListFilterTest, MatchesNothingAndEverything) {
  ListFilter nothing;
  EXPECT_TRUE(nothing.MatchesNothing());
  EXPECT_FALSE(nothing.MatchesEverything());
  const ListFilter everything{.otherwise = All()};
  EXPECT_TRUE(everything.MatchesEverything());
  EXPECT_FALSE(everything.MatchesNothing());
  const ListFilter some{.otherwise = In({1})};
  EXPECT_FALSE(some.MatchesNothing());
  EXPECT_FALSE(some.MatchesEverything());
  const ListFilter none_but_stage{.stages = {{{3, 11}, In({1})}}};
  EXPECT_FALSE(none_but_stage.MatchesNothing());
  const ListFilter all_but_stage{.otherwise = All(), .stages = {{{3, 11}, None()}}};
  EXPECT_FALSE(all_but_stage.MatchesEverything());
}

// Account 1, groups 1 and 2: users 1 (admin), 2, 3 (inactive), 4 (group 2), 5 (free), 8 (the
// user under test), 9 (group 1, free and inactive), 10 (group 3, alone).
domain::AccountModel Model(domain::Rights rights_of_8) {
  domain::AccountModel model{.id = 1, .groups = {{1, "Sales"}, {2, "Marketing"}, {3, "Solo"}}};
  auto add = [&model](domain::UserId id, domain::GroupId group) -> domain::User& {
    return testing::AddUser(model, id, group);
  };
  add(1, 1).is_admin = true;
  add(2, 1);
  add(3, 1).is_active = false;
  add(4, 2);
  add(5, 1).is_free = true;
  add(8, 1).rights = std::move(rights_of_8);
  domain::User& nine = add(9, 1);
  nine.is_free = true;
  nine.is_active = false;
  add(10, 3).rights = model.users[5].rights;
  return model;
}

void SetLeads(domain::Rights& rights, Level level) {
  for (Action action : domain::kStageActions) rights.Set(DataSet::kLeads, action, level);
}

TEST(CompileFilterTest, EachGeneralLevel) {
  domain::Rights rights;
  rights.Set(DataSet::kContacts, Action::kView, A);
  rights.Set(DataSet::kContacts, Action::kAdd, A);
  rights.Set(DataSet::kCompanies, Action::kView, M);
  rights.Set(DataSet::kTasks, Action::kView, G);
  auto policy = AccountPolicy::Build(Model(rights));

  EXPECT_EQ(policy->CompileFilter(8, DataSet::kContacts, Action::kView), (ListFilter{All(), {}}));
  EXPECT_EQ(policy->CompileFilter(8, DataSet::kContacts, Action::kAdd), (ListFilter{All(), {}}));
  EXPECT_EQ(policy->CompileFilter(8, DataSet::kCompanies, Action::kView),
            (ListFilter{In({8}), {}}));
  // G: every user of group 1 whatever their state, admins included.
  EXPECT_EQ(policy->CompileFilter(8, DataSet::kTasks, Action::kView),
            (ListFilter{In({1, 2, 3, 5, 8, 9}), {}}));
  EXPECT_TRUE(policy->CompileFilter(8, DataSet::kContacts, Action::kEdit).MatchesNothing());
  EXPECT_TRUE(policy->CompileFilter(8, DataSet::kLeads, Action::kAdd).MatchesNothing());
}

TEST(CompileFilterTest, GatesAndNotApplicable) {
  domain::Rights rights;
  SetLeads(rights, A);
  auto policy = AccountPolicy::Build(Model(rights));
  for (domain::UserId id : {3, 5, 9, 999}) {
    EXPECT_TRUE(policy->CompileFilter(id, DataSet::kLeads, Action::kView).MatchesNothing()) << id;
  }
  EXPECT_TRUE(policy->CompileFilter(1, DataSet::kLeads, Action::kView).MatchesEverything());
  EXPECT_TRUE(policy->CompileFilter(1, DataSet::kTasks, Action::kExport).MatchesEverything());
  EXPECT_TRUE(policy->CompileFilter(8, DataSet::kTasks, Action::kExport).MatchesNothing());
  EXPECT_TRUE(policy->CompileFilter(8, DataSet::kLeads, Action::kAccept).MatchesNothing());
}

TEST(CompileFilterTest, StagesListOnlyAudiencesThatDiffer) {
  domain::Rights rights;
  SetLeads(rights, M);
  rights.stage_rights = {
      Stage(3, 11, {{Action::kView, A}}),
      Stage(3, 12, {{Action::kView, M}}),  // same as general: not listed
      Stage(3, 142, {{Action::kView, D}}),
      Stage(4, 143, {{Action::kView, G}}),
      Stage(4, 20, {{Action::kEdit, A}}),  // sets edit only: view stays M
  };
  auto policy = AccountPolicy::Build(Model(rights));
  const ListFilter view = policy->CompileFilter(8, DataSet::kLeads, Action::kView);
  EXPECT_EQ(view.otherwise, In({8}));
  EXPECT_EQ(view.stages,
            (std::vector<StageAudience>{
                {{3, 11}, All()}, {{3, 142}, None()}, {{4, 143}, In({1, 2, 3, 5, 8, 9})}}));
  // Edit: (3, 11) and (4, 143) widen view only, edit stays the general M; (4, 20) sets edit A,
  // capped by view M; only (3, 142), view D, narrows edit to D.
  const ListFilter edit = policy->CompileFilter(8, DataSet::kLeads, Action::kEdit);
  EXPECT_EQ(edit.otherwise, In({8}));
  EXPECT_EQ(edit.stages, (std::vector<StageAudience>{{{3, 142}, None()}}));
}

TEST(CompileFilterTest, StageRightsDoNotReachAddOrOtherDataSets) {
  domain::Rights rights;
  rights.Set(DataSet::kLeads, Action::kAdd, A);
  rights.Set(DataSet::kContacts, Action::kView, M);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, A}})};
  auto policy = AccountPolicy::Build(Model(rights));
  EXPECT_EQ(policy->CompileFilter(8, DataSet::kLeads, Action::kAdd), (ListFilter{All(), {}}));
  EXPECT_EQ(policy->CompileFilter(8, DataSet::kContacts, Action::kView), (ListFilter{In({8}), {}}));
}

TEST(CompileFilterTest, EqualAudiencesFromDifferentLevelsAreNotListed) {
  // User 10 is alone in group 3: M and G admit the same users.
  domain::AccountModel model = Model({});
  domain::Rights& rights = model.users.back().rights;
  SetLeads(rights, G);
  rights.stage_rights = {Stage(3, 11, {{Action::kView, M}})};
  auto policy = AccountPolicy::Build(model);
  EXPECT_EQ(policy->CompileFilter(10, DataSet::kLeads, Action::kView), (ListFilter{In({10}), {}}));
}

// Every (user, data set, action) against every record of a small exhaustive set: the filter
// admits exactly what Check allows.
TEST(CompileFilterTest, MatchesAgreesWithCheckExhaustively) {
  const std::vector<domain::StageKey> stages = {{3, 11}, {3, 142}, {3, 143}, {4, 142}, {4, 20}};
  const Level levels[] = {D, M, G, A};
  std::vector<RecordRef> records;
  for (DataSet data_set : domain::kAllDataSets) {
    for (domain::UserId responsible : {0, 1, 2, 3, 4, 5, 8, 9, 10, 77}) {
      for (const domain::StageKey& stage : stages) {
        records.push_back({data_set, responsible, stage.pipeline_id, stage.status_id});
      }
      records.push_back({data_set, responsible, 5, 142});
    }
  }
  int compared = 0;
  for (int variant = 0; variant < 64; ++variant) {
    domain::Rights rights;
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        Level level =
            levels[(variant + static_cast<int>(data_set) * 3 + static_cast<int>(action)) % 4];
        if (domain::TakesOnlyAllowedOrDenied(data_set, action)) level = level >= G ? A : D;
        rights.Set(data_set, action, level);
      }
    }
    for (std::size_t s = 0; s < stages.size(); ++s) {
      if ((variant >> (s % 5)) & 1) continue;
      domain::StageRights entry{.stage = stages[s]};
      for (std::size_t a = 0; a < 4; ++a) {
        if ((variant + s + a) % 3 != 0) entry.levels[a] = levels[(variant * 7 + s + a) % 4];
      }
      rights.stage_rights.push_back(entry);
    }
    auto policy = AccountPolicy::Build(Model(rights));
    for (domain::UserId user : {1, 2, 3, 5, 8, 10, 999}) {
      for (DataSet data_set : domain::kAllDataSets) {
        for (Action action : domain::kAllActions) {
          const ListFilter filter = policy->CompileFilter(user, data_set, action);
          for (std::size_t i = 1; i < filter.stages.size(); ++i) {
            EXPECT_LT(filter.stages[i - 1].stage, filter.stages[i].stage);
          }
          for (const StageAudience& entry : filter.stages) {
            EXPECT_NE(entry.audience, filter.otherwise);
          }
          for (const RecordRef& record : records) {
            if (record.data_set != data_set) continue;
            ASSERT_EQ(filter.Matches(record), policy->Check(user, action, record).allowed)
                << "variant " << variant << " user " << user << " " << domain::DataSetName(data_set)
                << "." << domain::ActionName(action) << " responsible "
                << record.responsible_user_id << " stage (" << record.pipeline_id << ", "
                << record.status_id << ")";
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 100000);
}

}  // namespace
}  // namespace gatehouse::policy
