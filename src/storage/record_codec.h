// Column lists and row <-> struct mapping of the record tables (internal to storage/), all
// derived from the field table of RecordTraits<R> (record_traits.h).
//
// RecordCodec<R> gives the table, the SELECT column list (id first) and FromRow for it, the
// INSERT column list (account_id last) and Append for it, and the "a = ?, b = ?" list of an
// UPDATE (the insert columns without account_id, bound by the same Append).
#pragma once

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

template <typename R>
struct RecordCodec {
  using Traits = RecordTraits<R>;
  static constexpr std::string_view kWhat = Traits::kName;
  static constexpr std::span<const Field<R>> kFields{Traits::kFields};
  // Columns INSERT binds: every field, then account_id.
  static constexpr int kInsertCount = static_cast<int>(std::size(Traits::kFields)) + 1;

  static const TableTraits& Table() { return Traits::kTable; }

  // "id, name, ..." each prefixed with `alias` and a dot when `alias` is not empty.
  static std::string Columns(std::string_view alias) {
    const std::string prefix = alias.empty() ? "" : std::string(alias) + ".";
    std::string out = prefix + "id";
    for (const Field<R>& f : kFields) out += ", " + prefix + std::string(f.column);
    return out;
  }
  // The SELECT list FromRow reads.
  static const std::string& Columns() {
    static const std::string columns = Columns("");
    return columns;
  }
  // "name, ..., account_id".
  static const std::string& InsertColumns() {
    static const std::string columns = [] {
      std::string out;
      for (const Field<R>& f : kFields) out += std::string(f.column) + ", ";
      return out + "account_id";
    }();
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

  // A row of Columns() (or of any list that starts with them).
  static R FromRow(const std::vector<Value>& row) {
    R record;
    record.id = sql::AsInt(row[0]);
    std::size_t i = 1;
    for (const Field<R>& f : kFields) {
      const Value& v = row[i++];
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
          record.*f.data_set = domain::DataSetFromName(sql::AsText(v));
          break;
        case FieldKind::kCategory:
          record.*f.category = domain::IncomingCategoryFromName(sql::AsText(v));
          break;
      }
    }
    return record;
  }

  // Values of the fields in column order, without account_id (appended by the caller).
  static void Append(const R& record, Params& p) {
    for (const Field<R>& f : kFields) {
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
  }
};

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

// "(?, ?, ...)" with n placeholders.
inline std::string Tuple(int n) {
  std::string text = "(";
  for (int i = 0; i < n; ++i) text += i == 0 ? "?" : ", ?";
  return text + ")";
}

// Reads the columns of a row in order (tables without a field table: messages).
class RowReader {
 public:
  // From column `from` on (a row that joins a table after others).
  explicit RowReader(const std::vector<Value>& row, std::size_t from = 0) : row_(row), i_(from) {}
  std::int64_t Int() { return sql::AsInt(row_[i_++]); }
  bool Bool() { return sql::AsInt(row_[i_++]) != 0; }
  std::string Text() { return sql::AsText(row_[i_++]); }

 private:
  const std::vector<Value>& row_;
  std::size_t i_ = 0;
};

// A tag from its columns "id, name, color" (store_tags.cc).
Tag ReadTag(RowReader& r);

}  // namespace gatehouse::storage::internal
