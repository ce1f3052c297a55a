// closest_task_at of the records tasks attach to (Kommo's; domain::kAttachableDataSets): the
// earliest complete_till of the record's open tasks, NULL when it has none. Clients cannot write
// it; every task write keeps it (AccountWriter), the demo filler sets it after its bulk load, and
// migration 22 set it for the rows that existed before (customers then had no tasks).
#pragma once

#include "base/status.h"
#include "domain/account.h"
#include "storage/row_ids.h"
#include "storage/sql/connection.h"

namespace gatehouse::storage {

// Recomputes closest_task_at of record `id` of `data_set` (an attachable kind) in
// `account`, or of every such record of the account when `id` is 0.
base::Status RefreshClosestTask(sql::Connection& c, domain::DataSet data_set, AccountId account,
                                RecordId id);

// The same for every record of every account (migration 22).
base::Status RefreshEveryClosestTask(sql::Connection& c);

}  // namespace gatehouse::storage
