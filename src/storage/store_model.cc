// The account's security model: users, groups and roles (pipelines: store_pipelines.cc).
#include <algorithm>

#include "base/text.h"
#include "storage/rights_json.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

const std::string kUserColumns = "id, name, email, " + std::string(kUserAccessColumns) +
                                 ", lang, password_hash, totp_secret, totp_enabled, "
                                 "totp_last_step, recovery_codes_json, last_login_at, created_at, "
                                 "reactivated_at";

Result<UserRow> UserFromRow(const std::vector<Value>& row) {
  RowReader r(row);
  UserRow out;
  domain::User& u = out.user;
  u.id = r.Int();
  u.name = r.Text();
  u.email = r.Text();
  GH_RETURN_IF_ERROR(ReadUserAccess(r, u));
  out.lang = r.Text();
  out.password_hash = r.Text();
  out.totp_secret = r.Text();
  out.totp_enabled = r.Bool();
  out.totp_last_step = r.Int();
  GH_ASSIGN_OR_RETURN(out.recovery_code_hashes, StringsFromJson(r.Text()));
  out.last_login_at = r.Int();
  out.created_at = r.Int();
  out.reactivated_at = r.Int();
  return out;
}

}  // namespace

Status internal::ReadUserAccess(RowReader& row, domain::User& user) {
  user.is_admin = row.Bool();
  user.is_active = row.Bool();
  user.is_free = row.Bool();
  user.group_id = row.Int();
  if (std::optional<std::int64_t> role = row.OptionalInt()) user.role_id = *role;
  GH_ASSIGN_OR_RETURN(user.rights, RightsFromJson(row.Text()));
  return Status::Ok();
}

// ---- reads ----

Result<UserRow> AccountReader::GetUser(UserId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<UserRow> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(
        auto r,
        QueryRow(c, "SELECT " + kUserColumns + " FROM users WHERE account_id = ? AND id = ?",
                 params, "user"));
    return UserFromRow(r);
  });
}

Result<UserRow> AccountReader::FindUserByEmail(std::string_view email) const {
  return WithConnection([&](sql::Connection& c) -> Result<UserRow> {
    Params params{Int(account_id_), Text(base::AsciiLower(email))};
    GH_ASSIGN_OR_RETURN(
        auto r,
        QueryRow(c, "SELECT " + kUserColumns + " FROM users WHERE account_id = ? AND email_lc = ?",
                 params, "user"));
    return UserFromRow(r);
  });
}

Result<std::vector<UserRow>> AccountReader::ListUsers() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<UserRow>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT " + kUserColumns + " FROM users WHERE account_id = ? ORDER BY id", params));
    std::vector<UserRow> out;
    for (const auto& r : rows.rows) {
      GH_ASSIGN_OR_RETURN(UserRow row, UserFromRow(r));
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<std::vector<domain::Group>> AccountReader::ListGroups() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<domain::Group>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT id, name FROM user_groups WHERE account_id = ? ORDER BY id", params));
    std::vector<domain::Group> out;
    for (const auto& r : rows.rows) {
      RowReader row(r);
      out.push_back({.id = row.Int(), .name = row.Text()});
    }
    return out;
  });
}

Result<GroupId> AccountReader::DefaultGroupId() const {
  return WithConnection([&](sql::Connection& c) -> Result<GroupId> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        auto r, QueryRow(c, "SELECT id FROM user_groups WHERE account_id = ? AND is_default = 1",
                         params, "default group"));
    return sql::AsInt(r[0]);
  });
}

Result<std::vector<domain::Role>> AccountReader::ListRoles() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<domain::Role>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        c.Query("SELECT id, name, rights_json FROM roles WHERE account_id = ? ORDER BY id",
                params));
    std::vector<domain::Role> out;
    for (const auto& r : rows.rows) {
      RowReader row(r);
      domain::Role role{.id = row.Int(), .name = row.Text()};
      GH_ASSIGN_OR_RETURN(role.rights, RightsFromJson(row.Text()));
      out.push_back(std::move(role));
    }
    return out;
  });
}

Result<domain::AccountModel> AccountReader::LoadAccountModel() const {
  domain::AccountModel model{.id = account_id_};
  GH_ASSIGN_OR_RETURN(std::vector<UserRow> users, ListUsers());
  for (UserRow& row : users) model.users.push_back(std::move(row.user));
  GH_ASSIGN_OR_RETURN(model.groups, ListGroups());
  GH_ASSIGN_OR_RETURN(model.roles, ListRoles());
  GH_ASSIGN_OR_RETURN(model.pipelines, ListPipelines());
  GH_ASSIGN_OR_RETURN(
      sql::Rows fields, WithConnection([&](sql::Connection& c) {
        Params params{Int(account_id_)};
        return c.Query("SELECT entity_type, id FROM custom_fields WHERE account_id = ?", params);
      }));
  for (const auto& r : fields.rows) {
    if (auto data_set = domain::RecordDataSetFromName(sql::AsText(r[0]))) {
      model.custom_fields.emplace_back(*data_set, sql::AsInt(r[1]));
    }
  }
  std::sort(model.custom_fields.begin(), model.custom_fields.end());
  return model;
}

// ---- users ----

namespace {

Status CheckOwned(sql::Connection& c, std::string_view table, AccountId account, std::int64_t id,
                  std::string field, std::string_view what) {
  Params params{Int(account), Int(id)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT id FROM " + std::string(table) + " WHERE account_id = ? AND id = ?", params));
  if (rows.empty()) {
    return Status::InvalidField(
        std::move(field), "NotFound",
        std::string(what) + " " + std::to_string(id) + " does not exist in this account");
  }
  return Status::Ok();
}

Status ValidateUserRow(sql::Connection& c, AccountId account, const UserRow& row) {
  if (row.user.email.empty() || row.user.email.find('@') == std::string::npos) {
    return Status::InvalidField("email", "InvalidFormat", "email must be an e-mail address");
  }
  if (row.user.name.empty()) return Status::InvalidField("name", "Required", "name is required");
  GH_RETURN_IF_ERROR(CheckOwned(c, "user_groups", account, row.user.group_id, "group_id", "group"));
  if (row.user.role_id) {
    GH_RETURN_IF_ERROR(CheckOwned(c, "roles", account, *row.user.role_id, "role_id", "role"));
  }
  return Status::Ok();
}

Status EmailTaken(Status status, std::string_view email) {
  if (status.code() != Code::kAlreadyExists) return status;
  return Status::Error(Code::kAlreadyExists,
                       "a user with email " + std::string(email) + " already exists");
}

Params UserParams(const UserRow& row) {
  const domain::User& u = row.user;
  return Params{Text(u.name),
                Text(u.email),
                Text(base::AsciiLower(u.email)),
                Bool(u.is_admin),
                Bool(u.is_active),
                Bool(u.is_free),
                Int(u.group_id),
                u.role_id ? Int(*u.role_id) : Value{},
                Text(RightsToJson(u.rights)),
                Text(row.lang.empty() ? "en" : row.lang),
                Text(row.password_hash),
                Text(row.totp_secret),
                Bool(row.totp_enabled),
                Int(row.totp_last_step),
                Text(StringsToJson(row.recovery_code_hashes)),
                Int(row.last_login_at),
                Int(row.reactivated_at)};
}

}  // namespace

Result<UserId> AccountWriter::CreateUser(const UserRow& input) {
  MarkSecurityChanged();
  UserRow row = input;
  if (row.user.group_id == 0) {
    GH_ASSIGN_OR_RETURN(row.user.group_id, DefaultGroupId());
  }
  GH_RETURN_IF_ERROR(ValidateUserRow(*fixed_, account_id_, row));
  Params params = UserParams(row);
  params.push_back(Int(row.created_at != 0 ? row.created_at : Now()));
  params.push_back(Int(account_id_));
  auto inserted = fixed_->Query(
      "INSERT INTO users (name, email, email_lc, is_admin, is_active, is_free, group_id, "
      "role_id, rights_json, lang, password_hash, totp_secret, totp_enabled, totp_last_step, "
      "recovery_codes_json, last_login_at, reactivated_at, created_at, account_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      params);
  if (!inserted.ok()) return EmailTaken(inserted.status(), row.user.email);
  return sql::AsInt(inserted->rows.at(0).at(0));
}

Status AccountWriter::UpdateUser(const UserRow& row) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(ValidateUserRow(*fixed_, account_id_, row));
  Params params = UserParams(row);
  params.push_back(Int(account_id_));
  params.push_back(Int(row.user.id));
  auto changed = fixed_->Execute(
      "UPDATE users SET name = ?, email = ?, email_lc = ?, is_admin = ?, is_active = ?, "
      "is_free = ?, group_id = ?, role_id = ?, rights_json = ?, lang = ?, password_hash = ?, "
      "totp_secret = ?, totp_enabled = ?, totp_last_step = ?, recovery_codes_json = ?, "
      "last_login_at = ?, reactivated_at = ? WHERE account_id = ? AND id = ?",
      params);
  if (!changed.ok()) return EmailTaken(changed.status(), row.user.email);
  if (*changed == 0) return Status::NotFound("user not found");
  return Status::Ok();
}

Status AccountWriter::DeleteUser(UserId id) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(CheckOwnedUser(id));
  static constexpr std::string_view kOwned[] = {
      "SELECT COUNT(*) FROM leads WHERE account_id = ? AND responsible_user_id = ?",
      "SELECT COUNT(*) FROM contacts WHERE account_id = ? AND responsible_user_id = ?",
      "SELECT COUNT(*) FROM companies WHERE account_id = ? AND responsible_user_id = ?",
      "SELECT COUNT(*) FROM tasks WHERE account_id = ? AND responsible_user_id = ?",
      "SELECT COUNT(*) FROM incoming_leads WHERE account_id = ? AND responsible_user_id = ? "
      "AND state = 'pending'",
      "SELECT COUNT(*) FROM conversations WHERE account_id = ? AND responsible_user_id = ?",
      "SELECT COUNT(*) FROM customers WHERE account_id = ? AND responsible_user_id = ?"};
  Params params{Int(account_id_), Int(id)};
  for (std::string_view query : kOwned) {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, fixed_->Query(query, params));
    if (sql::AsInt(rows.rows.at(0).at(0)) != 0) {
      return Status::Error(base::Code::kFailedPrecondition,
                           "the user still owns records: reassign them first");
    }
  }
  static constexpr std::string_view kCleanup[] = {
      "UPDATE incoming_leads SET responsible_user_id = NULL WHERE account_id = ? AND "
      "responsible_user_id = ?",
      "DELETE FROM sessions WHERE account_id = ? AND user_id = ?",
      "DELETE FROM api_tokens WHERE account_id = ? AND user_id = ?",
      "DELETE FROM oauth_codes WHERE account_id = ? AND user_id = ?",
      "DELETE FROM oauth_refresh_tokens WHERE account_id = ? AND user_id = ?"};
  for (std::string_view statement : kCleanup) {
    GH_RETURN_IF_ERROR(fixed_->Execute(statement, params).status());
  }
  return ExecuteOne(*fixed_, "DELETE FROM users WHERE account_id = ? AND id = ?", params, "user");
}

Status AccountWriter::SetPasswordHash(UserId id, std::string_view hash) {
  Params params{Text(std::string(hash)), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "UPDATE users SET password_hash = ? WHERE account_id = ? AND id = ?",
                    params, "user");
}

Status AccountWriter::SetLastLogin(UserId id, std::int64_t at) {
  Params params{Int(at), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "UPDATE users SET last_login_at = ? WHERE account_id = ? AND id = ?",
                    params, "user");
}

Status AccountWriter::SetTwoFactor(UserId id, std::string_view secret, bool enabled,
                                   std::int64_t last_step,
                                   const std::vector<std::string>& recovery) {
  Params params{Text(std::string(secret)),     Bool(enabled),    Int(last_step),
                Text(StringsToJson(recovery)), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = ?, "
                    "recovery_codes_json = ? WHERE account_id = ? AND id = ?",
                    params, "user");
}

// ---- groups and roles ----

Result<GroupId> AccountWriter::CreateGroup(std::string_view name) {
  MarkSecurityChanged();
  if (name.empty()) return Status::InvalidField("name", "Required", "group name is required");
  Params params{Int(account_id_), Text(std::string(name)), Int(Now())};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO user_groups (account_id, name, created_at) "
                                    "VALUES (?, ?, ?) RETURNING id",
                                    params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

Status AccountWriter::RenameGroup(GroupId id, std::string_view name) {
  MarkSecurityChanged();
  if (name.empty()) return Status::InvalidField("name", "Required", "group name is required");
  Params params{Text(std::string(name)), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_, "UPDATE user_groups SET name = ? WHERE account_id = ? AND id = ?",
                    params, "group");
}

Status AccountWriter::DeleteGroup(GroupId id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(auto r, QueryRow(*fixed_,
                                       "SELECT is_default, (SELECT COUNT(*) FROM users u WHERE "
                                       "u.group_id = g.id) FROM user_groups g "
                                       "WHERE g.account_id = ? AND g.id = ?",
                                       params, "group"));
  if (sql::AsInt(r[0]) != 0) {
    return Status::Error(Code::kFailedPrecondition, "the default group cannot be deleted");
  }
  if (sql::AsInt(r[1]) != 0) {
    return Status::Error(Code::kFailedPrecondition,
                         "the group still has users; move them to another group first");
  }
  return ExecuteOne(*fixed_, "DELETE FROM user_groups WHERE account_id = ? AND id = ?", params,
                    "group");
}

Result<RoleId> AccountWriter::CreateRole(const domain::Role& role) {
  MarkSecurityChanged();
  if (role.name.empty()) return Status::InvalidField("name", "Required", "role name is required");
  Params params{Int(account_id_), Text(role.name), Text(RightsToJson(role.rights)), Int(Now())};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO roles (account_id, name, rights_json, "
                                    "created_at) VALUES (?, ?, ?, ?) RETURNING id",
                                    params));
  return sql::AsInt(rows.rows.at(0).at(0));
}

Status AccountWriter::UpdateRole(const domain::Role& role) {
  MarkSecurityChanged();
  if (role.name.empty()) return Status::InvalidField("name", "Required", "role name is required");
  const std::string rights = RightsToJson(role.rights);
  Params params{Text(role.name), Text(rights), Int(account_id_), Int(role.id)};
  GH_RETURN_IF_ERROR(ExecuteOne(
      *fixed_, "UPDATE roles SET name = ?, rights_json = ? WHERE account_id = ? AND id = ?", params,
      "role"));
  Params holders{Text(rights), Int(account_id_), Int(role.id)};
  return fixed_
      ->Execute("UPDATE users SET rights_json = ? WHERE account_id = ? AND role_id = ?", holders)
      .status();
}

Status AccountWriter::DeleteRole(RoleId id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(sql::Rows held,
                      fixed_->Query("SELECT COUNT(*) FROM users WHERE account_id = ? AND "
                                    "role_id = ?",
                                    params));
  if (sql::AsInt(held.rows.at(0).at(0)) != 0) {
    return Status::Error(Code::kFailedPrecondition,
                         "the role is held by users; move them to another role first");
  }
  return ExecuteOne(*fixed_, "DELETE FROM roles WHERE account_id = ? AND id = ?", params, "role");
}

}  // namespace gatehouse::storage
