// Protected records: reads, permission-filtered lists/counts/exports, validated writes, links
// and reassignment. All statements bind the reader's account id first.
#include <algorithm>

#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using base::Code;
using base::Result;
using base::Status;
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
      auto row, QueryRow(c,
                         "SELECT " + std::string(Codec::kColumns) + " FROM " +
                             std::string(Codec::Table().table) +
                             " WHERE account_id = ? AND id = ?" + (for_update ? " FOR UPDATE" : ""),
                         params, Codec::kWhat));
  return Codec::FromRow(row);
}

// Runs a page statement. The PostgreSQL driver re-plans every statement on every run
// (plan_cache_mode = force_custom_plan, see sql/postgres_connection.cc), because a generic plan
// of a plain permission filter can be slow. A merged page (sql_filter.h) plans about 50 µs per
// branch (1 ms for 20, as long as it takes to run), and its plan cannot get better with the
// values, so it runs with the cached generic plan; the session setting is put back right after,
// failed or not.
Result<sql::Rows> QueryPage(sql::Connection& c, const SqlStatement& statement) {
  if (!statement.value_independent_plan || c.dialect() != sql::Dialect::kPostgres) {
    return c.Query(statement.sql, statement.params);
  }
  GH_RETURN_IF_ERROR(c.ExecuteScript("SET plan_cache_mode = force_generic_plan"));
  Result<sql::Rows> rows = c.Query(statement.sql, statement.params);
  // In a failed transaction the SET fails too, and the rollback restores the setting: report the
  // query's own error first.
  Status restored = c.ExecuteScript("SET plan_cache_mode = force_custom_plan");
  if (!rows.ok()) return rows;
  if (!restored.ok()) return restored;
  return rows;
}

template <typename R>
Result<Page<R>> ListRecords(sql::Connection& c, AccountId account, const ListQuery& query) {
  using Codec = RecordCodec<R>;
  const int limit = std::clamp(query.limit, 1, kMaxPageLimit);
  const std::int64_t offset = static_cast<std::int64_t>(std::max(query.page, 1) - 1) * limit;
  GH_ASSIGN_OR_RETURN(SqlStatement statement, BuildSelect(Codec::Table(), Codec::kColumns, query,
                                                          account, limit + 1, offset));
  Page<R> page;
  if (statement.matches_nothing) return page;
  GH_ASSIGN_OR_RETURN(sql::Rows rows, QueryPage(c, statement));
  for (const auto& row : rows.rows) page.items.push_back(Codec::FromRow(row));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<std::size_t>(limit));
    const R& last = page.items.back();
    page.next = Cursor{CursorValue(last, query.order_field), last.id};
  }
  return page;
}

template <typename R>
Result<std::int64_t> CountRecords(sql::Connection& c, AccountId account, const ListQuery& query) {
  GH_ASSIGN_OR_RETURN(SqlStatement statement, BuildCount(RecordCodec<R>::Table(), query, account));
  if (statement.matches_nothing) return std::int64_t{0};
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(statement.sql, statement.params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

template <typename R>
Status ExportRecords(sql::Connection& c, AccountId account, const ListQuery& query,
                     const std::function<Status(std::span<const R>)>& visit, int batch_size) {
  ListQuery batch = query;
  batch.limit = std::clamp(batch_size, 1, kMaxPageLimit * 40);
  batch.page = 1;
  using Codec = RecordCodec<R>;
  for (;;) {
    GH_ASSIGN_OR_RETURN(SqlStatement statement, BuildSelect(Codec::Table(), Codec::kColumns, batch,
                                                            account, batch.limit, 0));
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
  Params params;
  Codec::Append(record, params);
  params.push_back(Int(account));
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("INSERT INTO " + std::string(Codec::Table().table) + " (" +
                                  std::string(Codec::kInsertColumns) + ") VALUES " +
                                  Tuple(Codec::kInsertCount) + " RETURNING id",
                              params));
  record.id = sql::AsInt(rows.rows.at(0).at(0));
  return record;
}

// "UPDATE t SET a = ?, b = ?, ... WHERE account_id = ? AND id = ?" over the insert columns.
template <typename R>
Status UpdateRecord(sql::Connection& c, AccountId account, const R& record) {
  using Codec = RecordCodec<R>;
  std::string sets;
  std::string_view columns = Codec::kInsertColumns;
  columns.remove_suffix(std::string_view(", account_id").size());
  while (!columns.empty()) {
    std::size_t comma = columns.find(',');
    std::string_view column = columns.substr(0, comma);
    if (!sets.empty()) sets += ", ";
    sets += std::string(column) + " = ?";
    columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 2);
  }
  Params params;
  Codec::Append(record, params);
  params.push_back(Int(account));
  params.push_back(Int(record.id));
  return ExecuteOne(c,
                    "UPDATE " + std::string(Codec::Table().table) + " SET " + sets +
                        " WHERE account_id = ? AND id = ?",
                    params, Codec::kWhat);
}

// Deletes the record and returns the responsible user of the row actually deleted (0: nobody),
// whatever a concurrent writer did before, for the totals.
template <typename R>
Result<UserId> DeleteRecord(sql::Connection& c, AccountId account, RecordId id) {
  using Codec = RecordCodec<R>;
  Params params{Int(account), Int(id)};
  GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                         "DELETE FROM " + std::string(Codec::Table().table) +
                                             " WHERE account_id = ? AND id = ? RETURNING "
                                             "COALESCE(responsible_user_id, 0)",
                                         params, Codec::kWhat));
  return sql::AsInt(row[0]);
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

// Fills a lead's pipeline (main when 0) and status (first working stage when 0) and checks that
// the status is a stage of the pipeline, both of this account.
Status ResolveStage(AccountReader& reader, sql::Connection& c, Lead& lead) {
  if (lead.pipeline_id == 0) {
    Params params{Int(reader.account_id())};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT id FROM pipelines WHERE account_id = ? "
                                           "ORDER BY is_main DESC, sort, id LIMIT 1",
                                           params, "pipeline"));
    lead.pipeline_id = sql::AsInt(row[0]);
  }
  Result<domain::Pipeline> pipeline = reader.GetPipeline(lead.pipeline_id);
  if (!pipeline.ok()) {
    return Status::InvalidField(
        "pipeline_id", "NotFound",
        "pipeline " + std::to_string(lead.pipeline_id) + " does not exist in this account");
  }
  if (lead.status_id == 0) {
    for (const domain::Stage& stage : pipeline->stages) {
      if (stage.type == domain::kStageTypeNormal && stage.id != domain::kWonStatusId &&
          stage.id != domain::kLostStatusId) {
        lead.status_id = stage.id;
        break;
      }
    }
  }
  bool found = std::any_of(pipeline->stages.begin(), pipeline->stages.end(),
                           [&](const domain::Stage& s) { return s.id == lead.status_id; });
  if (!found) {
    return Status::InvalidField("status_id", "NotFound",
                                "status " + std::to_string(lead.status_id) +
                                    " is not a stage of pipeline " +
                                    std::to_string(lead.pipeline_id));
  }
  return Status::Ok();
}

void ApplyClosing(Lead& lead, std::int64_t now) {
  const bool closed =
      lead.status_id == domain::kWonStatusId || lead.status_id == domain::kLostStatusId;
  if (!closed) lead.closed_at = 0;
  if (closed && lead.closed_at == 0) lead.closed_at = now;
}

// A record a task or conversation is attached to must exist in this account.
Status CheckEntity(sql::Connection& c, AccountId account, const std::string& type, RecordId id) {
  if (type.empty() && id == 0) return Status::Ok();
  if (type != "leads" && type != "contacts" && type != "companies") {
    return Status::InvalidField("entity_type", "NotSupportedChoice",
                                "entity_type must be leads, contacts or companies");
  }
  Params params{Int(account), Int(id)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT id FROM " + type + " WHERE account_id = ? AND id = ?", params));
  if (!rows.empty()) return Status::Ok();
  return Status::InvalidField("entity_id", "NotFound",
                              "the linked record does not exist in this account");
}

}  // namespace

// ---- reads ----

#define GH_RECORD_READS(Type, Plural)                                                  \
  Result<Type> AccountReader::Get##Type(RecordId id) const {                           \
    return WithConnection(                                                             \
        [&](sql::Connection& c) { return GetRecord<Type>(c, account_id_, id); });      \
  }                                                                                    \
  Result<Page<Type>> AccountReader::List##Plural(const ListQuery& query) const {       \
    return WithConnection(                                                             \
        [&](sql::Connection& c) { return ListRecords<Type>(c, account_id_, query); }); \
  }

GH_RECORD_READS(Lead, Leads)
GH_RECORD_READS(Contact, Contacts)
GH_RECORD_READS(Company, Companies)
GH_RECORD_READS(Task, Tasks)
GH_RECORD_READS(IncomingLead, IncomingLeads)
GH_RECORD_READS(Conversation, Conversations)
#undef GH_RECORD_READS

#define GH_RECORD_COUNT(Type, Plural)                                                   \
  Result<std::int64_t> AccountReader::Count##Plural(const ListQuery& query) const {     \
    return WithConnection(                                                              \
        [&](sql::Connection& c) { return CountRecords<Type>(c, account_id_, query); }); \
  }

GH_RECORD_COUNT(IncomingLead, IncomingLeads)
#undef GH_RECORD_COUNT

// Counts that depend only on what the totals keep are summed from them (a few rows per user
// and stage the filter names) instead of counting rows; the rest, and any count inside a
// write (whose own changes reach the totals only at its end), run COUNT(*) over the rows.
#define GH_TOTALS_COUNT(Type, Plural, Set)                                              \
  Result<std::int64_t> AccountReader::Count##Plural(const ListQuery& query) const {     \
    if (fixed_ == nullptr && AnsweredByTotals(Set, query)) {                            \
      GH_ASSIGN_OR_RETURN(auto by_stage, TotalsByStage(Set, ToTotalsQuery(query)));     \
      std::int64_t count = 0;                                                           \
      for (const auto& [stage, totals] : by_stage) count += totals.count;               \
      return count;                                                                     \
    }                                                                                   \
    return WithConnection(                                                              \
        [&](sql::Connection& c) { return CountRecords<Type>(c, account_id_, query); }); \
  }

GH_TOTALS_COUNT(Lead, Leads, DataSet::kLeads)
GH_TOTALS_COUNT(Contact, Contacts, DataSet::kContacts)
GH_TOTALS_COUNT(Company, Companies, DataSet::kCompanies)
GH_TOTALS_COUNT(Task, Tasks, DataSet::kTasks)
#undef GH_TOTALS_COUNT

namespace {

// The table a data set's records live in (SPEC §2 table).
const TableTraits& TableOf(domain::DataSet data_set) {
  switch (data_set) {
    case domain::DataSet::kLeads:
      return kLeadsTable;
    case domain::DataSet::kContacts:
      return kContactsTable;
    case domain::DataSet::kCompanies:
      return kCompaniesTable;
    case domain::DataSet::kTasks:
      return kTasksTable;
    case domain::DataSet::kIncomingLeads:
      break;
  }
  return kIncomingLeadsTable;
}

}  // namespace

Result<std::int64_t> AccountReader::CountPermissionDifference(
    domain::DataSet data_set, const policy::ListFilter& allowed,
    const policy::ListFilter& minus) const {
  if (fixed_ == nullptr && data_set != DataSet::kIncomingLeads) {
    TotalsQuery query;
    query.allowed = allowed;
    query.minus = minus;
    GH_ASSIGN_OR_RETURN(auto by_stage, TotalsByStage(data_set, query));
    std::int64_t count = 0;
    for (const auto& [stage, totals] : by_stage) count += totals.count;
    return count;
  }
  const SqlStatement statement =
      BuildDifferenceCount(TableOf(data_set), allowed, minus, account_id_);
  if (statement.matches_nothing) return std::int64_t{0};
  return WithConnection([&](sql::Connection& c) -> Result<std::int64_t> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(statement.sql, statement.params));
    return sql::AsInt(rows.rows.at(0).at(0));
  });
}

#define GH_RECORD_EXPORT(Type, Plural)                                                     \
  Status AccountReader::Export##Plural(const ListQuery& query, const Visitor<Type>& visit, \
                                       int batch_size) const {                             \
    return WithConnection([&](sql::Connection& c) {                                        \
      return ExportRecords<Type>(c, account_id_, query, visit, batch_size);                \
    });                                                                                    \
  }

GH_RECORD_EXPORT(Lead, Leads)
GH_RECORD_EXPORT(Contact, Contacts)
GH_RECORD_EXPORT(Company, Companies)
#undef GH_RECORD_EXPORT

Result<IncomingLead> AccountReader::FindIncomingLeadByUid(std::string_view uid) const {
  return WithConnection([&](sql::Connection& c) -> Result<IncomingLead> {
    using Codec = RecordCodec<IncomingLead>;
    Params params{Int(account_id_), Text(std::string(uid))};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT " + std::string(Codec::kColumns) +
                                               " FROM incoming_leads WHERE account_id = ? AND "
                                               "uid = ?",
                                           params, Codec::kWhat));
    return Codec::FromRow(row);
  });
}

Result<std::vector<LeadContactLink>> AccountReader::LeadContacts(RecordId lead_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LeadContactLink>> {
    Params params{Int(account_id_), Int(lead_id)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT lead_id, contact_id, is_main FROM lead_contacts WHERE "
                                "account_id = ? AND lead_id = ? ORDER BY is_main DESC, "
                                "contact_id",
                                params));
    std::vector<LeadContactLink> out;
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsInt(r[2]) != 0});
    }
    return out;
  });
}

Result<std::optional<RecordId>> AccountReader::LeadCompany(RecordId lead_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<RecordId>> {
    Params params{Int(account_id_), Int(lead_id)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT company_id FROM lead_companies WHERE account_id = ? AND "
                                "lead_id = ?",
                                params));
    if (rows.empty()) return std::optional<RecordId>();
    return std::optional<RecordId>(sql::AsInt(rows.rows[0][0]));
  });
}

Result<LeadWithCompany> AccountReader::GetLeadWithCompany(RecordId id) const {
  using Codec = RecordCodec<Lead>;
  // Every column of the lead qualified, then the linked company's id and responsible user.
  static const std::string sql = [] {
    std::string columns;
    std::string_view rest = Codec::kColumns;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::string_view column = rest.substr(0, comma);
      while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
      columns += (columns.empty() ? "l." : ", l.") + std::string(column);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return "SELECT " + columns +
           ", co.id, co.responsible_user_id FROM leads l "
           "LEFT JOIN lead_companies lc ON lc.account_id = l.account_id AND lc.lead_id = l.id "
           "LEFT JOIN companies co ON co.account_id = lc.account_id AND co.id = lc.company_id "
           "WHERE l.account_id = ? AND l.id = ?";
  }();
  return WithConnection([&](sql::Connection& c) -> Result<LeadWithCompany> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(std::vector<Value> row, QueryRow(c, sql, params, Codec::kWhat));
    LeadWithCompany out;
    const std::size_t company_at = row.size() - 2;
    // A dangling link (no company row) reads as no company, as LeadCompany + GetCompany did.
    if (!sql::IsNull(row[company_at])) {
      out.company_id = sql::AsInt(row[company_at]);
      out.company_responsible_user_id = sql::AsInt(row[company_at + 1]);
    }
    row.resize(company_at);
    out.lead = Codec::FromRow(row);
    return out;
  });
}

Result<std::vector<LeadCompanyRef>> AccountReader::CompaniesOfLeads(
    std::span<const RecordId> lead_ids) const {
  std::vector<LeadCompanyRef> out;
  if (lead_ids.empty()) return out;
  // "+co.account_id" keeps SQLite from driving the join by the companies' account index (a
  // scan of every company of the account, 16 ms at 100,000) instead of the 250 lead ids.
  std::string sql =
      "SELECT lc.lead_id, co.id, co.responsible_user_id FROM lead_companies lc "
      "JOIN companies co ON +co.account_id = lc.account_id AND co.id = lc.company_id "
      "WHERE lc.account_id = ? AND lc.lead_id IN (";
  Params params{Int(account_id_)};
  params.reserve(lead_ids.size() + 1);
  for (std::size_t i = 0; i < lead_ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.push_back(Int(lead_ids[i]));
  }
  sql += ")";
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LeadCompanyRef>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsInt(r[2])});
    }
    return out;
  });
}

namespace {

Result<std::vector<RecordId>> Ids(sql::Connection& c, std::string_view sql, const Params& params) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
  std::vector<RecordId> out;
  for (const auto& r : rows.rows) out.push_back(sql::AsInt(r[0]));
  return out;
}

}  // namespace

Result<std::vector<RecordId>> AccountReader::ContactLeads(RecordId contact_id) const {
  return WithConnection([&](sql::Connection& c) {
    Params params{Int(account_id_), Int(contact_id)};
    return Ids(c,
               "SELECT lead_id FROM lead_contacts WHERE account_id = ? AND contact_id = ? "
               "ORDER BY lead_id",
               params);
  });
}

Result<std::vector<RecordId>> AccountReader::CompanyLeads(RecordId company_id) const {
  return WithConnection([&](sql::Connection& c) {
    Params params{Int(account_id_), Int(company_id)};
    return Ids(c,
               "SELECT lead_id FROM lead_companies WHERE account_id = ? AND company_id = ? "
               "ORDER BY lead_id",
               params);
  });
}

// ---- writes ----

Result<Lead> AccountWriter::CreateLead(const Lead& input) {
  Lead lead = input;
  const std::int64_t now = Now();
  GH_RETURN_IF_ERROR(ResolveStage(*this, *fixed_, lead));
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, lead.responsible_user_id));
  GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, lead.created_by, "created_by"));
  if (lead.price < 0) return Status::InvalidField("price", "Invalid", "price must be >= 0");
  if (lead.created_at == 0) lead.created_at = now;
  if (lead.updated_at == 0) lead.updated_at = lead.created_at;
  if (lead.updated_by == 0) lead.updated_by = lead.created_by;
  ApplyClosing(lead, now);
  GH_ASSIGN_OR_RETURN(Lead created, InsertRecord(*fixed_, account_id_, lead));
  CountLead(created, +1);
  return created;
}

Status AccountWriter::UpdateLead(const Lead& input, Lead* stored) {
  // Locked: the lead totals move from the cell of exactly the row this UPDATE replaces.
  GH_ASSIGN_OR_RETURN(Lead old, GetRecord<Lead>(*fixed_, account_id_, input.id, /*lock=*/true));
  Lead lead = input;
  lead.created_at = old.created_at;
  lead.created_by = old.created_by;
  const std::int64_t now = Now();
  // A value the lead already has needs no check (two statements for the stage, one for the
  // actor): the stage it is in exists (stages and pipelines cannot be deleted while leads are in
  // them), and so does the user it names.
  if (lead.pipeline_id != old.pipeline_id || lead.status_id != old.status_id) {
    GH_RETURN_IF_ERROR(ResolveStage(*this, *fixed_, lead));
  }
  if (lead.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, lead.responsible_user_id));
  }
  // The stored editor may have been removed since (Reassign moves only responsibility): only a
  // new one must exist.
  if (lead.updated_by != old.updated_by) {
    GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, lead.updated_by, "updated_by"));
  }
  if (lead.price < 0) return Status::InvalidField("price", "Invalid", "price must be >= 0");
  if (lead.updated_at == 0 || lead.updated_at == old.updated_at) lead.updated_at = now;
  ApplyClosing(lead, now);
  GH_RETURN_IF_ERROR(UpdateRecord(*fixed_, account_id_, lead));
  CountLead(old, -1);
  CountLead(lead, +1);
  if (stored != nullptr) *stored = std::move(lead);
  return Status::Ok();
}

namespace {

// Returns the responsible users (0: nobody) of the tasks deleted, one per task.
Result<std::vector<UserId>> DeleteAttachedTasks(sql::Connection& c, AccountId account,
                                                std::string_view type, RecordId id) {
  Params params{Int(account), Text(std::string(type)), Int(id)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("DELETE FROM tasks WHERE account_id = ? AND entity_type = ? AND "
                              "entity_id = ? RETURNING COALESCE(responsible_user_id, 0)",
                              params));
  std::vector<UserId> out;
  for (const auto& row : rows.rows) out.push_back(sql::AsInt(row[0]));
  return out;
}

}  // namespace

Status AccountWriter::DeleteLead(RecordId id) {
  // RETURNING: the cell of the row actually deleted, whatever a concurrent writer did before.
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("DELETE FROM leads WHERE account_id = ? AND id = ? RETURNING "
                                    "pipeline_id, status_id, responsible_user_id, price",
                                    params));
  if (rows.empty()) return Status::NotFound("lead not found");
  const std::vector<Value>& row = rows.rows.front();
  CountLeadCell({sql::AsInt(row[0]), sql::AsInt(row[1]), sql::AsInt(row[2])}, -1,
                sql::AsInt(row[3]));
  return DeleteTasksOf("leads", id);
}

Status AccountWriter::DeleteTasksOf(std::string_view entity_type, RecordId id) {
  GH_ASSIGN_OR_RETURN(std::vector<UserId> responsible,
                      DeleteAttachedTasks(*fixed_, account_id_, entity_type, id));
  for (UserId user : responsible) CountRecord(DataSet::kTasks, user, -1);
  return Status::Ok();
}

Result<Contact> AccountWriter::CreateContact(const Contact& input) {
  Contact contact = input;
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, contact.responsible_user_id));
  GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, contact.created_by, "created_by"));
  if (contact.name.empty()) {
    const bool both = !contact.first_name.empty() && !contact.last_name.empty();
    contact.name = contact.first_name + (both ? " " : "") + contact.last_name;
  }
  if (contact.created_at == 0) contact.created_at = Now();
  if (contact.updated_at == 0) contact.updated_at = contact.created_at;
  GH_ASSIGN_OR_RETURN(Contact created, InsertRecord(*fixed_, account_id_, contact));
  CountRecord(DataSet::kContacts, created.responsible_user_id, +1);
  return created;
}

Status AccountWriter::UpdateContact(const Contact& input) {
  // Locked: the totals move from the responsible user of exactly the row this UPDATE replaces.
  GH_ASSIGN_OR_RETURN(Contact old,
                      GetRecord<Contact>(*fixed_, account_id_, input.id, /*lock=*/true));
  Contact contact = input;
  contact.created_at = old.created_at;
  contact.created_by = old.created_by;
  if (contact.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, contact.responsible_user_id));
  }
  // The stored editor may have been removed since: only a new one must exist.
  if (contact.updated_by != old.updated_by) {
    GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, contact.updated_by, "updated_by"));
  }
  if (contact.updated_at == 0 || contact.updated_at == old.updated_at) contact.updated_at = Now();
  GH_RETURN_IF_ERROR(UpdateRecord(*fixed_, account_id_, contact));
  CountRecord(DataSet::kContacts, old.responsible_user_id, -1);
  CountRecord(DataSet::kContacts, contact.responsible_user_id, +1);
  return Status::Ok();
}

Status AccountWriter::DeleteContact(RecordId id) {
  GH_ASSIGN_OR_RETURN(UserId responsible, DeleteRecord<Contact>(*fixed_, account_id_, id));
  CountRecord(DataSet::kContacts, responsible, -1);
  return DeleteTasksOf("contacts", id);
}

Result<Company> AccountWriter::CreateCompany(const Company& input) {
  Company company = input;
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, company.responsible_user_id));
  GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, company.created_by, "created_by"));
  if (company.created_at == 0) company.created_at = Now();
  if (company.updated_at == 0) company.updated_at = company.created_at;
  GH_ASSIGN_OR_RETURN(Company created, InsertRecord(*fixed_, account_id_, company));
  CountRecord(DataSet::kCompanies, created.responsible_user_id, +1);
  return created;
}

Status AccountWriter::UpdateCompany(const Company& input) {
  GH_ASSIGN_OR_RETURN(Company old,
                      GetRecord<Company>(*fixed_, account_id_, input.id, /*lock=*/true));
  Company company = input;
  company.created_at = old.created_at;
  company.created_by = old.created_by;
  if (company.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, company.responsible_user_id));
  }
  if (company.updated_by != old.updated_by) {
    GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, company.updated_by, "updated_by"));
  }
  if (company.updated_at == 0 || company.updated_at == old.updated_at) company.updated_at = Now();
  GH_RETURN_IF_ERROR(UpdateRecord(*fixed_, account_id_, company));
  CountRecord(DataSet::kCompanies, old.responsible_user_id, -1);
  CountRecord(DataSet::kCompanies, company.responsible_user_id, +1);
  return Status::Ok();
}

Status AccountWriter::DeleteCompany(RecordId id) {
  GH_ASSIGN_OR_RETURN(UserId responsible, DeleteRecord<Company>(*fixed_, account_id_, id));
  CountRecord(DataSet::kCompanies, responsible, -1);
  return DeleteTasksOf("companies", id);
}

Result<Task> AccountWriter::CreateTask(const Task& input) {
  Task task = input;
  GH_RETURN_IF_ERROR(CheckEntity(*fixed_, account_id_, task.entity_type, task.entity_id));
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, task.responsible_user_id));
  GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, task.created_by, "created_by"));
  if (task.created_at == 0) task.created_at = Now();
  if (task.updated_at == 0) task.updated_at = task.created_at;
  GH_ASSIGN_OR_RETURN(Task created, InsertRecord(*fixed_, account_id_, task));
  CountRecord(DataSet::kTasks, created.responsible_user_id, +1);
  return created;
}

Status AccountWriter::UpdateTask(const Task& input) {
  GH_ASSIGN_OR_RETURN(Task old, GetRecord<Task>(*fixed_, account_id_, input.id, /*lock=*/true));
  Task task = input;
  task.created_at = old.created_at;
  task.created_by = old.created_by;
  GH_RETURN_IF_ERROR(CheckEntity(*fixed_, account_id_, task.entity_type, task.entity_id));
  if (task.responsible_user_id != old.responsible_user_id) {
    GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, task.responsible_user_id));
  }
  if (task.updated_at == 0 || task.updated_at == old.updated_at) task.updated_at = Now();
  GH_RETURN_IF_ERROR(UpdateRecord(*fixed_, account_id_, task));
  CountRecord(DataSet::kTasks, old.responsible_user_id, -1);
  CountRecord(DataSet::kTasks, task.responsible_user_id, +1);
  return Status::Ok();
}

Status AccountWriter::DeleteTask(RecordId id) {
  GH_ASSIGN_OR_RETURN(UserId responsible, DeleteRecord<Task>(*fixed_, account_id_, id));
  CountRecord(DataSet::kTasks, responsible, -1);
  return Status::Ok();
}

Result<IncomingLead> AccountWriter::CreateIncomingLead(const IncomingLead& input) {
  IncomingLead item = input;
  if (item.uid.empty()) return Status::InvalidField("uid", "Required", "uid is required");
  if (item.category != "sip" && item.category != "forms" && item.category != "mail" &&
      item.category != "chats") {
    return Status::InvalidField("category", "NotSupportedChoice",
                                "category must be sip, forms, mail or chats");
  }
  if (!GetPipeline(item.pipeline_id).ok()) {
    return Status::InvalidField("pipeline_id", "NotFound",
                                "pipeline does not exist in this account");
  }
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, item.responsible_user_id));
  item.state = "pending";
  item.accepted_lead_id = 0;
  if (item.created_at == 0) item.created_at = Now();
  if (item.updated_at == 0) item.updated_at = item.created_at;
  return InsertRecord(*fixed_, account_id_, item);
}

Result<Lead> AccountWriter::AcceptIncomingLead(RecordId id, UserId actor, StatusId status_id,
                                               std::int64_t now) {
  GH_ASSIGN_OR_RETURN(IncomingLead item, GetIncomingLead(id));
  if (item.state != "pending") {
    return Status::Error(Code::kFailedPrecondition, "the incoming lead was already " + item.state);
  }
  Lead lead;
  lead.name = item.lead_name;
  lead.price = item.lead_price;
  lead.pipeline_id = item.pipeline_id;
  lead.status_id = status_id;
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
  GH_ASSIGN_OR_RETURN(Lead created, CreateLead(lead));
  Params params{Int(created.id), Int(now), Int(account_id_), Int(id)};
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE incoming_leads SET state = 'accepted', "
                                "accepted_lead_id = ?, updated_at = ? WHERE account_id = ? AND "
                                "id = ? AND state = 'pending'",
                                params, "incoming lead"));
  return created;
}

Status AccountWriter::DeclineIncomingLead(RecordId id, std::int64_t now) {
  GH_ASSIGN_OR_RETURN(IncomingLead item, GetIncomingLead(id));
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

Result<Conversation> AccountWriter::CreateConversation(const Conversation& input) {
  Conversation conversation = input;
  GH_RETURN_IF_ERROR(
      CheckEntity(*fixed_, account_id_, conversation.entity_type, conversation.entity_id));
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, conversation.responsible_user_id));
  if (conversation.created_at == 0) conversation.created_at = Now();
  if (conversation.updated_at == 0) conversation.updated_at = conversation.created_at;
  return InsertRecord(*fixed_, account_id_, conversation);
}

// ---- links ----

Status AccountWriter::LinkContact(RecordId lead_id, RecordId contact_id, bool is_main) {
  GH_RETURN_IF_ERROR(GetLead(lead_id).status());
  GH_RETURN_IF_ERROR(GetContact(contact_id).status());
  if (is_main) {
    Params clear{Int(account_id_), Int(lead_id)};
    GH_RETURN_IF_ERROR(fixed_
                           ->Execute("UPDATE lead_contacts SET is_main = 0 WHERE account_id = ? "
                                     "AND lead_id = ?",
                                     clear)
                           .status());
  }
  Params params{Int(account_id_), Int(lead_id), Int(contact_id), Bool(is_main)};
  return fixed_
      ->Execute(
          "INSERT INTO lead_contacts (account_id, lead_id, contact_id, is_main) VALUES "
          "(?, ?, ?, ?) ON CONFLICT (lead_id, contact_id) DO UPDATE SET is_main = "
          "excluded.is_main",
          params)
      .status();
}

Status AccountWriter::UnlinkContact(RecordId lead_id, RecordId contact_id) {
  Params params{Int(account_id_), Int(lead_id), Int(contact_id)};
  return ExecuteOne(*fixed_,
                    "DELETE FROM lead_contacts WHERE account_id = ? AND lead_id = ? AND "
                    "contact_id = ?",
                    params, "link");
}

Status AccountWriter::LinkCompany(RecordId lead_id, RecordId company_id) {
  GH_RETURN_IF_ERROR(GetLead(lead_id).status());
  GH_RETURN_IF_ERROR(GetCompany(company_id).status());
  Params clear{Int(account_id_), Int(lead_id)};
  GH_RETURN_IF_ERROR(
      fixed_->Execute("DELETE FROM lead_companies WHERE account_id = ? AND lead_id = ?", clear)
          .status());
  Params params{Int(account_id_), Int(lead_id), Int(company_id)};
  return fixed_
      ->Execute("INSERT INTO lead_companies (account_id, lead_id, company_id) VALUES (?, ?, ?)",
                params)
      .status();
}

Status AccountWriter::UnlinkCompany(RecordId lead_id) {
  Params params{Int(account_id_), Int(lead_id)};
  return ExecuteOne(*fixed_, "DELETE FROM lead_companies WHERE account_id = ? AND lead_id = ?",
                    params, "link");
}

// ---- reassignment ----

Result<ReassignCounts> AccountWriter::Reassign(UserId from, UserId to, std::int64_t now) {
  if (from == to) {
    return Status::InvalidField("to_user_id", "Invalid", "records must move to another user");
  }
  GH_RETURN_IF_ERROR(CheckActor(*fixed_, account_id_, from, "from_user_id"));
  if (from == 0) {
    return Status::InvalidField("from_user_id", "Required", "from_user_id is required");
  }
  if (to == 0) return Status::InvalidField("to_user_id", "Required", "to_user_id is required");
  GH_RETURN_IF_ERROR(CheckResponsible(*fixed_, account_id_, to, "to_user_id"));
  ReassignCounts counts;
  struct Target {
    std::string_view table;
    std::string_view extra;
    std::int64_t* count;
  };
  const Target targets[] = {{"leads", "", &counts.leads},
                            {"contacts", "", &counts.contacts},
                            {"companies", "", &counts.companies},
                            {"tasks", "", &counts.tasks},
                            {"incoming_leads", " AND state = 'pending'", &counts.incoming_leads},
                            {"conversations", "", &counts.conversations}};
  for (const Target& target : targets) {
    Params params{Int(to), Int(now), Int(account_id_), Int(from)};
    if (target.count == &counts.leads) {
      // The lead totals move by the rows this UPDATE actually changed (RETURNING).
      GH_ASSIGN_OR_RETURN(sql::Rows rows,
                          fixed_->Query("UPDATE leads SET responsible_user_id = ?, updated_at = ? "
                                        "WHERE account_id = ? AND responsible_user_id = ? "
                                        "RETURNING pipeline_id, status_id, price",
                                        params));
      for (const auto& row : rows.rows) {
        const PipelineId pipeline = sql::AsInt(row[0]);
        const StatusId status = sql::AsInt(row[1]);
        CountLeadCell({pipeline, status, from}, -1, sql::AsInt(row[2]));
        CountLeadCell({pipeline, status, to}, +1, sql::AsInt(row[2]));
      }
      counts.leads = static_cast<std::int64_t>(rows.rows.size());
      continue;
    }
    GH_ASSIGN_OR_RETURN(*target.count,
                        fixed_->Execute("UPDATE " + std::string(target.table) +
                                            " SET responsible_user_id = ?, updated_at = ? WHERE "
                                            "account_id = ? AND responsible_user_id = ?" +
                                            std::string(target.extra),
                                        params));
  }
  // The rows each UPDATE changed move between the two users' totals.
  for (auto [data_set, moved] : {std::pair{DataSet::kContacts, counts.contacts},
                                 std::pair{DataSet::kCompanies, counts.companies},
                                 std::pair{DataSet::kTasks, counts.tasks}}) {
    CountRecord(data_set, from, -moved);
    CountRecord(data_set, to, moved);
  }
  return counts;
}

}  // namespace gatehouse::storage
