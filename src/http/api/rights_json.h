// Kommo's rights object on the wire (kommo-api-v4.md §5-§7), and the body readers the admin
// resources share.
//
// Rendered user rights, exactly Kommo's keys plus our `incoming_leads` and tasks `view`:
//   {"leads": {"view","edit","add","delete","export"}, "contacts": {...}, "companies": {...},
//    "tasks": {"view","edit","delete"}, "incoming_leads": {"view","accept","decline"},
//    "mail_access", "catalog_access", "files_access",
//    "status_rights": [{"entity_type":"leads","pipeline_id","status_id",
//                       "rights":{"view","edit","delete"[,"export"]}}],
//    "catalog_rights": null, "custom_fields_rights": null,
//    "oper_day_reports_view_access": false, "oper_day_user_tracking": false,
//    "is_admin", "is_free", "is_active", "group_id", "role_id"}
// A role's rights are the same without the user fields (is_admin ... role_id) and the
// Kommo placeholders.
//
// Includes nlohmann/json: include from handler .cc files only (as http/json.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "service/admin.h"
#include "service/admin_settings.h"
#include "service/admin_users.h"

namespace gatehouse::http::api {

nlohmann::json UserRightsJson(const domain::User& user);
nlohmann::json RoleRightsJson(const domain::Rights& rights);

// Reads `rights` (the value of the member at `path`, normally "rights") into the matrix input
// and, when `flags` is non-null, the user fields (is_admin, is_free, is_active, group_id,
// role_id). Letters are passed on as sent (a non-string as its JSON text) for the policy's
// validation to judge; shape errors (an object expected, an integer expected) are appended to
// `errors`. Unknown members and Kommo's read-only ones (catalog_rights, custom_fields_rights,
// oper_day_*) are ignored.
void ParseRights(const nlohmann::json& rights, const std::string& path, service::RightsInput& out,
                 service::UserFlagsInput* flags, std::vector<base::FieldError>& errors);

class FieldReader;

// The user fields PATCH /api/v4/users/{id} (and POST) take at the top level: is_admin, is_free,
// is_active, group_id, role_id. They win over the same fields inside `rights` (Kommo's), and
// errors about group_id and role_id then point at the top-level names.
void ParseUserFlags(FieldReader& fields, service::UserFlagsInput& flags);

// The body of PATCH /api/v4/users/{id}: name, lang, rights (with its user fields) and the
// top-level user fields. Other members are ignored; shape errors are appended to `errors`.
service::UserPatch ParseUserPatch(const nlohmann::json& body,
                                  std::vector<base::FieldError>& errors);

// One item of POST /api/v4/users: name, email and password (required), lang, rights (with its
// user fields) and the top-level user fields; request_id as RequestIdOf(item, index).
service::NewUserInput ParseNewUser(const nlohmann::json& item, std::size_t index,
                                   std::vector<base::FieldError>& errors);

// One role as POST /api/v4/roles and PATCH /api/v4/roles/{id} take it: name and rights.
void ParseRoleInput(const nlohmann::json& item, service::RoleInput& in,
                    std::vector<base::FieldError>& errors);

// Reads typed members of one JSON object, collecting one error per mistyped member.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::vector<base::FieldError>& errors,
              std::string prefix = "")
      : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

  bool Has(std::string_view name) const;
  const nlohmann::json* Find(std::string_view name) const;
  std::optional<std::string> String(std::string_view name, bool required = false);
  std::optional<std::int64_t> Int(std::string_view name, bool required = false);
  std::optional<int> SmallInt(std::string_view name);  // fits int
  std::optional<bool> Bool(std::string_view name);
  // Absent: nullopt; null: an engaged empty optional; an integer: its value.
  std::optional<std::optional<std::int64_t>> NullableInt(std::string_view name);
  std::string Path(std::string_view name) const;

 private:
  void Error(std::string_view name, std::string code, std::string detail);
  const nlohmann::json& object_;
  std::vector<base::FieldError>& errors_;
  std::string prefix_;
};

// The items of a batch body: an array of objects, or one object (Kommo's docs and clients
// disagree, so both are accepted). kInvalidArgument (path "body") otherwise.
base::Result<std::vector<nlohmann::json>> BatchItems(const nlohmann::json& body);

// An item's request_id as a string (numbers are accepted), or its index when absent.
std::string RequestIdOf(const nlohmann::json& item, std::size_t index);

}  // namespace gatehouse::http::api
