// Property test of point-in-time replay (issue 16) on both engines: a random sequence of
// access-relevant changes, each at a time set on the injected clock — users' rights, group,
// role, admin/active/free state, role rights copied to holders, records created, handed over,
// moved between stages and deleted, stages deleted (their leads move), users removed after
// reassigning their records — then, at random past times T, the permission engine compiled from
// the history as of T (AccountReader::LoadAccountModelAt, RecordAt) must decide exactly as the
// naive reference model (tests/model/reference_model.h) does on the state at T.
//
// "The state at T" is rebuilt independently of the history: after every change the test reads
// the live tables (LoadAccountModel, each record by id) and keeps that snapshot with the change's
// time; the state at T is the last snapshot taken at or before T. A history trigger that misses
// a path, or records the wrong time, makes the two differ. Every failure prints the seed;
// GATEHOUSE_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "domain/account.h"
#include "policy/account_policy.h"
#include "storage/store.h"
#include "tests/model/reference_model.h"
#include "tests/storage/test_database.h"

namespace gatehouse::storage {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;
using testing::Engine;
using testing::SeedFromEnv;
using testing::TestDatabase;

using RecordKey = std::pair<DataSet, domain::RecordId>;

// The live state right after one change, and the change's time.
struct Snapshot {
  std::int64_t at = 0;
  domain::AccountModel model;
  std::map<RecordKey, domain::RecordRef> records;  // the records that existed
};

template <typename R>
std::optional<domain::RecordRef> RefOf(const AccountReader& reader, DataSet data_set,
                                       domain::RecordId id) {
  auto record = reader.Get<R>(id);
  if (!record.ok()) return std::nullopt;
  domain::RecordRef ref{data_set, record->responsible_user_id, 0, 0};
  if constexpr (std::is_same_v<R, Lead>) {
    ref.pipeline_id = record->pipeline_id;
    ref.status_id = record->status_id;
  }
  return ref;
}

std::optional<domain::RecordRef> LiveRef(const AccountReader& reader, const RecordKey& key) {
  switch (key.first) {
    case DataSet::kLeads:
      return RefOf<Lead>(reader, key.first, key.second);
    case DataSet::kContacts:
      return RefOf<Contact>(reader, key.first, key.second);
    case DataSet::kTasks:
      return RefOf<Task>(reader, key.first, key.second);
    default:
      return RefOf<Customer>(reader, key.first, key.second);
  }
}

class ReplayPropertyTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_REQUIRE_ENGINE(GetParam());
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto store = OpenMigratedStore(*db_, 2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    store_->set_clock(&clock_);
  }

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Int(0, static_cast<int>(items.size()) - 1))];
  }

  domain::Rights AnyRights() {
    domain::Rights rights;
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        rights.Set(data_set, action,
                   domain::TakesOnlyAllowedOrDenied(data_set, action)
                       ? (Chance(50) ? Level::kAllowed : Level::kDenied)
                       : static_cast<Level>(Int(0, 3)));
      }
    }
    std::set<domain::StageKey> used;
    for (int n = Int(0, 2); n > 0; --n) {
      const domain::StageKey stage = Pick(stages_);
      if (!used.insert(stage).second) continue;
      domain::StageRights entry{stage, {}};
      for (Action action : domain::kStageActions) {
        if (Chance(60)) entry.Set(action, static_cast<Level>(Int(0, 3)));
      }
      rights.stage_rights.push_back(entry);
    }
    return model::RefNormalize(rights);
  }

  base::Status Write(const std::function<base::Status(AccountWriter&)>& body) {
    return store_->Write(account_, body);
  }

  // The working stages (neither incoming nor 142/143) that exist now.
  void LoadStages() {
    stages_.clear();
    auto pipelines = store_->Reader(account_).ListPipelines();
    ASSERT_TRUE(pipelines.ok());
    for (const domain::Pipeline& p : *pipelines) {
      for (const domain::Stage& s : p.stages) {
        if (s.type == domain::kStageTypeNormal && s.id != domain::kWonStatusId &&
            s.id != domain::kLostStatusId) {
          stages_.push_back({p.id, s.id});
        }
      }
    }
  }

  std::vector<domain::UserId> ActiveUsers(const domain::AccountModel& model) {
    std::vector<domain::UserId> out;
    for (const domain::User& u : model.users) {
      if (u.is_active) out.push_back(u.id);
    }
    return out;
  }

  void TakeSnapshot() {
    const AccountReader reader = store_->Reader(account_);
    Snapshot snapshot;
    snapshot.at = clock_.NowSeconds();
    auto model = reader.LoadAccountModel();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    snapshot.model = std::move(model).value();
    for (const RecordKey& key : created_) {
      if (auto ref = LiveRef(reader, key)) snapshot.records[key] = *ref;
    }
    snapshots_.push_back(std::move(snapshot));
  }

  // One random change at the clock's current time; returns what it was, for failure messages.
  std::string RandomChange(bool create_only = false) {
    const Snapshot& now = snapshots_.back();
    const std::vector<domain::UserId> active = ActiveUsers(now.model);
    std::vector<RecordKey> existing;
    for (const auto& [key, ref] : now.records) existing.push_back(key);
    const domain::User& user = Pick(now.model.users);
    const bool owner = user.id == owner_;  // stays an active admin throughout
    base::Status status;
    std::string what;
    switch (create_only ? 4 : Int(0, 10)) {
      case 0:
      case 1:
        what = "rights of user " + std::to_string(user.id);
        status = Write([&](AccountWriter& w) -> base::Status {
          GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(user.id));
          row.user.rights = AnyRights();
          row.user.role_id.reset();
          return w.UpdateUser(row);
        });
        break;
      case 2:
        what = "group / role / flags of user " + std::to_string(user.id);
        status = Write([&](AccountWriter& w) -> base::Status {
          GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(user.id));
          if (Chance(50)) row.user.group_id = Pick(groups_);
          if (Chance(30)) {
            row.user.role_id = role_.id;
            row.user.rights = role_.rights;
          }
          if (!owner && Chance(30)) row.user.is_admin = !row.user.is_admin;
          if (!owner && Chance(30)) row.user.is_active = !row.user.is_active;
          if (!owner && Chance(20)) row.user.is_free = !row.user.is_free;
          return w.UpdateUser(row);
        });
        break;
      case 3:
        what = "rights of the role, copied to its holders";
        role_.rights = AnyRights();
        status = Write([&](AccountWriter& w) { return w.UpdateRole(role_); });
        break;
      case 4:
      case 5: {
        const DataSet kinds[] = {DataSet::kLeads, DataSet::kContacts, DataSet::kTasks,
                                 DataSet::kCustomers};
        const DataSet data_set = kinds[Int(0, 3)];
        const domain::UserId responsible = Chance(10) ? 0 : Pick(active);
        what = "create a " + std::string(domain::DataSetName(data_set));
        status = Write([&](AccountWriter& w) -> base::Status {
          domain::RecordId id = 0;
          if (data_set == DataSet::kLeads) {
            Lead lead;
            lead.name = "Lead";
            const domain::StageKey stage = Pick(stages_);
            lead.pipeline_id = stage.pipeline_id;
            lead.status_id = stage.status_id;
            lead.responsible_user_id = responsible;
            GH_ASSIGN_OR_RETURN(Lead stored, w.Create(lead));
            id = stored.id;
          } else if (data_set == DataSet::kContacts) {
            const Contact contact{.name = "Contact", .responsible_user_id = responsible};
            GH_ASSIGN_OR_RETURN(Contact stored, w.Create(contact));
            id = stored.id;
          } else if (data_set == DataSet::kTasks) {
            const Task task{.text = "Call",
                            .complete_till = clock_.NowSeconds() + 3600,
                            .responsible_user_id = responsible};
            GH_ASSIGN_OR_RETURN(Task stored, w.Create(task));
            id = stored.id;
          } else {
            const Customer customer{.name = "Customer", .responsible_user_id = responsible};
            GH_ASSIGN_OR_RETURN(Customer stored, w.Create(customer));
            id = stored.id;
          }
          created_.push_back({data_set, id});
          return base::Status::Ok();
        });
        break;
      }
      case 6:
      case 7: {
        if (existing.empty()) return "nothing";
        const RecordKey key = Pick(existing);
        const domain::UserId responsible = Chance(10) ? 0 : Pick(active);
        what = "hand over / move " + std::string(domain::DataSetName(key.first)) + " " +
               std::to_string(key.second);
        status = Write([&](AccountWriter& w) -> base::Status {
          auto update = [&](auto record) -> base::Status {
            record.responsible_user_id = responsible;
            if constexpr (std::is_same_v<decltype(record), Lead>) {
              if (Chance(60)) {
                const domain::StageKey stage = Pick(stages_);
                record.pipeline_id = stage.pipeline_id;
                record.status_id = stage.status_id;
              }
            }
            return w.Update(record);
          };
          switch (key.first) {
            case DataSet::kLeads: {
              GH_ASSIGN_OR_RETURN(Lead r, w.Get<Lead>(key.second));
              return update(r);
            }
            case DataSet::kContacts: {
              GH_ASSIGN_OR_RETURN(Contact r, w.Get<Contact>(key.second));
              return update(r);
            }
            case DataSet::kTasks: {
              GH_ASSIGN_OR_RETURN(Task r, w.Get<Task>(key.second));
              return update(r);
            }
            default: {
              GH_ASSIGN_OR_RETURN(Customer r, w.Get<Customer>(key.second));
              return update(r);
            }
          }
        });
        break;
      }
      case 8: {
        if (existing.empty()) return "nothing";
        const RecordKey key = Pick(existing);
        what = "delete " + std::string(domain::DataSetName(key.first)) + " " +
               std::to_string(key.second);
        status = Write([&](AccountWriter& w) -> base::Status {
          switch (key.first) {
            case DataSet::kLeads:
              return w.Delete<Lead>(key.second);
            case DataSet::kContacts:
              return w.Delete<Contact>(key.second);
            case DataSet::kTasks:
              return w.Delete<Task>(key.second);
            default:
              return w.Delete<Customer>(key.second);
          }
        });
        break;
      }
      case 9: {
        // A stage deleted: its leads move to the pipeline's first working stage.
        if (stages_.size() <= 3) return "nothing";
        const domain::StageKey stage = Pick(stages_);
        what = "delete stage " + std::to_string(stage.status_id);
        status = Write(
            [&](AccountWriter& w) { return w.DeleteStage(stage.pipeline_id, stage.status_id); });
        if (status.code() == base::Code::kFailedPrecondition) return "nothing";  // last one
        LoadStages();
        break;
      }
      case 10: {
        // A user removed for good after their records moved to another active user.
        if (owner || now.model.users.size() <= 3) return "nothing";
        what = "remove user " + std::to_string(user.id);
        status = Write([&](AccountWriter& w) -> base::Status {
          GH_RETURN_IF_ERROR(w.Reassign(user.id, owner_, clock_.NowSeconds()).status());
          return w.DeleteUser(user.id);
        });
        break;
      }
    }
    EXPECT_TRUE(status.ok()) << what << ": " << status.ToString();
    return what;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  base::FakeClock clock_{1'760'000'000};
  std::mt19937_64 random_;
  domain::AccountId account_ = 0;
  domain::UserId owner_ = 0;
  std::vector<domain::GroupId> groups_;
  domain::Role role_;
  std::vector<domain::StageKey> stages_;
  std::vector<RecordKey> created_;
  std::vector<Snapshot> snapshots_;
  std::vector<std::string> changes_;  // for failure messages
};

TEST_P(ReplayPropertyTest, ReplayAtPastTimesMatchesTheReferenceModelOnTheStateThen) {
  const std::uint64_t seed = SeedFromEnv();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (GATEHOUSE_SEED replays)");
  std::printf("%s seed %llu\n", testing::EngineName(GetParam()),
              static_cast<unsigned long long>(seed));
  random_.seed(seed);

  // The account, its groups, a role, a second pipeline and users: history starts here.
  auto account = store_->CreateAccount({"replay", "Replay", 1000, 0});
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  account_ = account->id;
  const std::int64_t start = clock_.NowSeconds();
  clock_.Advance(5);
  base::Status setup = Write([&](AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId main, w.DefaultGroupId());
    groups_ = {main};
    for (int g = 0; g < 2; ++g) {
      GH_ASSIGN_OR_RETURN(domain::GroupId id, w.CreateGroup("Team " + std::to_string(g)));
      groups_.push_back(id);
    }
    std::vector<domain::Stage> extra = {{0, "Qualify", 10, domain::kStageTypeNormal},
                                        {0, "Offer", 20, domain::kStageTypeNormal},
                                        {0, "Close", 30, domain::kStageTypeNormal}};
    return w.CreatePipeline("Second", 2, false, extra).status();
  });
  ASSERT_TRUE(setup.ok()) << setup.ToString();
  LoadStages();
  role_.name = "Sales";
  role_.rights = AnyRights();
  setup = Write([&](AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(role_.id, w.CreateRole(role_));
    for (int u = 0; u < 7; ++u) {
      UserRow row;
      row.user.name = "User " + std::to_string(u);
      row.user.email = "u" + std::to_string(u) + "@replay.test";
      row.user.group_id = Pick(groups_);
      row.user.is_admin = u == 0 || Chance(15);
      row.user.rights = AnyRights();
      GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
      if (u == 0) owner_ = id;
    }
    return base::Status::Ok();
  });
  ASSERT_TRUE(setup.ok()) << setup.ToString();
  TakeSnapshot();
  // A dozen records to start with, so that most probes have records to decide on.
  for (int r = 0; r < 12; ++r) {
    changes_.push_back(RandomChange(/*create_only=*/true));
    TakeSnapshot();
  }

  // The changes: 0 to 3 seconds apart (0: several changes within one second, where the state
  // at that second is the one after the last of them).
  for (int step = 0; step < 80; ++step) {
    clock_.Advance(Int(0, 3));
    changes_.push_back(std::to_string(clock_.NowSeconds()) + " " + RandomChange());
    TakeSnapshot();
  }
  const std::int64_t end = clock_.NowSeconds();
  // Replay from the first snapshot on (before it, the setup write had not happened yet).
  const std::int64_t first = snapshots_.front().at;

  const AccountReader reader = store_->Reader(account_);
  auto replay_from = reader.ReplayStart();
  ASSERT_TRUE(replay_from.ok()) << replay_from.status().ToString();
  EXPECT_EQ(*replay_from, start);

  const Action actions[] = {Action::kView, Action::kEdit, Action::kDelete, Action::kExport,
                            Action::kAdd};
  int compared = 0;
  for (int probe = 0; probe < 25; ++probe) {
    const std::int64_t at =
        Int(0, 3) == 0 ? Pick(snapshots_).at : first + Int(0, static_cast<int>(end - first));
    // The state at `at`: the last snapshot taken at or before it.
    const Snapshot* then = &snapshots_.front();
    for (const Snapshot& s : snapshots_) {
      if (s.at <= at) then = &s;
    }
    SCOPED_TRACE("at " + std::to_string(at));
    auto model = reader.LoadAccountModelAt(at);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    std::vector<domain::UserId> replayed_users;
    std::vector<domain::UserId> live_users;
    for (const domain::User& u : model->users) replayed_users.push_back(u.id);
    for (const domain::User& u : then->model.users) live_users.push_back(u.id);
    ASSERT_EQ(replayed_users, live_users);
    auto engine = policy::AccountPolicy::Build(*model);
    for (const RecordKey& key : created_) {
      auto replayed = reader.RecordAt(key.first, key.second, at);
      ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
      auto live = then->records.find(key);
      ASSERT_EQ(replayed->has_value(), live != then->records.end())
          << domain::DataSetName(key.first) << " " << key.second;
      if (!replayed->has_value()) continue;
      const domain::RecordRef& ref = live->second;
      EXPECT_EQ((*replayed)->responsible_user_id, ref.responsible_user_id);
      EXPECT_EQ((*replayed)->pipeline_id, ref.pipeline_id);
      EXPECT_EQ((*replayed)->status_id, ref.status_id);
      for (const domain::User& user : then->model.users) {
        for (Action action : actions) {
          const model::RefDecision want = model::RefDecide(then->model, user.id, action, ref);
          const policy::Decision got = engine->Check(user.id, action, **replayed);
          ++compared;
          ASSERT_EQ(got.allowed, want.allowed)
              << "user " << user.id << " " << domain::ActionName(action) << " "
              << domain::DataSetName(key.first) << " " << key.second;
          EXPECT_STREQ(policy::RuleName(got.rule), model::RefRuleName(want.rule));
          EXPECT_EQ(got.level, want.level);
          EXPECT_STREQ(policy::MatchName(got.match), model::RefMatchName(want.match));
        }
      }
    }
  }
  std::printf("%s: %zu changes, %d decisions compared\n", testing::EngineName(GetParam()),
              changes_.size(), compared);
  if (HasFailure()) {
    for (const std::string& change : changes_) std::printf("  %s\n", change.c_str());
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, ReplayPropertyTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace gatehouse::storage
