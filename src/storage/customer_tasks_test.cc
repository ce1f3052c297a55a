// Tasks and notes on customers (an attachable kind, domain::kAttachableDataSets) on both
// engines: a customer's closest_task_at follows its tasks, the task list filters by customers
// within the caller's permission, a customer's notes are listed through the customers'
// permission, and deleting a customer deletes its tasks and notes with the totals kept exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "storage/closest_task.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using policy::Audience;
using policy::ListFilter;

class CustomerTasksTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("buyers");
    other_account_ = NewAccount("elsewhere");
    ann_ = NewUser(account_, "ann@buyers.test");
    bob_ = NewUser(account_, "bob@buyers.test");
  }

  RecordId MakeCustomer(UserId responsible) {
    return NewRecord(account_, Customer{.name = "Buyer",
                                        .responsible_user_id = responsible,
                                        .created_by = responsible})
        .id;
  }

  Task MakeTask(RecordId customer, std::int64_t complete_till, UserId responsible) {
    return NewRecord(account_, Task{.entity_type = domain::DataSet::kCustomers,
                                    .entity_id = customer,
                                    .text = "Call",
                                    .complete_till = complete_till,
                                    .responsible_user_id = responsible});
  }

  std::int64_t ClosestTaskOf(RecordId customer) {
    return store_->Reader(account_).Get<Customer>(customer)->closest_task_at;
  }

  void Write(const std::function<Status(AccountWriter&)>& change) {
    Status written = store_->Write(account_, change);
    EXPECT_TRUE(written.ok()) << written.ToString();
  }

  std::vector<RecordId> ListedTasks(const ListFilter& permission, const ListQuery& query) {
    auto page = store_->Reader(account_).List<Task>(permission, query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> ids;
    if (page.ok()) {
      for (const Task& t : page->items) ids.push_back(t.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static ListFilter Responsible(UserId user) {
    return ListFilter{Audience{Audience::Kind::kResponsibleIn, {user}}, {}};
  }

  AccountId account_ = 0, other_account_ = 0;
  UserId ann_ = 0, bob_ = 0;
};

TEST_P(CustomerTasksTest, TaskWritesKeepTheCustomersClosestTaskAt) {
  const RecordId customer = MakeCustomer(ann_);
  EXPECT_EQ(ClosestTaskOf(customer), 0);
  Task later = MakeTask(customer, 5000, ann_);
  Task sooner = MakeTask(customer, 3000, ann_);
  EXPECT_EQ(ClosestTaskOf(customer), 3000);
  sooner.is_completed = true;
  Write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestTaskOf(customer), 5000);
  Write([&](AccountWriter& w) { return w.Delete<Task>(later.id); });
  EXPECT_EQ(ClosestTaskOf(customer), 0);
  // Moving a task from a lead to the customer moves the deadline with it.
  const RecordId lead = NewRecord(account_, Lead{.responsible_user_id = ann_}).id;
  Task moved = NewRecord(account_, Task{.entity_type = domain::DataSet::kLeads,
                                        .entity_id = lead,
                                        .text = "Visit",
                                        .complete_till = 4000,
                                        .responsible_user_id = ann_});
  moved.entity_type = domain::DataSet::kCustomers;
  moved.entity_id = customer;
  Write([&](AccountWriter& w) { return w.Update(moved); });
  EXPECT_EQ(ClosestTaskOf(customer), 4000);
  EXPECT_EQ(store_->Reader(account_).Get<Lead>(lead)->closest_task_at, 0);
  // The whole-database recomputation (migration 22, the demo filler) covers customers too.
  Write([&](AccountWriter& w) {
    return w.connection().Execute("UPDATE customers SET closest_task_at = 1").status();
  });
  Write([&](AccountWriter& w) { return RefreshEveryClosestTask(w.connection()); });
  EXPECT_EQ(ClosestTaskOf(customer), 4000);
  // And the customers list filters by it.
  ListQuery query;
  query.closest_task_at = {3500, 4500};
  auto page = store_->Reader(account_).List<Customer>(ListFilter::All(), query);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, customer);
}

TEST_P(CustomerTasksTest, TheTaskListFiltersByCustomerWithinThePermission) {
  const RecordId first = MakeCustomer(ann_);
  const RecordId second = MakeCustomer(bob_);
  const RecordId anns_on_first = MakeTask(first, 1000, ann_).id;
  const RecordId bobs_on_first = MakeTask(first, 2000, bob_).id;
  const RecordId anns_on_second = MakeTask(second, 3000, ann_).id;
  const RecordId lead = NewRecord(account_, Lead{.responsible_user_id = ann_}).id;
  NewRecord(account_, Task{.entity_type = domain::DataSet::kLeads,
                           .entity_id = lead,
                           .text = "Not a customer's",
                           .complete_till = 4000,
                           .responsible_user_id = ann_});

  ListQuery customers;
  customers.entity_type = domain::DataSet::kCustomers;
  EXPECT_EQ(ListedTasks(ListFilter::All(), customers),
            (std::vector<RecordId>{anns_on_first, bobs_on_first, anns_on_second}));
  EXPECT_EQ(ListedTasks(Responsible(ann_), customers),
            (std::vector<RecordId>{anns_on_first, anns_on_second}));
  customers.entity_ids = {first};
  EXPECT_EQ(ListedTasks(ListFilter::All(), customers),
            (std::vector<RecordId>{anns_on_first, bobs_on_first}));
  EXPECT_EQ(ListedTasks(Responsible(bob_), customers), (std::vector<RecordId>{bobs_on_first}));
}

TEST_P(CustomerTasksTest, ATaskOrNoteNeedsACustomerOfTheAccount) {
  const RecordId theirs = NewRecord(other_account_, Customer{.name = "Theirs"}).id;
  Status refused = store_->Write(account_, [&](AccountWriter& w) -> Status {
    return w
        .Create(Task{.entity_type = domain::DataSet::kCustomers,
                     .entity_id = theirs,
                     .text = "Call",
                     .complete_till = 1000,
                     .responsible_user_id = ann_})
        .status();
  });
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  ASSERT_FALSE(refused.fields().empty());
  EXPECT_EQ(refused.fields()[0].path, "entity_id");
  refused = store_->Write(account_, [&](AccountWriter& w) -> Status {
    return w
        .CreateNote(Note{.entity_type = domain::DataSet::kCustomers,
                         .entity_id = theirs,
                         .note_type = "common",
                         .params_json = R"({"text":"x"})",
                         .responsible_user_id = ann_})
        .status();
  });
  EXPECT_FALSE(refused.ok());
}

TEST_P(CustomerTasksTest, NotesAreListedThroughTheCustomersPermissionAndGoWithTheCustomer) {
  const RecordId anns = MakeCustomer(ann_);
  const RecordId bobs = MakeCustomer(bob_);
  auto add_note = [&](RecordId customer) {
    Note created;
    Write([&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(created, w.CreateNote(Note{.entity_type = domain::DataSet::kCustomers,
                                                     .entity_id = customer,
                                                     .note_type = "common",
                                                     .params_json = R"({"text":"hello"})",
                                                     .responsible_user_id = ann_,
                                                     .created_by = ann_}));
      return Status::Ok();
    });
    return created.id;
  };
  const RecordId on_anns = add_note(anns);
  const RecordId on_bobs = add_note(bobs);
  auto listed = [&](const ListFilter& permission) {
    auto page = store_->Reader(account_).ListVisibleNotes(
        NoteQuery{.entity_type = domain::DataSet::kCustomers, .permission = permission});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<RecordId> ids;
    if (page.ok()) {
      for (const Note& n : page->items) ids.push_back(n.id);
    }
    return ids;
  };
  EXPECT_EQ(listed(ListFilter::All()), (std::vector<RecordId>{on_anns, on_bobs}));
  // The note's own responsible user is ann for both: the customer's decides.
  EXPECT_EQ(listed(Responsible(bob_)), (std::vector<RecordId>{on_bobs}));

  // Deleting bob's customer deletes its note and its task; the task totals stay exact.
  MakeTask(bobs, 1000, bob_);
  const RecordId kept = MakeTask(anns, 2000, bob_).id;
  Write([&](AccountWriter& w) { return w.Delete<Customer>(bobs); });
  EXPECT_EQ(listed(ListFilter::All()), (std::vector<RecordId>{on_anns}));
  ListQuery all_tasks;
  EXPECT_EQ(ListedTasks(ListFilter::All(), all_tasks), (std::vector<RecordId>{kept}));
  auto differences = store_->Reader(account_).VerifyRecordTotals();
  ASSERT_TRUE(differences.ok()) << differences.status().ToString();
  EXPECT_TRUE(differences->empty());
}

GH_INSTANTIATE_STORE_TEST(CustomerTasksTest);

}  // namespace
}  // namespace gatehouse::storage
