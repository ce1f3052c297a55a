// Store::Write under concurrent writers: on SQLite the writes share commits (group_commit.h),
// a failing write rolls back alone, and each write sees the ones batched before it; on
// PostgreSQL every write is its own transaction. Both: the rows, the lead totals and the event
// chain come out exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

class GroupCommitTest : public StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("batch");
    user_ = NewUser(account_, "writer@batch.test");
  }

  bool Sqlite() const { return GetParam() == Engine::kSqlite; }

  // Blocks (at most 10 s) until `n` writes are queued, so that a leader's batch takes them all.
  // PostgreSQL queues nothing: returns at once.
  void WaitForQueued(std::size_t n) {
    if (!Sqlite()) return;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (store_->queued_writes() < n && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GE(store_->queued_writes(), n);
  }

  // A lead named `name` and an activity-log entry for it.
  Status AddLead(AccountWriter& w, const std::string& name) {
    GH_ASSIGN_OR_RETURN(Lead created,
                        w.Create(Lead{.name = name, .price = 100, .responsible_user_id = user_}));
    return w.AppendEvent(EventRow{.id = "ev-" + name,
                                  .created_at = 1,
                                  .type = "lead_added",
                                  .entity_type = "lead",
                                  .entity_id = created.id});
  }

  std::vector<std::string> LeadNames() {
    const testing::FilteredQuery all = AllLeads();
    auto page = store_->Reader(account_).List<Lead>(all.permission, all);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const Lead& lead : page->items) names.push_back(lead.name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  static testing::FilteredQuery AllLeads() {
    testing::FilteredQuery query;
    query.permission.otherwise.kind = policy::Audience::Kind::kAll;
    query.limit = 250;
    return query;
  }

  // Totals recomputed from the rows, and the event chain walked from its start.
  void ExpectExact(std::int64_t events) {
    AccountReader reader = store_->Reader(account_);
    auto differences = reader.VerifyLeadTotals();
    ASSERT_TRUE(differences.ok()) << differences.status().ToString();
    EXPECT_TRUE(differences->empty()) << differences->size() << " cells differ";
    auto chain = reader.VerifyEventChain();
    ASSERT_TRUE(chain.ok()) << chain.status().ToString();
    EXPECT_TRUE(chain->intact()) << chain->first_break->reason;
    EXPECT_EQ(chain->checked, events);
    EXPECT_EQ(chain->head_seq, events);
  }

  AccountId account_ = 0;
  UserId user_ = 0;
};

// Eight writers at once, each read-modify-writing one shared lead: on SQLite far fewer commits
// than writes, and no increment lost (each write saw the ones batched before it).
TEST_P(GroupCommitTest, ConcurrentWritesShareCommitsAndSeeEachOther) {
  const RecordId counter =
      NewRecord(account_, Lead{.name = "counter", .responsible_user_id = user_}).id;
  ASSERT_NE(counter, 0);
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 25;
  const WriteStats before = store_->write_stats();
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          // The first write waits for the other threads' first writes to queue behind it.
          if (t == 0 && i == 0) WaitForQueued(kThreads);
          if (!Sqlite()) {
            // PostgreSQL runs the writers in parallel: lock the row before reading it.
            std::vector<sql::Value> params{sql::Value{counter}};
            GH_RETURN_IF_ERROR(w.connection()
                                   .Query("SELECT id FROM leads WHERE id = ? FOR UPDATE", params)
                                   .status());
          }
          GH_ASSIGN_OR_RETURN(Lead lead, w.Get<Lead>(counter));
          lead.price += 1;
          GH_RETURN_IF_ERROR(w.Update(lead));
          return AddLead(w, "t" + std::to_string(t) + "-" + std::to_string(i));
        });
        if (!status.ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;

  const WriteStats after = store_->write_stats();
  const std::uint64_t writes = after.writes - before.writes;
  const std::uint64_t commits = after.commits - before.commits;
  EXPECT_EQ(writes, static_cast<std::uint64_t>(kThreads * kWritesEach));
  if (Sqlite()) {
    // The first batch alone holds kThreads writes.
    EXPECT_LE(commits, writes - (kThreads - 1)) << writes << " writes";
  } else {
    EXPECT_EQ(commits, writes);
  }
  auto lead = store_->Reader(account_).Get<Lead>(counter);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->price, kThreads * kWritesEach);
  EXPECT_EQ(LeadNames().size(), static_cast<std::size_t>(kThreads * kWritesEach + 1));
  ExpectExact(kThreads * kWritesEach);
}

// One batch of five: two good writes, one whose body fails after writing, one that breaks a
// unique key, one that throws. Only the bad ones are undone (rows, totals, events), each caller
// gets its own outcome, and on SQLite the five shared one commit.
TEST_P(GroupCommitTest, FailingWriteRollsBackAloneInItsBatch) {
  ASSERT_TRUE(store_->Write(account_, [&](AccountWriter& w) { return AddLead(w, "first"); }).ok());
  const WriteStats before = store_->write_stats();
  Status leader, good, failed, duplicate, threw;
  std::thread first([&] {
    leader = store_->Write(account_, [&](AccountWriter& w) -> Status {
      WaitForQueued(5);
      return AddLead(w, "leader");
    });
  });
  // Queued behind the leader only once it runs (on SQLite), so the batch holds all five.
  while (Sqlite() && store_->queued_writes() < 1)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<std::thread> others;
  others.emplace_back([&] {
    good = store_->Write(account_, [&](AccountWriter& w) { return AddLead(w, "good"); });
  });
  others.emplace_back([&] {
    failed = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(AddLead(w, "failed"));
      return Status::Invalid("this write fails after writing");
    });
  });
  others.emplace_back([&] {
    duplicate = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(AddLead(w, "duplicate"));
      const UserRow row{.user = {.name = "again", .email = "writer@batch.test"}};
      return w.CreateUser(row).status();
    });
  });
  others.emplace_back([&] {
    threw = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(AddLead(w, "threw"));
      throw std::runtime_error("a library threw");
    });
  });
  first.join();
  for (std::thread& thread : others) thread.join();

  EXPECT_TRUE(leader.ok()) << leader.ToString();
  EXPECT_TRUE(good.ok()) << good.ToString();
  EXPECT_EQ(failed.code(), Code::kInvalidArgument) << failed.ToString();
  EXPECT_EQ(duplicate.code(), Code::kAlreadyExists) << duplicate.ToString();
  EXPECT_EQ(threw.code(), Code::kInternal) << threw.ToString();
  const WriteStats after = store_->write_stats();
  EXPECT_EQ(after.writes - before.writes, 2u);
  if (Sqlite()) {
    EXPECT_EQ(after.commits - before.commits, 1u);
  }
  EXPECT_EQ(LeadNames(), (std::vector<std::string>{"first", "good", "leader"}));
  auto totals = store_->Reader(account_).LeadTotals();
  ASSERT_TRUE(totals.ok());
  std::int64_t count = 0, price = 0;
  for (const LeadCellTotals& cell : *totals) {
    count += cell.count;
    price += cell.price;
  }
  EXPECT_EQ(count, 3);
  EXPECT_EQ(price, 300);
  ExpectExact(3);
}

// A write after which the engine has rolled the whole transaction back (SQLite does on a full
// disk or an I/O error; here the body ends it itself): the writes batched before it are gone
// with it, so their callers are told so, never acknowledged; the writes queued after it run in
// the next batch and are stored.
TEST_P(GroupCommitTest, TransactionLostMidBatchAcknowledgesNothingOfIt) {
  if (!Sqlite()) GTEST_SKIP() << "PostgreSQL runs every write in a transaction of its own";
  ASSERT_TRUE(store_->Write(account_, [&](AccountWriter& w) { return AddLead(w, "first"); }).ok());
  Status leader, lost, after;
  std::thread third;
  std::thread first([&] {
    leader = store_->Write(account_, [&](AccountWriter& w) -> Status {
      WaitForQueued(2);
      return AddLead(w, "leader");
    });
  });
  while (store_->queued_writes() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread second([&] {
    lost = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_RETURN_IF_ERROR(AddLead(w, "lost"));
      // Queue the next write behind this batch before ending its transaction.
      third = std::thread([&] {
        after = store_->Write(account_, [&](AccountWriter& w2) { return AddLead(w2, "after"); });
      });
      WaitForQueued(3);
      GH_RETURN_IF_ERROR(w.connection().ExecuteScript("ROLLBACK"));
      return Status::Invalid("this write's transaction is gone");
    });
  });
  first.join();
  second.join();
  third.join();
  EXPECT_EQ(leader.code(), Code::kInternal) << leader.ToString();
  EXPECT_EQ(lost.code(), Code::kInvalidArgument) << lost.ToString();
  EXPECT_TRUE(after.ok()) << after.ToString();
  EXPECT_EQ(LeadNames(), (std::vector<std::string>{"after", "first"}));
  ExpectExact(2);
}

GH_INSTANTIATE_STORE_TEST(GroupCommitTest);

}  // namespace
}  // namespace gatehouse::storage
