// What a permission check returns: allowed or not, and the rule that decided (Envoy's
// effective_policy_id). Small, trivially copyable, allocation-free.
#pragma once

#include <cstdint>

#include "domain/rights.h"

namespace gatehouse::policy {

enum class Rule : std::uint8_t {
  kUnknownUser,    // the acting user is not in the account: denied
  kInactiveUser,   // the acting user is deactivated: denied
  kFreeUser,       // a free user acts on no data: denied
  kAdmin,          // administrators may do everything: allowed
  kNotApplicable,  // the action does not exist for the data set (e.g. export of tasks): denied
  kGeneralRight,   // decided by rights[data_set][action]
  kStageRight,     // decided by the user's special rights for the lead's stage
};

// How the record's responsible user compared with the level.
enum class Match : std::uint8_t {
  kNotCompared,     // admin, denied or allowed outright: no comparison needed
  kResponsible,     // M, and the user is the responsible user
  kNotResponsible,  // M, and they are not
  kSameGroup,       // G, and the responsible user is in the user's group
  kOtherGroup,      // G, and they are not (or the record has no responsible user)
};

struct Decision {
  bool allowed = false;
  Rule rule = Rule::kUnknownUser;
  domain::Level level = domain::Level::kDenied;  // the effective level that applied
  Match match = Match::kNotCompared;
};

const char* RuleName(Rule rule);     // "unknown_user", "inactive_user", ... "stage_right"
const char* MatchName(Match match);  // "not_compared", "responsible", ...

}  // namespace gatehouse::policy
