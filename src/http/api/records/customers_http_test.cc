// Customers and customer statuses through the Router (issue 15 §4): the leads' rights with
// filters, links and events; statuses read by everyone and written by administrators.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST_F(RecordsHttpTest, CustomersFollowTheLeadsRightsWithFiltersLinksAndEvents) {
  const std::string contact = std::to_string(MakeContact(mine_).id);
  const std::string hidden_contact = std::to_string(MakeContact(outsider_).id);
  const std::string company = std::to_string(MakeCompany(mine_).id);
  // `mine_` has M everywhere: adds (A), sees and edits only their own.
  Response added =
      Send(Method::kPost, "/api/v4/customers", mine_,
           R"([{"name":"Repeat buyer","next_price":500,"next_date":1900000000,
                            "periodicity":30,"request_id":"r1",
                            "_embedded":{"contacts":[{"id":)" +
               contact + R"(,"is_main":true}],"companies":[{"id":)" + company + R"(}]}}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t id = Body(added)["_embedded"]["customers"][0]["id"];
  EXPECT_EQ(Body(added)["_embedded"]["customers"][0]["request_id"], "r1");
  EXPECT_EQ(Events("customer_added").size(), 1u);
  EXPECT_EQ(Events("entity_linked").size(), 2u);

  Response got = Send(
      Method::kGet, "/api/v4/customers/" + std::to_string(id) + "?with=contacts,companies", mine_);
  ASSERT_EQ(got.status, 200) << got.body;
  const json customer = Body(got);
  EXPECT_EQ(customer["name"], "Repeat buyer");
  EXPECT_EQ(customer["next_price"], 500);
  EXPECT_EQ(customer["next_date"], 1900000000);
  EXPECT_EQ(customer["periodicity"], 30);
  EXPECT_EQ(customer["responsible_user_id"], mine_);
  EXPECT_FALSE(customer.contains("ltv"));  // computed by Kommo from purchases: not kept
  EXPECT_EQ(customer["_embedded"]["contacts"][0]["id"], std::stoll(contact));
  EXPECT_EQ(customer["_embedded"]["contacts"][0]["is_main"], true);
  EXPECT_EQ(customer["_embedded"]["companies"][0]["id"], std::stoll(company));
  Response statuses_list = Send(Method::kGet, "/api/v4/customers/statuses", mine_);
  ASSERT_EQ(statuses_list.status, 200) << statuses_list.body;
  const json statuses = Body(statuses_list)["_embedded"]["statuses"];
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_EQ(customer["status_id"], statuses[0]["id"]);  // the first status by default

  // A contact the caller may not view cannot be linked: 400 on its path, nothing written.
  Response hidden = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                         R"({"_embedded":{"contacts":[{"id":)" + hidden_contact + "}]}}");
  EXPECT_EQ(hidden.status, 400);
  EXPECT_THAT(hidden.body, HasSubstr("_embedded.contacts.0.id"));

  // Another group's M user does not see it (404) and cannot list it; filters and unknown filters.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), outsider_).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers", outsider_).status, 204);
  EXPECT_EQ(ListedIds(Send(Method::kGet, "/api/v4/customers", allowed_), "customers"),
            std::vector<std::int64_t>{id});
  const std::string status2 = std::to_string(statuses[1]["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?filter[status]=" + status2, allowed_).status,
            204);
  EXPECT_EQ(ListedIds(Send(Method::kGet, "/api/v4/customers?filter[next_date][from]=1800000000",
                           allowed_),
                      "customers"),
            std::vector<std::int64_t>{id});
  Response unknown = Send(Method::kGet, "/api/v4/customers?filter[price]=1", allowed_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.content_type, kProblemJson);
  EXPECT_THAT(unknown.body, HasSubstr("filter[price]"));
  // Customers take tasks, hence closest_task_at (none here yet).
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?filter[closest_task_at]=1", allowed_).status,
            204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads?filter[next_date]=1", allowed_).status, 400);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers?with=leads", allowed_).status, 400);

  // A status change is logged in Kommo's shape; an unknown status is a 400 on status_id.
  Response moved = Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                        R"({"status_id":)" + status2 + "}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto changed = Events("customer_status_changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].value_after_json, R"([{"customer_status":{"id":)" + status2 + "}}]");
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), mine_,
                 R"({"status_id":987654})")
                .status,
            400);

  // The viewer (leads view only) sees it but may neither edit nor delete it: 403 naming the
  // leads right; export follows leads.export.
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), viewer_).status, 200);
  Response refused =
      Send(Method::kPatch, "/api/v4/customers/" + std::to_string(id), viewer_, R"({"name":"x"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("leads.edit is D"));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/export", viewer_).status, 403);
  Response csv = Send(Method::kGet, "/api/v4/customers/export", allowed_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(csv.body, StartsWith("id,name,next_price,next_date,status_id,periodicity,"));
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/" + std::to_string(id), viewer_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/" + std::to_string(id), mine_).status, 204);
  EXPECT_EQ(Events("customer_deleted").size(), 1u);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), allowed_).status, 404);
}

// with=customers on a contact or company embeds the customers linked to it that the caller may
// view (Kommo), rather than being accepted and ignored.
TEST_F(RecordsHttpTest, ContactsAndCompaniesEmbedTheirViewableCustomers) {
  const std::string contact = std::to_string(MakeContact(mine_).id);
  const std::string company = std::to_string(MakeCompany(mine_).id);
  auto add = [&](domain::UserId responsible) -> std::int64_t {
    Response r = Send(Method::kPost, "/api/v4/customers", allowed_,
                      R"([{"name":"Buyer","responsible_user_id":)" + std::to_string(responsible) +
                          R"(,"_embedded":{"contacts":[{"id":)" + contact +
                          R"(}],"companies":[{"id":)" + company + "}]}}]");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Body(r)["_embedded"]["customers"][0]["id"].get<std::int64_t>() : 0;
  };
  const std::int64_t own = add(mine_);
  add(outsider_);
  for (const std::string& path : {"/api/v4/contacts/" + contact, "/api/v4/companies/" + company}) {
    const json as_mine = Body(Send(Method::kGet, path + "?with=customers", mine_));
    ASSERT_EQ(as_mine["_embedded"]["customers"].size(), 1u) << path << as_mine.dump();
    EXPECT_EQ(as_mine["_embedded"]["customers"][0]["id"], own);
    EXPECT_EQ(as_mine["_embedded"]["customers"][0]["_links"]["self"]["href"],
              "http://crm.test/api/v4/customers/" + std::to_string(own));
    const json as_all = Body(Send(Method::kGet, path + "?with=customers", allowed_));
    EXPECT_EQ(as_all["_embedded"]["customers"].size(), 2u) << path << as_all.dump();
    const json plain = Body(Send(Method::kGet, path, allowed_));
    EXPECT_FALSE(plain["_embedded"].contains("customers")) << path;
  }
  const json listed =
      Body(Send(Method::kGet, "/api/v4/contacts?with=customers&filter[id]=" + contact, mine_));
  EXPECT_EQ(listed["_embedded"]["contacts"][0]["_embedded"]["customers"].size(), 1u)
      << listed.dump();
}

TEST_F(RecordsHttpTest, CustomerStatusesAreReadByEveryoneAndWrittenByAdministrators) {
  const domain::UserId admin =
      AddUser("boss@acme.test", service::testing::Uniform(Level::kDenied), sales_, true);
  Response listed = Send(Method::kGet, "/api/v4/customers/statuses", viewer_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json first = Body(listed)["_embedded"]["statuses"][0];
  EXPECT_EQ(first["name"], "Recently bought");
  EXPECT_EQ(first["type"], 4);
  EXPECT_EQ(first["is_default"], true);
  EXPECT_TRUE(first["conditions"].is_array());
  const std::string system = std::to_string(first["id"].get<std::int64_t>());

  const std::string body = R"([{"name":"VIP","color":"#ccc8f9","request_id":"v"}])";
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/statuses", allowed_, body).status, 403);
  Response added = Send(Method::kPost, "/api/v4/customers/statuses", admin, body);
  ASSERT_EQ(added.status, 200) << added.body;
  const json vip = Body(added)["_embedded"]["statuses"][0];
  EXPECT_EQ(vip["type"], 0);
  EXPECT_EQ(vip["request_id"], "v");
  const std::string vip_id = std::to_string(vip["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/statuses/" + vip_id, viewer_).status, 200);

  Response bad = Send(Method::kPost, "/api/v4/customers/statuses", admin,
                      R"([{"name":"Odd","color":"#123456"}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("color"));
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/statuses", admin, R"([{"sort":5}])").status,
            400);

  Response renamed = Send(Method::kPatch, "/api/v4/customers/statuses/" + vip_id, admin,
                          R"({"name":"Very important"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Body(renamed)["name"], "Very important");
  EXPECT_EQ(Body(renamed)["color"], "#ccc8f9");

  // A customer in the deleted status moves to the first one; system statuses stay.
  Response customer = Send(Method::kPost, "/api/v4/customers", allowed_,
                           R"([{"name":"In VIP","status_id":)" + vip_id + "}]");
  ASSERT_EQ(customer.status, 200) << customer.body;
  const std::string customer_id =
      std::to_string(Body(customer)["_embedded"]["customers"][0]["id"].get<std::int64_t>());
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + system, admin).status, 422);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + vip_id, allowed_).status, 403);
  EXPECT_EQ(Send(Method::kDelete, "/api/v4/customers/statuses/" + vip_id, admin).status, 204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/statuses/" + vip_id, admin).status, 404);
  EXPECT_EQ(Body(Send(Method::kGet, "/api/v4/customers/" + customer_id, admin))["status_id"],
            first["id"]);
  EXPECT_EQ(Events("customer_status_added").size(), 1u);
  EXPECT_EQ(Events("customer_status_updated").size(), 1u);
  EXPECT_EQ(Events("customer_status_deleted").size(), 1u);
}

}  // namespace
}  // namespace gatehouse::http::api
