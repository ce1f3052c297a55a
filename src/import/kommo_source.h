// Reading a Kommo API v4 account (kommo-api-v4.md) for `gatehouse import`: authenticated GETs
// at no more than the allowed rate, lists walked page by page.
//
// Rate: a token bucket (http_client/rate_limiter.h), 7 requests per second by default as Kommo
// requires. A 429 pauses every request for its Retry-After (1 s when absent, doubling on each
// repeat); a 502/503/504 or no answer at all is retried after a pause too (from 0.5 s,
// doubling); a request gives up after kMaxAttempts (kMaxTransportAttempts without an answer). 401
// (token refused), 402 (subscription expired) and 403 (not allowed, or the source blocked us) end
// the import with that reason.
//
// Lists: `page`/`limit` (at most 250), following `_links.next` until a page has none; 204 (an
// empty list, or a page past the end) ends it. Includes nlohmann/json: the importer's .cc files
// only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http_client/http_client.h"
#include "http_client/rate_limiter.h"

namespace gatehouse::import {

struct SourceOptions {
  double rate = 7;       // requests per second
  int page_limit = 250;  // items per page, 1..250
  std::chrono::milliseconds timeout{30'000};
};

class KommoSource {
 public:
  static constexpr int kMaxAttempts = 6;           // per request, 429s and 5xx included
  static constexpr int kMaxTransportAttempts = 3;  // of them without any answer

  // kInvalidArgument ("from") for a URL that is not http(s)://host[:port][/path].
  static base::Result<std::unique_ptr<KommoSource>> Open(const std::string& url,
                                                         const std::string& token,
                                                         const SourceOptions& options);

  // GET of one object (e.g. "/api/v4/account?with=users_groups"): its JSON body.
  base::Result<nlohmann::json> GetObject(const std::string& target);

  // Walks the list at `path` (with `query`, e.g. "with=contacts", without page or limit): calls
  // `visit` with the `_embedded.<plural>` array of each page, in order. `paged` false: one GET
  // without page or limit (pipelines, which Kommo does not page). Stops at the first error of
  // `visit` and returns it.
  base::Status ForEachPage(const std::string& path, const std::string& query,
                           const std::string& plural,
                           const std::function<base::Status(const nlohmann::json&)>& visit,
                           bool paged = true);

  const std::string& origin() const { return origin_; }
  // The HTTP status of the answer that made the last failed request give up at once (401, 402,
  // 403, 404, ...); 0 when the last request succeeded or failed otherwise (no answer, retries
  // exhausted, a body that is not JSON). The importer tells a part of the API the account has
  // switched off (customers: 402, 403 or 404) from a failure with it.
  int last_refusal() const { return last_refusal_; }
  std::int64_t requests() const { return requests_; }
  std::int64_t throttled() const { return throttled_; }  // 429s answered

 private:
  KommoSource(std::unique_ptr<http_client::Client> client, std::string token,
              const SourceOptions& options);
  // One GET with rate limiting and retries; a Response with status 200 or 204, or the reason.
  base::Result<http_client::Response> Fetch(const std::string& target);

  std::unique_ptr<http_client::Client> client_;
  std::string token_;
  SourceOptions options_;
  http_client::RateLimiter limiter_;
  std::string origin_;
  std::int64_t requests_ = 0;
  std::int64_t throttled_ = 0;
  int last_refusal_ = 0;
};

}  // namespace gatehouse::import
