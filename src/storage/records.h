// Row types of the store: what storage reads and writes, one struct per table family.
//
// Plain values with no behaviour. Identifiers are the domain's integers; 0 means "none"
// (a lead with responsible_user_id 0 has nobody responsible, created_by 0 is the robot/API).
// Timestamps are unix seconds. JSON-shaped payloads (custom fields, metadata) travel as text and
// are parsed by the layer that renders them; this header stays free of any JSON library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/account.h"
#include "domain/custom_fields.h"
#include "domain/ids.h"

namespace gatehouse::storage {

using domain::AccountId;
using domain::GroupId;
using domain::PipelineId;
using domain::RecordId;
using domain::RoleId;
using domain::StatusId;
using domain::UserId;

struct AccountRow {
  AccountId id = 0;
  std::string subdomain;  // unique, lower case
  std::string name;
  std::int64_t seats = 0;  // paid seats
  std::int64_t created_at = 0;
  bool operator==(const AccountRow&) const = default;
};

// A user with everything the auth layer needs. `user` is the policy's view (rights, group,
// role link, flags); the rest is authentication state.
struct UserRow {
  domain::User user;
  std::string password_hash;  // Argon2id encoded string; empty: no password set
  std::string lang = "en";
  std::int64_t created_at = 0;
  std::int64_t last_login_at = 0;  // 0: never
  // When the user was last made active again after a deactivation; 0: never (the dormant-user
  // rule counts from the latest of this, the last login and, without a login, the creation).
  std::int64_t reactivated_at = 0;
  // Two-step verification (TOTP).
  std::string totp_secret;  // base32; empty when not enrolled
  bool totp_enabled = false;
  std::int64_t totp_last_step = 0;                // last accepted 30 s step (replay guard)
  std::vector<std::string> recovery_code_hashes;  // unused codes only
  bool operator==(const UserRow&) const = default;
};

// The Kommo account an account was imported from (migration 20).
struct ImportSourceRow {
  std::string source;  // the source's origin, e.g. "https://acme.kommo.com"
  std::int64_t source_account_id = 0;
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;  // 0: no run has finished yet
  bool operator==(const ImportSourceRow&) const = default;
};

struct Lead {
  RecordId id = 0;
  std::string name;
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
  std::string custom_fields_json;  // Kommo custom_fields_values array, or empty
  bool operator==(const Lead&) const = default;
};

// One cell of the lead totals (migration 9): the leads of one stage with one responsible user
// (0: nobody). Every permission predicate of SPEC §2 reads only these three values, so a user's
// visible count and total are a sum over the cells their filter admits.
struct LeadCell {
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  UserId responsible_user_id = 0;
  auto operator<=>(const LeadCell&) const = default;
};

struct LeadCellTotals {
  LeadCell cell;
  std::int64_t count = 0;  // leads in the cell
  std::int64_t price = 0;  // sum of their prices
  bool operator==(const LeadCellTotals&) const = default;
};

// A cell whose stored totals differ from the leads (AccountReader::VerifyLeadTotals).
struct LeadTotalsDifference {
  LeadCell cell;
  std::int64_t stored_count = 0;
  std::int64_t stored_price = 0;
  std::int64_t actual_count = 0;
  std::int64_t actual_price = 0;
  bool operator==(const LeadTotalsDifference&) const = default;
};

// A (data set, responsible user) whose stored contact, company or task count differs from the
// rows (AccountReader::VerifyRecordTotals); responsible -1 is the data set's rollup.
struct RecordTotalsDifference {
  std::string data_set;  // "contacts", "companies", "tasks"
  UserId responsible_user_id = 0;
  std::int64_t stored_count = 0;
  std::int64_t actual_count = 0;
  bool operator==(const RecordTotalsDifference&) const = default;
};

struct Contact {
  RecordId id = 0;
  std::string name;
  std::string first_name;
  std::string last_name;
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closest_task_at = 0;
  std::string custom_fields_json;
  bool operator==(const Contact&) const = default;
};

struct Company {
  RecordId id = 0;
  std::string name;
  UserId responsible_user_id = 0;
  UserId created_by = 0;
  UserId updated_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t closest_task_at = 0;
  std::string custom_fields_json;
  bool operator==(const Company&) const = default;
};

// A task is attached to at most one record: entity_type "leads", "contacts" or "companies"
// (empty with entity_id 0 when free-standing).
struct Task {
  RecordId id = 0;
  std::string entity_type;
  RecordId entity_id = 0;
  std::int64_t task_type_id = 1;  // 1 follow-up (call), 2 meeting
  std::string text;
  std::int64_t complete_till = 0;
  std::int64_t duration = 0;
  bool is_completed = false;
  std::string result_text;
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
  std::string uid;       // Kommo's string identifier, unique per account
  std::string category;  // "sip", "forms", "mail", "chats"
  std::string source_uid;
  std::string source_name;
  PipelineId pipeline_id = 0;
  UserId responsible_user_id = 0;
  std::string state = "pending";  // "pending", "accepted", "declined"
  RecordId accepted_lead_id = 0;  // set when accepted
  std::string lead_name;          // proposed lead name
  std::int64_t lead_price = 0;
  std::string metadata_json;  // category-specific payload
  // The contacts and companies sent with it, written and read by the service as
  // {"contacts": [...], "companies": [...]}; "" when none.
  std::string embedded_json;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const IncomingLead&) const = default;
};

// Lists (catalogs) and their items. Access is the Lists feature switch, not a per-record right.
// One stored value of a custom field of a record (custom_field_values, migration 15).
struct FieldValueRow {
  RecordId record_id = 0;
  std::int64_t field_id = 0;
  domain::FieldValue value;
  bool operator==(const FieldValueRow&) const = default;
};

struct List {
  std::int64_t id = 0;
  std::string name;
  std::int64_t sort = 0;
  std::int64_t created_at = 0;
  bool operator==(const List&) const = default;
};

struct ListItem {
  RecordId id = 0;
  std::int64_t list_id = 0;
  std::string name;
  std::string custom_fields_json;
  UserId created_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const ListItem&) const = default;
};

// A shared-inbox conversation; visible only when its linked record is (SPEC §2).
struct Conversation {
  RecordId id = 0;
  std::string channel;  // "email", "chat", ...
  std::string subject;
  std::string entity_type;  // linked record: "leads", "contacts", "companies" or empty
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
  std::string text;
  std::int64_t created_at = 0;
  bool operator==(const ConversationMessage&) const = default;
};

// A lead read with what deciding the visibility of its company needs (GET /leads/{id} in one
// statement). company_id 0: the lead has no company.
struct LeadWithCompany {
  Lead lead;
  RecordId company_id = 0;
  UserId company_responsible_user_id = 0;
};

// The links a response embeds (Kommo's with=), read for a whole page in one statement each way
// (AccountReader::Linked).
enum class Link : std::uint8_t {
  kLeadContacts,      // a lead's contacts
  kLeadCompany,       // a lead's company (at most one)
  kContactLeads,      // a contact's leads
  kCompanyLeads,      // a company's leads
  kCustomerContacts,  // a customer's contacts
  kCustomerCompany,   // a customer's company (at most one)
};

// One link of a record to a record of another kind, with the linked record as the permission
// engine sees it (to decide whether the caller may see the link).
struct LinkedRecord {
  RecordId of = 0;        // the record the links were read for
  RecordId id = 0;        // the linked record
  bool is_main = false;   // kLeadContacts: the lead's main contact
  domain::RecordRef ref;  // the linked record's data set, responsible user, pipeline and stage
};

// A lead <-> contact link. A lead has at most one company (Kommo), many contacts, one main.
struct LeadContactLink {
  RecordId lead_id = 0;
  RecordId contact_id = 0;
  bool is_main = false;
  bool operator==(const LeadContactLink&) const = default;
};

// A note of a lead, contact or company (migration 14). It has no rights of its own: it exists
// for a user exactly when its record does (AccountReader::ListVisibleNotes).
struct Note {
  RecordId id = 0;
  std::string entity_type;  // "leads", "contacts", "companies"
  RecordId entity_id = 0;
  std::string note_type;    // "common", "call_in", ... (service/notes.h)
  std::string params_json;  // the type's parameters: a JSON object
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
  std::string name;
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
  std::string custom_fields_json;
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
  std::string name;
  std::int64_t sort = 0;
  std::int64_t type = kCustomerStatusRegular;
  std::string color;
  bool is_default = false;
  bool operator==(const CustomerStatus&) const = default;
};

// A customer <-> contact link (many contacts, one main) and a customer's company (at most one).
struct CustomerContactLink {
  RecordId customer_id = 0;
  RecordId contact_id = 0;
  bool is_main = false;
  bool operator==(const CustomerContactLink&) const = default;
};

// A tag of an account's catalog for one entity type (Kommo: a tag has a different id per entity
// type). color: six hex digits, or empty for none.
struct Tag {
  std::int64_t id = 0;
  std::string name;
  std::string color;
  bool operator==(const Tag&) const = default;
};

// A tag a record carries (AccountReader::TagsOf).
struct RecordTag {
  RecordId record_id = 0;
  Tag tag;
  bool operator==(const RecordTag&) const = default;
};

// A reason leads are lost for (migration 13).
struct LossReason {
  std::int64_t id = 0;
  std::string name;
  std::int64_t sort = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  bool operator==(const LossReason&) const = default;
};

// What GET /api/v4/{entity}/tags asks for; every part optional, combined with AND.
struct TagQuery {
  std::vector<std::int64_t> ids;
  std::string name;  // the exact name
  std::string text;  // a substring of the name, case-insensitive (ASCII on SQLite)
  int limit = 50;    // rows returned (the caller asks one more to see a next page)
  int page = 1;
};

struct SessionRow {
  std::string id;          // public identifier (not the token)
  std::string token_hash;  // hash of the secret cookie token; the token itself is never stored
  AccountId account_id = 0;
  UserId user_id = 0;
  std::string ip;
  std::string user_agent;
  std::string location;  // "unknown" when no geolocation database
  bool second_factor_done = false;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute lifetime
  bool operator==(const SessionRow&) const = default;
};

struct ApiTokenRow {
  std::int64_t id = 0;
  AccountId account_id = 0;
  UserId user_id = 0;
  std::string name;
  std::string token_hash;
  std::string kind = "long_lived";  // "long_lived", "oauth_access"
  std::int64_t integration_id = 0;  // for OAuth access tokens
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;  // 0: never
  std::int64_t last_used_at = 0;
  bool revoked = false;
  std::string grant_id;  // OAuth: the hash of the authorization code it descends from
  bool operator==(const ApiTokenRow&) const = default;
};

struct OAuthIntegrationRow {
  std::int64_t id = 0;
  std::string client_id;  // public, unique
  std::string client_secret_hash;
  std::string name;
  std::string redirect_uri;
  UserId created_by = 0;
  std::int64_t created_at = 0;
  bool operator==(const OAuthIntegrationRow&) const = default;
};

struct OAuthCodeRow {
  std::string code_hash;
  AccountId account_id = 0;
  std::int64_t integration_id = 0;
  UserId user_id = 0;
  std::string redirect_uri;
  std::int64_t expires_at = 0;
  bool used = false;
  bool operator==(const OAuthCodeRow&) const = default;
};

struct OAuthRefreshRow {
  std::string token_hash;
  AccountId account_id = 0;
  std::int64_t integration_id = 0;
  UserId user_id = 0;
  std::int64_t expires_at = 0;
  bool revoked = false;
  std::string grant_id;  // the hash of the authorization code it descends from
  bool operator==(const OAuthRefreshRow&) const = default;
};

// Account security settings: the policy blob and the IP whitelist, as JSON text owned by auth/.
struct SecuritySettingsRow {
  std::string policy_json = "{}";
  std::string ip_whitelist_json = "[]";
  std::int64_t updated_at = 0;
  bool operator==(const SecuritySettingsRow&) const = default;
};

// Login throttle state of one key of an account ("account_email:<account>:<email>",
// "ip:<address>"; service::AuthService), shared by every server of the database.
struct ThrottleRow {
  std::string key;
  std::int64_t failures = 0;
  std::int64_t window_start = 0;  // the latest failure: the window runs from here
  std::int64_t locked_until = 0;  // 0: not locked
  bool operator==(const ThrottleRow&) const = default;
};

// One activity-log entry. `id` is a ULID-like text key that sorts by time. prev_hash/hash are
// empty until the hash chain fills them (audit/).
struct EventRow {
  std::string id;
  std::int64_t created_at = 0;
  UserId actor_user_id = 0;  // 0: system
  std::string actor_ip;
  std::string type;  // "lead_added", "user_rights_changed", ...
  std::string entity_type;
  std::int64_t entity_id = 0;
  std::string value_before_json;
  std::string value_after_json;
  std::string prev_hash;
  std::string hash;
  std::int64_t seq = 0;  // position in the account's hash chain (0: written before the chain)
  bool operator==(const EventRow&) const = default;
};

}  // namespace gatehouse::storage
