// HAL+JSON pieces shared by every resource: absolute links that carry the caller's query, list
// envelopes, the 204 for an empty list (kommo-api-v4.md §1, §16.6-7).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http/api/paging.h"
#include "http/json_writer.h"
#include "http/request.h"
#include "http/response.h"

namespace gatehouse::http::api {

// The request's origin (Request::base_url: the public URL, the address the client reached, or
// a trusted proxy's X-Forwarded-Proto/Host; never the Host header); "http://localhost" when
// unset (a request not from the server).
std::string BaseUrl(const Request& request);

// {"self": {"href": BaseUrl + path}}.
nlohmann::json SelfLinks(const Request& request, std::string_view path);

// "_links": {"self": {"href": base_url + "/api/v4/" + plural + "/" + id}} as a member.
void WriteSelfLinks(JsonWriter& writer, std::string_view base_url, std::string_view plural,
                    std::int64_t id);

// _links of a list page: self, first, and prev/next when they exist; each href is the request's
// path and query exactly as sent, with `page` replaced (so limit and filters carry over).
nlohmann::json PageLinks(const Request& request, int page, bool has_next);

// The request's raw query with `page` set to `page` (other parameters kept in order, as sent).
std::string QueryWithPage(std::string_view raw_query, int page);

// A list response: {"_page", "_links", "_embedded": {plural: items}} plus `extra` top-level
// members (e.g. _total_items); 204 with no body when `items` is empty.
// 202 for a change stored as a pending four-eyes approval request instead of being applied:
// {"approval_id": N, "status": "pending", "_links": {"self": .../security/approvals/N}}.
Response ApprovalPendingResponse(const Request& request, std::int64_t approval_id);

Response ListResponse(const Request& request, std::string_view plural, nlohmann::json items,
                      int page, bool has_next, nlohmann::json extra = nlohmann::json::object());
// The same envelope around items already rendered as JSON text.
Response ListResponse(const Request& request, std::string_view plural,
                      const std::vector<std::string>& items, int page, bool has_next);

// 200 with {"_links": {"self": the request's path}, "_embedded": {plural: items}}, plus
// "_total_items" (how many items) when `with_total`: the answer of a batch write, or of a
// collection rendered whole (not paged).
Response EmbeddedResponse(const Request& request, std::string_view plural, nlohmann::json items,
                          bool with_total = false);

// The list response of the page `paging` asks for out of `all`, a list held in memory, each
// item rendered by `render(item)`; `extra` as for ListResponse.
template <typename Item, typename Render>
Response PageResponse(const Request& request, std::string_view plural, const Paging& paging,
                      const std::vector<Item>& all, Render render,
                      nlohmann::json extra = nlohmann::json::object()) {
  const PageSpan span = SpanOf(paging, all.size());
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = span.begin; i < span.end; ++i) items.push_back(render(all[i]));
  return ListResponse(request, plural, std::move(items), paging.page, span.has_next,
                      std::move(extra));
}

// The list response of page `page` as the store read it (`found`: its `items` and whether a next
// page exists, `has_next`), each item rendered by `render(item)`.
template <typename Found, typename Render>
Response StoredPageResponse(const Request& request, std::string_view plural, int page,
                            const Found& found, Render render) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : found.items) items.push_back(render(item));
  return ListResponse(request, plural, std::move(items), page, found.has_next);
}

}  // namespace gatehouse::http::api
