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

// ---- Field rights (issue 15 §3, SPEC §2 "Field rights") ----
// Written from API.md's wording, not from domain::NormalizeFieldRights or the engine: a user's
// (a role holder's: the role's) custom_fields_rights entries are read as sent, the last entry
// of a field wins, a field not listed is A/A, edit is never wider than view.

struct RefFieldAccess {
  bool view = false;
  bool edit = false;
};

// Whether `user_id` may view / edit custom field `field_id` of `data_set` (leads, contacts or
// companies): unknown, inactive or free users neither; administrators both; others from the
// entries of their rights, or of their role's when they hold one that `model` has (a role holder
// follows the role: roles.h copies it, the store re-applies it on every role edit).
RefFieldAccess RefFieldRights(const domain::AccountModel& model, domain::UserId user_id,
                              domain::DataSet data_set, std::int64_t field_id);
inline bool RefCanViewField(const domain::AccountModel& model, domain::UserId user_id,
                            domain::DataSet data_set, std::int64_t field_id) {
  return RefFieldRights(model, user_id, data_set, field_id).view;
}
inline bool RefCanEditField(const domain::AccountModel& model, domain::UserId user_id,
                            domain::DataSet data_set, std::int64_t field_id) {
  return RefFieldRights(model, user_id, data_set, field_id).edit;
}
// True when no field of `data_set` is hidden from the user: administrators; others (active,
// paid) when none of their entries of `data_set` ends up denying view. False for users who may
// not act on data.
bool RefSeesAllFields(const domain::AccountModel& model, domain::UserId user_id,
                      domain::DataSet data_set);
// Of `field_ids`, the ones the user may view, in the given order: which custom_fields_values a
// record shows the user (of the fields that hold values).
std::vector<std::int64_t> RefVisibleFields(const domain::AccountModel& model,
                                           domain::UserId user_id, domain::DataSet data_set,
                                           std::span<const std::int64_t> field_ids);
// "leads#12{view:A edit:D} ..." (entries as stored, in their order).
std::string FieldRightsToString(const std::vector<domain::FieldRight>& field_rights);

// Human-readable forms for failure messages: "leads{view:A add:D ...} ... stages[(1,142){view:M}]".
std::string RightsToString(const domain::Rights& rights);
std::string RecordToString(const domain::RecordRef& record);
std::string UserToString(const domain::User& user);
const char* ActionToString(domain::Action action);
const char* DataSetToString(domain::DataSet data_set);

}  // namespace gatehouse::model
