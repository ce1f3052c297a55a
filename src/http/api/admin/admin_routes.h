// The administrative resources (account, users, roles, groups, pipelines, events, explain, the
// impact preview, the security report): registration per resource file, and the pieces their
// handlers share.
//
// Handlers parse the request into the service's input struct, call one service function
// (service/admin_*.h) and render Kommo's shapes. They decide no rights; errors come back as
// problem+json (seats: 402 with type ".../402/seats").
//
// Includes nlohmann/json: include from handler .cc files only (as http/json.h).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/api/api.h"
#include "http/api/body_reader.h"
#include "http/api/paging.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "service/admin/admin.h"
#include "service/admin/admin_service.h"
#include "service/security/security_service.h"

namespace gatehouse::http::api {

void RegisterAccountRoutes(Router& router, ApiContext& context);
void RegisterUsersRoutes(Router& router, ApiContext& context);
void RegisterRolesRoutes(Router& router, ApiContext& context);
void RegisterGroupsRoutes(Router& router, ApiContext& context);
void RegisterPipelinesRoutes(Router& router, ApiContext& context);
void RegisterEventsRoutes(Router& router, ApiContext& context);
void RegisterExplainRoutes(Router& router, ApiContext& context);
void RegisterImpactRoutes(Router& router, ApiContext& context);          // security_impact.cc
void RegisterSecurityReportRoutes(Router& router, ApiContext& context);  // security_report.cc
void RegisterLoginStatsRoutes(Router& router, ApiContext& context);      // security_login_stats.cc
void RegisterCustomFieldsRoutes(Router& router, ApiContext& context);    // custom_fields.cc

service::AdminDeps DepsOf(const ApiContext& context);
// The context's AdminService (set by RegisterAdminRoutes).
const service::AdminService& AdminOf(const ApiContext& context);
// The context's SecurityService (set by RegisterAuthRoutes or RegisterAdminRoutes).
const service::SecurityService& SecurityOf(const ApiContext& context);

// A route handler running `fn` with `context`, which must outlive the router.
using ContextHandler = Response (*)(ApiContext&, Request&);
Handler Bind(ApiContext& context, ContextHandler fn);
// The handler of a DELETE of the item the path's {id} names: `remove(caller, id)` of the
// context's AdminService, 204 when done.
using AdminRemoval = base::Status (service::AdminService::*)(const service::Caller&,
                                                             std::int64_t) const;
Handler BindRemove(ApiContext& context, AdminRemoval remove);

// ProblemResponse (http/problem.h) for a service error of these resources, where
// kResourceExhausted means no free paid seat: 402 ".../402/seats" rather than 429.
Response ErrorResponse(const base::Status& status);
// A 400 from field errors of one request (request_id "0") or per batch item.
Response FieldErrorsResponse(std::vector<base::FieldError> errors);
Response ItemErrorsResponse(const std::vector<service::ItemErrors>& items);

// Refuses, by name, what these resources do not take (as the record lists do): a query
// parameter outside `params`, any filter[...] (none of them filters), and a with= value outside
// `with_values` ("with" itself is allowed when `with_values` is non-empty). kInvalidArgument
// with one FieldError per offending key or value.
base::Status CheckQuery(const Request& request, std::initializer_list<std::string_view> params,
                        std::initializer_list<std::string_view> with_values = {});

// The `with` list ("role,group" or with[]=role) as names.
std::vector<std::string> WithOf(const Request& request);
bool HasWith(const std::vector<std::string>& with, std::string_view name);

// The request body as JSON, or the error response to send.
base::Result<nlohmann::json> BodyOf(const Request& request);
// The same, refused (field "body", InvalidType) unless it is one JSON object.
base::Result<nlohmann::json> ObjectBodyOf(const Request& request);

// What a PATCH of one item carries: the path's {id} and its body, one JSON object (ObjectBodyOf:
// a batch array sent to an item's path is refused naming the body).
struct ItemPatch {
  std::int64_t id = 0;
  nlohmann::json body{};
};
base::Result<ItemPatch> ItemPatchOf(const Request& request);

// The items of the request's batch body (SplitBatch), each parsed by
// `parse(item, index, errors)` into a T that carries its request_id; the field errors of the
// items in `shape_errors`, one entry per item that has some. An error status when the body is
// not a batch.
template <typename T, typename Parse>
base::Result<std::vector<T>> ParseBatch(const Request& request, Parse parse,
                                        std::vector<service::ItemErrors>& shape_errors) {
  GH_ASSIGN_OR_RETURN(nlohmann::json body, BodyOf(request));
  GH_ASSIGN_OR_RETURN(BatchBody batch, SplitBatch(body));
  std::vector<T> inputs;
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    std::vector<base::FieldError> errors;
    inputs.push_back(parse(*batch.items[i], i, errors));
    if (!errors.empty()) shape_errors.push_back({inputs.back().request_id, std::move(errors)});
  }
  return inputs;
}

// A batch write of an admin collection. The body's items are parsed (ParseBatch) and their field
// errors answered, per item, before anything is written; then `write(inputs, &item_errors)`, a
// service call: refused, the answer names the items it named (400), else its status; done,
// `answer(written, inputs)`.
template <typename T, typename Parse, typename Write, typename Answer>
Response BatchWrite(const Request& request, Parse parse, Write write, Answer answer) {
  std::vector<service::ItemErrors> errors;
  base::Result<std::vector<T>> inputs = ParseBatch<T>(request, parse, errors);
  if (!inputs.ok()) return ErrorResponse(inputs.status());
  if (!errors.empty()) return ItemErrorsResponse(errors);
  auto written = write(*inputs, &errors);
  if (!written.ok()) {
    return errors.empty() ? ErrorResponse(written.status()) : ItemErrorsResponse(errors);
  }
  return answer(*written, *inputs);
}

// The answer to a batch create: {"_total_items": n, "_embedded": {plural: [render(created[i])
// with inputs[i].request_id echoed]}}, 201.
Response CreatedResponse(std::string_view plural, nlohmann::json items);
template <typename Created, typename Input, typename Render>
Response CreatedResponse(std::string_view plural, const std::vector<Created>& created,
                         const std::vector<Input>& inputs, Render render) {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < created.size(); ++i) {
    nlohmann::json item = render(created[i]);
    if (i < inputs.size()) item["request_id"] = inputs[i].request_id;
    items.push_back(std::move(item));
  }
  return CreatedResponse(plural, std::move(items));
}

}  // namespace gatehouse::http::api
