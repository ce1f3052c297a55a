// The rights vocabulary of ../shared/SPEC.md §2: data sets, actions, levels, stage rights.
//
// Pure values: no I/O, no allocation beyond the stage-rights vector. Every other module speaks
// these words; the letters D/M/G/A and the API names ("leads", "view") are converted here only.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ids.h"

namespace gatehouse::domain {

// Ordered from narrowest to widest, so std::min gives "the narrowest of".
enum class Level : std::uint8_t {
  kDenied = 0,         // D, red: never
  kIfResponsible = 1,  // M, yellow: the user is the record's responsible user
  kTeamWide = 2,       // G, blue: the record's responsible user is in the user's group
  kAllowed = 3,        // A, green: always
};

// The rows of the rights matrix (kDataSetCount of them, kAllDataSets), then the record kinds
// without a row of their own: customers, whose rights are the leads' row (SPEC §1, Kommo's
// "leads/customers") without stage rights (stages are the leads'). RightsRow maps a data set
// to the row that decides for its records; every table sized kDataSetCount is indexed by it.
enum class DataSet : std::uint8_t {
  kLeads,
  kContacts,
  kCompanies,
  kTasks,
  kIncomingLeads,
  kCustomers,
};
inline constexpr int kDataSetCount = 5;
inline constexpr std::array<DataSet, kDataSetCount> kAllDataSets = {
    DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kTasks,
    DataSet::kIncomingLeads};

// The row of the rights matrix that decides for the records of `data_set`.
constexpr DataSet RightsRow(DataSet data_set) {
  return data_set == DataSet::kCustomers ? DataSet::kLeads : data_set;
}

enum class Action : std::uint8_t { kView, kAdd, kEdit, kDelete, kExport, kAccept, kDecline };
inline constexpr int kActionCount = 7;
inline constexpr std::array<Action, kActionCount> kAllActions = {
    Action::kView,   Action::kAdd,    Action::kEdit,   Action::kDelete,
    Action::kExport, Action::kAccept, Action::kDecline};

// The actions a stage entry may set, in this order in StageRights::levels.
inline constexpr std::array<Action, 4> kStageActions = {Action::kView, Action::kEdit,
                                                        Action::kDelete, Action::kExport};

// Which actions exist for which data set (SPEC §2 table):
//   leads, contacts, companies: view add edit delete export
//   tasks: view edit delete;  incoming leads: view accept decline
bool ActionApplies(DataSet data_set, Action action);

// `add` and every incoming-leads action take only A or D.
bool TakesOnlyAllowedOrDenied(DataSet data_set, Action action);

// The actions `action` depends on: edit -> view; delete -> view, edit; export -> view.
// Others depend on nothing. An action is never wider than any action it depends on.
std::vector<Action> Dependencies(Action action);

char LevelLetter(Level level);                                // 'D', 'M', 'G', 'A'
std::optional<Level> LevelFromLetter(std::string_view text);  // exactly one of "DMGA"
std::string_view LevelName(Level level);  // "denied", "if_responsible", "team_wide", "allowed"
std::string_view DataSetName(DataSet data_set);  // "leads" ... "incoming_leads", "customers"
// A row of the rights matrix by name ("customers" is none: rights JSON has no such key).
std::optional<DataSet> DataSetFromName(std::string_view name);
// Any record kind by name: the rows, and "customers".
std::optional<DataSet> RecordDataSetFromName(std::string_view name);
// The record kinds other records attach to: the record of a task or a conversation, of a note,
// each end of a link. Kommo attaches tasks and notes to customers as to leads (kommo-api-v4.md
// §11); their links, though, are written with the customer (kPairLinkedDataSets).
inline constexpr std::array<DataSet, 4> kAttachableDataSets = {
    DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies, DataSet::kCustomers};
constexpr bool IsAttachable(DataSet data_set) {  // one of kAttachableDataSets
  return std::find(kAttachableDataSets.begin(), kAttachableDataSets.end(), data_set) !=
         kAttachableDataSets.end();
}
// One of kAttachableDataSets by name ("leads", ..., "customers"), or nullopt.
std::optional<DataSet> AttachableDataSetFromName(std::string_view name);
// "leads, contacts, companies or customers": the attachable kinds as error messages name them.
std::string AttachableNames();
// The attachable kinds whose links are written one pair at a time (/<kind>/link and /unlink):
// a lead with its contacts and its company. A customer's are written with it (its _embedded).
inline constexpr std::array<DataSet, 3> kPairLinkedDataSets = {DataSet::kLeads, DataSet::kContacts,
                                                               DataSet::kCompanies};
constexpr bool IsPairLinked(DataSet data_set) {  // one of kPairLinkedDataSets
  return std::find(kPairLinkedDataSets.begin(), kPairLinkedDataSets.end(), data_set) !=
         kPairLinkedDataSets.end();
}
std::string_view ActionName(Action action);  // "view", "add", ...
std::optional<Action> ActionFromName(std::string_view name);

// A stage is the pair (pipeline, status): won 142 and lost 143 exist in every pipeline.
struct StageKey {
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  auto operator<=>(const StageKey&) const = default;
};

// Special rights of a user for one stage. An action left unset (nullopt) keeps the general
// lead right; a set action replaces it, narrowing or widening (SPEC §2).
struct StageRights {
  StageKey stage{};
  std::array<std::optional<Level>, kStageActions.size()> levels{};  // view, edit, delete, export

  std::optional<Level> Get(
      Action action) const;  // nullopt also for actions that are not stage actions
  void Set(Action action, std::optional<Level> level);
  bool operator==(const StageRights&) const = default;
};

// Feature access besides the data sets.
enum class Feature : std::uint8_t { kLists, kSharedInbox, kFiles };

// Field rights (SPEC §2 "Field rights"): whether a user may view and edit one custom field of
// leads, contacts or companies. Only restricted fields are listed; a field not listed may be
// viewed and edited (API.md: "a field not listed is A/A"). Normalized, edit implies view.
struct FieldRight {
  DataSet data_set = DataSet::kLeads;
  std::int64_t field_id = 0;
  bool view = true;
  bool edit = true;
  auto operator<=>(const FieldRight&) const = default;
};

// A user's (or role's) full rights. Default-constructed: everything denied.
struct Rights {
  std::array<std::array<Level, kActionCount>, kDataSetCount> levels{};  // all kDenied
  std::vector<StageRights> stage_rights{};  // sorted by stage, at most one entry per stage
  bool mail_access = false;                 // Shared Inbox
  bool catalog_access = false;              // Lists
  bool files_access = false;                // stored and returned for API compatibility only
  // Restricted custom fields, sorted by (data set, field id), at most one entry per field, none
  // that is A/A (NormalizeFieldRights).
  std::vector<FieldRight> field_rights{};

  // Of RightsRow(data_set): customers read and write the leads' row.
  Level Get(DataSet data_set, Action action) const {
    return levels[static_cast<int>(RightsRow(data_set))][static_cast<int>(action)];
  }
  void Set(DataSet data_set, Action action, Level level) {
    levels[static_cast<int>(RightsRow(data_set))][static_cast<int>(action)] = level;
  }
  const StageRights* FindStage(StageKey stage) const;  // nullptr when none
  bool HasFeature(Feature feature) const;
  const FieldRight* FindField(DataSet data_set, std::int64_t field_id) const;  // nullptr: A/A
  bool CanViewField(DataSet data_set, std::int64_t field_id) const {
    const FieldRight* f = FindField(data_set, field_id);
    return f == nullptr || f->view;
  }
  bool CanEditField(DataSet data_set, std::int64_t field_id) const {
    const FieldRight* f = FindField(data_set, field_id);
    return f == nullptr || (f->view && f->edit);
  }
  bool operator==(const Rights&) const = default;

  // Every level allowed, features on: what an administrator effectively holds.
  static Rights AllAllowed();
};

// Edit narrowed to view, entries that restrict nothing dropped, sorted, one per field (the
// last one wins). Idempotent.
void NormalizeFieldRights(std::vector<FieldRight>& field_rights);

}  // namespace gatehouse::domain
