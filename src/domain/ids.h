// Identifier types. Plain integers as in Kommo's API; 0 means "none" (e.g. created_by robot).
#pragma once

#include <cstdint>

namespace gatehouse::domain {

using AccountId = std::int64_t;
using UserId = std::int64_t;
using GroupId = std::int64_t;
using RoleId = std::int64_t;
using PipelineId = std::int64_t;
using StatusId = std::int64_t;
using RecordId = std::int64_t;

// Closing stages present in every pipeline (Kommo's ids).
inline constexpr StatusId kWonStatusId = 142;
inline constexpr StatusId kLostStatusId = 143;

}  // namespace gatehouse::domain
