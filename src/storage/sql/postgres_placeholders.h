// The `?` placeholders of the portable SQL (connection.h) rewritten to PostgreSQL's $1..$n.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace gatehouse::storage::sql {

// Rewrites the `?` placeholders of `sql` to $1..$n in order, skipping '...' and E'...' strings,
// "..." identifiers, $tag$...$tag$ bodies, -- and /* */ comments (nested, as PostgreSQL reads
// them). Sets *count to n. Returns kInvalidArgument for an unterminated quote or comment, or
// when `sql` already uses $n parameters (one statement must not mix both styles).
// Exposed for the unit test; the driver calls it on every new statement text.
base::Result<std::string> RewritePlaceholders(std::string_view sql, int* count);

}  // namespace gatehouse::storage::sql
