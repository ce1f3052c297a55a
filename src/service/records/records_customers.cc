// RecordService: customer statuses (Kommo's /api/v4/customers/statuses). The customers
// themselves are a record kind of the generic use cases (records_crud.cc, records_kinds.cc).
#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "service/json_text.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// Kommo's palette of customer-status colours.
constexpr std::array<std::string_view, 21> kColors = {
    "#fffeb2", "#fffd7f", "#fff000", "#ffeab2", "#ffdc7f", "#ffce5a", "#ffdbdb",
    "#ffc8c8", "#ff8f92", "#d6eaff", "#c1e0ff", "#98cbff", "#ebffb1", "#deff81",
    "#87f2c0", "#f9deff", "#f3beff", "#ccc8f9", "#eb93ff", "#f2f3f4", "#e6e8ea"};

Status RequireStatusAdmin(const Caller& caller) {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  return RequireAdmin(caller, "change customer statuses");
}

// Name and colour rules of a status as it would be stored.
Status CheckStatus(const storage::CustomerStatus& status) {
  if (status.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  if (status.name.size() > 255) {
    return Status::InvalidField("name", "TooLong", "name is longer than 255 characters");
  }
  if (std::find(kColors.begin(), kColors.end(), status.color) == kColors.end()) {
    return Status::InvalidField("color", "NotSupportedChoice",
                                "color must be one of Kommo's customer-status colours, e.g. "
                                "#fffeb2");
  }
  if (status.sort < 0) return Status::InvalidField("sort", "Invalid", "sort must be >= 0");
  return Status::Ok();
}

std::string StatusValue(const storage::CustomerStatus& status) {
  return Dump(nlohmann::json::array({{{"customer_status",
                                       {{"id", status.id},
                                        {"name", status.name},
                                        {"sort", status.sort},
                                        {"color", status.color}}}}}));
}

}  // namespace

Status CheckCustomerStatus(const storage::CustomerStatus& status) { return CheckStatus(status); }

std::string_view DefaultCustomerStatusColor() { return kColors[0]; }

Result<std::vector<storage::CustomerStatus>> RecordService::ListCustomerStatuses(
    const Caller& caller) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  return store_.Reader(caller.account_id).ListCustomerStatuses();
}

Result<storage::CustomerStatus> RecordService::GetCustomerStatus(const Caller& caller,
                                                                 std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  Result<storage::CustomerStatus> status = store_.Reader(caller.account_id).GetCustomerStatus(id);
  if (!status.ok())
    return base::NotFoundAs(status.status(), Status::NotFound("customer status", id));
  return status;
}

Result<std::vector<storage::CustomerStatus>> RecordService::AddCustomerStatuses(
    const Caller& caller, std::span<const CustomerStatusInput> items, FailedItem failed) const {
  return WriteCustomerStatuses(caller, items, failed, /*update=*/false);
}

Result<std::vector<storage::CustomerStatus>> RecordService::UpdateCustomerStatuses(
    const Caller& caller, std::span<const CustomerStatusInput> items, FailedItem failed) const {
  return WriteCustomerStatuses(caller, items, failed, /*update=*/true);
}

// A new status starts from Kommo's defaults (no name, sort 0, the palette's first colour); an
// update from the stored one. Either takes the members the input names.
Result<std::vector<storage::CustomerStatus>> RecordService::WriteCustomerStatuses(
    const Caller& caller, std::span<const CustomerStatusInput> items, FailedItem failed,
    bool update) const {
  GH_RETURN_IF_ERROR(RequireStatusAdmin(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch<storage::CustomerStatus>(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<storage::CustomerStatus> {
        const CustomerStatusInput& in = items[i];
        storage::CustomerStatus old{.color = std::string(kColors[0])};
        if (update) {
          Result<storage::CustomerStatus> stored = w.GetCustomerStatus(in.id);
          if (!stored.ok()) {
            return base::NotFoundAs(stored.status(),
                                    Status::FieldNotFound("id", "customer status", in.id));
          }
          old = *std::move(stored);
        }
        storage::CustomerStatus status = old;
        if (in.name) status.name = *in.name;
        if (in.sort) status.sort = *in.sort;
        if (in.color) status.color = *in.color;
        GH_RETURN_IF_ERROR(CheckStatus(status));
        if (!update) {
          GH_ASSIGN_OR_RETURN(status, w.CreateCustomerStatus(status));
          GH_RETURN_IF_ERROR(RecordEvent(
              w, caller, now,
              {"customer_status_added", "customer_status", status.id, "[]", StatusValue(status)}));
        } else if (status != old) {
          GH_RETURN_IF_ERROR(w.UpdateCustomerStatus(status));
          GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                         {"customer_status_updated", "customer_status", status.id,
                                          StatusValue(old), StatusValue(status)}));
        }
        return status;
      });
}

Status RecordService::DeleteCustomerStatus(const Caller& caller, std::int64_t id) const {
  GH_RETURN_IF_ERROR(RequireStatusAdmin(caller));
  const std::int64_t now = clock_.NowSeconds();
  return store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    Result<storage::CustomerStatus> old = w.GetCustomerStatus(id);
    if (!old.ok()) return base::NotFoundAs(old.status(), Status::NotFound("customer status", id));
    GH_RETURN_IF_ERROR(w.DeleteCustomerStatus(id, now));
    return RecordEvent(w, caller, now,
                       {"customer_status_deleted", "customer_status", id, StatusValue(*old), "[]"});
  });
}

}  // namespace gatehouse::service
