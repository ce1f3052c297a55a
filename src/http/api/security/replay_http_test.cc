// Point-in-time replay over HTTP (issue 16): GET /api/v4/security/explain?...&at=T and
// GET /api/v4/security/explain/viewers, answered from history as it was at T, every response
// checked against the OpenAPI document.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "http/api/admin/admin_http_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class ReplayHttpTest : public testing::AdminRoutesTest {
 protected:
  // The time of the change just made (the state at it includes the change), then moves time on
  // so that the next change has a second of its own.
  std::int64_t Tick() {
    const std::int64_t done = clock_.NowSeconds();
    clock_.Advance(10);
    return done;
  }

  void Write(const std::function<base::Status(storage::AccountWriter&)>& body) {
    base::Status status = store_->Write(account_, body);
    ASSERT_TRUE(status.ok()) << status.ToString();
    service::RefreshPolicy(deps_, account_);
  }

  static std::string ExplainTarget(domain::UserId user, std::int64_t lead, std::int64_t at) {
    std::string target = "/api/v4/security/explain?user_id=" + std::to_string(user) +
                         "&entity_type=leads&entity_id=" + std::to_string(lead) + "&action=view";
    if (at != 0) target += "&at=" + std::to_string(at);
    return target;
  }

  static std::string ViewersTarget(std::int64_t lead, std::int64_t at) {
    std::string target =
        "/api/v4/security/explain/viewers?entity_type=leads&entity_id=" + std::to_string(lead);
    if (at != 0) target += "&at=" + std::to_string(at);
    return target;
  }

  std::vector<domain::UserId> ViewersAt(std::int64_t lead, std::int64_t at) {
    Response response = Call(Method::kGet, ViewersTarget(lead, at), admin_id_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<domain::UserId> out;
    const json body = Body(response);
    for (const json& viewer : body["_embedded"]["viewers"]) {
      out.push_back(viewer["user_id"].get<domain::UserId>());
    }
    return out;
  }
};

TEST_F(ReplayHttpTest, AnswersAsTheRightsAndTheRecordWereAtThatTime) {
  const std::int64_t created = clock_.NowSeconds();  // the account's creation: history start
  Tick();
  storage::Lead lead = AddLead(admin_id_);
  const std::int64_t owned_by_admin = Tick();
  // The lead moves to the member, who sees leads when responsible.
  Write([&](storage::AccountWriter& w) {
    lead.responsible_user_id = member_;
    return w.Update(lead);
  });
  const std::int64_t owned_by_member = Tick();
  // Then the member loses every lead right, and the lead is deleted.
  Write([&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(storage::UserRow row, w.GetUser(member_));
    row.user.rights = domain::Rights{};
    return w.UpdateUser(row);
  });
  const std::int64_t rights_removed = Tick();
  Write([&](storage::AccountWriter& w) { return w.Delete<storage::Lead>(lead.id); });
  const std::int64_t deleted = Tick();

  Response before = Call(Method::kGet, ExplainTarget(member_, lead.id, owned_by_admin), admin_id_);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(Body(before)["allowed"], false);
  EXPECT_EQ(Body(before)["rule"], "general_right");
  EXPECT_EQ(Body(before)["level"], "M");
  EXPECT_EQ(Body(before)["match"], "not_responsible");
  EXPECT_EQ(Body(before)["responsible_user_id"], admin_id_);
  EXPECT_EQ(Body(before)["at"], owned_by_admin);
  EXPECT_EQ(Body(before)["replay_from"], created);
  EXPECT_EQ(Body(before)["record_stage"]["pipeline_id"], lead.pipeline_id);
  EXPECT_EQ(Body(before)["record_stage"]["status_id"], lead.status_id);

  Response owner = Call(Method::kGet, ExplainTarget(member_, lead.id, owned_by_member), admin_id_);
  ASSERT_EQ(owner.status, 200) << owner.body;
  EXPECT_EQ(Body(owner)["allowed"], true);
  EXPECT_EQ(Body(owner)["match"], "responsible");
  EXPECT_EQ(Body(owner)["responsible_user_id"], member_);

  Response stripped =
      Call(Method::kGet, ExplainTarget(member_, lead.id, rights_removed), admin_id_);
  ASSERT_EQ(stripped.status, 200) << stripped.body;
  EXPECT_EQ(Body(stripped)["allowed"], false);
  EXPECT_EQ(Body(stripped)["level"], "D");

  // Deleted now and at `deleted`: 404 naming the time; the present-time explain agrees.
  Response gone = Call(Method::kGet, ExplainTarget(member_, lead.id, deleted), admin_id_);
  EXPECT_EQ(gone.status, 404) << gone.body;
  EXPECT_EQ(Body(gone)["detail"],
            "leads " + std::to_string(lead.id) + " not found at " + std::to_string(deleted));
  EXPECT_EQ(Call(Method::kGet, ExplainTarget(member_, lead.id, 0), admin_id_).status, 404);
  // Before it was created it did not exist either.
  EXPECT_EQ(Call(Method::kGet, ExplainTarget(member_, lead.id, created), admin_id_).status, 404);

  // Who could view it: the administrator always, the member only while responsible with rights.
  EXPECT_EQ(ViewersAt(lead.id, owned_by_admin), (std::vector<domain::UserId>{admin_id_}));
  EXPECT_EQ(ViewersAt(lead.id, owned_by_member), (std::vector<domain::UserId>{admin_id_, member_}));
  EXPECT_EQ(ViewersAt(lead.id, rights_removed), (std::vector<domain::UserId>{admin_id_}));
  Response viewers = Call(Method::kGet, ViewersTarget(lead.id, owned_by_member), admin_id_);
  const json listed = Body(viewers);
  const json& member_row = listed["_embedded"]["viewers"][1];
  EXPECT_EQ(member_row["rule"], "general_right");
  EXPECT_EQ(member_row["match"], "responsible");
  EXPECT_EQ(listed["responsible_user_id"], member_);
  EXPECT_EQ(Call(Method::kGet, ViewersTarget(lead.id, 0), admin_id_).status, 404);
}

TEST_F(ReplayHttpTest, RefusesTimesWithoutHistoryAndNonAdministrators) {
  const std::int64_t created = clock_.NowSeconds();
  storage::Lead lead = AddLead(member_);
  Tick();
  // Before the history starts: 400 on `at`, saying from when replay is possible.
  Response early = Call(Method::kGet, ExplainTarget(member_, lead.id, created - 1), admin_id_);
  ASSERT_EQ(early.status, 400) << early.body;
  const json early_body = Body(early);
  const json& error = early_body["validation-errors"][0]["errors"][0];
  EXPECT_EQ(error["path"], "at");
  EXPECT_NE(
      error["detail"].get<std::string>().find("replay is possible from " + std::to_string(created)),
      std::string::npos)
      << early.body;
  EXPECT_EQ(Call(Method::kGet, ViewersTarget(lead.id, created - 1), admin_id_).status, 400);
  // In the future: 400 on `at`.
  Response future =
      Call(Method::kGet, ExplainTarget(member_, lead.id, clock_.NowSeconds() + 60), admin_id_);
  ASSERT_EQ(future.status, 400) << future.body;
  EXPECT_EQ(Body(future)["validation-errors"][0]["errors"][0]["path"], "at");
  // Not a number: 400 on `at`.
  Response bogus =
      Call(Method::kGet, ExplainTarget(member_, lead.id, 0) + "&at=yesterday", admin_id_);
  ASSERT_EQ(bogus.status, 400) << bogus.body;
  EXPECT_EQ(Body(bogus)["validation-errors"][0]["errors"][0]["path"], "at");
  // A user who did not exist at that time: 404.
  const std::int64_t before_newcomer = Tick();
  const domain::UserId newcomer = AddUser("new@acme.test", LeadsView(domain::Level::kAllowed));
  Tick();
  Response unborn =
      Call(Method::kGet, ExplainTarget(newcomer, lead.id, before_newcomer), admin_id_);
  EXPECT_EQ(unborn.status, 404) << unborn.body;
  // Replay is the administrators' investigation tool, even about one's own past access.
  EXPECT_EQ(Call(Method::kGet, ExplainTarget(member_, lead.id, created), member_).status, 403);
  EXPECT_EQ(Call(Method::kGet, ViewersTarget(lead.id, 0), member_).status, 403);
  // Without at=, members still explain their own access today.
  EXPECT_EQ(Call(Method::kGet, ExplainTarget(member_, lead.id, 0), member_).status, 200);
}

}  // namespace
}  // namespace gatehouse::http::api
