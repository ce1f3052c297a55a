#include "http/api/stage_keys.h"

#include <gtest/gtest.h>

namespace gatehouse::http::api {
namespace {

base::Result<std::vector<domain::StageKey>> Parse(std::string_view raw) {
  base::Result<Query> query = Query::Parse(raw);
  EXPECT_TRUE(query.ok()) << raw;
  return ParseStageKeys(*query, "filter[statuses]");
}

TEST(StageKeysTest, ReadsEveryEntryInOrder) {
  auto keys = Parse(
      "filter[statuses][0][pipeline_id]=3&filter[statuses][0][status_id]=31"
      "&filter[statuses][1][status_id]=142&filter[statuses][1][pipeline_id]=4");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(*keys, (std::vector<domain::StageKey>{{3, 31}, {4, 142}}));
}

TEST(StageKeysTest, NoneWhenThePathIsAbsent) {
  auto keys = Parse("filter[id]=1");
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->empty());
}

TEST(StageKeysTest, RefusesEachMalformedEntryNamingIt) {
  const struct {
    const char* raw;
    const char* path;
    const char* code;
  } cases[] = {
      {"filter[statuses]=5", "filter[statuses]", "InvalidType"},
      {"filter[statuses][0][pipeline_id]=3", "filter[statuses][0]", "InvalidType"},
      {"filter[statuses][0][pipeline_id]=3&filter[statuses][0][status_id]=31"
       "&filter[statuses][1][status_id]=5",
       "filter[statuses][1]", "InvalidType"},
      {"filter[statuses][0]=3", "filter[statuses][0]", "InvalidType"},
      // A zero or negative id names no stage: refused, not dropped (which would widen the list).
      {"filter[statuses][0][pipeline_id]=0&filter[statuses][0][status_id]=31",
       "filter[statuses][0]", "InvalidValue"},
      {"filter[statuses][0][pipeline_id]=3&filter[statuses][0][status_id]=-1",
       "filter[statuses][0]", "InvalidValue"},
      {"filter[statuses][0][pipeline_id]=x&filter[statuses][0][status_id]=31",
       "filter[statuses][0][pipeline_id]", "InvalidType"},
  };
  for (const auto& c : cases) {
    auto keys = Parse(c.raw);
    ASSERT_FALSE(keys.ok()) << c.raw;
    ASSERT_EQ(keys.status().fields().size(), 1u) << c.raw;
    EXPECT_EQ(keys.status().fields()[0].path, c.path) << c.raw;
    EXPECT_EQ(keys.status().fields()[0].code, c.code) << c.raw;
  }
}

}  // namespace
}  // namespace gatehouse::http::api
