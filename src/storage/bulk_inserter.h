// Multi-row INSERTs for bulk loaders of storage/ (demo.cc) that write rows with their own SQL on
// a writer's connection. Internal to storage/.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/record_codec.h"
#include "storage/sql/connection.h"
#include "storage/store_internal.h"

namespace gatehouse::storage::internal {

// Inserts rows in multi-row statements of up to `batch` rows; returns the new ids.
class BulkInserter {
 public:
  BulkInserter(sql::Connection& c, std::string_view table, std::string_view columns, int width,
               int batch)
      : c_(c), table_(table), columns_(columns), width_(width), batch_(batch) {}

  void Add(Params row) {
    for (Value& v : row) params_.push_back(std::move(v));
    ++rows_;
  }
  bool Full() const { return rows_ >= batch_; }

  base::Status Flush(std::vector<RecordId>* ids) {
    if (rows_ == 0) return base::Status::Ok();
    std::string& sql = rows_ == batch_ ? full_sql_ : partial_sql_;
    if (rows_ != batch_ || sql.empty()) sql = Statement(rows_, ids != nullptr);
    if (ids != nullptr) {
      GH_ASSIGN_OR_RETURN(sql::Rows rows, c_.Query(sql, params_));
      for (const auto& r : rows.rows) ids->push_back(sql::AsInt(r[0]));
    } else {
      GH_RETURN_IF_ERROR(c_.Execute(sql, params_).status());
    }
    params_.clear();
    rows_ = 0;
    return base::Status::Ok();
  }

 private:
  std::string Statement(int rows, bool returning) const {
    std::string sql =
        "INSERT INTO " + std::string(table_) + " (" + std::string(columns_) + ") VALUES ";
    const std::string tuple = Tuple(width_);
    for (int i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + tuple;
    if (returning) sql += " RETURNING id";
    return sql;
  }

  sql::Connection& c_;
  std::string_view table_;
  std::string_view columns_;
  int width_;
  int batch_;
  int rows_ = 0;
  Params params_;
  std::string full_sql_;
  std::string partial_sql_;
};

}  // namespace gatehouse::storage::internal
