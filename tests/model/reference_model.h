// A deliberately naive reference model of the permission rules (../../shared/SPEC.md §2 and the
// contracts in src/policy/account_policy.h, list_filter.h and rights_validation.h).
//
// It exists only to be compared with the engine in src/policy, so it shares none of the
// engine's code: it reads the domain value types field by field, keeps its own copy of the SPEC
// tables (which action exists for which data set, which action depends on which), scans the user
// list linearly on every call and compiles nothing. Slow on purpose; obviously right is the goal.
//
// Every function is pure and thread-safe; nothing allocates beyond the returned values.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "domain/account.h"

namespace gatehouse::model {

// The rule that decided, mirroring policy::Rule word for word (kept separate on purpose).
enum class RefRule {
  kUnknownUser,
  kInactiveUser,
  kFreeUser,
  kAdmin,
  kNotApplicable,
  kGeneralRight,
  kStageRight,
};

// How the responsible user compared with the level, mirroring policy::Match.
enum class RefMatch {
  kNotCompared,
  kResponsible,
  kNotResponsible,
  kSameGroup,
  kOtherGroup,
};

struct RefDecision {
  bool allowed = false;
  RefRule rule = RefRule::kUnknownUser;
  // The effective level for kGeneralRight and kStageRight; kAllowed for kAdmin; kDenied otherwise.
  domain::Level level = domain::Level::kDenied;
  RefMatch match = RefMatch::kNotCompared;
};

const char* RefRuleName(RefRule rule);     // "unknown_user" ... "stage_right"
const char* RefMatchName(RefMatch match);  // "not_compared" ... "other_group"

// SPEC §2 table: leads/contacts/companies: view add edit delete export; tasks: view edit delete;
// incoming leads: view accept decline.
bool RefActionApplies(domain::DataSet data_set, domain::Action action);

// Returns `rights` normalized: in every data set edit <= view, delete <= view and edit,
// export <= view; inside each stage entry the same, among the actions the entry sets only;
// stage entries sorted by stage. Everything else is returned unchanged.
domain::Rights RefNormalize(domain::Rights rights);

// Decides whether `user_id` may perform `action` on `record` in `model`, straight from the table:
// unknown / inactive / free -> deny; admin -> allow; action not in the data set -> deny;
// level from the lead's stage entry (merged with the general lead rights, chain re-applied) or
// the general matrix; D deny, A allow, M iff responsible, G iff the responsible user is in the
// account and in the acting user's group. The user's rights are normalized first (RefNormalize).
RefDecision RefDecide(const domain::AccountModel& model, domain::UserId user_id,
                      domain::Action action, const domain::RecordRef& record);

inline bool RefCheck(const domain::AccountModel& model, domain::UserId user_id,
                     domain::Action action, const domain::RecordRef& record) {
  return RefDecide(model, user_id, action, record).allowed;
}

// Indexes (ascending) of the records of `data_set` in `records` that `user_id` may perform
// `action` on: what a list of that data set must show the user.
std::vector<std::size_t> RefVisible(const domain::AccountModel& model, domain::UserId user_id,
                                    domain::DataSet data_set, domain::Action action,
                                    std::span<const domain::RecordRef> records);

// Human-readable forms for failure messages: "leads{view:A add:D ...} ... stages[(1,142){view:M}]".
std::string RightsToString(const domain::Rights& rights);
std::string RecordToString(const domain::RecordRef& record);
std::string UserToString(const domain::User& user);
const char* ActionToString(domain::Action action);
const char* DataSetToString(domain::DataSet data_set);

}  // namespace gatehouse::model
