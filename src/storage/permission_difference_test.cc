// CountPermissionDifference against brute force on every engine: for fixed and random pairs of
// compiled filters, the SQL count of rows `allowed` admits and `minus` does not equals the
// number of stored records for which allowed.Matches and !minus.Matches hold. The records
// include ones with nobody responsible (NULL in the tables) and leads in every stage of two
// pipelines, so NULL semantics and stage audiences are both exercised. Replay a failure with
// GATEHOUSE_SEED.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using domain::DataSet;
using domain::RecordRef;
using policy::Audience;
using policy::ListFilter;

std::uint64_t Seed() { return testing::SeedOr(20261126); }

Audience All() { return {Audience::Kind::kAll, {}}; }
Audience None() { return {Audience::Kind::kNone, {}}; }
Audience In(std::vector<UserId> users) {
  std::sort(users.begin(), users.end());
  return {Audience::Kind::kResponsibleIn, std::move(users)};
}

class PermissionDifferenceTest : public testing::StoreTest {
 protected:
  void Populate() override {
    rng_.seed(Seed());
    account_ = NewAccount("acme");
    NewPipeline(account_, "Second", {{0, "A", 20, 0}});
    for (int i = 0; i < 4; ++i)
      users_.push_back(NewUser(account_, "u" + std::to_string(i) + "@x.io"));
    stages_ = StagesOf(account_);
    // A second account's rows must never count.
    AccountId other = NewAccount("other");
    ASSERT_TRUE(
        store_->Write(other, [&](AccountWriter& w) { return w.Create(Contact{}).status(); }).ok());
    Status filled = store_->Write(account_, [&](AccountWriter& w) -> Status {
      for (int i = 0; i < 120; ++i) {
        const UserId owner = Owner();
        const domain::StageKey stage = stages_[Pick(stages_.size())];
        GH_ASSIGN_OR_RETURN(Lead lead, w.Create(Lead{.pipeline_id = stage.pipeline_id,
                                                     .status_id = stage.status_id,
                                                     .responsible_user_id = owner}));
        records_.push_back({DataSet::kLeads, owner, lead.pipeline_id, lead.status_id});
        const Contact c{.responsible_user_id = Owner()};
        GH_RETURN_IF_ERROR(w.Create(c).status());
        records_.push_back({DataSet::kContacts, c.responsible_user_id, 0, 0});
        const Task t{.entity_type = domain::DataSet::kLeads,
                     .entity_id = lead.id,
                     .text = "call",
                     .responsible_user_id = Owner()};
        GH_RETURN_IF_ERROR(w.Create(t).status());
        records_.push_back({DataSet::kTasks, t.responsible_user_id, 0, 0});
        if (i % 4 == 0) {
          const IncomingLead item{.uid = "in-" + std::to_string(i),
                                  .category = domain::IncomingCategory::kForms,
                                  .pipeline_id = stage.pipeline_id,
                                  .responsible_user_id = Owner()};
          GH_RETURN_IF_ERROR(w.Create(item).status());
          records_.push_back({DataSet::kIncomingLeads, item.responsible_user_id, 0, 0});
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(filled.ok()) << filled.ToString();
  }

  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  // A user, or nobody (0, stored as NULL) about one time in four.
  UserId Owner() { return Pick(4) == 0 ? 0 : users_[Pick(users_.size())]; }

  std::int64_t BruteForce(DataSet data_set, const ListFilter& allowed, const ListFilter& minus) {
    std::int64_t count = 0;
    for (RecordRef r : records_) {
      if (r.data_set != data_set) continue;
      // Only leads have stages; the filters' stage audiences do not apply to the others.
      if (data_set != DataSet::kLeads) r.pipeline_id = r.status_id = 0;
      if (allowed.Matches(r) && !minus.Matches(r)) ++count;
    }
    return count;
  }

  std::int64_t Sql(DataSet data_set, const ListFilter& allowed, const ListFilter& minus) {
    auto count = store_->Reader(account_).CountPermissionDifference(data_set, allowed, minus);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  Audience RandomAudience() {
    switch (Pick(4)) {
      case 0:
        return None();
      case 1:
        return All();
      default: {
        std::vector<UserId> users;
        for (UserId u : users_) {
          if (Pick(2) == 0) users.push_back(u);
        }
        if (users.empty()) users.push_back(users_[Pick(users_.size())]);
        return In(std::move(users));
      }
    }
  }

  ListFilter RandomFilter() {
    ListFilter f{.otherwise = RandomAudience()};
    for (const domain::StageKey& stage : stages_) {
      if (Pick(3) != 0) continue;
      Audience a = RandomAudience();
      if (a != f.otherwise) f.stages.push_back({stage, a});
    }
    std::sort(f.stages.begin(), f.stages.end(),
              [](const auto& x, const auto& y) { return x.stage < y.stage; });
    return f;
  }

  AccountId account_ = 0;
  std::vector<UserId> users_;
  std::vector<domain::StageKey> stages_;
  std::vector<RecordRef> records_;
  std::mt19937_64 rng_;
};

TEST_P(PermissionDifferenceTest, RecordsWithNobodyResponsibleAreNotDroppedByNot) {
  const ListFilter everything{All(), {}};
  const ListFilter mine{In({users_[0]}), {}};
  for (DataSet data_set : {DataSet::kLeads, DataSet::kContacts, DataSet::kTasks}) {
    std::int64_t nobody = 0, own = 0, others = 0;
    for (const RecordRef& r : records_) {
      if (r.data_set != data_set) continue;
      if (r.responsible_user_id == 0) ++nobody;
      if (r.responsible_user_id == users_[0]) ++own;
      if (r.responsible_user_id != users_[0]) ++others;
    }
    ASSERT_GT(nobody, 0);
    // A plain NOT (responsible_user_id = ?) would leave out the NULL rows.
    EXPECT_EQ(Sql(data_set, everything, mine), others) << domain::DataSetName(data_set);
    // And a "responsible in" audience never admits them.
    EXPECT_EQ(Sql(data_set, mine, ListFilter{}), own) << domain::DataSetName(data_set);
    EXPECT_EQ(Sql(data_set, mine, everything), 0);
  }
}

TEST_P(PermissionDifferenceTest, StageRules) {
  const domain::StageKey won = stages_.front();
  // Before: only own leads, but every lead of one stage. After: every lead but that stage.
  const ListFilter before{In({users_[1]}), {{won, All()}}};
  const ListFilter after{All(), {{won, None()}}};
  EXPECT_EQ(Sql(DataSet::kLeads, after, before), BruteForce(DataSet::kLeads, after, before));
  EXPECT_EQ(Sql(DataSet::kLeads, before, after), BruteForce(DataSet::kLeads, before, after));
  std::int64_t in_stage = 0;
  for (const RecordRef& r : records_) {
    if (r.data_set == DataSet::kLeads && r.pipeline_id == won.pipeline_id &&
        r.status_id == won.status_id) {
      ++in_stage;
    }
  }
  ASSERT_GT(in_stage, 0);
  // Everything lost is the stage (all its leads, own or not, with or without a responsible).
  EXPECT_EQ(Sql(DataSet::kLeads, before, after), in_stage);
  // Stage audiences never apply to other data sets.
  const ListFilter contacts_after{All(), {{won, None()}}};
  EXPECT_EQ(Sql(DataSet::kContacts, contacts_after, ListFilter{}),
            BruteForce(DataSet::kContacts, ListFilter{All(), {}}, ListFilter{}));
}

TEST_P(PermissionDifferenceTest, ShortcutsRunNoQuery) {
  const ListFilter everything{All(), {}};
  EXPECT_EQ(Sql(DataSet::kLeads, ListFilter{}, everything), 0);
  EXPECT_EQ(Sql(DataSet::kLeads, everything, everything), 0);
  std::int64_t leads = 0;
  for (const RecordRef& r : records_) leads += r.data_set == DataSet::kLeads ? 1 : 0;
  EXPECT_EQ(Sql(DataSet::kLeads, everything, ListFilter{}), leads);
}

TEST_P(PermissionDifferenceTest, RandomFiltersMatchBruteForce) {
  for (int round = 0; round < 60; ++round) {
    const DataSet data_set = domain::kAllDataSets[Pick(domain::kAllDataSets.size())];
    const ListFilter allowed = RandomFilter();
    const ListFilter minus = RandomFilter();
    ASSERT_EQ(Sql(data_set, allowed, minus), BruteForce(data_set, allowed, minus))
        << "seed " << Seed() << " round " << round << " data set " << domain::DataSetName(data_set);
  }
}

GH_INSTANTIATE_STORE_TEST(PermissionDifferenceTest);

}  // namespace
}  // namespace gatehouse::storage
