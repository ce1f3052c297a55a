// Body readers of the security settings resources, apart from their handlers so the fuzz
// targets (tests/fuzz/security_json_fuzz.cc) reach them.
//
// Includes nlohmann/json: include from handler .cc files only (as http/json.h).
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "service/security/security.h"

namespace gatehouse::http::api {

// The body of PUT /api/v4/security/ip_whitelist (already an object, ParseObjectBody):
// {"enabled", "block_api", "report_only": booleans (absent: false), "entries": [ "10.0.0.0/8"
// or {"value": "...", "note": "..."} ]}. The entry values are passed on as sent for the service
// to parse. kInvalidArgument with one FieldError per mistyped member ("entries.2.value").
base::Result<service::IpWhitelist> ReadIpWhitelist(const nlohmann::json& body);

// The body of PATCH /api/v4/security/policy: every member optional (require_two_factor,
// session_idle_minutes, session_max_hours, lockout_threshold, lockout_minutes, dormant_days,
// seats, trusted_proxies: an array of strings). Ranges are judged by the service.
// kInvalidArgument with one FieldError per mistyped member.
base::Result<service::PolicyPatch> ReadPolicyPatch(const nlohmann::json& body);

}  // namespace gatehouse::http::api
