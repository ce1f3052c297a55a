// Sessions, API tokens and OAuth (integrations, codes, refresh tokens, grants) of an account,
// and the lookups that find the account from a secret.
#include <array>

#include "storage/record_codec.h"
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

constexpr std::array kSessionFields{Field("id", &SessionRow::id),
                                    Field("token_hash", &SessionRow::token_hash),
                                    Field("account_id", &SessionRow::account_id),
                                    Field("user_id", &SessionRow::user_id),
                                    Field("ip", &SessionRow::ip),
                                    Field("user_agent", &SessionRow::user_agent),
                                    Field("location", &SessionRow::location),
                                    Field("second_factor_done", &SessionRow::second_factor_done),
                                    Field("created_at", &SessionRow::created_at),
                                    Field("last_seen_at", &SessionRow::last_seen_at),
                                    Field("expires_at", &SessionRow::expires_at)};
using SessionCodec = ColumnCodec<SessionRow, kSessionFields>;

// Every column but the id, account_id included: a token is found by its hash in any account.
constexpr std::array kTokenFields{Field("account_id", &ApiTokenRow::account_id),
                                  Field("user_id", &ApiTokenRow::user_id),
                                  Field("name", &ApiTokenRow::name),
                                  Field("token_hash", &ApiTokenRow::token_hash),
                                  Field("kind", &ApiTokenRow::kind),
                                  Field("integration_id", &ApiTokenRow::integration_id),
                                  Field("created_at", &ApiTokenRow::created_at),
                                  Field("expires_at", &ApiTokenRow::expires_at),
                                  Field("last_used_at", &ApiTokenRow::last_used_at),
                                  Field("revoked", &ApiTokenRow::revoked),
                                  Field("grant_id", &ApiTokenRow::grant_id)};
using TokenCodec = RowCodec<ApiTokenRow, kTokenFields>;

constexpr std::array kIntegrationFields{
    Field("client_id", &OAuthIntegrationRow::client_id),
    Field("client_secret_hash", &OAuthIntegrationRow::client_secret_hash),
    Field("name", &OAuthIntegrationRow::name),
    Field("redirect_uri", &OAuthIntegrationRow::redirect_uri),
    Field("created_by", &OAuthIntegrationRow::created_by),
    Field("created_at", &OAuthIntegrationRow::created_at)};
using IntegrationCodec = RowCodec<OAuthIntegrationRow, kIntegrationFields>;

constexpr std::array kCodeFields{Field("code_hash", &OAuthCodeRow::code_hash),
                                 Field("account_id", &OAuthCodeRow::account_id),
                                 Field("integration_id", &OAuthCodeRow::integration_id),
                                 Field("user_id", &OAuthCodeRow::user_id),
                                 Field("redirect_uri", &OAuthCodeRow::redirect_uri),
                                 Field("expires_at", &OAuthCodeRow::expires_at),
                                 Field("used", &OAuthCodeRow::used)};
using CodeCodec = ColumnCodec<OAuthCodeRow, kCodeFields>;

constexpr std::array kRefreshFields{Field("token_hash", &OAuthRefreshRow::token_hash),
                                    Field("account_id", &OAuthRefreshRow::account_id),
                                    Field("integration_id", &OAuthRefreshRow::integration_id),
                                    Field("user_id", &OAuthRefreshRow::user_id),
                                    Field("expires_at", &OAuthRefreshRow::expires_at),
                                    Field("revoked", &OAuthRefreshRow::revoked),
                                    Field("grant_id", &OAuthRefreshRow::grant_id)};
using RefreshCodec = ColumnCodec<OAuthRefreshRow, kRefreshFields>;

// An API token live at the time bound to its placeholder: neither revoked nor expired
// (expires_at 0: never). `revoked = 0` is written out, not bound, so that both engines may read
// the partial index api_tokens_live_by_integration (migration 23), whose WHERE it is.
constexpr std::string_view kLiveToken = "revoked = 0 AND (expires_at = 0 OR expires_at > ?)";

// Optional "AND user_id = ?" for user 0 = everyone.
std::string UserClause(UserId user_id, Params& params) {
  if (user_id == 0) return "";
  params.push_back(Int(user_id));
  return " AND user_id = ?";
}

// A table of secrets (sessions, API tokens): found by the hash of the secret in any account,
// listed per user within one.
template <typename Codec>
struct SecretTable {
  using Row = typename Codec::Row;
  std::string_view table;
  std::string_view order;  // of List
  std::string_view what;   // for kNotFound

  Result<Row> Find(sql::Connection& c, std::string_view token_hash) const {
    Params params{Text(std::string(token_hash))};
    GH_ASSIGN_OR_RETURN(auto r, QueryRow(c,
                                         "SELECT " + Codec::Columns() + " FROM " +
                                             std::string(table) + " WHERE token_hash = ?",
                                         params, what));
    return Codec::FromRow(r);
  }

  // The rows of `account`, of `user` (0: of every user).
  Result<std::vector<Row>> List(sql::Connection& c, AccountId account, UserId user) const {
    Params params{Int(account)};
    std::string clause = UserClause(user, params);
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + Codec::Columns() + " FROM " +
                                                    std::string(table) + " WHERE account_id = ?" +
                                                    clause + " ORDER BY " + std::string(order),
                                                params));
    std::vector<Row> out;
    for (const auto& r : rows.rows) out.push_back(Codec::FromRow(r));
    return out;
  }
};

constexpr SecretTable<SessionCodec> kSessions{"sessions", "last_seen_at DESC, id", "session"};
constexpr SecretTable<TokenCodec> kTokens{"api_tokens", "id", "token"};

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
  SessionRow row = s;
  row.account_id = account_id_;
  return InsertColumns<SessionCodec>(*fixed_, "sessions", row);
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

// The live tokens are chosen by the database: an account keeps every access token its
// integrations were ever issued (one a day each), and those expired are never read back.
Result<std::vector<ApiTokenRow>> AccountReader::ListLiveApiTokens(
    std::int64_t now, const LiveTokenFilter& filter) const {
  Where where{.params = {Int(account_id_), Int(now)}};
  where.Add("user_id = ?", filter.user_id != 0, Int(filter.user_id));
  where.Add("kind = ?", filter.personal_only, Text("long_lived"));
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<ApiTokenRow>> {
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT " + TokenCodec::Columns() + " FROM api_tokens WHERE account_id = ? AND " +
                    std::string(kLiveToken) + where.sql + " ORDER BY id",
                where.params));
    return TokenCodec::FromRows(rows);
  });
}

Result<ApiTokenRow> AccountReader::GetApiToken(std::int64_t id) const {
  return WithConnection([&](sql::Connection& c) -> Result<ApiTokenRow> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(auto r, QueryRow(c,
                                         "SELECT " + TokenCodec::Columns() +
                                             " FROM api_tokens WHERE account_id = ? AND id = ?",
                                         params, "token"));
    return TokenCodec::FromRow(r);
  });
}

Result<std::int64_t> AccountWriter::CreateApiToken(const ApiTokenRow& t) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(t.user_id));
  ApiTokenRow row = t;
  row.account_id = account_id_;
  if (row.created_at == 0) row.created_at = Now();
  Params params;
  TokenCodec::Append(row, params);
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      fixed_->Query("INSERT INTO api_tokens (" + ColumnNames(TokenCodec::kFields) + ") VALUES " +
                        Tuple(static_cast<int>(kTokenFields.size())) + " RETURNING id",
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
                                       "SELECT account_id, " + IntegrationCodec::Columns() +
                                           " FROM oauth_integrations WHERE client_id = ?",
                                       params, "integration"));
  return std::make_pair(sql::AsInt(r[0]), IntegrationCodec::FromRow(r, 1));
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
  OAuthIntegrationRow integration = row;
  if (integration.created_at == 0) integration.created_at = Now();
  GH_ASSIGN_OR_RETURN(integration, InsertRow<IntegrationCodec>(*fixed_, "oauth_integrations",
                                                               account_id_, integration));
  return integration.id;
}

namespace {

// The integrations of `account` (only `id` unless it is 0) by id, each with the number of its
// access tokens live at `now`. The count is a subquery so one statement answers the whole list;
// it reads the index of migration 23 alone. kLiveToken's unqualified columns are t's, the
// innermost table that has them.
Result<std::vector<OAuthIntegrationUse>> IntegrationUses(sql::Connection& c, AccountId account,
                                                         std::int64_t id, std::int64_t now) {
  Where where{.params = {Int(now), Int(account)}};
  where.Add("i.id = ?", id != 0, Int(id));
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT " + IntegrationCodec::Columns("i") +
                  ", (SELECT COUNT(*) FROM api_tokens t WHERE t.account_id = i.account_id "
                  "AND t.integration_id = i.id AND " +
                  std::string(kLiveToken) + ") FROM oauth_integrations i WHERE i.account_id = ?" +
                  where.sql + " ORDER BY i.id",
              where.params));
  std::vector<OAuthIntegrationUse> out;
  for (const auto& r : rows.rows) {
    out.push_back({.integration = IntegrationCodec::FromRow(r),
                   .active_tokens = sql::AsInt(r.at(kIntegrationFields.size() + 1))});
  }
  return out;
}

}  // namespace

Result<std::vector<OAuthIntegrationUse>> AccountReader::ListOAuthIntegrations(
    std::int64_t now) const {
  return WithConnection(
      [&](sql::Connection& c) { return IntegrationUses(c, account_id_, 0, now); });
}

Result<OAuthIntegrationUse> AccountReader::GetOAuthIntegration(std::int64_t id,
                                                               std::int64_t now) const {
  if (id <= 0) return Status::NotFound("integration not found");
  return WithConnection([&](sql::Connection& c) -> Result<OAuthIntegrationUse> {
    GH_ASSIGN_OR_RETURN(std::vector<OAuthIntegrationUse> found,
                        IntegrationUses(c, account_id_, id, now));
    if (found.empty()) return Status::NotFound("integration not found");
    return std::move(found.front());
  });
}

// Explicit statements rather than the foreign keys' cascade: access tokens have no foreign key
// to their integration and must stay (revoked) for the tokens' history, and the revocation must
// mark the security state changed, as every revocation does. Every unrevoked token is revoked,
// the expired ones too; they are found through the index of migration 23.
Result<std::int64_t> AccountWriter::DeleteOAuthIntegration(std::int64_t id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(std::int64_t revoked,
                      fixed_->Execute("UPDATE api_tokens SET revoked = 1 WHERE account_id = ? "
                                      "AND integration_id = ? AND revoked = 0",
                                      params));
  GH_RETURN_IF_ERROR(
      fixed_
          ->Execute("DELETE FROM oauth_refresh_tokens WHERE account_id = ? AND integration_id = ?",
                    params)
          .status());
  GH_RETURN_IF_ERROR(
      fixed_->Execute("DELETE FROM oauth_codes WHERE account_id = ? AND integration_id = ?", params)
          .status());
  // Missing (or another account's): kNotFound, and Write rolls back the statements above.
  GH_RETURN_IF_ERROR(ExecuteOne(*fixed_,
                                "DELETE FROM oauth_integrations WHERE account_id = ? AND id = ?",
                                params, "integration"));
  return revoked;
}

Status AccountWriter::CreateOAuthCode(const OAuthCodeRow& row) {
  GH_RETURN_IF_ERROR(CheckOwnedUser(row.user_id));
  OAuthCodeRow code = row;
  code.account_id = account_id_;
  return InsertColumns<CodeCodec>(*fixed_, "oauth_codes", code);
}

Result<OAuthCodeRow> AccountWriter::ConsumeOAuthCode(std::string_view code_hash, std::int64_t now) {
  Params params{Int(account_id_), Text(std::string(code_hash))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*fixed_,
                                       "SELECT " + CodeCodec::Columns() +
                                           " FROM oauth_codes WHERE account_id = ? AND "
                                           "code_hash = ?",
                                       params, "authorization code"));
  OAuthCodeRow row = CodeCodec::FromRow(r);
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
  OAuthRefreshRow refresh = row;
  refresh.account_id = account_id_;
  return InsertColumns<RefreshCodec>(*fixed_, "oauth_refresh_tokens", refresh);
}

Result<OAuthRefreshRow> AccountWriter::ConsumeOAuthRefresh(std::string_view token_hash,
                                                           std::int64_t now) {
  Params params{Int(account_id_), Text(std::string(token_hash))};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*fixed_,
                                       "SELECT " + RefreshCodec::Columns() +
                                           " FROM oauth_refresh_tokens WHERE account_id = ? AND "
                                           "token_hash = ?",
                                       params, "refresh token"));
  OAuthRefreshRow row = RefreshCodec::FromRow(r);
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

// ---- housekeeping ----

namespace {

// One table the sweep deletes from: the rows of `table` whose key `key` its `condition` selects
// (a WHERE over the table's own columns, with placeholders bound to `params`).
struct PrunedTable {
  std::string_view table;
  std::string_view key;
  std::string condition;
  Params params;
  std::int64_t PrunedCredentials::*count;
};

// A used code stays while a token of its grant (grant_id: the code's hash) is live. The
// unqualified columns of kLiveToken are the innermost table's, t's.
std::string PrunableCode() {
  return "expires_at <= ? AND (used = 0 OR (NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens r "
         "WHERE r.account_id = c.account_id AND r.grant_id = c.code_hash AND r.revoked = 0 AND "
         "r.expires_at > ?) AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.account_id = "
         "c.account_id AND t.grant_id = c.code_hash AND " +
         std::string(kLiveToken) + ")))";
}

std::vector<PrunedTable> PrunedTables(const CredentialPruning& p) {
  const std::int64_t now = p.now;
  std::vector<PrunedTable> tables;
  tables.push_back({"sessions", "id", "expires_at <= ?", {Int(now)}, &PrunedCredentials::sessions});
  tables.push_back({"oauth_refresh_tokens",
                    "token_hash",
                    "revoked <> 0 OR expires_at <= ?",
                    {Int(now)},
                    &PrunedCredentials::oauth_refresh_tokens});
  tables.push_back({"oauth_codes",
                    "code_hash",
                    PrunableCode(),
                    {Int(now), Int(now), Int(now)},
                    &PrunedCredentials::oauth_codes});
  tables.push_back({"api_tokens",
                    "id",
                    "expires_at <> 0 AND expires_at <= ?",
                    {Int(now - p.token_retention_seconds)},
                    &PrunedCredentials::api_tokens});
  return tables;
}

}  // namespace

Result<PrunedCredentials> Store::PruneExpiredCredentials(const CredentialPruning& pruning) {
  if (pruning.batch_rows <= 0 || pruning.token_retention_seconds < 0) {
    return Status::Internal("pruning credentials: batch_rows must be > 0, the retention >= 0");
  }
  PrunedCredentials out;
  for (PrunedTable& t : PrunedTables(pruning)) {
    // The key's IN (a LIMITed SELECT): DELETE ... LIMIT is neither PostgreSQL's nor in every
    // SQLite build. The alias c is the codes' correlated subqueries' name for the row.
    const std::string sql = "DELETE FROM " + std::string(t.table) + " WHERE " + std::string(t.key) +
                            " IN (SELECT c." + std::string(t.key) + " FROM " +
                            std::string(t.table) + " c WHERE " + t.condition + " LIMIT ?)";
    t.params.push_back(Int(pruning.batch_rows));
    std::int64_t deleted = 0;
    do {
      GH_RETURN_IF_ERROR(RunTransaction([&](sql::Connection& c) -> Status {
        GH_ASSIGN_OR_RETURN(deleted, c.Execute(sql, t.params));
        return Status::Ok();
      }));
      out.*t.count += deleted;
    } while (deleted == pruning.batch_rows);
  }
  return out;
}

}  // namespace gatehouse::storage
