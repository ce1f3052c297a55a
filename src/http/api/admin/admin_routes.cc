#include "http/api/admin/admin_routes.h"

#include <algorithm>
#include <memory>

#include "http/json.h"
#include "http/problem.h"

namespace gatehouse::http::api {

void RegisterAdminRoutes(Router& router, ApiContext& context) {
  context.admin = std::make_shared<const service::AdminService>(DepsOf(context));
  if (context.security == nullptr) {
    context.security = std::make_shared<const service::SecurityService>(DepsOf(context));
  }
  RegisterAccountRoutes(router, context);
  RegisterUsersRoutes(router, context);
  RegisterRolesRoutes(router, context);
  RegisterGroupsRoutes(router, context);
  RegisterPipelinesRoutes(router, context);
  RegisterEventsRoutes(router, context);
  RegisterExplainRoutes(router, context);
  RegisterImpactRoutes(router, context);
  RegisterSecurityReportRoutes(router, context);
  RegisterLoginStatsRoutes(router, context);
  RegisterCustomFieldsRoutes(router, context);
}

service::AdminDeps DepsOf(const ApiContext& context) {
  return {context.store, context.policies, context.clock};
}

const service::AdminService& AdminOf(const ApiContext& context) { return *context.admin; }

const service::SecurityService& SecurityOf(const ApiContext& context) { return *context.security; }

Handler Bind(ApiContext& context, ContextHandler fn) {
  return [&context, fn](Request& request) { return fn(context, request); };
}

Handler BindRemove(ApiContext& context, AdminRemoval remove) {
  return [&context, remove](Request& request) {
    return RemoveById(
        request,
        [&](const service::Caller& caller, std::int64_t id) {
          return (AdminOf(context).*remove)(caller, id);
        },
        ErrorResponse);
  };
}

Response ErrorResponse(const base::Status& status) {
  if (status.code() == base::Code::kResourceExhausted) {
    const ProblemOptions options{.http_status = 402, .type_suffix = "seats"};
    return ProblemResponse(status, options);
  }
  return ProblemResponse(status);
}

Response FieldErrorsResponse(std::vector<base::FieldError> errors) {
  return ValidationProblem({{"0", std::move(errors)}});
}

Response ItemErrorsResponse(const std::vector<service::ItemErrors>& items) {
  std::vector<ItemErrors> out;
  for (const service::ItemErrors& item : items) out.push_back({item.request_id, item.errors});
  return ValidationProblem(out);
}

base::Status CheckQuery(const Request& request, std::initializer_list<std::string_view> params,
                        std::initializer_list<std::string_view> with_values) {
  const bool takes_with = with_values.size() > 0;
  std::vector<base::FieldError> errors;
  std::string names;
  if (base::Status known = request.query.CheckKnownKeys(params); !known.ok()) {
    for (const base::FieldError& error : known.fields()) {
      if (takes_with && error.path == "with") continue;
      names += (names.empty() ? "unknown query parameters: " : ", ") + error.path;
      errors.push_back(error);
    }
  }
  if (with_values.size() > 0) {
    GH_ASSIGN_OR_RETURN(std::vector<std::string> with, request.query.GetStringList("with"));
    for (const std::string& value : with) {
      if (std::find(with_values.begin(), with_values.end(), value) != with_values.end()) continue;
      errors.push_back({"with", "NotSupportedChoice", "unknown with value \"" + value + "\""});
      names += (names.empty() ? "" : "; ") + std::string("with=") + value + " is not supported";
    }
  }
  if (errors.empty()) return base::Status::Ok();
  return base::Status::Invalid(names, std::move(errors));
}

std::vector<std::string> WithOf(const Request& request) {
  auto with = request.query.GetStringList("with");
  if (!with.ok()) return {};
  return std::move(with).value();
}

bool HasWith(const std::vector<std::string>& with, std::string_view name) {
  return std::find(with.begin(), with.end(), name) != with.end();
}

base::Result<nlohmann::json> BodyOf(const Request& request) { return ParseJsonBody(request); }

base::Result<nlohmann::json> ObjectBodyOf(const Request& request) {
  GH_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(request));
  if (!body.is_object()) {
    return base::Status::InvalidField("body", "InvalidType", "the body must be a JSON object");
  }
  return body;
}

base::Result<ItemPatch> ItemPatchOf(const Request& request) {
  ItemPatch patch;
  GH_ASSIGN_OR_RETURN(patch.id, request.ParamInt("id"));
  GH_ASSIGN_OR_RETURN(patch.body, ObjectBodyOf(request));
  return patch;
}

Response CreatedResponse(std::string_view plural, nlohmann::json items) {
  nlohmann::json out = {{"_total_items", items.size()}};
  out["_embedded"][std::string(plural)] = std::move(items);
  return JsonResponse(201, out);
}

}  // namespace gatehouse::http::api
