// The customer phases of an import: customer statuses, then customers with their tags, custom
// field values and links (their tasks and notes are import_records.cc's). A source with
// customers switched off answers their lists 402, 403 or 404: Run::Pages then skips them all.
#include <algorithm>

#include "import/import_run.h"
#include "service/records/records.h"

namespace gatehouse::import::internal {

namespace {

bool IsSystemCustomerStatus(std::int64_t type) {
  return type == storage::kCustomerStatusExpectedPurchase ||
         type == storage::kCustomerStatusPurchaseMissed || type == storage::kCustomerStatusClosed ||
         type == storage::kCustomerStatusRecentlyBought;
}

constexpr char kOffPalette[] =
    "customer statuses' colours off Kommo's palette (the status keeps Gatehouse's colour)";

}  // namespace

Status Run::CustomerStatuses() {
  return Pages(
      "/api/v4/customers/statuses", "", "statuses",
      [&](const json& items) {
        Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
          // Before anything is mapped the account has only the statuses it was created with.
          const bool first = Map("customer_status").empty();
          std::vector<const json*> unmatched;
          for (const json& item : items) {
            ++counts_["customer_statuses"].read;
            if (Local("customer_status", IntOf(item, "id"))) continue;
            GH_ASSIGN_OR_RETURN(bool matched, MatchCustomerStatus(w, item));
            if (!matched) unmatched.push_back(&item);
          }
          if (first) GH_RETURN_IF_ERROR(DropUnmatchedCustomerStatuses(w));
          for (const json* item : unmatched) GH_RETURN_IF_ERROR(AddCustomerStatus(w, *item));
          return Status::Ok();
        });
        Progress("customer_statuses");
        return s;
      },
      /*paged=*/false);
}

Result<bool> Run::MatchCustomerStatus(AccountWriter& w, const json& item) {
  const std::int64_t type = IntOf(item, "type");
  const std::string name = TextOf(item, "name");
  GH_ASSIGN_OR_RETURN(std::vector<storage::CustomerStatus> locals, w.ListCustomerStatuses());
  const auto& mapped = Map("customer_status");
  for (const storage::CustomerStatus& local : locals) {
    const bool taken = std::any_of(mapped.begin(), mapped.end(),
                                   [&](const auto& entry) { return entry.second == local.id; });
    const bool same = IsSystemCustomerStatus(type)
                          ? local.type == type
                          : local.type == storage::kCustomerStatusRegular && local.name == name;
    if (taken || !same) continue;
    // A status Gatehouse refuses keeps the local one's name, sort and colour.
    if (auto status = SourceCustomerStatus(item, local); status && *status != local) {
      GH_RETURN_IF_ERROR(w.UpdateCustomerStatus(*status));
    }
    GH_RETURN_IF_ERROR(Remember(w, "customer_status", IntOf(item, "id"), local.id));
    ++counts_["customer_statuses"].created;
    return true;
  }
  return false;
}

Status Run::DropUnmatchedCustomerStatuses(AccountWriter& w) {
  GH_ASSIGN_OR_RETURN(std::vector<storage::CustomerStatus> locals, w.ListCustomerStatuses());
  const auto& mapped = Map("customer_status");
  for (const storage::CustomerStatus& local : locals) {
    const bool taken = std::any_of(mapped.begin(), mapped.end(),
                                   [&](const auto& entry) { return entry.second == local.id; });
    if (taken || local.is_default) continue;
    GH_RETURN_IF_ERROR(w.DeleteCustomerStatus(local.id, now_));
  }
  return Status::Ok();
}

Status Run::AddCustomerStatus(AccountWriter& w, const json& item) {
  const storage::CustomerStatus base{.color = std::string(service::DefaultCustomerStatusColor())};
  std::optional<storage::CustomerStatus> status = SourceCustomerStatus(item, base);
  if (!status) {
    ++counts_["customer_statuses"].left_out;
    return Status::Ok();
  }
  auto created = w.CreateCustomerStatus(*status);
  if (!created.ok()) {
    // Storage looks before it writes (at most kMaxCustomerStatuses): nothing was written.
    if (created.status().code() != base::Code::kInvalidArgument) return created.status();
    LeaveOut("customer_statuses",
             "customer statuses Gatehouse refuses (" + created.status().message() + ")");
    return Status::Ok();
  }
  GH_RETURN_IF_ERROR(Remember(w, "customer_status", IntOf(item, "id"), created->id));
  ++counts_["customer_statuses"].created;
  return Status::Ok();
}

std::optional<storage::CustomerStatus> Run::SourceCustomerStatus(const json& item,
                                                                 storage::CustomerStatus base) {
  storage::CustomerStatus status = base;
  status.name = TextOf(item, "name");
  status.sort = IntOf(item, "sort");
  status.color = TextOf(item, "color");
  if (const auto it = item.find("conditions"); it != item.end() && it->is_array() && !it->empty()) {
    ++left_out_["customer statuses' conditions (Gatehouse moves no customer by itself)"];
  }
  Status checked = service::CheckCustomerStatus(status);
  if (!checked.ok() && !checked.fields().empty() && checked.fields().front().path == "color") {
    ++left_out_[kOffPalette];
    status.color = base.color;
    checked = service::CheckCustomerStatus(status);
  }
  if (!checked.ok()) {
    ++left_out_["customer statuses Gatehouse refuses (" +
                (checked.fields().empty() ? checked.message() : checked.fields().front().detail) +
                ")"];
    return std::nullopt;
  }
  return status;
}

Status Run::Customers() {
  return Records(
      "customers", "/api/v4/customers", "with=contacts,companies", "customers", "customer",
      [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
        storage::Customer customer{.name = TextOf(item, "name"),
                                   .next_price = IntOf(item, "next_price"),
                                   .next_date = IntOf(item, "next_date"),
                                   .periodicity = IntOf(item, "periodicity")};
        const std::int64_t status = IntOf(item, "status_id");
        if (auto local = Local("customer_status", status)) {
          customer.status_id = *local;
        } else if (status != 0) {
          ++left_out_["customers' statuses the source did not list (in the first status here)"];
        }
        Ownership(customer, item);
        GH_ASSIGN_OR_RETURN(storage::Customer stored, CreateTagged(w, customer, item));
        GH_RETURN_IF_ERROR(Links(w, domain::DataSet::kCustomers, stored.id, item));
        return stored.id;
      });
}

}  // namespace gatehouse::import::internal
