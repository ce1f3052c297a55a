// Custom field definitions, their enums and the records' values (migration 15).
#include <algorithm>
#include <map>
#include <ranges>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using domain::CustomField;
using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// In the order of domain::CustomField's members, which FieldOf reads them into.
constexpr std::string_view kFieldColumns =
    "id, entity_type, name, code, type, sort, is_api_only FROM custom_fields";

CustomField FieldOf(const std::vector<sql::Value>& r) {
  RowReader row(r);
  return {.id = row.Int(),
          .data_set = domain::RecordDataSetFromName(row.Text()).value_or(DataSet::kLeads),
          .name = row.Text(),
          .code = row.Text(),
          .type = domain::FieldTypeFromName(row.Text()).value_or(domain::FieldType::kText),
          .sort = row.SmallInt(),
          .is_api_only = row.Bool()};
}

// Adds to each of `fields` its enums, in one statement.
Status LoadEnums(sql::Connection& c, domain::AccountId account_id,
                 std::vector<CustomField>& fields) {
  if (fields.empty()) return Status::Ok();
  std::map<std::int64_t, CustomField*> by_id;
  for (CustomField& field : fields) by_id[field.id] = &field;
  std::string sql = "SELECT field_id, id, value, sort FROM custom_field_enums WHERE account_id = ?";
  Params params{Int(account_id)};
  AndIn(sql, params, "field_id", std::views::keys(by_id));
  sql += " ORDER BY field_id, sort, id";
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
  for (const auto& r : rows.rows) {
    RowReader row(r);
    auto it = by_id.find(row.Int());
    if (it == by_id.end()) continue;
    it->second->enums.push_back({.id = row.Int(), .value = row.Text(), .sort = row.SmallInt()});
  }
  return Status::Ok();
}

Result<std::vector<CustomField>> QueryFields(sql::Connection& c, domain::AccountId account_id,
                                             DataSet data_set, std::int64_t id) {
  Where where{"account_id = ? AND entity_type = ?", {Int(account_id), DataSetText(data_set)}};
  where.Add("id = ?", id != 0, Int(id));
  GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + std::string(kFieldColumns) + " WHERE " +
                                                  where.sql + " ORDER BY sort, id",
                                              where.params));
  std::vector<CustomField> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(FieldOf(r));
  GH_RETURN_IF_ERROR(LoadEnums(c, account_id, out));
  return out;
}

Status InsertEnum(sql::Connection& c, domain::AccountId account_id, std::int64_t field_id,
                  domain::FieldEnum& e) {
  Params params{Int(account_id), Int(field_id), Text(e.value), Int(e.sort)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("INSERT INTO custom_field_enums (account_id, field_id, value, sort) "
                              "VALUES (?, ?, ?, ?) RETURNING id",
                              params));
  e.id = sql::AsInt(rows.rows.at(0).at(0));
  return Status::Ok();
}

void SortEnums(CustomField& field) {
  std::stable_sort(field.enums.begin(), field.enums.end(),
                   [](const domain::FieldEnum& a, const domain::FieldEnum& b) {
                     return std::pair(a.sort, a.id) < std::pair(b.sort, b.id);
                   });
}

}  // namespace

Result<std::vector<CustomField>> AccountReader::ListCustomFields(DataSet data_set) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<CustomField>> {
    return QueryFields(c, account_id_, data_set, 0);
  });
}

Result<CustomField> AccountReader::GetCustomField(DataSet data_set, std::int64_t id) const {
  if (id <= 0) return Status::NotFound("custom field not found");
  return WithConnection([&](sql::Connection& c) -> Result<CustomField> {
    GH_ASSIGN_OR_RETURN(std::vector<CustomField> found, QueryFields(c, account_id_, data_set, id));
    if (found.empty()) return Status::NotFound("custom field not found");
    return std::move(found.front());
  });
}

Result<std::vector<FieldValueRow>> AccountReader::FieldValues(DataSet data_set,
                                                              std::span<const RecordId> ids) const {
  if (ids.empty()) return std::vector<FieldValueRow>{};
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<FieldValueRow>> {
    std::string sql =
        "SELECT record_id, field_id, value, enum_id FROM custom_field_values WHERE account_id = ? "
        "AND entity_type = ?";
    Params params{Int(account_id_), DataSetText(data_set)};
    AndIn(sql, params, "record_id", ids);
    sql += " ORDER BY record_id, field_id, position";
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query(sql, params));
    std::vector<FieldValueRow> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows) {
      RowReader row(r);
      out.push_back({.record_id = row.Int(),
                     .field_id = row.Int(),
                     .value = {.value = row.Text(), .enum_id = row.Int()}});
    }
    return out;
  });
}

Result<CustomField> AccountWriter::CreateCustomField(const CustomField& input) {
  if (!domain::HasCustomFields(input.data_set)) {
    return Status::Invalid("only leads, contacts, companies and customers have custom fields");
  }
  if (input.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  CustomField field = input;
  // The policy snapshots list the account's fields (AccountModel::custom_fields): every server
  // rebuilds its snapshot when a field comes or goes.
  MarkSecurityChanged();
  Params params{Int(account_id_),        Text(std::string(domain::DataSetName(field.data_set))),
                Text(field.name),        Text(std::string(domain::FieldTypeName(field.type))),
                Text(field.code),        Int(field.sort),
                Bool(field.is_api_only), Int(Now())};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("INSERT INTO custom_fields (account_id, entity_type, name, type, code, sort, "
                    "is_api_only, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    params));
  field.id = sql::AsInt(rows.rows.at(0).at(0));
  for (domain::FieldEnum& e : field.enums) {
    GH_RETURN_IF_ERROR(InsertEnum(*fixed_, account_id_, field.id, e));
  }
  SortEnums(field);
  return field;
}

Result<CustomField> AccountWriter::UpdateCustomField(const CustomField& input) {
  GH_ASSIGN_OR_RETURN(CustomField current, GetCustomField(input.data_set, input.id));
  if (input.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  CustomField field = input;
  field.type = current.type;
  Params params{Text(field.name),        Text(field.code), Int(field.sort),
                Bool(field.is_api_only), Int(account_id_), Int(field.id)};
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE custom_fields SET name = ?, code = ?, sort = ?, "
                                "is_api_only = ? WHERE account_id = ? AND id = ?",
                                params, "custom field"));
  for (const domain::FieldEnum& old : current.enums) {
    const bool kept = std::any_of(field.enums.begin(), field.enums.end(),
                                  [&](const domain::FieldEnum& e) { return e.id == old.id; });
    if (kept) continue;
    Params drop{Int(account_id_), Int(old.id)};
    GH_RETURN_IF_ERROR(
        fixed_->Execute("DELETE FROM custom_field_enums WHERE account_id = ? AND id = ?", drop)
            .status());
  }
  for (domain::FieldEnum& e : field.enums) {
    if (e.id == 0) {
      GH_RETURN_IF_ERROR(InsertEnum(*fixed_, account_id_, field.id, e));
      continue;
    }
    if (current.FindEnum(e.id) == nullptr) {
      return Status::InvalidField("enums", "NotFound",
                                  "enum " + std::to_string(e.id) + " is not one of this field");
    }
    Params change{Text(e.value), Int(e.sort), Int(account_id_), Int(field.id), Int(e.id)};
    GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                  "UPDATE custom_field_enums SET value = ?, sort = ? WHERE "
                                  "account_id = ? AND field_id = ? AND id = ?",
                                  change, "enum"));
  }
  SortEnums(field);
  return field;
}

Status AccountWriter::DeleteCustomField(DataSet data_set, std::int64_t id) {
  GH_ASSIGN_OR_RETURN(CustomField current, GetCustomField(data_set, id));
  MarkSecurityChanged();  // as in CreateCustomField
  Params params{Int(account_id_), Int(id)};
  GH_RETURN_IF_ERROR(
      fixed_
          ->Execute("DELETE FROM custom_field_values WHERE account_id = ? AND field_id = ?", params)
          .status());
  GH_RETURN_IF_ERROR(
      fixed_
          ->Execute("DELETE FROM custom_field_enums WHERE account_id = ? AND field_id = ?", params)
          .status());
  return ExecuteOne(*fixed_, "DELETE FROM custom_fields WHERE account_id = ? AND id = ?", params,
                    "custom field");
}

Status AccountWriter::SetFieldValues(DataSet data_set, RecordId record_id, std::int64_t field_id,
                                     std::span<const domain::FieldValue> values) {
  const std::string entity(domain::DataSetName(data_set));
  Params params{Int(account_id_), Text(entity), Int(record_id), Int(field_id)};
  GH_RETURN_IF_ERROR(fixed_
                         ->Execute("DELETE FROM custom_field_values WHERE account_id = ? AND "
                                   "entity_type = ? AND record_id = ? AND field_id = ?",
                                   params)
                         .status());
  for (std::size_t i = 0; i < values.size(); ++i) {
    Params row{Int(account_id_),
               Text(entity),
               Int(record_id),
               Int(field_id),
               Int(static_cast<std::int64_t>(i)),
               Text(values[i].value),
               Int(values[i].enum_id)};
    GH_RETURN_IF_ERROR(fixed_
                           ->Execute("INSERT INTO custom_field_values (account_id, entity_type, "
                                     "record_id, field_id, position, value, enum_id) VALUES (?, ?, "
                                     "?, ?, ?, ?, ?)",
                                     row)
                           .status());
  }
  return Status::Ok();
}

}  // namespace gatehouse::storage
