// page, limit and order on every list of the API, through the Router: one parser
// (http/api/paging.h), so out of range or not a number is a 400 naming the parameter everywhere
// (never clamped), and a valid page is answered with that page.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api/auth/auth_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

class PagingHttpTest : public testing::RoutesFixture {
 protected:
  void SetUp() override {
    RoutesFixture::SetUp();
    RegisterRecordRoutes(router_, context_);
    RegisterAdminRoutes(router_, context_);
    admin_web_ = MustWebLogin("admin@acme.test");
  }

  Response Get(const std::string& target) {
    return Send(WithSession(MakeRequest(Method::kGet, target), admin_web_));
  }
  Response Post(const std::string& target, const json& body) {
    return Send(WithSession(MakeRequest(Method::kPost, target, body.dump()), admin_web_));
  }

  // `target` lists at least three items: limit=1&page=2 answers the second of the full list,
  // with _page 2 and links to the pages around it.
  void ExpectSecondPageOfOne(const std::string& target, const std::string& plural) {
    Response all = Get(target + "?limit=250");
    ASSERT_EQ(all.status, 200) << target << ": " << all.body;
    const json items = BodyOf(all)["_embedded"][plural];
    ASSERT_GE(items.size(), 3u) << target;
    Response page = Get(target + "?limit=1&page=2");
    ASSERT_EQ(page.status, 200) << target << ": " << page.body;
    const json body = BodyOf(page);
    EXPECT_EQ(body["_page"], 2) << target;
    ASSERT_EQ(body["_embedded"][plural].size(), 1u) << target << ": " << page.body;
    EXPECT_EQ(body["_embedded"][plural][0]["id"], items[1]["id"]) << target;
    EXPECT_TRUE(body["_links"].contains("prev")) << target;
    EXPECT_TRUE(body["_links"].contains("next")) << target;
    // Past the end: 204, as for every list.
    EXPECT_EQ(Get(target + "?limit=250&page=2").status, 204) << target;
  }

  WebSession admin_web_;
};

TEST_F(PagingHttpTest, BadPageOrLimitIsA400NamingItOnEveryList) {
  const std::vector<std::string> targets = {"/api/v4/security/sessions",
                                            "/api/v4/security/tokens",
                                            "/api/v4/security/approvals",
                                            "/api/v4/talks",
                                            "/api/v4/talks/1/messages",
                                            "/api/v4/catalogs",
                                            "/api/v4/catalogs/1/elements",
                                            "/api/v4/leads",
                                            "/api/v4/tasks",
                                            "/api/v4/leads/notes",
                                            "/api/v4/leads/1/notes",
                                            "/api/v4/leads/tags",
                                            "/api/v4/leads/loss_reasons",
                                            "/api/v4/leads/custom_fields",
                                            "/api/v4/users",
                                            "/api/v4/roles",
                                            "/api/v4/users_groups",
                                            "/api/v4/events"};
  struct Case {
    std::string query;
    std::string path;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"limit=0", "limit", "InvalidValue"},  {"limit=251", "limit", "InvalidValue"},
      {"limit=-5", "limit", "InvalidValue"}, {"limit=abc", "limit", "InvalidType"},
      {"page=0", "page", "InvalidValue"},    {"page=1000001", "page", "InvalidValue"},
      {"page=abc", "page", "InvalidType"},   {"page=2147483648", "page", "InvalidValue"},
  };
  for (const std::string& target : targets) {
    for (const Case& c : cases) {
      Response response = Get(target + "?" + c.query);
      if (response.status != 400) {  // go on: one run names every list that accepts it
        ADD_FAILURE() << target << "?" << c.query << ": " << response.status << " "
                      << response.body;
        continue;
      }
      EXPECT_EQ(response.content_type, kProblemJson);
      const json body = BodyOf(response);
      ASSERT_TRUE(body.contains("validation-errors")) << target << "?" << c.query;
      const json& error = body["validation-errors"][0]["errors"][0];
      EXPECT_EQ(error["path"], c.path) << target << "?" << c.query;
      EXPECT_EQ(error["code"], c.code) << target << "?" << c.query;
      if (c.code == "InvalidValue") {
        // One wording everywhere.
        EXPECT_EQ(error["detail"], c.path == "page" ? "page must be between 1 and 1000000"
                                                    : "limit must be between 1 and 250")
            << target << "?" << c.query;
      }
    }
  }
}

TEST_F(PagingHttpTest, BadOrderIsA400InTheSameWordsOnEverySortedList) {
  struct Case {
    std::string query;
    std::string path;
    std::string code;
    std::string detail;
  };
  const std::string directions = "order direction must be asc or desc";
  const std::vector<Case> common = {
      {"order[name]=asc", "order[name]", "NotSupportedChoice", ""},
      {"order[id]=up", "order[id]", "NotSupportedChoice", directions},
      {"order[id]=asc&order[created_at]=desc", "order", "InvalidValue", "order by one field only"},
  };
  const struct {
    std::string target;
    std::string fields;  // the choices the refusal of an unknown field names
  } lists[] = {
      {"/api/v4/leads", "order by created_at, updated_at or id"},
      {"/api/v4/contacts", "order by created_at, updated_at or id"},
      {"/api/v4/tasks", "order by created_at or id"},
      {"/api/v4/leads/notes", "order by id, created_at or updated_at"},
      {"/api/v4/leads/1/notes", "order by id, created_at or updated_at"},
  };
  for (const auto& list : lists) {
    for (const Case& c : common) {
      const std::string target = list.target + "?" + c.query;
      Response response = Get(target);
      ASSERT_EQ(response.status, 400) << target << ": " << response.body;
      const json error = BodyOf(response)["validation-errors"][0]["errors"][0];
      EXPECT_EQ(error["path"], c.path) << target;
      EXPECT_EQ(error["code"], c.code) << target;
      EXPECT_EQ(error["detail"], c.detail.empty() ? list.fields : c.detail) << target;
    }
    for (const char* good : {"order[id]=desc", "order[created_at]=asc", "order[id]=DESC"}) {
      // Accepted (lead 1 of the nested list may not exist: 404 comes after the query is read).
      EXPECT_NE(Get(list.target + "?" + good).status, 400) << list.target << "?" << good;
    }
  }
  // Tasks have no updated_at order in Kommo; their complete_till is Kommo's and not supported.
  const json task_error =
      BodyOf(Get("/api/v4/tasks?order[updated_at]=asc"))["validation-errors"][0]["errors"][0];
  EXPECT_EQ(task_error["path"], "order[updated_at]");
  const json deadline_error =
      BodyOf(Get("/api/v4/tasks?order[complete_till]=asc"))["validation-errors"][0]["errors"][0];
  EXPECT_EQ(deadline_error["code"], "NotSupported");
}

TEST_F(PagingHttpTest, BothBadParametersAreNamedTogether) {
  Response response = Get("/api/v4/security/tokens?page=0&limit=251");
  ASSERT_EQ(response.status, 400) << response.body;
  const json errors = BodyOf(response)["validation-errors"][0]["errors"];
  ASSERT_EQ(errors.size(), 2u) << response.body;
  EXPECT_EQ(errors[0]["path"], "page");
  EXPECT_EQ(errors[1]["path"], "limit");
}

TEST_F(PagingHttpTest, SessionsAnswerTheAskedPage) {
  MustWebLogin("admin@acme.test");
  MustWebLogin("admin@acme.test");
  ExpectSecondPageOfOne("/api/v4/security/sessions", "sessions");
}

TEST_F(PagingHttpTest, TokensAnswerTheAskedPage) {
  const std::int64_t expires = clock_.NowSeconds() + 30 * 86400;
  for (const char* name : {"one", "two", "three"}) {
    Response created = Post("/api/v4/security/tokens", {{"name", name}, {"expires_at", expires}});
    ASSERT_EQ(created.status, 201) << created.body;
  }
  ExpectSecondPageOfOne("/api/v4/security/tokens", "tokens");
}

// These lists ignored page and limit before (answering everything as page 1).
TEST_F(PagingHttpTest, CatalogsLossReasonsAndCustomFieldsAnswerTheAskedPage) {
  Response catalogs =
      Post("/api/v4/catalogs", json::array({{{"name", "A"}}, {{"name", "B"}}, {{"name", "C"}}}));
  ASSERT_EQ(catalogs.status, 200) << catalogs.body;
  ExpectSecondPageOfOne("/api/v4/catalogs", "catalogs");

  Response reasons =
      Post("/api/v4/leads/loss_reasons",
           json::array({{{"name", "Price"}}, {{"name", "Timing"}}, {{"name", "Rival"}}}));
  ASSERT_EQ(reasons.status, 200) << reasons.body;
  ExpectSecondPageOfOne("/api/v4/leads/loss_reasons", "loss_reasons");

  Response fields =
      Post("/api/v4/leads/custom_fields", json::array({{{"name", "F1"}, {"type", "text"}},
                                                       {{"name", "F2"}, {"type", "text"}},
                                                       {{"name", "F3"}, {"type", "text"}}}));
  ASSERT_EQ(fields.status, 200) << fields.body;
  ExpectSecondPageOfOne("/api/v4/leads/custom_fields", "custom_fields");
  // Without a limit the fields come in one page (the list was unpaged before).
  Response all = Get("/api/v4/leads/custom_fields");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(BodyOf(all)["_total_items"], BodyOf(all)["_embedded"]["custom_fields"].size());
  EXPECT_FALSE(BodyOf(all)["_links"].contains("next"));
}

}  // namespace
}  // namespace gatehouse::http::api
