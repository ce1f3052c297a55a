// The names every source file of the service layer uses unqualified: the error type of the
// module edges and the JSON type of the activity log's values. Included by the service's .cc
// files only; headers spell the names out.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"

namespace gatehouse::service {

using base::Code;
using base::FieldError;
using base::Result;
using base::Status;
using nlohmann::json;

}  // namespace gatehouse::service
