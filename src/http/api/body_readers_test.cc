// Integer members of request bodies past int64: refused, never wrapped around to a negative
// value (found by tests/fuzz/rights_json_fuzz.cc; regressions/rights_json/unsigned-ids).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/admin/rights_json.h"
#include "http/api/auth/auth_json.h"
#include "http/api/body_reader.h"
#include "http/api/records/record_json.h"
#include "http/api/security/security_json.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

struct IntCase {
  const char* body;
  bool ok;
  std::int64_t value;
};

constexpr IntCase kIntCases[] = {
    {R"({"n": 9223372036854775807})", true, 9223372036854775807},
    {R"({"n": -9223372036854775808})", true, -9223372036854775807 - 1},
    {R"({"n": 0})", true, 0},
    {R"({"n": 9223372036854775808})", false, 0},
    {R"({"n": 18446744073709551615})", false, 0},
};

TEST(BodyReadersTest, AdminBodyIntRefusesNumbersPastInt64) {
  for (const IntCase& c : kIntCases) {
    std::vector<base::FieldError> errors;
    const json body = json::parse(c.body);
    BodyReader fields(body, errors);
    std::optional<std::int64_t> n = fields.Int("n");
    EXPECT_EQ(n.has_value(), c.ok) << c.body;
    if (c.ok) {
      EXPECT_EQ(*n, c.value) << c.body;
    } else {
      ASSERT_EQ(errors.size(), 1u) << c.body;
      EXPECT_EQ(errors[0].path, "n");
      EXPECT_EQ(errors[0].code, "InvalidType");
    }
  }
}

TEST(BodyReadersTest, FormBodyIntRefusesNumbersPastInt64) {
  for (const IntCase& c : kIntCases) {
    const json body = json::parse(c.body);
    BodyReader fields(body, kFormBody);
    std::optional<std::int64_t> n = fields.Int("n", false);
    EXPECT_EQ(n.has_value(), c.ok) << c.body;
    if (c.ok) {
      EXPECT_EQ(*n, c.value) << c.body;
    }
    EXPECT_EQ(fields.status().ok(), c.ok) << c.body;
  }
}

// The three dialects of BodyReader, as the readers they replaced answered.
struct DialectCase {
  const char* body;
  BodyDialect dialect;
  bool ok;
  std::int64_t value;
  const char* code;    // of the one error when !ok
  const char* detail;  // of the one error when !ok
};

const DialectCase kDialectCases[] = {
    {R"({"n": 3.0})", kRecordBody, true, 3, "", ""},
    {R"({"n": 3.5})", kRecordBody, false, 0, "InvalidType", "n must be an integer"},
    {R"({"n": 3.0})", kAdminBody, false, 0, "InvalidType", "n must be an integer"},
    {R"({"n": 9223372036854775808})", kRecordBody, false, 0, "InvalidType", "n is out of range"},
    {R"({"n": "42"})", kFormBody, true, 42, "", ""},
    {R"({"n": "42"})", kAdminBody, false, 0, "InvalidType", "n must be an integer"},
    {R"({"n": null})", kFormBody, false, 0, "Required", "n is required"},
    {R"({"n": null})", kAdminBody, false, 0, "InvalidType", "n must be an integer"},
    {R"({})", kAdminBody, false, 0, "Required", "n is required"},
};

TEST(BodyReadersTest, DialectsReadRequiredIntegers) {
  for (const DialectCase& c : kDialectCases) {
    std::vector<base::FieldError> errors;
    const json body = json::parse(c.body);
    BodyReader fields(body, errors, "", c.dialect);
    std::optional<std::int64_t> n = fields.Int("n", /*required=*/true);
    EXPECT_EQ(n.has_value(), c.ok) << c.body;
    if (c.ok) {
      EXPECT_EQ(*n, c.value) << c.body;
      EXPECT_TRUE(errors.empty()) << c.body;
    } else {
      ASSERT_EQ(errors.size(), 1u) << c.body;
      EXPECT_EQ(errors[0].path, "n") << c.body;
      EXPECT_EQ(errors[0].code, c.code) << c.body;
      EXPECT_EQ(errors[0].detail, c.detail) << c.body;
    }
  }
}

TEST(BodyReadersTest, PrefixNamesNestedPaths) {
  std::vector<base::FieldError> errors;
  const json body = json::parse(R"({"value": 1, "sort": 4294967296})");
  BodyReader fields(body, errors, "enums.0");
  EXPECT_FALSE(fields.String("value", true));
  EXPECT_FALSE(fields.SmallInt("sort"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "enums.0.value");
  EXPECT_EQ(errors[1].path, "enums.0.sort");
  EXPECT_EQ(errors[1].code, "OutOfRange");
  EXPECT_FALSE(fields.status().ok());
}

TEST(BodyReadersTest, BatchShapes) {
  EXPECT_TRUE(SplitBatch(json::parse(R"({"a": 1})")).ok());
  EXPECT_EQ(SplitBatch(json::parse("[]")).status().fields()[0].code, "Required");
  EXPECT_EQ(SplitBatch(json::parse("3")).status().fields()[0].path, "body");
  auto mixed = SplitBatch(json::parse(R"([{}, 1, "x"])"));
  ASSERT_FALSE(mixed.ok());
  ASSERT_EQ(mixed.status().fields().size(), 2u);
  EXPECT_EQ(mixed.status().fields()[0].path, "1");
  EXPECT_EQ(mixed.status().fields()[1].path, "2");
}

TEST(BodyReadersTest, UserPatchIdsPastInt64AreRefused) {
  std::vector<base::FieldError> errors;
  service::UserPatch patch = ParseUserPatch(
      json::parse(
          R"({"group_id": 9223372036854775808, "rights": {"role_id": 18446744073709551615}})"),
      errors);
  EXPECT_FALSE(patch.flags.group_id.has_value());
  EXPECT_FALSE(patch.flags.role_id.has_value());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "rights.role_id");
  EXPECT_EQ(errors[1].path, "group_id");
}

TEST(BodyReadersTest, PolicyPatchSeatsPastInt64AreRefused) {
  auto patch = ReadPolicyPatch(json::parse(R"({"seats": 18446744073709551615})"));
  ASSERT_FALSE(patch.ok());
  ASSERT_EQ(patch.status().fields().size(), 1u);
  EXPECT_EQ(patch.status().fields()[0].path, "seats");
}

TEST(BodyReadersTest, BatchRequestIdIsEchoedAsSent) {
  const json body = json::parse(
      R"([{"request_id": 18446744073709551615}, {"request_id": -3}, {"request_id": "x"}, {}])");
  auto batch = SplitBatch(body);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->request_ids, (std::vector<std::string>{"18446744073709551615", "-3", "x", "3"}));
}

}  // namespace
}  // namespace gatehouse::http::api
