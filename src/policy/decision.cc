#include "policy/decision.h"

#include "base/enum_names.h"

namespace gatehouse::policy {

namespace {

constexpr base::EnumNames<Rule, 7> kRuleNames{{{Rule::kUnknownUser, "unknown_user"},
                                               {Rule::kInactiveUser, "inactive_user"},
                                               {Rule::kFreeUser, "free_user"},
                                               {Rule::kAdmin, "admin"},
                                               {Rule::kNotApplicable, "not_applicable"},
                                               {Rule::kGeneralRight, "general_right"},
                                               {Rule::kStageRight, "stage_right"}}};

constexpr base::EnumNames<Match, 5> kMatchNames{{{Match::kNotCompared, "not_compared"},
                                                 {Match::kResponsible, "responsible"},
                                                 {Match::kNotResponsible, "not_responsible"},
                                                 {Match::kSameGroup, "same_group"},
                                                 {Match::kOtherGroup, "other_group"}}};

}  // namespace

const char* RuleName(Rule rule) { return base::NameOf(kRuleNames, rule); }

const char* MatchName(Match match) { return base::NameOf(kMatchNames, match); }

}  // namespace gatehouse::policy
