// Totals (migrations 9 and 10) on both engines: after random sequences of every kind of write
// of leads, contacts, companies and tasks (single and batch creates, updates that move,
// re-price, reassign and complete, deletes — a contact's or company's with its tasks — a batch
// that fails half-way and rolls back, stage deletion, incoming-lead accept, user removal with
// reassignment, demo load), the stored lead cells, stage rollups and record totals must equal a
// GROUP BY over the rows, as the test computes it from the records it reads back. Also: the
// migrations fill the totals for records that exist before them, the verification reports a
// tampered counter, an update goes through when the record's last editor was removed, and on
// PostgreSQL parallel writers lose no increment and never deadlock. After every step of the
// random sequence, for random users (with random rights, stage entries and two groups) and
// random data sets and actions, the totals per stage the board summary and the counts read
// (AccountReader::TotalsByStage) equal the reference model's count and sum of prices over the
// rows read back (tests/model/reference_model.h).
//
// Every failure prints the seed; GATEHOUSE_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "policy/account_policy.h"
#include "policy/list_totals.h"
#include "storage/demo.h"
#include "storage/store.h"
#include "tests/model/reference_model.h"
#include "tests/storage/test_database.h"

namespace gatehouse::storage {
namespace {

using base::Status;
using testing::Engine;
using testing::SeedFromEnv;
using testing::TestDatabase;

class Random {
 public:
  explicit Random(std::uint64_t seed) : random_(seed) {}
  std::int64_t Int(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(random_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Int(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 random_;
};

// The expected totals: GROUP BY (pipeline, stage, responsible) over every lead row of the account.
std::map<LeadCell, std::pair<std::int64_t, std::int64_t>> GroupRows(const AccountReader& reader) {
  std::map<LeadCell, std::pair<std::int64_t, std::int64_t>> out;
  ListQuery query;
  Status status =
      reader.Export<Lead>(policy::ListFilter::All(), query, [&](std::span<const Lead> leads) {
        for (const Lead& lead : leads) {
          auto& cell = out[{lead.pipeline_id, lead.status_id, lead.responsible_user_id}];
          cell.first += 1;
          cell.second += lead.price;
        }
        return Status::Ok();
      });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

std::map<LeadCell, std::pair<std::int64_t, std::int64_t>> StoredTotals(
    const AccountReader& reader) {
  std::map<LeadCell, std::pair<std::int64_t, std::int64_t>> out;
  auto totals = reader.LeadTotals();
  EXPECT_TRUE(totals.ok()) << totals.status().ToString();
  if (totals.ok()) {
    for (const LeadCellTotals& t : *totals) out[t.cell] = {t.count, t.price};
  }
  return out;
}

using RecordTotals = std::map<std::pair<std::string, domain::UserId>, std::int64_t>;

// Every task of the account, page by page (tasks have no export).
std::vector<Task> AllTasks(const AccountReader& reader) {
  std::vector<Task> out;
  ListQuery query;
  query.limit = kMaxPageLimit;
  for (int page = 0; page < 1000; ++page) {
    auto tasks = reader.List<Task>(policy::ListFilter::All(), query);
    EXPECT_TRUE(tasks.ok()) << tasks.status().ToString();
    if (!tasks.ok()) break;
    out.insert(out.end(), tasks->items.begin(), tasks->items.end());
    if (!tasks->next) break;
    query.after = tasks->next;
  }
  return out;
}

// The expected record totals: GROUP BY (data set, responsible) over the rows, and per data set
// the rollup (-1).
RecordTotals GroupRecordRows(const AccountReader& reader) {
  RecordTotals out;
  auto add = [&out](const std::string& data_set, domain::UserId user) {
    out[{data_set, user}] += 1;
    out[{data_set, -1}] += 1;
  };
  ListQuery query;
  Status status = reader.Export<Contact>(policy::ListFilter::All(), query,
                                         [&](std::span<const Contact> contacts) {
                                           for (const Contact& c : contacts)
                                             add("contacts", c.responsible_user_id);
                                           return Status::Ok();
                                         });
  EXPECT_TRUE(status.ok()) << status.ToString();
  status = reader.Export<Company>(policy::ListFilter::All(), query,
                                  [&](std::span<const Company> companies) {
                                    for (const Company& c : companies)
                                      add("companies", c.responsible_user_id);
                                    return Status::Ok();
                                  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  for (const Task& t : AllTasks(reader)) add("tasks", t.responsible_user_id);
  status = reader.Export<Customer>(policy::ListFilter::All(), query,
                                   [&](std::span<const Customer> customers) {
                                     for (const Customer& c : customers)
                                       add("customers", c.responsible_user_id);
                                     return Status::Ok();
                                   });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

class LeadTotalsTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_REQUIRE_ENGINE(GetParam());
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto store = OpenMigratedStore(*db_, 8);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto account = store_->CreateAccount({"totals", "Totals", 1000, 0});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_ = account->id;
    Status built = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(domain::GroupId group, w.DefaultGroupId());
      for (int u = 0; u < 6; ++u) {
        UserRow row;
        row.user.name = "User " + std::to_string(u);
        row.user.email = "u" + std::to_string(u) + "@totals.test";
        row.user.group_id = group;
        row.user.is_admin = u == 0;
        GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
        users_.push_back(id);
      }
      std::vector<domain::Stage> stages = {{0, "Qualify", 10, domain::kStageTypeNormal},
                                           {0, "Offer", 20, domain::kStageTypeNormal}};
      return w.CreatePipeline("Second", 2, false, stages).status();
    });
    ASSERT_TRUE(built.ok()) << built.ToString();
    ReloadStages();
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  void ReloadStages() {
    auto pipelines = store_->Reader(account_).ListPipelines();
    ASSERT_TRUE(pipelines.ok());
    stages_.clear();
    for (const domain::Pipeline& p : *pipelines) {
      for (const domain::Stage& s : p.stages) stages_.push_back({p.id, s.id});
    }
  }

  // The stored stage rollups and record totals, read with SQL of their own (not the store's
  // readers under test), leaving out zeros.
  std::map<domain::StageKey, std::pair<std::int64_t, std::int64_t>> StoredRollups() {
    std::map<domain::StageKey, std::pair<std::int64_t, std::int64_t>> out;
    sql::PooledConnection c = store_->pool().Acquire();
    auto rows = c->Query(
        "SELECT pipeline_id, status_id, lead_count, price_sum FROM lead_totals WHERE "
        "account_id = ? AND responsible_user_id = -1 AND lead_count <> 0",
        std::vector<sql::Value>{sql::Value{account_}});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const auto& r : rows->rows) {
      out[domain::StageKey{sql::AsInt(r[0]), sql::AsInt(r[1])}] = {sql::AsInt(r[2]),
                                                                   sql::AsInt(r[3])};
    }
    return out;
  }
  RecordTotals StoredRecordTotals() {
    RecordTotals out;
    sql::PooledConnection c = store_->pool().Acquire();
    auto rows = c->Query(
        "SELECT data_set, responsible_user_id, record_count FROM record_totals WHERE "
        "account_id = ? AND record_count <> 0",
        std::vector<sql::Value>{sql::Value{account_}});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const auto& r : rows->rows) {
      out[std::pair<std::string, domain::UserId>{sql::AsText(r[0]), sql::AsInt(r[1])}] =
          sql::AsInt(r[2]);
    }
    return out;
  }

  // Totals == GROUP BY over the rows, and the store's verification agrees.
  void ExpectExact(const std::string& after) {
    AccountReader reader = store_->Reader(account_);
    const auto cells = GroupRows(reader);
    EXPECT_EQ(StoredTotals(reader), cells) << "after " << after;
    std::map<domain::StageKey, std::pair<std::int64_t, std::int64_t>> rollups;
    for (const auto& [cell, totals] : cells) {
      auto& stage = rollups[{cell.pipeline_id, cell.status_id}];
      stage.first += totals.first;
      stage.second += totals.second;
    }
    EXPECT_EQ(StoredRollups(), rollups) << "after " << after;
    EXPECT_EQ(StoredRecordTotals(), GroupRecordRows(reader)) << "after " << after;
    auto differences = reader.VerifyLeadTotals();
    ASSERT_TRUE(differences.ok()) << differences.status().ToString();
    EXPECT_TRUE(differences->empty())
        << "after " << after << ": " << differences->size() << " cells differ";
    auto records = reader.VerifyRecordTotals();
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    EXPECT_TRUE(records->empty()) << "after " << after << ": " << records->size() << " differ";
    if (check_ != nullptr) ExpectTotalsMatchReference(*check_, after);
  }

  // Random rights: every applicable action a legal level, up to two stage entries.
  domain::Rights RandomRights(Random& random) {
    domain::Rights rights;
    for (domain::DataSet data_set : domain::kAllDataSets) {
      for (domain::Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        const bool ad = domain::TakesOnlyAllowedOrDenied(data_set, action);
        rights.Set(data_set, action,
                   ad ? (random.Chance(50) ? domain::Level::kAllowed : domain::Level::kDenied)
                      : static_cast<domain::Level>(random.Int(0, 3)));
      }
    }
    for (int n = static_cast<int>(random.Int(0, 2)); n > 0; --n) {
      const domain::StageKey& stage = random.Pick(stages_);
      if (std::any_of(rights.stage_rights.begin(), rights.stage_rights.end(),
                      [&](const domain::StageRights& e) { return e.stage == stage; })) {
        continue;
      }
      domain::StageRights entry{stage, {}};
      for (domain::Action action : domain::kStageActions) {
        if (random.Chance(60)) entry.Set(action, static_cast<domain::Level>(random.Int(0, 3)));
      }
      rights.stage_rights.push_back(entry);
    }
    std::sort(rights.stage_rights.begin(), rights.stage_rights.end(),
              [](const auto& a, const auto& b) { return a.stage < b.stage; });
    return model::RefNormalize(rights);
  }

  // Gives every user but the owner random rights and spreads them over the default group and a
  // second one, so that the filters the totals are checked with admit some records and not
  // others.
  static domain::Rights OnlyOwnRecords() {
    domain::Rights rights;
    for (domain::DataSet data_set : domain::kAllDataSets) {
      for (domain::Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        rights.Set(data_set, action,
                   action == domain::Action::kAdd ? domain::Level::kAllowed
                                                  : domain::Level::kIfResponsible);
      }
    }
    return rights;
  }

  void GiveRandomRights(Random& random) {
    Status changed = store_->Write(account_, [&](AccountWriter& w) -> Status {
      GH_ASSIGN_OR_RETURN(domain::GroupId first, w.DefaultGroupId());
      GH_ASSIGN_OR_RETURN(domain::GroupId second, w.CreateGroup("Second team"));
      groups_ = {first, second};
      for (std::size_t u = 1; u < users_.size(); ++u) {
        GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(users_[u]));
        row.user.rights = RandomRights(random);
        // One user who always sees part of every data set (their own records), so that every
        // seed compares totals where the filter admits some records but not all.
        if (u == 1) row.user.rights = OnlyOwnRecords();
        row.user.group_id = random.Pick(groups_);
        GH_RETURN_IF_ERROR(w.UpdateUser(row));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(changed.ok()) << changed.ToString();
  }

  // For a few random users (sometimes one unknown to the account) and random data sets and
  // actions: TotalsByStage with the user's compiled filter (what GET /api/v4/leads/summary and
  // the counts answered from the totals read) equals, per stage, the reference model's count
  // and sum of prices over the rows as read back.
  void ExpectTotalsMatchReference(Random& random, const std::string& after) {
    AccountReader reader = store_->Reader(account_);
    auto model = reader.LoadAccountModel();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const auto policy = policy::AccountPolicy::Build(*model);
    std::vector<domain::RecordRef> refs;
    std::vector<std::int64_t> prices;
    ListQuery all;
    Status status =
        reader.Export<Lead>(policy::ListFilter::All(), all, [&](std::span<const Lead> leads) {
          for (const Lead& l : leads) {
            refs.push_back(
                {domain::DataSet::kLeads, l.responsible_user_id, l.pipeline_id, l.status_id});
            prices.push_back(l.price);
          }
          return Status::Ok();
        });
    ASSERT_TRUE(status.ok()) << status.ToString();
    status =
        reader.Export<Contact>(policy::ListFilter::All(), all, [&](std::span<const Contact> items) {
          for (const Contact& c : items) {
            refs.push_back({domain::DataSet::kContacts, c.responsible_user_id, 0, 0});
            prices.push_back(0);
          }
          return Status::Ok();
        });
    ASSERT_TRUE(status.ok()) << status.ToString();
    status =
        reader.Export<Company>(policy::ListFilter::All(), all, [&](std::span<const Company> items) {
          for (const Company& c : items) {
            refs.push_back({domain::DataSet::kCompanies, c.responsible_user_id, 0, 0});
            prices.push_back(0);
          }
          return Status::Ok();
        });
    ASSERT_TRUE(status.ok()) << status.ToString();
    for (const Task& t : AllTasks(reader)) {
      refs.push_back({domain::DataSet::kTasks, t.responsible_user_id, 0, 0});
      prices.push_back(0);
    }
    for (int n = 0; n < 3; ++n) {
      // Sometimes a user unknown to the account; often the one who sees only their own records.
      const domain::UserId user = random.Chance(5)    ? 987654321
                                  : random.Chance(35) ? users_[1]
                                                      : random.Pick(model->users).id;
      const auto data_set = domain::kAllDataSets[static_cast<std::size_t>(random.Int(0, 3))];
      std::vector<domain::Action> actions;
      for (domain::Action action : domain::kAllActions) {
        if (action != domain::Action::kAdd && domain::ActionApplies(data_set, action)) {
          actions.push_back(action);
        }
      }
      const domain::Action action = random.Pick(actions);
      std::map<domain::StageKey, policy::Totals> want;
      const std::vector<std::size_t> visible =
          model::RefVisible(*model, user, data_set, action, refs);
      for (std::size_t i : visible) {
        policy::Totals& t = want[{refs[i].pipeline_id, refs[i].status_id}];
        t.count += 1;
        t.price += prices[i];
      }
      const auto total = static_cast<std::size_t>(std::count_if(
          refs.begin(), refs.end(), [&](const auto& r) { return r.data_set == data_set; }));
      if (!visible.empty() && visible.size() < total) ++totals_partial_;
      TotalsQuery query;
      query.allowed = policy->CompileFilter(user, data_set, action);
      auto got = reader.TotalsByStage(data_set, query);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      std::erase_if(*got, [](const auto& entry) { return entry.second.count == 0; });
      ++totals_checked_;
      EXPECT_EQ(*got, want) << "after " << after << ": user " << user << " "
                            << domain::DataSetName(data_set) << "." << static_cast<int>(action);
    }
  }

  std::vector<RecordId> IdsOf(domain::DataSet data_set) {
    std::vector<RecordId> ids;
    AccountReader reader = store_->Reader(account_);
    ListQuery query;
    Status status;
    if (data_set == domain::DataSet::kContacts) {
      status = reader.Export<Contact>(policy::ListFilter::All(), query,
                                      [&](std::span<const Contact> items) {
                                        for (const Contact& c : items) ids.push_back(c.id);
                                        return Status::Ok();
                                      });
    } else if (data_set == domain::DataSet::kCompanies) {
      status = reader.Export<Company>(policy::ListFilter::All(), query,
                                      [&](std::span<const Company> items) {
                                        for (const Company& c : items) ids.push_back(c.id);
                                        return Status::Ok();
                                      });
    } else {
      for (const Task& t : AllTasks(reader)) ids.push_back(t.id);
    }
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  domain::UserId RandomResponsible(Random& random) {
    return random.Chance(15) ? 0 : random.Pick(users_);
  }

  // Creates a contact, a company, a task (attached to a random lead, contact or company, or to
  // nothing) or a customer.
  Status CreateRecord(AccountWriter& w, Random& random) {
    switch (random.Int(0, 3)) {
      case 0: {
        const Contact c{.name = "Contact", .responsible_user_id = RandomResponsible(random)};
        return w.Create(c).status();
      }
      case 1: {
        const Company c{.name = "Company", .responsible_user_id = RandomResponsible(random)};
        return w.Create(c).status();
      }
      case 3: {
        const Customer c{.name = "Customer", .responsible_user_id = RandomResponsible(random)};
        return w.Create(c).status();
      }
      default: {
        Task t{.text = "Call",
               .complete_till = 1'700'000'000,
               .responsible_user_id = RandomResponsible(random)};
        const int to = static_cast<int>(random.Int(0, 3));
        const std::vector<RecordId> ids = to == 0   ? LeadIdsIn(w)
                                          : to == 1 ? IdsIn(w, "contacts")
                                          : to == 2 ? IdsIn(w, "companies")
                                                    : std::vector<RecordId>{};
        if (!ids.empty()) {
          t.entity_type = to == 0   ? domain::DataSet::kLeads
                          : to == 1 ? domain::DataSet::kContacts
                                    : domain::DataSet::kCompanies;
          t.entity_id = random.Pick(ids);
        }
        return w.Create(t).status();
      }
    }
  }

  // Reassigns (and for a task, completes or reopens) or deletes a random contact, company, task
  // or customer; the writer's own view, so that a batch sees its own earlier items.
  Status ChangeRecord(AccountWriter& w, Random& random, bool remove) {
    const int kind = static_cast<int>(random.Int(0, 3));
    const char* table = kind == 0   ? "contacts"
                        : kind == 1 ? "companies"
                        : kind == 3 ? "customers"
                                    : "tasks";
    const std::vector<RecordId> ids = IdsIn(w, table);
    if (ids.empty()) return CreateRecord(w, random);
    const RecordId id = random.Pick(ids);
    if (kind == 0) {
      if (remove) return w.Delete<Contact>(id);
      GH_ASSIGN_OR_RETURN(Contact c, w.Get<Contact>(id));
      c.responsible_user_id = RandomResponsible(random);
      return w.Update(c);
    }
    if (kind == 1) {
      if (remove) return w.Delete<Company>(id);
      GH_ASSIGN_OR_RETURN(Company c, w.Get<Company>(id));
      c.responsible_user_id = RandomResponsible(random);
      return w.Update(c);
    }
    if (kind == 3) {
      if (remove) return w.Delete<Customer>(id);
      GH_ASSIGN_OR_RETURN(Customer c, w.Get<Customer>(id));
      c.responsible_user_id = RandomResponsible(random);
      return w.Update(c);
    }
    if (remove) return w.Delete<Task>(id);
    GH_ASSIGN_OR_RETURN(Task t, w.Get<Task>(id));
    if (random.Chance(50)) t.responsible_user_id = RandomResponsible(random);
    t.is_completed = !t.is_completed;
    return w.Update(t);
  }

  // Ids of a table as the writer sees them (its own uncommitted rows included).
  static std::vector<RecordId> IdsIn(AccountWriter& w, const std::string& table) {
    std::vector<RecordId> ids;
    auto rows = w.connection().Query("SELECT id FROM " + table + " WHERE account_id = ?",
                                     std::vector<sql::Value>{sql::Value{w.account_id()}});
    if (rows.ok()) {
      for (const auto& r : rows->rows) ids.push_back(sql::AsInt(r[0]));
    }
    return ids;
  }
  static std::vector<RecordId> LeadIdsIn(AccountWriter& w) { return IdsIn(w, "leads"); }

  std::vector<RecordId> LeadIds() {
    std::vector<RecordId> ids;
    ListQuery query;
    Status status = store_->Reader(account_).Export<Lead>(policy::ListFilter::All(), query,
                                                          [&](std::span<const Lead> leads) {
                                                            for (const Lead& lead : leads)
                                                              ids.push_back(lead.id);
                                                            return Status::Ok();
                                                          });
    EXPECT_TRUE(status.ok());
    return ids;
  }

  Lead RandomLead(Random& random) {
    Lead lead{.name = "Lead", .price = random.Int(0, 5) == 0 ? 0 : random.Int(1, 100000)};
    if (!random.Chance(10)) {
      const domain::StageKey& stage = random.Pick(stages_);
      lead.pipeline_id = stage.pipeline_id;
      lead.status_id = stage.status_id;
    }  // else the main pipeline's first working stage
    lead.responsible_user_id = random.Chance(15) ? 0 : random.Pick(users_);
    return lead;
  }

  // Re-prices, moves (within or across pipelines) and/or reassigns lead `id`.
  Status ChangeLead(AccountWriter& w, Random& random, RecordId id) {
    GH_ASSIGN_OR_RETURN(Lead lead, w.Get<Lead>(id));
    lead.updated_by = users_.front();  // as the service does (the last editor may have left)
    if (random.Chance(50)) lead.price = random.Int(0, 100000);
    if (random.Chance(50)) {
      const domain::StageKey& stage = random.Pick(stages_);
      lead.pipeline_id = stage.pipeline_id;
      lead.status_id = stage.status_id;
    }
    if (random.Chance(40)) lead.responsible_user_id = random.Chance(15) ? 0 : random.Pick(users_);
    return w.Update(lead);
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  AccountId account_ = 0;
  std::vector<domain::UserId> users_;  // users_[0] is the owner and is never removed
  std::vector<domain::StageKey> stages_;
  Lead edited_lead_;
  Contact edited_contact_;
  std::vector<domain::GroupId> groups_;  // once GiveRandomRights ran
  int successors_ = 0;
  Random* check_ = nullptr;  // when set, ExpectExact also compares totals with the reference
  int totals_checked_ = 0;
  int totals_partial_ = 0;  // of which some but not all records were admitted
};

TEST_P(LeadTotalsTest, EveryWriteKindKeepsTheTotalsExact) {
  const std::uint64_t seed = SeedFromEnv();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: GATEHOUSE_SEED=" + std::to_string(seed) +
               ")");
  Random random(seed);
  Random check(seed ^ 0x70741);
  GiveRandomRights(random);
  check_ = &check;
  std::map<std::string, int> kinds;
  int rolled_back = 0;
  for (int step = 0; step < 160 && !HasFailure(); ++step) {
    std::vector<RecordId> ids = LeadIds();
    const int kind = static_cast<int>(random.Int(0, 12));
    std::string name;
    Status status;
    switch (kind) {
      case 0:
      case 1:
        name = "create";
        status = store_->Write(
            account_, [&](AccountWriter& w) { return w.Create(RandomLead(random)).status(); });
        break;
      case 2:
      case 3:
        if (ids.empty()) continue;
        name = "update";
        status = store_->Write(
            account_, [&](AccountWriter& w) { return ChangeLead(w, random, random.Pick(ids)); });
        break;
      case 4:
        if (ids.empty()) continue;
        name = "delete";
        status = store_->Write(account_,
                               [&](AccountWriter& w) { return w.Delete<Lead>(random.Pick(ids)); });
        break;
      case 5: {
        // A batch of mixed writes; half of the batches fail half-way (an invalid stage, as a
        // bad item of a POST batch would) and must leave nothing behind. Until one has failed,
        // every batch does, so each seed covers a rollback (the draw is made either way, so a
        // seed replays the same steps).
        const bool fail = random.Chance(50) || rolled_back == 0;
        name = fail ? "failed batch" : "batch";
        const int items = static_cast<int>(random.Int(2, 12));
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          for (int i = 0; i < items; ++i) {
            if (fail && i == items / 2) {
              Lead bad = RandomLead(random);
              bad.pipeline_id = stages_.front().pipeline_id;
              bad.status_id = 999999;
              GH_RETURN_IF_ERROR(w.Create(bad).status());
            }
            const int op = static_cast<int>(random.Int(0, 4));
            if (op == 3) {
              GH_RETURN_IF_ERROR(CreateRecord(w, random));
            } else if (op == 4) {
              GH_RETURN_IF_ERROR(ChangeRecord(w, random, random.Chance(30)));
            } else if (op == 0 || ids.empty()) {
              GH_RETURN_IF_ERROR(w.Create(RandomLead(random)).status());
            } else if (op == 1) {
              GH_RETURN_IF_ERROR(ChangeLead(w, random, random.Pick(ids)));
            } else {
              RecordId id = random.Pick(ids);
              ids.erase(std::find(ids.begin(), ids.end(), id));
              GH_RETURN_IF_ERROR(w.Delete<Lead>(id));
            }
          }
          return Status::Ok();
        });
        if (fail) {
          ASSERT_FALSE(status.ok()) << "the failing batch committed";
          ++rolled_back;
          status = Status::Ok();
        }
        break;
      }
      case 6: {
        // A new stage gets leads, then is deleted: they move to the first working stage.
        name = "stage deletion";
        const PipelineId pipeline = random.Pick(stages_).pipeline_id;
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          GH_ASSIGN_OR_RETURN(StatusId stage,
                              w.AddStage(pipeline, {.name = "Temporary", .sort = 15}));
          for (int i = static_cast<int>(random.Int(1, 4)); i > 0; --i) {
            Lead lead = RandomLead(random);
            lead.pipeline_id = pipeline;
            lead.status_id = stage;
            GH_RETURN_IF_ERROR(w.Create(lead).status());
          }
          return Status::Ok();
        });
        ASSERT_TRUE(status.ok()) << status.ToString();
        ExpectExact("leads in a new stage");
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          GH_ASSIGN_OR_RETURN(domain::Pipeline p, w.GetPipeline(pipeline));
          return w.DeleteStage(pipeline,
                               std::find_if(p.stages.begin(), p.stages.end(), [](auto& s) {
                                 return s.name == "Temporary";
                               })->id);
        });
        break;
      }
      case 7: {
        name = "incoming accept";
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          const IncomingLead item{
              .uid = "in-" + std::to_string(step),
              .category = domain::IncomingCategory::kForms,
              .source_uid = "form",
              .pipeline_id = random.Pick(stages_).pipeline_id,
              .responsible_user_id = random.Chance(30) ? 0 : random.Pick(users_),
              .lead_name = "From a form",
              .lead_price = random.Int(0, 5000)};
          GH_ASSIGN_OR_RETURN(IncomingLead created, w.Create(item));
          return w.AcceptIncomingLead(created.id, users_.front(), 0, 1'700'000'000).status();
        });
        break;
      }
      case 8: {
        // User removal with reassignment: everything of the user moves, then the user goes.
        if (users_.size() < 3) continue;
        name = "user removal";
        const domain::UserId from = users_.back();
        domain::UserId to = users_[static_cast<std::size_t>(
            random.Int(0, static_cast<std::int64_t>(users_.size()) - 2))];
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          // Half the time the records go to a new user (random rights, either group), which
          // also keeps the number of users, and so the filters the totals are checked with.
          if (!groups_.empty() && random.Chance(50)) {
            const UserRow row{
                .user = {.name = "Successor",
                         .email = "s" + std::to_string(++successors_) + "@totals.test",
                         .group_id = random.Pick(groups_),
                         .rights = RandomRights(random)}};
            GH_ASSIGN_OR_RETURN(to, w.CreateUser(row));
          }
          // The user also edited a lead and a contact last: they stay editable afterwards.
          Lead lead = RandomLead(random);
          lead.created_by = lead.updated_by = from;
          GH_ASSIGN_OR_RETURN(edited_lead_, w.Create(lead));
          const Contact contact{.name = "Edited", .created_by = from, .updated_by = from};
          GH_ASSIGN_OR_RETURN(edited_contact_, w.Create(contact));
          GH_RETURN_IF_ERROR(w.Reassign(from, to, 1'700'000'000).status());
          return w.DeleteUser(from);
        });
        if (!status.ok()) break;
        users_.pop_back();
        if (std::find(users_.begin(), users_.end(), to) == users_.end()) {
          users_.insert(users_.begin() + 1, to);
        }
        ExpectExact(name);
        // The records whose last editor was removed are updated by storage as read back.
        name = "update after the editor left";
        status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          GH_ASSIGN_OR_RETURN(Lead lead, w.Get<Lead>(edited_lead_.id));
          lead.price += 1;
          GH_RETURN_IF_ERROR(w.Update(lead));
          GH_ASSIGN_OR_RETURN(Contact contact, w.Get<Contact>(edited_contact_.id));
          contact.responsible_user_id = users_.front();
          return w.Update(contact);
        });
        break;
      }
      case 10:
        name = "record create";
        status = store_->Write(account_, [&](AccountWriter& w) { return CreateRecord(w, random); });
        break;
      case 11:
        name = "record update";
        status = store_->Write(account_,
                               [&](AccountWriter& w) { return ChangeRecord(w, random, false); });
        break;
      case 12:
        name = "record delete";
        status = store_->Write(account_,
                               [&](AccountWriter& w) { return ChangeRecord(w, random, true); });
        break;
      case 9: {
        name = "demo load";
        const DemoOptions options{.subdomain = "totals",
                                  .leads = random.Int(5, 40),
                                  .seed = seed + static_cast<std::uint64_t>(step)};
        status = FillDemo(*store_, options).status();
        break;
      }
    }
    ASSERT_TRUE(status.ok()) << name << ": " << status.ToString();
    ++kinds[name];
    ExpectExact(name);
  }
  for (const auto& [name, count] : kinds) std::printf("  %s: %d\n", name.c_str(), count);
  std::printf("  %d totals compared with the reference model, %d of them partial\n",
              totals_checked_, totals_partial_);
  // An absolute floor, not a share: reassignments can leave one user owning nearly everything,
  // which makes some seeds' share small (41 of 507 for seed 3588926564; ~200 of ~520 usually).
  EXPECT_GE(totals_partial_, 20) << "too few totals where the filter matters";
  EXPECT_GT(rolled_back, 0);
  EXPECT_FALSE(StoredTotals(store_->Reader(account_)).empty());
}

TEST_P(LeadTotalsTest, VerifyReportsATamperedCell) {
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    const Lead lead{.price = 70, .responsible_user_id = users_[1]};
    return w.Create(lead).status();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  ExpectExact("create");
  {
    sql::PooledConnection c = store_->pool().Acquire();
    ASSERT_TRUE(
        c->Execute(
             "UPDATE lead_totals SET price_sum = price_sum + 5 WHERE responsible_user_id >= 0")
            .ok());
  }
  auto differences = store_->Reader(account_).VerifyLeadTotals();
  ASSERT_TRUE(differences.ok()) << differences.status().ToString();
  ASSERT_EQ(differences->size(), 1u);
  EXPECT_EQ(differences->front().stored_price, 75);
  EXPECT_EQ(differences->front().actual_price, 70);
  EXPECT_EQ(differences->front().stored_count, 1);
  EXPECT_EQ(differences->front().actual_count, 1);
  EXPECT_EQ(differences->front().cell.responsible_user_id, users_[1]);
}

// Records written before migrations 9 and 10 are counted by them: drop the tables, forget the
// versions from 9 on (undoing the later migrations too: they are applied again in order), and
// migrate again.
TEST_P(LeadTotalsTest, MigrationFillsTheTotalsOfExistingRecords) {
  Random random(7);
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    for (int i = 0; i < 30; ++i) GH_RETURN_IF_ERROR(w.Create(RandomLead(random)).status());
    for (int i = 0; i < 30; ++i) GH_RETURN_IF_ERROR(CreateRecord(w, random));
    return Status::Ok();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  const auto before = StoredTotals(store_->Reader(account_));
  const auto rollups_before = StoredRollups();
  auto records_before = StoredRecordTotals();
  ASSERT_FALSE(records_before.empty());
  // Customers (migration 16) go with their tables, undone below: none exist before it.
  std::erase_if(records_before, [](const auto& entry) { return entry.first.first == "customers"; });
  {
    sql::PooledConnection c = store_->pool().Acquire();
    ASSERT_TRUE(
        c->ExecuteScript("DROP TABLE lead_totals; DROP TABLE record_totals; "
                         "DROP TABLE job_leases; ALTER TABLE users DROP COLUMN reactivated_at; "
                         "DROP TABLE notes; DROP TABLE record_tags; DROP TABLE tags; "
                         "DROP TABLE loss_reasons; DROP TABLE custom_field_values; "
                         "DROP TABLE custom_field_enums; DROP TABLE custom_fields; "
                         "DROP TABLE approvals; DROP TABLE import_map; DROP TABLE import_sources")
            .ok());
    // Migration 16: customers.
    ASSERT_TRUE(c->ExecuteScript("DROP TABLE customer_companies; DROP TABLE customer_contacts; "
                                 "DROP TABLE customers; DROP TABLE customer_statuses")
                    .ok());
    // Migration 19: the replay history, its triggers (and PostgreSQL's trigger functions);
    // the customers' triggers went with their table.
    std::string triggers;
    for (const char* table : {"leads", "contacts", "companies", "tasks", "users", "statuses"}) {
      for (const char* op : {"insert", "update", "delete"}) {
        if (std::string(table) == "statuses" && std::string(op) == "update") continue;
        triggers += std::string("DROP TRIGGER ") + table + "_replay_" + op +
                    (store_->dialect() == sql::Dialect::kPostgres ? std::string(" ON ") + table
                                                                  : std::string()) +
                    "; ";
      }
    }
    triggers += store_->dialect() == sql::Dialect::kPostgres
                    ? "DROP TRIGGER accounts_replay_start ON accounts; "
                      "DROP FUNCTION gatehouse_replay_account(); DROP FUNCTION "
                      "gatehouse_replay_user(); DROP FUNCTION gatehouse_replay_stage(); "
                      "DROP FUNCTION gatehouse_replay_lead(); DROP FUNCTION "
                      "gatehouse_replay_record(); DROP FUNCTION gatehouse_replay_now(); "
                    : "DROP TRIGGER accounts_replay_start; ";
    ASSERT_TRUE(c->ExecuteScript(triggers +
                                 "DROP TABLE record_versions; DROP TABLE stage_versions; "
                                 "DROP TABLE user_versions; DROP TABLE replay_starts; "
                                 "DROP TABLE replay_clock")
                    .ok());
    // Migration 23: the index of live API tokens by integration.
    ASSERT_TRUE(c->ExecuteScript("DROP INDEX api_tokens_live_by_integration").ok());
    // Migration 24: stage descriptions.
    ASSERT_TRUE(c->ExecuteScript("DROP TABLE stage_descriptions").ok());
    ASSERT_TRUE(c->Execute("DELETE FROM schema_migrations WHERE version >= 9").ok());
  }
  std::vector<int> applied;
  Status migrated = store_->Migrate(&applied);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(applied,
            (std::vector<int>{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}));
  EXPECT_EQ(StoredTotals(store_->Reader(account_)), before);
  EXPECT_EQ(StoredRollups(), rollups_before);
  EXPECT_EQ(StoredRecordTotals(), records_before);
  ExpectExact("migration");
}

// What the impact preview reads (AccountReader::CountPermissionDifferences): with kept stages,
// the cells of every other stage come back summed per responsible user (rollups included) as
// the stage {0, 0}, the kept stages' cells as they are, and only the users asked for.
TEST_P(LeadTotalsTest, ReadTotalsSumsTheStagesNotKeptPerUser) {
  Random random(11);
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    for (int i = 0; i < 60; ++i) GH_RETURN_IF_ERROR(w.Create(RandomLead(random)).status());
    return Status::Ok();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  const AccountReader reader = store_->Reader(account_);
  const auto rows = GroupRows(reader);
  ASSERT_GE(stages_.size(), 3u);
  for (const std::vector<domain::StageKey>& kept :
       {std::vector<domain::StageKey>{}, std::vector<domain::StageKey>{stages_[0], stages_[2]}}) {
    const policy::CellsNeeded needed{.rollups = true, .users = {0, users_[1], users_[3]}};
    std::map<std::pair<domain::StageKey, domain::UserId>, policy::Totals> want;
    for (const auto& [cell, totals] : rows) {
      domain::StageKey stage{cell.pipeline_id, cell.status_id};
      if (std::find(kept.begin(), kept.end(), stage) == kept.end()) stage = {0, 0};
      for (domain::UserId user : {cell.responsible_user_id, policy::kEveryone}) {
        if (user != policy::kEveryone &&
            std::find(needed.users.begin(), needed.users.end(), user) == needed.users.end()) {
          continue;
        }
        want[{stage, user}].count += totals.first;
        want[{stage, user}].price += totals.second;
      }
    }
    auto cells = reader.ReadTotals(domain::DataSet::kLeads, needed, {}, &kept);
    ASSERT_TRUE(cells.ok()) << cells.status().ToString();
    std::map<std::pair<domain::StageKey, domain::UserId>, policy::Totals> got;
    for (const policy::CellTotals& cell : *cells) {
      const auto key = std::make_pair(cell.stage, cell.responsible_user_id);
      EXPECT_FALSE(got.contains(key)) << "a cell is listed twice";
      got[key] = {cell.count, cell.price};
    }
    EXPECT_EQ(got, want) << kept.size() << " stages kept";
  }
}

TEST_P(LeadTotalsTest, VerifyReportsATamperedRecordTotal) {
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    const Task task{
        .text = "Call", .complete_till = 1'700'000'000, .responsible_user_id = users_[2]};
    return w.Create(task).status();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  ExpectExact("create");
  {
    sql::PooledConnection c = store_->pool().Acquire();
    ASSERT_TRUE(c->Execute("UPDATE record_totals SET record_count = 4 WHERE data_set = 'tasks' "
                           "AND responsible_user_id = ?",
                           std::vector<sql::Value>{sql::Value{users_[2]}})
                    .ok());
  }
  auto differences = store_->Reader(account_).VerifyRecordTotals();
  ASSERT_TRUE(differences.ok()) << differences.status().ToString();
  ASSERT_EQ(differences->size(), 1u);
  EXPECT_EQ(differences->front(), (RecordTotalsDifference{"tasks", users_[2], 4, 1}));
}

// PostgreSQL: parallel writers on the same few cells and rollups (lead creates, moves,
// re-prices, reassignments, deletes; task reassignments, completions and deletes; contact
// creates) lose no increment and never deadlock; the only acceptable failure is a record another
// writer deleted first.
TEST_P(LeadTotalsTest, ParallelWritersLoseNothing) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "SQLite has one writer at a time";
  std::vector<RecordId> seeded;
  std::vector<RecordId> tasks;
  Status wrote = store_->Write(account_, [&](AccountWriter& w) -> Status {
    Random random(11);
    for (int i = 0; i < 80; ++i) {
      GH_ASSIGN_OR_RETURN(Lead lead, w.Create(RandomLead(random)));
      seeded.push_back(lead.id);
      Task task{.text = "Call",
                .complete_till = 1'700'000'000,
                .responsible_user_id = RandomResponsible(random)};
      GH_ASSIGN_OR_RETURN(task, w.Create(task));
      tasks.push_back(task.id);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  constexpr int kThreads = 6;
  constexpr int kWritesPerThread = 60;
  std::atomic<int> committed{0};
  std::atomic<int> not_found{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Random random(1000 + static_cast<std::uint64_t>(t));
      for (int i = 0; i < kWritesPerThread; ++i) {
        Status status = store_->Write(account_, [&](AccountWriter& w) -> Status {
          // A batch touching up to three leads in id order (as two writers taking the same rows
          // in opposite orders would deadlock on the rows themselves, counters or not), plus a
          // create in one of a few cells shared by all threads.
          std::vector<RecordId> some;
          for (int k = static_cast<int>(random.Int(1, 3)); k > 0; --k) {
            some.push_back(random.Pick(seeded));
          }
          std::sort(some.begin(), some.end());
          some.erase(std::unique(some.begin(), some.end()), some.end());
          for (RecordId id : some) {
            if (random.Chance(3)) {
              GH_RETURN_IF_ERROR(w.Delete<Lead>(id));
            } else {
              GH_RETURN_IF_ERROR(ChangeLead(w, random, id));
            }
          }
          // Then a task (after the leads: one table order for every writer) reassigned,
          // completed or deleted, and a contact in one of two counters shared by all threads.
          const RecordId task_id = random.Pick(tasks);
          if (random.Chance(20)) {
            GH_RETURN_IF_ERROR(w.Delete<Task>(task_id));
          } else {
            GH_ASSIGN_OR_RETURN(Task task, w.Get<Task>(task_id));
            task.responsible_user_id = users_[static_cast<std::size_t>(random.Int(0, 2))];
            task.is_completed = random.Chance(50);
            GH_RETURN_IF_ERROR(w.Update(task));
          }
          const Contact contact{
              .name = "Parallel",
              .responsible_user_id = users_[static_cast<std::size_t>(random.Int(0, 1))]};
          GH_RETURN_IF_ERROR(w.Create(contact).status());
          const Lead lead{
              .price = random.Int(1, 1000),
              .responsible_user_id = users_[static_cast<std::size_t>(random.Int(0, 1))]};
          return w.Create(lead).status();
        });
        if (status.ok()) {
          committed.fetch_add(1);
        } else if (status.code() == base::Code::kNotFound) {
          not_found.fetch_add(1);
        } else if (errors[static_cast<std::size_t>(t)].empty()) {
          errors[static_cast<std::size_t>(t)] = status.ToString();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  std::printf("  %d committed, %d lost a lead to another writer\n", committed.load(),
              not_found.load());
  EXPECT_GT(committed.load(), kThreads * kWritesPerThread / 2);
  ExpectExact("parallel writers");
}

INSTANTIATE_TEST_SUITE_P(Engines, LeadTotalsTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace gatehouse::storage
