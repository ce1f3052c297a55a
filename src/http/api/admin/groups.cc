// /api/v4/users_groups (API.md): every user reads, administrators write. Items in Kommo's
// account?with=users_groups shape: {id, name, uuid: null}.
#include "http/api/admin/admin_routes.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/admin/admin_settings.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// What GroupJson renders besides the name: accepted back on writes and ignored.
constexpr std::string_view kGroupReadOnly[] = {"id", "uuid", "request_id", "_links"};

json GroupJson(const Request& request, const domain::Group& group) {
  return {{"id", group.id},
          {"name", group.name},
          {"uuid", nullptr},
          {"_links", SelfLinks(request, "/api/v4/users_groups/" + std::to_string(group.id))}};
}

Response GroupsList(ApiContext& context, Request& request) {
  if (base::Status s = CheckQuery(request, {"page", "limit"}); !s.ok()) return ErrorResponse(s);
  auto paging = ParsePaging(request.query);
  if (!paging.ok()) return ErrorResponse(paging.status());
  auto groups = AdminOf(context).ListGroups(CallerOf(request));
  if (!groups.ok()) return ErrorResponse(groups.status());
  return PageResponse(request, "users_groups", *paging, *groups,
                      [&](const domain::Group& group) { return GroupJson(request, group); },
                      {{"_total_items", groups->size()}});
}

Response GroupsAdd(ApiContext& context, Request& request) {
  return BatchWrite<service::GroupInput>(
      request,
      [](const json& item, std::size_t i, std::vector<base::FieldError>& errors) {
        BodyReader fields(item, errors);
        service::GroupInput in{RequestIdOf(item, i), fields.String("name", true).value_or("")};
        fields.RefuseUnread(kGroupReadOnly);
        return in;
      },
      [&](const auto& inputs, auto* errors) {
        return AdminOf(context).CreateGroups(CallerOf(request), inputs, errors);
      },
      [&](const auto& created, const auto& inputs) {
        return CreatedResponse("users_groups", created, inputs,
                               [&](const auto& group) { return GroupJson(request, group); });
      });
}

Response GroupsUpdate(ApiContext& context, Request& request) {
  auto item = ItemPatchOf(request);
  if (!item.ok()) return ErrorResponse(item.status());
  std::vector<base::FieldError> errors;
  BodyReader fields(item->body, errors);
  std::optional<std::string> name = fields.String("name", true);
  fields.RefuseUnread(kGroupReadOnly);
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  auto renamed = AdminOf(context).RenameGroup(CallerOf(request), item->id, *name);
  if (!renamed.ok()) return ErrorResponse(renamed.status());
  return JsonResponse(200, GroupJson(request, *renamed));
}

}  // namespace

void RegisterGroupsRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/users_groups", Bind(context, GroupsList),
             {.name = "groups.list"});
  router.Add(Method::kPost, "/api/v4/users_groups", Bind(context, GroupsAdd),
             {.name = "groups.add", .administrators_only = true});
  router.Add(Method::kPatch, "/api/v4/users_groups/{id:int}", Bind(context, GroupsUpdate),
             {.name = "groups.update", .administrators_only = true});
  router.Add(Method::kDelete, "/api/v4/users_groups/{id:int}",
             BindRemove(context, &service::AdminService::DeleteGroup),
             {.name = "groups.delete", .administrators_only = true});
}

}  // namespace gatehouse::http::api
