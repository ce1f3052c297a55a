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
      auto row,
      QueryRow(c,
               "SELECT " + Codec::Columns() + " FROM " + std::string(Codec::Table().table) +
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
Result<Page<R>> ListRecords(sql::Connection& c, AccountId account,
                            const policy::ListFilter& permission, const ListQuery& query) {
  using Codec = RecordCodec<R>;
  const int limit = std::clamp(query.limit, 1, kMaxPageLimit);
  const std::int64_t offset = static_cast<std::int64_t>(std::max(query.page, 1) - 1) * limit;
  GH_ASSIGN_OR_RETURN(
      SqlStatement statement,
      BuildSelect(Codec::Table(), Codec::Columns(), permission, query, account, limit + 1, offset));
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
Result<std::int64_t> CountRecords(sql::Connection& c, AccountId account,
                                  const policy::ListFilter& permission, const ListQuery& query) {
  GH_ASSIGN_OR_RETURN(SqlStatement statement,
                      BuildCount(RecordCodec<R>::Table(), permission, query, account));
  if (statement.matches_nothing) return std::int64_t{0};
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(statement.sql, statement.params));
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
  Params params;
  Codec::Append(record, params);
  params.push_back(Int(account));
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("INSERT INTO " + std::string(Codec::Table().table) +
                                                  " (" + Codec::InsertColumns() + ") VALUES " +
                                                  Tuple(Codec::kInsertCount) + " RETURNING id",
                                              params));
  record.id = sql::AsInt(rows.rows.at(0).at(0));
  return record;
}

// "UPDATE t SET a = ?, b = ?, ... WHERE account_id = ? AND id = ?" over every field.
template <typename R>
Status UpdateRecord(sql::Connection& c, AccountId account, const R& record) {
  using Codec = RecordCodec<R>;
  Params params;
  Codec::Append(record, params);
  params.push_back(Int(account));
  params.push_back(Int(record.id));
  return ExecuteOne(c,
                    "UPDATE " + std::string(Codec::Table().table) + " SET " + Codec::UpdateSets() +
                        " WHERE account_id = ? AND id = ?",
                    params, Codec::kWhat);
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

template <typename R>
Result<R> AccountReader::Get(RecordId id) const {
  return WithConnection([&](sql::Connection& c) { return GetRecord<R>(c, account_id_, id); });
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
  switch (data_set) {
    case domain::DataSet::kLeads:
      return kLeadsTable;
    case domain::DataSet::kContacts:
      return kContactsTable;
    case domain::DataSet::kCompanies:
      return kCompaniesTable;
    case domain::DataSet::kTasks:
      return kTasksTable;
    case domain::DataSet::kCustomers:
      return RecordTraits<Customer>::kTable;
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
  static const std::string sql =
      "SELECT " + Codec::Columns("l") +
      ", co.id, co.responsible_user_id FROM leads l "
      "LEFT JOIN lead_companies lc ON lc.account_id = l.account_id AND lc.lead_id = l.id "
      "LEFT JOIN companies co ON co.account_id = lc.account_id AND co.id = lc.company_id "
      "WHERE l.account_id = ? AND l.id = ?";
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

namespace {

// The statement of AccountReader::Linked for `link`, before the "IN (?, ...)" of the ids: the
// link table `k` joined to the linked records' table `r`, selecting (of, id, is_main,
// responsible_user_id, pipeline_id, status_id). "+r.account_id" keeps SQLite from driving the
// join by the linked table's account index (a scan of every record of the account, 16 ms at
// 100,000) instead of the page's ids.
struct LinkShape {
  domain::DataSet linked;
  std::string_view select;
  std::string_view order;
};

LinkShape ShapeOf(Link link) {
  switch (link) {
    case Link::kLeadContacts:
      return {domain::DataSet::kContacts,
              "SELECT k.lead_id, r.id, k.is_main, r.responsible_user_id, 0, 0 FROM lead_contacts k "
              "JOIN contacts r ON +r.account_id = k.account_id AND r.id = k.contact_id "
              "WHERE k.account_id = ? AND k.lead_id IN (",
              " ORDER BY k.lead_id, k.is_main DESC, r.id"};
    case Link::kLeadCompany:
      return {domain::DataSet::kCompanies,
              "SELECT k.lead_id, r.id, 0, r.responsible_user_id, 0, 0 FROM lead_companies k "
              "JOIN companies r ON +r.account_id = k.account_id AND r.id = k.company_id "
              "WHERE k.account_id = ? AND k.lead_id IN (",
              " ORDER BY k.lead_id, r.id"};
    case Link::kContactLeads:
      return {domain::DataSet::kLeads,
              "SELECT k.contact_id, r.id, k.is_main, r.responsible_user_id, r.pipeline_id, "
              "r.status_id FROM lead_contacts k "
              "JOIN leads r ON +r.account_id = k.account_id AND r.id = k.lead_id "
              "WHERE k.account_id = ? AND k.contact_id IN (",
              " ORDER BY k.contact_id, r.id"};
    case Link::kCustomerContacts:
      return {domain::DataSet::kContacts,
              "SELECT k.customer_id, r.id, k.is_main, r.responsible_user_id, 0, 0 FROM "
              "customer_contacts k "
              "JOIN contacts r ON +r.account_id = k.account_id AND r.id = k.contact_id "
              "WHERE k.account_id = ? AND k.customer_id IN (",
              " ORDER BY k.customer_id, k.is_main DESC, r.id"};
    case Link::kCustomerCompany:
      return {domain::DataSet::kCompanies,
              "SELECT k.customer_id, r.id, 0, r.responsible_user_id, 0, 0 FROM "
              "customer_companies k "
              "JOIN companies r ON +r.account_id = k.account_id AND r.id = k.company_id "
              "WHERE k.account_id = ? AND k.customer_id IN (",
              " ORDER BY k.customer_id, r.id"};
    case Link::kCompanyLeads:
      break;
  }
  return {domain::DataSet::kLeads,
          "SELECT k.company_id, r.id, 0, r.responsible_user_id, r.pipeline_id, r.status_id "
          "FROM lead_companies k "
          "JOIN leads r ON +r.account_id = k.account_id AND r.id = k.lead_id "
          "WHERE k.account_id = ? AND k.company_id IN (",
          " ORDER BY k.company_id, r.id"};
}

}  // namespace

Result<std::vector<LinkedRecord>> AccountReader::Linked(Link link,
                                                        std::span<const RecordId> ids) const {
  std::vector<LinkedRecord> out;
  if (ids.empty()) return out;
  const LinkShape shape = ShapeOf(link);
  std::string sql(shape.select);
  Params params{Int(account_id_)};
  params.reserve(ids.size() + 1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.push_back(Int(ids[i]));
  }
  sql += ")";
  sql += shape.order;
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LinkedRecord>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]),
                     sql::AsInt(r[1]),
                     sql::AsInt(r[2]) != 0,
                     {shape.linked, sql::AsInt(r[3]), sql::AsInt(r[4]), sql::AsInt(r[5])}});
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
  GH_RETURN_IF_ERROR(UpdateRecord(*fixed_, account_id_, record));
  CountTotals(old, -1);
  CountTotals(record, +1);
  if (stored != nullptr) *stored = std::move(record);
  return Status::Ok();
}

template <typename R>
Status AccountWriter::Delete(RecordId id) {
  GH_ASSIGN_OR_RETURN(R deleted, DeleteRecord<R>(*fixed_, account_id_, id));
  CountTotals(deleted, -1);
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
    GH_RETURN_IF_ERROR(SetRecordTags(RecordTraits<R>::kTable.table, id, {}));
  }
  // The kinds that carry tasks (leads, contacts, companies) carry notes too.
  if constexpr (RecordTraits<R>::kHasTasks) {
    GH_RETURN_IF_ERROR(DeleteNotesOf(RecordTraits<R>::kPlural, id));
    return DeleteTasksOf(RecordTraits<R>::kPlural, id);
  }
  return Status::Ok();
}

Status AccountWriter::DeleteTasksOf(std::string_view entity_type, RecordId id) {
  GH_ASSIGN_OR_RETURN(std::vector<UserId> responsible,
                      DeleteAttachedTasks(*fixed_, account_id_, entity_type, id));
  for (UserId user : responsible) CountRecord(DataSet::kTasks, user, -1);
  return Status::Ok();
}

// ---- the kinds' own rules (RecordTraits hooks) ----

Status RecordTraits<Lead>::Resolve(AccountWriter& w, Lead& lead, const Lead* old) {
  // The stage a lead is in exists (stages and pipelines cannot be deleted while leads are in
  // them): two statements saved on every update that keeps it.
  if (old != nullptr && lead.pipeline_id == old->pipeline_id && lead.status_id == old->status_id) {
    return Status::Ok();
  }
  return ResolveStage(w, w.connection(), lead);
}

Status RecordTraits<Lead>::Validate(AccountWriter& w, Lead& lead, const Lead* old,
                                    std::int64_t now) {
  if (lead.price < 0) return Status::InvalidField("price", "Invalid", "price must be >= 0");
  if (old == nullptr && lead.updated_by == 0) lead.updated_by = lead.created_by;
  if (lead.loss_reason_id != 0 && (old == nullptr || lead.loss_reason_id != old->loss_reason_id)) {
    Result<LossReason> reason = w.GetLossReason(lead.loss_reason_id);
    if (!reason.ok()) {
      if (reason.status().code() != base::Code::kNotFound) return reason.status();
      return Status::InvalidField(
          "loss_reason_id", "NotFound",
          "loss reason " + std::to_string(lead.loss_reason_id) + " not found");
    }
  }
  ApplyClosing(lead, now);
  return Status::Ok();
}

Status RecordTraits<Contact>::Validate(AccountWriter&, Contact& contact, const Contact* old,
                                       std::int64_t) {
  if (old == nullptr && contact.name.empty()) {
    const bool both = !contact.first_name.empty() && !contact.last_name.empty();
    contact.name = contact.first_name + (both ? " " : "") + contact.last_name;
  }
  return Status::Ok();
}

Status RecordTraits<Task>::Resolve(AccountWriter& w, Task& task, const Task*) {
  return CheckEntity(w.connection(), w.account_id(), task.entity_type, task.entity_id);
}

Status RecordTraits<IncomingLead>::Resolve(AccountWriter& w, IncomingLead& item,
                                           const IncomingLead*) {
  if (item.uid.empty()) return Status::InvalidField("uid", "Required", "uid is required");
  if (item.category != "sip" && item.category != "forms" && item.category != "mail" &&
      item.category != "chats") {
    return Status::InvalidField("category", "NotSupportedChoice",
                                "category must be sip, forms, mail or chats");
  }
  if (!w.GetPipeline(item.pipeline_id).ok()) {
    return Status::InvalidField("pipeline_id", "NotFound",
                                "pipeline does not exist in this account");
  }
  return Status::Ok();
}

Status RecordTraits<IncomingLead>::Validate(AccountWriter&, IncomingLead& item,
                                            const IncomingLead* old, std::int64_t) {
  if (old == nullptr) {
    item.state = "pending";
    item.accepted_lead_id = 0;
  }
  return Status::Ok();
}

Status RecordTraits<Conversation>::Resolve(AccountWriter& w, Conversation& conversation,
                                           const Conversation*) {
  return CheckEntity(w.connection(), w.account_id(), conversation.entity_type,
                     conversation.entity_id);
}

Result<Lead> AccountWriter::AcceptIncomingLead(RecordId id, UserId actor, StatusId status_id,
                                               std::int64_t now) {
  GH_ASSIGN_OR_RETURN(IncomingLead item, Get<IncomingLead>(id));
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

// ---- links ----

Status AccountWriter::LinkContact(RecordId lead_id, RecordId contact_id, bool is_main) {
  GH_RETURN_IF_ERROR(Get<Lead>(lead_id).status());
  GH_RETURN_IF_ERROR(Get<Contact>(contact_id).status());
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
  GH_RETURN_IF_ERROR(Get<Lead>(lead_id).status());
  GH_RETURN_IF_ERROR(Get<Company>(company_id).status());
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
                            {"conversations", "", &counts.conversations},
                            {"customers", "", &counts.customers}};
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

template Result<Lead> AccountReader::Get<Lead>(RecordId) const;
template Result<Contact> AccountReader::Get<Contact>(RecordId) const;
template Result<Company> AccountReader::Get<Company>(RecordId) const;
template Result<Task> AccountReader::Get<Task>(RecordId) const;
template Result<IncomingLead> AccountReader::Get<IncomingLead>(RecordId) const;
template Result<Conversation> AccountReader::Get<Conversation>(RecordId) const;

template Result<Page<Lead>> AccountReader::List<Lead>(const policy::ListFilter&,
                                                      const ListQuery&) const;
template Result<Page<Contact>> AccountReader::List<Contact>(const policy::ListFilter&,
                                                            const ListQuery&) const;
template Result<Page<Company>> AccountReader::List<Company>(const policy::ListFilter&,
                                                            const ListQuery&) const;
template Result<Page<Task>> AccountReader::List<Task>(const policy::ListFilter&,
                                                      const ListQuery&) const;
template Result<Page<IncomingLead>> AccountReader::List<IncomingLead>(const policy::ListFilter&,
                                                                      const ListQuery&) const;
template Result<Page<Conversation>> AccountReader::List<Conversation>(const policy::ListFilter&,
                                                                      const ListQuery&) const;

template Result<std::int64_t> AccountReader::Count<Lead>(const policy::ListFilter&,
                                                         const ListQuery&) const;
template Result<std::int64_t> AccountReader::Count<Contact>(const policy::ListFilter&,
                                                            const ListQuery&) const;
template Result<std::int64_t> AccountReader::Count<Company>(const policy::ListFilter&,
                                                            const ListQuery&) const;
template Result<std::int64_t> AccountReader::Count<Task>(const policy::ListFilter&,
                                                         const ListQuery&) const;
template Result<std::int64_t> AccountReader::Count<IncomingLead>(const policy::ListFilter&,
                                                                 const ListQuery&) const;

template Status AccountReader::Export<Lead>(const policy::ListFilter&, const ListQuery&,
                                            const Visitor<Lead>&, int) const;
template Status AccountReader::Export<Contact>(const policy::ListFilter&, const ListQuery&,
                                               const Visitor<Contact>&, int) const;
template Status AccountReader::Export<Company>(const policy::ListFilter&, const ListQuery&,
                                               const Visitor<Company>&, int) const;

template Result<Lead> AccountWriter::Create<Lead>(const Lead&);
template Result<Contact> AccountWriter::Create<Contact>(const Contact&);
template Result<Company> AccountWriter::Create<Company>(const Company&);
template Result<Task> AccountWriter::Create<Task>(const Task&);
template Result<IncomingLead> AccountWriter::Create<IncomingLead>(const IncomingLead&);
template Result<Conversation> AccountWriter::Create<Conversation>(const Conversation&);

template Status AccountWriter::Update<Lead>(const Lead&, Lead*);
template Status AccountWriter::Update<Contact>(const Contact&, Contact*);
template Status AccountWriter::Update<Company>(const Company&, Company*);
template Status AccountWriter::Update<Task>(const Task&, Task*);

template Status AccountWriter::Delete<Lead>(RecordId);
template Status AccountWriter::Delete<Contact>(RecordId);
template Status AccountWriter::Delete<Company>(RecordId);
template Status AccountWriter::Delete<Task>(RecordId);

template Result<Customer> AccountReader::Get<Customer>(RecordId) const;
template Result<Page<Customer>> AccountReader::List<Customer>(const policy::ListFilter&,
                                                              const ListQuery&) const;
template Result<std::int64_t> AccountReader::Count<Customer>(const policy::ListFilter&,
                                                             const ListQuery&) const;
template Status AccountReader::Export<Customer>(const policy::ListFilter&, const ListQuery&,
                                                const Visitor<Customer>&, int) const;
template Result<Customer> AccountWriter::Create<Customer>(const Customer&);
template Status AccountWriter::Update<Customer>(const Customer&, Customer*);
template Status AccountWriter::Delete<Customer>(RecordId);

}  // namespace gatehouse::storage
