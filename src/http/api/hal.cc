#include "http/api/hal.h"

#include "http/json.h"
#include "http/query.h"

namespace gatehouse::http::api {

std::string BaseUrl(const Request& request) {
  return request.base_url.empty() ? "http://localhost" : request.base_url;
}

nlohmann::json SelfLinks(const Request& request, std::string_view path) {
  return {{"self", {{"href", BaseUrl(request) + std::string(path)}}}};
}

void WriteSelfLinks(JsonWriter& writer, std::string_view base_url, std::string_view plural,
                    std::int64_t id) {
  std::string href;
  href.reserve(base_url.size() + plural.size() + 30);
  href.append(base_url).append("/api/v4/").append(plural).append("/").append(std::to_string(id));
  writer.Key("_links").BeginObject().Key("self").BeginObject().Member("href", href);
  writer.EndObject().EndObject();
}

std::string QueryWithPage(std::string_view raw_query, int page) {
  std::string out;
  std::size_t start = 0;
  while (start <= raw_query.size() && !raw_query.empty()) {
    std::size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    std::string_view item = raw_query.substr(start, end - start);
    std::string_view key = item.substr(0, item.find('='));
    std::optional<std::string> decoded = PercentDecode(key, true);
    if (!item.empty() && !(decoded && *decoded == "page")) {
      if (!out.empty()) out += '&';
      out += item;
    }
    start = end + 1;
    if (end == raw_query.size()) break;
  }
  if (!out.empty()) out += '&';
  out += "page=" + std::to_string(page);
  return out;
}

nlohmann::json PageLinks(const Request& request, int page, bool has_next) {
  const std::string base = BaseUrl(request) + request.path + "?";
  nlohmann::json links;
  links["self"]["href"] = base + QueryWithPage(request.raw_query, page);
  links["first"]["href"] = base + QueryWithPage(request.raw_query, 1);
  if (page > 1) links["prev"]["href"] = base + QueryWithPage(request.raw_query, page - 1);
  if (has_next) links["next"]["href"] = base + QueryWithPage(request.raw_query, page + 1);
  return links;
}

Response ListResponse(const Request& request, std::string_view plural, nlohmann::json items,
                      int page, bool has_next, nlohmann::json extra) {
  if (items.empty()) return Response::NoContent();
  nlohmann::json body = std::move(extra);
  body["_page"] = page;
  body["_links"] = PageLinks(request, page, has_next);
  body["_embedded"][std::string(plural)] = std::move(items);
  return JsonResponse(200, body);
}

Response ListResponse(const Request& request, std::string_view plural,
                      const std::vector<std::string>& items, int page, bool has_next) {
  if (items.empty()) return Response::NoContent();
  std::size_t size = 256;
  for (const std::string& item : items) size += item.size() + 1;
  std::string body;
  body.reserve(size);
  JsonWriter w(body);
  w.BeginObject().Member("_page", page).Key("_links");
  w.Raw(PageLinks(request, page, has_next)
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  w.Key("_embedded").BeginObject().Key(plural).BeginArray();
  for (const std::string& item : items) w.Raw(item);
  w.EndArray().EndObject().EndObject();
  return Response::Json(200, std::move(body));
}

Response EmbeddedResponse(const Request& request, std::string_view plural, nlohmann::json items,
                          bool with_total) {
  nlohmann::json body = {{"_links", SelfLinks(request, request.path)}};
  if (with_total) body["_total_items"] = items.size();
  body["_embedded"][std::string(plural)] = std::move(items);
  return JsonResponse(200, body);
}

Response ApprovalPendingResponse(const Request& request, std::int64_t approval_id) {
  const std::string path = "/api/v4/security/approvals/" + std::to_string(approval_id);
  return JsonResponse(
      202,
      {{"approval_id", approval_id}, {"status", "pending"}, {"_links", SelfLinks(request, path)}});
}

}  // namespace gatehouse::http::api
