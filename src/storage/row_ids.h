// The domain's identifiers under the names the store's row types use (storage/*_rows.h).
#pragma once

#include "domain/ids.h"

namespace gatehouse::storage {

using domain::AccountId;
using domain::GroupId;
using domain::PipelineId;
using domain::RecordId;
using domain::RoleId;
using domain::StatusId;
using domain::UserId;

}  // namespace gatehouse::storage
