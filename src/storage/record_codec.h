// Column lists and row <-> struct mapping of the tables (internal to storage/), all derived from
// a field table (record_traits.h's Field): RecordTraits<R>::kFields for the record kinds, a
// table's own (kTagFields, ...) for the catalogs.
//
// RowCodec<R, fields> gives the SELECT column list (id first) and FromRow for it, the INSERT
// column list (account_id last) and Append for it, and the "a = ?, b = ?" list of an UPDATE (the
// insert columns without account_id, bound by the same Append). RecordCodec<R> adds the kind's
// table. ColumnCodec<R, fields> maps tables whose field table names every column, key included
// (the secrets keyed by their hash, the activity log); RowCodec reads and binds its fields
// through it.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/query.h"
#include "storage/record_rows.h"
#include "storage/record_traits.h"
#include "storage/sql_filter.h"
#include "storage/store_internal.h"

namespace gatehouse::storage::internal {

// Reads column value `v` into the member `f` names.
template <typename R>
void ReadField(const Field<R>& f, const Value& v, R& record) {
  switch (f.kind) {
    case FieldKind::kInt:
    case FieldKind::kReference:
      record.*f.integer = sql::AsInt(v);
      break;
    case FieldKind::kBool:
      record.*f.boolean = sql::AsInt(v) != 0;
      break;
    case FieldKind::kText:
      record.*f.text = sql::AsText(v);
      break;
    case FieldKind::kDataSet:
      record.*f.data_set = domain::RecordDataSetFromName(sql::AsText(v));
      break;
    case FieldKind::kCategory:
      record.*f.category = domain::IncomingCategoryFromName(sql::AsText(v));
      break;
  }
}

// Binds the member `f` names as its column keeps it.
template <typename R>
void AppendField(const Field<R>& f, const R& record, Params& p) {
  switch (f.kind) {
    case FieldKind::kInt:
      p.push_back(Int(record.*f.integer));
      break;
    case FieldKind::kReference:
      p.push_back(NullIfZero(record.*f.integer));
      break;
    case FieldKind::kBool:
      p.push_back(Bool(record.*f.boolean));
      break;
    case FieldKind::kText:
      p.push_back(Text(record.*f.text));
      break;
    case FieldKind::kDataSet:
    case FieldKind::kCategory:
      p.push_back(Text(std::string(NameText(f, record))));
      break;
  }
}

// "a, b, ..." of `fields`, each prefixed with `prefix`.
template <typename R>
std::string ColumnNames(std::span<const Field<R>> fields, std::string_view prefix = "") {
  std::string out;
  for (const Field<R>& f : fields) {
    out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(f.column);
  }
  return out;
}

// The column list and row mapping of a table whose field table `kFieldList` names every column
// FromRow reads and Append binds, key and account_id included where the row holds them.
template <typename R, const auto& kFieldList>
struct ColumnCodec {
  using Row = R;
  static constexpr std::span<const Field<R>> kFields{kFieldList};
  static constexpr int kCount = static_cast<int>(std::size(kFieldList));

  static const std::string& Columns() {
    static const std::string columns = ColumnNames(kFields);
    return columns;
  }
  // A row of Columns() from column `from` on.
  static R FromRow(const std::vector<Value>& row, std::size_t from = 0) {
    R record;
    std::size_t i = from;
    for (const Field<R>& f : kFields) ReadField(f, row[i++], record);
    return record;
  }
  static void Append(const R& record, Params& p) {
    for (const Field<R>& f : kFields) AppendField(f, record, p);
  }
};

// The column lists and row mapping of a table whose rows are R, from its field table
// `kFieldList` (every column but id and account_id, in column order; id is read first).
template <typename R, const auto& kFieldList>
struct RowCodec {
  using Row = R;
  static constexpr std::span<const Field<R>> kFields{kFieldList};
  // Columns INSERT binds: every field, then account_id.
  static constexpr int kInsertCount = static_cast<int>(std::size(kFieldList)) + 1;

  // "id, name, ..." each prefixed with `alias` and a dot when `alias` is not empty.
  static std::string Columns(std::string_view alias) {
    const std::string prefix = alias.empty() ? "" : std::string(alias) + ".";
    return prefix + "id, " + ColumnNames(kFields, prefix);
  }
  // The SELECT list FromRow reads.
  static const std::string& Columns() {
    static const std::string columns = Columns("");
    return columns;
  }
  // "name, ..., account_id".
  static const std::string& InsertColumns() {
    static const std::string columns = ColumnNames(kFields) + ", account_id";
    return columns;
  }
  // "name = ?, ..." over the fields, in Append's order.
  static const std::string& UpdateSets() {
    static const std::string sets = [] {
      std::string out;
      for (const Field<R>& f : kFields) {
        out += (out.empty() ? "" : ", ") + std::string(f.column) + " = ?";
      }
      return out;
    }();
    return sets;
  }

  // A row of Columns() from column `from` on (a row that joins the table after others).
  static R FromRow(const std::vector<Value>& row, std::size_t from = 0) {
    R record = ColumnCodec<R, kFieldList>::FromRow(row, from + 1);
    record.id = sql::AsInt(row[from]);
    return record;
  }
  static std::vector<R> FromRows(const sql::Rows& rows) {
    std::vector<R> out;
    out.reserve(rows.rows.size());
    for (const auto& row : rows.rows) out.push_back(FromRow(row));
    return out;
  }

  // Values of the fields in column order, without account_id (appended by the caller).
  static void Append(const R& record, Params& p) { ColumnCodec<R, kFieldList>::Append(record, p); }
};

template <typename R>
struct RecordCodec : RowCodec<R, RecordTraits<R>::kFields> {
  using Traits = RecordTraits<R>;
  static constexpr std::string_view kWhat = Traits::kName;

  static const TableTraits& Table() { return Traits::kTable; }
};

// Inserts `row` (its id ignored) into `table` of `account` and returns it with the new id.
template <typename Codec, typename R>
Result<R> InsertRow(sql::Connection& c, std::string_view table, AccountId account, R row) {
  Params params;
  Codec::Append(row, params);
  params.push_back(Int(account));
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("INSERT INTO " + std::string(table) + " (" + Codec::InsertColumns() +
                                  ") VALUES " + Tuple(Codec::kInsertCount) + " RETURNING id",
                              params));
  row.id = sql::AsInt(rows.rows.at(0).at(0));
  return row;
}

// Inserts `row` into `table`, every column Codec (a ColumnCodec) names.
template <typename Codec>
Status InsertColumns(sql::Connection& c, std::string_view table, const typename Codec::Row& row) {
  Params params;
  Codec::Append(row, params);
  return c
      .Execute("INSERT INTO " + std::string(table) + " (" + Codec::Columns() + ") VALUES " +
                   Tuple(Codec::kCount),
               params)
      .status();
}

// Page `page` of `limit` rows of `table` (read through Codec) that belong to the parent row
// `parent_id` (the column `parent_column`) in `account`, in write (id) order.
template <typename Codec>
Result<std::vector<typename Codec::Row>> ChildRows(sql::Connection& c, std::string_view table,
                                                   std::string_view parent_column,
                                                   AccountId account, std::int64_t parent_id,
                                                   int limit, int page) {
  const PageWindow window = WindowOf(limit, page);
  Params params{Int(account), Int(parent_id), Int(window.limit), Int(window.offset)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("SELECT " + Codec::Columns() + " FROM " + std::string(table) +
                                  " WHERE account_id = ? AND " + std::string(parent_column) +
                                  " = ? ORDER BY id LIMIT ? OFFSET ?",
                              params));
  return Codec::FromRows(rows);
}

template <typename R>
std::int64_t CursorValue(const R& record, OrderField field) {
  switch (field) {
    case OrderField::kCreatedAt:
      return record.created_at;
    case OrderField::kUpdatedAt:
      return record.updated_at;
    case OrderField::kId:
      break;
  }
  return record.id;
}

// The catalogs' tables.
inline constexpr std::array kTagFields{Field("name", &Tag::name), Field("color", &Tag::color)};
using TagCodec = RowCodec<Tag, kTagFields>;

}  // namespace gatehouse::storage::internal
