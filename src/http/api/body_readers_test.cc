// Integer members of request bodies past int64: refused, never wrapped around to a negative
// value (found by tests/fuzz/rights_json_fuzz.cc; regressions/rights_json/unsigned-ids).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/api/auth_json.h"
#include "http/api/record_json.h"
#include "http/api/rights_json.h"
#include "http/api/security_json.h"

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

TEST(BodyReadersTest, FieldReaderIntRefusesNumbersPastInt64) {
  for (const IntCase& c : kIntCases) {
    std::vector<base::FieldError> errors;
    const json body = json::parse(c.body);
    FieldReader fields(body, errors);
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

TEST(BodyReadersTest, BodyFieldsIntRefusesNumbersPastInt64) {
  for (const IntCase& c : kIntCases) {
    const json body = json::parse(c.body);
    BodyFields fields(body);
    std::optional<std::int64_t> n = fields.Int("n", false);
    EXPECT_EQ(n.has_value(), c.ok) << c.body;
    if (c.ok) {
      EXPECT_EQ(*n, c.value) << c.body;
    }
    EXPECT_EQ(fields.status().ok(), c.ok) << c.body;
  }
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
  auto batch = records::SplitBatch(body);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->request_ids, (std::vector<std::string>{"18446744073709551615", "-3", "x", "3"}));
}

}  // namespace
}  // namespace gatehouse::http::api
