// Tasks and notes on customers through the Router (Kommo's entity_type `customers`): a task's
// entity_type and entity_id, filter[entity_type]=customers, the customer's closest_task_at, the
// notes routes of customers with the customer's visibility, and the errors naming the field.
// Every response is checked against the OpenAPI document.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http/api/records/record_routes_test_util.h"

namespace gatehouse::http::api {
namespace {

using ::testing::HasSubstr;

class CustomerTasksHttpTest : public RecordsHttpTest {
 protected:
  std::int64_t MakeCustomer(domain::UserId user) {
    Response added = Send(Method::kPost, "/api/v4/customers", user, R"([{"name":"Buyer"}])");
    EXPECT_EQ(added.status, 200) << added.body;
    return added.status == 200 ? Body(added)["_embedded"]["customers"][0]["id"].get<std::int64_t>()
                               : 0;
  }

  static std::string TaskOn(std::int64_t customer, std::int64_t complete_till) {
    return json::array({{{"text", "Call"},
                         {"complete_till", complete_till},
                         {"entity_type", "customers"},
                         {"entity_id", customer}}})
        .dump();
  }

  json Customer(std::int64_t id) {
    return Body(Send(Method::kGet, "/api/v4/customers/" + std::to_string(id), allowed_));
  }
};

TEST_F(CustomerTasksHttpTest, TasksAttachToCustomersAndKeepTheirClosestTask) {
  const std::int64_t own = MakeCustomer(mine_);
  const std::int64_t others = MakeCustomer(outsider_);
  Response added = Send(Method::kPost, "/api/v4/tasks", mine_, TaskOn(own, 1900000000));
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t task = Body(added)["_embedded"]["tasks"][0]["id"];
  Response got = Send(Method::kGet, "/api/v4/tasks/" + std::to_string(task), mine_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Body(got)["entity_type"], "customers");
  EXPECT_EQ(Body(got)["entity_id"], own);
  EXPECT_EQ(Customer(own)["closest_task_at"], 1900000000);
  const std::string closest = "/api/v4/customers?filter[closest_task_at][from]=1800000000";
  EXPECT_EQ(ListedIds(Send(Method::kGet, closest, allowed_), "customers"),
            std::vector<std::int64_t>{own});

  // A customer the caller may not view is not found, on entity_id, as for the other kinds.
  Response hidden = Send(Method::kPost, "/api/v4/tasks", mine_, TaskOn(others, 1900000000));
  EXPECT_EQ(hidden.status, 400);
  EXPECT_EQ(ErrorPaths(hidden), std::vector<std::string>{"0.entity_id"});
  EXPECT_THAT(hidden.body, HasSubstr("customers " + std::to_string(others) + " not found"));
  Response unknown = Send(Method::kPost, "/api/v4/tasks", mine_,
                          R"([{"text":"x","complete_till":1,"entity_type":"customer",
                               "entity_id":1}])");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorPaths(unknown), std::vector<std::string>{"0.entity_type"});
  EXPECT_THAT(unknown.body, HasSubstr("leads, contacts, companies or customers"));

  // The list by customer: the caller's tasks only (tasks' own rights), the filter by id.
  ASSERT_EQ(Send(Method::kPost, "/api/v4/tasks", outsider_, TaskOn(others, 1950000000)).status,
            200);
  EXPECT_EQ(
      ListedIds(Send(Method::kGet, "/api/v4/tasks?filter[entity_type]=customers", mine_), "tasks"),
      std::vector<std::int64_t>{task});
  EXPECT_EQ(ListedIds(Send(Method::kGet,
                           "/api/v4/tasks?filter[entity_type]=customers&filter[entity_id]=" +
                               std::to_string(others),
                           allowed_),
                      "tasks")
                .size(),
            1u);
  EXPECT_EQ(Send(Method::kGet,
                 "/api/v4/tasks?filter[entity_type]=customers&filter[entity_id]=" +
                     std::to_string(others),
                 mine_)
                .status,
            204);
  Response bad_filter = Send(Method::kGet, "/api/v4/tasks?filter[entity_type]=buyers", mine_);
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_THAT(bad_filter.body, HasSubstr("filter[entity_type]"));

  // Completing and deleting move the closest task; deleting the customer deletes its tasks.
  ASSERT_EQ(Send(Method::kPatch, "/api/v4/tasks/" + std::to_string(task), mine_,
                 R"({"is_completed":true,"result":{"text":"Reached"}})")
                .status,
            200);
  EXPECT_TRUE(Customer(own)["closest_task_at"].is_null());
  ASSERT_EQ(Send(Method::kDelete, "/api/v4/customers/" + std::to_string(own), allowed_).status,
            204);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/tasks/" + std::to_string(task), allowed_).status, 404);
}

TEST_F(CustomerTasksHttpTest, CustomersHaveTheNotesRoutesWithTheCustomersVisibility) {
  const std::int64_t own = MakeCustomer(mine_);
  const std::int64_t others = MakeCustomer(outsider_);
  const std::string notes = "/api/v4/customers/" + std::to_string(own) + "/notes";
  Response added = Send(Method::kPost, notes, mine_,
                        R"([{"note_type":"call_in","params":{"uniq":"a1","duration":30,
                             "source":"pbx","phone":"+1"}}])");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::int64_t note = Body(added)["_embedded"]["notes"][0]["id"];
  Response got = Send(Method::kGet, notes + "/" + std::to_string(note), mine_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Body(got)["note_type"], "call_in");
  EXPECT_EQ(Body(got)["entity_id"], own);
  EXPECT_THAT(Body(got)["_links"]["self"]["href"].get<std::string>(),
              HasSubstr("/api/v4/customers/" + std::to_string(own) + "/notes/"));
  EXPECT_EQ(ListedIds(Send(Method::kGet, "/api/v4/customers/notes", mine_), "notes"),
            std::vector<std::int64_t>{note});
  EXPECT_EQ(Send(Method::kPatch, "/api/v4/customers/notes", mine_,
                 R"([{"id":)" + std::to_string(note) + R"(,"params":{"duration":45}}])")
                .status,
            200);

  // The outsider may not view the customer: its notes do not exist for them.
  EXPECT_EQ(Send(Method::kGet, notes, outsider_).status, 404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/notes/" + std::to_string(note), outsider_).status,
            404);
  EXPECT_EQ(Send(Method::kGet, "/api/v4/customers/notes", outsider_).status, 204);
  Response hidden = Send(Method::kPost, "/api/v4/customers/notes", outsider_,
                         R"([{"entity_id":)" + std::to_string(own) +
                             R"(,"note_type":"common","params":{"text":"x"}}])");
  EXPECT_EQ(hidden.status, 404);
  // The viewer (leads view only) reads them but may not write: the leads' edit right decides.
  EXPECT_EQ(Send(Method::kGet, notes, viewer_).status, 200);
  Response refused =
      Send(Method::kPost, notes, viewer_, R"([{"note_type":"common","params":{"text":"x"}}])");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("leads.edit"));
  // Bad params are named; a customer's note is not a lead's.
  Response bad = Send(Method::kPost, "/api/v4/customers/" + std::to_string(others) + "/notes",
                      outsider_, R"([{"note_type":"common","params":{"txt":"x"}}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("params.txt"));
  EXPECT_EQ(Send(Method::kGet, "/api/v4/leads/notes/" + std::to_string(note), allowed_).status,
            404);
  // Events on the customer; a customer's links are still written through its _embedded.
  EXPECT_EQ(Events("note_added").size(), 1u);
  EXPECT_EQ(Events("note_added")[0].entity_type, "customer");
  EXPECT_EQ(Send(Method::kPost, "/api/v4/customers/link", allowed_, "[]").status, 404);
}

}  // namespace
}  // namespace gatehouse::http::api
