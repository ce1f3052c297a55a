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
#include "storage/records.h"
#include "storage/store.h"

namespace gatehouse::service {

using domain::GroupId;
using domain::PipelineId;
using domain::RecordId;
using domain::StatusId;
using domain::UserId;

// Which linked records to embed (Kommo's with=). A lead's company is always embedded.
struct Embed {
  bool contacts = false;  // leads, companies
  bool leads = false;     // contacts, companies
};

struct LeadView {
  storage::Lead lead;
  GroupId group_id = 0;                            // the responsible user's group
  std::vector<storage::LeadContactLink> contacts;  // viewable ones; only with Embed::contacts
  std::vector<RecordId> companies;                 // the linked company when viewable
};

struct ContactView {
  storage::Contact contact;
  GroupId group_id = 0;
  std::vector<RecordId> leads;  // viewable linked leads; only with Embed::leads
};

struct CompanyView {
  storage::Company company;
  GroupId group_id = 0;
  std::vector<RecordId> leads;     // viewable linked leads; only with Embed::leads
  std::vector<RecordId> contacts;  // always empty: the store links companies to leads only
};

struct TaskView {
  storage::Task task;
  GroupId group_id = 0;
};

template <typename View>
struct ListPage {
  std::vector<View> items;
  bool has_next = false;
};

// A record to link from a write (`_embedded.contacts[i]`, `_embedded.companies[i]`).
struct LinkInput {
  RecordId id = 0;
  bool is_main = false;
};

// POST and PATCH items. An unset optional keeps the current value (PATCH) or takes the default
// (POST: responsible = the caller, main pipeline, first working stage). `id` is for PATCH only.
struct LeadInput {
  RecordId id = 0;
  std::optional<std::string> name;
  std::optional<std::int64_t> price;
  std::optional<PipelineId> pipeline_id;
  std::optional<StatusId> status_id;
  std::optional<UserId> responsible_user_id;
  std::optional<std::int64_t> closed_at;
  std::optional<std::int64_t> loss_reason_id;
  std::optional<std::string> custom_fields_json;  // "" clears
  std::vector<LinkInput> contacts;                // linked in addition to existing ones
  std::optional<RecordId> company;                // replaces the linked company
};

struct ContactInput {
  RecordId id = 0;
  std::optional<std::string> name;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<UserId> responsible_user_id;
  std::optional<std::string> custom_fields_json;
};

struct CompanyInput {
  RecordId id = 0;
  std::optional<std::string> name;
  std::optional<UserId> responsible_user_id;
  std::optional<std::string> custom_fields_json;
};

struct TaskInput {
  RecordId id = 0;
  std::optional<std::string> text;
  std::optional<std::int64_t> complete_till;
  std::optional<std::string> entity_type;  // "leads", "contacts", "companies"
  std::optional<RecordId> entity_id;
  std::optional<std::int64_t> task_type_id;
  std::optional<std::int64_t> duration;
  std::optional<bool> is_completed;
  std::optional<std::string> result_text;
  std::optional<UserId> responsible_user_id;
};

// What a write returns per item.
struct Written {
  RecordId id = 0;
  std::int64_t updated_at = 0;
};

// An incoming lead from a web form (POST /api/v4/leads/unsorted/forms).
struct IncomingInput {
  std::string source_uid;
  std::string source_name;
  PipelineId pipeline_id = 0;  // 0: the main pipeline
  std::string lead_name;
  std::int64_t lead_price = 0;
  std::string metadata_json;  // "" or a JSON object
  // Sent with the form; they become records, linked to the lead, when the item is accepted
  // (until then they exist only inside the item, as in Kommo). At most one company.
  std::vector<ContactInput> contacts;
  std::vector<CompanyInput> companies;
};

// A list item (catalog element) to create.
struct ListItemInput {
  std::string name;
  std::string custom_fields_json;  // "" or a JSON array
};

// A change to a list item (PATCH): fields left nullopt stay as they are.
struct ListItemUpdate {
  RecordId id = 0;
  std::optional<std::string> name;                // non-empty
  std::optional<std::string> custom_fields_json;  // "" clears, else a JSON array
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
  std::vector<StageSummary> stages;  // every stage of the pipelines asked for, in board order
  std::int64_t count = 0;            // over all those stages
  std::int64_t price = 0;
};

// For a failed batch, receives the index of the item that failed (when non-null).
using FailedItem = std::size_t*;

class RecordService {
 public:
  RecordService(storage::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // ---- leads ----
  // `query` carries the caller's filters; its `permission` is replaced by the engine's.
  base::Result<ListPage<LeadView>> ListLeads(const Caller& caller, storage::ListQuery query,
                                             const Embed& embed) const;
  base::Result<std::int64_t> CountLeads(const Caller& caller, storage::ListQuery query) const;
  base::Result<LeadView> GetLead(const Caller& caller, RecordId id, const Embed& embed) const;
  base::Result<std::vector<Written>> AddLeads(const Caller& caller,
                                              std::span<const LeadInput> items,
                                              FailedItem failed = nullptr) const;
  base::Result<std::vector<Written>> UpdateLeads(const Caller& caller,
                                                 std::span<const LeadInput> items,
                                                 FailedItem failed = nullptr) const;
  base::Status DeleteLead(const Caller& caller, RecordId id) const;
  // Per stage, the number and total price of the leads the caller may view, from the store's
  // lead totals: the caller's compiled view filter (the one the list uses) is evaluated on each
  // (pipeline, stage, responsible user) cell, never on the lead rows, so the cost does not grow
  // with the number of leads. `pipeline_id` 0: every pipeline (pipelines by sort, then id;
  // stages in board order); an unknown pipeline is kInvalidArgument ("filter[pipeline_id]").
  base::Result<LeadsSummary> SummarizeLeads(const Caller& caller, PipelineId pipeline_id) const;

  // ---- contacts ----
  base::Result<ListPage<ContactView>> ListContacts(const Caller& caller, storage::ListQuery query,
                                                   const Embed& embed) const;
  base::Result<ContactView> GetContact(const Caller& caller, RecordId id, const Embed& embed) const;
  base::Result<std::vector<Written>> AddContacts(const Caller& caller,
                                                 std::span<const ContactInput> items,
                                                 FailedItem failed = nullptr) const;
  base::Result<std::vector<Written>> UpdateContacts(const Caller& caller,
                                                    std::span<const ContactInput> items,
                                                    FailedItem failed = nullptr) const;
  base::Status DeleteContact(const Caller& caller, RecordId id) const;

  // ---- companies ----
  base::Result<ListPage<CompanyView>> ListCompanies(const Caller& caller, storage::ListQuery query,
                                                    const Embed& embed) const;
  base::Result<CompanyView> GetCompany(const Caller& caller, RecordId id, const Embed& embed) const;
  base::Result<std::vector<Written>> AddCompanies(const Caller& caller,
                                                  std::span<const CompanyInput> items,
                                                  FailedItem failed = nullptr) const;
  base::Result<std::vector<Written>> UpdateCompanies(const Caller& caller,
                                                     std::span<const CompanyInput> items,
                                                     FailedItem failed = nullptr) const;
  base::Status DeleteCompany(const Caller& caller, RecordId id) const;

  // ---- tasks ----
  // Tasks have no `add` right: a new task must be one the caller could edit (tasks.edit on it),
  // and its linked record, if any, must be viewable by the caller.
  base::Result<ListPage<TaskView>> ListTasks(const Caller& caller, storage::ListQuery query) const;
  base::Result<TaskView> GetTask(const Caller& caller, RecordId id) const;
  base::Result<std::vector<Written>> AddTasks(const Caller& caller,
                                              std::span<const TaskInput> items,
                                              FailedItem failed = nullptr) const;
  base::Result<std::vector<Written>> UpdateTasks(const Caller& caller,
                                                 std::span<const TaskInput> items,
                                                 FailedItem failed = nullptr) const;
  base::Status DeleteTask(const Caller& caller, RecordId id) const;

  // ---- incoming leads (unsorted) ----
  // Creating needs leads.add = A (an incoming lead is a lead waiting to be accepted).
  base::Result<ListPage<storage::IncomingLead>> ListIncoming(const Caller& caller,
                                                             storage::ListQuery query) const;
  base::Result<storage::IncomingLead> GetIncoming(const Caller& caller, std::string_view uid) const;
  base::Result<std::vector<storage::IncomingLead>> AddIncomingForms(
      const Caller& caller, std::span<const IncomingInput> items,
      FailedItem failed = nullptr) const;
  // view (else 404) then accept (else 403); creates the lead in `status_id` of the item's
  // pipeline (0: its first working stage) and returns it.
  base::Result<storage::Lead> AcceptIncoming(const Caller& caller, std::string_view uid,
                                             StatusId status_id) const;
  // view (else 404) then decline (else 403); returns the declined item.
  base::Result<storage::IncomingLead> DeclineIncoming(const Caller& caller,
                                                      std::string_view uid) const;

  // ---- export (CSV rows are the handler's) ----
  // Visits every record the caller may export (action export) matching `query`, in batches,
  // then appends "export_performed" with the row count. Returns the number of rows. kPermission
  // Denied when the caller may export nothing of the data set.
  base::Result<std::int64_t> ExportLeads(
      const Caller& caller, storage::ListQuery query,
      const storage::AccountReader::Visitor<storage::Lead>& visit) const;
  base::Result<std::int64_t> ExportContacts(
      const Caller& caller, storage::ListQuery query,
      const storage::AccountReader::Visitor<storage::Contact>& visit) const;
  base::Result<std::int64_t> ExportCompanies(
      const Caller& caller, storage::ListQuery query,
      const storage::AccountReader::Visitor<storage::Company>& visit) const;

  // ---- shared inbox (talks) ----
  // Every call needs the Shared Inbox feature (mail_access; kPermissionDenied otherwise). A
  // conversation exists for the caller only when its linked lead or contact is viewable (SPEC
  // §2): lists and counts are filtered in SQL by that record's view filter, and a conversation
  // that is missing, foreign or linked to an invisible record is kNotFound "talk <id> not
  // found". `limit` is 1..250 and `page` 1-based (the handler validates them).
  base::Result<ListPage<storage::Conversation>> ListTalks(const Caller& caller, int limit,
                                                          int page) const;
  base::Result<std::int64_t> CountTalks(const Caller& caller) const;
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
                                                       std::span<const std::string> names,
                                                       FailedItem failed = nullptr) const;
  base::Result<ListPage<storage::ListItem>> ListCatalogElements(const Caller& caller,
                                                                std::int64_t list_id, int limit,
                                                                int page) const;
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
  storage::Store& store_;
  const base::Clock& clock_;
};

}  // namespace gatehouse::service
