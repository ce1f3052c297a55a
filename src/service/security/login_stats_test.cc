// Logins per day over a real store, on SQLite and (with GATEHOUSE_TEST_PG_URL) PostgreSQL:
// counts per UTC day, empty days present, other event types and older days left out, paging
// past one store page, and the administrator-only and range rules.
#include "service/security/login_stats.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "service/bootstrap.h"
#include "service/events.h"
#include "service/policy_cache.h"
#include "service/security/dormant_users.h"  // kDaySeconds
#include "service/service_test_util.h"
#include "storage/store_test_util.h"

namespace gatehouse::service {
namespace {

using storage::testing::Engine;

// 2025-06-15 12:00:00 UTC.
constexpr std::int64_t kNoon = 1'749'988'800;

class LoginStatsTest : public testing::AcmeEngineFixture {
 protected:
  void SetUp() override {
    AcmeEngineFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kNoon);
  }

  Caller As(domain::UserId user, bool admin) {
    Caller caller = SessionOf(user);
    EXPECT_EQ(caller.is_admin(), admin);
    return caller;
  }

  // Appends `count` events of `type` at `at` (as the login service does, actor 0).
  void Add(const std::string& type, std::int64_t at, int count = 1) {
    base::Status status = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
      const Caller system = SystemOf();
      for (int i = 0; i < count; ++i) {
        GH_RETURN_IF_ERROR(RecordEvent(w, system, at, {type, "user", admin_}));
      }
      return base::Status::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
};

TEST(UtcDateTest, FormatsTheUtcCalendarDay) {
  const struct {
    std::int64_t seconds;
    const char* date;
  } cases[] = {{0, "1970-01-01"},
               {86'399, "1970-01-01"},
               {86'400, "1970-01-02"},
               {-1, "1969-12-31"},
               {951'782'400, "2000-02-29"},
               {kNoon, "2025-06-15"},
               {1'767'225'599, "2025-12-31"}};
  for (const auto& c : cases) EXPECT_EQ(UtcDate(c.seconds), c.date) << c.seconds;
}

TEST_P(LoginStatsTest, CountsEachUtcDayOldestFirst) {
  const std::int64_t today = kNoon - 12 * 3600;  // 00:00 UTC
  Add("login_succeeded", today);                 // first second of today
  Add("login_succeeded", kNoon);
  Add("login_failed", kNoon, 3);
  Add("login_failed", today - 1);                   // last second of yesterday
  Add("login_succeeded", today - 2 * kDaySeconds);  // two days ago
  Add("login_succeeded", today - 3 * kDaySeconds);  // outside a 3-day window
  Add("login_locked", kNoon);                       // other types are not logins
  Add("ip_whitelist_refused", kNoon);

  auto stats = security_service_.LoginStats(As(admin_, true), 3);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(*stats, (std::vector<LoginDay>{
                        {"2025-06-13", 1, 0}, {"2025-06-14", 0, 1}, {"2025-06-15", 2, 3}}));

  auto one = security_service_.LoginStats(As(admin_, true), 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, (std::vector<LoginDay>{{"2025-06-15", 2, 3}}));
}

TEST_P(LoginStatsTest, ReadsPastOneStorePage) {
  Add("login_failed", kNoon - 60, storage::kMaxPageLimit + 7);
  Add("login_succeeded", kNoon - kDaySeconds, 2);
  auto stats = security_service_.LoginStats(As(admin_, true), 2);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(*stats, (std::vector<LoginDay>{{"2025-06-14", 2, 0},
                                           {"2025-06-15", 0, storage::kMaxPageLimit + 7}}));
}

TEST_P(LoginStatsTest, AdministratorsOnlyAndDaysInRange) {
  domain::UserId member = 0;
  base::Status added = store_->Write(account_, [&](storage::AccountWriter& w) -> base::Status {
    const storage::UserRow row{.user = {.name = "Member", .email = "member@acme.test"}};
    GH_ASSIGN_OR_RETURN(member, w.CreateUser(row));
    return base::Status::Ok();
  });
  ASSERT_TRUE(added.ok()) << added.ToString();
  EXPECT_EQ(security_service_.LoginStats(As(member, false), 30).status().code(),
            base::Code::kPermissionDenied);
  for (int days : {0, -1, kMaxLoginStatsDays + 1}) {
    auto refused = security_service_.LoginStats(As(admin_, true), days);
    ASSERT_FALSE(refused.ok()) << days;
    EXPECT_EQ(refused.status().code(), base::Code::kInvalidArgument);
    ASSERT_EQ(refused.status().fields().size(), 1u);
    EXPECT_EQ(refused.status().fields()[0].path, "days");
  }
  auto widest = security_service_.LoginStats(As(admin_, true), kMaxLoginStatsDays);
  ASSERT_TRUE(widest.ok());
  EXPECT_EQ(widest->size(), static_cast<std::size_t>(kMaxLoginStatsDays));
  EXPECT_EQ(widest->back().date, "2025-06-15");
}

INSTANTIATE_TEST_SUITE_P(Engines, LoginStatsTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         storage::testing::EngineName);

}  // namespace
}  // namespace gatehouse::service
