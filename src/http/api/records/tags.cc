// /api/v4/{leads|contacts|companies}/tags: each entity type's tag catalog (Kommo's tags API).
// GET lists it (page, limit, query, filter[id], filter[name]), POST adds a batch of
// {name, color?} and answers the tags with their request_id, DELETE removes a batch of {id}
// (and the tags from every record). Rights are the service's (RecordService::AddTags ...).
#include <algorithm>
#include <type_traits>

#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/records/record_json.h"
#include "http/json.h"
#include "storage/record_traits.h"

namespace gatehouse::http::api::records {

using nlohmann::json;

namespace {

json TagJson(const storage::Tag& tag) {
  return {{"id", tag.id},
          {"name", tag.name},
          {"color", tag.color.empty() ? json(nullptr) : json(tag.color)}};
}

base::Result<storage::TagQuery> ParseTagQuery(const Request& r) {
  const Query& q = r.query;
  GH_RETURN_IF_ERROR(q.CheckKnownKeys({"page", "limit", "query", "filter"}, {"id", "name"}));
  storage::TagQuery out;
  std::vector<base::FieldError> errors;
  auto take = [&](auto result, std::string_view path) {
    if (!result.ok()) {
      errors.push_back({std::string(path), "InvalidValue", result.status().message()});
      return std::remove_cvref_t<decltype(result.value())>();
    }
    return std::move(result).value();
  };
  if (base::Result<Paging> paging = ParsePaging(q, out.limit); paging.ok()) {
    out.page = paging->page;
    out.limit = paging->limit;
  } else {
    errors.insert(errors.end(), paging.status().fields().begin(), paging.status().fields().end());
  }
  if (auto text = take(q.GetString("query"), "query")) out.text = *text;
  out.ids = take(q.GetIntList("filter[id]"), "filter[id]");
  if (auto name = take(q.GetString("filter[name]"), "filter[name]")) out.name = *name;
  if (!errors.empty()) return base::Status::Invalid("invalid query: " + errors[0].detail, errors);
  return out;
}

// One item of a POST body: {name, color?, request_id?}; every other field is refused by name.
service::NewTag ParseNewTag(const json& item, std::vector<base::FieldError>& errors) {
  service::NewTag in;
  RefuseUnknownKeys(item, {"name", "color", "request_id"}, "a tag", errors);
  in.name = RequiredName(item, errors);
  if (const json* color = PresentMember(item, "color")) {
    if (!color->is_string()) {
      errors.push_back({"color", "InvalidType", "color must be a string or null"});
    } else {
      in.color = color->get<std::string>();
    }
  }
  return in;
}

// One item of a DELETE body: {id} (0 when missing).
std::int64_t ParseTagId(const json& item, std::vector<base::FieldError>& errors) {
  RefuseUnknownKeys(item, {"id", "name", "color", "request_id"}, "a tag", errors);
  auto id = item.find("id");
  if (id == item.end() || !id->is_number_integer() || id->get<std::int64_t>() <= 0) {
    errors.push_back({"id", "Required", "id must be a positive integer"});
    return 0;
  }
  return id->get<std::int64_t>();
}

template <typename R>
void RegisterTags(Router& router, const Service& service) {
  const std::string plural(storage::RecordTraits<R>::kPlural);
  const std::string path = "/api/v4/" + plural + "/tags";

  router.Add(Method::kGet, path,
             [service](Request& r) -> Response {
               auto query = ParseTagQuery(r);
               if (!query.ok()) return ProblemResponse(query.status());
               auto page = service->ListTags<R>(CallerOf(r), *query);
               if (!page.ok()) return ProblemResponse(page.status());
               return StoredPageResponse(r, "tags", query->page, *page, TagJson);
             },
             {.name = plural + ".tags.list"});

  router.Add(Method::kPost, path,
             [service](Request& r) -> Response {
               return BatchWrite<service::NewTag>(
                   r, &ParseNewTag,
                   [&](const std::vector<service::NewTag>& inputs, std::size_t* failed) {
                     return service->AddTags<R>(CallerOf(r), inputs, failed);
                   },
                   [&](const Batch& batch, const auto& created) {
                     json items = WithRequestIds(batch, *created, TagJson);
                     return EmbeddedResponse(r, "tags", std::move(items));
                   });
             },
             {.name = plural + ".tags.add"});

  router.Add(Method::kDelete, path,
             [service](Request& r) -> Response {
               return BatchWrite<std::int64_t>(
                   r, &ParseTagId,
                   [&](const std::vector<std::int64_t>& ids, std::size_t* failed) {
                     return service->DeleteTags<R>(CallerOf(r), ids, failed);
                   },
                   [](const Batch&, const base::Status&) { return Response::NoContent(); });
             },
             {.name = plural + ".tags.delete"});
}

}  // namespace

void RegisterTagRoutes(Router& router, const Service& service) {
  RegisterTags<storage::Lead>(router, service);
  RegisterTags<storage::Contact>(router, service);
  RegisterTags<storage::Company>(router, service);
  RegisterTags<storage::Customer>(router, service);
}

}  // namespace gatehouse::http::api::records
