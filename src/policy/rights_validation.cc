// Validation turns raw letters into domain Rights, collecting every offending field before it
// refuses, so a form can mark all its mistakes at once. Normalization then narrows dependent
// actions so that what a user reads back is what applies (SPEC §2).
#include "policy/rights_validation.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace gatehouse::policy {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;

// Collects at most one error per path: the first problem found for a field is the one shown.
class ErrorList {
 public:
  void Add(std::string path, std::string code, std::string detail) {
    if (!paths_.insert(path).second) return;
    errors_.push_back({std::move(path), std::move(code), std::move(detail)});
  }
  bool empty() const { return errors_.empty(); }
  std::vector<base::FieldError> Take() { return std::move(errors_); }

 private:
  std::set<std::string> paths_;
  std::vector<base::FieldError> errors_;
};

std::string Join(std::string_view a, std::string_view b) {
  std::string out(a);
  out += '.';
  out += b;
  return out;
}

std::string ActionsOf(DataSet data_set) {
  std::string out;
  for (Action action : domain::kAllActions) {
    if (!domain::ActionApplies(data_set, action)) continue;
    if (!out.empty()) out += ", ";
    out += domain::ActionName(action);
  }
  return out;
}

std::string OnlyAllowedOrDeniedDetail(DataSet data_set, Action action) {
  if (data_set == DataSet::kIncomingLeads) {
    return "incoming-leads actions take only A or D";
  }
  return std::string(domain::ActionName(action)) + " takes only A (allowed) or D (denied)";
}

void ValidateGeneral(const RawRights& raw, domain::Rights& rights, ErrorList& errors) {
  std::set<std::pair<DataSet, Action>> seen;
  for (const RawRight& entry : raw.general) {
    const std::string data_set_path = Join("rights", entry.data_set);
    const std::string path = Join(data_set_path, entry.action);
    const std::optional<DataSet> data_set = domain::DataSetFromName(entry.data_set);
    if (!data_set) {
      errors.Add(data_set_path, "UnknownField",
                 "'" + entry.data_set +
                     "' is not a data set; use leads, contacts, companies, tasks or "
                     "incoming_leads");
      continue;
    }
    const std::optional<Action> action = domain::ActionFromName(entry.action);
    if (!action || !domain::ActionApplies(*data_set, *action)) {
      errors.Add(path, "UnknownField",
                 "'" + entry.action + "' is not an action of " + entry.data_set + "; it has " +
                     ActionsOf(*data_set));
      continue;
    }
    if (!seen.insert({*data_set, *action}).second) {
      errors.Add(path, "Duplicate", path + " is listed more than once");
      continue;
    }
    const std::optional<Level> level = domain::LevelFromLetter(entry.letter);
    const bool only_a_or_d = domain::TakesOnlyAllowedOrDenied(*data_set, *action);
    if (!level) {
      errors.Add(path, "NotSupportedChoice",
                 "'" + entry.letter + "' is not a level; " +
                     (only_a_or_d ? OnlyAllowedOrDeniedDetail(*data_set, *action)
                                  : std::string("use A (allowed), G (team-wide), M (if "
                                                "responsible) or D (denied)")));
      continue;
    }
    if (only_a_or_d && *level != Level::kAllowed && *level != Level::kDenied) {
      errors.Add(path, "NotSupportedChoice", OnlyAllowedOrDeniedDetail(*data_set, *action));
      continue;
    }
    rights.Set(*data_set, *action, *level);
  }
}

std::string StagePath(std::size_t index) { return "rights.status_rights." + std::to_string(index); }

std::string StageName(domain::StageKey key) {
  return "stage (pipeline " + std::to_string(key.pipeline_id) + ", status " +
         std::to_string(key.status_id) + ")";
}

bool IsStageAction(Action action) {
  return std::find(domain::kStageActions.begin(), domain::kStageActions.end(), action) !=
         domain::kStageActions.end();
}

// Whether the entry's stage is a stage of `pipeline` (nullptr: no such pipeline) and listed once.
bool CheckStageKey(const RawStageRights& entry, std::size_t i, const domain::Pipeline* pipeline,
                   std::map<domain::StageKey, std::size_t>& first_index, ErrorList& errors) {
  const std::string base = StagePath(i);
  const domain::StageKey key{entry.pipeline_id, entry.status_id};
  if (pipeline == nullptr) {
    errors.Add(base + ".pipeline_id", "NotFound",
               "pipeline " + std::to_string(entry.pipeline_id) + " does not exist");
    return false;
  }
  if (!pipeline->HasStage(entry.status_id)) {
    errors.Add(base + ".status_id", "NotFound",
               "status " + std::to_string(entry.status_id) + " is not a stage of pipeline " +
                   std::to_string(entry.pipeline_id));
    return false;
  }
  if (auto [it, inserted] = first_index.emplace(key, i); !inserted) {
    errors.Add(base, "Duplicate",
               StageName(key) + " is already listed at " + StagePath(it->second));
    return false;
  }
  return true;
}

// The levels one stage entry sets, into `stage`; false when any of them is wrong. Kommo's
// incoming-leads stage entries carry view, edit and delete only.
bool ParseStageLevels(const RawStageRights& entry, const std::string& base, bool incoming_stage,
                      domain::StageRights& stage, ErrorList& errors) {
  bool ok = true;
  std::set<Action> seen;
  for (const auto& [action_name, letter] : entry.actions) {
    const std::string path = base + ".rights." + action_name;
    const std::optional<Action> action = domain::ActionFromName(action_name);
    const std::optional<Level> level = domain::LevelFromLetter(letter);
    if (!action || !IsStageAction(*action)) {
      errors.Add(path, "UnknownField",
                 "'" + action_name +
                     "' cannot be set for a stage; stage rights take view, "
                     "edit, delete or export");
    } else if (incoming_stage && *action == Action::kExport) {
      errors.Add(path, "UnknownField",
                 "the incoming-leads stage takes view, edit and delete, not export");
    } else if (!seen.insert(*action).second) {
      errors.Add(path, "Duplicate", path + " is listed more than once");
    } else if (!level) {
      errors.Add(path, "NotSupportedChoice",
                 "'" + letter +
                     "' is not a level; stage rights take A (allowed), G (team-wide), "
                     "M (if responsible) or D (denied)");
    } else {
      stage.Set(*action, *level);
      continue;
    }
    ok = false;
  }
  return ok;
}

void ValidateStages(const RawRights& raw, std::span<const domain::Pipeline> pipelines,
                    domain::Rights& rights, ErrorList& errors) {
  std::map<domain::StageKey, std::size_t> first_index;
  for (std::size_t i = 0; i < raw.stages.size(); ++i) {
    const RawStageRights& entry = raw.stages[i];
    const auto found =
        std::find_if(pipelines.begin(), pipelines.end(),
                     [&](const domain::Pipeline& p) { return p.id == entry.pipeline_id; });
    const domain::Pipeline* pipeline = found == pipelines.end() ? nullptr : &*found;
    const bool key_ok = CheckStageKey(entry, i, pipeline, first_index, errors);
    const bool incoming_stage =
        pipeline != nullptr &&
        std::any_of(pipeline->stages.begin(), pipeline->stages.end(), [&](const domain::Stage& s) {
          return s.id == entry.status_id && s.type == domain::kStageTypeIncoming;
        });
    domain::StageRights stage{.stage = {entry.pipeline_id, entry.status_id}};
    const bool levels_ok = ParseStageLevels(entry, StagePath(i), incoming_stage, stage, errors);
    if (key_ok && levels_ok) rights.stage_rights.push_back(stage);
  }
}

// Narrows `level` to `bound` when the bound is known.
void NarrowTo(std::optional<Level>& level, const std::optional<Level>& bound) {
  if (level && bound && *bound < *level) level = bound;
}

}  // namespace

base::Result<domain::Rights> Validate(const RawRights& raw,
                                      std::span<const domain::Pipeline> pipelines) {
  domain::Rights rights;
  ErrorList errors;
  ValidateGeneral(raw, rights, errors);
  ValidateStages(raw, pipelines, rights, errors);
  if (!errors.empty()) {
    std::vector<base::FieldError> fields = errors.Take();
    std::string message =
        fields.size() == 1
            ? fields[0].path + ": " + fields[0].detail
            : "rights are invalid: " + std::to_string(fields.size()) + " fields need attention";
    return base::Status::Invalid(std::move(message), std::move(fields));
  }
  rights.mail_access = raw.mail_access;
  rights.catalog_access = raw.catalog_access;
  rights.files_access = raw.files_access;
  Normalize(rights);
  return rights;
}

void Normalize(domain::Rights& rights) {
  domain::NormalizeFieldRights(rights.field_rights);
  for (DataSet data_set : domain::kAllDataSets) {
    // Dependencies point only to earlier actions of the chain (view <- edit <- delete), so one
    // pass in this order reaches the fixed point.
    for (Action action : {Action::kEdit, Action::kDelete, Action::kExport}) {
      Level level = rights.Get(data_set, action);
      for (Action dependency : domain::Dependencies(action)) {
        level = std::min(level, rights.Get(data_set, dependency));
      }
      rights.Set(data_set, action, level);
    }
  }
  for (domain::StageRights& entry : rights.stage_rights) {
    for (Action action : {Action::kEdit, Action::kDelete, Action::kExport}) {
      std::optional<Level> level = entry.Get(action);
      for (Action dependency : domain::Dependencies(action)) {
        NarrowTo(level, entry.Get(dependency));
      }
      entry.Set(action, level);
    }
  }
  std::stable_sort(
      rights.stage_rights.begin(), rights.stage_rights.end(),
      [](const domain::StageRights& a, const domain::StageRights& b) { return a.stage < b.stage; });
}

}  // namespace gatehouse::policy
