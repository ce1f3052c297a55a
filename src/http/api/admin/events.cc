// GET /api/v4/events, /api/v4/events/{id} and /api/v4/events/types (kommo-api-v4.md §13): the
// activity log as the caller may see it, and the event types Gatehouse records.
#include <algorithm>

#include "http/api/admin/admin_routes.h"
#include "http/api/hal.h"
#include "http/api/records/csv.h"
#include "http/api/stage_keys.h"
#include "http/json.h"
#include "service/admin/admin_events.h"
#include "service/event_types.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// Where an event's entity lives in the API, or "" when it has no resource.
std::string EntityPath(const storage::EventRow& event) {
  const std::string id = std::to_string(event.entity_id);
  if (auto data_set = service::DataSetOfEventEntity(event.entity_type)) {
    // A record's resource is its data set's path; incoming leads are addressed by uid.
    if (*data_set == domain::DataSet::kIncomingLeads) return "";
    return "/api/v4/" + std::string(domain::DataSetName(*data_set)) + "/" + id;
  }
  if (event.entity_type == "user") return "/api/v4/users/" + id;
  if (event.entity_type == "role") return "/api/v4/roles/" + id;
  if (event.entity_type == "group") return "/api/v4/users_groups/" + id;
  if (event.entity_type == "pipeline") return "/api/v4/leads/pipelines/" + id;
  return "";
}

json Values(const std::string& text) {
  if (text.empty()) return json::array();
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? json::array() : parsed;
}

json EventJson(const Request& request, domain::AccountId account_id,
               const storage::EventRow& event) {
  json out = {{"id", event.id},
              {"type", event.type},
              {"entity_id", event.entity_id},
              {"entity_type", event.entity_type},
              {"created_by", event.actor_user_id},
              {"created_at", event.created_at},
              {"value_after", Values(event.value_after_json)},
              {"value_before", Values(event.value_before_json)},
              {"account_id", account_id},
              {"_links", SelfLinks(request, "/api/v4/events/" + event.id)}};
  if (event.entity_id != 0) {
    json entity = {{"id", event.entity_id}};
    if (std::string path = EntityPath(event); !path.empty()) {
      entity["_links"] = SelfLinks(request, path);
    }
    out["_embedded"]["entity"] = std::move(entity);
  }
  return out;
}

// filter[created_at]: one timestamp means "after it" (Kommo); [from]/[to] and "a,b" a range.
base::Result<storage::Range> CreatedAt(const Query& query) {
  storage::Range range;
  const QueryNode* node = query.Find("filter[created_at]");
  if (node == nullptr) return range;
  if (node->is_value() && node->value().find(',') == std::string::npos) {
    GH_ASSIGN_OR_RETURN(std::optional<std::int64_t> after, query.GetInt("filter[created_at]"));
    range.from = after;
    return range;
  }
  GH_ASSIGN_OR_RETURN(std::optional<IntRange> parsed, query.GetRange("filter[created_at]"));
  if (parsed) {
    range.from = parsed->from;
    range.to = parsed->to;
  }
  return range;
}

// filter[value_before] or filter[value_after] (`side`): leads_statuses and
// responsible_user_id; Kommo's other value filters are refused by name.
base::Result<service::EventValueFilter> ValueFilterOf(const Query& query, std::string_view side) {
  service::EventValueFilter out;
  const std::string path = "filter[" + std::string(side) + "]";
  const QueryNode* node = query.Find(path);
  if (node == nullptr) return out;
  if (node->kind() != QueryNode::Kind::kMap) {
    return base::Status::InvalidField(path, "InvalidType",
                                      path + " takes [leads_statuses] or [responsible_user_id]");
  }
  for (const auto& [key, child] : node->children()) {
    const std::string child_path = path + "[" + key + "]";
    if (key == "leads_statuses") {
      GH_ASSIGN_OR_RETURN(out.leads_statuses, ParseStageKeys(query, child_path));
    } else if (key == "responsible_user_id") {
      GH_ASSIGN_OR_RETURN(out.responsible_user_ids, query.GetIntList(child_path));
      if (out.responsible_user_ids.empty()) {
        return base::Status::InvalidField(child_path, "Required", child_path + " needs a user id");
      }
      for (domain::UserId id : out.responsible_user_ids) {
        if (id <= 0) {
          return base::Status::InvalidField(child_path, "InvalidValue",
                                            "user ids must be positive integers");
        }
      }
    } else if (key == "custom_field_values" || key == "value") {
      return base::Status::InvalidField(child_path, "NotSupported",
                                        child_path + " is not supported by this server");
    } else {
      return base::Status::InvalidField(child_path, "UnknownParameter",
                                        path + " takes [leads_statuses] or [responsible_user_id]");
    }
  }
  return out;
}

// Kommo's with= values for events (kommo-api-v4.md §13) are accepted; the entity is always
// embedded with its id and link, and names are not added. Anything else is refused by name.
base::Status CheckWith(const Query& query) {
  GH_ASSIGN_OR_RETURN(std::vector<std::string> with, query.GetStringList("with"));
  static constexpr std::string_view kKnown[] = {"contact_name",  "lead_name",
                                                "company_name",  "catalog_element_name",
                                                "customer_name", "catalog_name"};
  for (const std::string& value : with) {
    if (std::find(std::begin(kKnown), std::end(kKnown), value) == std::end(kKnown)) {
      return base::Status::InvalidField("with", "NotSupportedChoice",
                                        "with=" + value + " is not supported for events");
    }
  }
  return base::Status::Ok();
}

// What settings and security events act on (their entity_type as written by the services).
// Beyond Kommo's record entities, so an administrator can narrow the log to, say, one user's
// or one role's changes; the events themselves stay administrator-only.
constexpr std::string_view kSettingsEntities[] = {"account",     "user",   "role",    "group",
                                                  "pipeline",    "status", "session", "token",
                                                  "integration", "login",  "event"};

base::Result<service::EventFilter> FilterOf(const Request& request) {
  const Query& query = request.query;
  GH_RETURN_IF_ERROR(query.CheckKnownKeys({"page", "limit", "filter", "with"},
                                          {"id", "created_at", "created_by", "entity", "entity_id",
                                           "type", "value_before", "value_after"}));
  GH_RETURN_IF_ERROR(CheckWith(query));
  service::EventFilter filter;
  GH_ASSIGN_OR_RETURN(Paging paging,
                      ParsePaging(query, kDefaultPageLimit, service::kMaxEventsLimit));
  filter.page = paging.page;
  filter.limit = paging.limit;
  GH_ASSIGN_OR_RETURN(filter.ids, query.GetStringList("filter[id]"));
  GH_ASSIGN_OR_RETURN(filter.created_at, CreatedAt(query));
  GH_ASSIGN_OR_RETURN(filter.created_by, query.GetIntList("filter[created_by]"));
  GH_ASSIGN_OR_RETURN(filter.entity_types, query.GetStringList("filter[entity]"));
  GH_ASSIGN_OR_RETURN(filter.entity_ids, query.GetIntList("filter[entity_id]"));
  GH_ASSIGN_OR_RETURN(filter.types, query.GetStringList("filter[type]"));
  GH_ASSIGN_OR_RETURN(filter.value_before, ValueFilterOf(query, "value_before"));
  GH_ASSIGN_OR_RETURN(filter.value_after, ValueFilterOf(query, "value_after"));
  if (!filter.entity_ids.empty() && filter.entity_types.size() != 1) {
    return base::Status::InvalidField("filter[entity_id]", "Required",
                                      "filter[entity_id] needs exactly one filter[entity]");
  }
  for (const std::string& entity : filter.entity_types) {
    if (!service::DataSetOfEventEntity(entity) && entity.rfind("catalog_", 0) != 0 &&
        std::find(std::begin(kSettingsEntities), std::end(kSettingsEntities), entity) ==
            std::end(kSettingsEntities)) {
      return base::Status::InvalidField(
          "filter[entity]", "NotSupportedChoice",
          "filter[entity] takes lead, contact, company, task, customer, catalog_{id}, account, "
          "user, role, group, pipeline, status, session, token, integration, login or event");
    }
  }
  return filter;
}

Response EventsList(ApiContext& context, Request& request) {
  auto filter = FilterOf(request);
  if (!filter.ok()) return ErrorResponse(filter.status());
  const service::Caller& caller = CallerOf(request);
  auto page = AdminOf(context).ListEvents(caller, *filter);
  if (!page.ok()) return ErrorResponse(page.status());
  return StoredPageResponse(
      request, "events", filter->page, *page,
      [&](const storage::EventRow& event) { return EventJson(request, caller.account_id, event); });
}

Response EventsGet(ApiContext& context, Request& request) {
  // with= is accepted as on the list; the entity is always embedded (id and link).
  base::Status known = request.query.CheckKnownKeys({"with"});
  if (known.ok()) known = CheckWith(request.query);
  if (!known.ok()) return ErrorResponse(known);
  const service::Caller& caller = CallerOf(request);
  auto event = AdminOf(context).GetEvent(caller, request.Param("id"));
  if (!event.ok()) return ErrorResponse(event.status());
  return JsonResponse(200, EventJson(request, caller.account_id, *event));
}

// Labels exist in English only: another language_code is refused rather than answered in
// English as if it were that language.
Response EventTypesList(Request& request) {
  base::Status known = request.query.CheckKnownKeys({"language_code"});
  if (!known.ok()) return ErrorResponse(known);
  auto language = request.query.GetString("language_code");
  if (!language.ok()) return ErrorResponse(language.status());
  if (*language && **language != service::kEventTypesLanguage) {
    return ErrorResponse(base::Status::InvalidField(
        "language_code", "NotSupportedChoice",
        "language_code " + std::string(service::kEventTypesLanguage) + " is the only one"));
  }
  json items = json::array();
  for (const service::EventType& type : service::EventTypes()) {
    items.push_back({{"key", type.key}, {"type", type.type}, {"lang", type.lang}});
  }
  return EmbeddedResponse(request, "events_types", std::move(items), /*with_total=*/true);
}

// GET /api/v4/events/export: the matching events as CSV (administrators), newest first, with
// the chain fields so an exported log can be checked outside Gatehouse.
Response EventsExport(ApiContext& context, Request& request) {
  auto filter = FilterOf(request);
  if (!filter.ok()) return ErrorResponse(filter.status());
  if (request.query.Has("page") || request.query.Has("limit")) {
    return ErrorResponse(base::Status::InvalidField(
        request.query.Has("page") ? "page" : "limit", "UnknownParameter",
        "an export holds every matching event: page and limit do not apply"));
  }
  const service::Caller& caller = CallerOf(request);
  std::string body =
      "id,created_at,created_by,actor_ip,type,entity_type,entity_id,value_before,value_after,"
      "seq,prev_hash,hash\r\n";
  auto rows = AdminOf(context).ExportEvents(caller, *filter, [&](const storage::EventRow& e) {
    csv::Row(body,
             {csv::Text(e.id), csv::Int(e.created_at), csv::Int(e.actor_user_id),
              csv::Text(e.actor_ip), csv::Text(e.type), csv::Text(e.entity_type),
              csv::Int(e.entity_id), csv::Text(e.value_before_json), csv::Text(e.value_after_json),
              csv::Int(e.seq), csv::Text(e.prev_hash), csv::Text(e.hash)});
  });
  if (!rows.ok()) return ErrorResponse(rows.status());
  return csv::Download(std::move(body), "events");
}

// GET /api/v4/security/audit/verify: the hash chain's state (administrators).
Response AuditVerify(ApiContext& context, Request& request) {
  base::Status known = request.query.CheckKnownKeys({});
  if (!known.ok()) return ErrorResponse(known);
  auto report = AdminOf(context).VerifyAuditLog(CallerOf(request));
  if (!report.ok()) return ErrorResponse(report.status());
  json first_break = nullptr;
  if (report->first_break) {
    first_break = {
        {"seq", report->first_break->seq},
        {"event_id", report->first_break->event_id.empty() ? json(nullptr)
                                                           : json(report->first_break->event_id)},
        {"reason", report->first_break->reason}};
  }
  return JsonResponse(200, {{"intact", report->intact()},
                            {"events_checked", report->checked},
                            {"head_seq", report->head_seq},
                            {"unchained_events", report->unchained},
                            {"first_break", std::move(first_break)},
                            {"_links", SelfLinks(request, request.path)}});
}

}  // namespace

void RegisterEventsRoutes(Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v4/events", Bind(context, EventsList), {.name = "events.list"});
  // A literal segment outranks a parameter: "types" and "export" never reach events.get.
  router.Add(Method::kGet, "/api/v4/events/types", EventTypesList, {.name = "events.types"});
  router.Add(Method::kGet, "/api/v4/events/export", Bind(context, EventsExport),
             {.name = "events.export", .blocking = true});
  router.Add(Method::kGet, "/api/v4/security/audit/verify", Bind(context, AuditVerify),
             {.name = "security.audit.verify"});
  router.Add(Method::kGet, "/api/v4/events/{id}", Bind(context, EventsGet), {.name = "events.get"});
}

}  // namespace gatehouse::http::api
