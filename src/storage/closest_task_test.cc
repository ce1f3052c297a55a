// closest_task_at (closest_task.h) on every engine: the earliest deadline of a record's open
// tasks, kept by every task write, and set for whole accounts (the demo filler, migration 22).
#include "storage/closest_task.h"

#include <gtest/gtest.h>

#include <functional>

#include "storage/store.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class ClosestTaskTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("tasks");
    user_ = NewUser(account_, "owner@tasks.test");
    lead_ = Create(Lead{.name = "Deal", .responsible_user_id = user_}).id;
    other_lead_ = Create(Lead{.name = "Other deal", .responsible_user_id = user_}).id;
    contact_ = Create(Contact{.name = "Ann", .responsible_user_id = user_}).id;
  }

  template <typename R>
  R Create(const R& record) {
    R created{};
    Status written = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(created, w.Create(record));
      return Status::Ok();
    });
    EXPECT_TRUE(written.ok()) << written.ToString();
    return created;
  }

  Task NewTask(domain::DataSet entity_type, RecordId entity_id, std::int64_t complete_till) {
    return Create(Task{.entity_type = entity_type,
                       .entity_id = entity_id,
                       .text = "Call",
                       .complete_till = complete_till,
                       .responsible_user_id = user_});
  }

  void Write(const std::function<Status(AccountWriter&)>& write) {
    Status written = store_->Write(account_, write);
    ASSERT_TRUE(written.ok()) << written.ToString();
  }

  template <typename R>
  std::int64_t ClosestOf(RecordId id) {
    return store_->Reader(account_).Get<R>(id)->closest_task_at;
  }

  AccountId account_ = 0;
  UserId user_ = 0;
  RecordId lead_ = 0, other_lead_ = 0, contact_ = 0;
};

TEST_P(ClosestTaskTest, EveryTaskWriteKeepsTheEarliestOpenDeadline) {
  EXPECT_EQ(ClosestOf<Lead>(lead_), 0);  // no task: none (null)
  Task later = NewTask(domain::DataSet::kLeads, lead_, 5000);
  EXPECT_EQ(ClosestOf<Lead>(lead_), 5000);
  Task sooner = NewTask(domain::DataSet::kLeads, lead_, 3000);
  EXPECT_EQ(ClosestOf<Lead>(lead_), 3000);
  NewTask(domain::DataSet::kContacts, contact_, 4000);
  EXPECT_EQ(ClosestOf<Contact>(contact_), 4000);
  EXPECT_EQ(ClosestOf<Lead>(lead_), 3000);  // another record's task counts only there

  // Completing the sooner one: the later one is the closest.
  sooner.is_completed = true;
  Write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 5000);
  // Moving the later one to another lead: the first has none, the other has it.
  later.entity_id = other_lead_;
  Write([&](AccountWriter& w) { return w.Update(later); });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 0);
  EXPECT_EQ(ClosestOf<Lead>(other_lead_), 5000);
  // Reopening and deleting.
  sooner.is_completed = false;
  Write([&](AccountWriter& w) { return w.Update(sooner); });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 3000);
  Write([&](AccountWriter& w) { return w.Delete<Task>(sooner.id); });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 0);
  Write([&](AccountWriter& w) { return w.Delete<Task>(later.id); });
  EXPECT_EQ(ClosestOf<Lead>(other_lead_), 0);
}

TEST_P(ClosestTaskTest, AWholeAccountIsRecomputedFromItsTasks) {
  NewTask(domain::DataSet::kLeads, lead_, 7000);
  NewTask(domain::DataSet::kLeads, other_lead_, 6000);
  // As a bulk loader leaves them: tasks in, closest_task_at not set.
  Write([&](AccountWriter& w) {
    return w.connection().Execute("UPDATE leads SET closest_task_at = NULL").status();
  });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 0);
  Write([&](AccountWriter& w) {
    return RefreshClosestTask(w.connection(), domain::DataSet::kLeads, account_, 0);
  });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 7000);
  EXPECT_EQ(ClosestOf<Lead>(other_lead_), 6000);
  Write([&](AccountWriter& w) {
    return w.connection().Execute("UPDATE leads SET closest_task_at = 1").status();
  });
  Write([&](AccountWriter& w) { return RefreshEveryClosestTask(w.connection()); });
  EXPECT_EQ(ClosestOf<Lead>(lead_), 7000);
  EXPECT_EQ(ClosestOf<Contact>(contact_), 0);
}

GH_INSTANTIATE_STORE_TEST(ClosestTaskTest);

}  // namespace
}  // namespace gatehouse::storage
