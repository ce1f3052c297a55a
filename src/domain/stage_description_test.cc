#include "domain/stage_description.h"

#include <gtest/gtest.h>

namespace gatehouse::domain {
namespace {

TEST(StageLevelTest, NamesRoundTrip) {
  const struct {
    std::string_view name;
    StageLevel level;
  } kCases[] = {{"newbie", StageLevel::kNewbie},
                {"candidate", StageLevel::kCandidate},
                {"master", StageLevel::kMaster}};
  for (const auto& c : kCases) {
    EXPECT_EQ(StageLevelName(c.level), c.name);
    EXPECT_EQ(StageLevelFromName(c.name), c.level) << c.name;
  }
}

TEST(StageLevelTest, OnlyExactNames) {
  for (std::string_view name : {"", "Newbie", "expert", "master ", "novice"}) {
    EXPECT_EQ(StageLevelFromName(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace gatehouse::domain
