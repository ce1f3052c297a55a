// Names, letters and the static shape of the rights matrix (SPEC §2).
#include "domain/rights.h"

#include <algorithm>

#include "base/enum_names.h"

namespace gatehouse::domain {
namespace {

// The rights matrix's rows, then the record kind that borrows the leads' row.
constexpr base::EnumNames<DataSet, kDataSetCount + 1> kDataSetNames{
    {{DataSet::kLeads, "leads"},
     {DataSet::kContacts, "contacts"},
     {DataSet::kCompanies, "companies"},
     {DataSet::kTasks, "tasks"},
     {DataSet::kIncomingLeads, "incoming_leads"},
     {DataSet::kCustomers, "customers"}}};
constexpr base::EnumNames<Action, kActionCount> kActionNames{{{Action::kView, "view"},
                                                              {Action::kAdd, "add"},
                                                              {Action::kEdit, "edit"},
                                                              {Action::kDelete, "delete"},
                                                              {Action::kExport, "export"},
                                                              {Action::kAccept, "accept"},
                                                              {Action::kDecline, "decline"}}};
constexpr base::EnumNames<Level, 4> kLevelLetters{{{Level::kDenied, "D"},
                                                   {Level::kIfResponsible, "M"},
                                                   {Level::kTeamWide, "G"},
                                                   {Level::kAllowed, "A"}}};
constexpr base::EnumNames<Level, 4> kLevelNames{{{Level::kDenied, "denied"},
                                                 {Level::kIfResponsible, "if_responsible"},
                                                 {Level::kTeamWide, "team_wide"},
                                                 {Level::kAllowed, "allowed"}}};

// Index of `action` in kStageActions, or -1.
int StageIndex(Action action) {
  for (std::size_t i = 0; i < kStageActions.size(); ++i) {
    if (kStageActions[i] == action) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

bool ActionApplies(DataSet data_set, Action action) {
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

bool TakesOnlyAllowedOrDenied(DataSet data_set, Action action) {
  return action == Action::kAdd || data_set == DataSet::kIncomingLeads;
}

std::vector<Action> Dependencies(Action action) {
  switch (action) {
    case Action::kEdit:
    case Action::kExport:
      return {Action::kView};
    case Action::kDelete:
      return {Action::kView, Action::kEdit};
    default:
      return {};
  }
}

char LevelLetter(Level level) { return base::NameOf(kLevelLetters, level, "?")[0]; }

std::optional<Level> LevelFromLetter(std::string_view text) {
  return base::ValueOf(kLevelLetters, text);
}

std::string_view LevelName(Level level) { return base::NameOf(kLevelNames, level); }

std::string_view DataSetName(DataSet data_set) { return base::NameOf(kDataSetNames, data_set); }

std::optional<DataSet> DataSetFromName(std::string_view name) {
  const std::optional<DataSet> data_set = base::ValueOf(kDataSetNames, name);
  return data_set == DataSet::kCustomers ? std::nullopt : data_set;
}

std::optional<DataSet> RecordDataSetFromName(std::string_view name) {
  return base::ValueOf(kDataSetNames, name);
}

std::optional<DataSet> AttachableDataSetFromName(std::string_view name) {
  const std::optional<DataSet> data_set = RecordDataSetFromName(name);
  if (!data_set || !IsAttachable(*data_set)) return std::nullopt;
  return data_set;
}

std::string AttachableNames() {
  std::string out;
  for (std::size_t i = 0; i < kAttachableDataSets.size(); ++i) {
    if (i > 0) out += i + 1 == kAttachableDataSets.size() ? " or " : ", ";
    out += DataSetName(kAttachableDataSets[i]);
  }
  return out;
}

std::string_view ActionName(Action action) { return base::NameOf(kActionNames, action); }

std::optional<Action> ActionFromName(std::string_view name) {
  return base::ValueOf(kActionNames, name);
}

std::optional<Level> StageRights::Get(Action action) const {
  const int i = StageIndex(action);
  if (i < 0) return std::nullopt;
  return levels[i];
}

void StageRights::Set(Action action, std::optional<Level> level) {
  const int i = StageIndex(action);
  // Setting an action a stage entry cannot hold is a caller bug; ignore it rather than corrupt.
  if (i < 0) return;
  levels[i] = level;
}

const StageRights* Rights::FindStage(StageKey stage) const {
  // Entries are sorted by stage; a linear scan also tolerates an unsorted vector and the
  // vectors are short (a handful of stages per user).
  for (const StageRights& entry : stage_rights) {
    if (entry.stage == stage) return &entry;
  }
  return nullptr;
}

bool Rights::HasFeature(Feature feature) const {
  switch (feature) {
    case Feature::kLists:
      return catalog_access;
    case Feature::kSharedInbox:
      return mail_access;
    case Feature::kFiles:
      return files_access;
  }
  return false;
}

const FieldRight* Rights::FindField(DataSet data_set, std::int64_t field_id) const {
  auto it =
      std::lower_bound(field_rights.begin(), field_rights.end(), std::pair(data_set, field_id),
                       [](const FieldRight& f, const std::pair<DataSet, std::int64_t>& key) {
                         return std::pair(f.data_set, f.field_id) < key;
                       });
  if (it == field_rights.end() || it->data_set != data_set || it->field_id != field_id) {
    return nullptr;
  }
  return &*it;
}

void NormalizeFieldRights(std::vector<FieldRight>& field_rights) {
  // Stable, so of two entries of one field the later one (as sent) survives below.
  std::stable_sort(field_rights.begin(), field_rights.end(),
                   [](const FieldRight& a, const FieldRight& b) {
                     return std::pair(a.data_set, a.field_id) < std::pair(b.data_set, b.field_id);
                   });
  std::vector<FieldRight> out;
  for (FieldRight f : field_rights) {
    f.edit = f.edit && f.view;
    if (!out.empty() && out.back().data_set == f.data_set && out.back().field_id == f.field_id) {
      out.back() = f;
    } else {
      out.push_back(f);
    }
  }
  std::erase_if(out, [](const FieldRight& f) { return f.view && f.edit; });
  field_rights = std::move(out);
}

Rights Rights::AllAllowed() {
  Rights rights;
  // Only actions that exist are allowed; the others stay D so the result is already normalized.
  for (DataSet data_set : kAllDataSets) {
    for (Action action : kAllActions) {
      if (ActionApplies(data_set, action)) rights.Set(data_set, action, Level::kAllowed);
    }
  }
  rights.mail_access = true;
  rights.catalog_access = true;
  rights.files_access = true;
  return rights;
}

}  // namespace gatehouse::domain
