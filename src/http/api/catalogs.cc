// /api/v4/catalogs (Lists): GET|POST catalogs, GET|POST|PATCH elements. Needs catalog_access;
// creating catalogs is for administrators. PATCH is Kommo's batch update: an array of
// {id, name?, custom_fields_values?}, all applied or none.
#include <limits>

#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/record_json.h"
#include "http/json.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

json CatalogJson(const Request& r, const storage::List& list, domain::AccountId account_id) {
  return {{"id", list.id},
          {"name", list.name},
          {"sort", list.sort},
          {"type", "regular"},
          {"can_add_elements", true},
          {"can_link_multiple", false},
          {"created_at", list.created_at},
          {"account_id", account_id},
          {"_links", SelfLinks(r, "/api/v4/catalogs/" + std::to_string(list.id))}};
}

json ElementJson(const Request& r, const storage::ListItem& item, domain::AccountId account_id) {
  json fields = nullptr;
  if (!item.custom_fields_json.empty()) {
    fields = json::parse(item.custom_fields_json, nullptr, false);
    if (fields.is_discarded()) fields = nullptr;
  }
  return {{"id", item.id},
          {"catalog_id", item.list_id},
          {"name", item.name},
          {"created_by", item.created_by},
          {"created_at", item.created_at},
          {"updated_at", item.updated_at},
          {"is_deleted", false},
          {"custom_fields_values", std::move(fields)},
          {"account_id", account_id},
          {"_links", SelfLinks(r, "/api/v4/catalogs/" + std::to_string(item.list_id) +
                                      "/elements/" + std::to_string(item.id))}};
}

// Reads a batch of {"name", "custom_fields_values"?}; field errors per item.
std::variant<std::vector<service::ListItemInput>, Response> ParseNamed(const Batch& batch) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<service::ListItemInput> out;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    const json& item = *batch.parts.items[i];
    service::ListItemInput in;
    auto name = item.find("name");
    if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
      errors[i].push_back({"name", "Required", "name must be a non-empty string"});
    } else if (auto error =
                   CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
      errors[i].push_back(std::move(*error));
    } else {
      in.name = name->get<std::string>();
    }
    auto fields = item.find("custom_fields_values");
    if (fields != item.end() && !fields->is_null()) {
      if (fields->is_array()) {
        in.custom_fields_json = fields->dump(-1, ' ', false, json::error_handler_t::replace);
      } else {
        errors[i].push_back(
            {"custom_fields_values", "InvalidType", "custom_fields_values must be an array"});
      }
    }
    failed = failed || !errors[i].empty();
    out.push_back(std::move(in));
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return out;
}

// Reads a batch of {"id", "name"?, "custom_fields_values"?} (custom_fields_values: an array
// replaces, null clears, absent keeps); other fields are read-only and ignored (§16.8).
std::variant<std::vector<service::ListItemUpdate>, Response> ParseUpdates(const Batch& batch) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<service::ListItemUpdate> out;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    const json& item = *batch.parts.items[i];
    service::ListItemUpdate in;
    auto id = item.find("id");
    if (id == item.end() || id->is_null()) {
      errors[i].push_back({"id", "Required", "id is required"});
    } else if (!id->is_number_integer() ||
               (id->is_number_unsigned() &&
                id->get<std::uint64_t>() >
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) ||
               id->get<std::int64_t>() <= 0) {
      errors[i].push_back({"id", "InvalidValue", "id must be a positive integer"});
    } else {
      in.id = id->get<std::int64_t>();
    }
    auto name = item.find("name");
    if (name != item.end() && !name->is_null()) {
      if (!name->is_string() || name->get<std::string>().empty()) {
        errors[i].push_back({"name", "InvalidValue", "name must be a non-empty string"});
      } else if (auto error =
                     CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
        errors[i].push_back(std::move(*error));
      } else {
        in.name = name->get<std::string>();
      }
    }
    auto fields = item.find("custom_fields_values");
    if (fields != item.end()) {
      if (fields->is_null()) {
        in.custom_fields_json = std::string();
      } else if (fields->is_array()) {
        in.custom_fields_json = fields->dump(-1, ' ', false, json::error_handler_t::replace);
      } else {
        errors[i].push_back({"custom_fields_values", "InvalidType",
                             "custom_fields_values must be an array or null"});
      }
    }
    failed = failed || !errors[i].empty();
    out.push_back(std::move(in));
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return out;
}

// {"_links", "_embedded": {"elements": [element + request_id, ...]}}, the shape of POST and
// PATCH answers.
Response ElementsResponse(const Request& r, const std::vector<storage::ListItem>& elements,
                          const Batch& batch, domain::AccountId account_id) {
  json items = json::array();
  for (std::size_t i = 0; i < elements.size(); ++i) {
    json item = ElementJson(r, elements[i], account_id);
    item["request_id"] = batch.parts.request_ids[i];
    items.push_back(std::move(item));
  }
  return JsonResponse(
      200, {{"_links", SelfLinks(r, r.path)}, {"_embedded", {{"elements", std::move(items)}}}});
}

}  // namespace

void RegisterCatalogRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/catalogs",
             [service](Request& r) -> Response {
               base::Status known = r.query.CheckKnownKeys({"page", "limit"});
               if (!known.ok()) return ProblemResponse(known);
               auto paging = ParsePaging(r.query);
               if (!paging.ok()) return ProblemResponse(paging.status());
               const service::Caller& caller = CallerOf(r);
               auto lists = service->ListCatalogs(caller);
               if (!lists.ok()) return ProblemResponse(lists.status());
               const PageSpan span = SpanOf(*paging, lists->size());
               json items = json::array();
               for (std::size_t i = span.begin; i < span.end; ++i) {
                 items.push_back(CatalogJson(r, (*lists)[i], caller.account_id));
               }
               return ListResponse(r, "catalogs", std::move(items), paging->page, span.has_next);
             },
             {.name = "catalogs.list"});

  router.Add(Method::kPost, "/api/v4/catalogs",
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto inputs = ParseNamed(*batch);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               std::vector<std::string> names;
               for (const auto& in : std::get<std::vector<service::ListItemInput>>(inputs)) {
                 names.push_back(in.name);
               }
               const service::Caller& caller = CallerOf(r);
               std::size_t failed = 0;
               auto created = service->AddCatalogs(caller, names, &failed);
               if (!created.ok()) {
                 return BatchProblem(created.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               json items = json::array();
               for (std::size_t i = 0; i < created->size(); ++i) {
                 json item = CatalogJson(r, (*created)[i], caller.account_id);
                 item["request_id"] = batch->parts.request_ids[i];
                 items.push_back(std::move(item));
               }
               return JsonResponse(200, {{"_total_items", items.size()},
                                         {"_links", SelfLinks(r, r.path)},
                                         {"_embedded", {{"catalogs", std::move(items)}}}});
             },
             {.name = "catalogs.add"});

  // The targets of the catalogs' and elements' _links.self.
  router.Add(
      Method::kGet, "/api/v4/catalogs/{id:int}",
      [service](Request& r) -> Response {
        return OneById(
            r,
            [&](const service::Caller& c, std::int64_t id) { return service->GetCatalog(c, id); },
            [&](const service::Caller& c, const storage::List& list) {
              return JsonResponse(200, CatalogJson(r, list, c.account_id));
            });
      },
      {.name = "catalogs.get"});

  router.Add(Method::kGet, "/api/v4/catalogs/{id:int}/elements/{element_id:int}",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto element_id = r.ParamInt("element_id");
               if (!element_id.ok()) return ProblemResponse(element_id.status());
               base::Status known = r.query.CheckKnownKeys({});
               if (!known.ok()) return ProblemResponse(known);
               const service::Caller& caller = CallerOf(r);
               auto element = service->GetCatalogElement(caller, *id, *element_id);
               if (!element.ok()) return ProblemResponse(element.status());
               return JsonResponse(200, ElementJson(r, *element, caller.account_id));
             },
             {.name = "catalogs.elements.get"});

  router.Add(
      Method::kGet, "/api/v4/catalogs/{id:int}/elements",
      [service](Request& r) -> Response {
        auto id = r.ParamInt("id");
        if (!id.ok()) return ProblemResponse(id.status());
        base::Status known = r.query.CheckKnownKeys({"page", "limit"});
        if (!known.ok()) return ProblemResponse(known);
        auto paging = ParsePaging(r.query);
        if (!paging.ok()) return ProblemResponse(paging.status());
        const service::Caller& caller = CallerOf(r);
        auto elements = service->ListCatalogElements(caller, *id, paging->limit, paging->page);
        if (!elements.ok()) return ProblemResponse(elements.status());
        json items = json::array();
        for (const storage::ListItem& item : elements->items) {
          items.push_back(ElementJson(r, item, caller.account_id));
        }
        return ListResponse(r, "elements", std::move(items), paging->page, elements->has_next);
      },
      {.name = "catalogs.elements.list"});

  router.Add(Method::kPost, "/api/v4/catalogs/{id:int}/elements",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto batch = ReadBatch(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto inputs = ParseNamed(*batch);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const service::Caller& caller = CallerOf(r);
               std::size_t failed = 0;
               auto created = service->AddCatalogElements(
                   caller, *id, std::get<std::vector<service::ListItemInput>>(inputs), &failed);
               if (!created.ok()) {
                 return BatchProblem(created.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return ElementsResponse(r, *created, *batch, caller.account_id);
             },
             {.name = "catalogs.elements.add"});

  router.Add(Method::kPatch, "/api/v4/catalogs/{id:int}/elements",
             [service](Request& r) -> Response {
               auto id = r.ParamInt("id");
               if (!id.ok()) return ProblemResponse(id.status());
               auto batch = ReadBatch(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto inputs = ParseUpdates(*batch);
               if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
               const service::Caller& caller = CallerOf(r);
               std::size_t failed = 0;
               auto updated = service->UpdateCatalogElements(
                   caller, *id, std::get<std::vector<service::ListItemUpdate>>(inputs), &failed);
               if (!updated.ok()) {
                 return BatchProblem(updated.status(), failed, batch->parts.request_ids,
                                     batch->is_array);
               }
               return ElementsResponse(r, *updated, *batch, caller.account_id);
             },
             {.name = "catalogs.elements.update"});
}

}  // namespace gatehouse::http::api::records
