// The security report's JSON (GET /api/v4/security/report, and `gatehouse security-report
// --json`, which prints the same document):
//   {"generated_at": unix seconds,
//    "summary": {"high": n, "medium": n, "low": n},
//    "findings": [{"code", "severity", "title", "fix",
//                  "affected": [{"type", "id", "name", "user_id"?, "detail"?, "counts"?}]}],
//    "dormant_deactivations": {"dormant_days": n, "within_days": 7,
//                              "users": [{"id", "name", "email", "is_admin", "last_login_at",
//                                         "inactive_since", "deactivate_at"}],
//                              "kept": [same shape]},
//    "_links": {"self": {"href": self_href}}}
// `id` is a number for users, roles and the account, else a string (a session's public id, an
// email, an address). `user_id` appears where a session or email belongs to a known user,
// `detail` when there is one, `counts` as an object of named numbers in the report's order.
// `dormant_deactivations` is service::DormantSchedule: who the dormant-user rule deactivates
// within `within_days` (deactivate_at already past: at its next run), and the last active
// administrator it keeps although due; both lists empty while dormant_days is 0.
//
// Kept free of nlohmann/json so the CLI can include it cheaply.
#pragma once

#include <string>
#include <string_view>

#include "service/security/security_report.h"

namespace gatehouse::http::api {

std::string SecurityReportJson(const service::SecurityReport& report, std::string_view self_href);

}  // namespace gatehouse::http::api
