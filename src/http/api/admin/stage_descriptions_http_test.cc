// Stage descriptions over HTTP (kommo-api-v4.md §8): written through the statuses' POST and
// PATCH by administrators, read by every user with GET .../statuses?with=descriptions (and one
// status), their dates as Kommo's strings; without the with the answers do not change.
#include <gtest/gtest.h>

#include <string>

#include "http/api/admin/admin_http_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class StageDescriptionsHttpTest : public AdminHttpTest {
 protected:
  void SetUp() override {
    AdminHttpTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const json pipeline =
        Body(Call(Method::kGet, "/api/v4/leads/pipelines", member_))["_embedded"]["pipelines"][0];
    pipeline_id_ = pipeline["id"];
    statuses_ = "/api/v4/leads/pipelines/" + std::to_string(pipeline_id_) + "/statuses";
    stage_id_ = pipeline["_embedded"]["statuses"][1]["id"];  // the first working stage
    stage_ = statuses_ + "/" + std::to_string(stage_id_);
  }

  // The paths of a 400's validation errors.
  static std::vector<std::string> ErrorPaths(const Response& response) {
    std::vector<std::string> paths;
    const json body = Body(response);
    for (const json& item : body.value("validation-errors", json::array())) {
      for (const json& error : item["errors"]) paths.push_back(error["path"]);
    }
    return paths;
  }

  std::int64_t pipeline_id_ = 0;
  std::int64_t stage_id_ = 0;
  std::string statuses_;
  std::string stage_;
};

TEST_F(StageDescriptionsHttpTest, WrittenByPatchAndReadWithTheirStringDates) {
  const std::string before_list = Call(Method::kGet, statuses_, member_).body;
  const std::string before_one = Call(Method::kGet, stage_, member_).body;
  Response patched = Call(Method::kPatch, stage_, admin_id_,
                          R"({"descriptions":[{"level":"newbie","description":"Call first"},
                                              {"level":"master","description":"Upsell"}]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(Body(patched).contains("descriptions"));
  // Without the with, nothing changes.
  EXPECT_EQ(Call(Method::kGet, statuses_, member_).body, before_list);
  EXPECT_EQ(Call(Method::kGet, stage_, member_).body, before_one);

  Response listed = Call(Method::kGet, statuses_ + "?with=descriptions", member_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json statuses = Body(listed)["_embedded"]["statuses"];
  for (const json& status : statuses) {
    ASSERT_TRUE(status["descriptions"].is_array()) << status;
    if (status["id"] != stage_id_) {
      EXPECT_TRUE(status["descriptions"].empty()) << status;
    }
  }
  const json one = Body(Call(Method::kGet, stage_ + "?with=descriptions", member_));
  ASSERT_EQ(one["descriptions"].size(), 2u) << one;
  const json& newbie = one["descriptions"][0];
  EXPECT_EQ(newbie["level"], "newbie");
  EXPECT_EQ(newbie["description"], "Call first");
  EXPECT_EQ(newbie["created_at"], "2025-06-15 15:06:40");  // the fixture's clock, in UTC
  EXPECT_EQ(newbie["updated_at"], "2025-06-15 15:06:40");
  EXPECT_EQ(newbie["created_by"], admin_id_);
  EXPECT_EQ(newbie["updated_by"], admin_id_);
  EXPECT_EQ(newbie["pipeline_id"], pipeline_id_);
  EXPECT_EQ(newbie["status_id"], stage_id_);
  EXPECT_EQ(newbie["account_id"], one["account_id"]);
  EXPECT_TRUE(newbie["id"].is_number_integer());
  EXPECT_EQ(one["descriptions"][1]["level"], "master");

  // A later edit moves updated_at only; an empty text removes the level's.
  clock_.Advance(3661);
  ASSERT_EQ(Call(Method::kPatch, stage_, admin_id_,
                 R"({"descriptions":[{"level":"newbie","description":"Call twice"},
                                     {"level":"master","description":""}]})")
                .status,
            200);
  const json again = Body(Call(Method::kGet, stage_ + "?with=descriptions", member_));
  ASSERT_EQ(again["descriptions"].size(), 1u) << again;
  EXPECT_EQ(again["descriptions"][0]["created_at"], "2025-06-15 15:06:40");
  EXPECT_EQ(again["descriptions"][0]["updated_at"], "2025-06-15 16:07:41");
}

TEST_F(StageDescriptionsHttpTest, AddedStagesTakeThemAndWritesAreForAdministrators) {
  Response added =
      Call(Method::kPost, statuses_, admin_id_,
           R"([{"name":"Hot","descriptions":[{"level":"candidate","description":"Ask"}]}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t hot = Body(added)["_embedded"]["statuses"][0]["id"];
  const json one = Body(
      Call(Method::kGet, statuses_ + "/" + std::to_string(hot) + "?with=descriptions", member_));
  ASSERT_EQ(one["descriptions"].size(), 1u) << one;
  EXPECT_EQ(one["descriptions"][0]["level"], "candidate");

  EXPECT_EQ(Call(Method::kPatch, stage_, member_,
                 R"({"descriptions":[{"level":"newbie","description":"Mine"}]})")
                .status,
            403);
  EXPECT_TRUE(
      Body(Call(Method::kGet, stage_ + "?with=descriptions", member_))["descriptions"].empty());
}

TEST_F(StageDescriptionsHttpTest, BadInputIsRefusedNamingTheField) {
  const struct {
    const char* body;
    const char* path;
  } kCases[] = {
      {R"({"descriptions":[{"level":"expert","description":"x"}]})", "descriptions.0.level"},
      {R"({"descriptions":[{"level":"newbie"}]})", "descriptions.0.description"},
      {R"({"descriptions":[{"level":"newbie","description":5}]})", "descriptions.0.description"},
      {R"({"descriptions":[{"level":"newbie","description":"a","colour":1}]})",
       "descriptions.0.colour"},
      {R"({"descriptions":{"level":"newbie"}})", "descriptions"},
      {R"({"descriptions":["newbie"]})", "descriptions.0"},
      {R"({"descriptions":[{"level":"master","description":"a"},
                           {"level":"master","description":"b"}]})",
       "descriptions.1.level"},
  };
  for (const auto& c : kCases) {
    Response refused = Call(Method::kPatch, stage_, admin_id_, c.body);
    EXPECT_EQ(refused.status, 400) << c.body << refused.body;
    EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{c.path}) << refused.body;
  }
  const std::string long_text(1001, 'a');
  Response too_long =
      Call(Method::kPatch, stage_, admin_id_,
           R"({"descriptions":[{"level":"newbie","description":")" + long_text + R"("}]})");
  EXPECT_EQ(too_long.status, 400) << too_long.body;
  EXPECT_EQ(ErrorPaths(too_long), std::vector<std::string>{"descriptions.0.description"});
  Response in_pipeline = Call(Method::kPost, "/api/v4/leads/pipelines", admin_id_,
                              R"([{"name":"P","_embedded":{"statuses":[{"name":"A",
                                  "descriptions":[{"level":"newbie","description":"x"}]}]}}])");
  EXPECT_EQ(in_pipeline.status, 400) << in_pipeline.body;
  EXPECT_EQ(ErrorPaths(in_pipeline), std::vector<std::string>{"_embedded.statuses.0.descriptions"});
  // Only with=descriptions, and only on the statuses.
  Response unknown_with = Call(Method::kGet, statuses_ + "?with=leads", member_);
  EXPECT_EQ(unknown_with.status, 400) << unknown_with.body;
  EXPECT_NE(unknown_with.body.find("with=leads"), std::string::npos) << unknown_with.body;
  EXPECT_EQ(Call(Method::kGet, "/api/v4/leads/pipelines?with=descriptions", member_).status, 400);
  EXPECT_TRUE(
      Body(Call(Method::kGet, stage_ + "?with=descriptions", member_))["descriptions"].empty());
}

}  // namespace
}  // namespace gatehouse::http::api
