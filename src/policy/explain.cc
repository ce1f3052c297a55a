// AccountPolicy::Explain: the same decision as Check, told as the reasons an administrator reads
// (the explain endpoint and `gatehouse explain`).
#include <optional>
#include <string>

#include "policy/account_policy.h"
#include "policy/account_policy_table.h"

namespace gatehouse::policy {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;

std::string LevelText(Level level) {
  std::string text(1, domain::LevelLetter(level));
  switch (level) {
    case Level::kDenied:
      return text + " (denied)";
    case Level::kIfResponsible:
      return text + " (if responsible)";
    case Level::kTeamWide:
      return text + " (team-wide)";
    case Level::kAllowed:
      return text + " (allowed)";
  }
  return text;
}

std::string StageText(domain::StageKey key) {
  return "(pipeline " + std::to_string(key.pipeline_id) + ", status " +
         std::to_string(key.status_id) + ")";
}

// The reason a gate ends the check with (inactive, free, administrator); nullopt when the
// user's rights decide.
std::optional<Reason> GateReason(Rule gate, domain::UserId user_id) {
  const std::string user = "user " + std::to_string(user_id);
  switch (gate) {
    case Rule::kInactiveUser:
      return Reason{"inactive_user", user + " is deactivated and may do nothing"};
    case Rule::kFreeUser:
      return Reason{"free_user", user + " is a free user (holds no paid seat) and acts on no data"};
    case Rule::kAdmin:
      return Reason{"admin", user + " is an administrator and may do everything"};
    default:
      return std::nullopt;
  }
}

// How the user's special rights in the lead's stage gave `level`.
Reason StageReason(const domain::Rights& rights, domain::StageKey key, Action action, Level level) {
  const std::string action_name(domain::ActionName(action));
  const domain::StageRights* entry = rights.FindStage(key);
  // A plain flag and level rather than an optional: GCC 12 at -O2 warns (maybe-uninitialized)
  // about the optional's payload here.
  const bool is_set = entry != nullptr && entry->Get(action).has_value();
  const Level set =
      is_set ? entry->Get(action).value_or(Level::kDenied) : rights.Get(DataSet::kLeads, action);
  std::string text =
      "the lead is in stage " + StageText(key) + ", where the user's special stage rights ";
  if (is_set) {
    text += "set " + action_name + " to " + std::string(1, domain::LevelLetter(set));
  } else {
    text += "do not set " + action_name + ", so the general level " +
            std::string(1, domain::LevelLetter(set)) + " applies";
  }
  if (set != level) {
    if (is_set) text += ", narrowed by the actions it depends on";
    text += "; the effective level is " + LevelText(level);
  }
  return {"stage_right", text};
}

// Whether the record's responsible user is the user, for an "if responsible" level.
Reason ResponsibleReason(const Decision& decision, domain::UserId user_id,
                         domain::UserId responsible_id) {
  if (decision.match == Match::kResponsible) {
    return {"responsible",
            "the user (" + std::to_string(user_id) + ") is the record's responsible user"};
  }
  if (responsible_id == 0) return {"responsible", "the record has no responsible user"};
  return {"responsible", "the responsible user is " + std::to_string(responsible_id) +
                             ", not this user (" + std::to_string(user_id) + ")"};
}

// Where the record's responsible user stands against the user's group, for a team-wide level;
// `responsible_group` is nullopt when the responsible user is not of the account.
Reason GroupReason(domain::GroupId user_group, domain::UserId responsible_id,
                   std::optional<domain::GroupId> responsible_group, const domain::Group* found) {
  if (responsible_id == 0) {
    return {"group", "the record has no responsible user, so no group matches"};
  }
  const std::string responsible = "responsible user " + std::to_string(responsible_id);
  if (!responsible_group) return {"group", responsible + " is not a user of this account"};
  std::string group = "group " + std::to_string(*responsible_group);
  if (found != nullptr) group += " (" + found->name + ")";
  return {"group",
          responsible + " is in " + group + ", the user's group is " + std::to_string(user_group)};
}

}  // namespace

Explanation AccountPolicy::Explain(domain::UserId user_id, domain::Action action,
                                   const domain::RecordRef& record) const {
  Explanation out;
  const CompiledUser* user = impl_->Find(user_id);
  out.decision = Check(user, action, record);
  if (user == nullptr) {
    out.reasons.push_back({"unknown_user", "user " + std::to_string(user_id) +
                                               " is not a user of account " +
                                               std::to_string(account_id_) + ", so it is denied"});
    return out;
  }
  out.user_group_id = user->group_id;
  const CompiledUser* responsible =
      record.responsible_user_id == 0 ? nullptr : impl_->Find(record.responsible_user_id);
  if (responsible != nullptr) out.responsible_group_id = responsible->group_id;
  if (std::optional<Reason> gate = GateReason(user->gate, user_id)) {
    out.reasons.push_back(std::move(*gate));
    return out;
  }
  // The right that decides: customers have the leads' (without stage rights).
  const std::string data_set_name(domain::DataSetName(domain::RightsRow(record.data_set)));
  const std::string action_name(domain::ActionName(action));
  const std::string right = data_set_name + "." + action_name;
  if (out.decision.rule == Rule::kNotApplicable) {
    out.reasons.push_back({"not_applicable", right + " does not exist: " + data_set_name +
                                                 " have no " + action_name + " action"});
    return out;
  }
  const Level level = out.decision.level;
  if (out.decision.rule == Rule::kStageRight) {
    const domain::StageKey key{record.pipeline_id, record.status_id};
    out.stage_rule = key;
    out.reasons.push_back(StageReason(impl_->rights[user->index], key, action, level));
  } else {
    const std::string inherited =
        record.data_set == DataSet::kCustomers ? " (customers have the leads' rights)" : "";
    out.reasons.push_back(
        {"general_right", right + " is " + LevelText(level) + " for this user" + inherited});
  }
  if (level == Level::kIfResponsible) {
    out.reasons.push_back(ResponsibleReason(out.decision, user_id, record.responsible_user_id));
  } else if (level == Level::kTeamWide) {
    const domain::Group* found =
        responsible == nullptr ? nullptr : impl_->FindGroup(responsible->group_id);
    out.reasons.push_back(
        GroupReason(user->group_id, record.responsible_user_id, out.responsible_group_id, found));
  }
  return out;
}

}  // namespace gatehouse::policy
