// Account state outside the protected records: lists, sessions, tokens, OAuth, security
// settings, login throttling and the activity log.
#include <algorithm>

#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using base::Code;
using base::Result;
using base::Status;
using namespace internal;  // NOLINT(google-build-using-namespace)

Status AccountWriter::CheckOwnedUser(UserId id) const {
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("SELECT id FROM users WHERE account_id = ? AND id = ?", params));
  if (!rows.empty()) return Status::Ok();
  return Status::InvalidField("user_id", "NotFound", "the user does not exist in this account");
}

// ---- lists ----

Result<std::vector<List>> AccountReader::ListLists() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<storage::List>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT id, name, sort, created_at FROM lists WHERE account_id = "
                                "? ORDER BY sort, id",
                                params));
    std::vector<storage::List> out;
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsText(r[1]), sql::AsInt(r[2]), sql::AsInt(r[3])});
    }
    return out;
  });
}

Result<std::vector<ListItem>> AccountReader::ListItems(std::int64_t list_id, int limit,
                                                       int page) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ListItem>> {
    const int n = std::clamp(limit, 1, kMaxPageLimit);
    Params params{Int(account_id_), Int(list_id), Int(n),
                  Int(static_cast<std::int64_t>(std::max(page, 1) - 1) * n)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT id, list_id, name, custom_fields, created_by, created_at, "
                                "updated_at FROM list_items WHERE account_id = ? AND list_id = ? "
                                "ORDER BY id LIMIT ? OFFSET ?",
                                params));
    std::vector<ListItem> out;
    for (const auto& r : rows.rows) {
      out.push_back({sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsText(r[2]), sql::AsText(r[3]),
                     sql::AsInt(r[4]), sql::AsInt(r[5]), sql::AsInt(r[6])});
    }
    return out;
  });
}

Result<ListItem> AccountReader::GetListItem(std::int64_t list_id, RecordId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<ListItem> {
    Params params{Int(account_id_), Int(list_id), Int(id)};
    GH_ASSIGN_OR_RETURN(std::vector<Value> r,
                        QueryRow(c,
                                 "SELECT id, list_id, name, custom_fields, created_by, created_at, "
                                 "updated_at FROM list_items WHERE account_id = ? AND list_id = ? "
                                 "AND id = ?",
                                 params, "list item"));
    return ListItem{sql::AsInt(r[0]), sql::AsInt(r[1]), sql::AsText(r[2]), sql::AsText(r[3]),
                    sql::AsInt(r[4]), sql::AsInt(r[5]), sql::AsInt(r[6])};
  });
}

Result<List> AccountWriter::CreateList(std::string_view name, int sort) {
  if (name.empty()) return Status::InvalidField("name", "Required", "list name is required");
  storage::List list{0, std::string(name), sort, Now()};
  Params params{Int(account_id_), Text(list.name), Int(sort), Int(list.created_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO lists (account_id, name, sort, created_at) "
                                    "VALUES (?, ?, ?, ?) RETURNING id",
                                    params));
  list.id = sql::AsInt(rows.rows.at(0).at(0));
  return list;
}

Result<ListItem> AccountWriter::CreateListItem(const ListItem& input) {
  ListItem item = input;
  Params check{Int(account_id_), Int(item.list_id)};
  GH_ASSIGN_OR_RETURN(sql::Rows lists,
                      fixed_->Query("SELECT id FROM lists WHERE account_id = ? AND id = ?", check));
  if (lists.empty()) return Status::NotFound("list not found");
  if (item.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  if (item.created_at == 0) item.created_at = Now();
  if (item.updated_at == 0) item.updated_at = item.created_at;
  Params params{Int(account_id_),     Int(item.list_id),
                Text(item.name),      Text(item.custom_fields_json),
                Int(item.created_by), Int(item.created_at),
                Int(item.updated_at)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO list_items (account_id, list_id, name, "
                                    "custom_fields, created_by, created_at, updated_at) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    params));
  item.id = sql::AsInt(rows.rows.at(0).at(0));
  return item;
}

Status AccountWriter::UpdateListItem(const ListItem& item) {
  if (item.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  Params params{Text(item.name),      Text(item.custom_fields_json),
                Int(item.updated_at), Int(account_id_),
                Int(item.list_id),    Int(item.id)};
  // The list is part of the key: an item of another list is as missing as one of another
  // account.
  return ExecuteOne(*fixed_,
                    "UPDATE list_items SET name = ?, custom_fields = ?, updated_at = ? WHERE "
                    "account_id = ? AND list_id = ? AND id = ?",
                    params, "list item");
}

Status AccountWriter::DeleteListItem(RecordId id) {
  Params params{Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "DELETE FROM list_items WHERE account_id = ? AND id = ?", params,
                    "list item");
}

// ---- sessions ----

namespace {

constexpr std::string_view kSessionColumns =
    "id, token_hash, account_id, user_id, ip, user_agent, location, second_factor_done, "
    "created_at, last_seen_at, expires_at";

SessionRow SessionFromRow(const std::vector<Value>& r) {
  return SessionRow{sql::AsText(r[0]), sql::AsText(r[1]), sql::AsInt(r[2]),  sql::AsInt(r[3]),
                    sql::AsText(r[4]), sql::AsText(r[5]), sql::AsText(r[6]), sql::AsInt(r[7]) != 0,
                    sql::AsInt(r[8]),  sql::AsInt(r[9]),  sql::AsInt(r[10])};
}

constexpr std::string_view kTokenColumns =
    "id, account_id, user_id, name, token_hash, kind, integration_id, created_at, expires_at, "
    "last_used_at, revoked, grant_id";

ApiTokenRow TokenFromRow(const std::vector<Value>& r) {
  return ApiTokenRow{sql::AsInt(r[0]),  sql::AsInt(r[1]),       sql::AsInt(r[2]),
                     sql::AsText(r[3]), sql::AsText(r[4]),      sql::AsText(r[5]),
                     sql::AsInt(r[6]),  sql::AsInt(r[7]),       sql::AsInt(r[8]),
                     sql::AsInt(r[9]),  sql::AsInt(r[10]) != 0, sql::AsText(r[11])};
}

// Optional "AND user_id = ?" for user 0 = everyone.
std::string UserClause(UserId user_id, Params& params) {
  if (user_id == 0) return "";
  params.push_back(Int(user_id));
  return " AND user_id = ?";
}

}  // namespace

Result<SessionRow> Store::FindSession(std::string_view token_hash) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(token_hash))};
  GH_ASSIGN_OR_RETURN(
      auto r,
      QueryRow(*c, "SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE token_hash = ?",
               params, "session"));
  return SessionFromRow(r);
}

Result<std::vector<SessionRow>> AccountReader::ListSessions(UserId user_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<SessionRow>> {
    Params params{Int(account_id_)};
    std::string clause = UserClause(user_id, params);
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + std::string(kSessionColumns) +
                                                    " FROM sessions WHERE account_id = ?" + clause +
                                                    " ORDER BY last_seen_at DESC, id",
                                                params));
    std::vector<SessionRow> out;
    for (const auto& r : rows.rows) out.push_back(SessionFromRow(r));
    return out;
  });
}

Status AccountWriter::CreateSession(const SessionRow& s) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(s.user_id));
  Params params{
      Text(s.id),        Text(s.token_hash),  Int(account_id_), Int(s.user_id),
      Text(s.ip),        Text(s.user_agent),  Text(s.location), Bool(s.second_factor_done),
      Int(s.created_at), Int(s.last_seen_at), Int(s.expires_at)};
  return fixed_
      ->Execute("INSERT INTO sessions (" + std::string(kSessionColumns) +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params)
      .status();
}

Status AccountWriter::TouchSession(std::string_view id, std::int64_t last_seen_at) {
  Params params{Int(last_seen_at), Int(account_id_), Text(std::string(id))};
  return ExecuteOne(*fixed_, "UPDATE sessions SET last_seen_at = ? WHERE account_id = ? AND id = ?",
                    params, "session");
}

Status AccountWriter::SetSessionSecondFactor(std::string_view id) {
  Params params{Int(account_id_), Text(std::string(id))};
  return ExecuteOne(*fixed_,
                    "UPDATE sessions SET second_factor_done = 1 WHERE account_id = ? AND id = ?",
                    params, "session");
}

Status AccountWriter::DeleteSession(std::string_view id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Text(std::string(id))};
  return ExecuteOne(*fixed_, "DELETE FROM sessions WHERE account_id = ? AND id = ?", params,
                    "session");
}

Result<std::int64_t> AccountWriter::DeleteSessions(UserId user_id, std::string_view keep_id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Text(std::string(keep_id))};
  std::string clause = UserClause(user_id, params);
  return fixed_->Execute("DELETE FROM sessions WHERE account_id = ? AND id <> ?" + clause, params);
}

// ---- API tokens ----

Result<ApiTokenRow> Store::FindApiToken(std::string_view token_hash) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(token_hash))};
  GH_ASSIGN_OR_RETURN(
      auto r,
      QueryRow(*c, "SELECT " + std::string(kTokenColumns) + " FROM api_tokens WHERE token_hash = ?",
               params, "token"));
  return TokenFromRow(r);
}

Result<std::vector<ApiTokenRow>> AccountReader::ListApiTokens(UserId user_id) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ApiTokenRow>> {
    Params params{Int(account_id_)};
    std::string clause = UserClause(user_id, params);
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + std::string(kTokenColumns) +
                                                    " FROM api_tokens WHERE account_id = ?" +
                                                    clause + " ORDER BY id",
                                                params));
    std::vector<ApiTokenRow> out;
    for (const auto& r : rows.rows) out.push_back(TokenFromRow(r));
    return out;
  });
}

Result<std::int64_t> AccountWriter::CreateApiToken(const ApiTokenRow& t) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(t.user_id));
  Params params{Int(account_id_),
                Int(t.user_id),
                Text(t.name),
                Text(t.token_hash),
                Text(t.kind),
                Int(t.integration_id),
                Int(t.created_at != 0 ? t.created_at : Now()),
                Int(t.expires_at),
                Text(t.grant_id)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("INSERT INTO api_tokens (account_id, user_id, name, token_hash, kind, "
                    "integration_id, created_at, expires_at, grant_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

Status AccountWriter::RevokeApiToken(std::int64_t id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "UPDATE api_tokens SET revoked = 1 WHERE account_id = ? AND id = ?",
                    params, "token");
}

Result<std::int64_t> AccountWriter::RevokeApiTokensOfUser(UserId user_id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(user_id)};
  GH_ASSIGN_OR_RETURN(std::int64_t tokens,
                      fixed_->Execute("UPDATE api_tokens SET revoked = 1 WHERE account_id = ? "
                                      "AND user_id = ? AND revoked = 0",
                                      params));
  GH_ASSIGN_OR_RETURN(std::int64_t refresh,
                      fixed_->Execute("UPDATE oauth_refresh_tokens SET revoked = 1 WHERE "
                                      "account_id = ? AND user_id = ? AND revoked = 0",
                                      params));
  return tokens + refresh;
}

Status AccountWriter::TouchApiToken(std::int64_t id, std::int64_t at) {
  Params params{Int(at), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE api_tokens SET last_used_at = ? WHERE account_id = ? AND id = ?",
                    params, "token");
}

// ---- OAuth ----

Result<std::pair<AccountId, OAuthIntegrationRow>> Store::FindOAuthIntegration(
    std::string_view client_id) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(client_id))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*c,
                                       "SELECT account_id, id, client_id, client_secret_hash, "
                                       "name, redirect_uri, created_by, created_at FROM "
                                       "oauth_integrations WHERE client_id = ?",
                                       params, "integration"));
  OAuthIntegrationRow row{sql::AsInt(r[1]),  sql::AsText(r[2]), sql::AsText(r[3]),
                          sql::AsText(r[4]), sql::AsText(r[5]), sql::AsInt(r[6]),
                          sql::AsInt(r[7])};
  return std::make_pair(sql::AsInt(r[0]), std::move(row));
}

Result<AccountId> Store::FindAccountOfOAuthRefresh(std::string_view token_hash,
                                                   std::int64_t now) const {
  sql::PooledConnection c = pool_->Acquire();
  Params params{Text(std::string(token_hash)), Int(now)};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*c,
                                       "SELECT account_id FROM oauth_refresh_tokens WHERE "
                                       "token_hash = ? AND revoked = 0 AND expires_at > ?",
                                       params, "refresh token"));
  return sql::AsInt(r[0]);
}

Result<std::int64_t> AccountWriter::CreateOAuthIntegration(const OAuthIntegrationRow& row) {
  Params params{Int(account_id_),
                Text(row.client_id),
                Text(row.client_secret_hash),
                Text(row.name),
                Text(row.redirect_uri),
                Int(row.created_by),
                Int(row.created_at != 0 ? row.created_at : Now())};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO oauth_integrations (account_id, client_id, "
                                    "client_secret_hash, name, redirect_uri, created_by, "
                                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

Status AccountWriter::CreateOAuthCode(const OAuthCodeRow& row) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(row.user_id));
  Params params{Text(row.code_hash), Int(account_id_),       Int(row.integration_id),
                Int(row.user_id),    Text(row.redirect_uri), Int(row.expires_at)};
  return fixed_
      ->Execute(
          "INSERT INTO oauth_codes (code_hash, account_id, integration_id, user_id, "
          "redirect_uri, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

Result<OAuthCodeRow> AccountWriter::ConsumeOAuthCode(std::string_view code_hash, std::int64_t now) {
  Params params{Int(account_id_), Text(std::string(code_hash))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*fixed_,
                                       "SELECT code_hash, integration_id, user_id, redirect_uri, "
                                       "expires_at, used FROM oauth_codes WHERE account_id = ? "
                                       "AND code_hash = ?",
                                       params, "authorization code"));
  OAuthCodeRow row{sql::AsText(r[0]), account_id_,      sql::AsInt(r[1]),     sql::AsInt(r[2]),
                   sql::AsText(r[3]), sql::AsInt(r[4]), sql::AsInt(r[5]) != 0};
  if (row.used) {
    return Status::Error(Code::kFailedPrecondition, "authorization code already used");
  }
  if (row.expires_at <= now) return Status::NotFound("authorization code not found");
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE oauth_codes SET used = 1 WHERE account_id = ? AND "
                                "code_hash = ? AND used = 0",
                                params, "authorization code"));
  row.used = true;
  return row;
}

Status AccountWriter::CreateOAuthRefresh(const OAuthRefreshRow& row) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(row.user_id));
  Params params{Text(row.token_hash), Int(account_id_),    Int(row.integration_id),
                Int(row.user_id),     Int(row.expires_at), Text(row.grant_id)};
  return fixed_
      ->Execute(
          "INSERT INTO oauth_refresh_tokens (token_hash, account_id, integration_id, "
          "user_id, expires_at, grant_id) VALUES (?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

Result<OAuthRefreshRow> AccountWriter::ConsumeOAuthRefresh(std::string_view token_hash,
                                                           std::int64_t now) {
  Params params{Int(account_id_), Text(std::string(token_hash))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*fixed_,
                                       "SELECT token_hash, integration_id, user_id, expires_at, "
                                       "revoked, grant_id FROM oauth_refresh_tokens WHERE "
                                       "account_id = ? AND token_hash = ?",
                                       params, "refresh token"));
  OAuthRefreshRow row{sql::AsText(r[0]), account_id_,           sql::AsInt(r[1]), sql::AsInt(r[2]),
                      sql::AsInt(r[3]),  sql::AsInt(r[4]) != 0, sql::AsText(r[5])};
  if (row.revoked || row.expires_at <= now) return Status::NotFound("refresh token not found");
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "UPDATE oauth_refresh_tokens SET revoked = 1 WHERE account_id = "
                                "? AND token_hash = ? AND revoked = 0",
                                params, "refresh token"));
  row.revoked = true;
  return row;
}

// ---- security settings and throttling ----

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

Status AccountWriter::LockJob(std::int32_t job) {
  if (fixed_->dialect() != sql::Dialect::kPostgres) return Status::Ok();
  // The two-key form: (job, account). Its key space is apart from the one-key form the
  // migrations lock.
  Params params{Int(job), Int(account_id_)};
  return fixed_
      ->Query("SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))", params)
      .status();
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

// ---- activity log ----

namespace {

constexpr std::string_view kEventColumns =
    "id, seq, created_at, actor_user_id, actor_ip, type, entity_type, entity_id, value_before, "
    "value_after, prev_hash, hash";

EventRow EventFromRow(const std::vector<Value>& r) {
  EventRow e;
  e.id = sql::AsText(r[0]);
  e.seq = sql::AsInt(r[1]);
  e.created_at = sql::AsInt(r[2]);
  e.actor_user_id = sql::AsInt(r[3]);
  e.actor_ip = sql::AsText(r[4]);
  e.type = sql::AsText(r[5]);
  e.entity_type = sql::AsText(r[6]);
  e.entity_id = sql::AsInt(r[7]);
  e.value_before_json = sql::AsText(r[8]);
  e.value_after_json = sql::AsText(r[9]);
  e.prev_hash = sql::AsText(r[10]);
  e.hash = sql::AsText(r[11]);
  return e;
}

}  // namespace

Result<std::vector<EventRow>> AccountReader::ListEvents(const EventQuery& q) const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<EventRow>> {
    std::string where = "account_id = ?";
    Params params{Int(account_id_)};
    if (q.actor_user_id != 0) {
      where += " AND actor_user_id = ?";
      params.push_back(Int(q.actor_user_id));
    }
    if (!q.types.empty()) {
      where += " AND type IN (";
      for (std::size_t i = 0; i < q.types.size(); ++i) {
        where += i == 0 ? "?" : ", ?";
        params.push_back(Text(q.types[i]));
      }
      where += ")";
    }
    if (!q.entity_type.empty()) {
      where += " AND entity_type = ?";
      params.push_back(Text(q.entity_type));
      if (q.entity_id != 0) {
        where += " AND entity_id = ?";
        params.push_back(Int(q.entity_id));
      }
    }
    if (q.created_at.from) {
      where += " AND created_at >= ?";
      params.push_back(Int(*q.created_at.from));
    }
    if (q.created_at.to) {
      where += " AND created_at <= ?";
      params.push_back(Int(*q.created_at.to));
    }
    // Exact text matches: the values are written by one serializer, so equal values are
    // equal texts, and both engines compare them the same way (no JSON functions needed).
    auto text_in = [&](std::string_view column, const std::vector<std::string>& values) {
      if (values.empty()) return;
      where += " AND " + std::string(column) + " IN (";
      for (std::size_t i = 0; i < values.size(); ++i) {
        where += i == 0 ? "?" : ", ?";
        params.push_back(Text(values[i]));
      }
      where += ")";
    };
    text_in("value_before", q.value_before);
    text_in("value_after", q.value_after);
    if (!q.before_id.empty()) {
      where += " AND id < ?";
      params.push_back(Text(q.before_id));
    }
    params.push_back(Int(std::clamp(q.limit, 1, kMaxPageLimit)));
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + std::string(kEventColumns) + " FROM events WHERE " +
                                    where + " ORDER BY id DESC LIMIT ?",
                                params));
    std::vector<EventRow> out;
    for (const auto& r : rows.rows) out.push_back(EventFromRow(r));
    return out;
  });
}

Result<std::optional<EventRow>> AccountReader::LastEvent() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::optional<EventRow>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        c.Query("SELECT " + std::string(kEventColumns) +
                                    " FROM events WHERE account_id = ? ORDER BY id DESC LIMIT 1",
                                params));
    if (rows.empty()) return std::optional<EventRow>();
    return std::optional<EventRow>(EventFromRow(rows.rows[0]));
  });
}

Result<EventRow> AccountReader::GetEvent(std::string_view id) const {
  return WithConnection([&](sql::Connection& c) -> Result<EventRow> {
    Params params{Int(account_id_), Text(std::string(id))};
    GH_ASSIGN_OR_RETURN(std::vector<Value> r,
                        QueryRow(c,
                                 "SELECT " + std::string(kEventColumns) +
                                     " FROM events WHERE account_id = ? AND id = ?",
                                 params, "event"));
    return EventFromRow(r);
  });
}

Status AccountReader::ScanEvents(const std::function<Status(std::span<const EventRow>)>& visit,
                                 int batch_size) const {
  return WithConnection([&](sql::Connection& c) -> Status {
    std::string after;
    const int n = std::clamp(batch_size, 1, 10000);
    for (;;) {
      Params params{Int(account_id_), Text(after), Int(n)};
      GH_ASSIGN_OR_RETURN(sql::Rows rows,
                          c.Query("SELECT " + std::string(kEventColumns) +
                                      " FROM events WHERE account_id = ? AND id > ? ORDER BY id "
                                      "LIMIT ?",
                                  params));
      std::vector<EventRow> events;
      for (const auto& r : rows.rows) events.push_back(EventFromRow(r));
      if (!events.empty()) GH_RETURN_IF_ERROR(visit(events));
      if (static_cast<int>(events.size()) < n) return Status::Ok();
      after = events.back().id;
    }
  });
}

Result<ChainReport> AccountReader::VerifyEventChain() const {
  return WithConnection([&](sql::Connection& c) -> Result<ChainReport> {
    ChainWalker walker(account_id_);
    constexpr int kBatch = 1000;
    std::int64_t after = 0;
    for (;;) {
      Params params{Int(account_id_), Int(after), Int(kBatch)};
      GH_ASSIGN_OR_RETURN(sql::Rows rows,
                          c.Query("SELECT " + std::string(kEventColumns) +
                                      " FROM events WHERE account_id = ? AND seq > ? ORDER BY "
                                      "seq LIMIT ?",
                                  params));
      for (const auto& r : rows.rows) walker.Visit(EventFromRow(r));
      if (rows.rows.size() < static_cast<std::size_t>(kBatch)) break;
      after = sql::AsInt(rows.rows.back()[1]);
    }
    Params account{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        std::vector<Value> head,
        QueryRow(c, "SELECT event_seq, event_head FROM accounts WHERE id = ?", account, "account"));
    GH_ASSIGN_OR_RETURN(
        sql::Rows legacy,
        c.Query("SELECT COUNT(*) FROM events WHERE account_id = ? AND seq IS NULL", account));
    ChainReport report = walker.Finish(sql::AsInt(head[0]), sql::AsText(head[1]));
    report.unchained = legacy.empty() ? 0 : sql::AsInt(legacy.rows[0][0]);
    return report;
  });
}

Status AccountWriter::AppendEvent(const EventRow& input) {
  if (input.id.empty() || input.type.empty()) {
    return Status::Invalid("an event needs an id and a type");
  }
  // Taking the next number locks the account row until commit: appenders of one account
  // queue here, so each links to the one before (see migrations/v006_event_chain.cc).
  Params account{Int(account_id_)};
  GH_ASSIGN_OR_RETURN(sql::Rows link,
                      fixed_->Query("UPDATE accounts SET event_seq = event_seq + 1 WHERE id = ? "
                                    "RETURNING event_seq, event_head",
                                    account));
  if (link.empty()) return Status::NotFound("account " + std::to_string(account_id_));
  EventRow e = input;
  e.seq = sql::AsInt(link.rows[0][0]);
  e.prev_hash = sql::AsText(link.rows[0][1]);
  e.hash = EventChainHash(account_id_, e);
  Params head{Text(e.hash), Int(account_id_)};
  GH_RETURN_IF_ERROR(
      fixed_->Execute("UPDATE accounts SET event_head = ? WHERE id = ?", head).status());
  Params params{Text(e.id),
                Int(e.seq),
                Int(account_id_),
                Int(e.created_at),
                Int(e.actor_user_id),
                Text(e.actor_ip),
                Text(e.type),
                Text(e.entity_type),
                Int(e.entity_id),
                Text(e.value_before_json),
                Text(e.value_after_json),
                Text(e.prev_hash),
                Text(e.hash)};
  return fixed_
      ->Execute(
          "INSERT INTO events (id, seq, account_id, created_at, actor_user_id, actor_ip, type, "
          "entity_type, entity_id, value_before, value_after, prev_hash, hash) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

Result<std::int64_t> AccountWriter::RevokeOAuthGrant(std::string_view grant_id) {
  if (grant_id.empty()) return std::int64_t{0};  // tokens from before grants were recorded
  MarkSecurityChanged();
  Params params{Int(account_id_), Text(std::string(grant_id))};
  GH_ASSIGN_OR_RETURN(std::int64_t tokens,
                      fixed_->Execute("UPDATE api_tokens SET revoked = 1 WHERE account_id = ? "
                                      "AND grant_id = ? AND revoked = 0",
                                      params));
  GH_ASSIGN_OR_RETURN(std::int64_t refresh,
                      fixed_->Execute("UPDATE oauth_refresh_tokens SET revoked = 1 WHERE "
                                      "account_id = ? AND grant_id = ? AND revoked = 0",
                                      params));
  return tokens + refresh;
}

}  // namespace gatehouse::storage
