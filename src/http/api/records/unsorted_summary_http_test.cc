// GET /api/v4/leads/unsorted/summary through the Router: routed before /unsorted/{uid}, Kommo's
// shape with every category, the counts of posted, accepted and declined items, the filters,
// a 400 naming every bad key or value, and zeros for a user who may view no incoming lead.
// Every response is checked against the OpenAPI document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

constexpr char kSummary[] = "/api/v4/leads/unsorted/summary";

class UnsortedSummaryHttpTest : public IncomingHttpTest {
 protected:
  // Posts a form as handler_ at the clock's time; its uid ("" on failure).
  std::string PostForm(const std::string& source) {
    Response r = Send(Method::kPost, "/api/v4/leads/unsorted/forms", handler_,
                      json::array({{{"source_uid", source}}}).dump());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    return Body(r)["_embedded"]["unsorted"][0]["uid"];
  }

  json Summary(const std::string& query, domain::UserId user) {
    Response r = Send(Method::kGet, std::string(kSummary) + query, user);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  }

  // Kommo's summary with these counts; the categories but forms are 0.
  static json Expected(int total, int accepted, int declined, int average, int forms) {
    return {{"total", total},
            {"accepted", accepted},
            {"declined", declined},
            {"average_sort_time", average},
            {"categories",
             {{"sip", {{"total", 0}}},
              {"forms", {{"total", forms}}},
              {"mail", {{"total", 0}}},
              {"chats", {{"total", 0}}}}}};
  }
};

TEST_F(UnsortedSummaryHttpTest, CountsPostedAcceptedAndDeclinedItems) {
  // Routed to the summary, not read as the item with uid "summary".
  EXPECT_EQ(Summary("", handler_), Expected(0, 0, 0, 0, 0));
  const std::int64_t first_at = clock_.NowSeconds();
  const std::string accepted = PostForm("site-1");
  const std::string declined = PostForm("site-2");
  clock_.Advance(60);
  const std::string pending = PostForm("site-3");
  clock_.Advance(30);
  ASSERT_EQ(Send(Method::kPost, "/api/v4/leads/unsorted/" + accepted + "/accept", handler_).status,
            200);
  clock_.Advance(1);
  ASSERT_EQ(
      Send(Method::kDelete, "/api/v4/leads/unsorted/" + declined + "/decline", handler_).status,
      200);
  // 90 and 91 seconds: the mean 90.5 is rounded down.
  EXPECT_EQ(Summary("", handler_), Expected(3, 1, 1, 90, 3));
  EXPECT_EQ(Summary("?filter[uid]=" + accepted, handler_), Expected(1, 1, 0, 90, 1));
  EXPECT_EQ(Summary("?filter[uid][]=" + declined + "&filter[uid][]=" + pending, handler_),
            Expected(2, 0, 1, 91, 2));
  EXPECT_EQ(Summary("?filter[created_at][from]=" + std::to_string(first_at + 1), handler_),
            Expected(1, 0, 0, 0, 1));
  EXPECT_EQ(Summary("?filter[created_at][to]=" + std::to_string(first_at), handler_),
            Expected(2, 1, 1, 90, 2));
  EXPECT_EQ(Summary("?filter[pipeline_id]=" + std::to_string(pipeline_), handler_),
            Expected(3, 1, 1, 90, 3));
  EXPECT_EQ(Summary("?filter[pipeline_id][]=" + std::to_string(pipeline_ + 1000), handler_),
            Expected(0, 0, 0, 0, 0));
  // The item itself is still read by its uid.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted/" + pending, handler_).status, 200);
}

TEST_F(UnsortedSummaryHttpTest, RefusesUnknownKeysAndBadValuesByName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"?page=2", "page"},
      {"?filter[category]=sip", "filter[category]"},
      {"?filter[pipeline_id]=main", "filter[pipeline_id]"},
      {"?filter[pipeline_id]=0", "filter[pipeline_id]"},
      {"?filter[created_at][from]=today", "filter[created_at][from]"},
      {"?filter[created_at][at]=1", "filter[created_at]"},
      {"?filter[uid][x][y]=1", "filter[uid]"},
  };
  for (const auto& [query, path] : cases) {
    Response r = Send(Method::kGet, std::string(kSummary) + query, handler_);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_NE(r.body.find("\"" + path), std::string::npos) << query << ": " << r.body;
  }
}

// Counted as the list decides visibility: a user without the view right on incoming leads gets
// an empty list (204) and a summary of zeros, not a 403.
TEST_F(UnsortedSummaryHttpTest, CountsOnlyWhatTheCallerMayView) {
  ASSERT_FALSE(PostForm("site-1").empty());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/unsorted", allowed_).status, 204);
  EXPECT_EQ(Summary("", allowed_), Expected(0, 0, 0, 0, 0));
  EXPECT_EQ(Summary("", handler_), Expected(1, 0, 0, 0, 1));
}

}  // namespace
}  // namespace gatehouse::http::api
