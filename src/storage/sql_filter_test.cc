#include "storage/sql_filter.h"

#include <gtest/gtest.h>

namespace gatehouse::storage {
namespace {

using policy::Audience;
using policy::ListFilter;
using sql::Value;

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

ListQuery Query() {
  ListQuery q;
  q.permission = ListFilter{All(), {}};
  return q;
}

TEST(BuildSelectTest, AccountIsAlwaysTheFirstBoundValue) {
  auto s = BuildSelect(kLeadsTable, "id", Query(), 77, 51, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql, "SELECT id FROM leads WHERE account_id = ? ORDER BY id ASC LIMIT ?");
  EXPECT_EQ(s->params, std::vector<Value>({std::int64_t{77}, std::int64_t{51}}));
}

TEST(BuildSelectTest, ValuesNeverReachTheText) {
  ListQuery q = Query();
  q.text = "O'Brien%_\\'; DROP TABLE leads; --";
  q.ids = {123456789};
  q.price.from = 987654;
  auto s = BuildSelect(kLeadsTable, "id", q, 1, 10, 0);
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

TEST(BuildSelectTest, KeysetDescendingOnUpdatedAt) {
  ListQuery q = Query();
  q.order_field = OrderField::kUpdatedAt;
  q.order_direction = OrderDirection::kDesc;
  q.after = Cursor{1000, 42};
  q.page = 3;  // ignored with a cursor
  auto s = BuildSelect(kContactsTable, "id", q, 1, 10, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT id FROM contacts WHERE account_id = ? AND updated_at <= ? AND (updated_at < ? "
            "OR (updated_at = ? AND id < ?)) ORDER BY updated_at DESC, id DESC LIMIT ?");
  EXPECT_EQ(s->params,
            std::vector<Value>({std::int64_t{1}, std::int64_t{1000}, std::int64_t{1000},
                                std::int64_t{1000}, std::int64_t{42}, std::int64_t{10}}));
}

TEST(BuildSelectTest, OffsetPaging) {
  auto s = BuildSelect(kTasksTable, "id", Query(), 1, 10, 20);
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
      {"filter.entity_type", [](ListQuery& q) { q.entity_type = "leads"; }},
  };
  for (const Case& c : cases) {
    ListQuery q = Query();
    c.set(q);
    auto s = BuildSelect(kContactsTable, "id", q, 1, 10, 0);
    ASSERT_FALSE(s.ok()) << c.field;
    EXPECT_EQ(s.status().code(), base::Code::kInvalidArgument);
    ASSERT_EQ(s.status().fields().size(), 1u);
    EXPECT_EQ(s.status().fields()[0].path, c.field);
  }
}

TEST(BuildSelectTest, ResponsibleZeroMeansNobody) {
  ListQuery q = Query();
  q.responsible_user_ids = {0, 4};
  auto s = BuildCount(kLeadsTable, q, 1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sql,
            "SELECT COUNT(*) FROM leads WHERE account_id = ? AND (responsible_user_id = ? OR "
            "responsible_user_id IS NULL)");
}

TEST(BuildSelectTest, NoneSkipsTheQuery) {
  ListQuery q = Query();
  q.permission = ListFilter{None(), {}};
  auto s = BuildSelect(kLeadsTable, "id", q, 1, 10, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->matches_nothing);
  EXPECT_TRUE(s->sql.empty());
}

}  // namespace
}  // namespace gatehouse::storage
