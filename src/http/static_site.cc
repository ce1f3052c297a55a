#include "http/static_site.h"

#include <memory>
#include <string>
#include <unordered_map>

#include "base/text.h"
#include "http/problem.h"

namespace gatehouse::http {
namespace {

constexpr std::string_view kIndex = "/index.html";
constexpr std::string_view kApiPrefixes[] = {"/api/", "/auth/", "/oauth", "/healthz", "/metrics"};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// One element of a comma-separated list such as Accept or Accept-Encoding: its name and q.
struct ListItem {
  std::string_view name{};
  bool refused{};  // q=0, 0.0, 0.00…: "not acceptable"
};

ListItem ParseListItem(std::string_view item) {
  const std::size_t semi = item.find(';');
  ListItem parsed{.name = base::Trim(item.substr(0, semi)), .refused = false};
  if (semi == std::string_view::npos) return parsed;
  const std::string_view params = item.substr(semi + 1);
  const std::size_t q = params.find("q=");
  if (q == std::string_view::npos) return parsed;
  std::string_view value = params.substr(q + 2);
  value = value.substr(0, value.find_first_of(" \t;"));
  parsed.refused = !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
  return parsed;
}

template <typename Visit>
void ForEachListItem(std::string_view header, Visit visit) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    visit(ParseListItem(header.substr(0, comma)));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
}

// Whether a list header such as Accept-Encoding names `token` without refusing it.
bool ListsToken(std::string_view header, std::string_view token) {
  bool listed = false;
  ForEachListItem(header, [&](const ListItem& item) {
    if (EqualsIgnoreCase(item.name, token) && !item.refused) listed = true;
  });
  return listed;
}

// How an Accept header takes text/html (RFC 9110 §12.5.1): the most specific range that
// matches decides, and a request without Accept takes any type.
enum class HtmlAcceptance { kNamed, kByWildcard, kRefused };

HtmlAcceptance AcceptsHtml(std::string_view accept) {
  if (base::Trim(accept).empty()) return HtmlAcceptance::kByWildcard;
  // 0: no match, 1: */*, 2: text/*, 3: text/html; the refusal of the most specific match wins.
  int specificity = 0;
  bool refused = true;
  ForEachListItem(accept, [&](const ListItem& item) {
    const int match = EqualsIgnoreCase(item.name, "text/html") ? 3
                      : EqualsIgnoreCase(item.name, "text/*")  ? 2
                      : item.name == "*/*"                     ? 1
                                                               : 0;
    if (match == 0 || match < specificity) return;
    refused = match > specificity ? item.refused : refused && item.refused;
    specificity = match;
  });
  if (specificity == 0 || refused) return HtmlAcceptance::kRefused;
  return specificity == 3 ? HtmlAcceptance::kNamed : HtmlAcceptance::kByWildcard;
}

// A path that names a file ("/favicon.ico", "/robots.txt") rather than a page of the console.
bool NamesAFile(std::string_view path) {
  return path.substr(path.rfind('/') + 1).find('.') != std::string_view::npos;
}

// Whether a request for a path the site has no file for gets the console's index.html: any
// page path whose request takes HTML, and a file-like path only when HTML is named outright
// (a browser navigating there). A missing script or icon stays a 404.
bool GetsIndex(const Request& request) {
  const HtmlAcceptance html = AcceptsHtml(request.headers.Get("accept"));
  if (html == HtmlAcceptance::kRefused) return false;
  if (StartsWith(request.path, "/assets/")) return false;
  return html == HtmlAcceptance::kNamed || !NamesAFile(request.path);
}

// If-None-Match lists `etag` (or is "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty() || etag.empty()) return false;
  if (if_none_match == "*") return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

Response Serve(const StaticFile& file, const Request& request, bool immutable) {
  Response response;
  response.headers.Set("Cache-Control",
                       immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.Set("Content-Security-Policy", std::string(kConsoleCsp));
  response.headers.Set("Vary", "Accept-Encoding");
  if (!file.etag.empty()) response.headers.Set("ETag", std::string(file.etag));
  if (Matches(request.headers.Get("if-none-match"), file.etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.content_type = std::string(file.content_type);
  if (!file.gzip.empty() && ListsToken(request.headers.Get("accept-encoding"), "gzip")) {
    response.headers.Set("Content-Encoding", "gzip");
    response.body = std::string(file.gzip);
  } else {
    response.body = std::string(file.body);
  }
  return response;
}

}  // namespace

void RegisterStaticSite(Router& router, std::span<const StaticFile> files) {
  auto by_path = std::make_shared<std::unordered_map<std::string_view, const StaticFile*>>();
  for (const StaticFile& file : files) (*by_path)[file.path] = &file;
  router.SetFallback(
      [by_path](Request& request) -> Response {
        for (std::string_view prefix : kApiPrefixes) {
          if (StartsWith(request.path, prefix)) return ProblemResponse(404, "No such resource");
        }
        if (auto found = by_path->find(request.path); found != by_path->end()) {
          return Serve(*found->second, request, StartsWith(request.path, "/assets/"));
        }
        if (!GetsIndex(request)) return ProblemResponse(404, "No such resource");
        auto index = by_path->find(kIndex);
        if (index == by_path->end()) {
          return ProblemResponse(503, "this build of gatehouse has no web console");
        }
        return Serve(*index->second, request, false);
      },
      {.name = "console"});
}

}  // namespace gatehouse::http
