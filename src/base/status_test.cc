#include "base/status.h"

#include <gtest/gtest.h>

namespace gatehouse::base {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidField("n", "NotEven", "n must be even");
  return n / 2;
}

Result<int> Quarter(int n) {
  GH_ASSIGN_OR_RETURN(int half, Half(n));
  return Half(half);
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, InvalidFieldCarriesThePath) {
  Status s = Status::InvalidField("rights.leads.add", "NotSupportedChoice", "only A or D");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  ASSERT_EQ(s.fields().size(), 1u);
  EXPECT_EQ(s.fields()[0].path, "rights.leads.add");
  EXPECT_EQ(s.ToString(), "invalid_argument: only A or D; rights.leads.add: only A or D");
}

TEST(StatusTest, NotFoundAsRenamesOnlyAMissingRow) {
  const Status missing = Status::InvalidField("pipeline_id", "NotFound", "no such pipeline");
  const Status renamed = NotFoundAs(Status::NotFound("pipeline not found"), missing);
  EXPECT_EQ(renamed.code(), Code::kInvalidArgument);
  EXPECT_EQ(renamed.fields(), missing.fields());
  const Status away = Status::Error(Code::kUnavailable, "the database is unavailable");
  EXPECT_EQ(NotFoundAs(away, missing).code(), Code::kUnavailable);
  EXPECT_EQ(NotFoundAs(away, missing).message(), away.message());
}

TEST(StatusTest, NotFoundOfAnIdNamesWhatAndWhich) {
  const Status s = Status::NotFound("customer status", 42);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "customer status 42 not found");
  EXPECT_TRUE(s.fields().empty());
}

TEST(StatusTest, FieldNotFoundPointsAtTheField) {
  const Status s = Status::FieldNotFound("_embedded.tags.1.id", "tag", 7);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "tag 7 not found");
  ASSERT_EQ(s.fields().size(), 1u);
  EXPECT_EQ(s.fields()[0], (FieldError{"_embedded.tags.1.id", "NotFound", "tag 7 not found"}));
}

TEST(ResultTest, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().fields()[0].code, "NotEven");
}

}  // namespace
}  // namespace gatehouse::base
