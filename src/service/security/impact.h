// Impact preview (SPEC §6): before a change to a user's or a role's rights is saved, how many
// records each affected user would gain or lose, per data set and action.
//
// A preview takes the same input as the save it previews (UserPatch as PATCH /api/v4/users/{id}
// applies it, RoleInput as PATCH /api/v4/roles/{id}), validates it with the very functions the
// save uses (CheckUserPatch, ApplyRoleInput), and then compares two compiled policies, the
// current one and one built from a copy of the account model with the change applied. Nothing
// is written.
//
// What is compared, for every user of the account (not only the edited user or the role's
// holders: a change of group also changes what team-wide colleagues see) and every (data set,
// action) pair of SPEC §2 in its order:
//   - the general level (level_before / level_after) as it applies: A for an active, paid
//     administrator, D for a deactivated or free user, else the user's stored level;
//   - the compiled list filter (stage rights and group membership included).
// A pair is reported when either differs. Its gain is the number of stored records the new
// filter admits and the old one does not, its lose the reverse, both counted by
// AccountReader::CountPermissionDifference (from the totals per responsible user and stage for
// leads, contacts, companies and tasks; in SQL for incoming leads), once per distinct pair of
// filters; equal filters count 0 without a query. `add`,
// `accept` and `decline` are reported as level changes only (gain and lose unset): `add` is
// about records that do not exist yet, and accepting or declining applies to incoming leads
// still waiting, all or none. Incoming leads `view` is counted over every stored incoming lead.
//
// Field rights (issue 15 §3): for every user and every defined custom field of leads, contacts
// and companies, whether the user may view and edit it before and after (the engine's
// CanViewField / CanEditField on the two policies); a field is reported when either differs.
//
// Errors: kPermissionDenied unless the caller is an administrator; the save's own errors
// (kInvalidArgument with field paths, kNotFound for an unknown user or role, the last
// administrator and seat rules); storage errors as they come.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/admin/admin.h"
#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"

namespace gatehouse::service {

// One (data set, action) pair whose access would change for one user.
struct ImpactChange {
  domain::DataSet data_set = domain::DataSet::kLeads;
  domain::Action action = domain::Action::kView;
  domain::Level level_before = domain::Level::kDenied;
  domain::Level level_after = domain::Level::kDenied;
  // Records admitted after and not before (gain), before and not after (lose). Unset for the
  // actions reported as a level change only (add, accept, decline).
  std::optional<std::int64_t> gain{};
  std::optional<std::int64_t> lose{};
};

// One custom field whose view or edit right would change for one user (issue 15 §3): the
// engine's CanViewField / CanEditField before and after, so an administrator made or unmade,
// a deactivated user and a role holder following the role all show as they apply.
struct ImpactFieldChange {
  domain::DataSet data_set = domain::DataSet::kLeads;  // leads, contacts or companies
  std::int64_t field_id = 0;
  std::string field_name{};
  bool view_before = false;
  bool view_after = false;
  bool edit_before = false;
  bool edit_after = false;
};

struct UserImpact {
  domain::UserId user_id = 0;
  std::string name{};
  std::vector<ImpactChange> changes{};  // data sets and actions in SPEC §2 order
  // Fields by data set (leads, contacts, companies), then in the definitions' order. A user is
  // reported when changes or field_changes is not empty.
  std::vector<ImpactFieldChange> field_changes{};
};

struct ImpactReport {
  std::vector<UserImpact> users{};  // by user id; only users with at least one change
  std::int64_t gain = 0;            // sums of every counted gain and lose
  std::int64_t lose = 0;
  std::int64_t field_changes = 0;  // field_changes entries over every user
  // The edited user or role exactly as the save would store it: validated, normalized (an
  // action never wider than what it depends on), a hand edit detached from its role. Lets the
  // console narrow dependent cells as the server does instead of re-implementing the rule.
  // Set by PreviewUserChange (user) or PreviewRoleChange (role); CompareAccess sets neither.
  std::optional<domain::User> user{};
  std::optional<domain::Role> role{};
};

// The comparison alone: `before` and `after` are the same account's model (same users) before
// and after a change; records are counted through `reader`.
base::Result<ImpactReport> CompareAccess(const storage::AccountReader& reader,
                                         const domain::AccountModel& before,
                                         const domain::AccountModel& after);

}  // namespace gatehouse::service
