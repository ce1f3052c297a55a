// The placeholder rewrite (no server needed).
#include "storage/sql/postgres_placeholders.h"

#include <gtest/gtest.h>

namespace gatehouse::storage::sql {
namespace {

using base::Code;

struct RewriteCase {
  const char* sql;
  const char* want;
  int count;
};

TEST(RewritePlaceholdersTest, Table) {
  const RewriteCase cases[] = {
      {"SELECT 1", "SELECT 1", 0},
      {"SELECT ?", "SELECT $1", 1},
      {"a = ? AND b = ?", "a = $1 AND b = $2", 2},
      {"x IN (?,?,?)", "x IN ($1,$2,$3)", 3},
      {"'?' = ?", "'?' = $1", 1},
      {"'it''s ?' || ?", "'it''s ?' || $1", 1},
      {"E'\\'?' || ?", "E'\\'?' || $1", 1},
      {"'a\\' || ?", "'a\\' || $1", 1},  // plain strings: a backslash is just a character
      {"\"col?\" = ?", "\"col?\" = $1", 1},
      {"\"a\"\"?\" = ?", "\"a\"\"?\" = $1", 1},
      {"-- what?\n?", "-- what?\n$1", 1},
      {"? -- trailing?", "$1 -- trailing?", 1},
      {"/* a? /* nested? */ b? */ ?", "/* a? /* nested? */ b? */ $1", 1},
      {"$$ body ? $$ || ?", "$$ body ? $$ || $1", 1},
      {"$fn$ a ?$x$ ? $fn$ ?", "$fn$ a ?$x$ ? $fn$ $1", 1},
      {"a$b = ?", "a$b = $1", 1},
      {"", "", 0},
  };
  for (const RewriteCase& c : cases) {
    int count = -1;
    auto out = RewritePlaceholders(c.sql, &count);
    ASSERT_TRUE(out.ok()) << c.sql << ": " << out.status().ToString();
    EXPECT_EQ(*out, c.want) << c.sql;
    EXPECT_EQ(count, c.count) << c.sql;
  }
}

TEST(RewritePlaceholdersTest, RefusesBrokenText) {
  const char* cases[] = {"SELECT 'open",   "SELECT \"open", "SELECT /* open",
                         "SELECT $$ open", "SELECT $1, ?",  "SELECT E'\\'"};
  for (const char* sql : cases) {
    int count = 0;
    auto out = RewritePlaceholders(sql, &count);
    EXPECT_FALSE(out.ok()) << sql;
    EXPECT_EQ(out.status().code(), Code::kInvalidArgument) << sql;
  }
}

}  // namespace
}  // namespace gatehouse::storage::sql
