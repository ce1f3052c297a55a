// Account security settings and the login throttle shared by every server of the database.
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Result<SecuritySettingsRow> AccountReader::SecuritySettings() const {
  return WithConnection([&](sql::Connection& c) -> Result<SecuritySettingsRow> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT policy_json, ip_whitelist_json, updated_at FROM "
                                "security_settings WHERE account_id = ?",
                                params));
    if (rows.empty()) return SecuritySettingsRow{};
    const auto& r = rows.rows[0];
    return SecuritySettingsRow{sql::AsText(r[0]), sql::AsText(r[1]), sql::AsInt(r[2])};
  });
}

Status AccountWriter::PutSecuritySettings(const SecuritySettingsRow& s) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Text(s.policy_json), Text(s.ip_whitelist_json),
                Int(s.updated_at != 0 ? s.updated_at : Now())};
  return fixed_
      ->Execute(
          "INSERT INTO security_settings (account_id, policy_json, ip_whitelist_json, "
          "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
          "policy_json = excluded.policy_json, ip_whitelist_json = "
          "excluded.ip_whitelist_json, updated_at = excluded.updated_at",
          params)
      .status();
}

Result<std::optional<ThrottleRow>> AccountReader::GetThrottle(std::string_view key) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<ThrottleRow>> {
    Params params{Int(account_id_), Text(std::string(key))};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT throttle_key, failures, window_start, locked_until FROM "
                                "login_throttle WHERE account_id = ? AND throttle_key = ?",
                                params));
    if (rows.empty()) return std::optional<ThrottleRow>();
    const auto& r = rows.rows[0];
    return std::optional<ThrottleRow>(
        ThrottleRow{sql::AsText(r[0]), sql::AsInt(r[1]), sql::AsInt(r[2]), sql::AsInt(r[3])});
  });
}

Status AccountWriter::PutThrottle(const ThrottleRow& row) {
  Params params{Int(account_id_), Text(row.key), Int(row.failures), Int(row.window_start),
                Int(row.locked_until)};
  return fixed_
      ->Execute(
          "INSERT INTO login_throttle (account_id, throttle_key, failures, window_start, "
          "locked_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, throttle_key) DO "
          "UPDATE SET failures = excluded.failures, window_start = excluded.window_start, "
          "locked_until = excluded.locked_until",
          params)
      .status();
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
      fixed_->Query("SELECT throttle_key, failures, window_start, locked_until "
                    "FROM login_throttle WHERE account_id = ? AND throttle_key = ?" +
                        lock,
                    params));
  if (rows.empty()) return ThrottleRow{std::string(key), 0, 0, 0};
  const auto& r = rows.rows[0];
  return ThrottleRow{sql::AsText(r[0]), sql::AsInt(r[1]), sql::AsInt(r[2]), sql::AsInt(r[3])};
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
