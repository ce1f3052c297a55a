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

// Whether a comma-separated header such as Accept or Accept-Encoding lists `token` (q=0 is
// taken as a refusal).
bool ListsToken(std::string_view header, std::string_view token) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string_view name = base::Trim(item.substr(0, semi));
    if (!EqualsIgnoreCase(name, token)) continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = item.substr(semi + 1);
    const std::size_t q = params.find("q=");
    if (q == std::string_view::npos) return true;
    // q=0, 0.0, 0.00…: "not acceptable".
    std::string_view value = params.substr(q + 2);
    value = value.substr(0, value.find_first_of(" \t;"));
    return value.find_first_not_of("0.") != std::string_view::npos || value.empty();
  }
  return false;
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
        if (!ListsToken(request.headers.Get("accept"), "text/html")) {
          return ProblemResponse(404, "No such resource");
        }
        auto index = by_path->find(kIndex);
        if (index == by_path->end()) {
          return ProblemResponse(503, "this build of gatehouse has no web console");
        }
        return Serve(*index->second, request, false);
      },
      {.name = "console"});
}

}  // namespace gatehouse::http
