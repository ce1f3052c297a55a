// Fuzzes the rights validator and normalizer (policy/rights_validation.h): the letters and
// names an API client or the CLI sends become domain Rights only through Validate.
//
// The input drives a FuzzedDataProvider: mostly real data-set, action and level names (so the
// fuzzer spends its time past the name checks), sometimes arbitrary strings.
// Invariants: a validated rights set is already normalized; Normalize is idempotent on any
// rights set; after it no action is wider than one it depends on; a validated rights set
// written back as letters validates to itself; `add` and incoming-leads actions hold only A or
// D; stage entries are sorted, unique and name stages that exist.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/account.h"
#include "domain/rights.h"
#include "fuzz_check.h"
#include "policy/rights_validation.h"

namespace {

using gatehouse::domain::Action;
using gatehouse::domain::DataSet;
using gatehouse::domain::Level;
using gatehouse::domain::Rights;
using gatehouse::policy::RawRights;

constexpr std::array<const char*, 6> kDataSets = {"leads", "contacts",       "companies",
                                                  "tasks", "incoming_leads", "deals"};
constexpr std::array<const char*, 8> kActions = {"view",   "add",    "edit",    "delete",
                                                 "export", "accept", "decline", "own"};
constexpr std::array<const char*, 6> kLetters = {"A", "G", "M", "D", "X", ""};

std::string Pick(FuzzedDataProvider& in, const auto& names) {
  if (in.ConsumeIntegralInRange(0, 15) == 0) return in.ConsumeRandomLengthString(12);
  return names[in.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)];
}

std::vector<gatehouse::domain::Pipeline> Pipelines() {
  using gatehouse::domain::Stage;
  gatehouse::domain::Pipeline one{.id = 1, .name = "Sales"};
  one.stages = {Stage{.id = 9, .type = gatehouse::domain::kStageTypeIncoming}, Stage{.id = 10},
                Stage{.id = 11}};
  gatehouse::domain::Pipeline two{.id = 2, .name = "Support"};
  two.stages = {Stage{.id = 20}};
  return {one, two};
}

void CheckNormalized(const Rights& rights) {
  Rights again = rights;
  gatehouse::policy::Normalize(again);
  FUZZ_CHECK(again == rights, "Normalize is idempotent");
  for (DataSet data_set : gatehouse::domain::kAllDataSets) {
    for (Action action : gatehouse::domain::kAllActions) {
      for (Action dependency : gatehouse::domain::Dependencies(action)) {
        FUZZ_CHECK(rights.Get(data_set, action) <= rights.Get(data_set, dependency),
                   "no action is wider than one it depends on");
      }
    }
  }
  for (std::size_t i = 1; i < rights.stage_rights.size(); ++i) {
    FUZZ_CHECK(rights.stage_rights[i - 1].stage <= rights.stage_rights[i].stage,
               "stage entries are sorted");
  }
  for (const auto& entry : rights.stage_rights) {
    for (Action action : gatehouse::domain::kStageActions) {
      auto level = entry.Get(action);
      for (Action dependency : gatehouse::domain::Dependencies(action)) {
        auto bound = entry.Get(dependency);
        FUZZ_CHECK(!level || !bound || *level <= *bound,
                   "a stage action is no wider than its "
                   "set dependencies");
      }
    }
  }
}

// The letters a client would send to get `rights` back.
RawRights ToRaw(const Rights& rights) {
  RawRights raw;
  for (DataSet data_set : gatehouse::domain::kAllDataSets) {
    for (Action action : gatehouse::domain::kAllActions) {
      if (!gatehouse::domain::ActionApplies(data_set, action)) continue;
      raw.general.push_back({std::string(gatehouse::domain::DataSetName(data_set)),
                             std::string(gatehouse::domain::ActionName(action)),
                             std::string(1, LevelLetter(rights.Get(data_set, action)))});
    }
  }
  for (const auto& entry : rights.stage_rights) {
    gatehouse::policy::RawStageRights stage{entry.stage.pipeline_id, entry.stage.status_id, {}};
    for (Action action : gatehouse::domain::kStageActions) {
      if (auto level = entry.Get(action)) {
        stage.actions.emplace_back(gatehouse::domain::ActionName(action),
                                   std::string(1, LevelLetter(*level)));
      }
    }
    raw.stages.push_back(std::move(stage));
  }
  raw.mail_access = rights.mail_access;
  raw.catalog_access = rights.catalog_access;
  raw.files_access = rights.files_access;
  return raw;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  static const std::vector<gatehouse::domain::Pipeline> kPipelines = Pipelines();

  // Normalize on an arbitrary rights set (as the store or an import could hold it).
  Rights any;
  for (auto& row : any.levels) {
    for (Level& level : row) level = static_cast<Level>(in.ConsumeIntegralInRange(0, 3));
  }
  const int any_stages = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < any_stages; ++i) {
    gatehouse::domain::StageRights entry;
    entry.stage = {in.ConsumeIntegralInRange(0, 3), in.ConsumeIntegralInRange(0, 3)};
    for (auto& level : entry.levels) {
      int v = in.ConsumeIntegralInRange(-1, 3);
      if (v >= 0) level = static_cast<Level>(v);
    }
    any.stage_rights.push_back(entry);
  }
  gatehouse::policy::Normalize(any);
  CheckNormalized(any);

  // Validate on letters and names.
  RawRights raw;
  const int general = in.ConsumeIntegralInRange(0, 40);
  for (int i = 0; i < general; ++i) {
    std::string data_set = Pick(in, kDataSets);
    std::string action = Pick(in, kActions);
    raw.general.push_back({std::move(data_set), std::move(action), Pick(in, kLetters)});
  }
  const int stages = in.ConsumeIntegralInRange(0, 5);
  for (int i = 0; i < stages; ++i) {
    gatehouse::policy::RawStageRights stage;
    stage.pipeline_id = in.ConsumeIntegralInRange<std::int64_t>(0, 3);
    constexpr std::array<std::int64_t, 7> kStatuses = {9, 10, 11, 20, 142, 143, 77};
    stage.status_id = kStatuses[in.ConsumeIntegralInRange<std::size_t>(0, kStatuses.size() - 1)];
    const int actions = in.ConsumeIntegralInRange(0, 5);
    for (int j = 0; j < actions; ++j) {
      std::string action = Pick(in, kActions);
      stage.actions.emplace_back(std::move(action), Pick(in, kLetters));
    }
    raw.stages.push_back(std::move(stage));
  }
  raw.mail_access = in.ConsumeBool();
  raw.catalog_access = in.ConsumeBool();
  raw.files_access = in.ConsumeBool();

  auto rights = gatehouse::policy::Validate(raw, kPipelines);
  if (!rights.ok()) {
    FUZZ_CHECK(!rights.status().fields().empty(), "a refusal names its fields");
    return 0;
  }
  CheckNormalized(*rights);
  for (const auto& entry : rights->stage_rights) {
    auto pipeline = std::find_if(kPipelines.begin(), kPipelines.end(),
                                 [&](const auto& p) { return p.id == entry.stage.pipeline_id; });
    FUZZ_CHECK(pipeline != kPipelines.end() && pipeline->HasStage(entry.stage.status_id),
               "a stage entry names an existing stage");
  }
  for (std::size_t i = 1; i < rights->stage_rights.size(); ++i) {
    FUZZ_CHECK(rights->stage_rights[i - 1].stage < rights->stage_rights[i].stage,
               "stage entries are unique");
  }
  for (DataSet data_set : gatehouse::domain::kAllDataSets) {
    for (Action action : gatehouse::domain::kAllActions) {
      Level level = rights->Get(data_set, action);
      if (!gatehouse::domain::ActionApplies(data_set, action)) {
        FUZZ_CHECK(level == Level::kDenied, "an action a data set lacks stays denied");
      } else if (gatehouse::domain::TakesOnlyAllowedOrDenied(data_set, action)) {
        FUZZ_CHECK(level == Level::kAllowed || level == Level::kDenied, "only A or D");
      }
    }
  }
  auto again = gatehouse::policy::Validate(ToRaw(*rights), kPipelines);
  FUZZ_CHECK(again.ok() && *again == *rights, "validated rights read back as themselves");
  return 0;
}
