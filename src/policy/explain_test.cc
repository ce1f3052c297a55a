#include <gtest/gtest.h>

#include "policy/account_policy.h"
#include "policy/policy_test_util.h"

namespace gatehouse::policy {
namespace {

// Users: 1 admin, 3 inactive, 5 free, 17 and 8 in group 4 (Sales), 20 in group 6 (no name
// listed). User 8: leads view A, edit G, delete M; stage (3, 142) sets edit A; stage (3, 11)
// sets view D.
std::shared_ptr<const AccountPolicy> Policy() {
  domain::AccountModel model{.id = 1, .groups = {{4, "Sales"}}};
  auto add = [&model](domain::UserId id, domain::GroupId group) -> domain::User& {
    return testing::AddUser(model, id, group);
  };
  add(1, 4).is_admin = true;
  add(3, 4).is_active = false;
  add(5, 4).is_free = true;
  add(17, 4);
  add(20, 6);
  domain::Rights& rights = add(8, 4).rights;
  rights.Set(DataSet::kLeads, Action::kView, A);
  rights.Set(DataSet::kLeads, Action::kEdit, G);
  rights.Set(DataSet::kLeads, Action::kDelete, M);
  domain::StageRights won{.stage = {3, 142}};
  won.Set(Action::kEdit, A);
  domain::StageRights closed{.stage = {3, 11}};
  closed.Set(Action::kView, D);
  rights.stage_rights = {closed, won};
  return AccountPolicy::Build(model);
}

RecordRef LeadAtStage(domain::UserId responsible, domain::StatusId status = 10) {
  return RecordRef{DataSet::kLeads, responsible, 3, status};
}

std::vector<std::string> Codes(const Explanation& explanation) {
  std::vector<std::string> codes;
  for (const Reason& reason : explanation.reasons) codes.push_back(reason.code);
  return codes;
}

TEST(ExplainTest, Gates) {
  auto policy = Policy();
  struct Row {
    domain::UserId user;
    const char* code;
    const char* text;
  };
  const std::vector<Row> table = {
      {999, "unknown_user", "user 999 is not a user of account 1, so it is denied"},
      {3, "inactive_user", "user 3 is deactivated and may do nothing"},
      {5, "free_user", "user 5 is a free user (holds no paid seat) and acts on no data"},
      {1, "admin", "user 1 is an administrator and may do everything"},
  };
  for (const Row& row : table) {
    const Explanation e = policy->Explain(row.user, Action::kEdit, LeadAtStage(17));
    ASSERT_EQ(e.reasons.size(), 1u) << row.user;
    EXPECT_EQ(e.reasons[0].code, row.code);
    EXPECT_EQ(e.reasons[0].text, row.text);
    EXPECT_EQ(e.decision.allowed, row.user == 1);
  }
}

TEST(ExplainTest, NotApplicable) {
  const Explanation e = Policy()->Explain(8, Action::kExport, RecordRef{DataSet::kTasks, 8, 0, 0});
  EXPECT_EQ(Codes(e), std::vector<std::string>{"not_applicable"});
  EXPECT_EQ(e.reasons[0].text, "tasks.export does not exist: tasks have no export action");
  EXPECT_EQ(e.decision.rule, Rule::kNotApplicable);
}

TEST(ExplainTest, GeneralTeamWideSameGroup) {
  const Explanation e = Policy()->Explain(8, Action::kEdit, LeadAtStage(17));
  EXPECT_TRUE(e.decision.allowed);
  EXPECT_EQ(Codes(e), (std::vector<std::string>{"general_right", "group"}));
  EXPECT_EQ(e.reasons[0].text, "leads.edit is G (team-wide) for this user");
  EXPECT_EQ(e.reasons[1].text, "responsible user 17 is in group 4 (Sales), the user's group is 4");
  EXPECT_EQ(e.user_group_id, 4);
  EXPECT_EQ(e.responsible_group_id, 4);
  EXPECT_EQ(e.stage_rule, std::nullopt);
}

TEST(ExplainTest, GeneralTeamWideOtherGroupAndStrangers) {
  auto policy = Policy();
  Explanation e = policy->Explain(8, Action::kEdit, LeadAtStage(20));
  EXPECT_FALSE(e.decision.allowed);
  EXPECT_EQ(e.reasons[1].text, "responsible user 20 is in group 6, the user's group is 4");
  EXPECT_EQ(e.responsible_group_id, 6);
  e = policy->Explain(8, Action::kEdit, LeadAtStage(404));
  EXPECT_FALSE(e.decision.allowed);
  EXPECT_EQ(e.reasons[1].text, "responsible user 404 is not a user of this account");
  EXPECT_EQ(e.responsible_group_id, std::nullopt);
  e = policy->Explain(8, Action::kEdit, LeadAtStage(0));
  EXPECT_EQ(e.reasons[1].text, "the record has no responsible user, so no group matches");
}

TEST(ExplainTest, IfResponsible) {
  auto policy = Policy();
  Explanation e = policy->Explain(8, Action::kDelete, LeadAtStage(8));
  EXPECT_TRUE(e.decision.allowed);
  EXPECT_EQ(Codes(e), (std::vector<std::string>{"general_right", "responsible"}));
  EXPECT_EQ(e.reasons[0].text, "leads.delete is M (if responsible) for this user");
  EXPECT_EQ(e.reasons[1].text, "the user (8) is the record's responsible user");
  e = policy->Explain(8, Action::kDelete, LeadAtStage(17));
  EXPECT_FALSE(e.decision.allowed);
  EXPECT_EQ(e.reasons[1].text, "the responsible user is 17, not this user (8)");
  e = policy->Explain(8, Action::kDelete, LeadAtStage(0));
  EXPECT_EQ(e.reasons[1].text, "the record has no responsible user");
}

TEST(ExplainTest, StageRules) {
  auto policy = Policy();
  Explanation e = policy->Explain(8, Action::kEdit, LeadAtStage(20, 142));
  EXPECT_TRUE(e.decision.allowed);
  EXPECT_EQ(Codes(e), std::vector<std::string>{"stage_right"});
  EXPECT_EQ(e.reasons[0].text,
            "the lead is in stage (pipeline 3, status 142), where the user's special stage rights "
            "set edit to A");
  EXPECT_EQ(e.stage_rule, (domain::StageKey{3, 142}));

  e = policy->Explain(8, Action::kDelete, LeadAtStage(8, 142));
  EXPECT_EQ(Codes(e), (std::vector<std::string>{"stage_right", "responsible"}));
  EXPECT_EQ(e.reasons[0].text,
            "the lead is in stage (pipeline 3, status 142), where the user's special stage rights "
            "do not set delete, so the general level M applies");

  // View D at (3, 11) narrows edit, which the entry does not set, to D.
  e = policy->Explain(8, Action::kEdit, LeadAtStage(17, 11));
  EXPECT_FALSE(e.decision.allowed);
  EXPECT_EQ(e.decision.level, D);
  EXPECT_EQ(e.reasons[0].text,
            "the lead is in stage (pipeline 3, status 11), where the user's special stage rights "
            "do not set edit, so the general level G applies; the effective level is D (denied)");
}

TEST(ExplainTest, DecisionEqualsCheckEverywhere) {
  auto policy = Policy();
  int compared = 0;
  for (domain::UserId user : {1, 3, 5, 8, 17, 20, 999}) {
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        for (domain::UserId responsible : {0, 1, 8, 17, 20, 404}) {
          for (domain::StatusId status : {10, 11, 142, 143}) {
            const RecordRef record{data_set, responsible, 3, status};
            const Decision want = policy->Check(user, action, record);
            const Explanation got = policy->Explain(user, action, record);
            EXPECT_EQ(got.decision.allowed, want.allowed);
            EXPECT_EQ(got.decision.rule, want.rule);
            EXPECT_EQ(got.decision.level, want.level);
            EXPECT_EQ(got.decision.match, want.match);
            EXPECT_FALSE(got.reasons.empty());
            EXPECT_EQ(got.stage_rule.has_value(), want.rule == Rule::kStageRight);
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 7 * 5 * 7 * 6 * 4);
}

}  // namespace
}  // namespace gatehouse::policy
