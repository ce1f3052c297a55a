// Names, letters and the static shape of the rights matrix (SPEC §2).
#include "domain/rights.h"

#include <algorithm>

namespace gatehouse::domain {
namespace {

constexpr std::array<std::string_view, kDataSetCount> kDataSetNames = {
    "leads", "contacts", "companies", "tasks", "incoming_leads"};
constexpr std::array<std::string_view, kActionCount> kActionNames = {
    "view", "add", "edit", "delete", "export", "accept", "decline"};

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

char LevelLetter(Level level) {
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

std::optional<Level> LevelFromLetter(std::string_view text) {
  if (text == "D") return Level::kDenied;
  if (text == "M") return Level::kIfResponsible;
  if (text == "G") return Level::kTeamWide;
  if (text == "A") return Level::kAllowed;
  return std::nullopt;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDenied:
      return "denied";
    case Level::kIfResponsible:
      return "if_responsible";
    case Level::kTeamWide:
      return "team_wide";
    case Level::kAllowed:
      return "allowed";
  }
  return "unknown";
}

std::string_view DataSetName(DataSet data_set) {
  if (data_set == DataSet::kCustomers) return "customers";
  const auto i = static_cast<std::size_t>(data_set);
  return i < kDataSetNames.size() ? kDataSetNames[i] : std::string_view("unknown");
}

std::optional<DataSet> DataSetFromName(std::string_view name) {
  for (std::size_t i = 0; i < kDataSetNames.size(); ++i) {
    if (kDataSetNames[i] == name) return kAllDataSets[i];
  }
  return std::nullopt;
}

std::optional<DataSet> RecordDataSetFromName(std::string_view name) {
  if (name == "customers") return DataSet::kCustomers;
  return DataSetFromName(name);
}

std::optional<DataSet> AttachableDataSetFromName(std::string_view name) {
  const std::optional<DataSet> data_set = DataSetFromName(name);
  if (!data_set || std::find(kAttachableDataSets.begin(), kAttachableDataSets.end(), *data_set) ==
                       kAttachableDataSets.end()) {
    return std::nullopt;
  }
  return data_set;
}

std::string_view ActionName(Action action) {
  const auto i = static_cast<std::size_t>(action);
  return i < kActionNames.size() ? kActionNames[i] : std::string_view("unknown");
}

std::optional<Action> ActionFromName(std::string_view name) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return kAllActions[i];
  }
  return std::nullopt;
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
