// GET /api/v4/events (kommo-api-v4.md §13): the activity log as the caller may see it.
#include "http/api/admin_routes.h"
#include "http/api/hal.h"
#include "http/json.h"
#include "service/admin_events.h"

namespace gatehouse::http::api {
namespace {

using nlohmann::json;

// Where an event's entity lives in the API, or "" when it has no resource.
std::string EntityPath(const storage::EventRow& event) {
  const std::string id = std::to_string(event.entity_id);
  if (auto data_set = service::DataSetOfEventEntity(event.entity_type)) {
    switch (*data_set) {
      case domain::DataSet::kLeads:
        return "/api/v4/leads/" + id;
      case domain::DataSet::kContacts:
        return "/api/v4/contacts/" + id;
      case domain::DataSet::kCompanies:
        return "/api/v4/companies/" + id;
      case domain::DataSet::kTasks:
        return "/api/v4/tasks/" + id;
      case domain::DataSet::kIncomingLeads:
        return "";
    }
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

base::Result<service::EventFilter> FilterOf(const Request& request) {
  const Query& query = request.query;
  GH_RETURN_IF_ERROR(
      query.CheckKnownKeys({"page", "limit", "filter", "with"},
                           {"id", "created_at", "created_by", "entity", "entity_id", "type"}));
  service::EventFilter filter;
  GH_ASSIGN_OR_RETURN(Paging paging, PagingOf(request, service::kMaxEventsLimit));
  filter.page = paging.page;
  filter.limit = paging.limit;
  GH_ASSIGN_OR_RETURN(filter.ids, query.GetStringList("filter[id]"));
  GH_ASSIGN_OR_RETURN(filter.created_at, CreatedAt(query));
  GH_ASSIGN_OR_RETURN(filter.created_by, query.GetIntList("filter[created_by]"));
  GH_ASSIGN_OR_RETURN(filter.entity_types, query.GetStringList("filter[entity]"));
  GH_ASSIGN_OR_RETURN(filter.entity_ids, query.GetIntList("filter[entity_id]"));
  GH_ASSIGN_OR_RETURN(filter.types, query.GetStringList("filter[type]"));
  if (!filter.entity_ids.empty() && filter.entity_types.size() != 1) {
    return base::Status::InvalidField("filter[entity_id]", "Required",
                                      "filter[entity_id] needs exactly one filter[entity]");
  }
  for (const std::string& entity : filter.entity_types) {
    if (!service::DataSetOfEventEntity(entity) && entity.rfind("catalog_", 0) != 0 &&
        entity != "customer") {
      return base::Status::InvalidField(
          "filter[entity]", "NotSupportedChoice",
          "filter[entity] takes lead, contact, company, task, customer or catalog_{id}");
    }
  }
  return filter;
}

Response List(ApiContext& context, Request& request) {
  auto filter = FilterOf(request);
  if (!filter.ok()) return ErrorResponse(filter.status());
  const service::Caller& caller = CallerOf(request);
  auto page = service::ListEvents(DepsOf(context), caller, *filter);
  if (!page.ok()) return ErrorResponse(page.status());
  json items = json::array();
  for (const storage::EventRow& event : page->items) {
    items.push_back(EventJson(request, caller.account_id, event));
  }
  return ListResponse(request, "events", std::move(items), filter->page, page->has_next);
}

}  // namespace

void RegisterEventsRoutes(Router& router, ApiContext& context) {
  ApiContext* ctx = &context;
  router.Add(Method::kGet, "/api/v4/events",
             Guarded([ctx](Request& request) { return List(*ctx, request); }),
             {.name = "events.list"});
}

}  // namespace gatehouse::http::api
