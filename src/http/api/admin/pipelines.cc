// /api/v4/leads/pipelines and their statuses (kommo-api-v4.md §8): every user reads,
// administrators write.
#include <cstdio>

#include "http/api/admin/admin_routes.h"
#include "http/api/body_reader.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/admin/admin_settings.h"
#include "service/security/login_stats.h"  // UtcDate

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// A stage without a colour of its own shows one of Kommo's palette by position.
constexpr const char* kPalette[] = {"#99ccff", "#ffff99", "#ffcc66", "#ffcccc", "#ff8f92",
                                    "#87f2c0", "#f9deff", "#deff81", "#fffeb2", "#ebffb1"};

std::string PipelinePath(domain::PipelineId id) {
  return "/api/v4/leads/pipelines/" + std::to_string(id);
}

// The descriptions of a pipeline's stages when `with=descriptions` asked for them, else null.
using Descriptions = const std::vector<domain::StageDescription>*;

// Kommo's one string date (kommo-api-v4.md §1): "YYYY-MM-DD HH:MM:SS", in UTC, the time zone
// every account reports (GET /api/v4/account).
std::string DescriptionTime(std::int64_t seconds) {
  const std::int64_t in_day = ((seconds % 86400) + 86400) % 86400;
  char time[40];
  std::snprintf(time, sizeof time, " %02d:%02d:%02d", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return service::UtcDate(seconds) + time;
}

json DescriptionsJson(domain::AccountId account_id, domain::StatusId status_id,
                      const std::vector<domain::StageDescription>& descriptions) {
  json out = json::array();
  for (const domain::StageDescription& d : descriptions) {
    if (d.status_id != status_id) continue;
    out.push_back({{"id", d.id},
                   {"account_id", account_id},
                   {"created_at", DescriptionTime(d.created_at)},
                   {"updated_at", DescriptionTime(d.updated_at)},
                   {"created_by", d.created_by},
                   {"updated_by", d.updated_by},
                   {"pipeline_id", d.pipeline_id},
                   {"status_id", d.status_id},
                   {"level", domain::StageLevelName(d.level)},
                   {"description", d.description}});
  }
  return out;
}

json StatusJson(const Request& request, domain::AccountId account_id, domain::PipelineId pipeline,
                const domain::Stage& stage, std::size_t index,
                Descriptions descriptions = nullptr) {
  const bool incoming = stage.type == domain::kStageTypeIncoming;
  const bool closing = stage.id == domain::kWonStatusId || stage.id == domain::kLostStatusId;
  std::string color = kPalette[index % std::size(kPalette)];
  if (incoming) color = "#c1c1c1";
  if (stage.id == domain::kWonStatusId) color = "#CCFF66";
  if (stage.id == domain::kLostStatusId) color = "#D5D8DB";
  if (!stage.color.empty()) color = stage.color;
  json out = {{"id", stage.id},
              {"name", stage.name},
              {"sort", stage.sort},
              {"is_editable", !incoming && !closing},
              {"pipeline_id", pipeline},
              {"color", color},
              {"type", stage.type},
              {"account_id", account_id},
              {"_links", SelfLinks(request, PipelinePath(pipeline) + "/statuses/" +
                                                std::to_string(stage.id))}};
  if (descriptions != nullptr) {
    out["descriptions"] = DescriptionsJson(account_id, stage.id, *descriptions);
  }
  return out;
}

json StatusesJson(const Request& request, domain::AccountId account_id,
                  const domain::Pipeline& pipeline, Descriptions descriptions = nullptr) {
  json statuses = json::array();
  for (std::size_t i = 0; i < pipeline.stages.size(); ++i) {
    statuses.push_back(
        StatusJson(request, account_id, pipeline.id, pipeline.stages[i], i, descriptions));
  }
  return statuses;
}

json PipelineJson(const Request& request, domain::AccountId account_id,
                  const domain::Pipeline& pipeline) {
  json statuses = StatusesJson(request, account_id, pipeline);
  json out = {
      {"id", pipeline.id},        {"name", pipeline.name},
      {"sort", pipeline.sort},    {"is_main", pipeline.is_main},
      {"is_unsorted_on", true},   {"is_archive", false},
      {"account_id", account_id}, {"_links", SelfLinks(request, PipelinePath(pipeline.id))}};
  out["_embedded"]["statuses"] = std::move(statuses);
  return out;
}

// {_total_items, _links.self, _embedded.{plural}}; 204 when empty.
Response Collection(const Request& request, std::string_view plural, json items) {
  if (items.empty()) return Response::NoContent();
  json out = {{"_total_items", items.size()}};
  out["_links"]["self"]["href"] = BaseUrl(request) + request.path;
  out["_embedded"][std::string(plural)] = std::move(items);
  return JsonResponse(200, out);
}

// descriptions[]: {level, description}, the level parsed here; the members GET renders are
// taken back and ignored.
std::vector<service::StageDescriptionInput> ParseDescriptions(
    BodyReader& fields, std::vector<base::FieldError>& errors) {
  std::vector<service::StageDescriptionInput> out;
  const json* list = fields.Find("descriptions");
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) {
    fields.Add(fields.Path("descriptions"), "InvalidType", "descriptions must be an array");
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string prefix = fields.Path("descriptions") + "." + std::to_string(i);
    if (!(*list)[i].is_object()) {
      fields.Add(prefix, "InvalidType", "a description must be an object");
      continue;
    }
    BodyReader item((*list)[i], errors, prefix);
    const std::optional<std::string> level = item.String("level", true);
    const std::optional<std::string> text = item.String("description", true);
    item.RefuseUnread({"id", "account_id", "created_at", "updated_at", "created_by", "updated_by",
                       "pipeline_id", "status_id"});
    const std::optional<domain::StageLevel> parsed =
        level ? domain::StageLevelFromName(*level) : std::nullopt;
    if (level && !parsed) {
      item.Add(item.Path("level"), "InvalidValue", "level must be newbie, candidate or master");
    }
    if (parsed && text) out.push_back({.level = *parsed, .description = *text});
  }
  return out;
}

service::StageInput ParseStage(const json& item, std::size_t index, const std::string& prefix,
                               std::vector<base::FieldError>& errors) {
  BodyReader fields(item, errors, prefix);
  service::StageInput in{.request_id = RequestIdOf(item, index),
                         .id = fields.Int("id"),
                         .name = fields.String("name"),
                         .sort = fields.SmallInt("sort"),
                         .color = fields.String("color"),
                         .descriptions = ParseDescriptions(fields, errors)};
  fields.RefuseUnread({"is_editable", "pipeline_id", "type", "account_id", "request_id", "_links"});
  return in;
}

service::PipelineInput ParsePipeline(const json& item, std::size_t index,
                                     std::vector<base::FieldError>& errors) {
  BodyReader fields(item, errors);
  service::PipelineInput in{.request_id = RequestIdOf(item, index),
                            .name = fields.String("name"),
                            .sort = fields.SmallInt("sort"),
                            .is_main = fields.Bool("is_main")};
  // Every pipeline here has its incoming-leads stage: true is what it is, false cannot be kept.
  if (std::optional<bool> unsorted = fields.Bool("is_unsorted_on"); unsorted && !*unsorted) {
    errors.push_back({fields.Path("is_unsorted_on"), "NotSupportedChoice",
                      "is_unsorted_on must be true: every pipeline has its incoming-leads stage"});
  }
  // Kommo's archive is not kept: every pipeline here is live, so only false can be sent back.
  if (fields.Bool("is_archive").value_or(false)) {
    errors.push_back({fields.Path("is_archive"), "NotSupportedChoice",
                      "is_archive must be false: pipelines are not archived here"});
  }
  const json* embedded = fields.Find("_embedded");
  if (embedded != nullptr && !embedded->is_null() && !embedded->is_object()) {
    errors.push_back({"_embedded", "InvalidType", "_embedded must be an object"});
  } else if (embedded != nullptr && embedded->is_object()) {
    BodyReader embedded_fields(*embedded, errors, "_embedded");
    const json* statuses = embedded_fields.Find("statuses");
    embedded_fields.RefuseUnread();
    if (statuses != nullptr && !statuses->is_null() && !statuses->is_array()) {
      errors.push_back({"_embedded.statuses", "InvalidType", "statuses must be an array"});
    } else if (statuses != nullptr && statuses->is_array()) {
      for (std::size_t i = 0; i < statuses->size(); ++i) {
        const std::string prefix = "_embedded.statuses." + std::to_string(i);
        if (!(*statuses)[i].is_object()) {
          errors.push_back({prefix, "InvalidType", "a status must be an object"});
          continue;
        }
        in.stages.push_back(ParseStage((*statuses)[i], i, prefix, errors));
      }
    }
  }
  fields.RefuseUnread({"id", "account_id", "request_id", "_links"});
  return in;
}

Response ListPipelines(ApiContext& context, Request& request) {
  if (base::Status s = CheckQuery(request, {}); !s.ok()) return ErrorResponse(s);
  const service::Caller& caller = CallerOf(request);
  auto pipelines = AdminOf(context).ListPipelines(caller);
  if (!pipelines.ok()) return ErrorResponse(pipelines.status());
  json items = json::array();
  for (const domain::Pipeline& p : *pipelines) {
    items.push_back(PipelineJson(request, caller.account_id, p));
  }
  return Collection(request, "pipelines", std::move(items));
}

// The pipeline the path's {id} names. A GET of it takes no query parameters; a GET of its
// stages takes with=descriptions (kommo-api-v4.md §8).
base::Result<domain::Pipeline> PipelineInPath(ApiContext& context, const Request& request,
                                              bool of_stages = false) {
  GH_ASSIGN_OR_RETURN(std::int64_t id, request.ParamInt("id"));
  if (of_stages) {
    GH_RETURN_IF_ERROR(CheckQuery(request, {}, {"descriptions"}));
  } else {
    GH_RETURN_IF_ERROR(CheckQuery(request, {}));
  }
  return AdminOf(context).GetPipeline(CallerOf(request), id);
}

// The pipeline's stage descriptions when the query asks for them (with=descriptions).
base::Result<std::optional<std::vector<domain::StageDescription>>> DescriptionsAsked(
    ApiContext& context, const Request& request, domain::PipelineId pipeline_id) {
  using Asked = std::optional<std::vector<domain::StageDescription>>;
  if (!HasWith(WithOf(request), "descriptions")) return Asked();
  GH_ASSIGN_OR_RETURN(auto descriptions,
                      AdminOf(context).StageDescriptions(CallerOf(request), pipeline_id));
  return Asked(std::move(descriptions));
}

Response GetPipeline(ApiContext& context, Request& request) {
  auto pipeline = PipelineInPath(context, request);
  if (!pipeline.ok()) return ErrorResponse(pipeline.status());
  return JsonResponse(200, PipelineJson(request, CallerOf(request).account_id, *pipeline));
}

Response CreatePipelines(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  return BatchWrite<service::PipelineInput>(
      request, ParsePipeline,
      [&](const auto& inputs, auto* errors) {
        return AdminOf(context).CreatePipelines(caller, inputs, errors);
      },
      [&](const auto& created, const auto& inputs) {
        json items = json::array();
        for (std::size_t i = 0; i < created.size(); ++i) {
          json item = PipelineJson(request, caller.account_id, created[i]);
          item["request_id"] = inputs[i].request_id;
          items.push_back(std::move(item));
        }
        return Collection(request, "pipelines", std::move(items));
      });
}

Response PatchPipeline(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto item = ItemPatchOf(request);
  if (!item.ok()) return ErrorResponse(item.status());
  std::vector<base::FieldError> errors;
  service::PipelineInput in = ParsePipeline(item->body, 0, errors);
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  auto updated = AdminOf(context).UpdatePipeline(caller, item->id, in);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return JsonResponse(200, PipelineJson(request, caller.account_id, *updated));
}

Response ListStatuses(ApiContext& context, Request& request) {
  auto pipeline = PipelineInPath(context, request, true);
  if (!pipeline.ok()) return ErrorResponse(pipeline.status());
  auto descriptions = DescriptionsAsked(context, request, pipeline->id);
  if (!descriptions.ok()) return ErrorResponse(descriptions.status());
  json items = StatusesJson(request, CallerOf(request).account_id, *pipeline,
                            descriptions->has_value() ? &**descriptions : nullptr);
  return Collection(request, "statuses", std::move(items));
}

Response GetStatus(ApiContext& context, Request& request) {
  auto status_id = request.ParamInt("status_id");
  if (!status_id.ok()) return ErrorResponse(status_id.status());
  auto pipeline = PipelineInPath(context, request, true);
  if (!pipeline.ok()) return ErrorResponse(pipeline.status());
  for (std::size_t i = 0; i < pipeline->stages.size(); ++i) {
    if (pipeline->stages[i].id != *status_id) continue;
    auto descriptions = DescriptionsAsked(context, request, pipeline->id);
    if (!descriptions.ok()) return ErrorResponse(descriptions.status());
    return JsonResponse(
        200, StatusJson(request, CallerOf(request).account_id, pipeline->id, pipeline->stages[i], i,
                        descriptions->has_value() ? &**descriptions : nullptr));
  }
  return ErrorResponse(base::Status::NotFound("status not found"));
}

// The stored stage with its position, for rendering after a write.
Response StatusResponse(ApiContext& context, Request& request, int code,
                        const std::vector<domain::Stage>& stages,
                        const std::vector<service::StageInput>* inputs, bool single) {
  const service::Caller& caller = CallerOf(request);
  auto id = request.ParamInt("id");
  auto pipeline = AdminOf(context).GetPipeline(caller, *id);
  if (!pipeline.ok()) return ErrorResponse(pipeline.status());
  json items = json::array();
  for (std::size_t k = 0; k < stages.size(); ++k) {
    for (std::size_t i = 0; i < pipeline->stages.size(); ++i) {
      if (pipeline->stages[i].id != stages[k].id) continue;
      json item = StatusJson(request, caller.account_id, *id, pipeline->stages[i], i);
      if (inputs != nullptr) item["request_id"] = (*inputs)[k].request_id;
      items.push_back(std::move(item));
    }
  }
  if (single && items.size() == 1) return JsonResponse(code, items[0]);
  return Collection(request, "statuses", std::move(items));
}

Response CreateStatuses(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto id = request.ParamInt("id");
  if (!id.ok()) return ErrorResponse(id.status());
  return BatchWrite<service::StageInput>(
      request,
      [](const json& item, std::size_t i, std::vector<base::FieldError>& errors) {
        return ParseStage(item, i, "", errors);
      },
      [&](const auto& inputs, auto* errors) {
        return AdminOf(context).AddStages(caller, *id, inputs, errors);
      },
      [&](const auto& added, const auto& inputs) {
        return StatusResponse(context, request, 200, added, &inputs, false);
      });
}

Response PatchStatus(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto id = request.ParamInt("id");
  auto status_id = request.ParamInt("status_id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (!status_id.ok()) return ErrorResponse(status_id.status());
  auto body = ObjectBodyOf(request);
  if (!body.ok()) return ErrorResponse(body.status());
  std::vector<base::FieldError> errors;
  service::StageInput in = ParseStage(*body, 0, "", errors);
  if (!errors.empty()) return FieldErrorsResponse(std::move(errors));
  auto updated = AdminOf(context).UpdateStage(caller, *id, *status_id, in);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return StatusResponse(context, request, 200, {*updated}, nullptr, true);
}

Response DeleteStatus(ApiContext& context, Request& request) {
  auto id = request.ParamInt("id");
  auto status_id = request.ParamInt("status_id");
  if (!id.ok()) return ErrorResponse(id.status());
  if (!status_id.ok()) return ErrorResponse(status_id.status());
  base::Status removed = AdminOf(context).DeleteStage(CallerOf(request), *id, *status_id);
  if (!removed.ok()) return ErrorResponse(removed);
  return Response::NoContent();
}

}  // namespace

void RegisterPipelinesRoutes(Router& router, ApiContext& context) {
  const std::string base = "/api/v4/leads/pipelines";
  const std::string one = base + "/{id:int}";
  const std::string statuses = one + "/statuses";
  const std::string status = statuses + "/{status_id:int}";
  router.Add(Method::kGet, base, Bind(context, ListPipelines), {.name = "pipelines.list"});
  router.Add(Method::kPost, base, Bind(context, CreatePipelines),
             {.name = "pipelines.add", .administrators_only = true});
  router.Add(Method::kGet, one, Bind(context, GetPipeline), {.name = "pipelines.get"});
  router.Add(Method::kPatch, one, Bind(context, PatchPipeline),
             {.name = "pipelines.update", .administrators_only = true});
  router.Add(Method::kDelete, one, BindRemove(context, &service::AdminService::DeletePipeline),
             {.name = "pipelines.delete", .administrators_only = true});
  router.Add(Method::kGet, statuses, Bind(context, ListStatuses), {.name = "statuses.list"});
  router.Add(Method::kPost, statuses, Bind(context, CreateStatuses),
             {.name = "statuses.add", .administrators_only = true});
  router.Add(Method::kGet, status, Bind(context, GetStatus), {.name = "statuses.get"});
  router.Add(Method::kPatch, status, Bind(context, PatchStatus),
             {.name = "statuses.update", .administrators_only = true});
  router.Add(Method::kDelete, status, Bind(context, DeleteStatus),
             {.name = "statuses.delete", .administrators_only = true});
}

}  // namespace gatehouse::http::api
