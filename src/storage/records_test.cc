// Permission-filtered lists, counts and exports against brute force: for random compiled
// filters and caller filters, the rows the SQL returns are exactly the rows
// policy::ListFilter::Matches (and AccountPolicy::Check) accept, in the requested order, on
// every engine. Replay a failure with GATEHOUSE_SEED.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "policy/account_policy.h"
#include "storage/sql_filter.h"
#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using policy::Audience;
using policy::ListFilter;
using testing::FilteredQuery;

std::uint64_t Seed() { return testing::SeedOr(20261125); }

class RecordsTest : public testing::StoreTest {
 protected:
  void Populate() override {
    rng_.seed(Seed());
    account_ = NewAccount("acme");
    GroupId g1 = 0, g2 = 0;
    ASSERT_TRUE(store_
                    ->Write(account_,
                            [&](AccountWriter& w) -> Status {
                              GH_ASSIGN_OR_RETURN(g1, w.CreateGroup("Sales"));
                              GH_ASSIGN_OR_RETURN(g2, w.CreateGroup("Support"));
                              return w
                                  .CreatePipeline("Second", 2, false,
                                                  {{0, "A", 20, 0}, {0, "B", 30, 0}})
                                  .status();
                            })
                    .ok());
    for (int i = 0; i < 6; ++i) {
      users_.push_back(NewUser(account_, "u" + std::to_string(i) + "@acme.io", i % 2 ? g1 : g2));
    }
    stages_ = StagesOf(account_);
    const char* names[] = {"Alpha deal", "beta DEAL", "Gamma", "delta 50%", "Epsilon_x"};
    Status filled = store_->Write(account_, [&](AccountWriter& w) -> Status {
      for (int i = 0; i < 240; ++i) {
        Lead l;
        domain::StageKey stage = stages_[Pick(stages_.size())];
        l.pipeline_id = stage.pipeline_id;
        l.status_id = stage.status_id;
        l.name = names[Pick(5)];
        l.price = static_cast<std::int64_t>(Pick(10)) * 100;
        std::size_t owner = Pick(users_.size() + 1);
        l.responsible_user_id = owner == users_.size() ? 0 : users_[owner];
        l.created_at = 1000 + static_cast<std::int64_t>(Pick(30));
        l.updated_at = 2000 + static_cast<std::int64_t>(Pick(30));
        GH_ASSIGN_OR_RETURN(Lead stored, w.Create(l));
        leads_.push_back(stored);
        GH_ASSIGN_OR_RETURN(Contact sc,
                            w.Create(Contact{.name = names[Pick(5)],
                                             .responsible_user_id = l.responsible_user_id,
                                             .created_at = l.created_at,
                                             .updated_at = l.updated_at}));
        contacts_.push_back(sc);
      }
      return Status::Ok();
    });
    ASSERT_TRUE(filled.ok()) << filled.ToString();
  }

  std::size_t Pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  Audience RandomAudience() {
    Audience a;
    switch (Pick(4)) {
      case 0:
        a.kind = Audience::Kind::kNone;
        break;
      case 1:
        a.kind = Audience::Kind::kAll;
        break;
      default: {
        a.kind = Audience::Kind::kResponsibleIn;
        for (UserId u : users_) {
          if (Pick(3) == 0) a.users.push_back(u);
        }
        if (a.users.empty()) a.users.push_back(users_[Pick(users_.size())]);
        if (Pick(4) == 0) a.users.push_back(999999);  // a stranger: matches nothing
        std::sort(a.users.begin(), a.users.end());
      }
    }
    return a;
  }

  ListFilter RandomFilter() {
    ListFilter f{.otherwise = RandomAudience()};
    for (const domain::StageKey& stage : stages_) {
      if (Pick(4) != 0) continue;
      Audience a = RandomAudience();
      if (a == f.otherwise) continue;
      f.stages.push_back({stage, a});
    }
    std::sort(f.stages.begin(), f.stages.end(),
              [](const auto& x, const auto& y) { return x.stage < y.stage; });
    return f;
  }

  template <typename R>
  static bool Before(const R& a, const R& b, const FilteredQuery& q) {
    std::int64_t va = a.id, vb = b.id;
    if (q.order_field == OrderField::kCreatedAt) va = a.created_at, vb = b.created_at;
    if (q.order_field == OrderField::kUpdatedAt) va = a.updated_at, vb = b.updated_at;
    if (q.order_direction == OrderDirection::kDesc) return va != vb ? va > vb : a.id > b.id;
    return va != vb ? va < vb : a.id < b.id;
  }

  // Every page by keyset, concatenated.
  std::vector<RecordId> ListAllLeads(FilteredQuery q) {
    std::vector<RecordId> ids;
    q.limit = 7;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = store_->Reader(account_).List<Lead>(q.permission, q);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      EXPECT_LE(page->items.size(), 7u);
      for (const Lead& l : page->items) ids.push_back(l.id);
      if (!page->next) break;
      q.after = page->next;
    }
    return ids;
  }

  std::vector<RecordId> Expected(const FilteredQuery& q,
                                 const std::function<bool(const Lead&)>& caller) {
    std::vector<Lead> rows;
    for (const Lead& l : leads_) {
      domain::RecordRef ref{domain::DataSet::kLeads, l.responsible_user_id, l.pipeline_id,
                            l.status_id};
      if (q.permission.Matches(ref) && caller(l)) rows.push_back(l);
    }
    std::sort(rows.begin(), rows.end(),
              [&](const Lead& a, const Lead& b) { return Before(a, b, q); });
    std::vector<RecordId> ids;
    for (const Lead& l : rows) ids.push_back(l.id);
    return ids;
  }

  // The statement and its parameters, for failure messages.
  std::string Describe(const FilteredQuery& q) {
    auto s = BuildCount(kLeadsTable, q.permission, q, account_);
    if (!s.ok()) return s.status().ToString();
    std::string out = s->sql + "\n  params:";
    for (const sql::Value& v : s->params) out += " " + std::to_string(sql::AsInt(v));
    return out;
  }

  // Whether `name` contains `text`, ASCII case folded (the text filters' reference).
  static bool ContainsFolded(std::string name, std::string text) {
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    return name.find(text) != std::string::npos;
  }

  void RandomOrder(FilteredQuery& q) {
    q.order_field = static_cast<OrderField>(Pick(3));
    q.order_direction = Pick(2) ? OrderDirection::kAsc : OrderDirection::kDesc;
  }

  std::mt19937_64 rng_;
  AccountId account_ = 0;
  std::vector<UserId> users_;
  std::vector<domain::StageKey> stages_;
  std::vector<Lead> leads_;
  std::vector<Contact> contacts_;
};

TEST_P(RecordsTest, RandomPermissionFiltersReturnExactlyTheMatchingRows) {
  for (int round = 0; round < 60; ++round) {
    FilteredQuery q;
    q.permission = RandomFilter();
    RandomOrder(q);
    auto expected = Expected(q, [](const Lead&) { return true; });
    EXPECT_EQ(ListAllLeads(q), expected) << "seed " << Seed() << " round " << round << "\n"
                                         << Describe(q);
    EXPECT_EQ(*store_->Reader(account_).Count<Lead>(q.permission, q),
              static_cast<std::int64_t>(expected.size()));
  }
}

TEST_P(RecordsTest, EveryLevelOnContactsIgnoresStages) {
  for (int round = 0; round < 20; ++round) {
    FilteredQuery q;
    q.permission = RandomFilter();
    q.limit = 250;
    std::int64_t expected = 0;
    for (const Contact& c : contacts_) {
      expected += q.permission.Matches({domain::DataSet::kContacts, c.responsible_user_id, 0, 0});
    }
    EXPECT_EQ(*store_->Reader(account_).Count<Contact>(q.permission, q), expected)
        << "round " << round;
    EXPECT_EQ(static_cast<std::int64_t>(
                  store_->Reader(account_).List<Contact>(q.permission, q)->items.size()),
              expected);
  }
}

TEST_P(RecordsTest, CompiledPolicyAgreesWithCheck) {
  // Give users rights at every level, with stage overrides, and compare end to end.
  auto pipelines = *store_->Reader(account_).ListPipelines();
  const domain::Level levels[] = {domain::Level::kDenied, domain::Level::kIfResponsible,
                                  domain::Level::kTeamWide, domain::Level::kAllowed};
  ASSERT_TRUE(
      store_
          ->Write(account_,
                  [&](AccountWriter& w) -> Status {
                    for (std::size_t i = 0; i < users_.size(); ++i) {
                      GH_ASSIGN_OR_RETURN(UserRow row, w.GetUser(users_[i]));
                      domain::Rights& r = row.user.rights;
                      r.Set(domain::DataSet::kLeads, domain::Action::kView, levels[i % 4]);
                      r.Set(domain::DataSet::kLeads, domain::Action::kEdit,
                            levels[(i + 1) % 4 < i % 4 ? (i + 1) % 4 : i % 4]);
                      domain::StageRights s{.stage = {pipelines[0].id, domain::kWonStatusId}};
                      s.Set(domain::Action::kView, levels[(i + 2) % 4]);
                      r.stage_rights = {s};
                      row.user.is_admin = i == 5;
                      GH_RETURN_IF_ERROR(w.UpdateUser(row));
                    }
                    return Status::Ok();
                  })
          .ok());
  auto model = store_->Reader(account_).LoadAccountModel();
  ASSERT_TRUE(model.ok());
  auto engine = policy::AccountPolicy::Build(*model);
  for (UserId user : users_) {
    for (domain::Action action : {domain::Action::kView, domain::Action::kEdit}) {
      FilteredQuery q;
      q.permission = engine->CompileFilter(user, domain::DataSet::kLeads, action);
      std::vector<RecordId> expected;
      for (const Lead& l : leads_) {
        domain::RecordRef ref{domain::DataSet::kLeads, l.responsible_user_id, l.pipeline_id,
                              l.status_id};
        if (engine->Check(user, action, ref).allowed) expected.push_back(l.id);
      }
      EXPECT_EQ(ListAllLeads(q), expected) << "user " << user;
    }
  }
}

TEST_P(RecordsTest, CallerFiltersCombineWithPermission) {
  for (int round = 0; round < 60; ++round) {
    FilteredQuery q;
    q.permission = Pick(2) ? RandomFilter() : ListFilter{Audience{Audience::Kind::kAll, {}}, {}};
    RandomOrder(q);
    std::vector<std::function<bool(const Lead&)>> checks;
    if (Pick(3) == 0) {
      q.pipeline_ids = {stages_[Pick(stages_.size())].pipeline_id};
      auto ids = q.pipeline_ids;
      checks.push_back([ids](const Lead& l) { return l.pipeline_id == ids[0]; });
    }
    if (Pick(3) == 0) {
      q.stages = {stages_[Pick(stages_.size())], stages_[Pick(stages_.size())]};
      auto stages = q.stages;
      checks.push_back([stages](const Lead& l) {
        return std::find(stages.begin(), stages.end(),
                         domain::StageKey{l.pipeline_id, l.status_id}) != stages.end();
      });
    }
    if (Pick(3) == 0) {
      q.responsible_user_ids = {users_[Pick(users_.size())]};
      if (Pick(2)) q.responsible_user_ids.push_back(0);
      auto ids = q.responsible_user_ids;
      checks.push_back([ids](const Lead& l) {
        return std::find(ids.begin(), ids.end(), l.responsible_user_id) != ids.end();
      });
    }
    if (Pick(3) == 0) {
      q.created_at = {1005, 1020};
      checks.push_back([](const Lead& l) { return l.created_at >= 1005 && l.created_at <= 1020; });
    }
    if (Pick(3) == 0) {
      q.updated_at.from = 2010;
      checks.push_back([](const Lead& l) { return l.updated_at >= 2010; });
    }
    if (Pick(3) == 0) {
      q.price = {200, 500};
      checks.push_back([](const Lead& l) { return l.price >= 200 && l.price <= 500; });
    }
    if (Pick(3) == 0) {
      const char* texts[] = {"DEAL", "ta 5", "50%", "_x", "lph"};
      q.text = texts[Pick(5)];
      checks.push_back([text = q.text](const Lead& l) { return ContainsFolded(l.name, text); });
    }
    if (Pick(3) == 0) {
      const char* names[] = {"DEAL", "ta 5", "50%", "_x", "lph", "gAm", "nothing"};
      for (std::size_t n = 1 + Pick(3); n > 0; --n) q.names.push_back(names[Pick(7)]);
      checks.push_back([names = q.names](const Lead& l) {
        return std::any_of(names.begin(), names.end(),
                           [&](const std::string& n) { return ContainsFolded(l.name, n); });
      });
    }
    if (Pick(4) == 0) {
      for (int i = 0; i < 20; ++i) q.ids.push_back(leads_[Pick(leads_.size())].id);
      auto ids = q.ids;
      checks.push_back(
          [ids](const Lead& l) { return std::find(ids.begin(), ids.end(), l.id) != ids.end(); });
    }
    auto expected = Expected(q, [&](const Lead& l) {
      return std::all_of(checks.begin(), checks.end(), [&](const auto& c) { return c(l); });
    });
    EXPECT_EQ(ListAllLeads(q), expected) << "seed " << Seed() << " round " << round;
    EXPECT_EQ(*store_->Reader(account_).Count<Lead>(q.permission, q),
              static_cast<std::int64_t>(expected.size()));
  }
}

// filter[name] with several values: a lead whose name contains any of them, each matched as a
// single value is (and as the text query is), inside the permission filter, in lists by keyset
// and by offset, in counts (never answered from the totals) and in exports.
TEST_P(RecordsTest, NamesMatchAnyValueInsideThePermission) {
  FilteredQuery q;
  std::vector<UserId> two = {users_[0], users_[1]};
  std::sort(two.begin(), two.end());
  q.permission = ListFilter{Audience{Audience::Kind::kResponsibleIn, two}, {}};
  auto by_names = [&](std::vector<std::string> names) {
    FilteredQuery named = q;
    named.names = std::move(names);
    return named;
  };
  auto expected_for = [&](const std::vector<std::string>& names) {
    return Expected(q, [&](const Lead& l) {
      return std::any_of(names.begin(), names.end(),
                         [&](const std::string& n) { return ContainsFolded(l.name, n); });
    });
  };
  // One value: what the text query answers.
  FilteredQuery text = q;
  text.text = "deal";
  EXPECT_EQ(ListAllLeads(by_names({"deal"})), ListAllLeads(text));
  EXPECT_EQ(ListAllLeads(by_names({"deal"})), expected_for({"deal"}));
  // Wildcards match themselves: "%" only "delta 50%", "_" only "Epsilon_x".
  EXPECT_EQ(ListAllLeads(by_names({"%", "_"})), expected_for({"%", "_"}));
  const std::vector<std::string> names = {"DEAL", "gamma", "no such name"};
  const std::vector<RecordId> expected = expected_for(names);
  ASSERT_FALSE(expected.empty());
  ASSERT_LT(expected.size(), Expected(q, [](const Lead&) { return true; }).size());
  EXPECT_EQ(ListAllLeads(by_names(names)), expected);
  FilteredQuery paged = by_names(names);
  paged.limit = 250;
  auto page = store_->Reader(account_).List<Lead>(paged.permission, paged);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->items.size(), expected.size());
  EXPECT_EQ(*store_->Reader(account_).Count<Lead>(paged.permission, paged),
            static_cast<std::int64_t>(expected.size()));
  std::vector<RecordId> exported;
  ASSERT_TRUE(store_->Reader(account_)
                  .Export<Lead>(
                      paged.permission, paged,
                      [&](std::span<const Lead> batch) {
                        for (const Lead& l : batch) exported.push_back(l.id);
                        return Status::Ok();
                      },
                      10)
                  .ok());
  EXPECT_EQ(exported, expected);
  // An empty name would match every record: refused, never run.
  auto empty = store_->Reader(account_).List<Lead>(q.permission, by_names({"deal", ""}));
  EXPECT_EQ(empty.status().code(), base::Code::kInvalidArgument);
}

TEST_P(RecordsTest, OffsetPagesMatchKeysetPages) {
  FilteredQuery q;
  q.permission.otherwise.kind = Audience::Kind::kAll;
  q.order_field = OrderField::kUpdatedAt;  // many ties: the id tie-break decides
  q.order_direction = OrderDirection::kDesc;
  std::vector<RecordId> keyset = ListAllLeads(q);
  std::vector<RecordId> offset;
  q.limit = 25;
  for (q.page = 1;; ++q.page) {
    auto page = store_->Reader(account_).List<Lead>(q.permission, q);
    ASSERT_TRUE(page.ok());
    for (const Lead& l : page->items) offset.push_back(l.id);
    if (!page->next) break;
  }
  EXPECT_EQ(offset, keyset);
  EXPECT_EQ(keyset.size(), leads_.size());
  q.limit = 1000;  // clamped to 250
  q.page = 1;
  EXPECT_EQ(store_->Reader(account_).List<Lead>(q.permission, q)->items.size(), 240u);
}

TEST_P(RecordsTest, ExportVisitsEveryRowInOrderInBatches) {
  FilteredQuery q;
  q.permission = RandomFilter();
  q.order_field = OrderField::kCreatedAt;
  auto expected = Expected(q, [](const Lead&) { return true; });
  std::vector<RecordId> seen;
  int batches = 0;
  ASSERT_TRUE(store_->Reader(account_)
                  .Export<Lead>(
                      q.permission, q,
                      [&](std::span<const Lead> batch) {
                        ++batches;
                        EXPECT_LE(batch.size(), 10u);
                        for (const Lead& l : batch) seen.push_back(l.id);
                        return Status::Ok();
                      },
                      10)
                  .ok());
  EXPECT_EQ(seen, expected);
  EXPECT_GE(batches, static_cast<int>(expected.size() / 10));
  // A visitor error stops the export and is returned.
  FilteredQuery all;
  all.permission.otherwise.kind = Audience::Kind::kAll;
  Status stop = store_->Reader(account_).Export<Lead>(
      all.permission, all,
      [](std::span<const Lead>) { return Status::Error(base::Code::kResourceExhausted, "stop"); },
      5);
  EXPECT_EQ(stop.code(), base::Code::kResourceExhausted);
}

TEST_P(RecordsTest, NoneRunsNoQueryAndReturnsNothing) {
  FilteredQuery q;  // default permission: kNone
  auto page = store_->Reader(account_).List<Lead>(q.permission, q);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->next);
  EXPECT_EQ(*store_->Reader(account_).Count<Lead>(q.permission, q), 0);
}

GH_INSTANTIATE_STORE_TEST(RecordsTest);

}  // namespace
}  // namespace gatehouse::storage
