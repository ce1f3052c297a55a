// /api/v4/{leads|contacts|companies}/custom_fields (Kommo's shape; issue 15 §3): every user
// reads the definitions of the fields they may view, administrators write (decided by the
// service, service/admin/custom_fields.h).
#include "service/admin/custom_fields.h"

#include "http/api/admin/admin_routes.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/json.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

std::string FieldsPath(domain::DataSet data_set) {
  return "/api/v4/" + std::string(domain::DataSetName(data_set)) + "/custom_fields";
}

json FieldJson(const Request& request, domain::AccountId account_id, const domain::CustomField& f) {
  json enums = nullptr;
  if (domain::FieldTypeHasEnums(f.type)) {
    enums = json::array();
    for (const domain::FieldEnum& e : f.enums) {
      enums.push_back({{"id", e.id}, {"value", e.value}, {"sort", e.sort}});
    }
  }
  return {{"id", f.id},
          {"name", f.name},
          {"type", domain::FieldTypeName(f.type)},
          {"code", f.code.empty() ? json(nullptr) : json(f.code)},
          {"sort", f.sort},
          {"is_api_only", f.is_api_only},
          {"is_predefined", false},
          {"is_deletable", true},
          {"is_visible", true},
          {"is_required", false},
          {"remind", nullptr},
          {"enums", std::move(enums)},
          {"entity_type", domain::DataSetName(f.data_set)},
          {"group_id", nullptr},
          {"account_id", account_id},
          {"_links", SelfLinks(request, FieldsPath(f.data_set) + "/" + std::to_string(f.id))}};
}

Response Collection(const Request& request, json items) {
  if (items.empty()) return Response::NoContent();
  json out = {{"_total_items", items.size()}, {"_page", 1}};
  out["_links"]["self"]["href"] = BaseUrl(request) + request.path;
  out["_embedded"]["custom_fields"] = std::move(items);
  return JsonResponse(200, out);
}

// Kommo's field settings that FieldJson renders at the one value every field here has: sent back
// at that value they are ignored, any other value is refused (it would not be kept).
void RefuseOtherSettings(BodyReader& fields) {
  const std::pair<std::string_view, json> kFixed[] = {
      {"is_predefined", false}, {"is_deletable", true}, {"is_visible", true},
      {"is_required", false},   {"remind", nullptr},    {"group_id", nullptr}};
  for (const auto& [name, fixed] : kFixed) {
    const json* sent = fields.Find(name);
    if (sent == nullptr || *sent == fixed) continue;
    fields.Add(fields.Path(name), "NotSupportedChoice",
               std::string(name) + " must be " + fixed.dump() + ": Gatehouse keeps no other value");
  }
}

service::CustomFieldInput ParseField(const json& item, std::size_t index, bool patch,
                                     std::vector<base::FieldError>& errors) {
  service::CustomFieldInput in;
  in.request_id = RequestIdOf(item, index);
  BodyReader fields(item, errors);
  if (patch) {
    in.id = fields.Int("id", true).value_or(0);
  }
  in.name = fields.String("name");
  in.type = fields.String("type");
  in.code = fields.String("code");
  in.sort = fields.SmallInt("sort");
  in.is_api_only = fields.Bool("is_api_only");
  if (const json* enums = fields.Find("enums"); enums != nullptr && !enums->is_null()) {
    if (!enums->is_array()) {
      errors.push_back({"enums", "InvalidType", "enums must be an array"});
    } else {
      in.enums.emplace();
      for (std::size_t j = 0; j < enums->size(); ++j) {
        const std::string prefix = "enums." + std::to_string(j);
        if (!(*enums)[j].is_object()) {
          errors.push_back({prefix, "InvalidType", "an enum must be an object"});
          continue;
        }
        BodyReader e((*enums)[j], errors, prefix);
        service::EnumInput input{.id = e.Int("id").value_or(0),
                                 .value = e.String("value", true).value_or(""),
                                 .sort = e.SmallInt("sort")};
        e.RefuseUnread();
        in.enums->push_back(std::move(input));
      }
    }
  }
  RefuseOtherSettings(fields);
  fields.RefuseUnread({"id", "entity_type", "account_id", "request_id", "_links"});
  return in;
}

Response CustomFieldsList(ApiContext& context, Request& request, domain::DataSet data_set) {
  if (base::Status s = CheckQuery(request, {"page", "limit"}); !s.ok()) return ErrorResponse(s);
  // Without a limit, a page of the most a page holds: the list was unpaged before, and clients
  // (the console among them) read the definitions in one request.
  auto paging = ParsePaging(request.query, storage::kMaxPageLimit);
  if (!paging.ok()) return ErrorResponse(paging.status());
  const service::Caller& caller = CallerOf(request);
  auto fields = AdminOf(context).ListCustomFields(caller, data_set);
  if (!fields.ok()) return ErrorResponse(fields.status());
  return PageResponse(
      request, "custom_fields", *paging, *fields,
      [&](const auto& field) { return FieldJson(request, caller.account_id, field); },
      {{"_total_items", fields->size()}});
}

Response CustomFieldsGet(ApiContext& context, Request& request, domain::DataSet data_set) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (base::Status s = CheckQuery(request, {}); !s.ok()) return ErrorResponse(s);
  const service::Caller& caller = CallerOf(request);
  auto field = AdminOf(context).GetCustomField(caller, data_set, *id);
  if (!field.ok()) return ErrorResponse(field.status());
  return JsonResponse(200, FieldJson(request, caller.account_id, *field));
}

Response Written(const Request& request, const service::Caller& caller,
                 const std::vector<domain::CustomField>& fields,
                 const std::vector<service::CustomFieldInput>& inputs) {
  json items = json::array();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    json item = FieldJson(request, caller.account_id, fields[i]);
    if (i < inputs.size()) item["request_id"] = inputs[i].request_id;
    items.push_back(std::move(item));
  }
  return Collection(request, std::move(items));
}

// POST (create, `patch` false) or PATCH (update) of a batch of definitions.
Response WriteFields(ApiContext& context, Request& request, domain::DataSet data_set, bool patch) {
  const service::Caller& caller = CallerOf(request);
  return BatchWrite<service::CustomFieldInput>(
      request,
      [patch](const json& item, std::size_t i, std::vector<base::FieldError>& errors) {
        return ParseField(item, i, patch, errors);
      },
      [&](const auto& inputs, auto* errors) {
        const service::AdminService& admin = AdminOf(context);
        return patch ? admin.UpdateCustomFields(caller, data_set, inputs, errors)
                     : admin.CreateCustomFields(caller, data_set, inputs, errors);
      },
      [&](const auto& written, const auto& inputs) {
        return Written(request, caller, written, inputs);
      });
}

Response CustomFieldsAdd(ApiContext& context, Request& request, domain::DataSet data_set) {
  return WriteFields(context, request, data_set, /*patch=*/false);
}

Response CustomFieldsUpdateMany(ApiContext& context, Request& request, domain::DataSet data_set) {
  return WriteFields(context, request, data_set, /*patch=*/true);
}

Response CustomFieldsUpdate(ApiContext& context, Request& request, domain::DataSet data_set) {
  const service::Caller& caller = CallerOf(request);
  auto item = ItemPatchOf(request);
  if (!item.ok()) return ErrorResponse(item.status());
  std::vector<base::FieldError> errors;
  service::CustomFieldInput in = ParseField(item->body, 0, /*patch=*/false, errors);
  in.id = item->id;
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  std::vector<service::ItemErrors> item_errors;
  auto updated = AdminOf(context).UpdateCustomFields(caller, data_set, {in}, &item_errors);
  if (!updated.ok()) {
    if (item_errors.size() == 1) return FieldErrorsResponse(item_errors[0].errors);
    return ErrorResponse(updated.status());
  }
  return JsonResponse(200, FieldJson(request, caller.account_id, updated->front()));
}

Response CustomFieldsDelete(ApiContext& context, Request& request, domain::DataSet data_set) {
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  base::Status removed = AdminOf(context).DeleteCustomField(CallerOf(request), data_set, *id);
  if (!removed.ok()) return ErrorResponse(removed);
  return Response::NoContent();
}

}  // namespace

void RegisterCustomFieldsRoutes(Router& router, ApiContext& context) {
  ApiContext* ctx = &context;
  using Fn = Response (*)(ApiContext&, Request&, domain::DataSet);
  for (domain::DataSet data_set : {domain::DataSet::kLeads, domain::DataSet::kContacts,
                                   domain::DataSet::kCompanies, domain::DataSet::kCustomers}) {
    auto bind = [ctx, data_set](Fn fn) {
      return [ctx, fn, data_set](Request& request) { return fn(*ctx, request, data_set); };
    };
    const std::string entity(domain::DataSetName(data_set));
    const std::string base = FieldsPath(data_set);
    const std::string one = base + "/{id:int}";
    router.Add(Method::kGet, base, bind(CustomFieldsList),
               {.name = entity + ".custom_fields.list"});
    router.Add(Method::kPost, base, bind(CustomFieldsAdd),
               {.name = entity + ".custom_fields.add", .administrators_only = true});
    router.Add(Method::kPatch, base, bind(CustomFieldsUpdateMany),
               {.name = entity + ".custom_fields.update_many", .administrators_only = true});
    router.Add(Method::kGet, one, bind(CustomFieldsGet), {.name = entity + ".custom_fields.get"});
    router.Add(Method::kPatch, one, bind(CustomFieldsUpdate),
               {.name = entity + ".custom_fields.update", .administrators_only = true});
    router.Add(Method::kDelete, one, bind(CustomFieldsDelete),
               {.name = entity + ".custom_fields.delete", .administrators_only = true});
  }
}

}  // namespace gatehouse::http::api
