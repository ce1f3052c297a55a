// /api/v4/catalogs (Lists): GET|POST catalogs, GET|POST|PATCH elements. Needs catalog_access;
// creating catalogs is for administrators. The elements' GET takes Kommo's query (a substring of
// the name) and filter[id]. PATCH is Kommo's batch update: an array of
// {id, name?, custom_fields_values?}, all applied or none.
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/json.h"
#include "service/json_text.h"

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
  return {{"id", item.id},
          {"catalog_id", item.list_id},
          {"name", item.name},
          {"created_by", item.created_by},
          {"created_at", item.created_at},
          {"updated_at", item.updated_at},
          {"is_deleted", false},
          {"custom_fields_values", service::StoredJsonOrNull(item.custom_fields_json)},
          {"account_id", account_id},
          {"_links", SelfLinks(r, "/api/v4/catalogs/" + std::to_string(item.list_id) +
                                      "/elements/" + std::to_string(item.id))}};
}

// The keys of a catalog write: what a catalog keeps, then Kommo's settings, taken only with the
// one value every catalog here has (CatalogJson), so nothing sent is lost.
constexpr std::string_view kCatalogKeys[] = {"name", "sort", "type", "can_add_elements",
                                             "can_link_multiple", "request_id",
                                             // read-only
                                             "id", "created_at", "account_id", "_links"};
// The keys of an element write: what an element keeps, then the read-only ones GET renders,
// which a client may send back unchanged (§16.8) and which are ignored.
constexpr std::string_view kElementKeys[] = {
    "id",         "name",       "custom_fields_values", "request_id", "catalog_id", "created_by",
    "created_at", "updated_at", "is_deleted",           "account_id", "_links"};

// One catalog of a POST: {"name", "sort"?, and Kommo's settings at the values kept here}.
service::CatalogInput ParseCatalog(const json& item, std::vector<base::FieldError>& errors) {
  CheckBodyFields(item, {kCatalogKeys, {}}, errors);
  service::CatalogInput in{.name = RequiredName(item, errors)};
  BodyReader fields(item, errors, "", kRecordBody);
  in.sort = fields.SmallInt("sort");
  if (std::optional<std::string> type = fields.String("type"); type && *type != "regular") {
    fields.Add("type", "NotSupportedChoice",
               "type must be regular: invoices and products catalogs are not offered");
  }
  if (std::optional<bool> add = fields.Bool("can_add_elements"); add && !*add) {
    fields.Add("can_add_elements", "NotSupportedChoice",
               "can_add_elements must be true: elements can always be added");
  }
  if (std::optional<bool> multiple = fields.Bool("can_link_multiple"); multiple && *multiple) {
    fields.Add("can_link_multiple", "NotSupportedChoice",
               "can_link_multiple must be false: an element is linked once per record");
  }
  return in;
}

// One item of a POST: {"name", "custom_fields_values"?}.
service::ListItemInput ParseNamed(const json& item, std::vector<base::FieldError>& errors) {
  CheckBodyFields(item, {kElementKeys, {}}, errors);
  service::ListItemInput in{.name = RequiredName(item, errors)};
  if (const json* fields = PresentMember(item, "custom_fields_values")) {
    if (fields->is_array()) {
      in.custom_fields_json = fields->dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      errors.push_back(
          {"custom_fields_values", "InvalidType", "custom_fields_values must be an array"});
    }
  }
  return in;
}

// One item of a PATCH: {"id", "name"?, "custom_fields_values"?} (custom_fields_values: an array
// replaces, null clears, absent keeps); other fields are read-only and ignored (§16.8).
service::ListItemUpdate ParseUpdate(const json& item, std::vector<base::FieldError>& errors) {
  CheckBodyFields(item, {kElementKeys, {}}, errors);
  service::ListItemUpdate in;
  const json* id = PresentMember(item, "id");
  if (id == nullptr) {
    errors.push_back({"id", "Required", "id is required"});
  } else if (!id->is_number_integer() ||
             (id->is_number_unsigned() &&
              id->get<std::uint64_t>() >
                  static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) ||
             id->get<std::int64_t>() <= 0) {
    errors.push_back({"id", "InvalidValue", "id must be a positive integer"});
  } else {
    in.id = id->get<std::int64_t>();
  }
  if (const json* name = PresentMember(item, "name")) {
    if (!name->is_string() || name->get<std::string>().empty()) {
      errors.push_back({"name", "InvalidValue", "name must be a non-empty string"});
    } else if (auto error =
                   CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
      errors.push_back(std::move(*error));
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
      errors.push_back(
          {"custom_fields_values", "InvalidType", "custom_fields_values must be an array or null"});
    }
  }
  return in;
}

// {"_links", "_embedded": {"elements": [element + request_id, ...]}}, the shape of POST and
// PATCH answers.
Response ElementsResponse(const Request& r, const std::vector<storage::ListItem>& elements,
                          const Batch& batch, domain::AccountId account_id) {
  json items = WithRequestIds(batch, elements, [&](const storage::ListItem& element) {
    return ElementJson(r, element, account_id);
  });
  return EmbeddedResponse(r, "elements", std::move(items));
}

// The catalogs' list: every catalog of the account, paged in memory.
Response ListCatalogs(const Service& service, Request& r) {
  auto paging = ParseOnlyPaging(r.query);
  if (!paging.ok()) return ProblemResponse(paging.status());
  const service::Caller& caller = CallerOf(r);
  auto lists = service->ListCatalogs(caller);
  if (!lists.ok()) return ProblemResponse(lists.status());
  return PageResponse(r, "catalogs", *paging, *lists, [&](const storage::List& list) {
    return CatalogJson(r, list, caller.account_id);
  });
}

// POST /api/v4/catalogs: a batch of catalogs (ParseCatalog).
Response AddCatalogs(const Service& service, Request& r) {
  const service::Caller& caller = CallerOf(r);
  return BatchWrite<service::CatalogInput>(
      r, &ParseCatalog,
      [&](const std::vector<service::CatalogInput>& inputs, std::size_t* failed) {
        return service->AddCatalogs(caller, inputs, failed);
      },
      [&](const Batch& batch, const auto& created) {
        json items = WithRequestIds(batch, *created, [&](const storage::List& list) {
          return CatalogJson(r, list, caller.account_id);
        });
        return EmbeddedResponse(r, "catalogs", std::move(items), /*with_total=*/true);
      });
}

// GET /api/v4/catalogs/{id}/elements/{element_id}: one element of the catalog.
Response GetElement(const Service& service, Request& r) {
  return OneById(
      r,
      [&](const service::Caller& caller, std::int64_t id) -> base::Result<storage::ListItem> {
        GH_ASSIGN_OR_RETURN(std::int64_t element_id, r.ParamInt("element_id"));
        return service->GetCatalogElement(caller, id, element_id);
      },
      [&](const service::Caller& caller, const storage::ListItem& element) {
        return JsonResponse(200, ElementJson(r, element, caller.account_id));
      });
}

// What the elements' list takes: its page, and Kommo's query and filter[id].
struct ElementsQuery {
  Paging paging;
  std::string text;  // query: a substring of the name; empty: any
  std::vector<std::int64_t> ids;
};

// page, limit, query and filter[id] (one id, a comma list or [] items, read as the records' id
// lists are); any other parameter is a 400 naming it, and so is an id that is not an integer.
base::Result<ElementsQuery> ParseElementsQuery(const Query& q) {
  GH_RETURN_IF_ERROR(q.CheckKnownKeys({"page", "limit", "query", "filter"}, {"id"}));
  ElementsQuery out;
  GH_ASSIGN_OR_RETURN(out.paging, ParsePaging(q));
  GH_ASSIGN_OR_RETURN(std::optional<std::string> text, q.GetString("query"));
  out.text = text.value_or("");
  GH_ASSIGN_OR_RETURN(out.ids, q.GetIntList("filter[id]"));
  return out;
}

// GET /api/v4/catalogs/{id}/elements: one page of the catalog's elements that match the query;
// _links.next keeps the query and filters (PageLinks).
Response ListElements(const Service& service, Request& r) {
  auto id = r.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  auto query = ParseElementsQuery(r.query);
  if (!query.ok()) return ProblemResponse(query.status());
  const service::Caller& caller = CallerOf(r);
  auto elements = service->ListCatalogElements(caller, *id, query->paging.limit, query->paging.page,
                                               query->ids, query->text);
  if (!elements.ok()) return ProblemResponse(elements.status());
  return StoredPageResponse(
      r, "elements", query->paging.page, *elements,
      [&](const storage::ListItem& item) { return ElementJson(r, item, caller.account_id); });
}

// POST (add) or PATCH (update) of /api/v4/catalogs/{id}/elements: one batch, all or nothing.
template <typename Input>
Response WriteElements(const Service& service, Request& r,
                       Input (*parse)(const json&, std::vector<base::FieldError>&)) {
  auto id = r.ParamInt("id");
  if (!id.ok()) return ProblemResponse(id.status());
  const service::Caller& caller = CallerOf(r);
  constexpr bool kAdd = std::is_same_v<Input, service::ListItemInput>;
  return BatchWrite<Input>(
      r, parse,
      [&](const std::vector<Input>& inputs, std::size_t* failed) {
        if constexpr (kAdd) {
          return service->AddCatalogElements(caller, *id, inputs, failed);
        } else {
          return service->UpdateCatalogElements(caller, *id, inputs, failed);
        }
      },
      [&](const Batch& batch, const auto& written) {
        return ElementsResponse(r, *written, batch, caller.account_id);
      });
}

}  // namespace

void RegisterCatalogRoutes(Router& router, const Service& service) {
  router.Add(Method::kGet, "/api/v4/catalogs",
             [service](Request& r) -> Response { return ListCatalogs(service, r); },
             {.name = "catalogs.list"});
  router.Add(Method::kPost, "/api/v4/catalogs",
             [service](Request& r) -> Response { return AddCatalogs(service, r); },
             {.name = "catalogs.add"});

  // The targets of the catalogs' and elements' _links.self.
  router.Add(Method::kGet, "/api/v4/catalogs/{id:int}",
             OneByIdHandler(service, &service::RecordService::GetCatalog, CatalogJson),
             {.name = "catalogs.get"});

  router.Add(Method::kGet, "/api/v4/catalogs/{id:int}/elements/{element_id:int}",
             [service](Request& r) -> Response { return GetElement(service, r); },
             {.name = "catalogs.elements.get"});

  router.Add(Method::kGet, "/api/v4/catalogs/{id:int}/elements",
             [service](Request& r) -> Response { return ListElements(service, r); },
             {.name = "catalogs.elements.list"});
  router.Add(Method::kPost, "/api/v4/catalogs/{id:int}/elements",
             [service](Request& r) -> Response { return WriteElements(service, r, &ParseNamed); },
             {.name = "catalogs.elements.add"});
  router.Add(Method::kPatch, "/api/v4/catalogs/{id:int}/elements",
             [service](Request& r) -> Response { return WriteElements(service, r, &ParseUpdate); },
             {.name = "catalogs.elements.update"});
}

}  // namespace gatehouse::http::api::records
