// GET /api/v4/security/explain?user_id=&entity_type=&entity_id=&action=[&at=] (SPEC §6
// Explain): administrators for any user, everyone else for themself on records they may view
// (the service decides). Renders the engine's Explanation:
//   {"user_id","entity_type","entity_id","action","allowed","rule","level","match",
//    "stage": {"pipeline_id","status_id"} | null, "responsible_user_id", "reasons":
//    [{"code","text"}]}
// `level` is the effective level's letter (D/M/G/A). With `at=T` (unix seconds) the answer is a
// point-in-time replay (service/security/replay.h, administrators only) and also carries "at" and
// "replay_from" (the earliest T replay answers for).
//
// GET /api/v4/security/explain/viewers?entity_type=&entity_id=[&at=]: who could view the record
// (now, or at T), each with the rule: {"entity_type","entity_id","at"?,"replay_from"?,
// "responsible_user_id","stage", "_embedded": {"viewers": [{"user_id","rule","level","match",
// "stage"}]}}. Administrators only.
#include "http/api/security/security_explain.h"

#include "http/api/admin/admin_routes.h"
#include "http/json.h"
#include "service/admin/admin_events.h"
#include "service/security/replay.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

constexpr domain::Action kExplainActions[] = {domain::Action::kView, domain::Action::kEdit,
                                              domain::Action::kDelete, domain::Action::kExport,
                                              domain::Action::kAdd};

// The parameters both forms share: every problem becomes one field error.
struct RecordParams {
  domain::DataSet data_set = domain::DataSet::kLeads;
  domain::RecordId entity_id = 0;
  std::optional<std::int64_t> at;
};

void IntParam(const Query& query, const char* name, std::int64_t& into,
              std::vector<base::FieldError>& errors) {
  auto value = query.GetInt(name);
  if (!value.ok()) {
    errors.push_back({name, "InvalidType", std::string(name) + " must be an integer"});
  } else if (!*value) {
    errors.push_back({name, "Required", std::string(name) + " is required"});
  } else {
    into = **value;
  }
}

RecordParams ParseRecord(const Query& query, std::vector<base::FieldError>& errors) {
  RecordParams out;
  IntParam(query, "entity_id", out.entity_id, errors);
  auto entity_type = query.GetString("entity_type");
  std::optional<domain::DataSet> data_set;
  if (entity_type.ok() && *entity_type) data_set = domain::RecordDataSetFromName(**entity_type);
  if (!data_set || *data_set == domain::DataSet::kIncomingLeads) {
    errors.push_back({"entity_type", "NotSupportedChoice",
                      "entity_type must be leads, contacts, companies, tasks or customers"});
  } else {
    out.data_set = *data_set;
  }
  if (query.Has("at")) {
    std::int64_t at = 0;
    IntParam(query, "at", at, errors);
    if (at < 0) {
      errors.push_back({"at", "OutOfRange", "at must be unix seconds (>= 0)"});
    } else {
      out.at = at;
    }
  }
  return out;
}

base::Status InvalidQuery(std::vector<base::FieldError> errors) {
  std::string message =
      errors.size() == 1 ? errors[0].path + ": " + errors[0].detail : "Request validation failed";
  return base::Status::Invalid(std::move(message), std::move(errors));
}

base::Result<service::ExplainRequest> Parse(const Query& query) {
  std::vector<base::FieldError> errors;
  service::ExplainRequest out;
  IntParam(query, "user_id", out.user_id, errors);
  RecordParams record = ParseRecord(query, errors);
  out.data_set = record.data_set;
  out.entity_id = record.entity_id;
  out.at = record.at;
  auto action_name = query.GetString("action");
  std::optional<domain::Action> action;
  if (action_name.ok() && *action_name) action = domain::ActionFromName(**action_name);
  if (!action || std::find(std::begin(kExplainActions), std::end(kExplainActions), *action) ==
                     std::end(kExplainActions)) {
    errors.push_back(
        {"action", "NotSupportedChoice", "action must be view, edit, delete, export or add"});
  } else {
    out.action = *action;
  }
  if (!errors.empty()) return InvalidQuery(std::move(errors));
  return out;
}

json StageJson(const policy::Explanation& e) {
  if (!e.stage_rule) return nullptr;
  return {{"pipeline_id", e.stage_rule->pipeline_id}, {"status_id", e.stage_rule->status_id}};
}

// The record's stage (leads) as the engine saw it, or null.
json RecordStageJson(const domain::RecordRef& record) {
  if (record.data_set != domain::DataSet::kLeads) return nullptr;
  return {{"pipeline_id", record.pipeline_id}, {"status_id", record.status_id}};
}

json ExplainValue(const service::ExplainRequest& request, const service::ExplainResult& result) {
  const policy::Explanation& e = result.explanation;
  json reasons = json::array();
  for (const policy::Reason& reason : e.reasons) {
    reasons.push_back({{"code", reason.code}, {"text", reason.text}});
  }
  json out = {{"user_id", request.user_id},
              {"entity_type", domain::DataSetName(request.data_set)},
              {"entity_id", request.entity_id},
              {"action", domain::ActionName(request.action)},
              {"allowed", e.decision.allowed},
              {"rule", policy::RuleName(e.decision.rule)},
              {"level", std::string(1, domain::LevelLetter(e.decision.level))},
              {"match", policy::MatchName(e.decision.match)},
              {"stage", StageJson(e)},
              {"responsible_user_id", result.record.responsible_user_id},
              {"reasons", reasons}};
  if (request.at) {
    out["at"] = *request.at;
    out["replay_from"] = result.replay_from;
    out["record_stage"] = RecordStageJson(result.record);
  }
  return out;
}

json ViewersValue(const service::ViewersRequest& request, const service::ViewersResult& result) {
  json viewers = json::array();
  for (const service::Viewer& viewer : result.viewers) {
    const policy::Decision& d = viewer.explanation.decision;
    viewers.push_back({{"user_id", viewer.user_id},
                       {"rule", policy::RuleName(d.rule)},
                       {"level", std::string(1, domain::LevelLetter(d.level))},
                       {"match", policy::MatchName(d.match)},
                       {"stage", StageJson(viewer.explanation)}});
  }
  json out = {{"entity_type", domain::DataSetName(request.data_set)},
              {"entity_id", request.entity_id},
              {"responsible_user_id", result.record.responsible_user_id},
              {"record_stage", RecordStageJson(result.record)},
              {"_embedded", {{"viewers", viewers}}}};
  if (request.at) {
    out["at"] = *request.at;
    out["replay_from"] = result.replay_from;
  }
  return out;
}

Response Explain(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto parsed = Parse(request.query);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  auto result = AdminOf(context).ExplainAccess(caller, *parsed);
  if (!result.ok()) return ErrorResponse(result.status());
  return JsonResponse(200, ExplainValue(*parsed, *result));
}

Response Viewers(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  std::vector<base::FieldError> errors;
  RecordParams params = ParseRecord(request.query, errors);
  if (!errors.empty()) return ErrorResponse(InvalidQuery(std::move(errors)));
  const service::ViewersRequest viewers{params.data_set, params.entity_id, params.at};
  auto result = SecurityOf(context).ListViewers(caller, viewers);
  if (!result.ok()) return ErrorResponse(result.status());
  return JsonResponse(200, ViewersValue(viewers, *result));
}

}  // namespace

std::string ExplainJson(const service::ExplainRequest& request,
                        const service::ExplainResult& result) {
  return ExplainValue(request, result).dump();
}

std::string ViewersJson(const service::ViewersRequest& request,
                        const service::ViewersResult& result) {
  return ViewersValue(request, result).dump();
}

void RegisterExplainRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/security/explain", Bind(context, Explain),
             {.name = "security.explain"});
  router.Add(Method::kGet, "/api/v4/security/explain/viewers", Bind(context, Viewers),
             {.name = "security.explain.viewers"});
}

}  // namespace gatehouse::http::api
