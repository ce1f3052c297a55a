// Time filters of the record lists: If-Modified-Since (Kommo recommends it for leads, contacts,
// companies and tasks: only what was updated after that time; a value that is not an HTTP-date
// is ignored), and filter[closest_task_at] (the earliest deadline of a record's open tasks).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

constexpr std::int64_t kNewYear = 1704067200;  // Mon, 01 Jan 2024 00:00:00 GMT

class ModifiedSinceTest : public RecordsHttpTest {
 protected:
  // The ids `target` lists for allowed_, with If-Modified-Since `since` (none when empty).
  std::vector<std::int64_t> Listed(const std::string& target, const std::string& plural,
                                   const std::string& since) {
    Request request = testing::MakeRequestTo("crm.test", Method::kGet, target, "");
    if (!since.empty()) request.headers.Add("If-Modified-Since", since);
    Response response = SendAs(std::move(request), As(allowed_));
    EXPECT_TRUE(response.status == 200 || response.status == 204) << response.body;
    return ListedIds(response, plural);
  }

  // Adds one item of `plural` per `updated_at`, in order; returns their ids.
  std::vector<std::int64_t> AddUpdatedAt(const std::string& plural, const json& item,
                                         const std::vector<std::int64_t>& updated_at) {
    json items = json::array();
    for (std::int64_t at : updated_at) {
      json one = item;
      one["created_at"] = kNewYear - 86400;
      one["updated_at"] = at;
      items.push_back(one);
    }
    Response added = Send(Method::kPost, "/api/v4/" + plural, allowed_, items.dump());
    EXPECT_EQ(added.status, 200) << added.body;
    std::vector<std::int64_t> ids = ListedIds(added, plural);
    EXPECT_EQ(ids.size(), updated_at.size()) << added.body;
    return ids;
  }
};

TEST_F(ModifiedSinceTest, ListsOnlyRecordsUpdatedAfterTheDate) {
  const std::vector<std::int64_t> leads =
      AddUpdatedAt("leads", {{"name", "Lead"}}, {kNewYear, kNewYear + 3600, kNewYear + 7200});
  ASSERT_EQ(leads.size(), 3u);
  EXPECT_EQ(Listed("/api/v4/leads", "leads", "").size(), 3u);
  auto sorted = [](std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  // After 01:00:00 exactly: the lead updated at 02:00 only (the one at 01:00 is not later).
  EXPECT_EQ(Listed("/api/v4/leads", "leads", "Mon, 01 Jan 2024 01:00:00 GMT"),
            std::vector<std::int64_t>{leads[2]});
  EXPECT_EQ(sorted(Listed("/api/v4/leads", "leads", "Mon, 01 Jan 2024 00:59:59 GMT")),
            sorted({leads[1], leads[2]}));
  // The zones Kommo's clients write: an offset, "UTC", none.
  EXPECT_EQ(Listed("/api/v4/leads", "leads", "Mon, 01 Jan 2024 04:00:00 +0300"),
            std::vector<std::int64_t>{leads[2]});
  EXPECT_EQ(Listed("/api/v4/leads", "leads", "Mon, 01 Jan 2024 01:00:00"),
            std::vector<std::int64_t>{leads[2]});
  // Nothing later: an empty list (204).
  EXPECT_TRUE(Listed("/api/v4/leads", "leads", "Tue, 02 Jan 2024 00:00:00 GMT").empty());
  // With filter[updated_at]: both apply.
  EXPECT_TRUE(Listed("/api/v4/leads?filter[updated_at][to]=" + std::to_string(kNewYear + 3600),
                     "leads", "Mon, 01 Jan 2024 01:00:00 GMT")
                  .empty());
  // Not an HTTP-date: ignored (RFC 9110), so every lead.
  EXPECT_EQ(Listed("/api/v4/leads", "leads", "yesterday").size(), 3u);
}

TEST_F(ModifiedSinceTest, AppliesToContactsCompaniesAndTasks) {
  const std::vector<std::int64_t> contacts =
      AddUpdatedAt("contacts", {{"name", "Ann"}}, {kNewYear, kNewYear + 7200});
  const std::vector<std::int64_t> companies =
      AddUpdatedAt("companies", {{"name", "Acme"}}, {kNewYear, kNewYear + 7200});
  const std::vector<std::int64_t> tasks = AddUpdatedAt(
      "tasks",
      {{"text", "Call"}, {"complete_till", kNewYear + 86400}, {"responsible_user_id", allowed_}},
      {kNewYear, kNewYear + 7200});
  ASSERT_EQ(tasks.size(), 2u);
  const std::string since = "Mon, 01 Jan 2024 01:00:00 GMT";
  EXPECT_EQ(Listed("/api/v4/contacts", "contacts", since), std::vector<std::int64_t>{contacts[1]});
  EXPECT_EQ(Listed("/api/v4/companies", "companies", since),
            std::vector<std::int64_t>{companies[1]});
  EXPECT_EQ(Listed("/api/v4/tasks", "tasks", since), std::vector<std::int64_t>{tasks[1]});
}

TEST_F(ModifiedSinceTest, ClosestTaskAtIsTheEarliestOpenTaskAndFilters) {
  const std::vector<std::int64_t> leads =
      AddUpdatedAt("leads", {{"name", "Lead"}}, {kNewYear, kNewYear, kNewYear});
  ASSERT_EQ(leads.size(), 3u);
  auto task = [&](std::int64_t lead, std::int64_t complete_till, bool done) {
    const json body = json::array({{{"text", "Call"},
                                    {"complete_till", complete_till},
                                    {"is_completed", done},
                                    {"entity_type", "leads"},
                                    {"entity_id", lead},
                                    {"responsible_user_id", allowed_}}});
    EXPECT_EQ(Send(Method::kPost, "/api/v4/tasks", allowed_, body.dump()).status, 200);
  };
  task(leads[0], kNewYear + 100, false);
  task(leads[0], kNewYear + 50, true);  // done: not the closest
  task(leads[1], kNewYear + 5000, false);
  const json first =
      Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(leads[0]), allowed_));
  EXPECT_EQ(first["closest_task_at"], kNewYear + 100);
  const json none = Body(Send(Method::kGet, "/api/v4/leads/" + std::to_string(leads[2]), allowed_));
  EXPECT_TRUE(none["closest_task_at"].is_null());
  const std::string range = "filter[closest_task_at][from]=" + std::to_string(kNewYear) +
                            "&filter[closest_task_at][to]=" + std::to_string(kNewYear + 1000);
  EXPECT_EQ(Listed("/api/v4/leads?" + range, "leads", ""), std::vector<std::int64_t>{leads[0]});
  EXPECT_EQ(Send(Method::kGet, "/api/v4/contacts?" + range, allowed_).status, 204);
  // Customers take tasks too (customer_tasks_http_test.cc): none here has one in the range.
  Response customers = Send(Method::kGet, "/api/v4/customers?" + range, allowed_);
  EXPECT_EQ(customers.status, 204) << customers.body;
}

}  // namespace
}  // namespace gatehouse::http::api
