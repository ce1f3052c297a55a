// Kommo's rights object on the wire (kommo-api-v4.md §5-§7), and the bodies of users and roles
// (read with BodyReader, body_reader.h).
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
#include "http/api/body_reader.h"
#include "service/admin/admin.h"
#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"

namespace gatehouse::http::api {

nlohmann::json UserRightsJson(const domain::User& user);
nlohmann::json RoleRightsJson(const domain::Rights& rights);

// Reads `rights` (the value of the member at `path`, normally "rights") into the matrix input
// and, when `flags` is non-null, the user fields (is_admin, is_free, is_active, group_id,
// role_id). Letters are passed on as sent (a non-string as its JSON text) for the policy's
// validation to judge; shape errors (an object expected, an integer expected) are appended to
// `errors`. Kommo's read-only members (catalog_rights, oper_day_*) are ignored; any other
// member (a user field in a role's rights too) is an UnknownField error.
void ParseRights(const nlohmann::json& rights, const std::string& path, service::RightsInput& out,
                 service::UserFlagsInput* flags, std::vector<base::FieldError>& errors);

// The user fields PATCH /api/v4/users/{id} (and POST) take at the top level: is_admin, is_free,
// is_active, group_id, role_id. They win over the same fields inside `rights` (Kommo's), and
// errors about group_id and role_id then point at the top-level names.
void ParseUserFlags(BodyReader& fields, service::UserFlagsInput& flags);

// What a user's and a role's GET renders that a client may send back unchanged: accepted on
// writes and ignored (BodyReader::RefuseUnread). A user's email cannot change once created.
inline constexpr std::string_view kUserReadOnly[] = {
    "id",         "email",  "uuid",      "amojo_id",           "user_rank",    "phone_number",
    "request_id", "_links", "_embedded", "two_factor_enabled", "last_login_at"};
inline constexpr std::string_view kRoleReadOnly[] = {"id", "request_id", "_links", "_embedded"};

// The body of PATCH /api/v4/users/{id} read by `fields`: name, lang, rights (with its user
// fields) and the top-level user fields; shape errors are appended to `errors`. The caller
// refuses what else the body holds (RefuseUnread, kUserReadOnly).
service::UserPatch ParseUserPatch(BodyReader& fields, std::vector<base::FieldError>& errors);
// The whole body of PATCH /api/v4/users/{id}: the same, and any other member but kUserReadOnly
// is an UnknownField error.
service::UserPatch ParseUserPatch(const nlohmann::json& body,
                                  std::vector<base::FieldError>& errors);

// One item of POST /api/v4/users: name, email and password (required), lang, rights (with its
// user fields) and the top-level user fields; request_id as RequestIdOf(item, index). Any other
// member but kUserReadOnly is an UnknownField error.
service::NewUserInput ParseNewUser(const nlohmann::json& item, std::size_t index,
                                   std::vector<base::FieldError>& errors);

// One role as POST /api/v4/roles and PATCH /api/v4/roles/{id} take it, read by `fields`: name
// and rights. The caller refuses what else the body holds (RefuseUnread, kRoleReadOnly).
void ParseRoleInput(BodyReader& fields, service::RoleInput& in,
                    std::vector<base::FieldError>& errors);
// A whole role body: the same, and any other member but kRoleReadOnly is an UnknownField error.
void ParseRoleInput(const nlohmann::json& item, service::RoleInput& in,
                    std::vector<base::FieldError>& errors);

}  // namespace gatehouse::http::api
