#include "service/bootstrap.h"

#include <nlohmann/json.hpp>

#include "service/events.h"

namespace gatehouse::service {

base::Result<storage::AccountRow> CreateAccountWithAdmin(storage::Store& store,
                                                         const storage::NewAccount& account,
                                                         const NewAdmin& admin, std::int64_t now) {
  if (admin.email.find('@') == std::string::npos) {
    return base::Status::InvalidField("admin_email", "InvalidEmail",
                                      "the administrator's email must contain @");
  }
  GH_ASSIGN_OR_RETURN(storage::AccountRow created, store.CreateAccount(account));
  base::Status status = store.Write(created.id, [&](storage::AccountWriter& w) -> base::Status {
    GH_ASSIGN_OR_RETURN(domain::GroupId group, w.DefaultGroupId());
    const storage::UserRow row{
        .user = {.name = admin.name, .email = admin.email, .is_admin = true, .group_id = group},
        .password_hash = admin.password_hash,
        .created_at = now};
    GH_ASSIGN_OR_RETURN(domain::UserId id, w.CreateUser(row));
    const Caller system{.account_id = created.id, .client_ip = "local"};
    GH_RETURN_IF_ERROR(RecordEvent(
        w, system, now,
        {"account_created", "account", created.id, "[]",
         nlohmann::json::array({{{"account", {{"subdomain", created.subdomain}}}}}).dump()}));
    return RecordEvent(
        w, system, now,
        {"user_added", "user", id, "[]",
         nlohmann::json::array({{{"user", {{"email", admin.email}, {"is_admin", true}}}}}).dump()});
  });
  if (!status.ok()) return status;
  return created;
}

}  // namespace gatehouse::service
