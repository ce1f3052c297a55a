// Account security settings and the login throttle shared by every server of the database.
#include <array>
#include <span>

#include "storage/record_codec.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The rows below are one per account (settings) or per account and key (throttle): written by
// an upsert that sets every column but the key.
constexpr std::array kSettingsFields{
    Field("policy_json", &SecuritySettingsRow::policy_json),
    Field("ip_whitelist_json", &SecuritySettingsRow::ip_whitelist_json),
    Field("updated_at", &SecuritySettingsRow::updated_at)};
using SettingsCodec = ColumnCodec<SecuritySettingsRow, kSettingsFields>;

constexpr std::array kThrottleFields{Field("throttle_key", &ThrottleRow::key),
                                     Field("failures", &ThrottleRow::failures),
                                     Field("window_start", &ThrottleRow::window_start),
                                     Field("locked_until", &ThrottleRow::locked_until)};
using ThrottleCodec = ColumnCodec<ThrottleRow, kThrottleFields>;

// "a = excluded.a, ..." over `fields`: an upsert's update of every column it names.
template <typename R>
std::string ExcludedSets(std::span<const Field<R>> fields) {
  std::string out;
  for (const Field<R>& f : fields) {
    const std::string column(f.column);
    out += (out.empty() ? "" : ", ") + column + " = excluded." + column;
  }
  return out;
}

// INSERT of `row` with account_id first, or, when the table holds a row with the same key
// (account_id and the first `key_columns` of Codec), UPDATE of every other column.
template <typename Codec>
Status Upsert(sql::Connection& c, std::string_view table, AccountId account,
              const typename Codec::Row& row, std::size_t key_columns) {
  Params params{Int(account)};
  Codec::Append(row, params);
  std::string key = "account_id";
  for (const auto& f : Codec::kFields.first(key_columns)) key += ", " + std::string(f.column);
  return c
      .Execute("INSERT INTO " + std::string(table) + " (account_id, " + Codec::Columns() +
                   ") VALUES " + Tuple(Codec::kCount + 1) + " ON CONFLICT (" + key +
                   ") DO UPDATE SET " + ExcludedSets(Codec::kFields.subspan(key_columns)),
               params)
      .status();
}

}  // namespace

Result<SecuritySettingsRow> AccountReader::SecuritySettings() const {
  return WithConnection([&](sql::Connection& c) -> Result<SecuritySettingsRow> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + SettingsCodec::Columns() +
                                                    " FROM security_settings WHERE account_id = ?",
                                                params));
    if (rows.empty()) return SecuritySettingsRow{};
    return SettingsCodec::FromRow(rows.rows[0]);
  });
}

Status AccountWriter::PutSecuritySettings(const SecuritySettingsRow& s) {
  MarkSecurityChanged();
  SecuritySettingsRow row = s;
  if (row.updated_at == 0) row.updated_at = Now();
  return Upsert<SettingsCodec>(*fixed_, "security_settings", account_id_, row, 0);
}

Result<std::optional<ThrottleRow>> AccountReader::GetThrottle(std::string_view key) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<ThrottleRow>> {
    Params params{Int(account_id_), Text(std::string(key))};
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + ThrottleCodec::Columns() +
                                                    " FROM login_throttle WHERE account_id = ? AND "
                                                    "throttle_key = ?",
                                                params));
    if (rows.empty()) return std::optional<ThrottleRow>();
    return std::optional<ThrottleRow>(ThrottleCodec::FromRow(rows.rows[0]));
  });
}

Status AccountWriter::PutThrottle(const ThrottleRow& row) {
  return Upsert<ThrottleCodec>(*fixed_, "login_throttle", account_id_, row, 1);
}

Status AccountWriter::ClearThrottle(std::string_view key) {
  Params params{Int(account_id_), Text(std::string(key))};
  return fixed_
      ->Execute("DELETE FROM login_throttle WHERE account_id = ? AND throttle_key = ?", params)
      .status();
}

Result<ThrottleRow> AccountWriter::LockThrottle(std::string_view key) {
  Params params{Int(account_id_), Text(std::string(key))};
  std::string lock;
  if (fixed_->dialect() == sql::Dialect::kPostgres) {
    // A concurrent insert of the same key makes this wait for its commit (unique index), then
    // do nothing; the SELECT ... FOR UPDATE below then reads the committed row.
    GH_RETURN_IF_ERROR(fixed_
                           ->Execute("INSERT INTO login_throttle (account_id, throttle_key) VALUES "
                                     "(?, ?) ON CONFLICT (account_id, throttle_key) DO NOTHING",
                                     params)
                           .status());
    lock = " FOR UPDATE";
  }
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("SELECT " + ThrottleCodec::Columns() +
                        " FROM login_throttle WHERE account_id = ? AND throttle_key = ?" + lock,
                    params));
  if (rows.empty()) return ThrottleRow{.key = std::string(key)};
  return ThrottleCodec::FromRow(rows.rows[0]);
}

Result<std::int64_t> AccountWriter::DeleteStaleThrottles(std::int64_t forget_before) {
  const std::string stale =
      "account_id = ? AND ((locked_until = 0 AND window_start <= ?) OR "
      "(locked_until <> 0 AND locked_until <= ?))";
  Params params{Int(account_id_), Int(forget_before), Int(forget_before)};
  if (fixed_->dialect() != sql::Dialect::kPostgres) {
    return fixed_->Execute("DELETE FROM login_throttle WHERE " + stale, params);
  }
  // SKIP LOCKED: a row a login transaction holds stays; waiting for it could deadlock with that
  // transaction, which may be about to lock a row this statement already deleted.
  params.insert(params.begin(), Int(account_id_));
  return fixed_->Execute(
      "DELETE FROM login_throttle WHERE account_id = ? AND throttle_key IN (SELECT throttle_key "
      "FROM login_throttle WHERE " +
          stale + " FOR UPDATE SKIP LOCKED)",
      params);
}

}  // namespace gatehouse::storage
