// Lists of pipeline stages in a query string, written as Kommo writes them:
//   path[0][pipeline_id]=P&path[0][status_id]=S&path[1][pipeline_id]=...
// (filter[statuses] of the lead lists, filter[value_*][leads_statuses] of the activity log). One
// parser, so both lists refuse the same malformed entries in the same words.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/rights.h"
#include "http/query.h"

namespace gatehouse::http::api {

// The stages under `path`; none when the query has no `path`. An entry without both ids, an id
// that is not a positive integer, or a `path` with no entry is a field error naming the entry.
base::Result<std::vector<domain::StageKey>> ParseStageKeys(const Query& query,
                                                           const std::string& path);

}  // namespace gatehouse::http::api
