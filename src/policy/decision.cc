#include "policy/decision.h"

namespace gatehouse::policy {

const char* RuleName(Rule rule) {
  switch (rule) {
    case Rule::kUnknownUser:
      return "unknown_user";
    case Rule::kInactiveUser:
      return "inactive_user";
    case Rule::kFreeUser:
      return "free_user";
    case Rule::kAdmin:
      return "admin";
    case Rule::kNotApplicable:
      return "not_applicable";
    case Rule::kGeneralRight:
      return "general_right";
    case Rule::kStageRight:
      return "stage_right";
  }
  return "unknown";
}

const char* MatchName(Match match) {
  switch (match) {
    case Match::kNotCompared:
      return "not_compared";
    case Match::kResponsible:
      return "responsible";
    case Match::kNotResponsible:
      return "not_responsible";
    case Match::kSameGroup:
      return "same_group";
    case Match::kOtherGroup:
      return "other_group";
  }
  return "unknown";
}

}  // namespace gatehouse::policy
