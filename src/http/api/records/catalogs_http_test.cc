// Lists (catalogs) and their elements through the Router: the batch PATCH of elements, and the
// elements' list with Kommo's query and filter[id].
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

// A list "Products" made by an administrator (admin_, catalog_), its elements' path (elements_),
// and a salesperson with the Lists feature and If responsible rights (lister_).
class CatalogElementsHttpTest : public RecordsHttpTest {
 protected:
  void SetUp() override {
    RecordsHttpTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    domain::Rights with_lists = service::testing::Uniform(Level::kIfResponsible);
    with_lists.catalog_access = true;
    lister_ = AddUser("lists@acme.test", with_lists, sales_);
    admin_ = AddUser("boss@acme.test", {}, sales_, /*admin=*/true);
    Response catalog = Send(Method::kPost, "/api/v4/catalogs", admin_, R"([{"name":"Products"}])");
    ASSERT_EQ(catalog.status, 200) << catalog.body;
    catalog_ = Body(catalog)["_embedded"]["catalogs"][0];
    elements_ = "/api/v4/catalogs/" + catalog_["id"].dump() + "/elements";
  }

  domain::UserId lister_ = 0, admin_ = 0;
  json catalog_;  // as POST answered it
  std::string elements_;
};

TEST_F(CatalogElementsHttpTest, BatchPatch) {
  Response added = Send(Method::kPost, elements_, lister_,
                        R"([{"name":"Widget"},
                            {"name":"Gadget","custom_fields_values":[{"field_id":1}]}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t widget = Body(added)["_embedded"]["elements"][0]["id"];
  const std::int64_t gadget = Body(added)["_embedded"]["elements"][1]["id"];
  // Every _links.self leads somewhere: the catalog and each element.
  const std::string catalog_self = catalog_["_links"]["self"]["href"];
  const std::string widget_self = Body(added)["_embedded"]["elements"][0]["_links"]["self"]["href"];
  const std::string host = "http://crm.test";
  Response catalog_read = Send(Method::kGet, catalog_self.substr(host.size()), lister_);
  ASSERT_EQ(catalog_read.status, 200) << catalog_self << ": " << catalog_read.body;
  EXPECT_EQ(Body(catalog_read)["name"], "Products");
  Response widget_read = Send(Method::kGet, widget_self.substr(host.size()), lister_);
  ASSERT_EQ(widget_read.status, 200) << widget_self << ": " << widget_read.body;
  EXPECT_EQ(Body(widget_read)["name"], "Widget");
  EXPECT_EQ(Send(Method::kGet, elements_ + "/987654", lister_).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/catalogs/987654", lister_).status, 404);
  EXPECT_EQ(Send(Method::kGet, widget_self.substr(host.size()), mine_).status, 403);
  auto names = [&]() {
    std::vector<std::string> out;
    const json body = Body(Send(Method::kGet, elements_, lister_));
    for (const json& e : body["_embedded"]["elements"])
      out.push_back(e["name"].get<std::string>() + "/" + e["custom_fields_values"].dump());
    return out;
  };
  const std::size_t events_before = Events().size();

  // One unknown element: 400 naming its request_id and path, and nothing changes.
  Response unknown = Send(Method::kPatch, elements_, lister_,
                          R"([{"id":)" + std::to_string(widget) + R"(,"name":"Changed"},
                              {"id":987654,"name":"Ghost","request_id":"ghost"}])");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.content_type, kProblemJson);
  json problem = Body(unknown);
  ASSERT_EQ(problem["validation-errors"].size(), 1u) << unknown.body;
  EXPECT_EQ(problem["validation-errors"][0]["request_id"], "ghost");
  EXPECT_EQ(problem["validation-errors"][0]["errors"][0]["path"], "1.id");
  EXPECT_EQ(problem["validation-errors"][0]["errors"][0]["code"], "NotFound");
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget/null", R"(Gadget/[{"field_id":1}])"}));
  EXPECT_EQ(Events().size(), events_before);

  // Malformed items are reported together, each with its path.
  Response malformed = Send(Method::kPatch, elements_, lister_,
                            R"([{"name":"No id"},{"id":)" + std::to_string(widget) +
                                R"(,"name":""},{"id":"x","custom_fields_values":5}])");
  EXPECT_EQ(malformed.status, 400);
  std::vector<std::string> paths;
  const json malformed_body = Body(malformed);
  for (const json& item : malformed_body["validation-errors"]) {
    for (const json& e : item["errors"]) paths.push_back(e["path"]);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"0.id", "1.name", "2.id", "2.custom_fields_values"}));

  // Rights and the catalog come first.
  const std::string one = R"([{"id":)" + std::to_string(widget) + R"(,"name":"Nope"}])";
  Response denied = Send(Method::kPatch, elements_, allowed_, one);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.content_type, kProblemJson);
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/catalogs/987654/elements", lister_, one).status, 404);
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget/null", R"(Gadget/[{"field_id":1}])"}));

  // The update: named fields change, read-only ones are ignored, request_id is echoed.
  clock_.Advance(30);
  Response patched = Send(Method::kPatch, elements_, lister_,
                          R"([{"id":)" + std::to_string(widget) +
                              R"(,"name":"Widget Pro","request_id":"w","created_at":1},
                              {"id":)" +
                              std::to_string(gadget) + R"(,"custom_fields_values":null}])");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.content_type, kHalJson);
  json items = Body(patched)["_embedded"]["elements"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], widget);
  EXPECT_EQ(items[0]["name"], "Widget Pro");
  EXPECT_EQ(items[0]["request_id"], "w");
  EXPECT_EQ(items[0]["updated_at"], clock_.NowSeconds());
  EXPECT_NE(items[0]["created_at"], 1);
  EXPECT_EQ(items[1]["request_id"], "1");
  EXPECT_TRUE(items[1]["custom_fields_values"].is_null());
  EXPECT_EQ(names(), (std::vector<std::string>{"Widget Pro/null", "Gadget/null"}));
  EXPECT_EQ(Events("catalog_element_updated").size(), 2u);
}

// A catalog keeps its name and sort; Kommo's settings are taken at the one value every catalog
// here has, and anything else is a 400 naming it, never answered 200 and dropped.
TEST_F(RecordsHttpTest, CatalogWritesRefuseWhatIsNotKept) {
  domain::Rights with_lists = service::testing::Uniform(Level::kAllowed);
  with_lists.catalog_access = true;
  const domain::UserId admin = AddUser("boss@acme.test", with_lists, sales_, /*admin=*/true);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"name":"C","foo":"bar"})", "0.foo"},
      {R"({"name":"C","type":"products"})", "0.type"},
      {R"({"name":"C","can_add_elements":false})", "0.can_add_elements"},
      {R"({"name":"C","can_link_multiple":true})", "0.can_link_multiple"},
      {R"({"name":"C","custom_fields_values":[]})", "0.custom_fields_values"},
  };
  for (const auto& [catalog, path] : refused) {
    Response r = Send(Method::kPost, "/api/v4/catalogs", admin, "[" + catalog + "]");
    EXPECT_EQ(r.status, 400) << catalog << ": " << r.body;
    EXPECT_NE(r.body.find("\"" + path + "\""), std::string::npos) << catalog << ": " << r.body;
  }
  EXPECT_EQ(Send(Method::kGet, "/api/v4/catalogs", admin).status, 204);

  Response created = Send(Method::kPost, "/api/v4/catalogs", admin,
                          R"([{"name":"C","sort":500,"type":"regular","can_add_elements":true,
                               "can_link_multiple":false}])");
  ASSERT_EQ(created.status, 200) << created.body;
  const json catalog = Body(created)["_embedded"]["catalogs"][0];
  EXPECT_EQ(catalog["sort"], 500);
  const std::string elements =
      "/api/v4/catalogs/" + std::to_string(catalog["id"].get<std::int64_t>()) + "/elements";
  Response unknown = Send(Method::kPost, elements, admin, R"([{"name":"E","foo":1}])");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("\"0.foo\""), std::string::npos) << unknown.body;
  Response added = Send(Method::kPost, elements, admin, R"([{"name":"E"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  // An element read back and sent again (read-only fields included) is accepted.
  json element = Body(added)["_embedded"]["elements"][0];
  element["name"] = "E2";
  Response patched = Send(Method::kPatch, elements, admin, json::array({element}).dump());
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Send(Method::kPatch, elements, admin,
                 R"([{"id":)" + std::to_string(element["id"].get<std::int64_t>()) +
                     R"(,"colour":"red"}])")
                .status,
            400);
}

// The elements' list takes Kommo's query (a case-insensitive substring of the name, LIKE's
// wildcards matching themselves) and filter[id] in its three forms, the two ANDed and applied
// before paging; _links.next carries them.
TEST_F(CatalogElementsHttpTest, ListTakesQueryAndFilterId) {
  Response added = Send(Method::kPost, elements_, lister_,
                        R"([{"name":"Red widget"},{"name":"Blue WIDGET"},{"name":"Gadget"},
                            {"name":"50% off_sale"}])");
  ASSERT_EQ(added.status, 200) << added.body;
  std::vector<std::int64_t> ids;
  const json added_body = Body(added);
  for (const json& e : added_body["_embedded"]["elements"]) ids.push_back(e["id"]);
  ASSERT_EQ(ids.size(), 4u);
  const std::int64_t red = ids[0], blue = ids[1], gadget = ids[2], sale = ids[3];
  const std::string r = std::to_string(red), b = std::to_string(blue), g = std::to_string(gadget);
  struct Case {
    std::string query;
    std::vector<std::int64_t> want;
  };
  const std::vector<Case> cases = {
      {"query=widget", {red, blue}},
      {"query=wIDg", {red, blue}},
      {"query=%25", {sale}},  // "%" and "_" match themselves, not any text
      {"query=_", {sale}},
      {"query=nothing", {}},
      {"filter[id]=" + g, {gadget}},
      {"filter[id]=" + r + "," + g, {red, gadget}},
      {"filter[id][]=" + g + "&filter[id][]=" + b, {blue, gadget}},
      {"filter%5Bid%5D%5B0%5D=" + b, {blue}},
      {"query=widget&filter[id]=" + b + "," + g, {blue}},
      {"query=gadget&filter[id]=" + r, {}},
      // Filtered, then paged: page 2 of the two widgets is the second widget.
      {"query=widget&limit=1&page=2", {blue}},
      {"filter[id]=" + g + "&limit=1", {gadget}},
  };
  for (const Case& c : cases) {
    Response response = Send(Method::kGet, elements_ + "?" + c.query, lister_);
    EXPECT_EQ(response.status, c.want.empty() ? 204 : 200) << c.query << ": " << response.body;
    EXPECT_EQ(ListedIds(response, "elements"), c.want) << c.query;
  }

  // The next page's link keeps the query and filters, and leads to the filtered next page.
  Response first =
      Send(Method::kGet,
           elements_ + "?query=WIDGET&filter[id]=" + r + "," + b + "," + g + "&limit=1", lister_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(ListedIds(first, "elements"), std::vector<std::int64_t>{red});
  const std::string next = Body(first)["_links"]["next"]["href"];
  EXPECT_THAT(next, ::testing::HasSubstr("query=WIDGET"));
  EXPECT_THAT(next, ::testing::HasSubstr("filter[id]=" + r + "," + b + "," + g));
  EXPECT_THAT(next, ::testing::HasSubstr("page=2"));
  const std::string host = "http://crm.test";
  ASSERT_EQ(next.substr(0, host.size()), host);
  Response second = Send(Method::kGet, next.substr(host.size()), lister_);
  EXPECT_EQ(ListedIds(second, "elements"), std::vector<std::int64_t>{blue});
  EXPECT_FALSE(Body(second)["_links"].contains("next")) << second.body;
  // Unfiltered, the same page size has a next page after the second element.
  EXPECT_TRUE(
      Body(Send(Method::kGet, elements_ + "?limit=1&page=2", lister_))["_links"].contains("next"));

  // Any other parameter, and an id that is not one, is a 400 naming it.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"foo=1", "foo"},
      {"filter[name]=Gadget", "filter[name]"},
      {"order[id]=asc", "order"},
      {"with=contacts", "with"},
      {"filter[id]=abc", "filter[id]"},
      {"filter[id]=" + r + ",x", "filter[id][1]"},
      {"filter[id][]=x", "filter[id][0]"},
      {"filter[id]=,", "filter[id]"},
      {"query[]=a", "query"},
  };
  for (const auto& [query, path] : refused) {
    Response response = Send(Method::kGet, elements_ + "?" + query, lister_);
    ASSERT_EQ(response.status, 400) << query << ": " << response.body;
    EXPECT_EQ(response.content_type, kProblemJson);
    EXPECT_EQ(ErrorPaths(response), std::vector<std::string>{path})
        << query << ": " << response.body;
  }
}

}  // namespace
}  // namespace gatehouse::http::api
