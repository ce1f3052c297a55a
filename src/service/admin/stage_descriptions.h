// Stage descriptions written with a stage's add or update (admin_settings.cc): checked before
// the write, written in its transaction, and shown in its activity-log event. For the admin
// service's .cc files only (includes nlohmann, as admin_internal.h).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "base/status.h"
#include "service/admin/admin.h"
#include "service/admin/admin_settings.h"

namespace gatehouse::service::internal {

// Appends what is wrong with `descriptions` to `errors`: a level sent twice
// ("descriptions.N.level", Duplicate), a text over domain::kMaxStageDescription characters
// ("descriptions.N.description", TooLong).
void AddStageDescriptionErrors(const std::vector<StageDescriptionInput>& descriptions,
                               std::vector<base::FieldError>& errors);

// Writes `descriptions` to stage `status_id` of the pipeline as `caller` (an empty text removes
// the level's). Adds "descriptions": {level: text} of the levels whose text changed to the
// stage's event facts, to `after` as written and to `before` (when given) as it was, "" for no
// text; adds nothing when no text changed.
base::Status WriteStageDescriptions(storage::AccountWriter& w, const Caller& caller,
                                    domain::PipelineId pipeline_id, domain::StatusId status_id,
                                    const std::vector<StageDescriptionInput>& descriptions,
                                    nlohmann::json* before, nlohmann::json& after);

}  // namespace gatehouse::service::internal
