// POST /api/v4/security/impact (SPEC §6 Impact preview): administrators only. The body names
// one proposed change, read by the same readers as the save it previews:
//   {"user_id": U, ...the body of PATCH /api/v4/users/U...}   (rights, role_id, group_id,
//                                                              is_admin, is_free, is_active)
//   {"role_id": R, ...the body of PATCH /api/v4/roles/R...}   (rights; name)
// user_id decides: with it, a top-level role_id is the role assigned to the user, as in the
// PATCH. Renders service::ImpactReport:
//   {"affected_users": [{"user_id", "name", "changes": [{"data_set", "action", "level_before",
//     "level_after", "gain", "lose"}], "field_changes": [{"data_set", "field_id", "field_name",
//     "view_before", "view_after", "edit_before", "edit_after"}]}],
//    "summary": {"users", "gain", "lose", "field_changes"},
//    "rights": {...}, "_links": {"self": {"href"}}}
// `rights` is the edited user's (or role's) rights as the save would store them, validated and
// normalized, in the shape GET /api/v4/users/{id} (roles/{id}) renders them, so an editor can
// show the levels the server will keep (a hand edit also shows role_id null: detached).
// gain and lose are null for the actions reported as a level change only (add, accept,
// decline). Nothing is saved.
#include "http/api/admin/admin_routes.h"
#include "http/api/admin/rights_json.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/security/impact.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

constexpr std::string_view kPath = "/api/v4/security/impact";

json CountJson(const std::optional<std::int64_t>& count) {
  return count ? json(*count) : json(nullptr);
}

// A field right as custom_fields_rights spells it (API.md): "A" allowed, "D" denied.
const char* Letter(bool allowed) { return allowed ? "A" : "D"; }

json ReportJson(const Request& request, const service::ImpactReport& report) {
  json users = json::array();
  for (const service::UserImpact& user : report.users) {
    json changes = json::array();
    for (const service::ImpactChange& c : user.changes) {
      changes.push_back({{"data_set", domain::DataSetName(c.data_set)},
                         {"action", domain::ActionName(c.action)},
                         {"level_before", std::string(1, domain::LevelLetter(c.level_before))},
                         {"level_after", std::string(1, domain::LevelLetter(c.level_after))},
                         {"gain", CountJson(c.gain)},
                         {"lose", CountJson(c.lose)}});
    }
    json fields = json::array();
    for (const service::ImpactFieldChange& f : user.field_changes) {
      fields.push_back({{"data_set", domain::DataSetName(f.data_set)},
                        {"field_id", f.field_id},
                        {"field_name", f.field_name},
                        {"view_before", Letter(f.view_before)},
                        {"view_after", Letter(f.view_after)},
                        {"edit_before", Letter(f.edit_before)},
                        {"edit_after", Letter(f.edit_after)}});
    }
    users.push_back({{"user_id", user.user_id},
                     {"name", user.name},
                     {"changes", std::move(changes)},
                     {"field_changes", std::move(fields)}});
  }
  json out = {{"affected_users", std::move(users)},
              {"summary",
               {{"users", report.users.size()},
                {"gain", report.gain},
                {"lose", report.lose},
                {"field_changes", report.field_changes}}},
              {"_links", SelfLinks(request, kPath)}};
  if (report.user) out["rights"] = UserRightsJson(*report.user);
  if (report.role) out["rights"] = RoleRightsJson(report.role->rights);
  return out;
}

Response Impact(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto body = ObjectBodyOf(request);
  if (!body.ok()) return ErrorResponse(body.status());
  std::vector<base::FieldError> errors;
  BodyReader fields(*body, errors);
  base::Result<service::ImpactReport> report = service::ImpactReport{};
  if (fields.Has("user_id")) {
    const std::optional<std::int64_t> id = fields.Int("user_id", true);
    const service::UserPatch patch = ParseUserPatch(fields, errors);
    fields.RefuseUnread(kUserReadOnly);
    if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
    report = SecurityOf(context).PreviewUserChange(caller, *id, patch);
  } else if (fields.Has("role_id")) {
    const std::optional<std::int64_t> id = fields.Int("role_id", true);
    service::RoleInput input;
    ParseRoleInput(fields, input, errors);
    fields.RefuseUnread(kRoleReadOnly);
    if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
    report = SecurityOf(context).PreviewRoleChange(caller, *id, input);
  } else {
    return FieldErrorsResponse(
        {{"user_id", "Required",
          "name the change to preview: user_id (a user's change) or role_id (a role's)"}});
  }
  if (!report.ok()) return ErrorResponse(report.status());
  return JsonResponse(200, ReportJson(request, *report));
}

}  // namespace

void RegisterImpactRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kPost, std::string(kPath), Bind(context, Impact),
             {.name = "security.impact", .administrators_only = true});
}

}  // namespace gatehouse::http::api
