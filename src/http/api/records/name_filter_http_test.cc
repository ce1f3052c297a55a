// filter[name] on the record lists (kommo-api-v4.md §9-§10: "id and name take single or multiple
// values"), through the Router on both engines: a record whose name contains any of the values,
// inside the caller's permission filter, in every list form the query parser takes, carried whole
// by _links.next and by the export; the shapes the server refuses are a 400 naming filter[name].
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api/records/record_routes_test_util.h"
#include "service/service_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;

class NameFilterHttpTest : public service::testing::OnEachEngine<RecordsHttpTest> {
 protected:
  // Adds one `plural` record per name, `responsible` responsible, as allowed_; returns their ids.
  std::vector<std::int64_t> AddNamed(const std::string& plural,
                                     const std::vector<std::string>& names,
                                     domain::UserId responsible) {
    json items = json::array();
    for (const std::string& name : names) {
      items.push_back({{"name", name}, {"responsible_user_id", responsible}});
    }
    Response added = Send(Method::kPost, "/api/v4/" + plural, allowed_, items.dump());
    EXPECT_EQ(added.status, 200) << added.body;
    return ListedIds(added, plural);
  }

  // The ids `target` lists for `user`, sorted (200 or 204 expected).
  std::vector<std::int64_t> Sorted(const std::string& target, const std::string& plural,
                                   domain::UserId user) {
    Response response = Send(Method::kGet, target, user);
    EXPECT_TRUE(response.status == 200 || response.status == 204)
        << target << ": " << response.body;
    std::vector<std::int64_t> ids = ListedIds(response, plural);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The first validation error of a 400 answer to `target`.
  json Refusal(const std::string& target) {
    Response response = Send(Method::kGet, target, allowed_);
    EXPECT_EQ(response.status, 400) << target << ": " << response.body;
    if (response.status != 400) return json::object();
    return Body(response)["validation-errors"][0]["errors"][0];
  }
};

TEST_P(NameFilterHttpTest, LeadsMatchAnyValueInEveryListFormInsideThePermission) {
  const std::vector<std::int64_t> mine =
      AddNamed("leads", {"Acme deal", "Beta DEAL", "Gamma", "Smith, John", "50% off"}, mine_);
  const std::vector<std::int64_t> hidden = AddNamed("leads", {"Acme hidden"}, outsider_);
  ASSERT_EQ(mine.size(), 5u);
  ASSERT_EQ(hidden.size(), 1u);
  const std::vector<std::int64_t> acme_or_gamma = {mine[0], mine[2]};
  for (const std::string query :
       {"filter[name][]=acme&filter[name][]=GAMMA", "filter[name][0]=acme&filter[name][1]=GAMMA",
        "filter[name][1]=GAMMA&filter[name][0]=acme",
        "filter%5Bname%5D%5B%5D=acme&filter%5Bname%5D%5B%5D=GAMMA"}) {
    EXPECT_EQ(Sorted("/api/v4/leads?" + query, "leads", mine_), acme_or_gamma) << query;
  }
  // The caller who may view every lead also sees the other group's.
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name][]=acme&filter[name][]=gamma", "leads", allowed_),
            std::vector<std::int64_t>({mine[0], mine[2], hidden[0]}));
  // One value, as before: a case-insensitive part of the name, wildcards matching themselves.
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name]=deal", "leads", mine_),
            std::vector<std::int64_t>({mine[0], mine[1]}));
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name]=%25", "leads", mine_),
            std::vector<std::int64_t>{mine[4]});
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name][]=%25&filter[name][]=no+such", "leads", mine_),
            std::vector<std::int64_t>{mine[4]});
  // A comma is part of a name, not a separator.
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name]=smith,+john", "leads", mine_),
            std::vector<std::int64_t>{mine[3]});
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name]=acme,gamma", "leads", mine_),
            std::vector<std::int64_t>{});
  // ANDed with the other filters.
  EXPECT_EQ(Sorted("/api/v4/leads?filter[name][]=acme&filter[name][]=gamma&filter[id]=" +
                       std::to_string(mine[2]),
                   "leads", mine_),
            std::vector<std::int64_t>{mine[2]});
}

TEST_P(NameFilterHttpTest, NextLinkAndExportCarryEveryValue) {
  const std::vector<std::int64_t> ids =
      AddNamed("leads", {"Acme one", "Other", "Gamma two", "Acme three"}, mine_);
  ASSERT_EQ(ids.size(), 4u);
  std::string target = "/api/v4/leads?filter[name][]=acme&filter[name][]=gamma&limit=1";
  std::vector<std::int64_t> walked;
  for (int guard = 0; guard < 10 && !target.empty(); ++guard) {
    Response page = Send(Method::kGet, target, mine_);
    ASSERT_EQ(page.status, 200) << target << ": " << page.body;
    for (std::int64_t id : ListedIds(page, "leads")) walked.push_back(id);
    const json links = Body(page)["_links"];
    target.clear();
    if (!links.contains("next")) break;
    const std::string next = links["next"]["href"];
    EXPECT_THAT(next, HasSubstr("filter[name][]=acme&filter[name][]=gamma"));
    target = next.substr(next.find("/api/v4/"));
  }
  std::sort(walked.begin(), walked.end());
  EXPECT_EQ(walked, std::vector<std::int64_t>({ids[0], ids[2], ids[3]}));

  Response csv =
      Send(Method::kGet, "/api/v4/leads/export?filter[name][]=acme&filter[name][]=gamma", mine_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 4);  // header + three rows
  EXPECT_THAT(csv.body, HasSubstr("\r\n" + std::to_string(ids[2]) + ",Gamma two,"));
  EXPECT_EQ(csv.body.find("Other"), std::string::npos);
}

TEST_P(NameFilterHttpTest, ContactsCompaniesAndCustomersTakeSeveralNames) {
  for (const std::string plural : {"contacts", "companies", "customers"}) {
    const std::vector<std::int64_t> ids =
        AddNamed(plural, {"Ann Lee", "Bob Roe", "Cy Ann", "Dee"}, mine_);
    ASSERT_EQ(ids.size(), 4u) << plural;
    EXPECT_EQ(Sorted("/api/v4/" + plural + "?filter[name][]=ANN&filter[name][]=roe", plural, mine_),
              std::vector<std::int64_t>({ids[0], ids[1], ids[2]}))
        << plural;
    EXPECT_EQ(Sorted("/api/v4/" + plural + "?filter[name]=ann", plural, mine_),
              std::vector<std::int64_t>({ids[0], ids[2]}))
        << plural;
    EXPECT_EQ(
        Sorted("/api/v4/" + plural + "?filter[name][]=ann&filter[name][]=dee", plural, outsider_),
        std::vector<std::int64_t>{})
        << plural;
  }
}

TEST_P(NameFilterHttpTest, RefusedShapesNameTheFilter) {
  std::string fifty;
  for (int i = 0; i < 50; ++i) fifty += "&filter[name][]=n" + std::to_string(i);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads?limit=5" + fifty, allowed_).status, 204);
  const json too_many = Refusal("/api/v4/leads?limit=5" + fifty + "&filter[name][]=x");
  EXPECT_EQ(too_many["path"], "filter[name]");
  EXPECT_EQ(too_many["code"], "TooMany");
  for (const std::string query :
       {"filter[name][x]=a", "filter[name][0][1]=a", "query=a&filter[name][]=b&filter[name][]=c"}) {
    for (const std::string plural : {"leads", "contacts", "customers"}) {
      EXPECT_EQ(Refusal("/api/v4/" + plural + "?" + query)["path"], "filter[name]") << query;
      EXPECT_EQ(Refusal("/api/v4/" + plural + "/export?" + query)["path"], "filter[name]") << query;
    }
  }
  // An empty value, one of several too, never reaches the filter: the query parser every
  // endpoint shares refuses it by name (a 400 from the server).
  for (const std::string query : {"filter[name]=", "filter[name][]=a&filter[name][]="}) {
    base::Result<Query> parsed = Query::Parse(query);
    ASSERT_FALSE(parsed.ok()) << query;
    ASSERT_EQ(parsed.status().fields().size(), 1u) << query;
    EXPECT_EQ(parsed.status().fields()[0].code, "EmptyValue") << query;
    EXPECT_THAT(parsed.status().fields()[0].path, ::testing::StartsWith("filter[name]")) << query;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, NameFilterHttpTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::http::api
