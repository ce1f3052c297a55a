// Protected records: reads, permission-filtered lists/counts/exports, validated writes, incoming
// leads and reassignment. All statements bind the reader's account id first.
#include <algorithm>
#include <type_traits>

#include "storage/closest_task.h"
#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// `lock`: on PostgreSQL, lock the row for the rest of the transaction (SELECT ... FOR UPDATE), so
// that what was read is what a following UPDATE replaces (SQLite has one writer at a time).
template <typename R>
Result<R> GetRecord(sql::Connection& c, AccountId account, RecordId id, bool lock = false) {
  using Codec = RecordCodec<R>;
  Params params{Int(account), Int(id)};
  const bool for_update = lock && c.dialect() == sql::Dialect::kPostgres;
  GH_ASSIGN_OR_RETURN(
      auto row,
      QueryRow(c,
               "SELECT " + Codec::Columns() + " FROM " + std::string(Codec::Table().table) +
                   " WHERE account_id = ? AND id = ?" + (for_update ? " FOR UPDATE" : ""),
               params, Codec::kWhat));
  return Codec::FromRow(row);
}

// Runs a page statement. A plain permission filter is planned with its values on every run
// (QueryPlannedWithValues), because a generic plan of it can be slow. A merged page (sql_filter.h)
// plans about 50 µs per branch (1 ms for 20, as long as it takes to run), and its plan cannot get
// better with the values, so it runs with the cached generic plan, forced (PostgreSQL's own
// choice, plan_cache_mode = auto, would compare against a LIMIT it cannot see); the session
// setting is put back right after, failed or not.
Result<sql::Rows> QueryPage(sql::Connection& c, const SqlStatement& statement) {
  if (!statement.value_independent_plan || c.dialect() != sql::Dialect::kPostgres) {
    return c.QueryPlannedWithValues(statement.sql, statement.params);
  }
  GH_RETURN_IF_ERROR(c.ExecuteScript("SET plan_cache_mode = force_generic_plan"));
  Result<sql::Rows> rows = c.Query(statement.sql, statement.params);
  // In a failed transaction the SET fails too, and the rollback restores the setting: report the
  // query's own error first.
  Status restored = c.ExecuteScript("SET plan_cache_mode = auto");
  if (!rows.ok()) return rows;
  if (!restored.ok()) return restored;
  return rows;
}

template <typename R>
Result<Page<R>> ListRecords(sql::Connection& c, AccountId account,
                            const policy::ListFilter& permission, const ListQuery& query) {
  using Codec = RecordCodec<R>;
  const auto [limit, offset] = WindowOf(query.limit, query.page);
  GH_ASSIGN_OR_RETURN(
      SqlStatement statement,
      BuildSelect(Codec::Table(), Codec::Columns(), permission, query, account, limit + 1, offset));
  Page<R> page;
  if (statement.matches_nothing) return page;
  GH_ASSIGN_OR_RETURN(sql::Rows rows, QueryPage(c, statement));
  for (const auto& row : rows.rows) page.items.push_back(Codec::FromRow(row));
  CutToLimit(page, limit, [&](const R& last) { return CursorValue(last, query.order_field); });
  return page;
}

template <typename R>
Result<std::int64_t> CountRecords(sql::Connection& c, AccountId account,
                                  const policy::ListFilter& permission, const ListQuery& query) {
  GH_ASSIGN_OR_RETURN(SqlStatement statement,
                      BuildCount(RecordCodec<R>::Table(), permission, query, account));
  if (statement.matches_nothing) return std::int64_t{0};
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.QueryPlannedWithValues(statement.sql, statement.params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

template <typename R>
Status ExportRecords(sql::Connection& c, AccountId account, const policy::ListFilter& permission,
                     const ListQuery& query, const std::function<Status(std::span<const R>)>& visit,
                     int batch_size) {
  ListQuery batch = query;
  batch.limit = std::clamp(batch_size, 1, kMaxPageLimit * 40);
  batch.page = 1;
  using Codec = RecordCodec<R>;
  for (;;) {
    GH_ASSIGN_OR_RETURN(
        SqlStatement statement,
        BuildSelect(Codec::Table(), Codec::Columns(), permission, batch, account, batch.limit, 0));
    if (statement.matches_nothing) return Status::Ok();
    GH_ASSIGN_OR_RETURN(sql::Rows rows, QueryPage(c, statement));
    std::vector<R> records;
    records.reserve(rows.size());
    for (const auto& row : rows.rows) records.push_back(Codec::FromRow(row));
    if (!records.empty()) GH_RETURN_IF_ERROR(visit(records));
    if (static_cast<int>(records.size()) < batch.limit) return Status::Ok();
    const R& last = records.back();
    batch.after = Cursor{CursorValue(last, batch.order_field), last.id};
  }
}

template <typename R>
Result<R> InsertRecord(sql::Connection& c, AccountId account, R record) {
  using Codec = RecordCodec<R>;
  return InsertRow<Codec>(c, Codec::Table().table, account, std::move(record));
}

// "UPDATE t SET a = ?, b = ?, ... WHERE account_id = ? AND id = ?" over every field, of a row
// the transaction has locked (read with lock = true): it is there, so the statement needs no
// answer and may travel with the next one (Connection::Defer).
template <typename R>
Status UpdateLockedRecord(sql::Connection& c, AccountId account, const R& record) {
  using Codec = RecordCodec<R>;
  Params params;
  Codec::Append(record, params);
  params.push_back(Int(account));
  params.push_back(Int(record.id));
  return c.Defer("UPDATE " + std::string(Codec::Table().table) + " SET " + Codec::UpdateSets() +
                     " WHERE account_id = ? AND id = ?",
                 params);
}

// Deletes the record and returns the row actually deleted (RETURNING), whatever a concurrent
// writer did before, so that the totals move by exactly what left the table.
template <typename R>
Result<R> DeleteRecord(sql::Connection& c, AccountId account, RecordId id) {
  using Codec = RecordCodec<R>;
  Params params{Int(account), Int(id)};
  GH_ASSIGN_OR_RETURN(auto row,
                      QueryRow(c,
                               "DELETE FROM " + std::string(Codec::Table().table) +
                                   " WHERE account_id = ? AND id = ? RETURNING " + Codec::Columns(),
                               params, Codec::kWhat));
  return Codec::FromRow(row);
}

// A responsible user must be an active user of this account (0: nobody).
Status CheckResponsible(sql::Connection& c, AccountId account, UserId user,
                        std::string field = "responsible_user_id") {
  if (user == 0) return Status::Ok();
  Params params{Int(account), Int(user)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT is_active FROM users WHERE account_id = ? AND id = ?", params));
  if (rows.empty()) {
    return Status::InvalidField(std::move(field), "NotFound",
                                "user " + std::to_string(user) + " does not exist in this account");
  }
  if (sql::AsInt(rows.rows[0][0]) == 0) {
    return Status::InvalidField(std::move(field), "Inactive",
                                "user " + std::to_string(user) + " is deactivated");
  }
  return Status::Ok();
}

// created_by/updated_by: 0 (robot) or any user of this account, active or not.
Status CheckActor(sql::Connection& c, AccountId account, UserId user, std::string field) {
  if (user == 0) return Status::Ok();
  Params params{Int(account), Int(user)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("SELECT id FROM users WHERE account_id = ? AND id = ?", params));
  if (!rows.empty()) return Status::Ok();
  return Status::InvalidField(std::move(field), "NotFound",
                              "user " + std::to_string(user) + " does not exist in this account");
}

}  // namespace

// ---- reads ----

template <typename R>
Result<R> AccountReader::Get(RecordId id) const {
  return WithConnection([&](sql::Connection& c) { return GetRecord<R>(c, account_id_, id); });
}

Result<domain::RecordRef> AccountReader::GetRef(domain::DataSet data_set, RecordId id) const {
  return VisitRecordKind(data_set, [&]<typename R>() -> Result<domain::RecordRef> {
    GH_ASSIGN_OR_RETURN(const R record, Get<R>(id));
    return RecordTraits<R>::Ref(record);
  });
}

template <typename R>
Result<Page<R>> AccountReader::List(const policy::ListFilter& permission,
                                    const ListQuery& query) const {
  return WithConnection(
      [&](sql::Connection& c) { return ListRecords<R>(c, account_id_, permission, query); });
}

// Counts that depend only on what the totals keep are summed from them (a few rows per user
// and stage the filter names) instead of counting rows; the rest, and any count inside a
// write (whose own changes reach the totals only at its end), run COUNT(*) over the rows.
template <typename R>
Result<std::int64_t> AccountReader::Count(const policy::ListFilter& permission,
                                          const ListQuery& query) const {
  using Traits = RecordTraits<R>;
  if constexpr (Traits::kTotals != Totals::kNone) {
    if (fixed_ == nullptr && AnsweredByTotals(Traits::kDataSet, query)) {
      GH_ASSIGN_OR_RETURN(auto by_stage,
                          TotalsByStage(Traits::kDataSet, ToTotalsQuery(permission, query)));
      std::int64_t count = 0;
      for (const auto& [stage, totals] : by_stage) count += totals.count;
      return count;
    }
  }
  return WithConnection(
      [&](sql::Connection& c) { return CountRecords<R>(c, account_id_, permission, query); });
}

template <typename R>
Status AccountReader::Export(const policy::ListFilter& permission, const ListQuery& query,
                             const Visitor<R>& visit, int batch_size) const {
  return WithConnection([&](sql::Connection& c) {
    return ExportRecords<R>(c, account_id_, permission, query, visit, batch_size);
  });
}

namespace {

// The table a data set's records live in (SPEC §2 table).
const TableTraits& TableOf(domain::DataSet data_set) {
  return VisitRecordKind(
      data_set, []<typename R>() -> const TableTraits& { return RecordTraits<R>::kTable; });
}

}  // namespace

Result<std::int64_t> AccountReader::CountPermissionDifference(
    domain::DataSet data_set, const policy::ListFilter& allowed,
    const policy::ListFilter& minus) const {
  if (fixed_ == nullptr && data_set != DataSet::kIncomingLeads) {
    const TotalsQuery query{.allowed = allowed, .minus = minus};
    GH_ASSIGN_OR_RETURN(auto by_stage, TotalsByStage(data_set, query));
    std::int64_t count = 0;
    for (const auto& [stage, totals] : by_stage) count += totals.count;
    return count;
  }
  const SqlStatement statement =
      BuildDifferenceCount(TableOf(data_set), allowed, minus, account_id_);
  if (statement.matches_nothing) return std::int64_t{0};
  return WithConnection([&](sql::Connection& c) -> Result<std::int64_t> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.QueryPlannedWithValues(statement.sql, statement.params));
    return sql::AsInt(rows.rows.at(0).at(0));
  });
}

Result<IncomingLead> AccountReader::FindIncomingLeadByUid(std::string_view uid) const {
  return WithConnection([&](sql::Connection& c) -> Result<IncomingLead> {
    using Codec = RecordCodec<IncomingLead>;
    Params params{Int(account_id_), Text(std::string(uid))};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT " + Codec::Columns() +
                                               " FROM incoming_leads WHERE account_id = ? AND "
                                               "uid = ?",
                                           params, Codec::kWhat));
    return Codec::FromRow(row);
  });
}

// ---- writes ----

namespace {

// Returns the responsible users (0: nobody) of the tasks deleted, one per task.
Result<std::vector<UserId>> DeleteAttachedTasks(sql::Connection& c, AccountId account, DataSet type,
                                                RecordId id) {
  Params params{Int(account), DataSetText(type), Int(id)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("DELETE FROM tasks WHERE account_id = ? AND entity_type = ? AND "
                              "entity_id = ? RETURNING COALESCE(responsible_user_id, 0)",
                              params));
  std::vector<UserId> out;
  for (const auto& row : rows.rows) out.push_back(sql::AsInt(row[0]));
  return out;
}

// The kind's hooks when it has them (record_traits.h).
template <typename R>
Status Resolve(AccountWriter& w, R& record, const R* old) {
  if constexpr (requires { RecordTraits<R>::Resolve(w, record, old); }) {
    return RecordTraits<R>::Resolve(w, record, old);
  }
  return Status::Ok();
}

template <typename R>
Status Validate(AccountWriter& w, R& record, const R* old, std::int64_t now) {
  if constexpr (requires { RecordTraits<R>::Validate(w, record, old, now); }) {
    return RecordTraits<R>::Validate(w, record, old, now);
  }
  return Status::Ok();
}

// A task write moves the closest_task_at of the record the task is attached to (closest_task.h).
Status RefreshClosestTaskOf(sql::Connection& c, AccountId account, const Task& task) {
  if (!task.entity_type || task.entity_id == 0) return Status::Ok();
  return RefreshClosestTask(c, *task.entity_type, account, task.entity_id);
}

}  // namespace

template <typename R>
Result<R> AccountWriter::Create(const R& input) {
  R record = input;
  const std::int64_t now = Now();
  GH_RETURN_IF_ERROR(Resolve<R>(*this, record, nullptr));
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, record.responsible_user_id));
  if constexpr (requires { record.created_by; }) {
    GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, record.created_by, "created_by"));
    if (record.updated_by != record.created_by) {
      GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, record.updated_by, "updated_by"));
    }
  }
  GH_RETURN_IF_ERROR(Validate<R>(*this, record, nullptr, now));
  if (record.created_at == 0) record.created_at = now;
  if (record.updated_at == 0) record.updated_at = record.created_at;
  GH_ASSIGN_OR_RETURN(R created, InsertRecord(*fixed_, account_id_, record));
  CountTotals(created, +1);
  if constexpr (std::is_same_v<R, Task>) {
    GH_RETURN_IF_ERROR(RefreshClosestTaskOf(*fixed_, account_id_, created));
  }
  return created;
}

template <typename R>
Status AccountWriter::Update(const R& input, R* stored) {
  // Locked: the totals move from exactly the row this UPDATE replaces.
  GH_ASSIGN_OR_RETURN(R old, GetRecord<R>(*fixed_, account_id_, input.id, /*lock=*/true));
  R record = input;
  record.created_at = old.created_at;
  record.created_by = old.created_by;
  const std::int64_t now = Now();
  GH_RETURN_IF_ERROR(Resolve<R>(*this, record, &old));
  // A value the record already has needs no check: the user it names exists (users with
  // records cannot be removed).
  if (record.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, record.responsible_user_id));
  }
  // The stored editor may have been removed since (Reassign moves only responsibility): only a
  // new one must exist.
  if (record.updated_by != old.updated_by) {
    GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, record.updated_by, "updated_by"));
  }
  GH_RETURN_IF_ERROR(Validate<R>(*this, record, &old, now));
  if (record.updated_at == 0 || record.updated_at == old.updated_at) record.updated_at = now;
  GH_RETURN_IF_ERROR(UpdateLockedRecord(*fixed_, account_id_, record));
  CountTotals(old, -1);
  CountTotals(record, +1);
  if constexpr (std::is_same_v<R, Task>) {
    // Only a deadline, a completion or a move changes a record's closest task (a new text
    // does not).
    const bool moved = old.entity_type != record.entity_type || old.entity_id != record.entity_id;
    if (moved || old.complete_till != record.complete_till ||
        old.is_completed != record.is_completed) {
      GH_RETURN_IF_ERROR(RefreshClosestTaskOf(*fixed_, account_id_, record));
    }
    if (moved) GH_RETURN_IF_ERROR(RefreshClosestTaskOf(*fixed_, account_id_, old));
  }
  if (stored != nullptr) *stored = std::move(record);
  return Status::Ok();
}

template <typename R>
Status AccountWriter::Delete(RecordId id) {
  GH_ASSIGN_OR_RETURN(R deleted, DeleteRecord<R>(*fixed_, account_id_, id));
  CountTotals(deleted, -1);
  if constexpr (std::is_same_v<R, Task>) {
    GH_RETURN_IF_ERROR(RefreshClosestTaskOf(*fixed_, account_id_, deleted));
  }
  if constexpr (domain::HasCustomFields(RecordTraits<R>::kDataSet)) {
    // Its custom field values (migration 15).
    Params params{Int(account_id_), Text(std::string(RecordTraits<R>::kPlural)), Int(id)};
    GH_RETURN_IF_ERROR(fixed_
                           ->Execute("DELETE FROM custom_field_values WHERE account_id = ? AND "
                                     "entity_type = ? AND record_id = ?",
                                     params)
                           .status());
  }
  if constexpr (TaggedRecord<R>) {
    GH_RETURN_IF_ERROR(SetRecordTags(RecordTraits<R>::kDataSet, id, {}));
  }
  // The kinds that carry tasks (domain::kAttachableDataSets) carry notes too.
  if constexpr (RecordTraits<R>::kHasTasks) {
    GH_RETURN_IF_ERROR(DeleteNotesOf(RecordTraits<R>::kDataSet, id));
    return DeleteTasksOf(RecordTraits<R>::kDataSet, id);
  }
  return Status::Ok();
}

Status AccountWriter::DeleteTasksOf(DataSet entity_type, RecordId id) {
  GH_ASSIGN_OR_RETURN(std::vector<UserId> responsible,
                      DeleteAttachedTasks(*fixed_, account_id_, entity_type, id));
  for (UserId user : responsible) CountRecord(DataSet::kTasks, user, -1);
  return Status::Ok();
}

Result<Lead> AccountWriter::AcceptIncomingLead(RecordId id, UserId actor, StatusId status_id,
                                               std::int64_t now) {
  GH_ASSIGN_OR_RETURN(IncomingLead item, Get<IncomingLead>(id));
  if (item.state != "pending") {
    return Status::Error(Code::kFailedPrecondition, "the incoming lead was already " + item.state);
  }
  Lead lead{.name = item.lead_name,
            .price = item.lead_price,
            .pipeline_id = item.pipeline_id,
            .status_id = status_id};
  // The incoming lead's responsible user, unless it has none or they have left since: then
  // whoever accepts it takes it.
  lead.responsible_user_id = actor;
  if (item.responsible_user_id != 0) {
    Status active = CheckResponsible(*fixed_, account_id_, item.responsible_user_id);
    if (active.ok()) {
      lead.responsible_user_id = item.responsible_user_id;
    } else if (active.code() != Code::kInvalidArgument) {
      return active;
    }
  }
  lead.created_by = actor;
  lead.created_at = now;
  GH_ASSIGN_OR_RETURN(Lead created, Create(lead));
  Params params{Int(created.id), Int(now), Int(account_id_), Int(id)};
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE incoming_leads SET state = 'accepted', "
                                "accepted_lead_id = ?, updated_at = ? WHERE account_id = ? AND "
                                "id = ? AND state = 'pending'",
                                params, "incoming lead"));
  return created;
}

Status AccountWriter::DeclineIncomingLead(RecordId id, std::int64_t now) {
  GH_ASSIGN_OR_RETURN(IncomingLead item, Get<IncomingLead>(id));
  if (item.state != "pending") {
    return Status::Error(Code::kFailedPrecondition, "the incoming lead was already " + item.state);
  }
  Params params{Int(now), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE incoming_leads SET state = 'declined', updated_at = ? WHERE "
                    "account_id = ? AND id = ? AND state = 'pending'",
                    params, "incoming lead");
}

Status AccountWriter::SetIncomingEmbedded(RecordId id, const std::string& embedded_json) {
  Params params{Text(embedded_json), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE incoming_leads SET embedded = ? WHERE account_id = ? AND id = ?",
                    params, "incoming lead");
}

// ---- reassignment ----

namespace {

// from: a user of this account (active or not); to: another, active one.
Status CheckReassignUsers(sql::Connection& c, AccountId account, UserId from, UserId to) {
  if (from == to) {
    return Status::InvalidField("to_user_id", "Invalid", "records must move to another user");
  }
  GH_RETURN_IF_ERROR(CheckActor(c, account, from, "from_user_id"));
  if (from == 0) {
    return Status::InvalidField("from_user_id", "Required", "from_user_id is required");
  }
  if (to == 0) return Status::InvalidField("to_user_id", "Required", "to_user_id is required");
  return CheckResponsible(c, account, to, "to_user_id");
}

}  // namespace

Result<ReassignCounts> AccountWriter::Reassign(UserId from, UserId to, std::int64_t now) {
  GH_RETURN_IF_ERROR(CheckReassignUsers(*fixed_, account_id_, from, to));
  ReassignCounts counts;
  Params params{Int(to), Int(now), Int(account_id_), Int(from)};
  GH_ASSIGN_OR_RETURN(counts.leads,
                      MoveLeads("UPDATE leads SET responsible_user_id = ?, updated_at = ? WHERE "
                                "account_id = ? AND responsible_user_id = ?",
                                params, [&](LeadCell moved) {
                                  moved.responsible_user_id = from;
                                  return moved;
                                }));
  struct Target {
    std::string_view table;
    std::string_view extra;
    std::int64_t* count;
  };
  const Target targets[] = {{"contacts", "", &counts.contacts},
                            {"companies", "", &counts.companies},
                            {"tasks", "", &counts.tasks},
                            {"incoming_leads", " AND state = 'pending'", &counts.incoming_leads},
                            {"conversations", "", &counts.conversations},
                            {"customers", "", &counts.customers}};
  for (const Target& target : targets) {
    Params params{Int(to), Int(now), Int(account_id_), Int(from)};
    GH_ASSIGN_OR_RETURN(*target.count,
                        fixed_->Execute("UPDATE " + std::string(target.table) +
                                            " SET responsible_user_id = ?, updated_at = ? WHERE "
                                            "account_id = ? AND responsible_user_id = ?" +
                                            std::string(target.extra),
                                        params));
  }
  // The rows each UPDATE changed move between the two users' totals.
  for (auto [data_set, moved] :
       {std::pair{DataSet::kContacts, counts.contacts},
        std::pair{DataSet::kCompanies, counts.companies}, std::pair{DataSet::kTasks, counts.tasks},
        std::pair{DataSet::kCustomers, counts.customers}}) {
    CountRecord(data_set, from, -moved);
    CountRecord(data_set, to, moved);
  }
  return counts;
}

// ---- instantiations ----
// The generic members are defined here, out of store.h (which most of the tree includes), and
// instantiated for every kind that has them.

// Get and List: every kind.
#define GH_INSTANTIATE_READS(R)                             \
  template Result<R> AccountReader::Get<R>(RecordId) const; \
  template Result<Page<R>> AccountReader::List<R>(const policy::ListFilter&, const ListQuery&) const
// Count: every kind but conversations (nothing counts those). Create: every kind.
#define GH_INSTANTIATE_COUNT(R)                                                    \
  template Result<std::int64_t> AccountReader::Count<R>(const policy::ListFilter&, \
                                                        const ListQuery&) const
#define GH_INSTANTIATE_CREATE(R) template Result<R> AccountWriter::Create<R>(const R&)
// Update and Delete: the kinds the API edits.
#define GH_INSTANTIATE_EDITS(R)                           \
  template Status AccountWriter::Update<R>(const R&, R*); \
  template Status AccountWriter::Delete<R>(RecordId)
// Export: the kinds with an export.
#define GH_INSTANTIATE_EXPORT(R)                                                        \
  template Status AccountReader::Export<R>(const policy::ListFilter&, const ListQuery&, \
                                           const Visitor<R>&, int) const

GH_INSTANTIATE_READS(Lead);
GH_INSTANTIATE_READS(Contact);
GH_INSTANTIATE_READS(Company);
GH_INSTANTIATE_READS(Task);
GH_INSTANTIATE_READS(IncomingLead);
GH_INSTANTIATE_READS(Conversation);
GH_INSTANTIATE_READS(Customer);

GH_INSTANTIATE_COUNT(Lead);
GH_INSTANTIATE_COUNT(Contact);
GH_INSTANTIATE_COUNT(Company);
GH_INSTANTIATE_COUNT(Task);
GH_INSTANTIATE_COUNT(IncomingLead);
GH_INSTANTIATE_COUNT(Customer);

GH_INSTANTIATE_CREATE(Lead);
GH_INSTANTIATE_CREATE(Contact);
GH_INSTANTIATE_CREATE(Company);
GH_INSTANTIATE_CREATE(Task);
GH_INSTANTIATE_CREATE(IncomingLead);
GH_INSTANTIATE_CREATE(Conversation);
GH_INSTANTIATE_CREATE(Customer);

GH_INSTANTIATE_EDITS(Lead);
GH_INSTANTIATE_EDITS(Contact);
GH_INSTANTIATE_EDITS(Company);
GH_INSTANTIATE_EDITS(Task);
GH_INSTANTIATE_EDITS(Customer);

GH_INSTANTIATE_EXPORT(Lead);
GH_INSTANTIATE_EXPORT(Contact);
GH_INSTANTIATE_EXPORT(Company);
GH_INSTANTIATE_EXPORT(Customer);

#undef GH_INSTANTIATE_READS
#undef GH_INSTANTIATE_COUNT
#undef GH_INSTANTIATE_CREATE
#undef GH_INSTANTIATE_EDITS
#undef GH_INSTANTIATE_EXPORT

}  // namespace gatehouse::storage
