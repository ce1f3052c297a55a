// Loss reasons of an account's leads (migration 13): why a lead was lost, named by a lead's
// loss_reason_id.
#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::array kFields{Field("name", &LossReason::name), Field("sort", &LossReason::sort),
                             Field("created_at", &LossReason::created_at),
                             Field("updated_at", &LossReason::updated_at)};
using Codec = RowCodec<LossReason, kFields>;

}  // namespace

Result<std::vector<LossReason>> AccountReader::ListLossReasons() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<LossReason>> {
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + Codec::Columns() +
                                    " FROM loss_reasons WHERE account_id = ? ORDER BY sort, id",
                                Params{Int(account_id_)}));
    return Codec::FromRows(rows);
  });
}

Result<LossReason> AccountReader::GetLossReason(std::int64_t id) const {
  return WithConnection([&](sql::Connection& c) -> Result<LossReason> {
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT " + Codec::Columns() + " FROM loss_reasons WHERE account_id = ? AND id = ?",
                Params{Int(account_id_), Int(id)}));
    if (rows.empty()) return Status::NotFound("loss reason", id);
    return Codec::FromRow(rows.rows.front());
  });
}

Result<LossReason> AccountWriter::CreateLossReason(const LossReason& input) {
  if (input.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  // Looked up first: on PostgreSQL a unique violation would abort the whole transaction.
  GH_ASSIGN_OR_RETURN(sql::Rows existing,
                      fixed_->Query("SELECT id FROM loss_reasons WHERE account_id = ? AND name = ?",
                                    Params{Int(account_id_), Text(input.name)}));
  if (!existing.empty()) {
    return Status::InvalidField("name", "AlreadyExists",
                                "a loss reason named \"" + input.name + "\" exists already");
  }
  LossReason reason = input;
  if (reason.created_at == 0) reason.created_at = Now();
  if (reason.updated_at == 0) reason.updated_at = reason.created_at;
  return InsertRow<Codec>(*fixed_, "loss_reasons", account_id_, std::move(reason));
}

Status AccountWriter::DeleteLossReason(std::int64_t id) {
  GH_ASSIGN_OR_RETURN(std::int64_t deleted,
                      fixed_->Execute("DELETE FROM loss_reasons WHERE account_id = ? AND id = ?",
                                      Params{Int(account_id_), Int(id)}));
  if (deleted == 0) return Status::NotFound("loss reason", id);
  // The leads lost for it keep no reason (Kommo shows none for a deleted one).
  return fixed_
      ->Execute("UPDATE leads SET loss_reason_id = 0 WHERE account_id = ? AND loss_reason_id = ?",
                Params{Int(account_id_), Int(id)})
      .status();
}

}  // namespace gatehouse::storage
