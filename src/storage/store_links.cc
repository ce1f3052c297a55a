// Links between records: a lead's contacts and company, read one record at a time or for a
// whole page (AccountReader::Linked), and written with their rules (one main contact, at most
// one company).
#include <iterator>

#include "storage/record_codec.h"
#include "storage/store.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::optional<RecordId>> internal::CompanyLinkOf(sql::Connection& c,
                                                        const LinkTables& tables, AccountId account,
                                                        RecordId owner) {
  Params params{Int(account), Int(owner)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("SELECT company_id FROM " + std::string(tables.companies) +
                                  " WHERE account_id = ? AND " + std::string(tables.owner) + " = ?",
                              params));
  if (rows.empty()) return std::optional<RecordId>();
  return std::optional<RecordId>(sql::AsInt(rows.rows[0][0]));
}

Status internal::LinkContactTo(sql::Connection& c, const LinkTables& tables, AccountId account,
                               RecordId owner, RecordId contact, bool is_main) {
  const std::string table(tables.contacts), column(tables.owner);
  if (is_main) {
    Params clear{Int(account), Int(owner)};
    GH_RETURN_IF_ERROR(c.Execute("UPDATE " + table + " SET is_main = 0 WHERE account_id = ? AND " +
                                     column + " = ?",
                                 clear)
                           .status());
  }
  Params params{Int(account), Int(owner), Int(contact), Bool(is_main)};
  return c
      .Execute("INSERT INTO " + table + " (account_id, " + column +
                   ", contact_id, is_main) VALUES (?, ?, ?, ?) ON CONFLICT (" + column +
                   ", contact_id) DO UPDATE SET is_main = excluded.is_main",
               params)
      .status();
}

Status internal::LinkCompanyTo(sql::Connection& c, const LinkTables& tables, AccountId account,
                               RecordId owner, RecordId company) {
  const std::string table(tables.companies), column(tables.owner);
  Params clear{Int(account), Int(owner)};
  GH_RETURN_IF_ERROR(
      c.Execute("DELETE FROM " + table + " WHERE account_id = ? AND " + column + " = ?", clear)
          .status());
  Params params{Int(account), Int(owner), Int(company)};
  return c
      .Execute(
          "INSERT INTO " + table + " (account_id, " + column + ", company_id) VALUES (?, ?, ?)",
          params)
      .status();
}

Result<std::vector<LeadContactLink>> AccountReader::LeadContacts(RecordId lead_id) const {
  return WithConnection([&](sql::Connection& c) {
    return ContactLinksOf<LeadContactLink>(c, kLeadLinks, account_id_, lead_id);
  });
}

Result<std::optional<RecordId>> AccountReader::LeadCompany(RecordId lead_id) const {
  return WithConnection(
      [&](sql::Connection& c) { return CompanyLinkOf(c, kLeadLinks, account_id_, lead_id); });
}

Result<LeadWithCompany> AccountReader::GetLeadWithCompany(RecordId id) const {
  using Codec = RecordCodec<Lead>;
  // Every column of the lead qualified, then the linked company's id and responsible user, then
  // one tag: a row per tag (one row without tags), ordered as TagsOf orders them.
  static const std::string sql =
      "SELECT " + Codec::Columns("l") + ", co.id, co.responsible_user_id, " +
      TagCodec::Columns("t") +
      " FROM leads l "
      "LEFT JOIN lead_companies lc ON lc.account_id = l.account_id AND lc.lead_id = l.id "
      "LEFT JOIN companies co ON co.account_id = lc.account_id AND co.id = lc.company_id "
      "LEFT JOIN record_tags rt ON rt.account_id = l.account_id AND rt.entity_type = 'leads' "
      "AND rt.record_id = l.id "
      "LEFT JOIN tags t ON t.id = rt.tag_id "
      "WHERE l.account_id = ? AND l.id = ? ORDER BY t.id";
  return WithConnection([&](sql::Connection& c) -> Result<LeadWithCompany> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    if (rows.empty()) return Status::NotFound(std::string(Codec::kWhat) + " not found");
    LeadWithCompany out;
    const std::size_t tag_at = rows.rows.front().size() - TagCodec::kFields.size() - 1;
    const std::size_t company_at = tag_at - 2;
    for (const std::vector<Value>& row : rows.rows) {
      // A dangling tag link (no tag row) is left out, as TagsOf's JOIN leaves it out.
      if (!sql::IsNull(row[tag_at])) out.tags.push_back(TagCodec::FromRow(row, tag_at));
    }
    std::vector<Value>& row = rows.rows.front();
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

// By Link, in the enum's order.
constexpr LinkShape kLinkShapes[] = {
    // kLeadContacts
    {domain::DataSet::kContacts,
     "SELECT k.lead_id, r.id, k.is_main, r.responsible_user_id, 0, 0 FROM lead_contacts k "
     "JOIN contacts r ON +r.account_id = k.account_id AND r.id = k.contact_id "
     "WHERE k.account_id = ? AND k.lead_id IN (",
     " ORDER BY k.lead_id, k.is_main DESC, r.id"},
    // kLeadCompany
    {domain::DataSet::kCompanies,
     "SELECT k.lead_id, r.id, 0, r.responsible_user_id, 0, 0 FROM lead_companies k "
     "JOIN companies r ON +r.account_id = k.account_id AND r.id = k.company_id "
     "WHERE k.account_id = ? AND k.lead_id IN (",
     " ORDER BY k.lead_id, r.id"},
    // kContactLeads
    {domain::DataSet::kLeads,
     "SELECT k.contact_id, r.id, k.is_main, r.responsible_user_id, r.pipeline_id, "
     "r.status_id FROM lead_contacts k "
     "JOIN leads r ON +r.account_id = k.account_id AND r.id = k.lead_id "
     "WHERE k.account_id = ? AND k.contact_id IN (",
     " ORDER BY k.contact_id, r.id"},
    // kCompanyLeads
    {domain::DataSet::kLeads,
     "SELECT k.company_id, r.id, 0, r.responsible_user_id, r.pipeline_id, r.status_id "
     "FROM lead_companies k "
     "JOIN leads r ON +r.account_id = k.account_id AND r.id = k.lead_id "
     "WHERE k.account_id = ? AND k.company_id IN (",
     " ORDER BY k.company_id, r.id"},
    // kCustomerContacts
    {domain::DataSet::kContacts,
     "SELECT k.customer_id, r.id, k.is_main, r.responsible_user_id, 0, 0 FROM "
     "customer_contacts k "
     "JOIN contacts r ON +r.account_id = k.account_id AND r.id = k.contact_id "
     "WHERE k.account_id = ? AND k.customer_id IN (",
     " ORDER BY k.customer_id, k.is_main DESC, r.id"},
    // kCustomerCompany
    {domain::DataSet::kCompanies,
     "SELECT k.customer_id, r.id, 0, r.responsible_user_id, 0, 0 FROM "
     "customer_companies k "
     "JOIN companies r ON +r.account_id = k.account_id AND r.id = k.company_id "
     "WHERE k.account_id = ? AND k.customer_id IN (",
     " ORDER BY k.customer_id, r.id"},
    // kContactCustomers
    {domain::DataSet::kCustomers,
     "SELECT k.contact_id, r.id, k.is_main, r.responsible_user_id, 0, 0 FROM "
     "customer_contacts k "
     "JOIN customers r ON +r.account_id = k.account_id AND r.id = k.customer_id "
     "WHERE k.account_id = ? AND k.contact_id IN (",
     " ORDER BY k.contact_id, r.id"},
    // kCompanyCustomers
    {domain::DataSet::kCustomers,
     "SELECT k.company_id, r.id, 0, r.responsible_user_id, 0, 0 FROM "
     "customer_companies k "
     "JOIN customers r ON +r.account_id = k.account_id AND r.id = k.customer_id "
     "WHERE k.account_id = ? AND k.company_id IN (",
     " ORDER BY k.company_id, r.id"},
};
static_assert(std::size(kLinkShapes) == static_cast<std::size_t>(Link::kCompanyCustomers) + 1,
              "one shape per Link");

const LinkShape& ShapeOf(Link link) { return kLinkShapes[static_cast<std::size_t>(link)]; }

}  // namespace

Result<std::vector<LinkedRecord>> AccountReader::Linked(Link link,
                                                        std::span<const RecordId> ids) const {
  std::vector<LinkedRecord> out;
  if (ids.empty()) return out;
  const LinkShape shape = ShapeOf(link);
  std::string sql(shape.select);
  sql += Placeholders(ids.size()) + ")";
  sql += shape.order;
  Params params{Int(account_id_)};
  params.insert(params.end(), ids.begin(), ids.end());
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LinkedRecord>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
      RowReader row(r);
      out.push_back({.of = row.Int(),
                     .id = row.Int(),
                     .is_main = row.Bool(),
                     .ref = {.data_set = shape.linked,
                             .responsible_user_id = row.Int(),
                             .pipeline_id = row.Int(),
                             .status_id = row.Int()}});
    }
    return out;
  });
}

Status AccountWriter::LinkContact(RecordId lead_id, RecordId contact_id, bool is_main) {
  GH_RETURN_IF_ERROR(Get<Lead>(lead_id).status());
  GH_RETURN_IF_ERROR(Get<Contact>(contact_id).status());
  return LinkContactTo(*fixed_, kLeadLinks, account_id_, lead_id, contact_id, is_main);
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
  return LinkCompanyTo(*fixed_, kLeadLinks, account_id_, lead_id, company_id);
}

Status AccountWriter::UnlinkCompany(RecordId lead_id) {
  Params params{Int(account_id_), Int(lead_id)};
  return ExecuteOne(*fixed_, "DELETE FROM lead_companies WHERE account_id = ? AND lead_id = ?",
                    params, "link");
}

}  // namespace gatehouse::storage
