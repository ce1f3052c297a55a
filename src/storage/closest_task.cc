#include "storage/closest_task.h"

#include <string>

#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// "UPDATE <table> SET closest_task_at = <its open tasks' earliest deadline>"; the table's name is
// the data set's, which is also what tasks.entity_type holds.
std::string SetClosestTask(domain::DataSet data_set) {
  const std::string table(domain::DataSetName(data_set));
  return "UPDATE " + table +
         " SET closest_task_at = (SELECT MIN(t.complete_till) FROM tasks t WHERE t.account_id = " +
         table + ".account_id AND t.entity_type = '" + table + "' AND t.entity_id = " + table +
         ".id AND t.is_completed = 0)";
}

}  // namespace

Status RefreshClosestTask(sql::Connection& c, domain::DataSet data_set, AccountId account,
                          RecordId id) {
  Where where{"account_id = ?", {Int(account)}};
  where.Add("id = ?", id != 0, Int(id));
  return c.Execute(SetClosestTask(data_set) + " WHERE " + where.sql, where.params).status();
}

Status RefreshEveryClosestTask(sql::Connection& c) {
  for (domain::DataSet data_set : domain::kAttachableDataSets) {
    GH_RETURN_IF_ERROR(c.Execute(SetClosestTask(data_set)).status());
  }
  return Status::Ok();
}

}  // namespace gatehouse::storage
