// /api/v4/{leads|contacts|companies}/tags: each entity type's tag catalog (Kommo's tags API).
// GET lists it (page, limit, query, filter[id], filter[name]), POST adds a batch of
// {name, color?} and answers the tags with their request_id, DELETE removes a batch of {id}
// (and the tags from every record). Rights are the service's (RecordService::AddTags ...).
#include <algorithm>
#include <type_traits>

#include "http/api/api.h"
#include "http/api/hal.h"
#include "http/api/paging.h"
#include "http/api/record_json.h"
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

// A POST body: [{name, color?, request_id?}, ...]; every other field is refused by name.
std::variant<std::vector<service::NewTag>, Response> ParseNewTags(const Batch& batch) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<service::NewTag> out;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    const json& item = *batch.parts.items[i];
    service::NewTag in;
    for (const auto& [key, value] : item.items()) {
      if (key != "name" && key != "color" && key != "request_id") {
        errors[i].push_back({key, "NotSupported", key + " is not a field of a tag"});
      }
    }
    auto name = item.find("name");
    if (name == item.end() || !name->is_string() || name->get<std::string>().empty()) {
      errors[i].push_back({"name", "Required", "name must be a non-empty string"});
    } else if (auto error =
                   CheckText("name", name->get<std::string>(), TextKind::kLine, kMaxNameChars)) {
      errors[i].push_back(std::move(*error));
    } else {
      in.name = name->get<std::string>();
    }
    auto color = item.find("color");
    if (color != item.end() && !color->is_null()) {
      if (!color->is_string()) {
        errors[i].push_back({"color", "InvalidType", "color must be a string or null"});
      } else {
        in.color = color->get<std::string>();
      }
    }
    failed = failed || !errors[i].empty();
    out.push_back(std::move(in));
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return out;
}

// A DELETE body: [{id}, ...].
std::variant<std::vector<std::int64_t>, Response> ParseTagIds(const Batch& batch) {
  std::vector<std::vector<base::FieldError>> errors(batch.parts.items.size());
  std::vector<std::int64_t> out;
  bool failed = false;
  for (std::size_t i = 0; i < batch.parts.items.size(); ++i) {
    const json& item = *batch.parts.items[i];
    for (const auto& [key, value] : item.items()) {
      if (key != "id" && key != "name" && key != "color" && key != "request_id") {
        errors[i].push_back({key, "NotSupported", key + " is not a field of a tag"});
      }
    }
    auto id = item.find("id");
    if (id == item.end() || !id->is_number_integer() || id->get<std::int64_t>() <= 0) {
      errors[i].push_back({"id", "Required", "id must be a positive integer"});
      out.push_back(0);
    } else {
      out.push_back(id->get<std::int64_t>());
    }
    failed = failed || !errors[i].empty();
  }
  if (failed) return ParseProblem(errors, batch.parts.request_ids, batch.is_array);
  return out;
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
               json items = json::array();
               for (const storage::Tag& tag : page->items) items.push_back(TagJson(tag));
               return ListResponse(r, "tags", std::move(items), query->page, page->has_next);
             },
             {.name = plural + ".tags.list"});

  router.Add(
      Method::kPost, path,
      [service](Request& r) -> Response {
        auto batch = ReadBatch(r);
        if (!batch.ok()) return ProblemResponse(batch.status());
        auto inputs = ParseNewTags(*batch);
        if (auto* error = std::get_if<Response>(&inputs)) return std::move(*error);
        std::size_t failed = 0;
        auto created = service->AddTags<R>(CallerOf(r),
                                           std::get<std::vector<service::NewTag>>(inputs), &failed);
        if (!created.ok()) {
          return BatchProblem(created.status(), failed, batch->parts.request_ids, batch->is_array);
        }
        json items = json::array();
        for (std::size_t i = 0; i < created->size(); ++i) {
          json item = TagJson((*created)[i]);
          item["request_id"] = batch->parts.request_ids[i];
          items.push_back(std::move(item));
        }
        return JsonResponse(
            200, {{"_links", SelfLinks(r, r.path)}, {"_embedded", {{"tags", std::move(items)}}}});
      },
      {.name = plural + ".tags.add"});

  router.Add(Method::kDelete, path,
             [service](Request& r) -> Response {
               auto batch = ReadBatch(r);
               if (!batch.ok()) return ProblemResponse(batch.status());
               auto ids = ParseTagIds(*batch);
               if (auto* error = std::get_if<Response>(&ids)) return std::move(*error);
               std::size_t failed = 0;
               base::Status status = service->DeleteTags<R>(
                   CallerOf(r), std::get<std::vector<std::int64_t>>(ids), &failed);
               if (!status.ok()) {
                 return BatchProblem(status, failed, batch->parts.request_ids, batch->is_array);
               }
               return Response::NoContent();
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
