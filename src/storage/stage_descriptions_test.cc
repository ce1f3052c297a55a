// Stage descriptions in the store (migration 24), on both engines: written, replaced and
// removed per level, kept per pipeline, and deleted with their stage or pipeline.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using domain::StageLevel;

class StageDescriptionsTest : public StoreTest {
 protected:
  void Populate() override {
    store_->set_clock(&clock_);
    account_ = NewAccount("guides");
    author_ = NewUser(account_, "author@guides.test");
    editor_ = NewUser(account_, "editor@guides.test");
    main_ = store_->Reader(account_).ListPipelines()->front();
    other_ = NewPipeline(account_, "Second", {{.name = "Talk"}});
  }

  Status Set(domain::PipelineId pipeline, domain::StatusId stage, StageLevel level,
             std::string text, UserId by) {
    return store_->Write(account_, [&](AccountWriter& w) {
      return w.SetStageDescription(pipeline, stage, level, text, by);
    });
  }

  std::vector<domain::StageDescription> Read(domain::PipelineId pipeline) {
    auto read = store_->Reader(account_).StageDescriptions(pipeline);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? *read : std::vector<domain::StageDescription>{};
  }

  domain::StatusId Working(const domain::Pipeline& p, std::size_t n) {
    std::vector<domain::StatusId> working;
    for (const auto& s : p.stages) {
      if (s.type == domain::kStageTypeNormal && s.id != domain::kWonStatusId &&
          s.id != domain::kLostStatusId) {
        working.push_back(s.id);
      }
    }
    return working.at(n);
  }

  base::FakeClock clock_{1'760'000'000};
  AccountId account_ = 0;
  UserId author_ = 0;
  UserId editor_ = 0;
  domain::Pipeline main_;
  domain::Pipeline other_;
};

TEST_P(StageDescriptionsTest, WrittenReplacedAndRemovedPerLevel) {
  const domain::StatusId stage = Working(main_, 0);
  ASSERT_TRUE(Set(main_.id, stage, StageLevel::kMaster, "Close fast", author_).ok());
  ASSERT_TRUE(Set(main_.id, stage, StageLevel::kNewbie, "Call first", author_).ok());
  std::vector<domain::StageDescription> read = Read(main_.id);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].level, StageLevel::kNewbie);  // by level, not by write
  EXPECT_EQ(read[0].description, "Call first");
  EXPECT_EQ(read[0].pipeline_id, main_.id);
  EXPECT_EQ(read[0].status_id, stage);
  EXPECT_EQ(read[0].created_at, 1'760'000'000);
  EXPECT_EQ(read[0].created_by, author_);
  EXPECT_EQ(read[0].updated_by, author_);
  EXPECT_GT(read[0].id, 0);
  EXPECT_EQ(read[1].level, StageLevel::kMaster);

  clock_.Advance(60);
  ASSERT_TRUE(Set(main_.id, stage, StageLevel::kNewbie, "Call first, then mail", editor_).ok());
  ASSERT_TRUE(Set(main_.id, stage, StageLevel::kMaster, "Close fast", editor_).ok());  // same
  read = Read(main_.id);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].description, "Call first, then mail");
  EXPECT_EQ(read[0].created_at, 1'760'000'000);
  EXPECT_EQ(read[0].created_by, author_);
  EXPECT_EQ(read[0].updated_at, 1'760'000'060);
  EXPECT_EQ(read[0].updated_by, editor_);
  EXPECT_EQ(read[1].updated_at, 1'760'000'000);  // an unchanged text is not an edit
  EXPECT_EQ(read[1].updated_by, author_);

  ASSERT_TRUE(Set(main_.id, stage, StageLevel::kNewbie, "", editor_).ok());
  read = Read(main_.id);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].level, StageLevel::kMaster);
}

TEST_P(StageDescriptionsTest, ClosingStagesHaveTextsPerPipeline) {
  ASSERT_TRUE(Set(main_.id, domain::kWonStatusId, StageLevel::kNewbie, "Main won", author_).ok());
  ASSERT_TRUE(Set(other_.id, domain::kWonStatusId, StageLevel::kNewbie, "Other won", author_).ok());
  ASSERT_EQ(Read(main_.id).size(), 1u);
  EXPECT_EQ(Read(main_.id)[0].description, "Main won");
  ASSERT_EQ(Read(other_.id).size(), 1u);
  EXPECT_EQ(Read(other_.id)[0].description, "Other won");
  // Another account sees none of them, and cannot write to these stages.
  const AccountId stranger = NewAccount("strangers");
  EXPECT_TRUE(store_->Reader(stranger).StageDescriptions(main_.id)->empty());
  EXPECT_EQ(store_
                ->Write(stranger,
                        [&](AccountWriter& w) {
                          return w.SetStageDescription(main_.id, domain::kWonStatusId,
                                                       StageLevel::kNewbie, "x", 0);
                        })
                .code(),
            Code::kNotFound);
  auto c = store_->pool().Acquire();
  auto rows = c->Query("SELECT COUNT(*) FROM stage_descriptions");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(sql::AsInt(rows->rows.at(0).at(0)), 2);
  EXPECT_EQ(Read(main_.id)[0].description, "Main won");
}

TEST_P(StageDescriptionsTest, AStageThatDoesNotExistIsRefused) {
  Status refused = Set(main_.id, 987654, StageLevel::kNewbie, "Nowhere", author_);
  EXPECT_EQ(refused.code(), Code::kNotFound) << refused.ToString();
  EXPECT_TRUE(Read(main_.id).empty());
}

TEST_P(StageDescriptionsTest, DeletedWithTheirStageAndPipeline) {
  const domain::StatusId kept = Working(main_, 0);
  const domain::StatusId dropped = Working(main_, 1);
  ASSERT_TRUE(Set(main_.id, kept, StageLevel::kNewbie, "Kept", author_).ok());
  ASSERT_TRUE(Set(main_.id, dropped, StageLevel::kCandidate, "Dropped", author_).ok());
  ASSERT_TRUE(Set(other_.id, Working(other_, 0), StageLevel::kMaster, "Gone", author_).ok());
  ASSERT_TRUE(Set(other_.id, domain::kLostStatusId, StageLevel::kMaster, "Gone", author_).ok());
  ASSERT_TRUE(store_
                  ->Write(account_,
                          [&](AccountWriter& w) {
                            GH_RETURN_IF_ERROR(w.DeleteStage(main_.id, dropped));
                            return w.DeletePipeline(other_.id);
                          })
                  .ok());
  std::vector<domain::StageDescription> read = Read(main_.id);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].status_id, kept);
  EXPECT_TRUE(Read(other_.id).empty());
  auto c = store_->pool().Acquire();
  auto rows = c->Query("SELECT COUNT(*) FROM stage_descriptions");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(sql::AsInt(rows->rows.at(0).at(0)), 1);
}

GH_INSTANTIATE_STORE_TEST(StageDescriptionsTest);

}  // namespace
}  // namespace gatehouse::storage
