// The store: every persistent table of Gatehouse behind one interface, on SQLite or PostgreSQL.
//
// Account scoping by construction: account data is reached only through an AccountReader or
// AccountWriter bound to one account id. Every SQL statement those objects run binds that id
// itself, so a caller cannot forget it; a record id of another account behaves exactly like a
// missing one (kNotFound, nothing changed).
//
// Thread-safety: Store is thread-safe (it owns a ConnectionPool). An AccountReader is a cheap
// value that may be used from any thread; each call borrows a pooled connection. An
// AccountWriter exists only inside Store::Write and only on that thread.
//
// Errors: kNotFound for a missing record (or one of another account); kInvalidArgument with a
// field path for a write that breaks a rule (stage not in the lead's pipeline, responsible user
// of another account or deactivated, ...); kAlreadyExists for a taken unique key;
// kFailedPrecondition for a database newer than this binary; kUnavailable/kInternal for engine
// failures. A failed write changes nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/account.h"
#include "domain/custom_fields.h"
#include "storage/approval_row.h"
#include "storage/event_chain.h"
#include "storage/group_commit.h"
#include "storage/query.h"
#include "storage/record_traits.h"
#include "storage/records.h"
#include "storage/sql/connection.h"
#include "storage/sql/pool.h"

namespace gatehouse::storage {

class Store;

// Fields of a new account. The store also creates the default group ("All users"), the main
// pipeline with its incoming stage, two working stages, won 142 and lost 143.
struct NewAccount {
  std::string subdomain;
  std::string name;
  std::int64_t seats = 10;
  std::int64_t created_at = 0;  // 0: now
};

struct ReassignCounts {
  std::int64_t leads = 0;
  std::int64_t contacts = 0;
  std::int64_t companies = 0;
  std::int64_t tasks = 0;
  std::int64_t incoming_leads = 0;
  std::int64_t conversations = 0;
  std::int64_t customers = 0;
  std::int64_t total() const {
    return leads + contacts + companies + tasks + incoming_leads + conversations + customers;
  }
};

// Filters of the activity-log reader; empty/0 = any. Newest first, keyset by id.
struct EventQuery {
  UserId actor_user_id = 0;
  std::vector<std::string> types;
  std::string entity_type;
  std::int64_t entity_id = 0;
  Range created_at;
  // Entries whose stored value_before / value_after text equals one of these exactly (the
  // writer's canonical JSON); empty: any.
  std::vector<std::string> value_before;
  std::vector<std::string> value_after;
  std::string before_id;  // continue with entries older than this id
  int limit = 50;         // 1..250
};

// The Shared Inbox as one user sees it (SPEC §2): a conversation qualifies iff its linked
// record qualifies, a lead under `leads` (the viewer's leads view filter, stage rights
// included) or a contact under `contacts` (contacts view). A conversation linked to anything
// else, or whose linked record no longer exists, qualifies for nobody. Newest activity first:
// ordered by (updated_at DESC, id DESC).
struct ConversationQuery {
  policy::ListFilter leads;
  policy::ListFilter contacts;
  std::vector<RecordId> ids;  // restrict to these ids; empty: any
  int limit = 50;             // 1..kMaxPageLimit; larger values are clamped
  int page = 1;               // 1-based
};

// The notes of one record kind as one user sees them: a note qualifies iff its record
// qualifies under `permission` (the caller's view filter of the kind's data set, stage rights
// included), in SQL, so a page holds only visible notes. Filters combine with AND; empty: any.
struct NoteQuery {
  std::string entity_type;  // "leads", "contacts", "companies" (kInvalidArgument otherwise)
  policy::ListFilter permission;
  std::vector<RecordId> ids;
  std::vector<RecordId> entity_ids;
  std::vector<std::string> note_types;
  Range updated_at;
  OrderField order_field = OrderField::kId;  // id, created_at or updated_at, then id
  OrderDirection order_direction = OrderDirection::kAsc;
  int limit = 50;  // 1..kMaxPageLimit; larger values are clamped
  int page = 1;    // 1-based
};

// Read access to one account. Obtain with Store::Reader(); inside Store::Write the writer is
// also a reader that sees the transaction's own uncommitted changes.
class AccountReader {
 public:
  AccountId account_id() const { return account_id_; }

  base::Result<AccountRow> Account() const;
  // The security-relevant snapshot the permission engine compiles (users, groups, roles,
  // pipelines with stages sorted by sort).
  base::Result<domain::AccountModel> LoadAccountModel() const;

  // Point-in-time replay (migration 19, store_replay.cc), from the history the database
  // triggers keep. ReplayStart: the earliest time replay can answer for this account — when
  // migration 19 ran, or the account's creation if later.
  base::Result<std::int64_t> ReplayStart() const;
  // What the permission engine read at `at` (unix seconds; a change in the same second counts
  // as done): the users that existed then with their rights, group, role, admin, active and
  // free state as they were (names and emails as now, "" for users removed since); the
  // pipelines with the stages that existed then (names as now, "" for what is gone). Groups, roles
  // and custom fields as now: the engine decides by the user's own group id and rights, which are
  // versioned.
  base::Result<domain::AccountModel> LoadAccountModelAt(std::int64_t at) const;
  // The record as the engine saw it at `at` (responsible user; pipeline and stage for leads),
  // or nullopt when it did not exist then (not created yet, or deleted by then). Incoming
  // leads are not versioned (kInvalidArgument).
  base::Result<std::optional<domain::RecordRef>> RecordAt(domain::DataSet data_set, RecordId id,
                                                          std::int64_t at) const;

  // Users, groups, roles, pipelines.
  base::Result<UserRow> GetUser(UserId id) const;
  base::Result<UserRow> FindUserByEmail(std::string_view email) const;  // case-insensitive
  base::Result<std::vector<UserRow>> ListUsers() const;                 // by id
  base::Result<std::vector<domain::Group>> ListGroups() const;
  base::Result<std::vector<domain::Role>> ListRoles() const;
  base::Result<std::vector<domain::Pipeline>> ListPipelines() const;
  base::Result<domain::Pipeline> GetPipeline(PipelineId id) const;
  base::Result<GroupId> DefaultGroupId() const;

  // Protected records, one kind R at a time: Lead, Contact, Company, Task, IncomingLead or
  // Conversation (record_traits.h; Count and Export: not Conversation; Export: Lead, Contact,
  // Company). The generic members are defined and instantiated in store_records.cc.
  //
  // Get: kNotFound "<kind> not found" for a missing record or one of another account.
  template <typename R>
  base::Result<R> Get(RecordId id) const;
  base::Result<IncomingLead> FindIncomingLeadByUid(std::string_view uid) const;

  // A page of the rows `permission` admits and `query` selects. `permission` is the filter the
  // engine compiled for the caller, the kind's data set and the action (view for lists, export
  // for exports: AccountPolicy::CompileFilter); it decides which rows exist at all, and when it
  // matches nothing no SQL runs. Results ordered by (order field, id).
  template <typename R>
  base::Result<Page<R>> List(const policy::ListFilter& permission, const ListQuery& query) const;

  // Number of rows the same arguments would list over all pages (limit/page/after ignored).
  // When only the permission filter, responsible_user_ids and (leads) pipeline_ids and stages
  // are set (AnsweredByTotals), it is summed from the totals (TotalsByStage) outside a write;
  // otherwise COUNT(*) over the rows.
  template <typename R>
  base::Result<std::int64_t> Count(const policy::ListFilter& permission,
                                   const ListQuery& query) const;

  // Number of rows of `data_set` (leads, contacts, companies, tasks or incoming leads) that
  // `allowed` admits and `minus` does not: with the filters of one user before and after a
  // change of rights, the records the user would gain (allowed = after, minus = before) or lose
  // (the other way round). Both filters go through the same PermissionCondition the lists use;
  // a record with nobody responsible is never admitted by a "responsible in" audience, on
  // either side. Runs no SQL when `allowed` matches nothing or `minus` matches everything.
  // Outside a write, every data set but incoming leads is counted from the totals.
  base::Result<std::int64_t> CountPermissionDifference(domain::DataSet data_set,
                                                       const policy::ListFilter& allowed,
                                                       const policy::ListFilter& minus) const;
  // The same for many (allowed, minus) pairs of one data set, in order: from the totals with
  // one read of the counters all of them need (the impact preview of a role with many holders),
  // else (incoming leads, inside a write) one CountPermissionDifference each.
  base::Result<std::vector<std::int64_t>> CountPermissionDifferences(
      domain::DataSet data_set,
      std::span<const std::pair<policy::ListFilter, policy::ListFilter>> pairs) const;

  // The lead totals of this account (migration 9), ordered by cell, leaving out empty cells and
  // the stage rollups; only pipeline `pipeline_id` when non-zero. Inside Store::Write the
  // writer's own changes are not in them until the commit.
  base::Result<std::vector<LeadCellTotals>> LeadTotals(PipelineId pipeline_id = 0) const;
  // Recomputes the lead totals, their stage rollups (responsible_user_id policy::kEveryone,
  // migration 10) and the contact, company and task totals from the rows (one statement each)
  // and returns every counter that differs from the stored one, ordered; empty when exact.
  base::Result<std::vector<LeadTotalsDifference>> VerifyLeadTotals() const;
  base::Result<std::vector<RecordTotalsDifference>> VerifyRecordTotals() const;
  // The counters `needed` names (policy/list_totals.h) of `data_set` (leads, contacts, companies
  // or tasks; kInvalidArgument for incoming leads), leaving out empty ones; leads of the pipelines
  // `pipeline_ids` only when it is not empty. One indexed query. With `kept_stages`, the lead
  // cells of every other stage are summed per responsible user by the database and returned as
  // the stage {0, 0} (which must not be in it): what a count needs when every filter has its
  // `otherwise` audience outside `kept_stages`, in one row per user instead of one per stage.
  base::Result<std::vector<policy::CellTotals>> ReadTotals(
      domain::DataSet data_set, const policy::CellsNeeded& needed,
      std::span<const PipelineId> pipeline_ids = {},
      const std::vector<domain::StageKey>* kept_stages = nullptr) const;
  // Per stage ({0, 0} for data sets other than leads), the number and price sum of the records
  // of `data_set` that query.allowed admits and query.minus does not, with the query's
  // restrictions, from the totals (ReadTotals + policy::TotalsByStage): the cost depends on
  // the number of users and stages the filters name, not on the number of records.
  base::Result<std::map<domain::StageKey, policy::Totals>> TotalsByStage(
      domain::DataSet data_set, const TotalsQuery& query) const;

  // Every row List would return (all pages) in batches of `batch_size`, in order; the visitor
  // may stop the export by returning an error, which is returned as is.
  template <typename Record>
  using Visitor = std::function<base::Status(std::span<const Record>)>;
  template <typename R>
  base::Status Export(const policy::ListFilter& permission, const ListQuery& query,
                      const Visitor<R>& visit, int batch_size = 1000) const;

  // Shared Inbox, filtered in SQL by the linked record's permission predicate (the same one
  // the record lists use), so pages and counts hold only visible conversations. When both
  // filters match nothing no SQL runs. GetVisibleConversation is kNotFound for a missing,
  // foreign or invisible conversation alike.
  base::Result<Page<Conversation>> ListVisibleConversations(const ConversationQuery& query) const;
  base::Result<std::int64_t> CountVisibleConversations(const ConversationQuery& query) const;
  base::Result<Conversation> GetVisibleConversation(const ConversationQuery& query,
                                                    RecordId id) const;
  // Messages of one conversation of this account, oldest first (no rights: check the
  // conversation first). An unknown conversation has no messages.
  base::Result<std::vector<ConversationMessage>> ListConversationMessages(RecordId conversation_id,
                                                                          int limit = 250,
                                                                          int page = 1) const;

  // Links.
  base::Result<std::vector<LeadContactLink>> LeadContacts(RecordId lead_id) const;
  base::Result<std::optional<RecordId>> LeadCompany(RecordId lead_id) const;
  // Get<Lead> and LeadCompany and the company's responsible user, in one statement.
  base::Result<LeadWithCompany> GetLeadWithCompany(RecordId id) const;
  // The records linked across `link` to each of `ids` (a page's records, or one), in one
  // statement whatever the number of ids and links, each with what deciding its visibility
  // needs; ordered by (of, the main contact first, id). A link to a record that no longer
  // exists is left out. No SQL runs for no ids.
  base::Result<std::vector<LinkedRecord>> Linked(Link link, std::span<const RecordId> ids) const;
  base::Result<std::vector<RecordId>> ContactLeads(RecordId contact_id) const;
  base::Result<std::vector<RecordId>> CompanyLeads(RecordId company_id) const;

  // Notes (migration 14). ListVisibleNotes: one statement per page, the record's permission
  // predicate inside it (no SQL when it matches nothing). GetNote: by id within entity_type,
  // no rights (kNotFound "note not found" when missing or of another kind or account).
  base::Result<Page<Note>> ListVisibleNotes(const NoteQuery& query) const;
  base::Result<Note> GetNote(std::string_view entity_type, RecordId id) const;
  // Customers (migration 16; store_customers.cc). The account's customer statuses by sort, then
  // id; one of them (kNotFound "customer status not found"). A customer's contacts (the main one
  // first) and company.
  base::Result<std::vector<CustomerStatus>> ListCustomerStatuses() const;
  base::Result<CustomerStatus> GetCustomerStatus(std::int64_t id) const;
  base::Result<std::vector<CustomerContactLink>> CustomerContacts(RecordId customer_id) const;
  base::Result<std::optional<RecordId>> CustomerCompany(RecordId customer_id) const;
  // Tags (store_tags.cc, migration 13), of one entity type: "leads", "contacts", "companies"
  // (RecordTraits<R>::kTable.table of a TaggedRecord). ListTags: the catalog by id, at most
  // query.limit rows of page query.page. TagsOf: the tags each of `ids` carries, in one
  // statement (no SQL for no ids), ordered by (record, tag id).
  base::Result<std::vector<Tag>> ListTags(std::string_view entity_type,
                                          const TagQuery& query) const;
  base::Result<std::vector<RecordTag>> TagsOf(std::string_view entity_type,
                                              std::span<const RecordId> ids) const;
  // Loss reasons (store_loss_reasons.cc), by sort then id; Get: kNotFound when missing.
  base::Result<std::vector<LossReason>> ListLossReasons() const;
  base::Result<LossReason> GetLossReason(std::int64_t id) const;
  // Custom fields (migration 15, store_custom_fields.cc). The definitions of `data_set` (leads,
  // contacts or companies), ordered by (sort, id), each with its enums ordered by (sort, id).
  base::Result<std::vector<domain::CustomField>> ListCustomFields(domain::DataSet data_set) const;
  // kNotFound "custom field not found" for a missing one, another kind's or another account's.
  base::Result<domain::CustomField> GetCustomField(domain::DataSet data_set, std::int64_t id) const;
  // The stored values of records `ids` of `data_set`, in one statement whatever the number of
  // ids, ordered by (record, field, position). No SQL runs for no ids.
  base::Result<std::vector<FieldValueRow>> FieldValues(domain::DataSet data_set,
                                                       std::span<const RecordId> ids) const;

  // Lists (catalogs).
  base::Result<std::vector<storage::List>> ListLists() const;
  base::Result<std::vector<ListItem>> ListItems(std::int64_t list_id, int limit = 250,
                                                int page = 1) const;
  // The item `id` of list `list_id`; kNotFound when missing, of another list or account.
  base::Result<ListItem> GetListItem(std::int64_t list_id, RecordId id) const;

  // Sessions and tokens of this account (user 0: every user).
  base::Result<std::vector<SessionRow>> ListSessions(UserId user_id = 0) const;
  base::Result<std::vector<ApiTokenRow>> ListApiTokens(UserId user_id = 0) const;

  // Four-eyes approval requests as of `now`, newest first: a pending request past its
  // expires_at reads as "expired" (decided_at = expires_at) even before a write stores it so.
  // `status` "" lists every status; at most `limit` rows from `offset`.
  base::Result<std::vector<ApprovalRow>> ListApprovals(std::int64_t now, std::string_view status,
                                                       int limit, int offset) const;
  // Request `id` as of `now` (as above); kNotFound when missing or of another account.
  base::Result<ApprovalRow> GetApproval(std::int64_t id, std::int64_t now) const;

  // Security settings (defaults when never saved) and login throttle state.
  base::Result<SecuritySettingsRow> SecuritySettings() const;
  base::Result<std::optional<ThrottleRow>> GetThrottle(std::string_view key) const;

  // Activity log.
  base::Result<std::vector<EventRow>> ListEvents(const EventQuery& query) const;
  base::Result<std::optional<EventRow>> LastEvent() const;  // newest by id
  // Walks the account's activity-log hash chain from its first event (event_chain.h).
  base::Result<ChainReport> VerifyEventChain() const;
  // One entry by id; kNotFound when missing (or another account's).
  base::Result<EventRow> GetEvent(std::string_view id) const;
  // Every event oldest first, in batches (for verification and CSV export).
  base::Status ScanEvents(const std::function<base::Status(std::span<const EventRow>)>& visit,
                          int batch_size = 1000) const;

 protected:
  AccountReader(Store* store, AccountId account_id, sql::Connection* fixed)
      : store_(store), account_id_(account_id), fixed_(fixed) {}
  friend class Store;

  // Runs `fn` on the writer's connection, or on one borrowed from the pool.
  template <typename Fn>
  auto WithConnection(Fn&& fn) const;

  Store* store_;
  AccountId account_id_;
  sql::Connection* fixed_;  // the transaction's connection inside Write(), else nullptr
};

// Writes of one account inside one transaction (see Store::Write). Each method validates its
// references inside the transaction and returns an error without writing anything on failure;
// the caller's lambda decides whether to continue or to return the error (rolling back all).
class AccountWriter : public AccountReader {
 public:
  sql::Connection& connection() const { return *fixed_; }

  base::Status UpdateAccount(std::string_view name, std::int64_t seats);

  // Users. CreateUser ignores user.id and returns the new one; the email must be unique in the
  // account (kAlreadyExists), the group and role must belong to it.
  base::Result<UserId> CreateUser(const UserRow& row);
  base::Status UpdateUser(const UserRow& row);  // every field, by row.user.id
  // Removes the user for good, with their sessions, API tokens and OAuth grants. Refused
  // (kFailedPrecondition) while any lead, contact, company, task, pending incoming lead or
  // conversation still has them responsible: Reassign first. Decided incoming leads keep no
  // responsible user. Activity-log entries keep the user's id as actor.
  base::Status DeleteUser(UserId id);
  base::Status SetPasswordHash(UserId id, std::string_view hash);
  base::Status SetLastLogin(UserId id, std::int64_t at);
  base::Status SetTwoFactor(UserId id, std::string_view secret, bool enabled,
                            std::int64_t last_step, const std::vector<std::string>& recovery);

  base::Result<GroupId> CreateGroup(std::string_view name);
  base::Status RenameGroup(GroupId id, std::string_view name);
  // Refused (kFailedPrecondition) for the default group or while users are in it.
  base::Status DeleteGroup(GroupId id);

  base::Result<RoleId> CreateRole(const domain::Role& role);
  // Saves the role and copies its rights to every user holding it (SPEC §1).
  base::Status UpdateRole(const domain::Role& role);
  base::Status DeleteRole(RoleId id);  // kFailedPrecondition while users hold it

  // Creates a pipeline with its incoming stage, `stages` (ids ignored, new ids assigned), won
  // 142 and lost 143; returns it as stored. The first pipeline is the main one.
  base::Result<domain::Pipeline> CreatePipeline(std::string_view name, int sort, bool is_main,
                                                const std::vector<domain::Stage>& stages);
  base::Status UpdatePipeline(PipelineId id, std::string_view name, int sort, bool is_main);
  base::Status DeletePipeline(PipelineId id);  // refused for the last one or one with leads
  base::Result<StatusId> AddStage(PipelineId pipeline_id, std::string_view name, int sort);
  base::Status UpdateStage(PipelineId pipeline_id, StatusId status_id, std::string_view name,
                           int sort);
  // Leads in the stage move to the pipeline's first working stage (Kommo).
  base::Status DeleteStage(PipelineId pipeline_id, StatusId status_id);

  // Records, one kind R at a time (as for Get; Update and Delete: Lead, Contact, Company,
  // Task). Create ignores the id and returns the stored record. Update replaces every field
  // but id and created_at/created_by; `stored` (optional) receives the record as written
  // (defaults resolved). Both run the checks every kind shares — the responsible user is an
  // active user of this account (on update only when it changes), created_by (create) and
  // updated_by (update, when it changes) are users of this account — between the kind's own
  // Resolve and Validate hooks (record_traits.h: a lead's status must be a stage of its
  // pipeline, by default the main pipeline's first working stage, and moving to 142/143 sets
  // closed_at when 0; a task's record must exist ...). created_at defaults to now and
  // updated_at to created_at; an update that leaves updated_at as stored sets it to now.
  // Delete removes the record and the tasks attached to it. Every write keeps the totals.
  template <typename R>
  base::Result<R> Create(const R& record);
  template <typename R>
  base::Status Update(const R& record, R* stored = nullptr);
  template <typename R>
  base::Status Delete(RecordId id);
  // Creates the lead (in `status_id` of the item's pipeline, or its first working stage when
  // 0) and marks the item accepted. kFailedPrecondition unless pending.
  base::Result<Lead> AcceptIncomingLead(RecordId id, UserId actor, StatusId status_id,
                                        std::int64_t now);
  base::Status DeclineIncomingLead(RecordId id, std::int64_t now);
  // Replaces the item's embedded_json (the accept records the ids it created there).
  base::Status SetIncomingEmbedded(RecordId id, const std::string& embedded_json);
  // Appends a message (id ignored; created_at 0: now) and moves the conversation's updated_at
  // and last_message_at to its time. kNotFound for a conversation not of this account;
  // kInvalidArgument ("text") for empty text, ("author_user_id") for a user not of this
  // account. Returns the stored message.
  base::Result<ConversationMessage> AppendConversationMessage(const ConversationMessage& message);

  // Customer statuses (store_customers.cc). Create: a regular status (type 0, not default;
  // id ignored) at `sort` (0: after the last regular one); at most kMaxCustomerStatuses per
  // account (kInvalidArgument "name"). Update: name, sort and color of any status. Delete: a
  // regular status only (kFailedPrecondition for a system one); its customers move to the
  // first status. CreateDefaultCustomerStatuses: the set migration 16 gives every account.
  static constexpr std::int64_t kMaxCustomerStatuses = 30;
  base::Result<CustomerStatus> CreateCustomerStatus(const CustomerStatus& status);
  base::Status UpdateCustomerStatus(const CustomerStatus& status);
  base::Status DeleteCustomerStatus(std::int64_t id, std::int64_t now);
  base::Status CreateDefaultCustomerStatuses();
  // Links of a customer, as LinkContact / LinkCompany for a lead.
  base::Status LinkCustomerContact(RecordId customer_id, RecordId contact_id, bool is_main);
  base::Status LinkCustomerCompany(RecordId customer_id, RecordId company_id);

  base::Status LinkContact(RecordId lead_id, RecordId contact_id, bool is_main);
  base::Status UnlinkContact(RecordId lead_id, RecordId contact_id);
  base::Status LinkCompany(RecordId lead_id, RecordId company_id);  // replaces the old one
  base::Status UnlinkCompany(RecordId lead_id);

  // Notes. CreateNote ignores id, defaults created_at (now) and updated_at (created_at), and
  // checks that the record (entity_type, entity_id) exists in this account (kInvalidArgument
  // "entity_id" otherwise) and that responsible_user_id (0: none) is an active user of it.
  // UpdateNote replaces note_type, params, responsible_user_id, updated_by and updated_at of the
  // note (entity_type, id); kNotFound when it is not one. Record deletion removes the record's
  // notes (Delete<R>).
  base::Result<Note> CreateNote(const Note& note);
  base::Status UpdateNote(const Note& note);

  // Moves every lead, contact, company, task, pending incoming lead and conversation of `from`
  // to `to` (an active user of this account; `from` may be deactivated).
  base::Result<ReassignCounts> Reassign(UserId from, UserId to, std::int64_t now);

  // Tags (store_tags.cc). CreateTag ignores tag.id and returns the stored tag; kInvalidArgument
  // ("name", AlreadyExists) when the entity type's catalog has that name. SetRecordTags replaces
  // the tags of record `id` (the caller has checked that they are of the catalog). DeleteTag
  // removes the tag and every record's use of it; kNotFound when the catalog has no such tag.
  // Deleting a record (Delete<R>) removes its tags.
  base::Result<Tag> CreateTag(std::string_view entity_type, const Tag& tag);
  base::Status SetRecordTags(std::string_view entity_type, RecordId id,
                             std::span<const std::int64_t> tag_ids);
  base::Status DeleteTag(std::string_view entity_type, std::int64_t id);
  // CreateLossReason: kInvalidArgument ("name": Required, AlreadyExists); created_at 0: now.
  // DeleteLossReason: kNotFound when missing; the leads lost for it keep no reason (0).
  base::Result<LossReason> CreateLossReason(const LossReason& reason);
  base::Status DeleteLossReason(std::int64_t id);
  // Custom fields. Create ignores field.id and the enums' ids and returns the stored field with
  // the new ids. Update replaces name, code, sort, is_api_only and the enums (an enum with id 0
  // is added, one with an id of this field renamed/re-sorted, one missing deleted); the type
  // and kind never change. Delete removes the field with its enums and every value of it.
  base::Result<domain::CustomField> CreateCustomField(const domain::CustomField& field);
  base::Result<domain::CustomField> UpdateCustomField(const domain::CustomField& field);
  base::Status DeleteCustomField(domain::DataSet data_set, std::int64_t id);
  // Replaces the values of field `field_id` of record `record_id` (of `data_set`) with `values`
  // (empty: removes them).
  base::Status SetFieldValues(domain::DataSet data_set, RecordId record_id, std::int64_t field_id,
                              std::span<const domain::FieldValue> values);

  base::Result<storage::List> CreateList(std::string_view name, int sort);
  base::Result<ListItem> CreateListItem(const ListItem& item);
  // Replaces name, custom fields and updated_at of item (item.list_id, item.id); kNotFound when
  // that list of this account has no such item, kInvalidArgument ("name") for an empty name.
  base::Status UpdateListItem(const ListItem& item);
  base::Status DeleteListItem(RecordId id);

  // Sessions and tokens. DeleteSessions ends every session of `user_id` (0: of the account)
  // except `keep_id`; returns how many ended.
  base::Status CreateSession(const SessionRow& session);
  base::Status TouchSession(std::string_view id, std::int64_t last_seen_at);
  base::Status SetSessionSecondFactor(std::string_view id);
  base::Status DeleteSession(std::string_view id);
  base::Result<std::int64_t> DeleteSessions(UserId user_id, std::string_view keep_id = "");
  base::Result<std::int64_t> CreateApiToken(const ApiTokenRow& token);
  base::Status RevokeApiToken(std::int64_t id);
  base::Result<std::int64_t> RevokeApiTokensOfUser(UserId user_id);
  base::Status TouchApiToken(std::int64_t id, std::int64_t at);

  base::Result<std::int64_t> CreateOAuthIntegration(const OAuthIntegrationRow& row);
  base::Status CreateOAuthCode(const OAuthCodeRow& row);
  // Marks the code used and returns it; kFailedPrecondition when it was used already (a replay,
  // see RevokeOAuthGrant), kNotFound when unknown or expired at `now`.
  base::Result<OAuthCodeRow> ConsumeOAuthCode(std::string_view code_hash, std::int64_t now);
  // Revokes every access and refresh token of the grant `grant_id` (the hash of the code they
  // descend from); returns how many. An empty id revokes nothing.
  base::Result<std::int64_t> RevokeOAuthGrant(std::string_view grant_id);
  base::Status CreateOAuthRefresh(const OAuthRefreshRow& row);
  base::Result<OAuthRefreshRow> ConsumeOAuthRefresh(std::string_view token_hash, std::int64_t now);

  base::Status PutSecuritySettings(const SecuritySettingsRow& settings);

  // Four-eyes approvals. CreateApproval returns the new id (row.id is ignored). LockApproval
  // reads one, locked until the transaction ends (a concurrent approve and reject of the same
  // request: the second waits, then sees the first's decision); kNotFound when missing.
  // DecideApproval stores status, decided_by and decided_at of row.id. ExpireApprovals turns
  // every pending request whose expires_at is at or before `now` to "expired" and returns them.
  base::Result<std::int64_t> CreateApproval(const ApprovalRow& row);
  base::Result<ApprovalRow> LockApproval(std::int64_t id);
  base::Status DecideApproval(const ApprovalRow& row);
  base::Result<std::vector<ApprovalRow>> ExpireApprovals(std::int64_t now);
  base::Status PutThrottle(const ThrottleRow& row);
  base::Status ClearThrottle(std::string_view key);
  // The row of `key`, locked until the transaction ends, so that concurrent transactions (other
  // servers) updating the same key wait and then see this one's update: no failure is lost. On
  // PostgreSQL a missing row is first inserted empty (failures 0), since there is nothing to lock
  // otherwise; SQLite has one writer at a time. Lock keys in one fixed order (no deadlocks).
  base::Result<ThrottleRow> LockThrottle(std::string_view key);
  // Deletes the account's rows that no longer matter at `now`: no lock and the latest failure
  // (window_start) at or before `forget_before`, or a lock that ended at or before it. Rows
  // another transaction holds are skipped (never waits). Returns how many were deleted.
  base::Result<std::int64_t> DeleteStaleThrottles(std::int64_t forget_before);

  // Holds the lock of job `job` (a constant of the caller's, kJob*) for this account until the
  // transaction ends: a concurrent transaction asking for the same job and account waits until
  // this one has committed or rolled back, and then reads what it wrote. PostgreSQL: a
  // transaction-level advisory lock (safe behind a transaction-mode pooler); SQLite: nothing to
  // do, it has one writer at a time. Take it first in the transaction.
  base::Status LockJob(std::int32_t job);
  static constexpr std::int32_t kJobDormantUsers = 1;

  // For bulk loaders of storage/ that insert rows with their own SQL (demo.cc): counts
  // `record` (sign +1) or its removal (-1) in the totals of its kind (RecordTraits::kTotals),
  // which this transaction writes just before it commits. Every AccountWriter method that
  // writes records does this itself.
  template <typename R>
  void CountTotals(const R& record, int sign) {
    using Traits = RecordTraits<R>;
    if constexpr (Traits::kTotals == Totals::kLeadCells) {
      CountLead(record, sign);
    } else if constexpr (Traits::kTotals == Totals::kByResponsible) {
      CountRecord(Traits::kDataSet, record.responsible_user_id, sign);
    }
  }
  // CountTotals of a lead.
  void CountLead(const Lead& lead, int sign) {
    CountLeadCell({lead.pipeline_id, lead.status_id, lead.responsible_user_id}, sign, lead.price);
  }
  // The same for `delta` contacts, companies or tasks (`data_set`) of `responsible_user_id`
  // (0: nobody): +1 for one inserted, -1 for one deleted.
  void CountRecord(domain::DataSet data_set, UserId responsible_user_id, std::int64_t delta);

  // Appends one activity-log entry (event.id must be new) as the next link of the account's
  // hash chain: seq, prev_hash and hash are assigned here (those of `event` are ignored).
  base::Status AppendEvent(const EventRow& event);

 private:
  friend class Store;
  // kInvalidArgument ("user_id") unless `id` is a user of this account.
  base::Status CheckOwnedUser(UserId id) const;
  // Deletes the tasks attached to record `id` of `entity_type` ("leads", ...), counted.
  base::Status DeleteTasksOf(std::string_view entity_type, RecordId id);
  // Deletes the notes of record `id` of `entity_type` (store_notes.cc).
  base::Status DeleteNotesOf(std::string_view entity_type, RecordId id);
  // Adds `sign` leads of total price `sign * price` to `cell` and to its stage's rollup in the
  // pending changes.
  void CountLeadCell(const LeadCell& cell, int sign, std::int64_t price);
  // Writes the pending total changes — lead cells, then record totals, each in key order (so
  // that concurrent transactions lock them in one order and cannot deadlock on them) — each as
  // an additive upsert (so that no increment is lost). Store::Write calls it last, before the
  // commit; after it the transaction takes no further locks.
  base::Status FlushTotals();
  base::Status FlushLeadTotals();
  base::Status FlushRecordTotals();
  struct CellChange {
    std::int64_t count = 0;
    std::int64_t price = 0;
  };
  std::map<LeadCell, CellChange> lead_totals_pending_;
  // (data set, responsible user) -> change of the record count; kEveryone is the rollup.
  std::map<std::pair<domain::DataSet, UserId>, std::int64_t> record_totals_pending_;
  // Called by every method that changes security state (see Store::security_epoch).
  void MarkSecurityChanged() { security_changed_ = true; }
  bool security_changed_ = false;
  AccountWriter(Store* store, AccountId account_id, sql::Connection* connection)
      : AccountReader(store, account_id, connection) {}
};

class Store {
 public:
  // Opens `url` ("sqlite:PATH", "postgresql://...") with `pool_size` connections. Does not
  // migrate; call Migrate() (the server does at start). A missing SQLite file is created only
  // when `if_missing` is kCreate (else kNotFound, see sql::IfMissing). `sync`: sql::SqliteSync.
  static base::Result<std::unique_ptr<Store>> Open(
      std::string_view url, int pool_size = 4, sql::IfMissing if_missing = sql::IfMissing::kCreate,
      sql::SqliteSync sync = sql::SqliteSync::kNormal);
  explicit Store(std::unique_ptr<sql::ConnectionPool> pool);

  // Applies every pending migration, each in its own transaction, recording it in
  // schema_migrations. Idempotent. Refuses (kFailedPrecondition) a database whose version is
  // newer than this binary's. `applied` (optional) receives the versions it applied.
  base::Status Migrate(std::vector<int>* applied = nullptr);
  base::Result<int> SchemaVersion() const;  // 0 for an empty database
  // Proves the database accepts a write now: bumps the readiness heartbeat row in a
  // transaction and commits it (a rolled-back write would not reach the disk, so would miss a
  // full disk). OK, or the engine's error (a read-only file, a full disk, a lost server).
  // Group-committed with Write on SQLite; cheap (one row), but callers should cache the answer.
  base::Status CheckWritable();
  static int BinarySchemaVersion();
  sql::Dialect dialect() const { return pool_->dialect(); }
  sql::ConnectionPool& pool() { return *pool_; }

  // Accounts (the only unscoped data).
  base::Result<AccountRow> CreateAccount(const NewAccount& account);
  base::Result<AccountRow> FindAccount(std::string_view subdomain) const;
  base::Result<std::vector<AccountRow>> ListAccounts() const;

  // Lookups that find the account from a secret (a cookie or bearer token hash).
  base::Result<SessionRow> FindSession(std::string_view token_hash) const;
  base::Result<ApiTokenRow> FindApiToken(std::string_view token_hash) const;
  base::Result<std::pair<AccountId, OAuthIntegrationRow>> FindOAuthIntegration(
      std::string_view client_id) const;
  // The account of a live refresh token (not used, not revoked, not expired at `now`); kNotFound
  // otherwise. Reads only: the token stays usable.
  base::Result<AccountId> FindAccountOfOAuthRefresh(std::string_view token_hash,
                                                    std::int64_t now) const;

  // Installation-wide keys (JWT signing key, ...). Get returns kNotFound when unset; Put
  // inserts only when absent and returns the stored value (first writer wins).
  base::Result<std::string> GetInstallationKey(std::string_view name) const;
  base::Result<std::string> PutInstallationKey(std::string_view name, std::string_view value);

  // Leases of installation-wide background jobs (migration 11). Claims job `name` for `holder`
  // until `expires_at` when no lease of it is live at `now` (none yet, or its expires_at <= now);
  // true when claimed. One statement, so of several servers claiming at once exactly one wins.
  // Used so that a scheduled job runs once per period across every server on the database.
  base::Result<bool> ClaimLease(std::string_view name, std::string_view holder, std::int64_t now,
                                std::int64_t expires_at);

  AccountReader Reader(AccountId account_id) { return AccountReader(this, account_id, nullptr); }

  // The clock that stamps the replay history (migration 19): every Write tells the database
  // the time of its transaction, which the history triggers record. The server passes the same
  // injected clock as the services, so tests that move time control history too. Not owned;
  // set before the first write (default: the system clock).
  void set_clock(const base::Clock* clock) { clock_ = clock; }
  const base::Clock& clock() const { return *clock_; }

  // Runs `body` as one atomic write: its changes are stored only when it returns OK, else they
  // are rolled back and its error is returned. OK means committed: the write is in the database
  // (on SQLite in the WAL, which survives the process being killed) when Write returns.
  // SQLite (one writer at a time): writes of this process are group-committed (group_commit.h):
  // queued writes run one after another in one transaction, each in its own savepoint, so a
  // write sees every write acknowledged or batched before it, a failing one rolls back alone,
  // and every caller returns after the shared COMMIT. `body` may then run on another caller's
  // thread (while its own caller waits); it must not call Write. PostgreSQL: one transaction per
  // write, writers in parallel (the server batches concurrent commits' WAL flushes itself).
  base::Status Write(AccountId account_id, const std::function<base::Status(AccountWriter&)>& body);
  // Writes and commits since this Store was opened (equal on PostgreSQL, where nothing is
  // batched), and the writes waiting or running now (SQLite; 0 on PostgreSQL). For tests and
  // benchmarks.
  WriteStats write_stats() const;
  std::size_t queued_writes() const;

  // Security state is what the permission engine and authentication are built from: users,
  // groups, roles, pipelines and stages, sessions, API tokens, the account's seats and security
  // settings. A Write that changes any of it also increases the account's security revision in
  // the same transaction, so every process sharing the database can tell (by polling
  // SecurityRevisions) that its caches are stale; and, once committed, this Store's
  // security_epoch(), so caches in this process can tell at once.
  std::uint64_t security_epoch() const { return security_epoch_.load(std::memory_order_acquire); }
  // Every account's id and security revision.
  base::Result<std::vector<std::pair<AccountId, std::int64_t>>> SecurityRevisions() const;
  base::Result<std::int64_t> SecurityRevision(AccountId account_id) const;

  // On PostgreSQL the same transaction also sends NOTIFY on kSecurityChannel with the account id
  // as payload (delivered at commit, to every listening session), and a new installation key
  // sends NOTIFY on kKeysChannel with its name: servers that LISTEN (sql::PostgresListener)
  // apply a change within milliseconds instead of at their next poll.
  static constexpr const char* kSecurityChannel = "gatehouse_security";
  static constexpr const char* kKeysChannel = "gatehouse_keys";
  // Changes whenever the installation keys may have changed: at once when this Store added one,
  // and when NoteKeysChanged() is called (a notification of another process's change).
  std::uint64_t keys_epoch() const { return keys_epoch_.load(std::memory_order_acquire); }
  void NoteKeysChanged() { keys_epoch_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  friend class AccountReader;
  std::unique_ptr<sql::ConnectionPool> pool_;
  // Runs `body` in a transaction of its own (PostgreSQL) or a savepoint of a group commit
  // (SQLite); `on_commit` runs once it is committed, before the caller returns.
  base::Status RunTransaction(const GroupCommit::Body& body,
                              const GroupCommit::OnCommit& on_commit = nullptr);
  std::atomic<std::uint64_t> security_epoch_{0};
  std::unique_ptr<GroupCommit> group_commit_;  // SQLite only
  std::atomic<std::uint64_t> writes_{0};       // PostgreSQL's commits (write_stats)
  std::atomic<std::uint64_t> keys_epoch_{0};
  base::SystemClock system_clock_;
  const base::Clock* clock_ = &system_clock_;
};

template <typename Fn>
auto AccountReader::WithConnection(Fn&& fn) const {
  if (fixed_ != nullptr) return fn(*fixed_);
  sql::PooledConnection lease = store_->pool().Acquire();
  return fn(*lease);
}

}  // namespace gatehouse::storage
