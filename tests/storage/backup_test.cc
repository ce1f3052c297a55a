// Backups on both engines (storage/backup.h): a backup taken while a writer keeps committing
// restores into a database that holds every write acknowledged before the backup began, no
// half-written one, exact lead totals and an intact activity-log chain; and the refusals (an
// existing backup file, a non-empty target without force, a file of the wrong kind).
#include "storage/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/store.h"
#include "tests/storage/test_database.h"

namespace gatehouse::storage {
namespace {

using base::Code;
using base::Status;
using testing::Engine;
using testing::TestDatabase;

class BackupTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_REQUIRE_ENGINE(GetParam());
    db_ = NewDatabase();
    ASSERT_NE(db_, nullptr);
    auto store = Store::Open(db_->url(), 4);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto account = store_->CreateAccount({"backup", "Backup", 10, 0});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    dir_ = std::filesystem::temp_directory_path() /
           ("gh-backup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<TestDatabase> NewDatabase() {
    auto db = TestDatabase::Create(GetParam());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // One lead and the event that reports it, in one transaction.
  Status WriteLeadAndEvent(Store& store, int n) {
    return store.Write(account_, [&](AccountWriter& w) -> Status {
      const Lead lead{.name = "Lead " + std::to_string(n), .price = n};
      GH_ASSIGN_OR_RETURN(Lead created, w.Create(lead));
      const EventRow event{.id = "backup-test-" + std::to_string(n),
                           .created_at = 1'700'000'000 + n,
                           .type = "lead_added",
                           .entity_type = "lead",
                           .entity_id = created.id};
      return w.AppendEvent(event);
    });
  }

  std::string BackupFile() const {
    return (dir_ / (GetParam() == Engine::kSqlite ? "gatehouse.backup" : "gatehouse.dump"))
        .string();
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  AccountId account_ = 0;
  std::filesystem::path dir_;
};

std::int64_t CountLeads(Store& store, AccountId account) {
  ListQuery all;
  auto count = store.Reader(account).Count<Lead>(policy::ListFilter::All(), all);
  EXPECT_TRUE(count.ok()) << count.status().ToString();
  return count.ok() ? *count : -1;
}

TEST_P(BackupTest, BackupUnderWriteLoadRestoresEveryAcknowledgedWriteAndAnIntactChain) {
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    // Bounded in count and time.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int n = 1; n <= 3000 && !stop && std::chrono::steady_clock::now() < until; ++n) {
      if (!WriteLeadAndEvent(*store_, n).ok()) break;
      acknowledged = n;
    }
  });
  while (acknowledged < 40 && !::testing::Test::HasFailure()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int before = acknowledged;
  Status backed_up = BackupDatabase(db_->url(), BackupFile());
  const int after = acknowledged;
  stop = true;
  writer.join();
  ASSERT_TRUE(backed_up.ok()) << backed_up.ToString();
  EXPECT_FALSE(std::filesystem::exists(BackupFile() + ".partial"));

  std::unique_ptr<TestDatabase> target = NewDatabase();
  ASSERT_NE(target, nullptr);
  Status restored = RestoreDatabase(BackupFile(), target->url(), false);
  ASSERT_TRUE(restored.ok()) << restored.ToString();
  auto store = Store::Open(target->url(), 2);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Migrate().ok());

  // Each lead came with its event in one transaction: the copy holds whole transactions only.
  const std::int64_t leads = CountLeads(**store, account_);
  EXPECT_GE(leads, before);
  EXPECT_LE(leads, after + 1);  // the write in flight when `after` was read may have committed
  auto chain = (*store)->Reader(account_).VerifyEventChain();
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->intact()) << chain->first_break->reason;
  EXPECT_EQ(chain->checked, leads);
  auto totals = (*store)->Reader(account_).VerifyLeadTotals();
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_TRUE(totals->empty());

  // The restored database is a working one.
  EXPECT_TRUE(WriteLeadAndEvent(**store, 100'000).ok());
}

TEST_P(BackupTest, NeverOverwritesAFile) {
  std::ofstream(BackupFile()) << "keep me";
  Status again = BackupDatabase(db_->url(), BackupFile());
  EXPECT_EQ(again.code(), Code::kAlreadyExists) << again.ToString();
  std::ifstream in(BackupFile());
  std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "keep me");
}

TEST_P(BackupTest, RestoreRefusesADatabaseWithAccountsUnlessForced) {
  ASSERT_TRUE(WriteLeadAndEvent(*store_, 1).ok());
  ASSERT_TRUE(BackupDatabase(db_->url(), BackupFile()).ok());
  ASSERT_TRUE(WriteLeadAndEvent(*store_, 2).ok());
  store_.reset();  // a restore is done with the servers stopped

  Status refused = RestoreDatabase(BackupFile(), db_->url(), false);
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition) << refused.ToString();
  EXPECT_NE(refused.message().find("--force"), std::string::npos) << refused.message();

  Status forced = RestoreDatabase(BackupFile(), db_->url(), true);
  ASSERT_TRUE(forced.ok()) << forced.ToString();
  auto store = Store::Open(db_->url(), 2);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Migrate().ok());
  EXPECT_EQ(CountLeads(**store, account_), 1);  // the state of the backup, not the later write
}

TEST_P(BackupTest, RestoreRefusesAFileThatIsNotABackupOfThisEngine) {
  const std::string text = (dir_ / "notes.txt").string();
  std::ofstream(text) << "not a backup";
  std::unique_ptr<TestDatabase> target = NewDatabase();
  ASSERT_NE(target, nullptr);
  Status refused = RestoreDatabase(text, target->url(), false);
  EXPECT_EQ(refused.code(), Code::kInvalidArgument) << refused.ToString();
  ASSERT_FALSE(refused.fields().empty());
  EXPECT_EQ(refused.fields().front().path, "from");
  // The reason names the kind of backup this engine restores.
  const bool sqlite = GetParam() == Engine::kSqlite;
  EXPECT_NE(refused.message().find(sqlite ? "is not a SQLite backup (a pg_dump archive restores"
                                          : "is not a pg_dump archive (a SQLite backup restores"),
            std::string::npos)
      << refused.message();

  Status missing = RestoreDatabase((dir_ / "nothing").string(), target->url(), false);
  EXPECT_EQ(missing.code(), Code::kInvalidArgument) << missing.ToString();
}

TEST(SqliteBackupTest, RestoreRefusesASqliteFileThatIsNotGatehouses) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gh-backup-foreign-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto other = Store::Open("sqlite:" + (dir / "other.db").string(), 1);
    ASSERT_TRUE(other.ok());
    sql::PooledConnection c = (*other)->pool().Acquire();
    ASSERT_TRUE(c->ExecuteScript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").ok());
  }
  Status refused =
      RestoreDatabase((dir / "other.db").string(), "sqlite:" + (dir / "target.db").string(), false);
  EXPECT_EQ(refused.code(), Code::kInvalidArgument) << refused.ToString();
  EXPECT_NE(refused.ToString().find("schema_migrations"), std::string::npos) << refused.ToString();
  EXPECT_FALSE(std::filesystem::exists(dir / "target.db"));
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace gatehouse::storage
