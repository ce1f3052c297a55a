// Impact preview: the save's own validation on a copy of the model, two compiled policies, and
// one count per side of every filter that changed (from the totals, see impact.h).
#include "service/impact.h"

#include <algorithm>

#include "policy/account_policy.h"
#include "policy/roles.h"

namespace gatehouse::service {
namespace {

using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using domain::Level;

// Reported as a level change only: no stored record answers them (see impact.h).
bool Counted(DataSet data_set, Action action) {
  if (action == Action::kAdd) return false;
  if (data_set == DataSet::kIncomingLeads) return action == Action::kView;
  return true;
}

// The general level as the engine applies it: admins may do everything, users who may not act
// on data may do nothing, whatever their stored rights.
Level EffectiveLevel(const policy::AccountPolicy& policy, const domain::User& user,
                     DataSet data_set, Action action) {
  if (policy.IsAdmin(user.id)) return Level::kAllowed;
  if (!policy.IsActivePaid(user.id)) return Level::kDenied;
  return user.rights.Get(data_set, action);
}

// Counts through the reader once per distinct (data set, allowed, minus): the holders of a role
// often share filters (every A or D level, and stage audiences open to all).
class DifferenceCounter {
 public:
  explicit DifferenceCounter(const storage::AccountReader& reader) : reader_(reader) {}

  Result<std::int64_t> Count(DataSet data_set, const policy::ListFilter& allowed,
                             const policy::ListFilter& minus) {
    for (const Entry& entry : done_) {
      if (entry.data_set == data_set && entry.allowed == allowed && entry.minus == minus) {
        return entry.count;
      }
    }
    GH_ASSIGN_OR_RETURN(std::int64_t count,
                        reader_.CountPermissionDifference(data_set, allowed, minus));
    done_.push_back({data_set, allowed, minus, count});
    return count;
  }

 private:
  struct Entry {
    DataSet data_set;
    policy::ListFilter allowed;
    policy::ListFilter minus;
    std::int64_t count;
  };
  const storage::AccountReader& reader_;
  std::vector<Entry> done_;
};

// The changes of one user; counts only where the filters differ.
Result<std::vector<ImpactChange>> ChangesOf(DifferenceCounter& counter,
                                            const policy::AccountPolicy& before,
                                            const policy::AccountPolicy& after,
                                            const domain::User& old_user,
                                            const domain::User& new_user) {
  std::vector<ImpactChange> changes;
  for (DataSet data_set : domain::kAllDataSets) {
    for (Action action : domain::kAllActions) {
      if (!domain::ActionApplies(data_set, action)) continue;
      const policy::ListFilter old_filter = before.CompileFilter(old_user.id, data_set, action);
      const policy::ListFilter new_filter = after.CompileFilter(new_user.id, data_set, action);
      ImpactChange change;
      change.data_set = data_set;
      change.action = action;
      change.level_before = EffectiveLevel(before, old_user, data_set, action);
      change.level_after = EffectiveLevel(after, new_user, data_set, action);
      const bool same_filter = old_filter == new_filter;
      if (same_filter && change.level_before == change.level_after) continue;
      if (Counted(data_set, action)) {
        if (same_filter) {
          change.gain = change.lose = 0;
        } else {
          GH_ASSIGN_OR_RETURN(change.gain, counter.Count(data_set, new_filter, old_filter));
          GH_ASSIGN_OR_RETURN(change.lose, counter.Count(data_set, old_filter, new_filter));
        }
      }
      changes.push_back(change);
    }
  }
  return changes;
}

}  // namespace

Result<ImpactReport> CompareAccess(const storage::AccountReader& reader,
                                   const domain::AccountModel& before,
                                   const domain::AccountModel& after) {
  const auto old_policy = policy::AccountPolicy::Build(before);
  const auto new_policy = policy::AccountPolicy::Build(after);
  std::vector<const domain::User*> users;
  for (const domain::User& user : before.users) users.push_back(&user);
  std::sort(users.begin(), users.end(),
            [](const domain::User* a, const domain::User* b) { return a->id < b->id; });
  DifferenceCounter counter(reader);
  ImpactReport report;
  for (const domain::User* old_user : users) {
    const domain::User* new_user = after.FindUser(old_user->id);
    if (new_user == nullptr) {
      return Status::Error(base::Code::kInternal, "the changed model lost a user");
    }
    GH_ASSIGN_OR_RETURN(std::vector<ImpactChange> changes,
                        ChangesOf(counter, *old_policy, *new_policy, *old_user, *new_user));
    if (changes.empty()) continue;
    for (const ImpactChange& change : changes) {
      report.gain += change.gain.value_or(0);
      report.lose += change.lose.value_or(0);
    }
    report.users.push_back({new_user->id, new_user->name, std::move(changes)});
  }
  return report;
}

Result<ImpactReport> PreviewUserChange(const AdminDeps& deps, const Caller& caller,
                                       domain::UserId id, const UserPatch& patch) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(patch));
  const storage::AccountReader reader = deps.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const storage::UserRow current, reader.GetUser(id));
  GH_ASSIGN_OR_RETURN(const domain::AccountModel model, reader.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(const domain::GroupId default_group, reader.DefaultGroupId());
  GH_ASSIGN_OR_RETURN(const storage::UserRow changed,
                      ApplyUserPatch(current, patch, model, default_group));
  GH_RETURN_IF_ERROR(CheckUserTransition(reader, model, current.user, changed.user));
  domain::AccountModel proposed = model;
  for (domain::User& user : proposed.users) {
    if (user.id == id) user = changed.user;
  }
  GH_ASSIGN_OR_RETURN(ImpactReport report, CompareAccess(reader, model, proposed));
  report.user = changed.user;
  return report;
}

Result<ImpactReport> PreviewRoleChange(const AdminDeps& deps, const Caller& caller,
                                       domain::RoleId id, const RoleInput& input) {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(input));
  const storage::AccountReader reader = deps.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const domain::AccountModel model, reader.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(const domain::Role role, ApplyRoleInput(model, id, input));
  domain::AccountModel proposed = model;
  policy::UpdateRole(proposed, role);  // as the save: every holder gets the new rights
  GH_ASSIGN_OR_RETURN(ImpactReport report, CompareAccess(reader, model, proposed));
  report.role = role;
  return report;
}

}  // namespace gatehouse::service
