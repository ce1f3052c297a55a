// Straight-line transcription of SPEC §2. Each rule is written out where it is used, in the
// order of the table in policy/account_policy.h, so a reader can tick it off line by line.
#include "tests/model/reference_model.h"

#include <algorithm>
#include <optional>

namespace gatehouse::model {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;

const char* DataSetWord(DataSet data_set) {
  switch (data_set) {
    case DataSet::kLeads:
      return "leads";
    case DataSet::kContacts:
      return "contacts";
    case DataSet::kCompanies:
      return "companies";
    case DataSet::kTasks:
      return "tasks";
    case DataSet::kIncomingLeads:
      return "incoming_leads";
    case DataSet::kCustomers:
      return "customers";
  }
  return "?";
}

const char* ActionWord(Action action) {
  switch (action) {
    case Action::kView:
      return "view";
    case Action::kAdd:
      return "add";
    case Action::kEdit:
      return "edit";
    case Action::kDelete:
      return "delete";
    case Action::kExport:
      return "export";
    case Action::kAccept:
      return "accept";
    case Action::kDecline:
      return "decline";
  }
  return "?";
}

char Letter(Level level) {
  switch (level) {
    case Level::kDenied:
      return 'D';
    case Level::kIfResponsible:
      return 'M';
    case Level::kTeamWide:
      return 'G';
    case Level::kAllowed:
      return 'A';
  }
  return '?';
}

// Index of an action inside StageRights::levels (view, edit, delete, export), or -1.
int StageSlot(Action action) {
  if (action == Action::kView) return 0;
  if (action == Action::kEdit) return 1;
  if (action == Action::kDelete) return 2;
  if (action == Action::kExport) return 3;
  return -1;
}

const domain::User* FindUserByScan(const domain::AccountModel& model, domain::UserId user_id) {
  for (const domain::User& user : model.users) {
    if (user.id == user_id) return &user;
  }
  return nullptr;
}

RefDecision Deny(RefRule rule) {
  return RefDecision{false, rule, Level::kDenied, RefMatch::kNotCompared};
}

}  // namespace

const char* RefRuleName(RefRule rule) {
  switch (rule) {
    case RefRule::kUnknownUser:
      return "unknown_user";
    case RefRule::kInactiveUser:
      return "inactive_user";
    case RefRule::kFreeUser:
      return "free_user";
    case RefRule::kAdmin:
      return "admin";
    case RefRule::kNotApplicable:
      return "not_applicable";
    case RefRule::kGeneralRight:
      return "general_right";
    case RefRule::kStageRight:
      return "stage_right";
  }
  return "?";
}

const char* RefMatchName(RefMatch match) {
  switch (match) {
    case RefMatch::kNotCompared:
      return "not_compared";
    case RefMatch::kResponsible:
      return "responsible";
    case RefMatch::kNotResponsible:
      return "not_responsible";
    case RefMatch::kSameGroup:
      return "same_group";
    case RefMatch::kOtherGroup:
      return "other_group";
  }
  return "?";
}

bool RefActionApplies(DataSet data_set, Action action) {
  switch (data_set) {
    case DataSet::kLeads:
    case DataSet::kCustomers:
    case DataSet::kContacts:
    case DataSet::kCompanies:
      return action == Action::kView || action == Action::kAdd || action == Action::kEdit ||
             action == Action::kDelete || action == Action::kExport;
    case DataSet::kTasks:
      return action == Action::kView || action == Action::kEdit || action == Action::kDelete;
    case DataSet::kIncomingLeads:
      return action == Action::kView || action == Action::kAccept || action == Action::kDecline;
  }
  return false;
}

domain::Rights RefNormalize(domain::Rights rights) {
  // General matrix: edit <= view; delete <= view, edit; export <= view.
  for (DataSet data_set : domain::kAllDataSets) {
    Level view = rights.Get(data_set, Action::kView);
    Level edit = std::min(rights.Get(data_set, Action::kEdit), view);
    Level del = std::min({rights.Get(data_set, Action::kDelete), view, edit});
    Level exp = std::min(rights.Get(data_set, Action::kExport), view);
    rights.Set(data_set, Action::kEdit, edit);
    rights.Set(data_set, Action::kDelete, del);
    rights.Set(data_set, Action::kExport, exp);
  }
  // Stage entries: the same chain, but only among the actions the entry sets.
  for (domain::StageRights& entry : rights.stage_rights) {
    std::optional<Level>& view = entry.levels[0];
    std::optional<Level>& edit = entry.levels[1];
    std::optional<Level>& del = entry.levels[2];
    std::optional<Level>& exp = entry.levels[3];
    if (edit && view) edit = std::min(*edit, *view);
    if (del && view) del = std::min(*del, *view);
    if (del && edit) del = std::min(*del, *edit);
    if (exp && view) exp = std::min(*exp, *view);
  }
  std::sort(rights.stage_rights.begin(), rights.stage_rights.end(),
            [](const domain::StageRights& a, const domain::StageRights& b) {
              if (a.stage.pipeline_id != b.stage.pipeline_id) {
                return a.stage.pipeline_id < b.stage.pipeline_id;
              }
              return a.stage.status_id < b.stage.status_id;
            });
  return rights;
}

RefDecision RefDecide(const domain::AccountModel& model, domain::UserId user_id, Action action,
                      const domain::RecordRef& record) {
  // 1. Who is acting: these hold for administrators too.
  const domain::User* user = FindUserByScan(model, user_id);
  if (user == nullptr) return Deny(RefRule::kUnknownUser);
  if (!user->is_active) return Deny(RefRule::kInactiveUser);
  if (user->is_free) return Deny(RefRule::kFreeUser);

  // 2. Administrators may do everything.
  if (user->is_admin) {
    return RefDecision{true, RefRule::kAdmin, Level::kAllowed, RefMatch::kNotCompared};
  }

  // 3. An action the data set does not have.
  if (!RefActionApplies(record.data_set, action)) return Deny(RefRule::kNotApplicable);

  // 4. The level: general, or for a lead in a stage the user has an entry for, the stage level.
  // Customers have the leads' row of the matrix (SPEC §1) and are in no lead stage: the stage
  // entries below are for leads only.
  domain::Rights rights = RefNormalize(user->rights);
  RefRule rule = RefRule::kGeneralRight;
  const DataSet row = record.data_set == DataSet::kCustomers ? DataSet::kLeads : record.data_set;
  Level level = rights.levels[static_cast<int>(row)][static_cast<int>(action)];
  if (record.data_set == DataSet::kLeads && StageSlot(action) >= 0) {
    for (const domain::StageRights& entry : rights.stage_rights) {
      if (entry.stage.pipeline_id != record.pipeline_id ||
          entry.stage.status_id != record.status_id) {
        continue;
      }
      // Merge: the entry's level where set, else the general lead level; then the chain.
      Level view = entry.levels[0].value_or(rights.Get(DataSet::kLeads, Action::kView));
      Level edit = entry.levels[1].value_or(rights.Get(DataSet::kLeads, Action::kEdit));
      Level del = entry.levels[2].value_or(rights.Get(DataSet::kLeads, Action::kDelete));
      Level exp = entry.levels[3].value_or(rights.Get(DataSet::kLeads, Action::kExport));
      edit = std::min(edit, view);
      del = std::min({del, view, edit});
      exp = std::min(exp, view);
      Level merged[4] = {view, edit, del, exp};
      level = merged[StageSlot(action)];
      rule = RefRule::kStageRight;
      break;
    }
  }

  // 5. The level against the record's responsible user.
  RefDecision decision{false, rule, level, RefMatch::kNotCompared};
  switch (level) {
    case Level::kDenied:
      decision.allowed = false;
      break;
    case Level::kAllowed:
      decision.allowed = true;
      break;
    case Level::kIfResponsible:
      decision.allowed = record.responsible_user_id != 0 && record.responsible_user_id == user->id;
      decision.match = decision.allowed ? RefMatch::kResponsible : RefMatch::kNotResponsible;
      break;
    case Level::kTeamWide: {
      const domain::User* responsible = nullptr;
      if (record.responsible_user_id != 0) {
        responsible = FindUserByScan(model, record.responsible_user_id);
      }
      decision.allowed = responsible != nullptr && responsible->group_id == user->group_id;
      decision.match = decision.allowed ? RefMatch::kSameGroup : RefMatch::kOtherGroup;
      break;
    }
  }
  return decision;
}

std::vector<std::size_t> RefVisible(const domain::AccountModel& model, domain::UserId user_id,
                                    DataSet data_set, Action action,
                                    std::span<const domain::RecordRef> records) {
  std::vector<std::size_t> visible;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].data_set != data_set) continue;
    if (RefCheck(model, user_id, action, records[i])) visible.push_back(i);
  }
  return visible;
}

// ---- Field rights ----

RefFieldAccess RefFieldRights(const domain::AccountModel& model, domain::UserId user_id,
                              DataSet data_set, std::int64_t field_id) {
  const domain::User* user = FindUserByScan(model, user_id);
  if (user == nullptr || !user->is_active || user->is_free) return {false, false};
  if (user->is_admin) return {true, true};
  // A role holder's rights are the role's.
  const std::vector<domain::FieldRight>* entries = &user->rights.field_rights;
  if (user->role_id) {
    for (const domain::Role& role : model.roles) {
      if (role.id == *user->role_id) entries = &role.rights.field_rights;
    }
  }
  RefFieldAccess access{true, true};  // not listed: A/A
  for (const domain::FieldRight& entry : *entries) {
    if (entry.data_set != data_set || entry.field_id != field_id) continue;
    access.view = entry.view;  // the last entry of the field wins
    access.edit = entry.view && entry.edit;
  }
  return access;
}

bool RefSeesAllFields(const domain::AccountModel& model, domain::UserId user_id, DataSet data_set) {
  const domain::User* user = FindUserByScan(model, user_id);
  if (user == nullptr || !user->is_active || user->is_free) return false;
  if (user->is_admin) return true;
  const domain::Rights* rights = &user->rights;
  if (user->role_id) {
    for (const domain::Role& role : model.roles) {
      if (role.id == *user->role_id) rights = &role.rights;
    }
  }
  for (const domain::FieldRight& entry : rights->field_rights) {
    if (entry.data_set != data_set) continue;
    if (!RefCanViewField(model, user_id, data_set, entry.field_id)) return false;
  }
  return true;
}

std::vector<std::int64_t> RefVisibleFields(const domain::AccountModel& model,
                                           domain::UserId user_id, DataSet data_set,
                                           std::span<const std::int64_t> field_ids) {
  std::vector<std::int64_t> visible;
  for (std::int64_t id : field_ids) {
    if (RefCanViewField(model, user_id, data_set, id)) visible.push_back(id);
  }
  return visible;
}

std::string FieldRightsToString(const std::vector<domain::FieldRight>& field_rights) {
  std::string out;
  for (const domain::FieldRight& entry : field_rights) {
    if (!out.empty()) out += ' ';
    out += DataSetWord(entry.data_set);
    out += '#' + std::to_string(entry.field_id) + "{view:" + (entry.view ? "A" : "D") +
           " edit:" + (entry.edit ? "A" : "D") + '}';
  }
  return out;
}

std::string RightsToString(const domain::Rights& rights) {
  std::string out;
  for (DataSet data_set : domain::kAllDataSets) {
    out += DataSetWord(data_set);
    out += '{';
    bool first = true;
    for (Action action : domain::kAllActions) {
      if (!RefActionApplies(data_set, action)) continue;
      if (!first) out += ' ';
      first = false;
      out += ActionWord(action);
      out += ':';
      out += Letter(rights.Get(data_set, action));
    }
    out += "} ";
  }
  out += "stages[";
  for (const domain::StageRights& entry : rights.stage_rights) {
    out += '(' + std::to_string(entry.stage.pipeline_id) + ',' +
           std::to_string(entry.stage.status_id) + "){";
    const char* names[4] = {"view", "edit", "delete", "export"};
    bool first = true;
    for (int i = 0; i < 4; ++i) {
      if (!entry.levels[i]) continue;
      if (!first) out += ' ';
      first = false;
      out += names[i];
      out += ':';
      out += Letter(*entry.levels[i]);
    }
    out += '}';
  }
  out += ']';
  if (!rights.field_rights.empty())
    out += " fields[" + FieldRightsToString(rights.field_rights) + ']';
  return out;
}

std::string RecordToString(const domain::RecordRef& record) {
  return std::string("{") + DataSetWord(record.data_set) +
         " responsible=" + std::to_string(record.responsible_user_id) +
         " pipeline=" + std::to_string(record.pipeline_id) +
         " status=" + std::to_string(record.status_id) + "}";
}

std::string UserToString(const domain::User& user) {
  return "{id=" + std::to_string(user.id) + " group=" + std::to_string(user.group_id) +
         (user.is_admin ? " admin" : "") + (user.is_active ? "" : " inactive") +
         (user.is_free ? " free" : "") +
         (user.role_id ? " role=" + std::to_string(*user.role_id) : std::string()) +
         " rights=" + RightsToString(user.rights) + "}";
}

const char* ActionToString(Action action) { return ActionWord(action); }
const char* DataSetToString(DataSet data_set) { return DataSetWord(data_set); }

}  // namespace gatehouse::model
