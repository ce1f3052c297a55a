// Write access to one account: AccountWriter, which exists only inside Store::Write. Part of the
// store (store.h: account scoping, thread-safety, errors); include store.h to use it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/account_reader.h"

namespace gatehouse::storage {

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
  // Adds `stage` (its id and type ignored: a new normal stage) to the pipeline; returns its id.
  base::Result<StatusId> AddStage(PipelineId pipeline_id, const domain::Stage& stage);
  // Sets the name, sort and colour of stage `stage.id` of the pipeline.
  base::Status UpdateStage(PipelineId pipeline_id, const domain::Stage& stage);
  // Leads in the stage move to the pipeline's first working stage (Kommo).
  base::Status DeleteStage(PipelineId pipeline_id, StatusId status_id);
  // Sets the `level` text of stage `status_id` of the pipeline to `text`, written by `by` now; an
  // empty `text` removes it. A text equal to the stored one changes nothing (updated_at kept).
  // kNotFound when the stage is not one of this account. Deleting the stage or its pipeline
  // deletes its descriptions.
  base::Status SetStageDescription(PipelineId pipeline_id, StatusId status_id,
                                   domain::StageLevel level, std::string_view text, UserId by);

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

  // Imports. PutImportSource records the account's source (once; a later call with the same
  // source only updates finished_at). MapImported records one imported object; a (kind,
  // source_id) mapped already is an engine error (the importer checks the map first).
  base::Status PutImportSource(const ImportSourceRow& row);
  base::Status MapImported(std::string_view kind, std::int64_t source_id, std::int64_t local_id);

  // Moves every lead, contact, company, task, pending incoming lead and conversation of `from`
  // to `to` (an active user of this account; `from` may be deactivated).
  base::Result<ReassignCounts> Reassign(UserId from, UserId to, std::int64_t now);

  // Tags (store_tags.cc). CreateTag ignores tag.id and returns the stored tag; kInvalidArgument
  // ("name", AlreadyExists) when the entity type's catalog has that name. SetRecordTags replaces
  // the tags of record `id` (the caller has checked that they are of the catalog). DeleteTag
  // removes the tag and every record's use of it; kNotFound when the catalog has no such tag.
  // Deleting a record (Delete<R>) removes its tags.
  base::Result<Tag> CreateTag(domain::DataSet entity_type, const Tag& tag);
  base::Status SetRecordTags(domain::DataSet entity_type, RecordId id,
                             std::span<const std::int64_t> tag_ids);
  base::Status DeleteTag(domain::DataSet entity_type, std::int64_t id);
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
  // Deletes integration `id` and shuts off what was issued through it: its access tokens are
  // revoked (as RevokeApiToken does, so every server drops them from its token cache), its
  // refresh tokens and authorization codes, used or not, deleted. Returns how many access tokens
  // it revoked; kNotFound when this account has no such integration.
  base::Result<std::int64_t> DeleteOAuthIntegration(std::int64_t id);
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
  // Runs `update`, an UPDATE of leads that returns each changed lead's new cell and price
  // ("RETURNING pipeline_id, status_id, COALESCE(responsible_user_id, 0), price"), and moves its
  // count and price to that cell from `old_cell_of(new cell)`; returns how many leads moved.
  base::Result<std::int64_t> MoveLeads(std::string_view update,
                                       const std::vector<sql::Value>& params,
                                       const std::function<LeadCell(LeadCell)>& old_cell_of);
  // Deletes the tasks attached to record `id` of `entity_type`, counted.
  base::Status DeleteTasksOf(domain::DataSet entity_type, RecordId id);
  // Deletes the notes of record `id` of `entity_type` (store_notes.cc).
  base::Status DeleteNotesOf(domain::DataSet entity_type, RecordId id);
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

}  // namespace gatehouse::storage
