// Tasks and notes on customers follow the rules of tasks and notes on leads: a task is attached
// only to a customer the caller may view and is seen by its own responsible user's rights; a
// note exists for a user exactly when its customer does (customers read the leads' row).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "service/records/links.h"
#include "service/records/notes.h"
#include "service/records/records_test_util.h"

namespace gatehouse::service {
namespace {

using ::testing::HasSubstr;

class CustomerTasksTest : public RecordsTest {
 protected:
  storage::Customer MakeCustomer(domain::UserId responsible) {
    return Made(storage::Customer{
        .name = "Buyer", .responsible_user_id = responsible, .created_by = responsible});
  }

  std::vector<RecordId> TaskIds(const Caller& caller, storage::ListQuery query) {
    auto page = service_->List<storage::Task>(caller, query, {});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> ids;
    if (page.ok()) {
      for (const TaskView& v : page->items) ids.push_back(v.record.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static TaskInput TaskOn(RecordId customer) {
    return TaskInput{.text = "Call",
                     .complete_till = 1'800'000'000,
                     .entity_type = DataSet::kCustomers,
                     .entity_id = customer};
  }

  static NoteInput NoteOn(RecordId customer) {
    return NoteInput{
        .entity_id = customer, .note_type = "common", .params_json = R"({"text":"Reorder"})"};
  }

  // Built on use: the store opens in SetUp, after the fixture's members are.
  NoteService Notes() { return NoteService(*store_, clock_); }
};

TEST_F(CustomerTasksTest, ATaskNeedsACustomerTheCallerMayView) {
  const RecordId others = MakeCustomer(outsider_).id;
  const RecordId own = MakeCustomer(mine_).id;
  // The outsider's customer is invisible to mine_: reported as not found, on entity_id.
  auto hidden = service_->Add<storage::Task>(As(mine_), std::vector{TaskOn(others)});
  ASSERT_EQ(hidden.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(hidden.status().fields().at(0).path, "entity_id");
  EXPECT_THAT(hidden.status().fields().at(0).detail, HasSubstr("customers"));
  auto added = service_->Add<storage::Task>(As(mine_), std::vector{TaskOn(own)});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const RecordId task = (*added)[0].id;
  EXPECT_EQ(store_->Reader(account_).Get<storage::Customer>(own)->closest_task_at, 1'800'000'000);
  // Moving it onto the invisible customer is refused the same way.
  TaskInput moved{.id = task, .entity_type = DataSet::kCustomers, .entity_id = others};
  auto refused = service_->Update<storage::Task>(As(mine_), std::vector{moved});
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().fields().at(0).path, "entity_id");
  // Completing it clears the customer's closest task and is logged.
  const TaskInput done{.id = task, .is_completed = true};
  ASSERT_TRUE(service_->Update<storage::Task>(As(mine_), std::vector{done}).ok());
  EXPECT_EQ(store_->Reader(account_).Get<storage::Customer>(own)->closest_task_at, 0);
  EXPECT_EQ(Events("task_completed").size(), 1u);
}

TEST_F(CustomerTasksTest, AnIfResponsibleUserListsOnlyTheTasksTheirRightsAdmit) {
  const RecordId own = MakeCustomer(mine_).id;
  const RecordId others = MakeCustomer(outsider_).id;
  auto add = [&](domain::UserId as, RecordId customer, domain::UserId responsible) {
    TaskInput in = TaskOn(customer);
    in.responsible_user_id = responsible;
    auto added = service_->Add<storage::Task>(As(as), std::vector{in});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? (*added)[0].id : 0;
  };
  const RecordId mine_on_own = add(mine_, own, mine_);
  const RecordId mates_on_own = add(allowed_, own, mate_);
  const RecordId outsiders = add(outsider_, others, outsider_);
  storage::ListQuery query;
  query.entity_type = DataSet::kCustomers;
  EXPECT_EQ(TaskIds(As(allowed_), query),
            (std::vector<RecordId>{mine_on_own, mates_on_own, outsiders}));
  EXPECT_EQ(TaskIds(As(mine_), query), (std::vector<RecordId>{mine_on_own}));
  EXPECT_EQ(TaskIds(As(outsider_), query), (std::vector<RecordId>{outsiders}));
  query.entity_ids = {others};
  EXPECT_EQ(TaskIds(As(mine_), query), (std::vector<RecordId>{}));
  EXPECT_EQ(TaskIds(As(denied_), {}), (std::vector<RecordId>{}));
}

TEST_F(CustomerTasksTest, NotesExistOnlyForUsersWhoMayViewTheCustomer) {
  const RecordId own = MakeCustomer(mine_).id;
  const RecordId others = MakeCustomer(outsider_).id;
  // mine_ may not add a note to the outsider's customer (not found), nor the viewer (leads
  // view only) to any: edit is the leads' edit.
  auto hidden = Notes().Add(As(mine_), DataSet::kCustomers, std::vector{NoteOn(others)});
  EXPECT_EQ(hidden.status().code(), Code::kNotFound);
  EXPECT_EQ(Notes().Add(As(viewer_), DataSet::kCustomers, std::vector{NoteOn(own)}).status().code(),
            Code::kPermissionDenied);
  auto added = Notes().Add(As(outsider_), DataSet::kCustomers, std::vector{NoteOn(others)});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const RecordId note = (*added)[0].id;
  ASSERT_EQ(Events("common_note_added").size(), 1u);
  EXPECT_EQ(Events("common_note_added")[0].entity_type, "customer");

  EXPECT_EQ(Notes().Get(As(mine_), DataSet::kCustomers, note).status().code(), Code::kNotFound);
  EXPECT_EQ(Notes().List(As(mine_), DataSet::kCustomers, {}, others).status().code(),
            Code::kNotFound);
  auto listed = Notes().List(As(mine_), DataSet::kCustomers, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());
  auto seen = Notes().List(As(allowed_), DataSet::kCustomers, {});
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->items.size(), 1u);
  EXPECT_EQ(seen->items[0].note.entity_id, others);
  // A note is not a lead's: the customer's note is not found among the leads' notes.
  EXPECT_EQ(Notes().Get(As(allowed_), DataSet::kLeads, note).status().code(), Code::kNotFound);
}

TEST_F(CustomerTasksTest, ACustomersLinksAreNotWrittenPairByPair) {
  LinkService links(*store_, clock_);
  const RecordId customer = MakeCustomer(allowed_).id;
  const RecordId contact = MakeContact(allowed_).id;
  const LinkItem item{.entity_id = customer, .to_entity_type = "contacts", .to_entity_id = contact};
  auto refused = links.Link(As(allowed_), DataSet::kCustomers, std::vector{item});
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().fields().at(0).path, "entity_type");
  EXPECT_THAT(refused.status().message(), HasSubstr("_embedded"));
  EXPECT_EQ(links.Unlink(As(allowed_), DataSet::kCustomers, std::vector{item}).code(),
            Code::kInvalidArgument);
  // Read alike: the customer has no links yet.
  auto listed = links.List(As(allowed_), DataSet::kCustomers, customer);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace gatehouse::service
