// Names of the stage description levels (stage_description.h).
#include "domain/stage_description.h"

#include "base/enum_names.h"

namespace gatehouse::domain {
namespace {

constexpr base::EnumNames<StageLevel, kAllStageLevels.size()> kStageLevelNames{
    {{StageLevel::kNewbie, "newbie"},
     {StageLevel::kCandidate, "candidate"},
     {StageLevel::kMaster, "master"}}};

}  // namespace

std::string_view StageLevelName(StageLevel level) { return base::NameOf(kStageLevelNames, level); }

std::optional<StageLevel> StageLevelFromName(std::string_view name) {
  return base::ValueOf(kStageLevelNames, name);
}

}  // namespace gatehouse::domain
