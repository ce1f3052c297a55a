#include "http/query.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

// Renders a tree as "k=v" for values and "k{...}" / "k[...]" for maps and lists, so one string
// can state a whole parse result.
std::string Dump(const QueryNode& node) {
  if (node.is_value()) return "=" + node.value();
  bool list = node.kind() == QueryNode::Kind::kList;
  std::string out = list ? "[" : "{";
  bool first = true;
  for (const auto& [key, child] : node.children()) {
    if (!first) out += ",";
    first = false;
    out += key + Dump(child);
  }
  return out + (list ? "]" : "}");
}

TEST(QueryTest, ParseTable) {
  static const struct {
    const char* raw;
    const char* tree;
  } kCases[] = {
      {"", "{}"},
      {"a=1", "{a=1}"},
      {"a=1&&b=2&", "{a=1,b=2}"},
      {"a", "{a=}"},
      {"a=x+y%20z", "{a=x y z}"},
      {"with=role%2Cgroup", "{with=role,group}"},
      {"a=1&b=1", "{a=1,b=1}"},
      {"filter[name]=%20", "{filter{name= }}"},
      {"filter[name]=Deal", "{filter{name=Deal}}"},
      {"filter%5Bname%5D=Deal", "{filter{name=Deal}}"},
      {"filter%5bname%5d=Deal", "{filter{name=Deal}}"},
      {"filter[id][0]=1&filter[id][1]=2", "{filter{id[0=1,1=2]}}"},
      {"filter%5Bid%5D%5B0%5D=1&filter%5Bid%5D%5B1%5D=2", "{filter{id[0=1,1=2]}}"},
      {"filter[id][]=1&filter[id][]=2", "{filter{id[0=1,1=2]}}"},
      {"filter[id]=1,2", "{filter{id=1,2}}"},
      {"filter[updated_at][from]=10&filter[updated_at][to]=20",
       "{filter{updated_at{from=10,to=20}}}"},
      {"filter[statuses][0][pipeline_id]=7&filter[statuses][0][status_id]=8",
       "{filter{statuses[0{pipeline_id=7,status_id=8}]}}"},
      {"filter[custom_fields_values][55][]=v", "{filter{custom_fields_values[55[0=v]]}}"},
      {"order[created_at]=asc", "{order{created_at=asc}}"},
      {"x[5]=a&x[]=b", "{x[5=a,6=b]}"},
      {"x[a]=1&x[]=2", "{x{a=1,0=2}}"},
      {"page=2&limit=50", "{page=2,limit=50}"},
  };
  for (const auto& c : kCases) {
    base::Result<Query> q = Query::Parse(c.raw);
    ASSERT_TRUE(q.ok()) << c.raw << ": " << q.status().ToString();
    EXPECT_EQ(Dump(q->root()), c.tree) << c.raw;
  }
}

TEST(QueryTest, ParseErrorTable) {
  static const struct {
    const char* raw;
    const char* message;
  } kCases[] = {
      {"a=%", "a: malformed percent-encoding"},
      {"a=%4", "a: malformed percent-encoding"},
      {"a=%zz", "a: malformed percent-encoding"},
      {"a%2=1", "malformed percent-encoding in a name"},
      {"filter[id=1", "filter[id: malformed parameter name"},
      {"filter]=1", "filter]: malformed parameter name"},
      {"[a]=1", "[a]: malformed parameter name"},
      {"=1", "empty parameter name"},
      {"a[b]c=1", "a[b]c: malformed parameter name"},
      {"a[[b]]=1", "a[[b]]: malformed parameter name"},
      {"a=1&a[b]=2", "a: given both as a value and with brackets"},
      {"a[b]=2&a=1", "a: given both as a value and with brackets"},
      {"a[1][2][3][4][5][6][7][8][9]=1", "a[1][2][3][4][5][6][7][8][9]: too deeply nested"},
      // A scalar given twice is refused, not resolved to PHP's last or another stack's first.
      {"limit=1&limit=250", "limit: given more than once"},
      {"limit=1&limit=1", "limit: given more than once"},
      {"x[0]=a&x[0]=b", "x[0]: given more than once"},
      {"filter[id]=1&filter%5Bid%5D=2", "filter[id]: given more than once"},
      // An empty filter value is not "no filter".
      {"filter[id]=", "filter[id]: an empty filter value: give a value or leave the filter out"},
      {"filter[id]", "filter[id]: an empty filter value: give a value or leave the filter out"},
      {"filter[id][]=",
       "filter[id][]: an empty filter value: give a value or leave the filter out"},
      {"filter[statuses][0][status_id]=",
       "filter[statuses][0][status_id]: an empty filter value: give a value or leave the filter "
       "out"},
      // NUL bytes, in values or names.
      {"query=a%00b", "query: contains a NUL byte"},
      {"a%00=1", "a parameter name contains a NUL byte"},
  };
  for (const auto& c : kCases) {
    base::Result<Query> q = Query::Parse(c.raw);
    ASSERT_FALSE(q.ok()) << c.raw;
    EXPECT_EQ(q.status().code(), base::Code::kInvalidArgument) << c.raw;
    EXPECT_EQ(q.status().message(), c.message) << c.raw;
  }
}

TEST(QueryTest, TooManyPairs) {
  std::string raw;
  for (int i = 0; i <= Query::kMaxPairs; ++i) raw += "a" + std::to_string(i) + "=1&";
  base::Result<Query> q = Query::Parse(raw);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message(), "too many query parameters");
}

TEST(QueryTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a+b%2B%41", true), "a b+A");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%", true), std::nullopt);
  EXPECT_EQ(PercentDecode("%g0", true), std::nullopt);
}

TEST(QueryTest, GetIntListAcceptsEveryArrayForm) {
  static const char* kForms[] = {
      "filter[id]=1,2,3",
      "filter%5Bid%5D=1%2C2%2C3",
      "filter[id][]=1&filter[id][]=2&filter[id][]=3",
      "filter%5Bid%5D%5B%5D=1&filter%5Bid%5D%5B%5D=2&filter%5Bid%5D%5B%5D=3",
      "filter[id][0]=1&filter[id][1]=2&filter[id][2]=3",
      "filter[id][2]=3&filter[id][0]=1&filter[id][1]=2",
      "filter[id][]=1,2&filter[id][]=3",
  };
  for (const char* raw : kForms) {
    base::Result<Query> q = Query::Parse(raw);
    ASSERT_TRUE(q.ok()) << raw;
    base::Result<std::vector<std::int64_t>> ids = q->GetIntList("filter[id]");
    ASSERT_TRUE(ids.ok()) << raw << ": " << ids.status().ToString();
    EXPECT_EQ(*ids, (std::vector<std::int64_t>{1, 2, 3})) << raw;
  }
  base::Result<Query> single = Query::Parse("filter[id]=7");
  EXPECT_EQ(*single->GetIntList("filter[id]"), std::vector<std::int64_t>{7});
  EXPECT_TRUE(single->GetIntList("filter[other]")->empty());
}

TEST(QueryTest, AccessorErrorTable) {
  static const struct {
    const char* raw;
    const char* accessor;
    const char* path;
    const char* message;
  } kCases[] = {
      {"filter[id][0]=1&filter[id][1]=x", "intlist", "filter[id]", "filter[id][1]: not an integer"},
      {"filter[id][]=1&filter[id][]=x", "intlist", "filter[id]", "filter[id][1]: not an integer"},
      {"filter[id]=1,x", "intlist", "filter[id]", "filter[id][1]: not an integer"},
      {"filter[id]=x", "intlist", "filter[id]", "filter[id]: not an integer"},
      {"filter[id][a]=1", "intlist", "filter[id]", "filter[id]: expected a list"},
      {"filter[id][0][a]=1", "intlist", "filter[id]", "filter[id][0]: expected a value"},
      {"page=abc", "int", "page", "page: not an integer"},
      {"page=1.5", "int", "page", "page: not an integer"},
      {"page=99999999999999999999", "int", "page", "page: not an integer"},
      {"page[]=1", "int", "page", "page: expected a value"},
      {"filter[updated_at][from]=x", "range", "filter[updated_at]",
       "filter[updated_at][from]: not an integer"},
      {"filter[updated_at][since]=1", "range", "filter[updated_at]",
       "filter[updated_at][since]: unknown key (expected from or to)"},
      {"filter[updated_at][from]=5&filter[updated_at][to]=1", "range", "filter[updated_at]",
       "filter[updated_at]: from is after to"},
      {"filter[created_at]=1,2,3", "range", "filter[created_at]",
       "filter[created_at]: expected a timestamp or from,to"},
      {"order=created_at", "map", "order", "order: expected order[field]=value"},
      {"order[a][b]=asc", "map", "order", "order[a]: expected a value"},
      {"filter[all]=yes", "bool", "filter[all]",
       "filter[all]: not a boolean (expected 1, 0, true, false)"},
      {"filter[id]=,", "intlist", "filter[id]",
       "filter[id]: an empty filter value: give a value or leave the filter out"},
      {"filter[id][]=,", "intlist", "filter[id]",
       "filter[id]: an empty filter value: give a value or leave the filter out"},
  };
  for (const auto& c : kCases) {
    base::Result<Query> q = Query::Parse(c.raw);
    ASSERT_TRUE(q.ok()) << c.raw;
    std::string accessor = c.accessor;
    base::Status status;
    if (accessor == "intlist") status = q->GetIntList(c.path).status();
    if (accessor == "int") status = q->GetInt(c.path).status();
    if (accessor == "range") status = q->GetRange(c.path).status();
    if (accessor == "map") status = q->GetStringMap(c.path).status();
    if (accessor == "bool") status = q->GetBool(c.path).status();
    ASSERT_FALSE(status.ok()) << c.raw;
    EXPECT_EQ(status.message(), c.message) << c.raw;
    ASSERT_EQ(status.fields().size(), 1u) << c.raw;
  }
}

TEST(QueryTest, TypedAccessors) {
  base::Result<Query> q = Query::Parse(
      "page=2&limit=50&with=contacts%2Ccompanies&query=Acme+Inc"
      "&filter[updated_at][from]=10&filter[updated_at][to]=20&filter[created_at]=5,9"
      "&filter[closed_at]=7&filter[price][from]=3&order[created_at]=asc&order[id]=desc"
      "&filter[all]=1");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q->GetInt("page"), 2);
  EXPECT_EQ(*q->GetInt("missing"), std::nullopt);
  EXPECT_EQ(*q->GetString("query"), "Acme Inc");
  EXPECT_EQ(*q->GetStringList("with"), (std::vector<std::string>{"contacts", "companies"}));
  EXPECT_EQ(**q->GetRange("filter[updated_at]"), (IntRange{10, 20}));
  EXPECT_EQ(**q->GetRange("filter[created_at]"), (IntRange{5, 9}));
  EXPECT_EQ(**q->GetRange("filter[closed_at]"), (IntRange{7, 7}));
  EXPECT_EQ(**q->GetRange("filter[price]"), (IntRange{3, std::nullopt}));
  EXPECT_EQ(*q->GetRange("filter[nothing]"), std::nullopt);
  EXPECT_EQ(*q->GetBool("filter[all]"), true);
  auto order = q->GetStringMap("order");
  ASSERT_TRUE(order.ok());
  ASSERT_EQ(order->size(), 2u);
  EXPECT_EQ((*order)[0], (std::pair<std::string, std::string>{"created_at", "asc"}));
  EXPECT_EQ((*order)[1], (std::pair<std::string, std::string>{"id", "desc"}));
}

TEST(QueryTest, StatusesFilterWalk) {
  base::Result<Query> q = Query::Parse(
      "filter%5Bstatuses%5D%5B1%5D%5Bpipeline_id%5D=3&filter%5Bstatuses%5D%5B1%5D%5Bstatus_id%5D=4"
      "&filter[statuses][0][pipeline_id]=1&filter[statuses][0][status_id]=2");
  ASSERT_TRUE(q.ok());
  const QueryNode* statuses = q->Find("filter[statuses]");
  ASSERT_NE(statuses, nullptr);
  ASSERT_EQ(statuses->kind(), QueryNode::Kind::kList);
  std::vector<const QueryNode*> items = statuses->Items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->FindChild("pipeline_id")->value(), "1");
  EXPECT_EQ(items[1]->FindChild("status_id")->value(), "4");
}

TEST(QueryTest, CheckKnownKeys) {
  base::Result<Query> q =
      Query::Parse("page=1&limit=2&foo=1&filter[id]=1&filter[bar]=2&filter[baz][]=3");
  ASSERT_TRUE(q.ok());
  base::Status status = q->CheckKnownKeys({"page", "limit", "with"}, {"id", "name"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), base::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "unknown query parameters: foo, filter[bar], filter[baz]");
  ASSERT_EQ(status.fields().size(), 3u);
  EXPECT_EQ(status.fields()[1].path, "filter[bar]");
  EXPECT_EQ(status.fields()[1].code, "UnknownParameter");

  EXPECT_TRUE(q->CheckKnownKeys({"page", "limit", "foo"}, {"id", "bar", "baz"}).ok());
  EXPECT_FALSE(q->CheckKnownKeys({"page", "limit", "foo"}).ok());  // filter not allowed
  // Where no filter is taken, each one sent is named.
  base::Result<Query> filtered = Query::Parse("filter[id]=99&filter[name]=x&page=1");
  ASSERT_TRUE(filtered.ok());
  base::Status refused = filtered->CheckKnownKeys({"page", "limit"});
  ASSERT_EQ(refused.fields().size(), 2u);
  EXPECT_EQ(refused.fields()[0].path, "filter[id]");
  EXPECT_EQ(refused.fields()[1].path, "filter[name]");
  EXPECT_EQ(refused.fields()[0].code, "UnknownParameter");
  base::Result<Query> scalar_filter = Query::Parse("filter=1");
  EXPECT_EQ(scalar_filter->CheckKnownKeys({}, {"id"}).fields()[0].code, "InvalidType");
}

}  // namespace
}  // namespace gatehouse::http
