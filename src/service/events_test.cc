#include "service/events.h"

#include <gtest/gtest.h>

namespace gatehouse::service {
namespace {

TEST(NewEventIdTest, SortsInTheOrderMadeEvenWithinOneMillisecond) {
  std::string previous = NewEventId(1'764'000'000'000);
  for (int i = 0; i < 10'000; ++i) {
    std::string next = NewEventId(1'764'000'000'000);  // the same millisecond every time
    ASSERT_EQ(next.size(), 26u);
    ASSERT_EQ(next.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz"), std::string::npos);
    ASSERT_LT(previous, next) << "after " << i << " ids";
    previous = std::move(next);
  }
  // A clock that steps back does not reorder either.
  EXPECT_LT(previous, NewEventId(1'700'000'000'000));
}

TEST(NewEventIdTest, LaterMillisecondsSortLaterAndIdsDiffer) {
  const std::string a = NewEventId(1'900'000'000'000);
  const std::string b = NewEventId(1'900'000'000'001);
  EXPECT_LT(a, b);
  EXPECT_EQ(a.substr(0, 9), b.substr(0, 9));  // the time prefix
  EXPECT_NE(a.substr(10), b.substr(10));      // fresh randomness in a new millisecond
}

}  // namespace
}  // namespace gatehouse::service
