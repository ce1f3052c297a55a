// What `gatehouse import` keeps to resume and to refuse a foreign account (migration 20).
#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<std::optional<ImportSourceRow>> AccountReader::ImportSource() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<ImportSourceRow>> {
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT source, source_account_id, started_at, finished_at FROM import_sources "
                "WHERE account_id = ?",
                Params{Int(account_id_)}));
    if (rows.empty()) return std::optional<ImportSourceRow>();
    RowReader r(rows.rows.front());
    return std::optional<ImportSourceRow>(ImportSourceRow{.source = r.Text(),
                                                          .source_account_id = r.Int(),
                                                          .started_at = r.Int(),
                                                          .finished_at = r.Int()});
  });
}

Result<std::map<std::int64_t, std::int64_t>> AccountReader::ImportMap(std::string_view kind) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::map<std::int64_t, std::int64_t>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT source_id, local_id FROM import_map "
                                                "WHERE account_id = ? AND kind = ?",
                                                Params{Int(account_id_), Text(std::string(kind))}));
    std::map<std::int64_t, std::int64_t> out;
    for (const auto& row : rows.rows) out.emplace(sql::AsInt(row.at(0)), sql::AsInt(row.at(1)));
    return out;
  });
}

Status AccountWriter::PutImportSource(const ImportSourceRow& row) {
  GH_ASSIGN_OR_RETURN(std::int64_t updated,
                      fixed_->Execute("UPDATE import_sources SET finished_at = ? "
                                      "WHERE account_id = ? AND source = ? "
                                      "AND source_account_id = ?",
                                      Params{Int(row.finished_at), Int(account_id_),
                                             Text(row.source), Int(row.source_account_id)}));
  if (updated > 0) return Status::Ok();
  return fixed_
      ->Execute(
          "INSERT INTO import_sources (account_id, source, source_account_id, started_at, "
          "finished_at) VALUES (?, ?, ?, ?, ?)",
          Params{Int(account_id_), Text(row.source), Int(row.source_account_id),
                 Int(row.started_at), Int(row.finished_at)})
      .status();
}

Status AccountWriter::MapImported(std::string_view kind, std::int64_t source_id,
                                  std::int64_t local_id) {
  return fixed_
      ->Execute(
          "INSERT INTO import_map (account_id, kind, source_id, local_id) "
          "VALUES (?, ?, ?, ?)",
          Params{Int(account_id_), Text(std::string(kind)), Int(source_id), Int(local_id)})
      .status();
}

}  // namespace gatehouse::storage
