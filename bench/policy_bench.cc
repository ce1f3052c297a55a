// Throughput of the permission engine on a realistic account, against the simplest possible
// flat-array lookup as a floor. See README.md for the account's shape and the figures.
//
// Every benchmark walks a pregenerated array of random (user, action, record) requests in
// batches of kBatch, so the loop overhead of Google Benchmark is spread over many decisions;
// items/s is decisions/s and the per_decision counter its inverse (seconds, SI prefix).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "policy/account_policy.h"
#include "policy/rights_validation.h"
#include "policy/roles.h"

namespace gatehouse::bench {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;
using domain::RecordRef;
using domain::UserId;
using policy::AccountPolicy;

constexpr int kUsers = 1000;
constexpr int kGroups = 50;
constexpr int kRoles = 20;
constexpr int kPipelines = 10;
constexpr int kStagesPerPipeline = 8;
constexpr int kRecords = 1'000'000;
constexpr std::size_t kRequests = std::size_t{1} << 20;  // power of two: index by mask
constexpr std::size_t kBatch = 1024;
// User ids come from one sequence shared by every account of a server (as in Kommo), so one
// account's ids increase with random gaps: lookups cannot be a plain array index.
constexpr UserId kFirstUserId = 8'000'000;
constexpr int kMaxUserIdGap = 60;
// BM_CheckIdShape/strided_ids: the same account with ids kFirstUserId + i * kUserIdStride, a
// stride the engine's user table hashed badly when measured (see README.md).
constexpr UserId kUserIdStride = 37;

// One request to decide. The record is copied in (as a request carries the record it loaded),
// so the benchmark measures deciding, not cache misses on a 1M-record table.
struct Request {
  UserId user_id;
  Action action;
  RecordRef record;
};

// The same account and requests with the user ids renumbered (BM_CheckIdShape).
enum class IdShape { kDense, kStrided };
struct Renumbered {
  std::shared_ptr<const AccountPolicy> policy;
  std::vector<Request> requests;
};

// The account, its compiled policy, the requests, and the floor's flat arrays.
struct World {
  domain::AccountModel model;
  std::shared_ptr<const AccountPolicy> policy;
  std::vector<RecordRef> records;
  std::vector<Request> requests;
  std::vector<const AccountPolicy::CompiledUser*> resolved;  // parallel to requests
  Renumbered dense;                                          // ids 1..n
  Renumbered strided;                                        // ids kFirstUserId + i * kUserIdStride

  // Floor: user id -> dense index (-1: unknown) and group, addressed directly by id - first id;
  // levels[index][data set][action], with inactive/free users all D and admins all A.
  std::vector<std::int32_t> index_by_id;
  std::vector<std::int32_t> group_by_id;
  std::vector<std::array<std::array<Level, domain::kActionCount>, domain::kDataSetCount>> levels;
  std::vector<std::int32_t> group_by_index;
};

Level Pick(std::mt19937_64& rng, std::array<int, 4> weights_dmga) {
  std::discrete_distribution<int> dist(weights_dmga.begin(), weights_dmga.end());
  return static_cast<Level>(dist(rng));
}

// A role as a sales organisation would set one up: wide views, narrower edits, little export.
domain::Rights RandomRoleRights(std::mt19937_64& rng) {
  domain::Rights rights;
  for (DataSet data_set : domain::kAllDataSets) {
    for (Action action : domain::kAllActions) {
      if (!domain::ActionApplies(data_set, action)) continue;
      Level level = Level::kDenied;
      if (domain::TakesOnlyAllowedOrDenied(data_set, action)) {
        level = Pick(rng, {2, 0, 0, 8});
      } else if (action == Action::kView) {
        level = Pick(rng, {1, 3, 4, 3});
      } else if (action == Action::kExport) {
        level = Pick(rng, {6, 1, 1, 2});
      } else {
        level = Pick(rng, {2, 4, 3, 2});
      }
      rights.Set(data_set, action, level);
    }
  }
  rights.mail_access = true;
  rights.catalog_access = true;
  policy::Normalize(rights);
  return rights;
}

void AddStageRights(std::mt19937_64& rng, const domain::AccountModel& model,
                    domain::Rights& rights) {
  int entries = std::uniform_int_distribution<int>(1, 4)(rng);
  for (int i = 0; i < entries; ++i) {
    const domain::Pipeline& pipeline = model.pipelines[std::uniform_int_distribution<std::size_t>(
        0, model.pipelines.size() - 1)(rng)];
    const domain::Stage& stage =
        pipeline
            .stages[std::uniform_int_distribution<std::size_t>(0, pipeline.stages.size() - 1)(rng)];
    domain::StageRights entry;
    entry.stage = {pipeline.id, stage.id};
    if (rights.FindStage(entry.stage) != nullptr) continue;
    for (Action action : domain::kStageActions) {
      if (std::bernoulli_distribution(0.6)(rng)) entry.Set(action, Pick(rng, {3, 2, 2, 3}));
    }
    rights.stage_rights.push_back(entry);
    policy::Normalize(rights);  // keeps the entries sorted and unique
  }
}

void BuildAccount(std::mt19937_64& rng, World& world) {
  domain::AccountModel& model = world.model;
  model.id = 1;
  for (int g = 0; g < kGroups; ++g) model.groups.push_back({g + 1, "group " + std::to_string(g)});
  for (int p = 0; p < kPipelines; ++p) {
    domain::Pipeline pipeline{
        .id = 3'000'000 + p * 11, .name = "pipeline " + std::to_string(p), .is_main = p == 0};
    domain::StatusId status = 40'000'000 + p * 100;
    pipeline.stages.push_back({status++, "incoming", 0, domain::kStageTypeIncoming});
    for (int s = 0; s < kStagesPerPipeline; ++s) {
      pipeline.stages.push_back({status++, "stage " + std::to_string(s), s + 1});
    }
    pipeline.stages.push_back({domain::kWonStatusId, "won", 100});
    pipeline.stages.push_back({domain::kLostStatusId, "lost", 101});
    model.pipelines.push_back(pipeline);
  }
  for (int r = 0; r < kRoles; ++r) {
    model.roles.push_back({r + 1, "role " + std::to_string(r), RandomRoleRights(rng)});
  }
  std::uniform_int_distribution<int> group_of(1, kGroups);
  std::uniform_int_distribution<std::size_t> role_of(0, kRoles - 1);
  std::uniform_int_distribution<int> gap_of(1, kMaxUserIdGap);
  UserId next_id = kFirstUserId;
  for (int i = 0; i < kUsers; ++i) {
    domain::User user;
    user.id = next_id;
    next_id += gap_of(rng);
    user.group_id = group_of(rng);
    user.is_admin = i % 100 == 0;  // 1%
    user.is_active = i % 50 != 7;  // 2% deactivated
    user.is_free = i % 100 == 13;  // 1% free
    policy::ApplyRole(model.roles[role_of(rng)], user);
    domain::Rights rights = user.rights;
    bool edited = std::bernoulli_distribution(0.1)(rng);
    if (edited) rights.Set(DataSet::kLeads, Action::kEdit, Pick(rng, {1, 1, 1, 1}));
    if (i % 20 == 3) AddStageRights(rng, model, rights);  // 5% with stage rights
    if (edited || i % 20 == 3) {
      policy::Normalize(rights);
      policy::SetUserRights(user, rights);
    }
    model.users.push_back(user);
  }
  world.policy = AccountPolicy::Build(model);
}

RecordRef RandomRecord(std::mt19937_64& rng, const domain::AccountModel& model) {
  RecordRef record;
  int kind = std::uniform_int_distribution<int>(0, 99)(rng);
  record.data_set = kind < 70   ? DataSet::kLeads
                    : kind < 82 ? DataSet::kContacts
                    : kind < 90 ? DataSet::kCompanies
                    : kind < 97 ? DataSet::kTasks
                                : DataSet::kIncomingLeads;
  record.responsible_user_id =
      model.users[std::uniform_int_distribution<std::size_t>(0, model.users.size() - 1)(rng)].id;
  if (record.data_set == DataSet::kLeads) {
    const domain::Pipeline& pipeline = model.pipelines[std::uniform_int_distribution<std::size_t>(
        0, model.pipelines.size() - 1)(rng)];
    record.pipeline_id = pipeline.id;
    record.status_id =
        pipeline
            .stages[std::uniform_int_distribution<std::size_t>(0, pipeline.stages.size() - 1)(rng)]
            .id;
  }
  return record;
}

// A plausible mix of actions for the record's data set: mostly view, then edit.
Action RandomAction(std::mt19937_64& rng, DataSet data_set) {
  int roll = std::uniform_int_distribution<int>(0, 99)(rng);
  if (data_set == DataSet::kIncomingLeads) {
    return roll < 70 ? Action::kView : roll < 85 ? Action::kAccept : Action::kDecline;
  }
  if (data_set == DataSet::kTasks) {
    return roll < 70 ? Action::kView : roll < 95 ? Action::kEdit : Action::kDelete;
  }
  return roll < 60   ? Action::kView
         : roll < 85 ? Action::kEdit
         : roll < 92 ? Action::kAdd
         : roll < 97 ? Action::kDelete
                     : Action::kExport;
}

void BuildFloor(World& world) {
  const auto span = static_cast<std::size_t>(world.model.users.back().id - kFirstUserId + 1);
  world.index_by_id.assign(span, -1);
  world.group_by_id.assign(span, -1);
  for (std::size_t i = 0; i < world.model.users.size(); ++i) {
    const domain::User& user = world.model.users[i];
    const auto slot = static_cast<std::size_t>(user.id - kFirstUserId);
    world.index_by_id[slot] = static_cast<std::int32_t>(i);
    world.group_by_id[slot] = static_cast<std::int32_t>(user.group_id);
    world.group_by_index.push_back(static_cast<std::int32_t>(user.group_id));
    auto levels = user.rights.levels;
    for (DataSet data_set : domain::kAllDataSets) {
      for (Action action : domain::kAllActions) {
        Level& level = levels[static_cast<int>(data_set)][static_cast<int>(action)];
        if (!domain::ActionApplies(data_set, action) || !user.is_active || user.is_free) {
          level = Level::kDenied;
        } else if (user.is_admin) {
          level = Level::kAllowed;
        }
      }
    }
    world.levels.push_back(levels);
  }
}

Renumbered Renumber(const World& world, IdShape shape) {
  std::map<UserId, UserId> new_id;
  domain::AccountModel model = world.model;
  for (std::size_t i = 0; i < model.users.size(); ++i) {
    const auto n = static_cast<UserId>(i);
    UserId id = shape == IdShape::kDense ? n + 1 : kFirstUserId + n * kUserIdStride;
    new_id[model.users[i].id] = id;
    model.users[i].id = id;
  }
  Renumbered out{AccountPolicy::Build(model), world.requests};
  for (Request& request : out.requests) {
    request.user_id = new_id[request.user_id];
    request.record.responsible_user_id = new_id[request.record.responsible_user_id];
  }
  return out;
}

const World& GetWorld() {
  static const World* world = [] {
    auto* w = new World();
    std::mt19937_64 rng(20261125);
    BuildAccount(rng, *w);
    w->records.reserve(kRecords);
    for (int i = 0; i < kRecords; ++i) w->records.push_back(RandomRecord(rng, w->model));
    w->requests.reserve(kRequests);
    std::uniform_int_distribution<std::size_t> record_of(0, kRecords - 1);
    std::uniform_int_distribution<std::size_t> user_of(0, kUsers - 1);
    for (std::size_t i = 0; i < kRequests; ++i) {
      const RecordRef& record = w->records[record_of(rng)];
      UserId user_id = w->model.users[user_of(rng)].id;
      w->requests.push_back({user_id, RandomAction(rng, record.data_set), record});
      w->resolved.push_back(w->policy->FindUser(user_id));
    }
    BuildFloor(*w);
    w->dense = Renumber(*w, IdShape::kDense);
    w->strided = Renumber(*w, IdShape::kStrided);
    return w;
  }();
  return *world;
}

void ReportPerDecision(benchmark::State& state, std::int64_t allowed, std::size_t per_iteration) {
  const auto decisions = static_cast<std::int64_t>(state.iterations() * per_iteration);
  state.SetItemsProcessed(decisions);
  // Seconds per decision, shown with an SI prefix ("21.3n" = 21.3 ns).
  state.counters["per_decision"] = benchmark::Counter(
      static_cast<double>(decisions), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["allowed_pct"] =
      100.0 * static_cast<double>(allowed) / static_cast<double>(decisions);
}

void BM_Check(benchmark::State& state) {
  const World& world = GetWorld();
  const AccountPolicy& policy = *world.policy;
  std::size_t next = 0;
  std::int64_t allowed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      const Request& request = world.requests[(next + i) & (kRequests - 1)];
      policy::Decision decision = policy.Check(request.user_id, request.action, request.record);
      benchmark::DoNotOptimize(decision);
      allowed += decision.allowed;
    }
    next += kBatch;
  }
  ReportPerDecision(state, allowed, kBatch);
}
BENCHMARK(BM_Check);

void BM_CheckResolvedUser(benchmark::State& state) {
  const World& world = GetWorld();
  const AccountPolicy& policy = *world.policy;
  std::size_t next = 0;
  std::int64_t allowed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      const std::size_t at = (next + i) & (kRequests - 1);
      const Request& request = world.requests[at];
      policy::Decision decision = policy.Check(world.resolved[at], request.action, request.record);
      benchmark::DoNotOptimize(decision);
      allowed += decision.allowed;
    }
    next += kBatch;
  }
  ReportPerDecision(state, allowed, kBatch);
}
BENCHMARK(BM_CheckResolvedUser);

// BM_Check on the same decisions with the user ids renumbered: 1..n, or an arithmetic
// progression.
void BM_CheckIdShape(benchmark::State& state, IdShape shape) {
  const World& world = GetWorld();
  const Renumbered& renumbered = shape == IdShape::kDense ? world.dense : world.strided;
  const AccountPolicy& policy = *renumbered.policy;
  std::size_t next = 0;
  std::int64_t allowed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      const Request& request = renumbered.requests[(next + i) & (kRequests - 1)];
      policy::Decision decision = policy.Check(request.user_id, request.action, request.record);
      benchmark::DoNotOptimize(decision);
      allowed += decision.allowed;
    }
    next += kBatch;
  }
  ReportPerDecision(state, allowed, kBatch);
}
BENCHMARK_CAPTURE(BM_CheckIdShape, dense_ids, IdShape::kDense);
BENCHMARK_CAPTURE(BM_CheckIdShape, strided_ids, IdShape::kStrided);

// The floor: the general-rights decision from flat arrays, nothing else (no stage rights, no
// rule or match reported).
void BM_FlatArrayFloor(benchmark::State& state) {
  const World& world = GetWorld();
  std::size_t next = 0;
  std::int64_t allowed = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      const Request& request = world.requests[(next + i) & (kRequests - 1)];
      const auto user_slot = static_cast<std::size_t>(request.user_id - kFirstUserId);
      bool ok = false;
      if (user_slot < world.index_by_id.size() && world.index_by_id[user_slot] >= 0) {
        const auto index = static_cast<std::size_t>(world.index_by_id[user_slot]);
        const Level level = world.levels[index][static_cast<int>(request.record.data_set)]
                                        [static_cast<int>(request.action)];
        const UserId responsible = request.record.responsible_user_id;
        if (level == Level::kAllowed) {
          ok = true;
        } else if (level == Level::kIfResponsible) {
          ok = responsible != 0 && responsible == request.user_id;
        } else if (level == Level::kTeamWide) {
          const auto slot = static_cast<std::size_t>(responsible - kFirstUserId);
          ok = slot < world.group_by_id.size() &&
               world.group_by_id[slot] == world.group_by_index[index];
        }
      }
      benchmark::DoNotOptimize(ok);
      allowed += ok;
    }
    next += kBatch;
  }
  ReportPerDecision(state, allowed, kBatch);
}
BENCHMARK(BM_FlatArrayFloor);

void BM_CompileFilter(benchmark::State& state) {
  const World& world = GetWorld();
  const AccountPolicy& policy = *world.policy;
  constexpr std::size_t kFilterBatch = 64;
  std::size_t next = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kFilterBatch; ++i) {
      const Request& request = world.requests[(next + i) & (kRequests - 1)];
      policy::ListFilter filter =
          policy.CompileFilter(request.user_id, request.record.data_set, request.action);
      benchmark::DoNotOptimize(filter);
    }
    next += kFilterBatch;
  }
  const auto filters = static_cast<std::int64_t>(state.iterations() * kFilterBatch);
  state.SetItemsProcessed(filters);
  state.counters["per_filter"] = benchmark::Counter(
      static_cast<double>(filters), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CompileFilter);

// The floor must compute the same decisions as the engine, or the comparison means nothing:
// they must agree on every request of a user without stage rights (the floor ignores those).
bool FloorAgreesWithEngine(const World& world) {
  std::size_t compared = 0;
  for (std::size_t at = 0; at < kRequests; ++at) {
    const Request& request = world.requests[at];
    const domain::User* user = world.model.FindUser(request.user_id);
    if (user == nullptr || !user->rights.stage_rights.empty()) continue;
    const auto index = static_cast<std::size_t>(
        world.index_by_id[static_cast<std::size_t>(request.user_id - kFirstUserId)]);
    const Level level = world.levels[index][static_cast<int>(request.record.data_set)]
                                    [static_cast<int>(request.action)];
    const UserId responsible = request.record.responsible_user_id;
    const bool floor = level == Level::kAllowed ||
                       (level == Level::kIfResponsible && responsible == request.user_id) ||
                       (level == Level::kTeamWide &&
                        world.group_by_id[static_cast<std::size_t>(responsible - kFirstUserId)] ==
                            world.group_by_index[index]);
    if (floor != world.policy->Check(request.user_id, request.action, request.record).allowed) {
      std::fprintf(stderr, "floor and engine disagree on request %zu\n", at);
      return false;
    }
    ++compared;
  }
  std::fprintf(stderr, "floor agrees with the engine on %zu requests\n", compared);
  return true;
}

}  // namespace
}  // namespace gatehouse::bench

// Builds the account before any benchmark runs, so no benchmark (or profiler toggled on one)
// pays for it.
int main(int argc, char** argv) {
  if (!gatehouse::bench::FloorAgreesWithEngine(gatehouse::bench::GetWorld())) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
