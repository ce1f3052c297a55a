// The explain documents (GET /api/v4/security/explain and …/explain/viewers, see
// security_explain.cc for their shapes), also printed by `gatehouse explain --json`. Kept free of
// nlohmann/json so the CLI can include it cheaply.
#pragma once

#include <string>

#include "service/admin/admin_events.h"
#include "service/security/replay.h"

namespace gatehouse::http::api {

std::string ExplainJson(const service::ExplainRequest& request,
                        const service::ExplainResult& result);
std::string ViewersJson(const service::ViewersRequest& request,
                        const service::ViewersResult& result);

}  // namespace gatehouse::http::api
