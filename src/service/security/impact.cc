// Impact preview: the save's own validation on a copy of the model, two compiled policies, and
// one count per side of every filter that changed (from the totals, see impact.h).
#include "service/security/impact.h"

#include <algorithm>
#include <array>

#include "policy/account_policy.h"
#include "policy/roles.h"
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {
namespace {

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

// Collects the counts every changed pair needs, once per distinct (data set, allowed, minus):
// the holders of a role often share filters (every A or D level, and stage audiences open to
// all). Then counts them per data set in one batch (AccountReader::CountPermissionDifferences:
// one read of the totals for all of them) and fills in gain and lose.
class DifferenceCounter {
 public:
  explicit DifferenceCounter(const storage::AccountReader& reader) : reader_(reader) {}

  // Asks for the number of records `allowed` admits and `minus` does not, to be stored in
  // `*out` by Run(). `out` must stay valid until then.
  void Request(DataSet data_set, const policy::ListFilter& allowed, const policy::ListFilter& minus,
               std::size_t user, std::size_t change, bool gain) {
    std::vector<Entry>& entries = entries_[static_cast<std::size_t>(data_set)];
    std::size_t at = 0;
    while (at < entries.size() && !(entries[at].allowed == allowed && entries[at].minus == minus)) {
      ++at;
    }
    if (at == entries.size()) entries.push_back({allowed, minus});
    targets_.push_back({data_set, at, user, change, gain});
  }

  // Counts everything requested and writes it into the changes of `users`.
  Status Run(std::vector<UserImpact>& users) {
    std::vector<std::vector<std::int64_t>> counts(entries_.size());
    for (std::size_t d = 0; d < entries_.size(); ++d) {
      if (entries_[d].empty()) continue;
      std::vector<std::pair<policy::ListFilter, policy::ListFilter>> pairs;
      for (Entry& entry : entries_[d]) {
        pairs.emplace_back(std::move(entry.allowed), std::move(entry.minus));
      }
      GH_ASSIGN_OR_RETURN(counts[d],
                          reader_.CountPermissionDifferences(static_cast<DataSet>(d), pairs));
    }
    for (const Target& t : targets_) {
      ImpactChange& change = users[t.user].changes[t.change];
      const std::int64_t count = counts[static_cast<std::size_t>(t.data_set)][t.entry];
      (t.gain ? change.gain : change.lose) = count;
    }
    return Status::Ok();
  }

 private:
  struct Entry {
    policy::ListFilter allowed;
    policy::ListFilter minus;
  };
  struct Target {
    DataSet data_set;
    std::size_t entry;
    std::size_t user;    // index in the report's users
    std::size_t change;  // index in that user's changes
    bool gain;
  };
  const storage::AccountReader& reader_;
  std::array<std::vector<Entry>, domain::kDataSetCount> entries_;
  std::vector<Target> targets_;
};

// The changes of one user (report.users[user] once kept); counts are requested from `counter`
// only where the filters differ.
std::vector<ImpactChange> ChangesOf(DifferenceCounter& counter, const policy::AccountPolicy& before,
                                    const policy::AccountPolicy& after,
                                    const domain::User& old_user, const domain::User& new_user,
                                    std::size_t user) {
  std::vector<ImpactChange> changes;
  for (DataSet data_set : domain::kAllDataSets) {
    for (Action action : domain::kAllActions) {
      if (!domain::ActionApplies(data_set, action)) continue;
      const policy::ListFilter old_filter = before.CompileFilter(old_user.id, data_set, action);
      const policy::ListFilter new_filter = after.CompileFilter(new_user.id, data_set, action);
      ImpactChange change{.data_set = data_set,
                          .action = action,
                          .level_before = EffectiveLevel(before, old_user, data_set, action),
                          .level_after = EffectiveLevel(after, new_user, data_set, action)};
      const bool same_filter = old_filter == new_filter;
      if (same_filter && change.level_before == change.level_after) continue;
      if (Counted(data_set, action)) {
        if (same_filter) {
          change.gain = change.lose = 0;
        } else {
          counter.Request(data_set, new_filter, old_filter, user, changes.size(), true);
          counter.Request(data_set, old_filter, new_filter, user, changes.size(), false);
        }
      }
      changes.push_back(change);
    }
  }
  return changes;
}

// The defined custom fields whose view or edit right differs for the user between the two
// policies, by data set and in the definitions' order.
std::vector<ImpactFieldChange> FieldChangesOf(const std::vector<domain::CustomField>& fields,
                                              const policy::AccountPolicy& before,
                                              const policy::AccountPolicy& after,
                                              domain::UserId user_id) {
  std::vector<ImpactFieldChange> changes;
  for (const domain::CustomField& field : fields) {
    ImpactFieldChange change{.data_set = field.data_set,
                             .field_id = field.id,
                             .view_before = before.CanViewField(user_id, field.data_set, field.id),
                             .view_after = after.CanViewField(user_id, field.data_set, field.id),
                             .edit_before = before.CanEditField(user_id, field.data_set, field.id),
                             .edit_after = after.CanEditField(user_id, field.data_set, field.id)};
    if (change.view_before == change.view_after && change.edit_before == change.edit_after) {
      continue;
    }
    change.field_name = field.name;
    changes.push_back(std::move(change));
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
  std::vector<domain::CustomField> fields;
  for (DataSet data_set : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies}) {
    GH_ASSIGN_OR_RETURN(std::vector<domain::CustomField> of_set, reader.ListCustomFields(data_set));
    fields.insert(fields.end(), of_set.begin(), of_set.end());
  }
  DifferenceCounter counter(reader);
  ImpactReport report;
  for (const domain::User* old_user : users) {
    const domain::User* new_user = after.FindUser(old_user->id);
    if (new_user == nullptr) {
      return Status::Error(base::Code::kInternal, "the changed model lost a user");
    }
    std::vector<ImpactChange> changes =
        ChangesOf(counter, *old_policy, *new_policy, *old_user, *new_user, report.users.size());
    std::vector<ImpactFieldChange> field_changes =
        FieldChangesOf(fields, *old_policy, *new_policy, old_user->id);
    if (changes.empty() && field_changes.empty()) continue;
    report.field_changes += static_cast<std::int64_t>(field_changes.size());
    report.users.push_back(
        {new_user->id, new_user->name, std::move(changes), std::move(field_changes)});
  }
  GH_RETURN_IF_ERROR(counter.Run(report.users));
  for (const UserImpact& user : report.users) {
    for (const ImpactChange& change : user.changes) {
      report.gain += change.gain.value_or(0);
      report.lose += change.lose.value_or(0);
    }
  }
  return report;
}

Result<ImpactReport> SecurityService::PreviewUserChange(const Caller& caller, domain::UserId id,
                                                        const UserPatch& patch) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(patch));
  const storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const storage::UserRow current, reader.GetUser(id));
  GH_ASSIGN_OR_RETURN(const CheckedUserPatch checked, CheckUserPatch(reader, current, patch));
  domain::AccountModel proposed = checked.model;
  for (domain::User& user : proposed.users) {
    if (user.id == id) user = checked.changed.user;
  }
  GH_ASSIGN_OR_RETURN(ImpactReport report, CompareAccess(reader, checked.model, proposed));
  report.user = checked.changed.user;
  return report;
}

Result<ImpactReport> SecurityService::PreviewRoleChange(const Caller& caller, domain::RoleId id,
                                                        const RoleInput& input) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  GH_RETURN_IF_ERROR(RequireChange(input));
  const storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(const domain::AccountModel model, reader.LoadAccountModel());
  GH_ASSIGN_OR_RETURN(const domain::Role role, ApplyRoleInput(model, id, input));
  domain::AccountModel proposed = model;
  policy::UpdateRole(proposed, role);  // as the save: every holder gets the new rights
  GH_ASSIGN_OR_RETURN(ImpactReport report, CompareAccess(reader, model, proposed));
  report.role = role;
  return report;
}

}  // namespace gatehouse::service
