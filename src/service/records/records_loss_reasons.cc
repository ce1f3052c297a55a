// Loss reasons of leads: readable by every user of the account, added and deleted by
// administrators (account settings in Kommo), each write logged.
#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

std::string LossReasonValue(std::string_view name) {
  return Dump(json::array({{{"loss_reason", {{"name", name}}}}}));
}

}  // namespace

Result<std::vector<storage::LossReason>> RecordService::ListLossReasons(
    const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  return store_.Reader(caller.account_id).ListLossReasons();
}

Result<storage::LossReason> RecordService::GetLossReason(const Caller& caller,
                                                         std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  return store_.Reader(caller.account_id).GetLossReason(id);
}

Result<std::vector<storage::LossReason>> RecordService::AddLossReasons(
    const Caller& caller, std::span<const NewLossReason> items, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "add loss reasons"));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch<storage::LossReason>(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::LossReason> {
        const storage::LossReason reason{
            .name = items[i].name, .sort = items[i].sort, .created_at = now, .updated_at = now};
        GH_ASSIGN_OR_RETURN(storage::LossReason created, w.CreateLossReason(reason));
        GH_RETURN_IF_ERROR(RecordEvent(
            w, caller, now,
            {"loss_reason_added", "loss_reason", created.id, "[]", LossReasonValue(created.name)}));
        return created;
      });
}

Status RecordService::DeleteLossReason(const Caller& caller, std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  GH_RETURN_IF_ERROR(RequireAdmin(caller, "delete loss reasons"));
  const std::int64_t now = clock_.NowSeconds();
  return store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::LossReason reason, w.GetLossReason(id));
    GH_RETURN_IF_ERROR(w.DeleteLossReason(id));
    return RecordEvent(
        w, caller, now,
        {"loss_reason_deleted", "loss_reason", id, LossReasonValue(reason.name), "[]"});
  });
}

}  // namespace gatehouse::service
