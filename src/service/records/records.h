// Use cases of the protected records: leads, contacts, companies, tasks, incoming leads and
// their CSV export, with every rights decision taken by the caller's policy (SPEC §2).
//
// Enforcement, in one place for the web UI and the API alike:
//   - Lists, counts and exports run through the engine's compiled ListFilter (view for lists,
//     export for exports) inside the SQL query; pages are never filtered afterwards.
//   - A single record is loaded and then checked: not viewable (or missing, or another
//     account's) -> kNotFound, the same message either way.
//   - Linked records embedded in a response (a lead's contacts and company, a contact's leads)
//     appear only when the caller may view each one.
//   - Writes: add needs `add` (403 naming the right); update needs view (else 404) and edit
//     (else 403); a lead moved to another stage must also be editable by the caller in the
//     target stage; delete needs view then delete. A batch runs in one transaction: one
//     refused or invalid item changes nothing and its index is reported.
//   - Every write appends its activity-log events (Kommo types and value shapes) in the same
//     transaction, so a failed write leaves no event and an event never lacks its write.
//
// Errors: kNotFound "lead 5 not found"; kPermissionDenied with a detail naming the missing
// right ("leads.edit is M (if responsible) and you are not the responsible user");
// kInvalidArgument with field paths relative to the item ("price", "_embedded.contacts.0.id");
// whatever the store returns otherwise. RecordService is stateless beyond its pointers and
// thread-safe.
//
// The input and view structs give every member an initializer ({} where it has no other), as the
// storage rows do, so that a caller may name just the members it sets (designated initializers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "service/caller.h"
#include "storage/query.h"
#include "storage/record_rows.h"
#include "storage/store.h"

namespace gatehouse::service {

using domain::GroupId;
using domain::PipelineId;
using domain::RecordId;
using domain::StatusId;
using domain::UserId;

// Which linked records to embed (Kommo's with=). A lead's company is always embedded.
struct Embed {
  bool contacts = false;     // leads, companies, customers
  bool leads = false;        // contacts, companies
  bool companies = false;    // customers (a lead's company is always embedded)
  bool loss_reason = false;  // leads: the lead's loss reason
  bool customers = false;    // contacts, companies: the customers linked to them
};

// A record as a response shows it: with its responsible user's group (Kommo's group_id) and
// the linked records the caller may view, each read for a whole page in one statement.
template <typename R>
struct RecordView {
  R record{};
  GroupId group_id = 0;
  // Leads: the contacts, with Embed::contacts. Companies: always empty (the store links
  // companies to leads only).
  std::vector<storage::LeadContactLink> contacts{};
  std::vector<RecordId> companies{};  // leads: the linked company, always
  std::vector<RecordId> leads{};      // contacts and companies: the linked leads, with Embed::leads
  std::vector<RecordId> customers{};  // contacts and companies, with Embed::customers
  std::vector<storage::Tag> tags{};   // tagged kinds: the record's tags, always (by id)
  std::optional<storage::LossReason> loss_reason{};  // leads, with Embed::loss_reason
};
using LeadView = RecordView<storage::Lead>;
using ContactView = RecordView<storage::Contact>;
using CompanyView = RecordView<storage::Company>;
using TaskView = RecordView<storage::Task>;
// Customers: contacts (Embed::contacts; LeadContactLink::lead_id is the customer) and company
// (Embed::companies).
using CustomerView = RecordView<storage::Customer>;

template <typename View>
struct ListPage {
  std::vector<View> items{};
  bool has_next = false;
};

// A record to link from a write (`_embedded.contacts[i]`, `_embedded.companies[i]`).
struct LinkInput {
  RecordId id = 0;
  bool is_main = false;
};

// A tag named in a record write: by id (of the entity type's catalog), else by name (created
// in the catalog when it has none of that name, as Kommo does). `path` is the field path errors
// about it name ("_embedded.tags.0", "tags_to_add.1").
struct TagRef {
  std::int64_t id = 0;
  std::string name{};
  std::string path{};
};

// The tag changes of a record write (tagged kinds: storage::TaggedRecord): `set` replaces the
// record's tags (Kommo's _embedded.tags; empty: none, from null), then `add` (tags_to_add) and
// `remove` (tags_to_delete) apply.
struct TagsInput {
  std::optional<std::vector<TagRef>> set{};
  std::vector<TagRef> add{};
  std::vector<TagRef> remove{};
  bool empty() const { return !set && add.empty() && remove.empty(); }
};

// created_at / updated_at (unix seconds, validated by the parser) and created_by / updated_by
// (a user of the account, active or not, or 0 for Kommo's robot/API; the store checks them,
// kInvalidArgument naming the field otherwise) sent with a write, as Kommo lets clients set
// them. On create all are stored as given (defaults: now, and the caller; updated_at defaults
// to now and updated_by to created_by); on update updated_at and updated_by are stored as given
// (updated_at: the value already stored, as a client sends a record back, means now; defaults:
// now and the caller), and created_at does not change; created_by may be sent back only with
// its stored value (kInvalidArgument "created_by" otherwise, rather than dropped).
struct Stamps {
  std::optional<std::int64_t> created_at{};
  std::optional<std::int64_t> updated_at{};
  std::optional<UserId> created_by{};
  std::optional<UserId> updated_by{};
};

// A loss reason to add (POST /api/v4/leads/loss_reasons).
struct NewLossReason {
  std::string name{};
  std::int64_t sort = 0;
};

// A tag to add to a catalog (POST /api/v4/{entity}/tags).
struct NewTag {
  std::string name{};
  std::string color{};  // six hex digits, or empty
};

// POST and PATCH items. An unset optional keeps the current value (PATCH) or takes the default
// (POST: responsible = the caller, main pipeline, first working stage). `id` is for PATCH only.
struct LeadInput {
  RecordId id = 0;
  Stamps stamps{};
  std::optional<std::string> name{};
  std::optional<std::int64_t> price{};
  std::optional<PipelineId> pipeline_id{};
  std::optional<StatusId> status_id{};
  std::optional<UserId> responsible_user_id{};
  std::optional<std::int64_t> closed_at{};
  std::optional<std::int64_t> loss_reason_id{};
  std::optional<std::string> custom_fields_json{};  // "" clears
  std::vector<LinkInput> contacts{};                // linked in addition to existing ones
  std::optional<RecordId> company{};                // replaces the linked company
  TagsInput tags{};
};

struct ContactInput {
  RecordId id = 0;
  Stamps stamps{};
  std::optional<std::string> name{};
  std::optional<std::string> first_name{};
  std::optional<std::string> last_name{};
  std::optional<UserId> responsible_user_id{};
  std::optional<std::string> custom_fields_json{};
  TagsInput tags{};
};

struct CompanyInput {
  RecordId id = 0;
  Stamps stamps{};
  std::optional<std::string> name{};
  std::optional<UserId> responsible_user_id{};
  std::optional<std::string> custom_fields_json{};
  TagsInput tags{};
};

struct TaskInput {
  RecordId id = 0;
  Stamps stamps{};
  std::optional<std::string> text{};
  std::optional<std::int64_t> complete_till{};
  std::optional<domain::DataSet> entity_type{};  // domain::kAttachableDataSets
  std::optional<RecordId> entity_id{};
  std::optional<std::int64_t> task_type_id{};
  std::optional<std::int64_t> duration{};
  std::optional<bool> is_completed{};
  std::optional<std::string> result_text{};
  std::optional<UserId> responsible_user_id{};
};

struct CustomerInput {
  RecordId id = 0;
  Stamps stamps{};
  std::optional<std::string> name{};
  std::optional<std::int64_t> next_price{};
  std::optional<std::int64_t> next_date{};  // 0 clears
  std::optional<std::int64_t> status_id{};  // a customer status; POST default: the first one
  std::optional<std::int64_t> periodicity{};
  std::optional<UserId> responsible_user_id{};
  std::optional<std::string> custom_fields_json{};
  std::vector<LinkInput> contacts{};  // linked in addition to existing ones
  std::optional<RecordId> company{};  // replaces the linked company
  TagsInput tags{};
};

// A customer status to add (POST) or change (PATCH: `id` set, unset fields kept).
struct CustomerStatusInput {
  std::int64_t id = 0;
  std::optional<std::string> name{};
  std::optional<std::int64_t> sort{};
  std::optional<std::string> color{};
};

// What a customer status must be to be stored (name 1..255 bytes, a colour of Kommo's palette,
// sort >= 0): kInvalidArgument naming the field otherwise. `gatehouse import` checks a source's
// statuses with it too.
base::Status CheckCustomerStatus(const storage::CustomerStatus& status);
// The colour a status added without one gets: the palette's first.
std::string_view DefaultCustomerStatusColor();

// The input of a kind's writes: Input<storage::Lead> is LeadInput, and so on. Declared only, so
// that overload resolution maps each record type to its input type in one line per kind.
LeadInput InputFor(const storage::Lead*);
ContactInput InputFor(const storage::Contact*);
CompanyInput InputFor(const storage::Company*);
TaskInput InputFor(const storage::Task*);
CustomerInput InputFor(const storage::Customer*);
template <typename R>
using Input = decltype(InputFor(static_cast<const R*>(nullptr)));

// What a write returns per item.
struct Written {
  RecordId id = 0;
  std::int64_t updated_at = 0;
};

// One item of POST /api/v4/leads/complex: a lead with at most one contact and one company. An
// existing contact or company is named in `lead` (LeadInput::contacts, company) and linked as a
// POST of the lead links it; a new one is created in the same transaction and linked to the lead.
struct ComplexLeadInput {
  LeadInput lead{};
  std::optional<ContactInput> new_contact{};
  std::optional<CompanyInput> new_company{};
};

// What a complex add wrote per item: the lead, and its contact and company (0: none).
struct ComplexWritten {
  RecordId id = 0;
  RecordId contact_id = 0;
  RecordId company_id = 0;
};

// The call of an incoming lead of the sip category (Kommo's SipMetadata): its metadata, kept as
// the item's, and the call_in note accepting it may add to the lead.
struct IncomingCall {
  std::string uniq{};                        // the telephony service's id of the call
  std::string phone{};                       // as sent (an integer sent is its decimal text)
  std::int64_t called_at = 0;                // unix seconds
  std::int64_t duration = 0;                 // seconds
  std::string service_code{};                // the telephony service; the note's "source"
  std::optional<std::string> link{};         // the recording: an http(s) URL
  std::optional<std::string> from{};         // who called, as the telephony service names them
  bool is_call_event_needed = false;         // accepting adds a call_in note to the lead
  std::optional<UserId> call_responsible{};  // that note's responsible user; default the acceptor
};

// An incoming lead from a web form or a call (POST /api/v4/leads/unsorted/forms, .../sip): the
// same item, but for its category and its metadata.
struct IncomingInput {
  domain::IncomingCategory category = domain::IncomingCategory::kForms;  // kForms or kSip
  std::string source_uid{};
  std::string source_name{};
  PipelineId pipeline_id = 0;                // 0: the main pipeline
  std::optional<std::int64_t> created_at{};  // when the form was sent; default now
  std::string lead_name{};
  std::int64_t lead_price = 0;
  std::string metadata_json{};         // forms: "" or a JSON object; sip: unused (see `call`)
  std::optional<IncomingCall> call{};  // sip: required, and the item's metadata
  // Sent with the form; they become records, linked to the lead, when the item is accepted
  // (until then they exist only inside the item, as in Kommo). At most one company.
  std::vector<ContactInput> contacts{};
  std::vector<CompanyInput> companies{};
};

// A list (catalog) to create; without a sort it goes after the ones before it in the batch.
struct CatalogInput {
  std::string name{};
  std::optional<int> sort{};
};

// A list item (catalog element) to create.
struct ListItemInput {
  std::string name{};
  std::string custom_fields_json{};  // "" or a JSON array
};

// A change to a list item (PATCH): fields left nullopt stay as they are.
struct ListItemUpdate {
  RecordId id = 0;
  std::optional<std::string> name{};                // non-empty
  std::optional<std::string> custom_fields_json{};  // "" clears, else a JSON array
};

// The leads a caller may view in one stage (GET /api/v4/leads/summary).
struct StageSummary {
  PipelineId pipeline_id = 0;
  StatusId status_id = 0;
  std::int64_t count = 0;
  std::int64_t price = 0;  // sum of the prices
  bool operator==(const StageSummary&) const = default;
};

struct LeadsSummary {
  std::vector<StageSummary> stages{};  // every stage of the pipelines asked for, in board order
  std::int64_t count = 0;              // over all those stages
  std::int64_t price = 0;
};

// A batch of an export (RecordService::Export): the records, and for each record (same order)
// the cells of the columns the service adds after the kind's own (ExportResult::columns).
template <typename R>
struct ExportBatch {
  std::span<const R> records{};
  std::span<const std::vector<std::string>> cells{};
};
template <typename R>
using ExportVisitor = std::function<base::Status(const ExportBatch<R>&)>;

// What an export visited: the number of rows, and the headers of the added columns: one per
// custom field the caller may view, by field name in the definitions' order (cells: the
// field's values, "; "-joined, empty when none), then "tags" for tagged kinds (the tag names,
// "; "-joined). A field the caller may not view has no column.
struct ExportResult {
  std::int64_t rows = 0;
  std::vector<std::string> columns{};
};

// For a failed batch, receives the index of the item that failed (when non-null).
using FailedItem = std::size_t*;

class RecordService {
 public:
  RecordService(storage::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // ---- records: R is storage::Lead, Contact, Company, Task or Customer ----
  // The generic members are defined and instantiated in records_crud.cc; what differs between
  // kinds (defaults of a new record, a PATCH's fields, extra rights and checks, the events of
  // an update, links) is each kind's, in records_kinds.cc.
  //
  // A page of what the caller may view (view filter in the query), `query` carrying the caller's
  // own filters, with the links `embed` asks for (a lead's company always).
  template <typename R>
  base::Result<ListPage<RecordView<R>>> List(const Caller& caller, const storage::ListQuery& query,
                                             const Embed& embed = {}) const;
  template <typename R>
  base::Result<RecordView<R>> Get(const Caller& caller, RecordId id, const Embed& embed = {}) const;
  // POST items. Leads, contacts and companies need `add`; tasks have no `add` right, so a new
  // task must be one the caller could edit (tasks.edit on it), and its linked record, if any,
  // must be viewable by the caller. A new lead must also be one its stage admits (stage
  // rights); linked contacts and companies must be viewable.
  template <typename R>
  base::Result<std::vector<Written>> Add(const Caller& caller, std::span<const Input<R>> items,
                                         FailedItem failed = nullptr) const;
  template <typename R>
  base::Result<std::vector<Written>> Update(const Caller& caller, std::span<const Input<R>> items,
                                            FailedItem failed = nullptr) const;
  template <typename R>
  base::Status Delete(const Caller& caller, RecordId id) const;
  // POST /api/v4/leads/complex: per item, the new contact and company, each created as Add
  // creates one (its kind's `add` right; responsible user: the one the lead names, else the
  // caller), then the lead as Add<Lead> creates it (existing contacts and companies it names
  // must be viewable), linked to the new ones. At most one contact and one company per lead
  // (kInvalidArgument "_embedded.contacts" / "_embedded.companies", TooMany); errors about a new
  // contact or company carry paths under "_embedded.contacts.0." / "_embedded.companies.0.".
  // All items in one transaction, as a batch.
  base::Result<std::vector<ComplexWritten>> AddComplexLeads(const Caller& caller,
                                                            std::span<const ComplexLeadInput> items,
                                                            FailedItem failed = nullptr) const;
  // Per stage, the number and total price of the leads the caller may view, from the store's
  // lead totals: the caller's compiled view filter (the one the list uses) is evaluated on each
  // (pipeline, stage, responsible user) cell, never on the lead rows, so the cost does not grow
  // with the number of leads. `pipeline_id` 0: every pipeline (pipelines by sort, then id;
  // stages in board order); an unknown pipeline is kInvalidArgument ("filter[pipeline_id]").
  base::Result<LeadsSummary> SummarizeLeads(const Caller& caller, PipelineId pipeline_id) const;
  // The counts of the incoming leads ListIncoming(caller, query) shows on all its pages (the
  // caller's compiled view filter on incoming leads, so an administrator counts every one and a
  // user without the view right counts none: all zeros, not an error): per state, per category
  // and the mean sorting time (storage::IncomingSummary), in one aggregate query.
  base::Result<storage::IncomingSummary> SummarizeIncoming(const Caller& caller,
                                                           const storage::ListQuery& query) const;

  // ---- customer statuses (records_customers.cc) ----
  // Every user reads them; administrators add, change and delete them (kPermissionDenied
  // otherwise). A color must be one of Kommo's customer-status palette. Add: name required,
  // a regular status (type 0). Delete: regular statuses only (kFailedPrecondition for a system
  // one); their customers move to the first status. Writes log customer_status_added /
  // _updated / _deleted.
  base::Result<std::vector<storage::CustomerStatus>> ListCustomerStatuses(
      const Caller& caller) const;
  base::Result<storage::CustomerStatus> GetCustomerStatus(const Caller& caller,
                                                          std::int64_t id) const;
  base::Result<std::vector<storage::CustomerStatus>> AddCustomerStatuses(
      const Caller& caller, std::span<const CustomerStatusInput> items,
      FailedItem failed = nullptr) const;
  base::Result<std::vector<storage::CustomerStatus>> UpdateCustomerStatuses(
      const Caller& caller, std::span<const CustomerStatusInput> items,
      FailedItem failed = nullptr) const;
  base::Status DeleteCustomerStatus(const Caller& caller, std::int64_t id) const;

  // ---- tags (records_tags.cc; R a storage::TaggedRecord: Lead, Contact, Company) ----
  // The entity type's tag catalog is readable by every user of the account. Adding tags needs
  // a right to add or to edit some record of the data set (who may tag a record may name a new
  // tag, as a record write does); deleting them is for administrators (it strips the tag from
  // records the caller may not edit). A batch is all or nothing; each tag added or deleted
  // appends "tag_added" / "tag_deleted". A duplicate or empty name is kInvalidArgument
  // ("name"), an unknown id kInvalidArgument ("id", NotFound).
  template <typename R>
  base::Result<ListPage<storage::Tag>> ListTags(const Caller& caller,
                                                const storage::TagQuery& query) const;
  template <typename R>
  base::Result<std::vector<storage::Tag>> AddTags(const Caller& caller,
                                                  std::span<const NewTag> items,
                                                  FailedItem failed = nullptr) const;
  template <typename R>
  base::Status DeleteTags(const Caller& caller, std::span<const std::int64_t> ids,
                          FailedItem failed = nullptr) const;

  // ---- loss reasons (records_loss_reasons.cc) ----
  // Readable by every user of the account; adding and deleting them is for administrators
  // (kPermissionDenied otherwise), logged as loss_reason_added / loss_reason_deleted. A
  // duplicate name is kInvalidArgument ("name") and the batch adds nothing; an unknown id is
  // kNotFound.
  base::Result<std::vector<storage::LossReason>> ListLossReasons(const Caller& caller) const;
  base::Result<storage::LossReason> GetLossReason(const Caller& caller, std::int64_t id) const;
  base::Result<std::vector<storage::LossReason>> AddLossReasons(
      const Caller& caller, std::span<const NewLossReason> items,
      FailedItem failed = nullptr) const;
  base::Status DeleteLossReason(const Caller& caller, std::int64_t id) const;

  // ---- incoming leads (unsorted) ----
  // Creating needs leads.add = A (an incoming lead is a lead waiting to be accepted).
  base::Result<ListPage<storage::IncomingLead>> ListIncoming(const Caller& caller,
                                                             storage::ListQuery query) const;
  base::Result<storage::IncomingLead> GetIncoming(const Caller& caller, std::string_view uid) const;
  // Forms and calls (sip), each of its own category; all or nothing. A call is checked as the
  // note it may become (ValidateNoteParams, notes.h), and its call_responsible must be an active
  // user of the account: kInvalidArgument at "metadata.<key>" otherwise.
  base::Result<std::vector<storage::IncomingLead>> AddIncoming(const Caller& caller,
                                                               std::span<const IncomingInput> items,
                                                               FailedItem failed = nullptr) const;
  // view (else 404) then accept (else 403); creates the lead in `status_id` of the item's
  // pipeline (0: its first working stage) and returns it. A call whose is_call_event_needed is
  // true also gets its call_in note on the lead (note_added), its responsible user the call's
  // call_responsible while they are active, else the accepting user.
  base::Result<storage::Lead> AcceptIncoming(const Caller& caller, std::string_view uid,
                                             StatusId status_id) const;
  // view (else 404) then decline (else 403); returns the declined item.
  base::Result<storage::IncomingLead> DeclineIncoming(const Caller& caller,
                                                      std::string_view uid) const;

  // ---- export (CSV rows are the handler's) ----
  // Visits every record of kind R (Lead, Contact, Company, Customer) the caller may export
  // (action export) matching `query`, in batches with the cells of the added columns
  // (ExportResult), then appends "export_performed" with the row count. kPermissionDenied when
  // the caller may export nothing of the data set.
  template <typename R>
  base::Result<ExportResult> Export(const Caller& caller, const storage::ListQuery& query,
                                    const ExportVisitor<R>& visit) const;

  // ---- shared inbox (talks) ----
  // Every call needs the Shared Inbox feature (mail_access; kPermissionDenied otherwise). A
  // conversation exists for the caller only when its linked lead or contact is viewable (SPEC
  // §2): lists are filtered in SQL by that record's view filter, and a conversation
  // that is missing, foreign or linked to an invisible record is kNotFound "talk <id> not
  // found". `limit` is 1..250 and `page` 1-based (the handler validates them).
  base::Result<ListPage<storage::Conversation>> ListTalks(const Caller& caller, int limit,
                                                          int page) const;
  base::Result<storage::Conversation> GetTalk(const Caller& caller, RecordId id) const;
  // Messages of a visible conversation, oldest first.
  base::Result<std::vector<storage::ConversationMessage>> ListTalkMessages(const Caller& caller,
                                                                           RecordId id, int limit,
                                                                           int page) const;
  // Appends a message written by the caller to a visible conversation (kInvalidArgument "text"
  // when empty) and, in the same transaction, the "outgoing_chat_message" event on the linked
  // record. Returns the stored message.
  base::Result<storage::ConversationMessage> AddTalkMessage(const Caller& caller, RecordId id,
                                                            std::string_view text) const;

  // ---- lists (catalogs) ----
  // Reading, adding and updating elements need the Lists feature (catalog_access); creating
  // lists is for administrators. A list id of another account is kNotFound.
  base::Result<std::vector<storage::List>> ListCatalogs(const Caller& caller) const;
  // One list, and one element of a list; kNotFound for another account's or a missing one.
  base::Result<storage::List> GetCatalog(const Caller& caller, std::int64_t list_id) const;
  base::Result<storage::ListItem> GetCatalogElement(const Caller& caller, std::int64_t list_id,
                                                    RecordId element_id) const;
  base::Result<std::vector<storage::List>> AddCatalogs(const Caller& caller,
                                                       std::span<const CatalogInput> catalogs,
                                                       FailedItem failed = nullptr) const;
  // Page `page` of `limit` elements of list `list_id`, by id, counting only those whose id is
  // one of `ids` (empty: any) and whose name contains `text` (empty: any; case-insensitive, as
  // the records' query): filtered before paging (storage::AccountReader::ListItems).
  base::Result<ListPage<storage::ListItem>> ListCatalogElements(const Caller& caller,
                                                                std::int64_t list_id, int limit,
                                                                int page,
                                                                std::span<const RecordId> ids = {},
                                                                std::string_view text = {}) const;
  base::Result<std::vector<storage::ListItem>> AddCatalogElements(
      const Caller& caller, std::int64_t list_id, std::span<const ListItemInput> items,
      FailedItem failed = nullptr) const;
  // Updates elements of list `list_id` in one transaction and returns them as stored. An id that
  // is not an element of that list (missing, of another list or of another account) is
  // kInvalidArgument "id" (code NotFound) for its item, an empty name kInvalidArgument "name";
  // either way nothing changes. Each element updated appends "catalog_element_updated" with
  // the named fields before and after.
  base::Result<std::vector<storage::ListItem>> UpdateCatalogElements(
      const Caller& caller, std::int64_t list_id, std::span<const ListItemUpdate> items,
      FailedItem failed = nullptr) const;

 private:
  // Adds (`update` false) or changes customer statuses: one validation and event per item.
  base::Result<std::vector<storage::CustomerStatus>> WriteCustomerStatuses(
      const Caller& caller, std::span<const CustomerStatusInput> items, FailedItem failed,
      bool update) const;

  storage::Store& store_;
  const base::Clock& clock_;
};

// Kommo's entity name of a talk's linked record: "lead" or "contact" (the talk's JSON and the
// events of its messages).
std::string_view TalkEntityName(const storage::Conversation& talk);

}  // namespace gatehouse::service
