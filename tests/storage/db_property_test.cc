// Property test of permission-filtered lists on both engines: random accounts (groups, users with
// random rights and stage rights, admins, free and deactivated users) and random records are
// written through the Store; then, for random users, data sets and actions, every page of the
// SQL-filtered list and its count must equal what the naive reference model
// (tests/model/reference_model.h) says the user may see, in the requested order; and the counts
// answered from the totals (board summary per stage with prices, counts restricted by
// responsible user and pipeline, the impact preview's difference of two users' filters) must
// equal the reference model's count and sum over the rows.
//
// The expected side is built from what the test wrote, not from what the store reads back, so a
// store that loses a right or a group on the way also fails. Every failure prints the seed;
// GATEHOUSE_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/account.h"
#include "policy/account_policy.h"
#include "service/admin/custom_fields.h"
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

// What the test wrote into one account: the truth the store is compared with.
struct World {
  domain::AccountModel model;  // users as they ended up (flags, normalized rights)
  std::vector<domain::RecordRef> refs;
  std::vector<domain::RecordId> ids;  // parallel to refs
  std::vector<std::int64_t> prices;   // parallel to refs (0 but for leads)
  // (data set, id) -> (created_at, updated_at), to check the order of pages.
  std::map<std::pair<DataSet, domain::RecordId>, std::pair<std::int64_t, std::int64_t>> times;
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : random_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Int(0, static_cast<int>(items.size()) - 1))];
  }

  Level AnyLevel(bool only_allowed_or_denied) {
    if (only_allowed_or_denied) return Chance(50) ? Level::kAllowed : Level::kDenied;
    return static_cast<Level>(Int(0, 3));
  }

  // Valid rights: every applicable cell a legal letter, 0..3 stage entries on real stages.
  domain::Rights AnyRights(const std::vector<domain::StageKey>& stages) {
    domain::Rights rights;
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        if (!domain::ActionApplies(data_set, action)) continue;
        rights.Set(data_set, action, AnyLevel(domain::TakesOnlyAllowedOrDenied(data_set, action)));
      }
    }
    std::set<domain::StageKey> used;
    for (int n = Int(0, 3); n > 0; --n) {
      domain::StageKey stage = Pick(stages);
      if (!used.insert(stage).second) continue;
      domain::StageRights entry{stage, {}};
      for (Action action : domain::kStageActions) {
        if (Chance(60)) entry.Set(action, AnyLevel(false));
      }
      rights.stage_rights.push_back(entry);
    }
    std::sort(rights.stage_rights.begin(), rights.stage_rights.end(),
              [](const auto& a, const auto& b) { return a.stage < b.stage; });
    rights.mail_access = Chance(50);
    rights.catalog_access = Chance(50);
    return model::RefNormalize(rights);
  }

 private:
  std::mt19937_64 random_;
};

// Builds one account through the store and returns what it wrote.
base::Result<World> BuildAccount(Store& store, Generator& gen, int index) {
  NewAccount spec{"prop-" + std::to_string(index), "Account " + std::to_string(index), 1000, 0};
  GH_ASSIGN_OR_RETURN(AccountRow account, store.CreateAccount(spec));
  World world;
  world.model.id = account.id;

  GH_RETURN_IF_ERROR(store.Write(account.id, [&](AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId default_group, w.DefaultGroupId());
    std::vector<domain::GroupId> groups = {default_group};
    for (int g = gen.Int(1, 3); g > 0; --g) {
      GH_ASSIGN_OR_RETURN(domain::GroupId id, w.CreateGroup("Team " + std::to_string(g)));
      groups.push_back(id);
    }
    GH_ASSIGN_OR_RETURN(world.model.groups, w.ListGroups());
    std::vector<domain::Stage> extra = {{0, "Qualify", 10, domain::kStageTypeNormal},
                                        {0, "Offer", 20, domain::kStageTypeNormal}};
    GH_RETURN_IF_ERROR(w.CreatePipeline("Second", 2, false, extra).status());
    GH_ASSIGN_OR_RETURN(world.model.pipelines, w.ListPipelines());
    std::vector<domain::StageKey> stages;
    for (const domain::Pipeline& p : world.model.pipelines) {
      for (const domain::Stage& s : p.stages) {
        if (s.type == domain::kStageTypeNormal) stages.push_back({p.id, s.id});
      }
    }

    int users = gen.Int(5, 10);
    for (int u = 0; u < users; ++u) {
      UserRow row;
      row.user.name = "User " + std::to_string(u);
      row.user.email = "u" + std::to_string(u) + "@a" + std::to_string(index) + ".test";
      row.user.group_id = gen.Pick(groups);
      row.user.is_admin = u == 0 || gen.Chance(10);  // user 0: the owner, an active admin
      row.user.is_free = u != 0 && gen.Chance(10);
      row.user.rights = gen.AnyRights(stages);
      GH_ASSIGN_OR_RETURN(row.user.id, w.CreateUser(row));
      world.model.users.push_back(row.user);
    }

    // Records: every responsible user is active when the record is written.
    const std::pair<DataSet, int> counts[] = {
        {DataSet::kLeads, gen.Int(40, 120)},       {DataSet::kContacts, gen.Int(10, 30)},
        {DataSet::kCompanies, gen.Int(10, 30)},    {DataSet::kTasks, gen.Int(10, 30)},
        {DataSet::kIncomingLeads, gen.Int(5, 20)}, {DataSet::kCustomers, gen.Int(10, 30)}};
    for (const auto& [data_set, count] : counts) {
      for (int r = 0; r < count; ++r) {
        domain::RecordRef ref{data_set, 0, 0, 0};
        if (!gen.Chance(10)) ref.responsible_user_id = gen.Pick(world.model.users).id;
        // Few distinct times, so ties exercise the id tie-break.
        std::int64_t created = 1'700'000'000 + gen.Int(0, 20);
        std::int64_t updated = created + gen.Int(0, 10);
        domain::RecordId id = 0;
        std::int64_t price = 0;
        switch (data_set) {
          case DataSet::kLeads: {
            domain::StageKey stage = gen.Pick(stages);
            const Lead lead{.name = "Lead " + std::to_string(r),
                            .price = gen.Int(0, 1000),
                            .pipeline_id = stage.pipeline_id,
                            .status_id = stage.status_id,
                            .responsible_user_id = ref.responsible_user_id,
                            .created_at = created,
                            .updated_at = updated};
            price = lead.price;
            GH_ASSIGN_OR_RETURN(Lead stored, w.Create(lead));
            id = stored.id;
            ref.pipeline_id = stored.pipeline_id;
            ref.status_id = stored.status_id;
            break;
          }
          case DataSet::kContacts: {
            const Contact contact{.name = "Contact " + std::to_string(r),
                                  .responsible_user_id = ref.responsible_user_id,
                                  .created_at = created,
                                  .updated_at = updated};
            GH_ASSIGN_OR_RETURN(Contact stored, w.Create(contact));
            id = stored.id;
            break;
          }
          case DataSet::kCompanies: {
            const Company company{.name = "Company " + std::to_string(r),
                                  .responsible_user_id = ref.responsible_user_id,
                                  .created_at = created,
                                  .updated_at = updated};
            GH_ASSIGN_OR_RETURN(Company stored, w.Create(company));
            id = stored.id;
            break;
          }
          case DataSet::kTasks: {
            const Task task{.text = "Call " + std::to_string(r),
                            .complete_till = created + 3600,
                            .responsible_user_id = ref.responsible_user_id,
                            .created_at = created,
                            .updated_at = updated};
            GH_ASSIGN_OR_RETURN(Task stored, w.Create(task));
            id = stored.id;
            break;
          }
          case DataSet::kCustomers: {
            const Customer customer{.name = "Customer " + std::to_string(r),
                                    .next_price = gen.Int(0, 1000),
                                    .responsible_user_id = ref.responsible_user_id,
                                    .created_at = created,
                                    .updated_at = updated};
            GH_ASSIGN_OR_RETURN(Customer stored, w.Create(customer));
            id = stored.id;
            break;
          }
          case DataSet::kIncomingLeads: {
            const IncomingLead item{.uid = "uid-" + std::to_string(index) + "-" + std::to_string(r),
                                    .category = domain::IncomingCategory::kForms,
                                    .pipeline_id = world.model.pipelines.front().id,
                                    .responsible_user_id = ref.responsible_user_id,
                                    .lead_name = "Incoming " + std::to_string(r),
                                    .created_at = created,
                                    .updated_at = updated};
            GH_ASSIGN_OR_RETURN(IncomingLead stored, w.Create(item));
            id = stored.id;
            break;
          }
        }
        world.refs.push_back(ref);
        world.ids.push_back(id);
        world.prices.push_back(price);
        world.times[{data_set, id}] = {created, updated};
      }
    }

    // Deactivate some users after they got records (the owner stays active).
    for (std::size_t u = 1; u < world.model.users.size(); ++u) {
      if (!gen.Chance(20)) continue;
      GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(world.model.users[u].id));
      row.user.is_active = false;
      GH_RETURN_IF_ERROR(w.UpdateUser(row));
      world.model.users[u].is_active = false;
    }
    return base::Status::Ok();
  }));
  return world;
}

// Ids of one page of `data_set`, with the (created_at, updated_at) of each, via the reader.
struct PageIds {
  std::vector<domain::RecordId> ids;
  std::optional<Cursor> next;
};

template <typename Record>
PageIds IdsOf(const Page<Record>& page) {
  PageIds out;
  for (const Record& record : page.items) out.ids.push_back(record.id);
  out.next = page.next;
  return out;
}

base::Result<PageIds> ListPage(const AccountReader& reader, DataSet data_set,
                               const policy::ListFilter& permission, const ListQuery& query) {
  switch (data_set) {
    case DataSet::kLeads: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<Lead>(permission, query));
      return IdsOf(page);
    }
    case DataSet::kContacts: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<Contact>(permission, query));
      return IdsOf(page);
    }
    case DataSet::kCompanies: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<Company>(permission, query));
      return IdsOf(page);
    }
    case DataSet::kTasks: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<Task>(permission, query));
      return IdsOf(page);
    }
    case DataSet::kIncomingLeads: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<IncomingLead>(permission, query));
      return IdsOf(page);
    }
    case DataSet::kCustomers: {
      GH_ASSIGN_OR_RETURN(auto page, reader.List<Customer>(permission, query));
      return IdsOf(page);
    }
  }
  return base::Status::Internal("unknown data set");
}

base::Result<std::int64_t> Count(const AccountReader& reader, DataSet data_set,
                                 const policy::ListFilter& permission, const ListQuery& query) {
  switch (data_set) {
    case DataSet::kLeads:
      return reader.Count<Lead>(permission, query);
    case DataSet::kContacts:
      return reader.Count<Contact>(permission, query);
    case DataSet::kCompanies:
      return reader.Count<Company>(permission, query);
    case DataSet::kTasks:
      return reader.Count<Task>(permission, query);
    case DataSet::kIncomingLeads:
      return reader.Count<IncomingLead>(permission, query);
    case DataSet::kCustomers:
      return reader.Count<Customer>(permission, query);
  }
  return base::Status::Internal("unknown data set");
}

std::vector<Action> ListActions(DataSet data_set) {
  std::vector<Action> actions;
  for (Action action : domain::kAllActions) {
    if (action != Action::kAdd && domain::ActionApplies(data_set, action))
      actions.push_back(action);
  }
  return actions;
}

class DbPropertyTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    GH_REQUIRE_ENGINE(GetParam());
    auto db = TestDatabase::Create(GetParam());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto store = OpenMigratedStore(*db_, 2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  void TearDown() override {
    store_.reset();  // close every connection before the database is dropped
    db_.reset();
  }

  // Lists every page of (user, data set, action) and compares ids, order and count.
  void CheckOneList(Generator& gen, const World& world, const World& other,
                    const policy::AccountPolicy& policy, domain::UserId user_id) {
    // Every record kind: the rights rows and customers (the leads' row, no stage rights).
    const DataSet data_set = gen.Pick(
        std::vector<DataSet>{DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies,
                             DataSet::kTasks, DataSet::kIncomingLeads, DataSet::kCustomers});
    Action action = gen.Pick(ListActions(data_set));
    const policy::ListFilter permission = policy.CompileFilter(user_id, data_set, action);
    ListQuery query{
        .order_field = static_cast<OrderField>(gen.Int(0, 2)),
        .order_direction = gen.Chance(50) ? OrderDirection::kAsc : OrderDirection::kDesc,
        .limit = gen.Pick(std::vector<int>{1, 3, 7, 50, 250})};
    bool keyset = gen.Chance(50);
    SCOPED_TRACE(std::string("user ") + std::to_string(user_id) + " " +
                 model::DataSetToString(data_set) + "." + model::ActionToString(action) +
                 " order " + std::to_string(static_cast<int>(query.order_field)) +
                 (query.order_direction == OrderDirection::kAsc ? " asc" : " desc") + " limit " +
                 std::to_string(query.limit) + (keyset ? " keyset" : " pages"));

    std::set<domain::RecordId> want;
    for (std::size_t i : model::RefVisible(world.model, user_id, data_set, action, world.refs)) {
      want.insert(world.ids[i]);
    }

    AccountReader reader = store_->Reader(world.model.id);
    std::vector<domain::RecordId> got;
    const int max_pages = static_cast<int>(world.refs.size()) / query.limit + 3;
    for (int page = 1; page <= max_pages; ++page) {
      if (!keyset) query.page = page;
      auto result = ListPage(reader, data_set, permission, query);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      ASSERT_LE(result->ids.size(), static_cast<std::size_t>(query.limit));
      got.insert(got.end(), result->ids.begin(), result->ids.end());
      if (keyset) {
        if (!result->next) break;
        query.after = result->next;
      } else if (result->ids.size() < static_cast<std::size_t>(query.limit) || !result->next) {
        break;
      }
    }
    std::set<domain::RecordId> got_set(got.begin(), got.end());
    EXPECT_EQ(got_set.size(), got.size()) << "a record appeared on two pages";
    EXPECT_EQ(got_set, want);
    for (domain::RecordId id : got) {
      EXPECT_FALSE(other.times.contains({data_set, id}) && !world.times.contains({data_set, id}))
          << "record " << id << " of another account listed";
    }
    ExpectOrdered(world, data_set, query, got);

    auto count = Count(reader, data_set, permission, query);
    ASSERT_TRUE(count.ok()) << count.status().ToString();
    EXPECT_EQ(*count, static_cast<std::int64_t>(want.size()));

    ++lists_;
    std::size_t total = static_cast<std::size_t>(
        std::count_if(world.refs.begin(), world.refs.end(),
                      [&](const domain::RecordRef& r) { return r.data_set == data_set; }));
    if (!want.empty() && want.size() < total) ++partial_lists_;
  }

  // The counts answered from the totals against the reference model: the board summary of a
  // user (per stage, count and price), a count restricted to a few responsible users (0 is
  // "nobody") and to a pipeline, and the impact preview's difference between two users'
  // filters.
  void CheckTotals(Generator& gen, const World& world, const policy::AccountPolicy& policy,
                   domain::UserId user_id, domain::UserId other_id) {
    // The kinds with totals: leads (cells), contacts, companies, tasks, customers (per user).
    const DataSet data_set =
        gen.Pick(std::vector<DataSet>{DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies,
                                      DataSet::kTasks, DataSet::kCustomers});
    const Action action = gen.Pick(ListActions(data_set));
    SCOPED_TRACE(std::string("totals: user ") + std::to_string(user_id) + " minus " +
                 std::to_string(other_id) + " " + model::DataSetToString(data_set) + "." +
                 model::ActionToString(action));
    const auto visible = [&](domain::UserId user) {
      std::set<std::size_t> out;
      for (std::size_t i : model::RefVisible(world.model, user, data_set, action, world.refs)) {
        out.insert(i);
      }
      return out;
    };
    const std::set<std::size_t> mine = visible(user_id);
    const std::set<std::size_t> theirs = visible(other_id);
    AccountReader reader = store_->Reader(world.model.id);
    TotalsQuery query;
    query.allowed = policy.CompileFilter(user_id, data_set, action);

    std::map<domain::StageKey, policy::Totals> want;
    for (std::size_t i : mine) {
      policy::Totals& t = want[{world.refs[i].pipeline_id, world.refs[i].status_id}];
      t.count += 1;
      t.price += world.prices[i];
    }
    std::erase_if(want, [](const auto& entry) { return entry.second.count == 0; });
    auto summary = reader.TotalsByStage(data_set, query);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    std::erase_if(*summary, [](const auto& entry) { return entry.second.count == 0; });
    EXPECT_EQ(*summary, want);

    // responsible_user_ids (and for leads pipeline_ids) through CountX, as the lists take them.
    ListQuery list;
    list.responsible_user_ids = {gen.Chance(30) ? 0 : gen.Pick(world.model.users).id,
                                 gen.Pick(world.model.users).id};
    domain::PipelineId pipeline = 0;
    if (data_set == DataSet::kLeads && gen.Chance(50)) {
      for (std::size_t i : mine) pipeline = world.refs[i].pipeline_id;
      if (pipeline != 0) list.pipeline_ids = {pipeline};
    }
    std::int64_t restricted = 0;
    for (std::size_t i : mine) {
      const domain::RecordRef& r = world.refs[i];
      const bool listed =
          std::find(list.responsible_user_ids.begin(), list.responsible_user_ids.end(),
                    r.responsible_user_id) != list.responsible_user_ids.end();
      if (listed && (pipeline == 0 || r.pipeline_id == pipeline)) ++restricted;
    }
    auto count = Count(reader, data_set, query.allowed, list);
    ASSERT_TRUE(count.ok()) << count.status().ToString();
    EXPECT_EQ(*count, restricted);

    const policy::ListFilter other = policy.CompileFilter(other_id, data_set, action);
    std::int64_t gain = 0;
    for (std::size_t i : mine) gain += theirs.contains(i) ? 0 : 1;
    auto difference = reader.CountPermissionDifference(data_set, query.allowed, other);
    ASSERT_TRUE(difference.ok()) << difference.status().ToString();
    EXPECT_EQ(*difference, gain);
    // The batch the impact preview uses: both directions and the plain count at once.
    std::int64_t lose = 0;
    for (std::size_t i : theirs) lose += mine.contains(i) ? 0 : 1;
    const std::pair<policy::ListFilter, policy::ListFilter> pairs[] = {
        {query.allowed, other}, {other, query.allowed}, {query.allowed, policy::ListFilter{}}};
    auto batch = reader.CountPermissionDifferences(data_set, pairs);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    EXPECT_EQ(*batch,
              (std::vector<std::int64_t>{gain, lose, static_cast<std::int64_t>(mine.size())}));
  }

  static void ExpectOrdered(const World& world, DataSet data_set, const ListQuery& query,
                            const std::vector<domain::RecordId>& ids) {
    auto key = [&](domain::RecordId id) {
      auto it = world.times.find({data_set, id});
      if (it == world.times.end()) return std::pair<std::int64_t, std::int64_t>{0, id};
      std::int64_t value = query.order_field == OrderField::kId          ? id
                           : query.order_field == OrderField::kCreatedAt ? it->second.first
                                                                         : it->second.second;
      return std::pair<std::int64_t, std::int64_t>{value, id};
    };
    for (std::size_t i = 1; i < ids.size(); ++i) {
      bool ordered = query.order_direction == OrderDirection::kAsc ? key(ids[i - 1]) < key(ids[i])
                                                                   : key(ids[i - 1]) > key(ids[i]);
      EXPECT_TRUE(ordered) << "records " << ids[i - 1] << " and " << ids[i] << " out of order";
      if (!ordered) return;
    }
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  int lists_ = 0;          // lists compared
  int partial_lists_ = 0;  // of which some but not all records were visible
};

TEST_P(DbPropertyTest, ListsAndCountsMatchTheReferenceModel) {
  const std::uint64_t seed = SeedFromEnv();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: GATEHOUSE_SEED=" + std::to_string(seed) +
               ")");
  std::printf("%s seed %llu\n", testing::EngineName(GetParam()),
              static_cast<unsigned long long>(seed));
  Generator gen(seed);
  constexpr int kRounds = 3;
  constexpr int kQueriesPerAccount = 80;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<World> worlds;
    for (int a = 0; a < 2; ++a) {
      auto world = BuildAccount(*store_, gen, round * 2 + a);
      ASSERT_TRUE(world.ok()) << world.status().ToString();
      worlds.push_back(std::move(world).value());
    }
    for (int a = 0; a < 2; ++a) {
      const World& world = worlds[static_cast<std::size_t>(a)];
      const World& other = worlds[static_cast<std::size_t>(1 - a)];
      auto loaded = store_->Reader(world.model.id).LoadAccountModel();
      ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
      auto policy = policy::AccountPolicy::Build(*loaded);
      for (int q = 0; q < kQueriesPerAccount && !HasFailure(); ++q) {
        // Mostly users of this account; sometimes one of the other account, or nobody.
        domain::UserId user_id = gen.Pick(world.model.users).id;
        if (gen.Chance(5)) user_id = gen.Pick(other.model.users).id;
        if (gen.Chance(3)) user_id = 987654321;
        CheckOneList(gen, world, other, *policy, user_id);
        CheckTotals(gen, world, *policy, user_id, gen.Pick(world.model.users).id);
      }
      if (HasFailure()) {
        for (const domain::User& user : world.model.users) {
          std::printf("  %s\n", model::UserToString(user).c_str());
        }
        return;
      }
    }
  }
  std::printf("%s: %d lists compared, %d of them partial\n", testing::EngineName(GetParam()),
              lists_, partial_lists_);
  // Guards the generator, not the store: a generator that stopped making partial visibility would
  // fall near 0. Over seeds 1..12 about 20% of lists are partial (78..120 of 480); one random
  // seed (2070763456) gave 59. The bound sits far below that spread so that a valid seed never
  // fails it.
  EXPECT_GT(partial_lists_, lists_ / 16) << "too few lists where the filter matters";
}

// ---- Field rights through the store (issue 15 §3) ----
// Random custom fields, roles and users with random custom_fields_rights, written through the
// Store; then a role's field rights edited (its holders follow in the store, and in the model
// through the role itself: the holders' rows in the world keep their first rights on purpose).
// The policy built from the model the store loads back must decide every field as the reference
// model does on what the test wrote, and the values each user is shown
// (service::internal::RenderFieldValues over the stored rows) must be exactly the fields with
// values the reference model lets them view.

struct FieldWorld {
  domain::AccountModel model;
  std::map<DataSet, std::vector<domain::CustomField>> fields;
  // (data set, record) -> the field ids it holds values of, ascending.
  std::map<std::pair<DataSet, domain::RecordId>, std::vector<std::int64_t>> valued;
};

std::vector<domain::FieldRight> AnyFieldRights(Generator& gen, const FieldWorld& world) {
  std::vector<domain::FieldRight> entries;
  for (const auto& [data_set, fields] : world.fields) {
    const int restricted = gen.Int(0, 100);  // the share of this data set's fields restricted
    for (const domain::CustomField& field : fields) {
      if (!gen.Chance(restricted)) continue;
      entries.push_back({data_set, field.id, gen.Chance(50), gen.Chance(50)});
    }
  }
  domain::NormalizeFieldRights(entries);  // as the service stores them
  return entries;
}

base::Result<FieldWorld> BuildFieldAccount(Store& store, Generator& gen, int index) {
  NewAccount spec{"fields-" + std::to_string(index), "Fields " + std::to_string(index), 1000, 0};
  GH_ASSIGN_OR_RETURN(AccountRow account, store.CreateAccount(spec));
  FieldWorld world;
  world.model.id = account.id;
  GH_RETURN_IF_ERROR(store.Write(account.id, [&](AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId group, w.DefaultGroupId());
    for (DataSet data_set : {DataSet::kLeads, DataSet::kContacts, DataSet::kCompanies}) {
      for (int n = gen.Int(1, 8); n > 0; --n) {
        const domain::CustomField field{.data_set = data_set,
                                        .name = "Field " + std::to_string(n),
                                        .type = domain::FieldType::kText,
                                        .sort = n};
        GH_ASSIGN_OR_RETURN(domain::CustomField stored, w.CreateCustomField(field));
        world.fields[data_set].push_back(stored);
      }
    }
    for (int r = 0; r < 2; ++r) {
      domain::Role role{0, "Role " + std::to_string(r), domain::Rights::AllAllowed()};
      role.rights.field_rights = AnyFieldRights(gen, world);
      GH_ASSIGN_OR_RETURN(role.id, w.CreateRole(role));
      world.model.roles.push_back(role);
    }
    for (int u = 0, users = gen.Int(4, 9); u < users; ++u) {
      UserRow row;
      row.user.name = "User " + std::to_string(u);
      row.user.email = "u" + std::to_string(u) + "@f" + std::to_string(index) + ".test";
      row.user.group_id = group;
      row.user.is_admin = u == 0 || gen.Chance(10);
      row.user.is_free = u != 0 && gen.Chance(10);
      row.user.rights = domain::Rights::AllAllowed();
      if (u != 0 && gen.Chance(40)) {
        const domain::Role& role = gen.Pick(world.model.roles);
        row.user.role_id = role.id;
        row.user.rights = role.rights;
      } else {
        row.user.rights.field_rights = AnyFieldRights(gen, world);
      }
      GH_ASSIGN_OR_RETURN(row.user.id, w.CreateUser(row));
      world.model.users.push_back(row.user);
    }
    for (const auto& [data_set, fields] : world.fields) {
      for (int r = 0; r < 6; ++r) {
        domain::RecordId id = 0;
        if (data_set == DataSet::kLeads) {
          const Lead lead{.name = "Lead " + std::to_string(r)};
          GH_ASSIGN_OR_RETURN(Lead stored, w.Create(lead));
          id = stored.id;
        } else if (data_set == DataSet::kContacts) {
          const Contact contact{.name = "Contact " + std::to_string(r)};
          GH_ASSIGN_OR_RETURN(Contact stored, w.Create(contact));
          id = stored.id;
        } else {
          const Company company{.name = "Company " + std::to_string(r)};
          GH_ASSIGN_OR_RETURN(Company stored, w.Create(company));
          id = stored.id;
        }
        std::vector<std::int64_t>& valued = world.valued[{data_set, id}];
        for (const domain::CustomField& field : fields) {
          if (!gen.Chance(70)) continue;
          const domain::FieldValue value{"v" + std::to_string(field.id), 0};
          GH_RETURN_IF_ERROR(w.SetFieldValues(data_set, id, field.id,
                                              std::span<const domain::FieldValue>(&value, 1)));
          valued.push_back(field.id);
        }
      }
    }
    return base::Status::Ok();
  }));
  // A role edit later on: the store re-applies it to the holders.
  domain::Role& edited = world.model.roles[static_cast<std::size_t>(gen.Int(0, 1))];
  edited.rights.field_rights = AnyFieldRights(gen, world);
  GH_RETURN_IF_ERROR(
      store.Write(account.id, [&](AccountWriter& w) { return w.UpdateRole(edited); }));
  return world;
}

TEST_P(DbPropertyTest, FieldRightsAndShownValuesMatchTheReferenceModel) {
  const std::uint64_t seed = SeedFromEnv();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: GATEHOUSE_SEED=" + std::to_string(seed) +
               ")");
  Generator gen(seed ^ 0xf1e1d);
  int hidden = 0, read_only = 0, shown = 0, holders = 0;
  for (int account = 0; account < 6 && !HasFailure(); ++account) {
    auto world = BuildFieldAccount(*store_, gen, account);
    ASSERT_TRUE(world.ok()) << world.status().ToString();
    const domain::AccountModel& model = world->model;
    AccountReader reader = store_->Reader(model.id);
    auto loaded = reader.LoadAccountModel();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    auto policy = policy::AccountPolicy::Build(*loaded);
    for (const domain::User& user : model.users) {
      SCOPED_TRACE("user " + model::UserToString(user));
      holders += user.role_id ? 1 : 0;
      const service::Caller caller{.account_id = model.id, .user_id = user.id, .policy = policy};
      for (const auto& [data_set, fields] : world->fields) {
        EXPECT_EQ(policy->SeesAllFields(user.id, data_set),
                  model::RefSeesAllFields(model, user.id, data_set))
            << model::DataSetToString(data_set);
        for (const domain::CustomField& field : fields) {
          const model::RefFieldAccess want =
              model::RefFieldRights(model, user.id, data_set, field.id);
          hidden += want.view ? 0 : 1;
          read_only += want.view && !want.edit ? 1 : 0;
          EXPECT_EQ(policy->CanViewField(user.id, data_set, field.id), want.view)
              << model::DataSetToString(data_set) << " field " << field.id;
          EXPECT_EQ(policy->CanEditField(user.id, data_set, field.id), want.edit)
              << model::DataSetToString(data_set) << " field " << field.id;
        }
        // What a record shows: rendered from the stored rows as the lists and GETs do.
        auto stored_fields = reader.ListCustomFields(data_set);
        ASSERT_TRUE(stored_fields.ok()) << stored_fields.status().ToString();
        for (const auto& [key, valued] : world->valued) {
          if (key.first != data_set) continue;
          const domain::RecordId ids[] = {key.second};
          auto rows = reader.FieldValues(data_set, ids);
          ASSERT_TRUE(rows.ok()) << rows.status().ToString();
          const std::string text =
              service::internal::RenderFieldValues(caller, data_set, *stored_fields, *rows, "");
          std::vector<std::int64_t> got;
          if (!text.empty()) {
            for (const nlohmann::json& entry : nlohmann::json::parse(text)) {
              got.push_back(entry.at("field_id").get<std::int64_t>());
            }
          }
          std::sort(got.begin(), got.end());
          const std::vector<std::int64_t> want =
              model::RefVisibleFields(model, user.id, data_set, valued);
          shown += static_cast<int>(want.size());
          EXPECT_EQ(got, want) << model::DataSetToString(data_set) << " record " << key.second
                               << ": " << text;
        }
      }
    }
  }
  std::printf("%s: field rights compared; hidden %d, read-only %d, values shown %d, holders %d\n",
              testing::EngineName(GetParam()), hidden, read_only, shown, holders);
  EXPECT_GT(hidden, 0);
  EXPECT_GT(read_only, 0);
  EXPECT_GT(shown, 0);
  EXPECT_GT(holders, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, DbPropertyTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace gatehouse::storage
