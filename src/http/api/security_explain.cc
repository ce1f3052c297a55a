// GET /api/v4/security/explain?user_id=&entity_type=&entity_id=&action= (SPEC §6 Explain):
// administrators for any user, everyone else for themself on records they may view (the service
// decides). Renders the engine's Explanation:
//   {"user_id","entity_type","entity_id","action","allowed","rule","level","match",
//    "stage": {"pipeline_id","status_id"} | null, "reasons": [{"code","text"}]}
// `level` is the effective level's letter (D/M/G/A). `at=` (point-in-time replay) is refused
// with 400 until replay exists.
#include "http/api/admin_routes.h"
#include "http/json.h"
#include "service/admin_events.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

constexpr domain::Action kExplainActions[] = {domain::Action::kView, domain::Action::kEdit,
                                              domain::Action::kDelete, domain::Action::kExport,
                                              domain::Action::kAdd};

// Reads the query; every problem becomes one field error.
base::Result<service::ExplainRequest> Parse(const Query& query) {
  std::vector<base::FieldError> errors;
  service::ExplainRequest out;
  auto int_param = [&](const char* name, std::int64_t& into) {
    auto value = query.GetInt(name);
    if (!value.ok()) {
      errors.push_back({name, "InvalidType", std::string(name) + " must be an integer"});
    } else if (!*value) {
      errors.push_back({name, "Required", std::string(name) + " is required"});
    } else {
      into = **value;
    }
  };
  int_param("user_id", out.user_id);
  int_param("entity_id", out.entity_id);
  auto entity_type = query.GetString("entity_type");
  std::optional<domain::DataSet> data_set;
  if (entity_type.ok() && *entity_type) data_set = domain::RecordDataSetFromName(**entity_type);
  if (!data_set || *data_set == domain::DataSet::kIncomingLeads) {
    errors.push_back({"entity_type", "NotSupportedChoice",
                      "entity_type must be leads, contacts, companies, tasks or customers"});
  } else {
    out.data_set = *data_set;
  }
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
  if (query.Has("at")) {
    errors.push_back({"at", "NotSupported",
                      "point-in-time explanations (at=) are not supported yet; omit at to "
                      "explain the current rights"});
  }
  if (!errors.empty()) {
    std::string message =
        errors.size() == 1 ? errors[0].path + ": " + errors[0].detail : "Request validation failed";
    return base::Status::Invalid(std::move(message), std::move(errors));
  }
  return out;
}

Response Explain(ApiContext& context, Request& request) {
  const service::Caller& caller = CallerOf(request);
  auto parsed = Parse(request.query);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  auto result = service::ExplainAccess(DepsOf(context), caller, *parsed);
  if (!result.ok()) return ErrorResponse(result.status());
  const policy::Explanation& e = result->explanation;
  json reasons = json::array();
  for (const policy::Reason& reason : e.reasons) {
    reasons.push_back({{"code", reason.code}, {"text", reason.text}});
  }
  json stage = nullptr;
  if (e.stage_rule) {
    stage = {{"pipeline_id", e.stage_rule->pipeline_id}, {"status_id", e.stage_rule->status_id}};
  }
  json out = {{"user_id", parsed->user_id},
              {"entity_type", domain::DataSetName(parsed->data_set)},
              {"entity_id", parsed->entity_id},
              {"action", domain::ActionName(parsed->action)},
              {"allowed", e.decision.allowed},
              {"rule", policy::RuleName(e.decision.rule)},
              {"level", std::string(1, domain::LevelLetter(e.decision.level))},
              {"match", policy::MatchName(e.decision.match)},
              {"stage", stage},
              {"responsible_user_id", result->record.responsible_user_id},
              {"reasons", reasons}};
  return JsonResponse(200, out);
}

}  // namespace

void RegisterExplainRoutes(Router& router, ApiContext& context) {
  ApiContext* ctx = &context;
  router.Add(Method::kGet, "/api/v4/security/explain",
             Guarded([ctx](Request& request) { return Explain(*ctx, request); }),
             {.name = "security.explain"});
}

}  // namespace gatehouse::http::api
