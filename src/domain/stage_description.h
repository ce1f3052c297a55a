// Stage descriptions (Kommo's `descriptions` of a pipeline status): the guidance salespeople read
// at a stage, one text per experience level. The API names the levels "newbie", "candidate" and
// "master"; they are converted here only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/ids.h"

namespace gatehouse::domain {

enum class StageLevel : std::uint8_t { kNewbie, kCandidate, kMaster };
inline constexpr std::array<StageLevel, 3> kAllStageLevels = {
    StageLevel::kNewbie, StageLevel::kCandidate, StageLevel::kMaster};

// Most characters (code points) one description holds.
inline constexpr std::size_t kMaxStageDescription = 1000;

std::string_view StageLevelName(StageLevel level);  // "newbie", "candidate", "master"
// The level named exactly `name`, or nullopt.
std::optional<StageLevel> StageLevelFromName(std::string_view name);

// One level's text of one stage. A stage has at most one per level; a level without text has
// none (an empty text is never stored).
struct StageDescription {
  std::int64_t id = 0;
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  StageLevel level = StageLevel::kNewbie;
  std::string description{};
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  bool operator==(const StageDescription&) const = default;
};

}  // namespace gatehouse::domain
