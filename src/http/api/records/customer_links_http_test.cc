// A customer's links (written through its _embedded) are listed by /links from either end, with
// the main contact, and only to whoever may view both records.
#include <gtest/gtest.h>

#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

class CustomerLinksTest : public RecordsHttpTest {
 protected:
  void SetUp() override {
    RecordsHttpTest::SetUp();
    if (HasFatalFailure()) return;
    contact_ = MakeContact(mine_).id;
    company_ = MakeCompany(mine_).id;
  }

  // A customer of `responsible` with contact_ (its main contact) and company_.
  std::int64_t AddCustomer(domain::UserId responsible) {
    const json body = json::array({{{"name", "Buyer"},
                                    {"responsible_user_id", responsible},
                                    {"_embedded",
                                     {{"contacts", {{{"id", contact_}, {"is_main", true}}}},
                                      {"companies", {{{"id", company_}}}}}}}});
    Response added = Send(Method::kPost, "/api/v4/customers", allowed_, body.dump());
    EXPECT_EQ(added.status, 200) << added.body;
    return added.status == 200 ? Body(added)["_embedded"]["customers"][0]["id"].get<std::int64_t>()
                               : 0;
  }

  // The links `path` lists for `user` (none for 204).
  json Links(const std::string& path, domain::UserId user) {
    Response listed = Send(Method::kGet, path, user);
    EXPECT_TRUE(listed.status == 200 || listed.status == 204) << path << " " << listed.body;
    return listed.status == 200 ? Body(listed)["_embedded"]["links"] : json::array();
  }

  static json Link(std::string_view from, std::int64_t from_id, std::string_view to,
                   std::int64_t to_id, json metadata) {
    return {{"entity_id", from_id},
            {"entity_type", from},
            {"to_entity_id", to_id},
            {"to_entity_type", to},
            {"metadata", std::move(metadata)}};
  }

  std::int64_t contact_ = 0, company_ = 0;
};

TEST_F(CustomerLinksTest, ContactsCompaniesAndCustomersListTheirCustomerLinks) {
  const std::int64_t customer = AddCustomer(mine_);
  const json main = {{"main_contact", true}};
  const std::string contact_links = "/api/v4/contacts/" + std::to_string(contact_) + "/links";
  EXPECT_EQ(Links(contact_links, mine_),
            json::array({Link("contacts", contact_, "customers", customer, main)}));
  EXPECT_EQ(Links("/api/v4/companies/" + std::to_string(company_) + "/links", mine_),
            json::array({Link("companies", company_, "customers", customer, nullptr)}));
  EXPECT_EQ(Links("/api/v4/customers/" + std::to_string(customer) + "/links", mine_),
            json::array({Link("customers", customer, "companies", company_, nullptr),
                         Link("customers", customer, "contacts", contact_, main)}));
  EXPECT_EQ(Links(contact_links + "?filter[to_entity_type]=customers", mine_).size(), 1u);
  EXPECT_TRUE(Links(contact_links + "?filter[to_entity_type]=leads", mine_).empty());
}

TEST_F(CustomerLinksTest, ACustomerTheCallerMayNotViewIsNotListed) {
  const std::int64_t hidden = AddCustomer(allowed_);  // mine_ sees only their own
  EXPECT_TRUE(Links("/api/v4/contacts/" + std::to_string(contact_) + "/links", mine_).empty());
  EXPECT_EQ(Links("/api/v4/contacts/" + std::to_string(contact_) + "/links", allowed_).size(), 1u);
  EXPECT_EQ(
      Send(Method::kGet, "/api/v4/customers/" + std::to_string(hidden) + "/links", mine_).status,
      404);
  // A customer's links are written through its _embedded, not through /link.
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/link", allowed_, "[]").status, 404);
}

}  // namespace
}  // namespace gatehouse::http::api
