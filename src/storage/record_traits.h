// One traits type per record kind: the single description of a kind that storage, the service
// and the HTTP resources all read, so that a kind is written once.
//
// RecordTraits<R> (R: Lead, Contact, Company, Task, IncomingLead, Conversation, Customer) gives
//   - kName / kPlural: "lead" / "leads" (error messages, event types and entity names / the table,
//     the API path and a task's entity_type);
//   - kDataSet: the row of the rights matrix (none for conversations, whose visibility is their
//     linked record's);
//   - kTable: which filters the table supports (sql_filter.h);
//   - kFields: the field table, one Field per column except id and account_id, in column order.
//     Storage derives its column lists, row decoding and encoding from it; the CSV export its
//     columns (Field::exported). A new column (a custom field kept in a column of its own) is one
//     more entry, a new kind one more specialisation (and one more case in VisitRecordKind, which
//     maps a data set to its kind);
//   - kTotals and kHasTasks: what a write must keep up to date besides the row (kHasTasks: the
//     kind is one of domain::kAttachableDataSets, whose records carry tasks and notes);
//   - Ref: what the permission engine sees of a record;
//   - the kind's own validation hooks, Resolve and Validate (declared here, defined with the
//     writes in store_records.cc), which the generic Create/Update of AccountWriter call around
//     the checks every kind shares (responsible user active, acting user of the account):
//       static base::Status Resolve(AccountWriter& w, R& record, const R* old);
//       static base::Status Validate(AccountWriter& w, R& record, const R* old, std::int64_t now);
//     `old` is the stored record on update, nullptr on create. Resolve checks and fills the
//     references the kind adds (a lead's stage, a task's record); Validate checks values and
//     fills derived ones (a lead's price and closed_at, a contact's name). A kind without rules
//     of its own declares neither.
//
// Light on purpose (no SQL, no JSON): included by store.h, hence by most of the tree.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "domain/account.h"
#include "domain/incoming_category.h"
#include "domain/rights.h"
#include "storage/record_rows.h"

namespace gatehouse::storage {

class AccountWriter;

// Which columns a record table has beyond id, account_id, name, responsible_user_id,
// created_by, created_at and updated_at (which all have): the filters a list may use.
struct TableTraits {
  std::string_view table{};
  std::string_view name_column = "name";
  bool stages = false;    // pipeline_id + status_id, and stage audiences apply (leads)
  bool pipeline = false;  // pipeline_id
  bool price = false;
  bool closed_at = false;
  bool completed = false;  // is_completed
  bool entity = false;     // entity_type + entity_id
  bool updated_by = false;
  bool task_type = false;        // task_type_id
  bool category = false;         // incoming leads' category
  bool uid = false;              // incoming leads' uid (Kommo's string identifier)
  bool customer_status = false;  // customers: status_id (a customer status, not a lead stage)
  bool next_date = false;        // customers: next_date
  // Records carry tags of the account's catalog for `table` (migration 13): filter[tags], the
  // record_tags rows a delete removes, and the service's tag writes and embedding.
  bool tags = false;
  // Records carry custom field values (custom_field_values rows with entity_type `table`,
  // migration 15): filter[custom_fields_values].
  bool custom_fields = false;
  // closest_task_at is kept from the records' tasks (closest_task.h): filter[closest_task_at].
  bool closest_task = false;
};

// How a member is kept in its column.
enum class FieldKind : std::uint8_t {
  kInt,        // INTEGER
  kReference,  // INTEGER, NULL for 0 (an optional user, time or record)
  kBool,       // INTEGER 0 or 1
  kText,       // TEXT
  kDataSet,    // TEXT: an attached record's data set by name ("leads"), "" for none
  kCategory,   // TEXT: an incoming lead's category by name ("sip")
};

// One column of a record table and the member of R it holds: exactly one of the member pointers
// is set, the one `kind` names.
template <typename R>
struct Field {
  std::string_view column{};
  FieldKind kind = FieldKind::kInt;
  std::int64_t R::*integer = nullptr;
  bool R::*boolean = nullptr;
  std::string R::*text = nullptr;
  std::optional<domain::DataSet> R::*data_set = nullptr;
  std::optional<domain::IncomingCategory> R::*category = nullptr;
  bool exported = false;  // a column of the CSV export (after id, in table order)

  constexpr Field(std::string_view c, std::int64_t R::*m, FieldKind k = FieldKind::kInt)
      : column(c), kind(k), integer(m) {}
  constexpr Field(std::string_view c, bool R::*m) : column(c), kind(FieldKind::kBool), boolean(m) {}
  constexpr Field(std::string_view c, std::string R::*m)
      : column(c), kind(FieldKind::kText), text(m) {}
  constexpr Field(std::string_view c, std::optional<domain::DataSet> R::*m)
      : column(c), kind(FieldKind::kDataSet), data_set(m) {}
  constexpr Field(std::string_view c, std::optional<domain::IncomingCategory> R::*m)
      : column(c), kind(FieldKind::kCategory), category(m) {}
  constexpr Field Exported() const {
    Field f = *this;
    f.exported = true;
    return f;
  }
};

// What a member kept by name (kDataSet, kCategory) stands for in its column and in exports: the
// value's name, "" for none (and for a field of any other kind).
template <typename R>
std::string_view NameText(const Field<R>& field, const R& record) {
  if (field.kind == FieldKind::kDataSet) {
    const std::optional<domain::DataSet>& value = record.*field.data_set;
    return value ? domain::DataSetName(*value) : std::string_view();
  }
  if (field.kind == FieldKind::kCategory) {
    const std::optional<domain::IncomingCategory>& value = record.*field.category;
    return value ? domain::IncomingCategoryName(*value) : std::string_view();
  }
  return {};
}

// What a write keeps counted besides the row (migrations 9 and 10).
enum class Totals : std::uint8_t {
  kNone,           // incoming leads, conversations
  kLeadCells,      // leads: (pipeline, stage, responsible) cells with price sums
  kByResponsible,  // contacts, companies, tasks: a count per responsible user
};

inline constexpr FieldKind kRef = FieldKind::kReference;

// The field tables of kinds that share columns are written as parts joined in column order.
template <typename R, std::size_t A, std::size_t B, std::size_t... I>
constexpr std::array<Field<R>, A + B> JoinFields(const std::array<Field<R>, A>& a,
                                                 const std::array<Field<R>, B>& b,
                                                 std::index_sequence<I...>) {
  return {(I < A ? a[I] : b[I - A])...};
}
template <typename R, std::size_t A, std::size_t B, std::size_t... More>
constexpr auto JoinFields(const std::array<Field<R>, A>& a, const std::array<Field<R>, B>& b,
                          const std::array<Field<R>, More>&... more) {
  auto joined = JoinFields(a, b, std::make_index_sequence<A + B>());
  if constexpr (sizeof...(More) == 0) {
    return joined;
  } else {
    return JoinFields(joined, more...);
  }
}

// Who owns a record, who wrote it and when: exported, in this column order, by every kind the
// API edits but tasks.
template <typename R>
constexpr std::array<Field<R>, 5> OwnershipFields() {
  return {Field<R>("responsible_user_id", &R::responsible_user_id, kRef).Exported(),
          Field<R>("created_by", &R::created_by).Exported(),
          Field<R>("updated_by", &R::updated_by).Exported(),
          Field<R>("created_at", &R::created_at).Exported(),
          Field<R>("updated_at", &R::updated_at).Exported()};
}

// The next task's time and the custom field values: the last columns of contacts, companies and
// customers.
template <typename R>
constexpr std::array<Field<R>, 2> TaskAndCustomFields() {
  return {Field<R>("closest_task_at", &R::closest_task_at, kRef),
          Field<R>("custom_fields", &R::custom_fields_json)};
}

// What the permission engine sees of a record of a kind without stages: its data set and its
// responsible user.
template <typename R>
domain::RecordRef OwnerRef(domain::DataSet data_set, const R& r) {
  return {data_set, r.responsible_user_id, 0, 0};
}

template <typename R>
struct RecordTraits;

template <>
struct RecordTraits<Lead> {
  static constexpr std::string_view kName = "lead";
  static constexpr std::string_view kPlural = "leads";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kLeads;
  static constexpr Totals kTotals = Totals::kLeadCells;
  static constexpr bool kHasTasks = true;
  static constexpr TableTraits kTable{.table = "leads",
                                      .stages = true,
                                      .pipeline = true,
                                      .price = true,
                                      .closed_at = true,
                                      .updated_by = true,
                                      .tags = true,
                                      .custom_fields = true,
                                      .closest_task = true};
  using L = Lead;
  static constexpr auto kFields = JoinFields(
      std::array{Field<L>("name", &L::name).Exported(), Field<L>("price", &L::price).Exported(),
                 Field<L>("pipeline_id", &L::pipeline_id).Exported(),
                 Field<L>("status_id", &L::status_id).Exported()},
      OwnershipFields<L>(),
      std::array{Field<L>("closed_at", &L::closed_at, kRef).Exported(),
                 Field<L>("closest_task_at", &L::closest_task_at, kRef),
                 Field<L>("loss_reason_id", &L::loss_reason_id),
                 Field<L>("custom_fields", &L::custom_fields_json)});
  static domain::RecordRef Ref(const Lead& l) {
    return {kDataSet, l.responsible_user_id, l.pipeline_id, l.status_id};
  }
  // The stage (main pipeline and its first working stage by default) must be one of this
  // account; on update checked only when it changes.
  static base::Status Resolve(AccountWriter& w, Lead& lead, const Lead* old);
  // price >= 0; updated_by defaults to created_by; closed_at follows the stage (set when it
  // enters won or lost, cleared when it leaves them); a loss_reason_id other than 0 is one of
  // the account's loss reasons (checked when it changes).
  static base::Status Validate(AccountWriter& w, Lead& lead, const Lead* old, std::int64_t now);
};

template <>
struct RecordTraits<Contact> {
  static constexpr std::string_view kName = "contact";
  static constexpr std::string_view kPlural = "contacts";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kContacts;
  static constexpr Totals kTotals = Totals::kByResponsible;
  static constexpr bool kHasTasks = true;
  static constexpr TableTraits kTable{.table = "contacts",
                                      .updated_by = true,
                                      .tags = true,
                                      .custom_fields = true,
                                      .closest_task = true};
  using C = Contact;
  static constexpr auto kFields =
      JoinFields(std::array{Field<C>("name", &C::name).Exported(),
                            Field<C>("first_name", &C::first_name).Exported(),
                            Field<C>("last_name", &C::last_name).Exported()},
                 OwnershipFields<C>(), TaskAndCustomFields<C>());
  static domain::RecordRef Ref(const Contact& c) { return OwnerRef(kDataSet, c); }
  // A new contact without a name is named "first_name last_name".
  static base::Status Validate(AccountWriter& w, Contact& contact, const Contact* old,
                               std::int64_t now);
};

template <>
struct RecordTraits<Company> {
  static constexpr std::string_view kName = "company";
  static constexpr std::string_view kPlural = "companies";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kCompanies;
  static constexpr Totals kTotals = Totals::kByResponsible;
  static constexpr bool kHasTasks = true;
  static constexpr TableTraits kTable{.table = "companies",
                                      .updated_by = true,
                                      .tags = true,
                                      .custom_fields = true,
                                      .closest_task = true};
  using C = Company;
  static constexpr auto kFields = JoinFields(std::array{Field<C>("name", &C::name).Exported()},
                                             OwnershipFields<C>(), TaskAndCustomFields<C>());
  static domain::RecordRef Ref(const Company& c) { return OwnerRef(kDataSet, c); }
};

template <>
struct RecordTraits<Task> {
  static constexpr std::string_view kName = "task";
  static constexpr std::string_view kPlural = "tasks";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kTasks;
  static constexpr Totals kTotals = Totals::kByResponsible;
  static constexpr bool kHasTasks = false;
  static constexpr TableTraits kTable{.table = "tasks",
                                      .name_column = "task_text",
                                      .completed = true,
                                      .entity = true,
                                      .updated_by = true,
                                      .task_type = true};
  using T = Task;
  static constexpr Field<Task> kFields[] = {
      Field<T>("entity_type", &T::entity_type),
      Field<T>("entity_id", &T::entity_id),
      Field<T>("task_type_id", &T::task_type_id),
      Field<T>("task_text", &T::text),
      Field<T>("complete_till", &T::complete_till),
      Field<T>("duration", &T::duration),
      Field<T>("is_completed", &T::is_completed),
      Field<T>("result_text", &T::result_text),
      Field<T>("responsible_user_id", &T::responsible_user_id, kRef),
      Field<T>("created_by", &T::created_by),
      Field<T>("updated_by", &T::updated_by),
      Field<T>("created_at", &T::created_at),
      Field<T>("updated_at", &T::updated_at),
  };
  static domain::RecordRef Ref(const Task& t) { return OwnerRef(kDataSet, t); }
  // The record it is attached to (domain::kAttachableDataSets) must exist in this account.
  static base::Status Resolve(AccountWriter& w, Task& task, const Task* old);
  // A task type of the account; complete_till a unix time; duration seconds >= 0.
  static base::Status Validate(AccountWriter& w, Task& task, const Task* old, std::int64_t now);
};

template <>
struct RecordTraits<IncomingLead> {
  static constexpr std::string_view kName = "incoming lead";
  static constexpr std::string_view kPlural = "incoming_leads";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kIncomingLeads;
  static constexpr Totals kTotals = Totals::kNone;
  static constexpr bool kHasTasks = false;
  static constexpr TableTraits kTable{.table = "incoming_leads",
                                      .name_column = "lead_name",
                                      .pipeline = true,
                                      .category = true,
                                      .uid = true};
  using I = IncomingLead;
  static constexpr Field<IncomingLead> kFields[] = {
      Field<I>("uid", &I::uid),
      Field<I>("category", &I::category),
      Field<I>("source_uid", &I::source_uid),
      Field<I>("source_name", &I::source_name),
      Field<I>("pipeline_id", &I::pipeline_id),
      Field<I>("responsible_user_id", &I::responsible_user_id, kRef),
      Field<I>("state", &I::state),
      Field<I>("accepted_lead_id", &I::accepted_lead_id),
      Field<I>("lead_name", &I::lead_name),
      Field<I>("lead_price", &I::lead_price),
      Field<I>("metadata", &I::metadata_json),
      Field<I>("embedded", &I::embedded_json),
      Field<I>("created_at", &I::created_at),
      Field<I>("updated_at", &I::updated_at),
  };
  static domain::RecordRef Ref(const IncomingLead& i) {
    return {kDataSet, i.responsible_user_id, i.pipeline_id, 0};
  }
  // uid required, category one of sip, forms, mail, chats, pipeline of this account.
  static base::Status Resolve(AccountWriter& w, IncomingLead& item, const IncomingLead* old);
  // A new item is pending.
  static base::Status Validate(AccountWriter& w, IncomingLead& item, const IncomingLead* old,
                               std::int64_t now);
};

template <>
struct RecordTraits<Conversation> {
  static constexpr std::string_view kName = "conversation";
  static constexpr std::string_view kPlural = "conversations";
  static constexpr Totals kTotals = Totals::kNone;
  static constexpr bool kHasTasks = false;
  static constexpr TableTraits kTable{
      .table = "conversations", .name_column = "subject", .entity = true};
  using C = Conversation;
  static constexpr Field<Conversation> kFields[] = {
      Field<C>("channel", &C::channel),
      Field<C>("subject", &C::subject),
      Field<C>("entity_type", &C::entity_type),
      Field<C>("entity_id", &C::entity_id),
      Field<C>("responsible_user_id", &C::responsible_user_id, kRef),
      Field<C>("is_closed", &C::is_closed),
      Field<C>("created_at", &C::created_at),
      Field<C>("updated_at", &C::updated_at),
      Field<C>("last_message_at", &C::last_message_at),
  };
  // The linked record (leads, contacts or companies) must exist in this account.
  static base::Status Resolve(AccountWriter& w, Conversation& conversation,
                              const Conversation* old);
};

// Customers: the leads' row of the rights matrix without stage rights (kDataSet kCustomers,
// domain::RightsRow), counted per responsible user like contacts; they carry tasks and notes.
template <>
struct RecordTraits<Customer> {
  static constexpr std::string_view kName = "customer";
  static constexpr std::string_view kPlural = "customers";
  static constexpr domain::DataSet kDataSet = domain::DataSet::kCustomers;
  static constexpr Totals kTotals = Totals::kByResponsible;
  static constexpr bool kHasTasks = true;
  static constexpr TableTraits kTable{.table = "customers",
                                      .updated_by = true,
                                      .customer_status = true,
                                      .next_date = true,
                                      .tags = true,
                                      .custom_fields = true,
                                      .closest_task = true};
  using C = Customer;
  static constexpr auto kFields =
      JoinFields(std::array{Field<C>("name", &C::name).Exported(),
                            Field<C>("next_price", &C::next_price).Exported(),
                            Field<C>("next_date", &C::next_date, kRef).Exported(),
                            Field<C>("status_id", &C::status_id).Exported(),
                            Field<C>("periodicity", &C::periodicity).Exported()},
                 OwnershipFields<C>(), TaskAndCustomFields<C>());
  static domain::RecordRef Ref(const Customer& c) { return OwnerRef(kDataSet, c); }
  // The status (the account's first when 0) must be a customer status of this account.
  static base::Status Resolve(AccountWriter& w, Customer& customer, const Customer* old);
  // next_price, periodicity >= 0; updated_by defaults to created_by.
  static base::Status Validate(AccountWriter& w, Customer& customer, const Customer* old,
                               std::int64_t now);
};

// Calls `visit.template operator()<R>()` for the record kind R whose data set is `data_set`
// (RecordTraits<R>::kDataSet) and returns its result: the one place where a data set that
// arrives as a value (an event's entity, a note's or a task's record) names its kind.
template <typename Visit>
constexpr decltype(auto) VisitRecordKind(domain::DataSet data_set, Visit&& visit) {
  switch (data_set) {
    case domain::DataSet::kLeads:
      return visit.template operator()<Lead>();
    case domain::DataSet::kContacts:
      return visit.template operator()<Contact>();
    case domain::DataSet::kCompanies:
      return visit.template operator()<Company>();
    case domain::DataSet::kTasks:
      return visit.template operator()<Task>();
    case domain::DataSet::kCustomers:
      return visit.template operator()<Customer>();
    case domain::DataSet::kIncomingLeads:
      break;
  }
  return visit.template operator()<IncomingLead>();
}

// The attachable kinds (domain::kAttachableDataSets) are exactly the ones whose records carry
// tasks and notes and keep closest_task_at: a kind added to one is added to all.
constexpr bool CarriesTasks(domain::DataSet data_set) {
  return VisitRecordKind(data_set, []<typename R>() {
    return RecordTraits<R>::kHasTasks && RecordTraits<R>::kTable.closest_task;
  });
}
static_assert([] {
  for (domain::DataSet data_set : domain::kAllDataSets) {
    if (CarriesTasks(data_set) != domain::IsAttachable(data_set)) return false;
  }
  return CarriesTasks(domain::DataSet::kCustomers);
}());

// The record kinds whose records carry tags (TableTraits::tags).
template <typename R>
concept TaggedRecord = requires {
  RecordTraits<R>::kTable;
}
&&RecordTraits<R>::kTable.tags;

// The record kinds with a row in the rights matrix that the API lists, reads and writes alike.
template <typename R>
concept ProtectedRecord = requires(const R& r) {
  { RecordTraits<R>::Ref(r) } -> std::same_as<domain::RecordRef>;
};

}  // namespace gatehouse::storage
