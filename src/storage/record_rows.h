// Rows of the protected records (leads, contacts, companies, tasks, incoming leads, shared-inbox
// conversations, notes, customers) and of what hangs on them: links, custom field values.
//
// A lead with responsible_user_id 0 has nobody responsible; created_by 0 is the robot/API.
// Plain values with no behaviour. Identifiers are the domain's integers; 0 means "none". Every
// member has an initializer ({} for the class-typed ones), so a row may be written with
// designated initializers that name only the fields that matter.
// Timestamps are unix seconds. JSON-shaped payloads travel as text and are parsed by the layer
// that renders them; these headers stay free of any JSON library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/account.h"
#include "domain/custom_fields.h"
#include "domain/incoming_category.h"
#include "storage/catalog_rows.h"
#include "storage/row_ids.h"

namespace gatehouse::storage {

struct Lead {
  RecordId id = 0;
  std::string name{};
  std::int64_t price = 0;
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closed_at = 0;        // 0: open
  std::int64_t closest_task_at = 0;  // 0: none
  std::int64_t loss_reason_id = 0;
  std::string custom_fields_json{};  // Kommo custom_fields_values array, or empty
  bool operator==(const Lead&) const = default;
};

struct Contact {
  RecordId id = 0;
  std::string name{};
  std::string first_name{};
  std::string last_name{};
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closest_task_at = 0;
  std::string custom_fields_json{};
  bool operator==(const Contact&) const = default;
};

struct Company {
  RecordId id = 0;
  std::string name{};
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closest_task_at = 0;
  std::string custom_fields_json{};
  bool operator==(const Company&) const = default;
};

// A task is attached to at most one record: a lead, a contact or a company (entity_type nullopt
// and entity_id 0 when free-standing). The column holds the data set's name ("leads", ...).
// The task types every account has (Kommo's defaults; custom types are not kept).
inline constexpr std::int64_t kFollowUpTaskType = 1;
inline constexpr std::int64_t kMeetingTaskType = 2;

struct Task {
  RecordId id = 0;
  std::optional<domain::DataSet> entity_type{};
  RecordId entity_id = 0;
  std::int64_t task_type_id = kFollowUpTaskType;
  std::string text{};
  std::int64_t complete_till = 0;
  std::int64_t duration = 0;
  bool is_completed = false;
  std::string result_text{};
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const Task&) const = default;
};

// An incoming (unsorted) lead, waiting in a pipeline's incoming stage to be accepted or declined.
struct IncomingLead {
  RecordId id = 0;
  std::string uid{};  // Kommo's string identifier, unique per account
  std::optional<domain::IncomingCategory> category{};  // kept as its name: "sip", "forms", ...
  std::string source_uid{};
  std::string source_name{};
  PipelineId pipeline_id = 0;
  UserId responsible_user_id = 0;
  std::string state = "pending";  // "pending", "accepted", "declined"
  RecordId accepted_lead_id = 0;  // set when accepted
  std::string lead_name{};        // proposed lead name
  std::int64_t lead_price = 0;
  std::string metadata_json{};  // category-specific payload
  // The contacts and companies sent with it, written and read by the service as
  // {"contacts": [...], "companies": [...]}; "" when none.
  std::string embedded_json{};
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const IncomingLead&) const = default;
};

// The incoming leads of one category an IncomingSummary counts.
struct IncomingCategoryCount {
  domain::IncomingCategory category = domain::IncomingCategory::kForms;
  std::int64_t total = 0;
  bool operator==(const IncomingCategoryCount&) const = default;
};

// What Kommo's GET /api/v4/leads/unsorted/summary tells of a set of incoming leads
// (AccountReader::SummarizeIncoming).
struct IncomingSummary {
  std::int64_t total = 0;
  std::int64_t accepted = 0;
  std::int64_t declined = 0;
  // The mean time from creation to decision of the accepted and declined ones, in whole seconds
  // rounded down (0 when none is decided). A decision stamped before the creation time a form
  // sent counts as 0 seconds.
  std::int64_t average_sort_time = 0;
  // Every category of domain::kAllIncomingCategories, in that order, 0 where none.
  std::vector<IncomingCategoryCount> categories{};
  bool operator==(const IncomingSummary&) const = default;
};

// A shared-inbox conversation; visible only when its linked record is (SPEC §2).
struct Conversation {
  RecordId id = 0;
  std::string channel{};  // "email", "chat", ...
  std::string subject{};
  std::optional<domain::DataSet> entity_type{};  // linked record: leads, contacts or companies
  RecordId entity_id = 0;
  UserId responsible_user_id = 0;
  bool is_closed = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t last_message_at = 0;
  bool operator==(const Conversation&) const = default;
};

// One message of a shared-inbox conversation, in the order written (id ascending).
struct ConversationMessage {
  RecordId id = 0;
  RecordId conversation_id = 0;
  UserId author_user_id = 0;  // 0: the system or an integration robot
  std::string text{};
  std::int64_t created_at = 0;
  bool operator==(const ConversationMessage&) const = default;
};

// A note of a lead, contact, company or customer (migration 14). It has no rights of its own: it
// exists for a user exactly when its record does (AccountReader::ListVisibleNotes).
struct Note {
  RecordId id = 0;
  domain::DataSet entity_type = domain::DataSet::kLeads;  // domain::kAttachableDataSets
  RecordId entity_id = 0;
  std::string note_type{};    // "common", "call_in", ... (service/records/notes.h)
  std::string params_json{};  // the type's parameters: a JSON object
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const Note&) const = default;
};

// A customer (Kommo's repeat buyer, issue 15 §4): its rights are the leads' (SPEC §1) without
// stage rights; status_id is one of the account's customer statuses, not a lead stage.
struct Customer {
  RecordId id = 0;
  std::string name{};
  std::int64_t next_price = 0;   // expected amount of the next purchase
  std::int64_t next_date = 0;    // 0: none
  std::int64_t status_id = 0;    // a CustomerStatus of the account
  std::int64_t periodicity = 0;  // days between purchases; 0: none
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closest_task_at = 0;
  std::string custom_fields_json{};
  bool operator==(const Customer&) const = default;
};

// Kommo's customer status types (GET /api/v4/customers/statuses).
inline constexpr std::int64_t kCustomerStatusRegular = 0;
inline constexpr std::int64_t kCustomerStatusExpectedPurchase = 1;
inline constexpr std::int64_t kCustomerStatusPurchaseMissed = 2;
inline constexpr std::int64_t kCustomerStatusClosed = 3;
inline constexpr std::int64_t kCustomerStatusRecentlyBought = 4;

// A customer status. The system ones (is_default: the first, type 4, and the three final ones,
// types 1-3) exist in every account and cannot be deleted; administrators add regular ones.
struct CustomerStatus {
  std::int64_t id = 0;
  std::string name{};
  std::int64_t sort = 0;
  std::int64_t type = kCustomerStatusRegular;
  std::string color{};
  bool is_default = false;
  bool operator==(const CustomerStatus&) const = default;
};

// A lead read with what deciding the visibility of its company needs, and its tags (GET
// /leads/{id} in one statement). company_id 0: the lead has no company.
struct LeadWithCompany {
  Lead lead{};
  RecordId company_id = 0;
  UserId company_responsible_user_id = 0;
  std::vector<Tag> tags{};  // by id, as TagsOf
};

// The links a response embeds (Kommo's with=), read for a whole page in one statement each way
// (AccountReader::Linked; its statements are a table in this order, kCompanyCustomers last).
enum class Link : std::uint8_t {
  kLeadContacts,      // a lead's contacts
  kLeadCompany,       // a lead's company (at most one)
  kContactLeads,      // a contact's leads
  kCompanyLeads,      // a company's leads
  kCustomerContacts,  // a customer's contacts
  kCustomerCompany,   // a customer's company (at most one)
  kContactCustomers,  // the customers a contact is linked to
  kCompanyCustomers,  // the customers a company is linked to
};

// One link of a record to a record of another kind, with the linked record as the permission
// engine sees it (to decide whether the caller may see the link).
struct LinkedRecord {
  RecordId of = 0;          // the record the links were read for
  RecordId id = 0;          // the linked record
  bool is_main = false;     // kLeadContacts: the lead's main contact
  domain::RecordRef ref{};  // the linked record's data set, responsible user, pipeline and stage
};

// A lead <-> contact link. A lead has at most one company (Kommo), many contacts, one main.
struct LeadContactLink {
  RecordId lead_id = 0;
  RecordId contact_id = 0;
  bool is_main = false;
  bool operator==(const LeadContactLink&) const = default;
};

// A customer <-> contact link (many contacts, one main) and a customer's company (at most one).
struct CustomerContactLink {
  RecordId customer_id = 0;
  RecordId contact_id = 0;
  bool is_main = false;
  bool operator==(const CustomerContactLink&) const = default;
};

// One stored value of a custom field of a record (custom_field_values, migration 15).
struct FieldValueRow {
  RecordId record_id = 0;
  std::int64_t field_id = 0;
  domain::FieldValue value{};
  bool operator==(const FieldValueRow&) const = default;
};

}  // namespace gatehouse::storage
