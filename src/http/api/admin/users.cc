// /api/v4/users (kommo-api-v4.md §5) plus our PATCH and DELETE (API.md), and Kommo's PHP
// client's POST /api/v4/users/activate and /deactivate.
#include <map>

#include "http/api/admin/admin_routes.h"
#include "http/api/admin/rights_json.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/api/records/record_json.h"
#include "http/json.h"
#include "http/problem.h"
#include "service/admin/admin_settings.h"
#include "service/admin/admin_users.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

struct Embeds {
  bool roles = false;
  bool groups = false;
  std::vector<std::string> with;
  std::map<domain::RoleId, std::string> role_names;
  std::map<domain::GroupId, std::string> group_names;
};

// Names for with=role,group. Role names are administrator-only (roles are); others get none.
Embeds LoadEmbeds(const ApiContext& context, const Request& request) {
  Embeds embeds;
  embeds.with = WithOf(request);
  embeds.roles = HasWith(embeds.with, "role");
  embeds.groups = HasWith(embeds.with, "group");
  const service::Caller& caller = CallerOf(request);
  if (embeds.roles) {
    if (auto roles = AdminOf(context).ListRoles(caller); roles.ok()) {
      for (const domain::Role& role : *roles) embeds.role_names[role.id] = role.name;
    }
  }
  if (embeds.groups) {
    if (auto groups = AdminOf(context).ListGroups(caller); groups.ok()) {
      for (const domain::Group& group : *groups) embeds.group_names[group.id] = group.name;
    }
  }
  return embeds;
}

json UserJson(const Request& request, const storage::UserRow& row, bool with_rights,
              const Embeds& embeds) {
  const domain::User& user = row.user;
  json out = {{"id", user.id}, {"name", user.name}, {"email", user.email}, {"lang", row.lang}};
  if (with_rights) out["rights"] = UserRightsJson(user);
  for (const char* optional : {"uuid", "amojo_id", "user_rank", "phone_number"}) {
    if (HasWith(embeds.with, optional)) out[optional] = nullptr;
  }
  // Ours (with=security, to those who see the rights): what the console's users table shows
  // besides the rights; Kommo has no such fields, so they are only sent when asked for.
  if (with_rights && HasWith(embeds.with, "security")) {
    out["two_factor_enabled"] = row.totp_enabled;
    out["last_login_at"] = row.last_login_at != 0 ? json(row.last_login_at) : json(nullptr);
  }
  out["_links"] = SelfLinks(request, "/api/v4/users/" + std::to_string(user.id));
  if (embeds.roles) {
    json roles = json::array();
    auto it = user.role_id ? embeds.role_names.find(*user.role_id) : embeds.role_names.end();
    if (it != embeds.role_names.end()) {
      roles.push_back(
          {{"id", it->first},
           {"name", it->second},
           {"_links", SelfLinks(request, "/api/v4/roles/" + std::to_string(it->first))}});
    }
    out["_embedded"]["roles"] = std::move(roles);
  }
  if (embeds.groups) {
    json groups = json::array();
    if (auto it = embeds.group_names.find(user.group_id); it != embeds.group_names.end()) {
      groups.push_back({{"id", it->first}, {"name", it->second}});
    }
    out["_embedded"]["groups"] = std::move(groups);
  }
  return out;
}

// Kommo's with= values for users (kommo-api-v4.md §5) and ours, `security` (2FA state and last
// login); `list` adds page and limit.
base::Status CheckUsersQuery(const Request& request, bool list) {
  if (list) {
    return CheckQuery(
        request, {"page", "limit"},
        {"role", "group", "uuid", "amojo_id", "user_rank", "phone_number", "security"});
  }
  return CheckQuery(request, {},
                    {"role", "group", "uuid", "amojo_id", "user_rank", "phone_number", "security"});
}

Response UsersList(ApiContext& context, Request& request) {
  if (base::Status s = CheckUsersQuery(request, true); !s.ok()) return ErrorResponse(s);
  auto paging = ParsePaging(request.query);
  if (!paging.ok()) return ErrorResponse(paging.status());
  auto users = AdminOf(context).ListUsers(CallerOf(request));
  if (!users.ok()) return ErrorResponse(users.status());
  const Embeds embeds = LoadEmbeds(context, request);
  return PageResponse(
      request, "users", *paging, *users,
      [&](const auto& user) { return UserJson(request, user.row, user.with_rights, embeds); },
      {{"_total_items", users->size()}, {"_page_count", PageCount(*paging, users->size())}});
}

Response UsersGet(ApiContext& context, Request& request) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (base::Status s = CheckUsersQuery(request, false); !s.ok()) return ErrorResponse(s);
  auto user = AdminOf(context).GetUser(CallerOf(request), *id);
  if (!user.ok()) return ErrorResponse(user.status());
  return JsonResponse(
      200, UserJson(request, user->row, user->with_rights, LoadEmbeds(context, request)));
}

Response UsersAdd(ApiContext& context, Request& request) {
  return BatchWrite<service::NewUserInput>(
      request, ParseNewUser,
      [&](const auto& inputs, auto* errors) {
        return AdminOf(context).CreateUsers(CallerOf(request), inputs, errors);
      },
      [&](const auto& created, const auto& inputs) {
        const Embeds embeds = LoadEmbeds(context, request);
        return CreatedResponse("users", created, inputs, [&](const auto& user) {
          return UserJson(request, user, true, embeds);
        });
      });
}

Response UsersUpdate(ApiContext& context, Request& request) {
  auto item = ItemPatchOf(request);
  if (!item.ok()) return ErrorResponse(item.status());
  std::vector<base::FieldError> errors;
  const service::UserPatch patch = ParseUserPatch(item->body, errors);
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  std::int64_t approval_id = 0;
  auto updated = AdminOf(context).UpdateUser(CallerOf(request), item->id, patch, &approval_id);
  if (!updated.ok()) return ErrorResponse(updated.status());
  if (approval_id != 0) return ApprovalPendingResponse(request, approval_id);
  return JsonResponse(200, UserJson(request, *updated, true, LoadEmbeds(context, request)));
}

Response UsersDelete(ApiContext& context, Request& request) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (base::Status s = CheckQuery(request, {"reassign_to"}); !s.ok()) return ErrorResponse(s);
  auto target = request.query.GetInt("reassign_to");
  if (!target.ok()) return ErrorResponse(target.status());
  auto removed = AdminOf(context).RemoveUser(CallerOf(request), *id, *target);
  if (!removed.ok()) return ErrorResponse(removed.status());
  return Response::NoContent();
}

// One item of an activate/deactivate body: exactly {"id": <positive integer>}.
domain::UserId ParseActivationItem(const json& item, std::vector<base::FieldError>& errors) {
  BodyReader fields(item, errors);
  const std::optional<std::int64_t> id = fields.Int("id", true);
  if (id && *id <= 0) fields.Add("id", "InvalidValue", "id must be a positive integer");
  fields.RefuseUnread();
  return id.value_or(0);
}

// Kommo's body is an array even for one user, so the records' batch reader (an array of
// 1..max items, errors at "<index>.<member>") reads it; 204 with no body, as Kommo answers.
Response UsersSetActive(ApiContext& context, Request& request, bool active) {
  if (base::Status s = CheckQuery(request, {}); !s.ok()) return ErrorResponse(s);
  return records::BatchWrite<domain::UserId>(
      request, ParseActivationItem,
      [&](const std::vector<domain::UserId>& ids, std::size_t* failed) {
        return AdminOf(context).SetUsersActive(CallerOf(request), ids, active, failed);
      },
      [](const records::Batch&, const base::Status&) { return Response::NoContent(); },
      service::kMaxUsersPerRequest);
}

Response UsersActivate(ApiContext& context, Request& request) {
  return UsersSetActive(context, request, true);
}

Response UsersDeactivate(ApiContext& context, Request& request) {
  return UsersSetActive(context, request, false);
}

}  // namespace

void RegisterUsersRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/users", Bind(context, UsersList), {.name = "users.list"});
  router.Add(
      Method::kPost, "/api/v4/users", Bind(context, UsersAdd),
      {.name = "users.add", .blocking = true, .administrators_only = true});  // hashes passwords
  router.Add(Method::kGet, "/api/v4/users/{id:int}", Bind(context, UsersGet),
             {.name = "users.get"});
  router.Add(Method::kPatch, "/api/v4/users/{id:int}", Bind(context, UsersUpdate),
             {.name = "users.update", .administrators_only = true});
  router.Add(Method::kDelete, "/api/v4/users/{id:int}", Bind(context, UsersDelete),
             {.name = "users.delete", .administrators_only = true});
  router.Add(Method::kPost, "/api/v4/users/activate", Bind(context, UsersActivate),
             {.name = "users.activate", .administrators_only = true});
  router.Add(Method::kPost, "/api/v4/users/deactivate", Bind(context, UsersDeactivate),
             {.name = "users.deactivate", .administrators_only = true});
}

}  // namespace gatehouse::http::api
