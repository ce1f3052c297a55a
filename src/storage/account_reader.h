// Read access to one account: AccountReader and the queries only it takes. Part of the store
// (store.h: account scoping, thread-safety, errors); include store.h to use it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "domain/custom_fields.h"
#include "domain/stage_description.h"
#include "storage/account_rows.h"
#include "storage/approval_row.h"
#include "storage/auth_rows.h"
#include "storage/catalog_rows.h"
#include "storage/event_chain.h"
#include "storage/event_rows.h"
#include "storage/query.h"
#include "storage/record_rows.h"
#include "storage/record_traits.h"
#include "storage/sql/connection.h"
#include "storage/totals_rows.h"

namespace gatehouse::storage {

class Store;

// Filters of the activity-log reader; empty/0 = any. Newest first, keyset by id.
struct EventQuery {
  UserId actor_user_id = 0;
  std::vector<std::string> types{};
  std::string entity_type{};
  std::int64_t entity_id = 0;
  Range created_at{};
  // Entries whose stored value_before / value_after text equals one of these exactly (the
  // writer's canonical JSON); empty: any.
  std::vector<std::string> value_before{};
  std::vector<std::string> value_after{};
  std::string before_id{};  // continue with entries older than this id
  int limit = 50;           // 1..250
};

// The Shared Inbox as one user sees it (SPEC §2): a conversation qualifies iff its linked
// record qualifies, a lead under `leads` (the viewer's leads view filter, stage rights
// included) or a contact under `contacts` (contacts view). A conversation linked to anything
// else, or whose linked record no longer exists, qualifies for nobody. Newest activity first:
// ordered by (updated_at DESC, id DESC).
struct ConversationQuery {
  policy::ListFilter leads{};
  policy::ListFilter contacts{};
  std::vector<RecordId> ids{};  // restrict to these ids; empty: any
  int limit = 50;               // 1..kMaxPageLimit; larger values are clamped
  int page = 1;                 // 1-based
};

// The notes of one record kind as one user sees them: a note qualifies iff its record
// qualifies under `permission` (the caller's view filter of the kind's data set, stage rights
// included), in SQL, so a page holds only visible notes. Filters combine with AND; empty: any.
struct NoteQuery {
  domain::DataSet entity_type = domain::DataSet::kLeads;  // domain::kAttachableDataSets
  policy::ListFilter permission{};
  std::vector<RecordId> ids{};
  std::vector<RecordId> entity_ids{};
  std::vector<std::string> note_types{};
  Range updated_at{};
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
  // The descriptions of every stage of pipeline `pipeline_id` (migration 24), in one query: by
  // stage id, then level (newbie, candidate, master). Empty for a pipeline without any (or not
  // of this account).
  base::Result<std::vector<domain::StageDescription>> StageDescriptions(
      PipelineId pipeline_id) const;
  base::Result<GroupId> DefaultGroupId() const;

  // Protected records, one kind R at a time: Lead, Contact, Company, Task, IncomingLead or
  // Conversation (record_traits.h; Count and Export: not Conversation; Export: Lead, Contact,
  // Company). The generic members are defined and instantiated in store_records.cc.
  //
  // Get: kNotFound "<kind> not found" for a missing record or one of another account.
  template <typename R>
  base::Result<R> Get(RecordId id) const;
  base::Result<IncomingLead> FindIncomingLeadByUid(std::string_view uid) const;
  // What the permission engine sees of record `id` of `data_set` (RecordTraits<R>::Ref of the
  // kind's Get): kNotFound as Get.
  base::Result<domain::RecordRef> GetRef(domain::DataSet data_set, RecordId id) const;

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

  // The counts of the incoming leads List<IncomingLead>(permission, query) shows on all its
  // pages: per state, per category and the mean sorting time, in one aggregate statement over
  // the same WHERE as the list (no SQL when `permission` matches nothing: all zeros).
  base::Result<IncomingSummary> SummarizeIncoming(const policy::ListFilter& permission,
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
  // the record lists use), so pages hold only visible conversations. When both
  // filters match nothing no SQL runs. GetVisibleConversation is kNotFound for a missing,
  // foreign or invisible conversation alike.
  base::Result<Page<Conversation>> ListVisibleConversations(const ConversationQuery& query) const;
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
  // Get<Lead>, LeadCompany and the company's responsible user, and TagsOf the lead, in one
  // statement (on PostgreSQL one round trip).
  base::Result<LeadWithCompany> GetLeadWithCompany(RecordId id) const;
  // The records linked across `link` to each of `ids` (a page's records, or one), in one
  // statement whatever the number of ids and links, each with what deciding its visibility
  // needs; ordered by (of, the main contact first, id). A link to a record that no longer
  // exists is left out. No SQL runs for no ids.
  base::Result<std::vector<LinkedRecord>> Linked(Link link, std::span<const RecordId> ids) const;

  // Notes (migration 14). ListVisibleNotes: one statement per page, the record's permission
  // predicate inside it (no SQL when it matches nothing). GetNote: by id within entity_type,
  // no rights (kNotFound "note not found" when missing or of another kind or account).
  base::Result<Page<Note>> ListVisibleNotes(const NoteQuery& query) const;
  base::Result<Note> GetNote(domain::DataSet entity_type, RecordId id) const;
  // Customers (migration 16; store_customers.cc). The account's customer statuses by sort, then
  // id; one of them (kNotFound "customer status not found"). A customer's contacts (the main one
  // first) and company.
  base::Result<std::vector<CustomerStatus>> ListCustomerStatuses() const;
  base::Result<CustomerStatus> GetCustomerStatus(std::int64_t id) const;
  base::Result<std::vector<CustomerContactLink>> CustomerContacts(RecordId customer_id) const;
  base::Result<std::optional<RecordId>> CustomerCompany(RecordId customer_id) const;
  // Tags (store_tags.cc, migration 13), of one tagged kind's catalog (RecordTraits<R>::kDataSet
  // of a TaggedRecord: leads, contacts, companies, customers). ListTags: the catalog by id, at most
  // query.limit rows of page query.page. TagsOf: the tags each of `ids` carries, in one
  // statement (no SQL for no ids), ordered by (record, tag id).
  base::Result<std::vector<Tag>> ListTags(domain::DataSet entity_type, const TagQuery& query) const;
  base::Result<std::vector<RecordTag>> TagsOf(domain::DataSet entity_type,
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
  // Page `page` of `limit` items (1..kMaxPageLimit) of list `list_id`, by id, counting only the
  // items whose id is one of `ids` (empty: any) and whose name contains `text` (empty: any), the
  // way ListQuery's ids and text match records (store_lists.cc): filtered in SQL before the page
  // is cut. A list of another account has no items.
  base::Result<std::vector<ListItem>> ListItems(std::int64_t list_id, int limit = 250, int page = 1,
                                                std::span<const RecordId> ids = {},
                                                std::string_view text = {}) const;
  // The item `id` of list `list_id`; kNotFound when missing, of another list or account.
  base::Result<ListItem> GetListItem(std::int64_t list_id, RecordId id) const;

  // Sessions of this account (user 0: every user).
  base::Result<std::vector<SessionRow>> ListSessions(UserId user_id = 0) const;
  // API tokens of this account (store_sessions.cc), by id. ListApiTokens: every token of
  // `user_id` (0: of every user), revoked and expired ones included, which nothing prunes (an
  // integration gets a new access token a day): a user's whole history, not a list to show.
  // ListLiveApiTokens: the tokens `filter` selects that are live at `now`, neither revoked nor
  // expired (expires_at 0 never expires; one expiring at `now` is no longer live), filtered by
  // the database. GetApiToken: token `id`, revoked or expired alike; kNotFound "token not found"
  // when missing or of another account.
  base::Result<std::vector<ApiTokenRow>> ListApiTokens(UserId user_id) const;
  base::Result<std::vector<ApiTokenRow>> ListLiveApiTokens(std::int64_t now,
                                                           const LiveTokenFilter& filter) const;
  base::Result<ApiTokenRow> GetApiToken(std::int64_t id) const;
  // The OAuth integrations of this account by id, each with its access tokens live at `now`
  // (store_sessions.cc). GetOAuthIntegration: the one `id`, kNotFound when missing or of another
  // account.
  base::Result<std::vector<OAuthIntegrationUse>> ListOAuthIntegrations(std::int64_t now) const;
  base::Result<OAuthIntegrationUse> GetOAuthIntegration(std::int64_t id, std::int64_t now) const;

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

  // Imports (migration 20, store_imports.cc): the source this account was imported from
  // (nullopt when none), and the ids of one kind of imported object, source id -> local id.
  base::Result<std::optional<ImportSourceRow>> ImportSource() const;
  base::Result<std::map<std::int64_t, std::int64_t>> ImportMap(std::string_view kind) const;

  // Activity log.
  base::Result<std::vector<EventRow>> ListEvents(const EventQuery& query) const;
  // Walks the account's activity-log hash chain from its first event (event_chain.h).
  base::Result<ChainReport> VerifyEventChain() const;
  // One entry by id; kNotFound when missing (or another account's).
  base::Result<EventRow> GetEvent(std::string_view id) const;

 protected:
  AccountReader(Store* store, AccountId account_id, sql::Connection* fixed)
      : store_(store), account_id_(account_id), fixed_(fixed) {}
  friend class Store;

  // Runs `fn` on the writer's connection, or on one borrowed from the pool.
  template <typename Fn>
  auto WithConnection(Fn&& fn) const;
  // The store's clock (Store::clock) in unix seconds: every time the store stamps itself.
  std::int64_t Now() const;

  Store* store_;
  AccountId account_id_;
  sql::Connection* fixed_;  // the transaction's connection inside Write(), else nullptr
};

}  // namespace gatehouse::storage
