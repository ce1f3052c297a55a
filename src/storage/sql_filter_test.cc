#include "storage/sql_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "storage/store_test_util.h"

namespace gatehouse::storage {
namespace {

using policy::Audience;
using policy::ListFilter;
using sql::Value;
using testing::FilteredQuery;

Audience Users(std::vector<domain::UserId> users) {
  return Audience{Audience::Kind::kResponsibleIn, std::move(users)};
}
Audience All() { return Audience{Audience::Kind::kAll, {}}; }
Audience None() { return Audience{Audience::Kind::kNone, {}}; }

TEST(PermissionConditionTest, AllHasNoPredicate) {
  SqlCondition c = PermissionCondition(ListFilter{All(), {}}, true);
  EXPECT_FALSE(c.matches_nothing);
  EXPECT_EQ(c.sql, "");
  EXPECT_TRUE(c.params.empty());
}

TEST(PermissionConditionTest, NoneMatchesNothing) {
  EXPECT_TRUE(PermissionCondition(ListFilter{None(), {}}, true).matches_nothing);
  // Stages that are all None under a None default still match nothing.
  ListFilter filter{None(), {{{1, 142}, None()}}};
  EXPECT_TRUE(PermissionCondition(filter, true).matches_nothing);
}

TEST(PermissionConditionTest, IfResponsibleIsOneEquality) {
  SqlCondition c = PermissionCondition(ListFilter{Users({7}), {}}, true);
  EXPECT_EQ(c.sql, "responsible_user_id = ?");
  EXPECT_EQ(c.params, std::vector<Value>({std::int64_t{7}}));
}

TEST(PermissionConditionTest, TeamWideIsInList) {
  SqlCondition c = PermissionCondition(ListFilter{Users({3, 4, 9}), {}}, true);
  EXPECT_EQ(c.sql, "responsible_user_id IN (?, ?, ?)");
  EXPECT_EQ(c.params.size(), 3u);
}

TEST(PermissionConditionTest, StageAudiencesArePlainOrTerms) {
  ListFilter filter{
      Users({5}),
      {{{10, 142}, All()}, {{10, 143}, All()}, {{11, 2001}, None()}, {{12, 3001}, Users({5, 6})}}};
  SqlCondition c = PermissionCondition(filter, true);
  EXPECT_EQ(c.sql,
            "((NOT ((pipeline_id = ? AND status_id IN (?, ?)) OR (pipeline_id = ? AND status_id = "
            "?) OR (pipeline_id = ? AND status_id = ?)) AND responsible_user_id = ?) OR "
            "(((pipeline_id = ? AND status_id IN (?, ?)))) OR (((pipeline_id = ? AND status_id = "
            "?)) AND responsible_user_id IN (?, ?)))");
  EXPECT_EQ(c.params.size(), 7u + 1u + 3u + 4u);
  EXPECT_EQ(c.sql.find("CASE"), std::string::npos);
}

TEST(PermissionConditionTest, StagesIgnoredForTablesWithoutThem) {
  ListFilter filter{Users({5}), {{{10, 142}, All()}}};
  EXPECT_EQ(PermissionCondition(filter, false).sql, "responsible_user_id = ?");
}

FilteredQuery Query() {
  FilteredQuery q;
  q.permission = ListFilter{All(), {}};
  return q;
}

TEST(BuildSelectTest, AccountIsAlwaysTheFirstBoundValue) {
  const FilteredQuery q = Query();
  auto s = BuildSelect(kLeadsTable, "id", q.permission, q, 77, 51, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql, "SELECT id FROM leads WHERE account_id = ? ORDER BY id ASC LIMIT ?");
  EXPECT_EQ(s->params, std::vector<Value>({std::int64_t{77}, std::int64_t{51}}));
}

TEST(BuildSelectTest, ValuesNeverReachTheText) {
  FilteredQuery q = Query();
  q.text = "O'Brien%_\\'; DROP TABLE leads; --";
  q.ids = {123456789};
  q.price.from = 987654;
  auto s = BuildSelect(kLeadsTable, "id", q.permission, q, 1, 10, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql.find("O'Brien"), std::string::npos);
  EXPECT_EQ(s->sql.find("DROP"), std::string::npos);
  EXPECT_EQ(s->sql.find("123456789"), std::string::npos);
  EXPECT_EQ(s->sql.find("987654"), std::string::npos);
  // LIKE wildcards in the text are escaped so they match literally.
  bool found = false;
  for (const Value& v : s->params) {
    if (const auto* text = std::get_if<std::string>(&v)) {
      EXPECT_EQ(*text, "%O'Brien\\%\\_\\\\'; DROP TABLE leads; --%");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// One name is the text query's term; several are one OR group, ANDed with the other filters.
TEST(BuildSelectTest, NamesAreOneOrGroupOfEscapedPatterns) {
  FilteredQuery q = Query();
  q.names = {"Acme"};
  FilteredQuery text = Query();
  text.text = "Acme";
  auto one = BuildSelect(kContactsTable, "id", q.permission, q, 1, 10, 0);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->sql, BuildSelect(kContactsTable, "id", text.permission, text, 1, 10, 0)->sql);
  q.names = {"Acme", "50%", "O'Brien"};
  q.ids = {7};
  auto several = BuildSelect(kContactsTable, "id", q.permission, q, 1, 10, 0);
  ASSERT_TRUE(several.ok());
  const std::string like = "lower(name) LIKE lower(?) ESCAPE '\\'";
  EXPECT_EQ(several->sql, "SELECT id FROM contacts WHERE account_id = ? AND id = ? AND (" + like +
                              " OR " + like + " OR " + like + ") ORDER BY id ASC LIMIT ?");
  EXPECT_EQ(several->params, std::vector<Value>({std::int64_t{1}, std::int64_t{7},
                                                 std::string("%Acme%"), std::string("%50\\%%"),
                                                 std::string("%O'Brien%"), std::int64_t{10}}));
}

TEST(BuildSelectTest, KeysetDescendingOnUpdatedAt) {
  FilteredQuery q = Query();
  q.order_field = OrderField::kUpdatedAt;
  q.order_direction = OrderDirection::kDesc;
  q.after = Cursor{1000, 42};
  q.page = 3;  // ignored with a cursor
  auto s = BuildSelect(kContactsTable, "id", q.permission, q, 1, 10, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT id FROM contacts WHERE account_id = ? AND updated_at <= ? AND (updated_at < ? "
            "OR (updated_at = ? AND id < ?)) ORDER BY updated_at DESC, id DESC LIMIT ?");
  EXPECT_EQ(s->params,
            std::vector<Value>({std::int64_t{1}, std::int64_t{1000}, std::int64_t{1000},
                                std::int64_t{1000}, std::int64_t{42}, std::int64_t{10}}));
}

TEST(BuildSelectTest, OffsetPaging) {
  const FilteredQuery q = Query();
  auto s = BuildSelect(kTasksTable, "id", q.permission, q, 1, 10, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->sql.find("LIMIT ? OFFSET ?"), std::string::npos);
  EXPECT_EQ(std::get<std::int64_t>(s->params.back()), 20);
}

TEST(BuildSelectTest, FiltersATableCannotHaveAreRefused) {
  struct Case {
    const char* field;
    void (*set)(ListQuery&);
  };
  const Case cases[] = {
      {"filter.pipeline_id", [](ListQuery& q) { q.pipeline_ids = {1}; }},
      {"filter.statuses",
       [](ListQuery& q) {
         q.stages = {{1, 142}};
       }},
      {"filter.price", [](ListQuery& q) { q.price.to = 5; }},
      {"filter.closed_at", [](ListQuery& q) { q.closed_at.from = 5; }},
      {"filter.is_completed", [](ListQuery& q) { q.is_completed = true; }},
      {"filter.entity_type", [](ListQuery& q) { q.entity_type = domain::DataSet::kLeads; }},
  };
  for (const Case& c : cases) {
    FilteredQuery q = Query();
    c.set(q);
    auto s = BuildSelect(kContactsTable, "id", q.permission, q, 1, 10, 0);
    ASSERT_FALSE(s.ok()) << c.field;
    EXPECT_EQ(s.status().code(), base::Code::kInvalidArgument);
    ASSERT_EQ(s.status().fields().size(), 1u);
    EXPECT_EQ(s.status().fields()[0].path, c.field);
  }
}

TEST(BuildSelectTest, ResponsibleZeroMeansNobody) {
  FilteredQuery q = Query();
  q.responsible_user_ids = {0, 4};
  auto s = BuildCount(kLeadsTable, q.permission, q, 1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT COUNT(*) FROM leads WHERE account_id = ? AND (responsible_user_id = ? OR "
            "responsible_user_id IS NULL)");
}

TEST(BuildSelectTest, NoneSkipsTheQuery) {
  FilteredQuery q = Query();
  q.permission = ListFilter{None(), {}};
  auto s = BuildSelect(kLeadsTable, "id", q.permission, q, 1, 10, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->matches_nothing);
  EXPECT_TRUE(s->sql.empty());
}

TEST(PermissionBranchesTest, TrivialFilters) {
  EXPECT_TRUE(PermissionBranches(ListFilter{None(), {}}, true).empty());
  std::vector<SqlCondition> all = PermissionBranches(ListFilter{All(), {}}, true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].sql, "");
  std::vector<SqlCondition> mine = PermissionBranches(ListFilter{Users({7}), {}}, true);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].sql, "responsible_user_id = ?");
}

TEST(PermissionBranchesTest, TeamIsOneBranchPerUser) {
  std::vector<SqlCondition> b = PermissionBranches(ListFilter{Users({3, 4, 9}), {}}, true);
  ASSERT_EQ(b.size(), 3u);
  for (std::size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(b[i].sql, "responsible_user_id = ?");
    EXPECT_EQ(b[i].params, std::vector<Value>({std::int64_t{std::vector<int>{3, 4, 9}[i]}}));
  }
  // Stage audiences do not apply to tables without stages.
  EXPECT_EQ(PermissionBranches(ListFilter{Users({3, 4}), {{{10, 142}, All()}}}, false).size(), 2u);
}

TEST(PermissionBranchesTest, StagesSplitIntoDisjointIndexShapes) {
  // Team {5, 6} by default; stage 10/142 open to all, 11/2001 hidden, 12/3001 for {5, 7}.
  ListFilter filter{Users({5, 6}),
                    {{{10, 142}, All()}, {{11, 2001}, None()}, {{12, 3001}, Users({5, 7})}}};
  std::vector<SqlCondition> b = PermissionBranches(filter, true);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].sql, "(pipeline_id = ? AND status_id = ?)");
  EXPECT_EQ(b[0].params, std::vector<Value>({std::int64_t{10}, std::int64_t{142}}));
  // 5 sees its rows everywhere but on the kAll stage (branch 0 has them) and the hidden one.
  EXPECT_EQ(b[1].sql,
            "responsible_user_id = ? AND NOT ((pipeline_id = ? AND status_id = ?) OR "
            "(pipeline_id = ? AND status_id = ?))");
  EXPECT_EQ(b[1].params, std::vector<Value>({std::int64_t{5}, std::int64_t{10}, std::int64_t{142},
                                             std::int64_t{11}, std::int64_t{2001}}));
  // 6 is not named on 12/3001 either.
  EXPECT_EQ(b[2].sql,
            "responsible_user_id = ? AND NOT ((pipeline_id = ? AND status_id = ?) OR "
            "(pipeline_id = ? AND status_id = ?) OR (pipeline_id = ? AND status_id = ?))");
  // 7 is outside the team: only the stage that names it.
  EXPECT_EQ(b[3].sql, "responsible_user_id = ? AND ((pipeline_id = ? AND status_id = ?))");
  EXPECT_EQ(b[3].params,
            std::vector<Value>({std::int64_t{7}, std::int64_t{12}, std::int64_t{3001}}));
}

TEST(PermissionBranchesTest, AllByDefaultKeepsTheUnlistedStagesInOneBranch) {
  ListFilter filter{All(), {{{10, 142}, Users({5})}, {{10, 143}, None()}}};
  std::vector<SqlCondition> b = PermissionBranches(filter, true);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].sql, "NOT ((pipeline_id = ? AND status_id IN (?, ?)))");
  EXPECT_EQ(b[1].sql, "responsible_user_id = ? AND ((pipeline_id = ? AND status_id = ?))");
}

FilteredQuery TeamByUpdatedAt(std::vector<domain::UserId> team) {
  FilteredQuery q;
  q.permission = ListFilter{Users(std::move(team)), {}};
  q.order_field = OrderField::kUpdatedAt;
  q.order_direction = OrderDirection::kDesc;
  return q;
}

TEST(BuildSelectTest, TeamPageMergesOneIndexOrderedBranchPerUser) {
  const FilteredQuery q = TeamByUpdatedAt({3, 4});
  auto s = BuildSelect(kLeadsTable, "id, name", q.permission, q, 77, 11, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT id, name FROM (SELECT k_value, k_id FROM ("
            "SELECT * FROM (SELECT updated_at AS k_value, id AS k_id FROM leads WHERE account_id = "
            "? AND responsible_user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?) AS b1 "
            "UNION ALL "
            "SELECT * FROM (SELECT updated_at AS k_value, id AS k_id FROM leads WHERE account_id = "
            "? AND responsible_user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?) AS b2"
            ") AS u ORDER BY k_value DESC, k_id DESC LIMIT ? OFFSET ?) AS p "
            "JOIN leads ON leads.id = p.k_id ORDER BY p.k_value DESC, p.k_id DESC");
  EXPECT_TRUE(s->value_independent_plan);
  // Each branch yields offset + limit keys; the merge skips `offset` of them.
  EXPECT_EQ(s->params, std::vector<Value>({std::int64_t{77}, std::int64_t{3}, std::int64_t{31},
                                           std::int64_t{77}, std::int64_t{4}, std::int64_t{31},
                                           std::int64_t{11}, std::int64_t{20}}));
}

TEST(BuildSelectTest, KeysetContinuesEveryBranchAtTheCursor) {
  FilteredQuery q = TeamByUpdatedAt({3, 4});
  q.order_direction = OrderDirection::kAsc;
  q.after = Cursor{1000, 42};
  q.page = 3;  // ignored with a cursor
  q.price.from = 5;
  auto s = BuildSelect(kLeadsTable, "id", q.permission, q, 77, 11, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->value_independent_plan);  // a caller filter: plans may depend on its values
  const std::string branch =
      "SELECT updated_at AS k_value, id AS k_id FROM leads WHERE account_id = ? AND "
      "responsible_user_id = ? AND price >= ? AND updated_at >= ? AND (updated_at > ? OR "
      "(updated_at = ? AND id > ?)) ORDER BY updated_at ASC, id ASC LIMIT ?";
  EXPECT_EQ(s->sql, "SELECT id FROM (SELECT k_value, k_id FROM (SELECT * FROM (" + branch +
                        ") AS b1 UNION ALL SELECT * FROM (" + branch +
                        ") AS b2) AS u ORDER BY k_value ASC, k_id ASC LIMIT ?) AS p JOIN leads ON "
                        "leads.id = p.k_id ORDER BY p.k_value ASC, p.k_id ASC");
  const std::vector<Value> branch_params = {
      std::int64_t{77},   std::int64_t{0},    std::int64_t{5},  std::int64_t{1000},
      std::int64_t{1000}, std::int64_t{1000}, std::int64_t{42}, std::int64_t{11}};
  std::vector<Value> expected;
  for (domain::UserId user : {3, 4}) {
    expected.insert(expected.end(), branch_params.begin(), branch_params.end());
    expected[expected.size() - branch_params.size() + 1] = std::int64_t{user};
  }
  expected.emplace_back(std::int64_t{11});
  EXPECT_EQ(s->params, expected);
}

TEST(BuildSelectTest, PlainShapeWhereNoIndexOrdersTheBranches) {
  auto plain = [](const FilteredQuery& q) {
    auto s = BuildSelect(kLeadsTable, "id", q.permission, q, 1, 10, 0);
    EXPECT_TRUE(s.ok());
    return s.ok() && s->sql.find("UNION ALL") == std::string::npos;
  };
  FilteredQuery q = TeamByUpdatedAt({3, 4});
  q.order_field = OrderField::kCreatedAt;
  EXPECT_TRUE(plain(q));
  q = TeamByUpdatedAt({3, 4});
  q.ids = {8, 9};  // a few ids: their rows are cheaper to read directly
  EXPECT_TRUE(plain(q));
  std::vector<domain::UserId> many;
  for (std::size_t i = 1; i <= kMaxMergedBranches + 1; ++i) many.push_back(i);
  EXPECT_TRUE(plain(TeamByUpdatedAt(many)));
  many.pop_back();
  EXPECT_FALSE(plain(TeamByUpdatedAt(many)));
  EXPECT_TRUE(plain(TeamByUpdatedAt({3})));
}

TEST(BuildCountTest, StageBranchCountsAddUp) {
  FilteredQuery q = TeamByUpdatedAt({3, 4});
  q.order_field = OrderField::kId;  // counts split whatever the order
  auto team = BuildCount(kLeadsTable, q.permission, q, 77);
  ASSERT_TRUE(team.ok());
  EXPECT_EQ(team->sql,
            "SELECT COUNT(*) FROM leads WHERE account_id = ? AND responsible_user_id IN (?, ?)");
  q.permission.stages = {{{10, 142}, All()}};
  auto s = BuildCount(kLeadsTable, q.permission, q, 77);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT (SELECT COUNT(*) FROM leads WHERE account_id = ? AND (pipeline_id = ? AND "
            "status_id = ?)) + (SELECT COUNT(*) FROM leads WHERE account_id = ? AND "
            "responsible_user_id = ? AND NOT ((pipeline_id = ? AND status_id = ?))) + (SELECT "
            "COUNT(*) FROM leads WHERE account_id = ? AND responsible_user_id = ? AND NOT "
            "((pipeline_id = ? AND status_id = ?)))");
  EXPECT_EQ(s->params.size(), 3u + 4u + 4u);
}

// The merged shape run on both engines: offset pages, keyset pages and counts equal brute force
// over rows with many updated_at ties, next to another account's rows.
class MergedShapeTest : public testing::StoreTest {
 protected:
  void Populate() override {
    account_ = NewAccount("merge");
    other_ = NewAccount("other");
    for (int i = 0; i < 4; ++i)
      users_.push_back(NewUser(account_, "m" + std::to_string(i) + "@x.io"));
    UserId stranger = NewUser(other_, "s@x.io");
    stages_ = StagesOf(account_);
    ASSERT_FALSE(stages_.empty());
    std::mt19937_64 rng(7);
    auto pick = [&rng](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    for (AccountId account : {account_, other_}) {
      Status filled = store_->Write(account, [&](AccountWriter& w) -> Status {
        std::vector<domain::StageKey> stages = stages_;
        if (account == other_) {
          GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> own, w.ListPipelines());
          stages = {{own[0].id, own[0].stages[1].id}};
        }
        for (int i = 0; i < 120; ++i) {
          Lead l;
          domain::StageKey stage = stages[pick(stages.size())];
          l.pipeline_id = stage.pipeline_id;
          l.status_id = stage.status_id;
          std::size_t owner = pick(users_.size() + 1);
          l.responsible_user_id = account == other_        ? stranger
                                  : owner == users_.size() ? 0
                                                           : users_[owner];
          l.price = static_cast<std::int64_t>(pick(4));
          l.created_at = 1000;
          l.updated_at = 2000 + static_cast<std::int64_t>(pick(12));  // many ties
          GH_ASSIGN_OR_RETURN(Lead stored, w.Create(l));
          if (account == account_) leads_.push_back(stored);
        }
        return Status::Ok();
      });
      ASSERT_TRUE(filled.ok()) << filled.ToString();
    }
  }

  std::vector<RecordId> Expected(const FilteredQuery& q) const {
    std::vector<Lead> rows;
    for (const Lead& l : leads_) {
      domain::RecordRef ref{domain::DataSet::kLeads, l.responsible_user_id, l.pipeline_id,
                            l.status_id};
      if (q.permission.Matches(ref) && (!q.price.from || l.price >= *q.price.from)) {
        rows.push_back(l);
      }
    }
    const bool desc = q.order_direction == OrderDirection::kDesc;
    std::sort(rows.begin(), rows.end(), [desc](const Lead& a, const Lead& b) {
      if (a.updated_at != b.updated_at)
        return desc ? a.updated_at > b.updated_at : a.updated_at < b.updated_at;
      return desc ? a.id > b.id : a.id < b.id;
    });
    std::vector<RecordId> ids;
    for (const Lead& l : rows) ids.push_back(l.id);
    return ids;
  }

  // Pages of 7, by offset (keyset = false) or by cursor, concatenated.
  std::vector<RecordId> AllPages(FilteredQuery q, bool keyset) {
    std::vector<RecordId> ids;
    q.limit = 7;
    for (int page = 1; page < 100; ++page) {
      q.page = page;
      auto result = store_->Reader(account_).List<Lead>(q.permission, q);
      EXPECT_TRUE(result.ok()) << result.status().ToString();
      if (!result.ok()) break;
      for (const Lead& l : result->items) ids.push_back(l.id);
      if (!result->next) break;
      if (keyset) q.after = result->next;
    }
    return ids;
  }

  AccountId account_ = 0;
  AccountId other_ = 0;
  std::vector<UserId> users_;
  std::vector<domain::StageKey> stages_;
  std::vector<Lead> leads_;
};

TEST_P(MergedShapeTest, PagesAndCountsEqualBruteForce) {
  ASSERT_GE(stages_.size(), 4u);
  const std::vector<ListFilter> filters = {
      {Users({users_[0], users_[2], users_[3]}), {}},
      {Users({users_[0], users_[1]}),
       {{stages_[0], All()}, {stages_[1], None()}, {stages_[2], Users({users_[1], users_[3]})}}},
      {All(), {{stages_[1], Users({users_[2]})}, {stages_[3], None()}}},
      {None(), {{stages_[0], All()}, {stages_[2], All()}, {stages_[3], Users({users_[0]})}}},
  };
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (OrderDirection direction : {OrderDirection::kDesc, OrderDirection::kAsc}) {
      for (bool priced : {false, true}) {
        FilteredQuery q;
        q.permission = filters[f];
        q.order_field = OrderField::kUpdatedAt;
        q.order_direction = direction;
        if (priced) q.price.from = 2;
        auto statement = BuildSelect(kLeadsTable, "id", q.permission, q, account_, 8, 0);
        ASSERT_TRUE(statement.ok());
        ASSERT_NE(statement->sql.find("UNION ALL"), std::string::npos) << "filter " << f;
        const std::vector<RecordId> expected = Expected(q);
        ASSERT_GT(expected.size(), 7u) << "filter " << f;
        EXPECT_EQ(AllPages(q, false), expected) << "offset pages, filter " << f;
        EXPECT_EQ(AllPages(q, true), expected) << "keyset pages, filter " << f;
        EXPECT_EQ(*store_->Reader(account_).Count<Lead>(q.permission, q),
                  static_cast<std::int64_t>(expected.size()))
            << "filter " << f;
      }
    }
  }
}

// On PostgreSQL a merged page runs with a generic plan; the session gets its setting back.
TEST_P(MergedShapeTest, SessionPlanSettingIsRestored) {
  auto store = Store::Open(url_, 1);
  ASSERT_TRUE(store.ok());
  FilteredQuery q;
  q.permission = ListFilter{Users({users_[0], users_[1]}), {}};
  q.order_field = OrderField::kUpdatedAt;
  for (int run = 0; run < 3; ++run)
    ASSERT_TRUE((*store)->Reader(account_).List<Lead>(q.permission, q).ok());
  if ((*store)->dialect() != sql::Dialect::kPostgres) return;
  sql::PooledConnection c = (*store)->pool().Acquire();
  auto mode = c->Query("SELECT current_setting('plan_cache_mode')");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(sql::AsText(mode->rows.at(0).at(0)), "auto");
}

GH_INSTANTIATE_STORE_TEST(MergedShapeTest);

}  // namespace
}  // namespace gatehouse::storage
