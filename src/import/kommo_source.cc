#include "import/kommo_source.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

namespace gatehouse::import {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// The seconds of a Retry-After header (delta-seconds only; an HTTP date or junk: `fallback`).
std::chrono::milliseconds RetryAfter(const http_client::Response& response,
                                     std::chrono::milliseconds fallback) {
  const std::string value = response.Header("retry-after");
  if (value.empty() || value.size() > 6 ||
      !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return fallback;
  }
  return std::chrono::seconds(std::stoll(value));
}

// problem+json's detail (or title), for a one-line reason.
std::string DetailOf(const http_client::Response& response) {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    for (const char* key : {"detail", "title"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) return *it;
    }
  }
  return response.body.substr(0, 200);
}

// The path and query of an href: absolute ("https://h/p?q") or not ("/p?q").
std::string PathOfHref(const std::string& href) {
  const std::size_t scheme = href.find("://");
  if (scheme == std::string::npos) return href;
  const std::size_t slash = href.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : href.substr(slash);
}

}  // namespace

KommoSource::KommoSource(std::unique_ptr<http_client::Client> client, std::string token,
                         const SourceOptions& options)
    : client_(std::move(client)),
      token_(std::move(token)),
      options_(options),
      // No burst: requests are spaced evenly, which is what "7 per second" is checked against.
      limiter_(options.rate, 1),
      origin_(client_->endpoint().Origin()) {}

Result<std::unique_ptr<KommoSource>> KommoSource::Open(const std::string& url,
                                                       const std::string& token,
                                                       const SourceOptions& options) {
  if (token.empty()) return Status::InvalidField("token", "Required", "a token is required");
  if (options.rate <= 0) {
    return Status::InvalidField("rate", "Invalid", "the request rate must be above 0");
  }
  if (options.page_limit < 1 || options.page_limit > 250) {
    return Status::InvalidField("page-limit", "Invalid", "the page limit is 1..250");
  }
  GH_ASSIGN_OR_RETURN(http_client::Endpoint endpoint, http_client::ParseBaseUrl(url));
  http_client::Options client_options;
  client_options.timeout = options.timeout;
  GH_ASSIGN_OR_RETURN(std::unique_ptr<http_client::Client> client,
                      http_client::Client::Create(endpoint, client_options));
  return std::unique_ptr<KommoSource>(new KommoSource(std::move(client), token, options));
}

Result<http_client::Response> KommoSource::Fetch(const std::string& target) {
  std::chrono::milliseconds backoff(500);
  std::string last_reason;
  int transport_failures = 0;
  last_refusal_ = 0;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    limiter_.Acquire();
    ++requests_;
    Result<http_client::Response> response =
        client_->Get(target, {{"Authorization", "Bearer " + token_}});
    if (!response.ok()) {
      // No answer at all: a source that is down or unreachable is said at once, a blip is
      // ridden out.
      last_reason = response.status().message();
      if (++transport_failures >= kMaxTransportAttempts) break;
      limiter_.PauseFor(backoff);
      backoff *= 2;
      continue;
    }
    const int code = response->status;
    if (code == 200 || code == 204) return response;
    const std::string where = "GET " + origin_ + target;
    if (code != 429 && code != 503 && code != 502 && code != 504) last_refusal_ = code;
    if (code == 429 || code == 503 || code == 502 || code == 504) {
      if (code == 429) ++throttled_;
      last_reason = "HTTP " + std::to_string(code);
      limiter_.PauseFor(RetryAfter(*response, backoff));
      backoff *= 2;
      continue;
    }
    if (code == 401) {
      return Status::Unauthenticated(where +
                                     ": the token was refused (401): " + DetailOf(*response));
    }
    if (code == 402) {
      return Status::Error(base::Code::kPermissionDenied,
                           where + ": the source account's subscription has expired (402)");
    }
    if (code == 403) {
      return Status::Error(base::Code::kPermissionDenied,
                           where + ": refused (403): " + DetailOf(*response) +
                               " (the token must be an administrator's)");
    }
    return Status::Error(base::Code::kUnavailable,
                         where + ": HTTP " + std::to_string(code) + ": " + DetailOf(*response));
  }
  return Status::Error(base::Code::kUnavailable,
                       "GET " + origin_ + target + ": gave up: " + last_reason);
}

Result<json> KommoSource::GetObject(const std::string& target) {
  GH_ASSIGN_OR_RETURN(http_client::Response response, Fetch(target));
  json body = json::parse(response.body, nullptr, false);
  if (response.status != 200 || !body.is_object()) {
    return Status::Error(base::Code::kUnavailable,
                         "GET " + origin_ + target + ": not a JSON object");
  }
  return body;
}

Status KommoSource::ForEachPage(const std::string& path, const std::string& query,
                                const std::string& plural,
                                const std::function<Status(const json&)>& visit, bool paged) {
  std::string target = path;
  if (paged) {
    target += "?page=1&limit=" + std::to_string(options_.page_limit);
    if (!query.empty()) target += "&" + query;
  } else if (!query.empty()) {
    target += "?" + query;
  }
  std::set<std::string> seen;  // a server whose next link loops must not keep us forever
  while (!target.empty()) {
    if (!seen.insert(target).second) {
      return Status::Error(base::Code::kUnavailable,
                           "GET " + origin_ + target + ": the list's next link repeats a page");
    }
    GH_ASSIGN_OR_RETURN(http_client::Response response, Fetch(target));
    if (response.status == 204) return Status::Ok();
    json body = json::parse(response.body, nullptr, false);
    const json* items = nullptr;
    if (body.is_object()) {
      auto embedded = body.find("_embedded");
      if (embedded != body.end() && embedded->is_object()) {
        auto it = embedded->find(plural);
        if (it != embedded->end() && it->is_array()) items = &*it;
      }
    }
    if (items == nullptr) {
      return Status::Error(base::Code::kUnavailable,
                           "GET " + origin_ + target + ": no _embedded." + plural + " array");
    }
    GH_RETURN_IF_ERROR(visit(*items));
    target.clear();
    if (!paged || items->empty()) break;
    const json* next = nullptr;
    if (auto links = body.find("_links"); links != body.end() && links->is_object()) {
      if (auto it = links->find("next"); it != links->end() && it->is_object()) {
        if (auto href = it->find("href"); href != it->end() && href->is_string()) next = &*href;
      }
    }
    if (next != nullptr) {
      target = PathOfHref(next->get<std::string>());
      // The href carries the base path the client puts in front of every target.
      const std::string& base = client_->endpoint().base_path;
      if (!base.empty() && target.rfind(base, 0) == 0) target.erase(0, base.size());
    }
  }
  return Status::Ok();
}

}  // namespace gatehouse::import
