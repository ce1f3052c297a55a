// /api/v4/roles (kommo-api-v4.md §6): administrators only.
#include "http/api/admin/admin_routes.h"
#include "http/api/admin/rights_json.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/admin/admin_settings.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;
using Holders = std::vector<std::pair<domain::RoleId, domain::UserId>>;

json RoleJson(const Request& request, const domain::Role& role, const Holders* holders) {
  json out = {{"id", role.id}, {"name", role.name}, {"rights", RoleRightsJson(role.rights)}};
  out["_links"] = SelfLinks(request, "/api/v4/roles/" + std::to_string(role.id));
  if (holders != nullptr) {
    json users = json::array();
    for (const auto& [role_id, user_id] : *holders) {
      if (role_id == role.id) users.push_back({{"id", user_id}});
    }
    out["_embedded"]["users"] = std::move(users);
  }
  return out;
}

// Holders when with=users asked for them; nullopt otherwise.
base::Result<std::optional<Holders>> HoldersIfAsked(const ApiContext& context,
                                                    const Request& request) {
  if (!HasWith(WithOf(request), "users")) return std::optional<Holders>();
  GH_ASSIGN_OR_RETURN(Holders holders, AdminOf(context).RoleHolders(CallerOf(request)));
  return std::optional<Holders>(std::move(holders));
}

Response RolesList(ApiContext& context, Request& request) {
  if (base::Status s = CheckQuery(request, {"page", "limit"}, {"users"}); !s.ok()) {
    return ErrorResponse(s);
  }
  auto paging = ParsePaging(request.query);
  if (!paging.ok()) return ErrorResponse(paging.status());
  auto roles = AdminOf(context).ListRoles(CallerOf(request));
  if (!roles.ok()) return ErrorResponse(roles.status());
  auto holders = HoldersIfAsked(context, request);
  if (!holders.ok()) return ErrorResponse(holders.status());
  const Holders* role_holders = *holders ? &**holders : nullptr;
  return PageResponse(
      request, "roles", *paging, *roles,
      [&](const domain::Role& role) { return RoleJson(request, role, role_holders); },
      {{"_total_items", roles->size()}, {"_page_count", PageCount(*paging, roles->size())}});
}

Response RolesGet(ApiContext& context, Request& request) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (base::Status s = CheckQuery(request, {}, {"users"}); !s.ok()) return ErrorResponse(s);
  auto role = AdminOf(context).GetRole(CallerOf(request), *id);
  if (!role.ok()) return ErrorResponse(role.status());
  auto holders = HoldersIfAsked(context, request);
  if (!holders.ok()) return ErrorResponse(holders.status());
  return JsonResponse(200, RoleJson(request, *role, *holders ? &**holders : nullptr));
}

Response RolesAdd(ApiContext& context, Request& request) {
  return BatchWrite<service::RoleInput>(
      request,
      [](const json& item, std::size_t i, std::vector<base::FieldError>& errors) {
        service::RoleInput in{.request_id = RequestIdOf(item, i)};
        ParseRoleInput(item, in, errors);
        return in;
      },
      [&](const auto& inputs, auto* errors) {
        return AdminOf(context).CreateRoles(CallerOf(request), inputs, errors);
      },
      [&](const auto& created, const auto& inputs) {
        return CreatedResponse("roles", created, inputs,
                               [&](const auto& role) { return RoleJson(request, role, nullptr); });
      });
}

Response RolesUpdate(ApiContext& context, Request& request) {
  auto item = ItemPatchOf(request);
  if (!item.ok()) return ErrorResponse(item.status());
  service::RoleInput in;
  std::vector<base::FieldError> errors;
  ParseRoleInput(item->body, in, errors);
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  auto updated = AdminOf(context).UpdateRole(CallerOf(request), item->id, in);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return JsonResponse(202, RoleJson(request, *updated, nullptr));
}

}  // namespace

void RegisterRolesRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/roles", Bind(context, RolesList),
             {.name = "roles.list", .administrators_only = true});
  router.Add(Method::kPost, "/api/v4/roles", Bind(context, RolesAdd),
             {.name = "roles.add", .administrators_only = true});
  router.Add(Method::kGet, "/api/v4/roles/{id:int}", Bind(context, RolesGet),
             {.name = "roles.get", .administrators_only = true});
  router.Add(Method::kPatch, "/api/v4/roles/{id:int}", Bind(context, RolesUpdate),
             {.name = "roles.update", .administrators_only = true});
  router.Add(Method::kDelete, "/api/v4/roles/{id:int}",
             BindRemove(context, &service::AdminService::DeleteRole),
             {.name = "roles.delete", .administrators_only = true});
}

}  // namespace gatehouse::http::api
