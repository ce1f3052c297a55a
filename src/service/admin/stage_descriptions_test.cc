// Stage descriptions through the admin service: written with a stage's add or update by
// administrators only, checked per level, logged in the stage's event, read by every user.
#include <gtest/gtest.h>

#include <string>

#include "service/admin/admin_settings.h"
#include "service/service_test_util.h"

namespace gatehouse::service {
namespace {

using domain::StageLevel;

class StageDescriptionsServiceTest : public testing::AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    main_ = admin_service_.ListPipelines(Admin())->front();
    for (const domain::Stage& s : main_.stages) {
      if (s.type == domain::kStageTypeNormal && stage_ == 0) stage_ = s.id;
    }
  }

  static StageInput Describe(std::vector<StageDescriptionInput> descriptions) {
    return StageInput{.descriptions = std::move(descriptions)};
  }

  std::vector<domain::StageDescription> Stored() {
    auto read = admin_service_.StageDescriptions(Admin(), main_.id);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? *read : std::vector<domain::StageDescription>{};
  }

  domain::Pipeline main_;
  domain::StatusId stage_ = 0;
};

TEST_F(StageDescriptionsServiceTest, UpdateWritesAndLogsTheChangedLevels) {
  auto updated = admin_service_.UpdateStage(
      Admin(), main_.id, stage_,
      Describe({{StageLevel::kNewbie, "Call within an hour"}, {StageLevel::kMaster, "Upsell"}}));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  std::vector<domain::StageDescription> stored = Stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].level, StageLevel::kNewbie);
  EXPECT_EQ(stored[0].description, "Call within an hour");
  EXPECT_EQ(stored[0].created_by, admin_);
  auto logged = EventsOfType("status_updated");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].value_before_json.find(R"("descriptions":{"master":"","newbie":""})"),
            std::string::npos)
      << logged[0].value_before_json;
  EXPECT_NE(logged[0].value_after_json.find(
                R"("descriptions":{"master":"Upsell","newbie":"Call within an hour"})"),
            std::string::npos)
      << logged[0].value_after_json;

  // An empty text removes the level's; an unchanged one is not logged as a change.
  ASSERT_TRUE(
      admin_service_
          .UpdateStage(Admin(), main_.id, stage_,
                       Describe({{StageLevel::kNewbie, ""}, {StageLevel::kMaster, "Upsell"}}))
          .ok());
  stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].level, StageLevel::kMaster);
  logged = EventsOfType("status_updated");
  ASSERT_EQ(logged.size(), 2u);
  const std::string& after = logged[0].value_after_json.find("Call within") == std::string::npos
                                 ? logged[0].value_after_json
                                 : logged[1].value_after_json;
  EXPECT_NE(after.find(R"("descriptions":{"newbie":""})"), std::string::npos) << after;
}

TEST_F(StageDescriptionsServiceTest, AddedStagesTakeTheirDescriptions) {
  StageInput hot{.name = "Hot", .descriptions = {{StageLevel::kCandidate, "Ask for a budget"}}};
  auto added = admin_service_.AddStages(Admin(), main_.id, {hot}, nullptr);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::vector<domain::StageDescription> stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status_id, added->at(0).id);
  EXPECT_EQ(stored[0].level, StageLevel::kCandidate);
  auto logged = EventsOfType("status_added");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].value_after_json.find(R"("descriptions":{"candidate":"Ask for a budget"})"),
            std::string::npos)
      << logged[0].value_after_json;
}

TEST_F(StageDescriptionsServiceTest, OnlyAdministratorsWriteAndEveryUserReads) {
  const domain::UserId user = AddUser("ann@acme.test", LeadsView(Level::kAllowed));
  EXPECT_EQ(admin_service_
                .UpdateStage(As(user), main_.id, stage_, Describe({{StageLevel::kNewbie, "Mine"}}))
                .status()
                .code(),
            Code::kPermissionDenied);
  StageInput added{.name = "Hot", .descriptions = {{StageLevel::kNewbie, "Mine"}}};
  EXPECT_EQ(admin_service_.AddStages(As(user), main_.id, {added}, nullptr).status().code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(Stored().empty());
  EXPECT_TRUE(EventsOfType("status_updated").empty());

  ASSERT_TRUE(
      admin_service_.UpdateStage(Admin(), main_.id, stage_, Describe({{StageLevel::kNewbie, "Hi"}}))
          .ok());
  auto read = admin_service_.StageDescriptions(As(user), main_.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->at(0).description, "Hi");
}

TEST_F(StageDescriptionsServiceTest, BadDescriptionsAreRefusedByPath) {
  auto twice = admin_service_.UpdateStage(
      Admin(), main_.id, stage_,
      Describe(
          {{StageLevel::kNewbie, "a"}, {StageLevel::kMaster, "b"}, {StageLevel::kNewbie, "c"}}));
  ASSERT_EQ(twice.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(twice.status().fields().size(), 1u);
  EXPECT_EQ(twice.status().fields()[0].path, "descriptions.2.level");
  EXPECT_EQ(twice.status().fields()[0].code, "Duplicate");

  std::string longest;
  for (std::size_t i = 0; i < domain::kMaxStageDescription; ++i) longest += "\xc3\xa9";  // é
  auto too_long = admin_service_.UpdateStage(
      Admin(), main_.id, stage_,
      Describe({{StageLevel::kNewbie, longest}, {StageLevel::kMaster, longest + "!"}}));
  ASSERT_EQ(too_long.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(too_long.status().fields().size(), 1u);
  EXPECT_EQ(too_long.status().fields()[0].path, "descriptions.1.description");
  EXPECT_EQ(too_long.status().fields()[0].code, "TooLong");
  EXPECT_TRUE(Stored().empty());
  // Counted in characters, not bytes: the longest text is taken.
  EXPECT_TRUE(
      admin_service_
          .UpdateStage(Admin(), main_.id, stage_, Describe({{StageLevel::kNewbie, longest}}))
          .ok());

  // The incoming-leads stage is not editable, its descriptions included.
  auto incoming = admin_service_.UpdateStage(Admin(), main_.id, main_.stages.front().id,
                                             Describe({{StageLevel::kNewbie, "x"}}));
  EXPECT_EQ(incoming.status().code(), Code::kFailedPrecondition);

  // A new pipeline's stages take none: they are written through the pipeline's statuses.
  PipelineInput pipeline{
      .name = "Partners",
      .stages = {{.name = "Talk", .descriptions = {{StageLevel::kNewbie, "x"}}}}};
  std::vector<ItemErrors> errors;
  EXPECT_EQ(admin_service_.CreatePipelines(Admin(), {pipeline}, &errors).status().code(),
            Code::kInvalidArgument);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].errors.at(0).path, "_embedded.statuses.0.descriptions");
  PipelineInput renamed{.name = "Main", .stages = pipeline.stages};
  auto patched = admin_service_.UpdatePipeline(Admin(), main_.id, renamed);
  ASSERT_EQ(patched.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(patched.status().fields().at(0).path, "_embedded.statuses.0.descriptions");
  EXPECT_EQ(admin_service_.GetPipeline(Admin(), main_.id)->name, main_.name);  // nothing written
}

}  // namespace
}  // namespace gatehouse::service
