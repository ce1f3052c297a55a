#include "service/security/login_stats.h"

#include <chrono>
#include <cstdio>

#include "service/security/dormant_users.h"  // kDaySeconds
#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

namespace {

// Floor division, so times before 1970 land in the day they belong to.
std::int64_t DayOf(std::int64_t seconds) {
  return seconds >= 0 ? seconds / kDaySeconds : -((-seconds + kDaySeconds - 1) / kDaySeconds);
}

}  // namespace

std::string UtcDate(std::int64_t seconds) {
  const std::chrono::sys_days day{std::chrono::days{DayOf(seconds)}};
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

Result<std::vector<LoginDay>> SecurityService::LoginStats(const Caller& caller, int days) const {
  GH_RETURN_IF_ERROR(RequireAdmin(caller));
  if (days < 1 || days > kMaxLoginStatsDays) {
    return Status::InvalidField("days", "OutOfRange",
                                "days must be between 1 and " + std::to_string(kMaxLoginStatsDays));
  }
  const std::int64_t today = DayOf(deps_.clock->NowSeconds());
  const std::int64_t first = today - days + 1;
  std::vector<LoginDay> out(static_cast<std::size_t>(days));
  for (int i = 0; i < days; ++i) out[i].date = UtcDate((first + i) * kDaySeconds);

  // Only the two types, from the first day on, run in SQL; the log is read newest first in
  // pages, keyset by id, so memory stays one page whatever the volume.
  storage::EventQuery query{
      .types = {"login_succeeded", "login_failed"},
      .created_at = {.from = first * kDaySeconds, .to = (today + 1) * kDaySeconds - 1},
      .limit = storage::kMaxPageLimit};
  const storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  for (;;) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::EventRow> page, reader.ListEvents(query));
    for (const storage::EventRow& e : page) {
      const std::int64_t index = DayOf(e.created_at) - first;
      if (index < 0 || index >= days) continue;
      LoginDay& day = out[static_cast<std::size_t>(index)];
      (e.type == "login_succeeded" ? day.succeeded : day.failed) += 1;
    }
    if (page.size() < static_cast<std::size_t>(query.limit)) break;
    query.before_id = page.back().id;
  }
  return out;
}

}  // namespace gatehouse::service
