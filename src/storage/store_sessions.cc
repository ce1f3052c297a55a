// Sessions, API tokens and OAuth (integrations, codes, refresh tokens, grants) of an account,
// and the lookups that find the account from a secret.
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

Status AccountWriter::CheckOwnedUser(UserId id) const {
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("SELECT id FROM users WHERE account_id = ? AND id = ?", params));
  if (!rows.empty()) return Status::Ok();
  return Status::InvalidField("user_id", "NotFound", "the user does not exist in this account");
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

// A table of secrets (sessions, API tokens): found by the hash of the secret in any account,
// listed per user within one.
template <typename Row>
struct SecretTable {
  std::string_view table;
  std::string_view columns;
  std::string_view order;  // of List
  std::string_view what;   // for kNotFound
  Row (*decode)(const std::vector<Value>&);

  Result<Row> Find(sql::Connection& c, std::string_view token_hash) const {
    Params params{Text(std::string(token_hash))};
    GH_ASSIGN_OR_RETURN(auto r, QueryRow(c,
                                         "SELECT " + std::string(columns) + " FROM " +
                                             std::string(table) + " WHERE token_hash = ?",
                                         params, what));
    return decode(r);
  }

  // The rows of `account`, of `user` (0: of every user).
  Result<std::vector<Row>> List(sql::Connection& c, AccountId account, UserId user) const {
    Params params{Int(account)};
    std::string clause = UserClause(user, params);
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + std::string(columns) + " FROM " +
                                                    std::string(table) + " WHERE account_id = ?" +
                                                    clause + " ORDER BY " + std::string(order),
                                                params));
    std::vector<Row> out;
    for (const auto& r : rows.rows) out.push_back(decode(r));
    return out;
  }
};

constexpr SecretTable<SessionRow> kSessions{"sessions", kSessionColumns, "last_seen_at DESC, id",
                                            "session", SessionFromRow};
constexpr SecretTable<ApiTokenRow> kTokens{"api_tokens", kTokenColumns, "id", "token",
                                           TokenFromRow};

}  // namespace

Result<SessionRow> Store::FindSession(std::string_view token_hash) const {
  sql::PooledConnection c = pool_->Acquire();
  return kSessions.Find(*c, token_hash);
}

Result<std::vector<SessionRow>> AccountReader::ListSessions(UserId user_id) const {
  return WithConnection(
      [&](sql::Connection& c) { return kSessions.List(c, account_id_, user_id); });
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
  return kTokens.Find(*c, token_hash);
}

Result<std::vector<ApiTokenRow>> AccountReader::ListApiTokens(UserId user_id) const {
  return WithConnection([&](sql::Connection& c) { return kTokens.List(c, account_id_, user_id); });
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
