#include "domain/account.h"

#include <gtest/gtest.h>

namespace gatehouse::domain {
namespace {

TEST(AccountTest, PipelineHasWonLostAndListedStages) {
  const Pipeline pipeline{
      .id = 3,
      .stages = {{10, "Incoming", 0, kStageTypeIncoming}, {11, "New", 10, kStageTypeNormal}}};
  EXPECT_TRUE(pipeline.HasStage(kWonStatusId));
  EXPECT_TRUE(pipeline.HasStage(kLostStatusId));
  EXPECT_TRUE(pipeline.HasStage(10));
  EXPECT_TRUE(pipeline.HasStage(11));
  EXPECT_FALSE(pipeline.HasStage(12));
  EXPECT_FALSE(pipeline.HasStage(0));
  EXPECT_TRUE(Pipeline{}.HasStage(142));
  EXPECT_FALSE(Pipeline{}.HasStage(141));
}

// Seats and the last-administrator rule count only active, paid users.
TEST(AccountTest, StageColorsAreAHashAndSixHexDigits) {
  for (const char* good : {"#99ccff", "#CCFF66"}) EXPECT_TRUE(IsStageColor(good)) << good;
  for (const char* bad : {"", "99ccff", "#99ccf", "#99ccffa", "#99ccfz", "red"}) {
    EXPECT_FALSE(IsStageColor(bad)) << bad;
  }
}

TEST(AccountTest, SeatsAndActiveAdministrators) {
  struct Case {
    bool is_admin, is_active, is_free;
    bool seat, active_admin;
  };
  const Case cases[] = {
      {false, true, false, true, false},  {true, true, false, true, true},
      {true, false, false, false, false}, {true, true, true, false, false},
      {false, true, true, false, false},  {false, false, false, false, false},
  };
  for (const Case& c : cases) {
    const User user{.is_admin = c.is_admin, .is_active = c.is_active, .is_free = c.is_free};
    EXPECT_EQ(user.HoldsSeat(), c.seat) << c.is_admin << c.is_active << c.is_free;
    EXPECT_EQ(user.IsActiveAdmin(), c.active_admin) << c.is_admin << c.is_active << c.is_free;
  }
}

TEST(AccountTest, Finders) {
  AccountModel model;
  model.users.resize(2);
  model.users[0].id = 5;
  model.users[1].id = 7;
  model.roles.resize(1);
  model.roles[0].id = 9;
  model.pipelines.resize(1);
  model.pipelines[0].id = 3;
  EXPECT_EQ(model.FindUser(7), &model.users[1]);
  EXPECT_EQ(model.FindUser(6), nullptr);
  EXPECT_EQ(model.FindRole(9), &model.roles[0]);
  EXPECT_EQ(model.FindRole(5), nullptr);
  EXPECT_EQ(model.FindPipeline(3), &model.pipelines[0]);
  EXPECT_EQ(model.FindPipeline(4), nullptr);
}

}  // namespace
}  // namespace gatehouse::domain
