// The account's security model: users, groups, roles, pipelines and stages.
#include <algorithm>
#include <cctype>
#include <map>

#include "storage/rights_json.h"
#include "storage/store.h"
#include "storage/store_internal.h"

namespace gatehouse::storage {

using base::Code;
using base::Result;
using base::Status;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::string_view kUserColumns =
    "id, name, email, is_admin, is_active, is_free, group_id, role_id, rights_json, lang, "
    "password_hash, totp_secret, totp_enabled, totp_last_step, recovery_codes_json, "
    "last_login_at, created_at, reactivated_at";

Result<UserRow> UserFromRow(const std::vector<Value>& r) {
  UserRow row;
  domain::User& u = row.user;
  u.id = sql::AsInt(r[0]);
  u.name = sql::AsText(r[1]);
  u.email = sql::AsText(r[2]);
  u.is_admin = sql::AsInt(r[3]) != 0;
  u.is_active = sql::AsInt(r[4]) != 0;
  u.is_free = sql::AsInt(r[5]) != 0;
  u.group_id = sql::AsInt(r[6]);
  if (!sql::IsNull(r[7])) u.role_id = sql::AsInt(r[7]);
  GH_ASSIGN_OR_RETURN(u.rights, RightsFromJson(sql::AsText(r[8])));
  row.lang = sql::AsText(r[9]);
  row.password_hash = sql::AsText(r[10]);
  row.totp_secret = sql::AsText(r[11]);
  row.totp_enabled = sql::AsInt(r[12]) != 0;
  row.totp_last_step = sql::AsInt(r[13]);
  GH_ASSIGN_OR_RETURN(row.recovery_code_hashes, StringsFromJson(sql::AsText(r[14])));
  row.last_login_at = sql::AsInt(r[15]);
  row.created_at = sql::AsInt(r[16]);
  row.reactivated_at = sql::AsInt(r[17]);
  return row;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// ---- reads ----

Result<UserRow> AccountReader::GetUser(UserId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<UserRow> {
    Params params{Int(account_id_), Int(id)};
    GH_ASSIGN_OR_RETURN(auto r, QueryRow(c,
                                         "SELECT " + std::string(kUserColumns) +
                                             " FROM users WHERE account_id = ? AND id = ?",
                                         params, "user"));
    return UserFromRow(r);
  });
}

Result<UserRow> AccountReader::FindUserByEmail(std::string_view email) const {
  return WithConnection([&](sql::Connection& c) -> Result<UserRow> {
    Params params{Int(account_id_), Text(Lower(email))};
    GH_ASSIGN_OR_RETURN(auto r, QueryRow(c,
                                         "SELECT " + std::string(kUserColumns) +
                                             " FROM users WHERE account_id = ? AND email_lc = ?",
                                         params, "user"));
    return UserFromRow(r);
  });
}

Result<std::vector<UserRow>> AccountReader::ListUsers() const {
  return WithConnection([&](sql::Connection& c) -> Result<std::vector<UserRow>> {
    Params params{Int(account_id_)};
    GH_ASSIGN_OR_RETURN(sql::Rows rows, c.Query("SELECT " + std::string(kUserColumns) +
                                                    " FROM users WHERE account_id = ? ORDER BY id",
                                                params));
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
    for (const auto& r : rows.rows) out.push_back({sql::AsInt(r[0]), sql::AsText(r[1])});
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
      GH_ASSIGN_OR_RETURN(domain::Rights rights, RightsFromJson(sql::AsText(r[2])));
      out.push_back({sql::AsInt(r[0]), sql::AsText(r[1]), std::move(rights)});
    }
    return out;
  });
}

namespace {

Result<std::vector<domain::Pipeline>> LoadPipelines(sql::Connection& c, AccountId account,
                                                    PipelineId only) {
  std::string where = "account_id = ?";
  Params params{Int(account)};
  if (only != 0) {
    where += " AND id = ?";
    params.push_back(Int(only));
  }
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("SELECT id, name, sort, is_main FROM pipelines WHERE " + where + " ORDER BY sort, id",
              params));
  std::vector<domain::Pipeline> out;
  std::map<PipelineId, std::size_t> index;
  for (const auto& r : rows.rows) {
    index[sql::AsInt(r[0])] = out.size();
    out.push_back({sql::AsInt(r[0]),
                   sql::AsText(r[1]),
                   static_cast<int>(sql::AsInt(r[2])),
                   sql::AsInt(r[3]) != 0,
                   {}});
  }
  std::string stage_where = "account_id = ?";
  Params stage_params{Int(account)};
  if (only != 0) {
    stage_where += " AND pipeline_id = ?";
    stage_params.push_back(Int(only));
  }
  GH_ASSIGN_OR_RETURN(sql::Rows stages,
                      c.Query("SELECT pipeline_id, status_id, name, sort, type FROM statuses "
                              "WHERE " +
                                  stage_where + " ORDER BY pipeline_id, sort, status_id",
                              stage_params));
  for (const auto& r : stages.rows) {
    auto it = index.find(sql::AsInt(r[0]));
    if (it == index.end()) continue;
    out[it->second].stages.push_back({sql::AsInt(r[1]), sql::AsText(r[2]),
                                      static_cast<int>(sql::AsInt(r[3])),
                                      static_cast<int>(sql::AsInt(r[4]))});
  }
  return out;
}

}  // namespace

Result<std::vector<domain::Pipeline>> AccountReader::ListPipelines() const {
  return WithConnection([&](sql::Connection& c) { return LoadPipelines(c, account_id_, 0); });
}

Result<domain::Pipeline> AccountReader::GetPipeline(PipelineId id) const {
  return WithConnection([&](sql::Connection& c) -> Result<domain::Pipeline> {
    if (id == 0) return Status::NotFound("pipeline not found");
    GH_ASSIGN_OR_RETURN(auto pipelines, LoadPipelines(c, account_id_, id));
    if (pipelines.empty()) return Status::NotFound("pipeline not found");
    return std::move(pipelines.front());
  });
}

Result<domain::AccountModel> AccountReader::LoadAccountModel() const {
  domain::AccountModel model;
  model.id = account_id_;
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
                Text(Lower(u.email)),
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

// ---- pipelines and stages ----

namespace {

Result<StatusId> NewStatusId(sql::Connection& c, AccountId account) {
  Params params{Int(account)};
  GH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      c.Query("INSERT INTO stage_ids (account_id) VALUES (?) RETURNING id", params));
  // Offset keeps generated ids clear of the shared closing stages 142 and 143.
  return 1000 + sql::AsInt(rows.rows.at(0).at(0));
}

Status InsertStatus(sql::Connection& c, AccountId account, PipelineId pipeline,
                    const domain::Stage& stage) {
  Params params{Int(account),     Int(pipeline),   Int(stage.id),
                Text(stage.name), Int(stage.sort), Int(stage.type)};
  return c
      .Execute(
          "INSERT INTO statuses (account_id, pipeline_id, status_id, name, sort, type) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

Status RequireName(std::string_view name, std::string field) {
  if (!name.empty()) return Status::Ok();
  return Status::InvalidField(std::move(field), "Required", "name is required");
}

}  // namespace

Result<domain::Pipeline> AccountWriter::CreatePipeline(std::string_view name, int sort,
                                                       bool is_main,
                                                       const std::vector<domain::Stage>& stages) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  Params count_params{Int(account_id_)};
  GH_ASSIGN_OR_RETURN(sql::Rows count, fixed_->Query("SELECT COUNT(*) FROM pipelines WHERE "
                                                     "account_id = ?",
                                                     count_params));
  const std::int64_t existing = sql::AsInt(count.rows.at(0).at(0));
  if (existing >= 50) {
    return Status::Error(Code::kFailedPrecondition, "an account has at most 50 pipelines");
  }
  if (stages.size() > 97) {
    return Status::InvalidField("_embedded.statuses", "TooMany",
                                "a pipeline has at most 100 stages, system stages included");
  }
  if (existing == 0) is_main = true;
  if (is_main) {
    GH_RETURN_IF_ERROR(
        fixed_->Execute("UPDATE pipelines SET is_main = 0 WHERE account_id = ?", count_params)
            .status());
  }
  Params params{Int(account_id_), Text(std::string(name)), Int(sort), Bool(is_main), Int(Now())};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      fixed_->Query("INSERT INTO pipelines (account_id, name, sort, is_main, "
                                    "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    params));
  const PipelineId id = sql::AsInt(rows.rows.at(0).at(0));
  std::vector<domain::Stage> all;
  GH_ASSIGN_OR_RETURN(StatusId incoming, NewStatusId(*fixed_, account_id_));
  all.push_back({incoming, "Incoming leads", 10, domain::kStageTypeIncoming});
  for (std::size_t i = 0; i < stages.size(); ++i) {
    GH_RETURN_IF_ERROR(
        RequireName(stages[i].name, "_embedded.statuses." + std::to_string(i) + ".name"));
    GH_ASSIGN_OR_RETURN(StatusId status_id, NewStatusId(*fixed_, account_id_));
    all.push_back({status_id, stages[i].name,
                   stages[i].sort != 0 ? stages[i].sort : 20 + 10 * static_cast<int>(i),
                   domain::kStageTypeNormal});
  }
  all.push_back({domain::kWonStatusId, "Closed - won", 10000, domain::kStageTypeNormal});
  all.push_back({domain::kLostStatusId, "Closed - lost", 11000, domain::kStageTypeNormal});
  for (const domain::Stage& stage : all) {
    GH_RETURN_IF_ERROR(InsertStatus(*fixed_, account_id_, id, stage));
  }
  return GetPipeline(id);
}

Status AccountWriter::UpdatePipeline(PipelineId id, std::string_view name, int sort, bool is_main) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  if (is_main) {
    Params clear{Int(account_id_)};
    GH_RETURN_IF_ERROR(
        fixed_->Execute("UPDATE pipelines SET is_main = 0 WHERE account_id = ?", clear).status());
  }
  Params params{Text(std::string(name)), Int(sort), Bool(is_main), Int(account_id_), Int(id)};
  return ExecuteOne(*fixed_,
                    "UPDATE pipelines SET name = ?, sort = ?, is_main = ? WHERE account_id = ? "
                    "AND id = ?",
                    params, "pipeline");
}

Status AccountWriter::DeletePipeline(PipelineId id) {
  MarkSecurityChanged();
  Params params{Int(account_id_), Int(id)};
  GH_ASSIGN_OR_RETURN(
      auto r, QueryRow(*fixed_,
                       "SELECT (SELECT COUNT(*) FROM pipelines WHERE account_id = p.account_id), "
                       "(SELECT COUNT(*) FROM leads l WHERE l.account_id = p.account_id AND "
                       "l.pipeline_id = p.id), "
                       "(SELECT COUNT(*) FROM incoming_leads i WHERE i.account_id = "
                       "p.account_id AND i.pipeline_id = p.id) "
                       "FROM pipelines p WHERE p.account_id = ? AND p.id = ?",
                       params, "pipeline"));
  if (sql::AsInt(r[0]) <= 1) {
    return Status::Error(Code::kFailedPrecondition, "the last pipeline cannot be deleted");
  }
  if (sql::AsInt(r[1]) + sql::AsInt(r[2]) != 0) {
    return Status::Error(Code::kFailedPrecondition,
                         "the pipeline still has leads; move or delete them first");
  }
  return ExecuteOne(*fixed_, "DELETE FROM pipelines WHERE account_id = ? AND id = ?", params,
                    "pipeline");
}

Result<StatusId> AccountWriter::AddStage(PipelineId pipeline_id, std::string_view name, int sort) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, GetPipeline(pipeline_id));
  if (pipeline.stages.size() >= 100) {
    return Status::Error(Code::kFailedPrecondition, "a pipeline has at most 100 stages");
  }
  GH_ASSIGN_OR_RETURN(StatusId id, NewStatusId(*fixed_, account_id_));
  GH_RETURN_IF_ERROR(InsertStatus(*fixed_, account_id_, pipeline_id,
                                  {id, std::string(name), sort, domain::kStageTypeNormal}));
  return id;
}

Status AccountWriter::UpdateStage(PipelineId pipeline_id, StatusId status_id, std::string_view name,
                                  int sort) {
  MarkSecurityChanged();
  GH_RETURN_IF_ERROR(RequireName(name, "name"));
  Params params{Text(std::string(name)), Int(sort), Int(account_id_), Int(pipeline_id),
                Int(status_id)};
  return ExecuteOne(*fixed_,
                    "UPDATE statuses SET name = ?, sort = ? WHERE account_id = ? AND "
                    "pipeline_id = ? AND status_id = ?",
                    params, "stage");
}

Status AccountWriter::DeleteStage(PipelineId pipeline_id, StatusId status_id) {
  MarkSecurityChanged();
  GH_ASSIGN_OR_RETURN(domain::Pipeline pipeline, GetPipeline(pipeline_id));
  const domain::Stage* target = nullptr;
  const domain::Stage* first_other = nullptr;
  for (const domain::Stage& stage : pipeline.stages) {
    if (stage.id == status_id) target = &stage;
    const bool working = stage.type == domain::kStageTypeNormal &&
                         stage.id != domain::kWonStatusId && stage.id != domain::kLostStatusId;
    if (working && stage.id != status_id && first_other == nullptr) first_other = &stage;
  }
  if (target == nullptr) return Status::NotFound("stage not found");
  if (target->type == domain::kStageTypeIncoming || status_id == domain::kWonStatusId ||
      status_id == domain::kLostStatusId) {
    return Status::Error(Code::kFailedPrecondition, "system stages cannot be deleted");
  }
  if (first_other == nullptr) {
    return Status::Error(Code::kFailedPrecondition, "a pipeline keeps at least one working stage");
  }
  Params move{Int(first_other->id), Int(Now()), Int(account_id_), Int(pipeline_id), Int(status_id)};
  // The lead totals move by the rows this UPDATE actually changed (RETURNING).
  GH_ASSIGN_OR_RETURN(sql::Rows moved,
                      fixed_->Query("UPDATE leads SET status_id = ?, updated_at = ? WHERE "
                                    "account_id = ? AND pipeline_id = ? AND status_id = ? "
                                    "RETURNING COALESCE(responsible_user_id, 0), price",
                                    move));
  for (const auto& row : moved.rows) {
    const UserId responsible = sql::AsInt(row[0]);
    CountLeadCell({pipeline_id, status_id, responsible}, -1, sql::AsInt(row[1]));
    CountLeadCell({pipeline_id, first_other->id, responsible}, +1, sql::AsInt(row[1]));
  }
  Params params{Int(account_id_), Int(pipeline_id), Int(status_id)};
  return ExecuteOne(*fixed_,
                    "DELETE FROM statuses WHERE account_id = ? AND pipeline_id = ? AND "
                    "status_id = ?",
                    params, "stage");
}

}  // namespace gatehouse::storage
