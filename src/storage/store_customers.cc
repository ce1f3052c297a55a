// Customers (migration 16): the kind's own rules (RecordTraits<Customer> hooks), customer
// statuses and a customer's links. The generic reads and writes are store_records.cc's.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/value_ranges.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::array kStatusFields{
    Field("name", &CustomerStatus::name), Field("sort", &CustomerStatus::sort),
    Field("type", &CustomerStatus::type), Field("color", &CustomerStatus::color),
    Field("is_default", &CustomerStatus::is_default)};
using StatusCodec = RowCodec<CustomerStatus, kStatusFields>;

// The account's first status (lowest sort) other than `except`: where a customer starts, and
// where the customers of a deleted status go.
Result<std::int64_t> FirstStatus(sql::Connection& c, AccountId account, std::int64_t except = 0) {
  Params params{Int(account), Int(except)};
  GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                         "SELECT id FROM customer_statuses WHERE account_id = ? "
                                         "AND id <> ? ORDER BY sort, id LIMIT 1",
                                         params, "customer status"));
  return sql::AsInt(row[0]);
}

}  // namespace

// ---- the kind's rules ----

Status RecordTraits<Customer>::Resolve(AccountWriter& w, Customer& customer, const Customer* old) {
  if (old != nullptr && customer.status_id == old->status_id) return Status::Ok();
  if (customer.status_id == 0) {
    GH_ASSIGN_OR_RETURN(customer.status_id, FirstStatus(w.connection(), w.account_id()));
    return Status::Ok();
  }
  if (Result<CustomerStatus> status = w.GetCustomerStatus(customer.status_id); !status.ok()) {
    return base::NotFoundAs(
        status.status(),
        Status::InvalidField("status_id", "NotFound",
                             "customer status " + std::to_string(customer.status_id) +
                                 " does not exist in this account"));
  }
  return Status::Ok();
}

Status RecordTraits<Customer>::Validate(AccountWriter&, Customer& customer, const Customer* old,
                                        std::int64_t) {
  GH_RETURN_IF_ERROR(CheckAmount("next_price", customer.next_price));
  GH_RETURN_IF_ERROR(
      CheckRange("periodicity", customer.periodicity, 0, kMaxPeriodicityDays, "a number of days"));
  GH_RETURN_IF_ERROR(CheckTime("next_date", customer.next_date));
  if (old == nullptr && customer.updated_by == 0) customer.updated_by = customer.created_by;
  return Status::Ok();
}

// ---- statuses ----

Result<std::vector<CustomerStatus>> AccountReader::ListCustomerStatuses() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<CustomerStatus>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + StatusCodec::Columns() +
                                                    " FROM customer_statuses WHERE account_id = ? "
                                                    "ORDER BY sort, id",
                                                params));
    return StatusCodec::FromRows(rows);
  });
}

Result<CustomerStatus> AccountReader::GetCustomerStatus(std::int64_t id) const {
  return WithConnection([&](sql::Connection& c) -> Result<CustomerStatus> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT " + StatusCodec::Columns() +
                                               " FROM customer_statuses WHERE account_id = ? "
                                               "AND id = ?",
                                           params, "customer status"));
    return StatusCodec::FromRow(row);
  });
}

Result<CustomerStatus> AccountWriter::CreateCustomerStatus(const CustomerStatus& input) {
  CustomerStatus status = input;
  status.type = kCustomerStatusRegular;
  status.is_default = false;
  if (status.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  Params account{Int(account_id_)};
  GH_ASSIGN_OR_RETURN(sql::Rows counted,
                      fixed_->Query("SELECT COUNT(*), COALESCE(MAX(CASE WHEN type = 0 OR type = 4 "
                                    "THEN sort END), 0) FROM customer_statuses WHERE "
                                    "account_id = ?",
                                    account));
  if (sql::AsInt(counted.rows.at(0).at(0)) >= kMaxCustomerStatuses) {
    return Status::InvalidField(
        "name", "TooMany",
        "an account has at most " + std::to_string(kMaxCustomerStatuses) + " customer statuses");
  }
  if (status.sort == 0) status.sort = sql::AsInt(counted.rows.at(0).at(1)) + 10;
  return InsertRow<StatusCodec>(*fixed_, "customer_statuses", account_id_, std::move(status));
}

Status AccountWriter::UpdateCustomerStatus(const CustomerStatus& status) {
  if (status.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  Params params{Text(status.name), Int(status.sort), Text(status.color), Int(account_id_),
                Int(status.id)};
  return ExecuteOne(*fixed_,
                    "UPDATE customer_statuses SET name = ?, sort = ?, color = ? WHERE "
                    "account_id = ? AND id = ?",
                    params, "customer status");
}

Status AccountWriter::DeleteCustomerStatus(std::int64_t id, std::int64_t now) {
  GH_ASSIGN_OR_RETURN(CustomerStatus status, GetCustomerStatus(id));
  if (status.is_default) {
    return Status::Error(
        Code::kFailedPrecondition,
        "customer status " + std::to_string(id) + " is a system status and cannot be deleted");
  }
  // Its customers first (they reference it), to the first of the other statuses (system ones
  // cannot be deleted, so there always is one).
  GH_ASSIGN_OR_RETURN(std::int64_t first, FirstStatus(*fixed_, account_id_, id));
  Params move{Int(first), Int(now), Int(account_id_), Int(id)};
  GH_RETURN_IF_ERROR(fixed_
                         ->Execute("UPDATE customers SET status_id = ?, updated_at = ? WHERE "
                                   "account_id = ? AND status_id = ?",
                                   move)
                         .status());
  Params params{Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "DELETE FROM customer_statuses WHERE account_id = ? AND id = ?",
                    params, "customer status");
}

Status AccountWriter::CreateDefaultCustomerStatuses() {
  struct Default {
    std::string_view name;
    std::int64_t sort;
    std::int64_t type;
    std::string_view color;
    bool is_default;
  };
  // As migration 16 inserts them for the accounts it finds.
  static constexpr Default kDefaults[] = {
      {"Recently bought", 10, kCustomerStatusRecentlyBought, "#87f2c0", true},
      {"Buy soon", 20, kCustomerStatusRegular, "#fffeb2", false},
      {"Expected purchase", 10000, kCustomerStatusExpectedPurchase, "#98cbff", true},
      {"Purchase missed", 10001, kCustomerStatusPurchaseMissed, "#ff8f92", true},
      {"Closed", 10002, kCustomerStatusClosed, "#e6e8ea", true},
  };
  for (const Default& d : kDefaults) {
    Params params{Int(account_id_), Text(std::string(d.name)),  Int(d.sort),
                  Int(d.type),      Text(std::string(d.color)), Bool(d.is_default)};
    GH_RETURN_IF_ERROR(fixed_
                           ->Execute("INSERT INTO customer_statuses (account_id, name, sort, "
                                     "type, color, is_default) VALUES (?, ?, ?, ?, ?, ?)",
                                     params)
                           .status());
  }
  return Status::Ok();
}

// ---- links ----

Result<std::vector<CustomerContactLink>> AccountReader::CustomerContacts(
    RecordId customer_id) const {
  return WithConnection([&](sql::Connection& c) {
    return ContactLinksOf<CustomerContactLink>(c, kCustomerLinks, account_id_, customer_id);
  });
}

Result<std::optional<RecordId>> AccountReader::CustomerCompany(RecordId customer_id) const {
  return WithConnection([&](sql::Connection& c) {
    return CompanyLinkOf(c, kCustomerLinks, account_id_, customer_id);
  });
}

Status AccountWriter::LinkCustomerContact(RecordId customer_id, RecordId contact_id, bool is_main) {
  GH_RETURN_IF_ERROR(Get<Customer>(customer_id).status());
  GH_RETURN_IF_ERROR(Get<Contact>(contact_id).status());
  return LinkContactTo(*fixed_, kCustomerLinks, account_id_, customer_id, contact_id, is_main);
}

Status AccountWriter::LinkCustomerCompany(RecordId customer_id, RecordId company_id) {
  GH_RETURN_IF_ERROR(Get<Customer>(customer_id).status());
  GH_RETURN_IF_ERROR(Get<Company>(company_id).status());
  return LinkCompanyTo(*fixed_, kCustomerLinks, account_id_, customer_id, company_id);
}

}  // namespace gatehouse::storage
