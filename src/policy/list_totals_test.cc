#include "policy/list_totals.h"

#include <gtest/gtest.h>

#include <random>

#include "policy/policy_test_util.h"

namespace gatehouse::policy {
namespace {

using domain::DataSet;
using domain::StageKey;
using domain::UserId;

TEST(ListTotalsTest, RollupMinusTheUsersTheOtherFilterAdmits) {
  const StageKey s{1, 10};
  const std::vector<CellTotals> cells = {
      {s, kEveryone, 6, 600}, {s, 0, 1, 100}, {s, 2, 2, 200}, {s, 3, 3, 300}};
  const ListFilter all{.otherwise = All()};
  ListFilter nothing;
  const ListFilter two{.otherwise = In({2})};
  EXPECT_EQ(TotalsByStage(DataSet::kLeads, all, nothing, cells)[s], (Totals{6, 600}));
  EXPECT_EQ(TotalsByStage(DataSet::kLeads, all, two, cells)[s], (Totals{4, 400}));
  EXPECT_EQ(TotalsByStage(DataSet::kLeads, two, nothing, cells)[s], (Totals{2, 200}));
  EXPECT_TRUE(TotalsByStage(DataSet::kLeads, two, all, cells).empty());
  // Only the cells of user 0 ("nobody") and 3.
  const std::vector<UserId> responsible = {0, 3};
  EXPECT_EQ(TotalsByStage(DataSet::kLeads, all, two, cells, &responsible)[s], (Totals{4, 400}));
  EXPECT_EQ(NeededFor(all, two), (CellsNeeded{true, {2}}));
  EXPECT_EQ(NeededFor(two, all), (CellsNeeded{}));
  EXPECT_EQ(NeededFor(two, nothing), (CellsNeeded{false, {2}}));
}

TEST(ListTotalsTest, StageAudiencesApplyToLeadsOnly) {
  ListFilter f;
  f.stages.push_back({StageKey{0, 0}, All()});
  const std::vector<CellTotals> cells = {{StageKey{0, 0}, kEveryone, 5, 0}};
  EXPECT_EQ(TotalsByStage(DataSet::kLeads, f, ListFilter{}, cells).size(), 1u);
  EXPECT_TRUE(TotalsByStage(DataSet::kContacts, f, ListFilter{}, cells).empty());
}

// Against the definition: random records, random filters; the totals computed from the cells
// NeededFor asks for (nothing more) equal the sum over the records admitted one by one.
TEST(ListTotalsTest, EqualsTheFilterAppliedToEveryRecord) {
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 gen(seed);
  auto rnd = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); };
  const std::vector<StageKey> stages = {{1, 10}, {1, 11}, {2, 20}, {2, 21}, {3, 30}};
  auto random_audience = [&]() {
    switch (rnd(0, 2)) {
      case 0:
        return Audience{};
      case 1:
        return All();
      default: {
        std::vector<UserId> users;
        for (UserId u = 1; u <= 6; ++u) {
          if (rnd(0, 2) == 0) users.push_back(u);
        }
        if (users.empty()) users.push_back(rnd(1, 6));
        return In(users);
      }
    }
  };
  auto random_filter = [&]() {
    ListFilter f{.otherwise = random_audience()};
    for (const StageKey& s : stages) {
      if (rnd(0, 2) == 0) f.stages.push_back({s, random_audience()});
    }
    return f;
  };
  for (int round = 0; round < 400; ++round) {
    const DataSet data_set = rnd(0, 3) == 0 ? DataSet::kContacts : DataSet::kLeads;
    struct Record {
      StageKey stage;
      UserId user;
      std::int64_t price;
    };
    std::vector<Record> records;
    std::map<std::pair<StageKey, UserId>, Totals> cell_map;
    for (int i = rnd(0, 60); i > 0; --i) {
      Record r{
          data_set == DataSet::kLeads ? stages[static_cast<std::size_t>(rnd(0, 4))] : StageKey{},
          rnd(0, 6), rnd(0, 1000)};
      records.push_back(r);
      for (UserId key : {r.user, kEveryone}) {
        Totals& t = cell_map[{r.stage, key}];
        t.count += 1;
        t.price += r.price;
      }
    }
    const ListFilter allowed = random_filter();
    const ListFilter minus = rnd(0, 2) == 0 ? ListFilter{} : random_filter();
    std::vector<UserId> responsible;
    for (UserId u = 0; u <= 6; ++u) {
      if (rnd(0, 2) == 0) responsible.push_back(u);
    }
    const bool restrict = rnd(0, 3) == 0;
    const std::vector<UserId>* restriction = restrict ? &responsible : nullptr;

    std::map<StageKey, Totals> want;
    for (const Record& r : records) {
      const domain::RecordRef ref{data_set, r.user, r.stage.pipeline_id, r.stage.status_id};
      if (restrict && !std::binary_search(responsible.begin(), responsible.end(), r.user)) {
        continue;
      }
      if (!allowed.Matches(ref) || minus.Matches(ref)) continue;
      want[r.stage].count += 1;
      want[r.stage].price += r.price;
    }
    const CellsNeeded needed = NeededFor(allowed, minus, restriction);
    std::vector<CellTotals> cells;
    for (const auto& [key, t] : cell_map) {
      const bool wanted =
          key.second == kEveryone
              ? needed.rollups
              : std::binary_search(needed.users.begin(), needed.users.end(), key.second);
      if (wanted) cells.push_back({key.first, key.second, t.count, t.price});
    }
    std::shuffle(cells.begin(), cells.end(), gen);
    EXPECT_EQ(TotalsByStage(data_set, allowed, minus, cells, restriction), want)
        << "round " << round;
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace gatehouse::policy
