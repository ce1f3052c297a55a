// StaticSite: serves a single-page web application (the console) compiled into the binary.
//
// RegisterStaticSite installs the router's fallback for GET and HEAD requests that match no API
// route:
//   - a path naming a file of the site gets that file: hashed assets (under /assets/) with
//     `Cache-Control: public, max-age=31536000, immutable`, other files with `no-cache`; the
//     gzip copy when the client accepts gzip; 304 when If-None-Match names its ETag;
//   - any other path whose request accepts text/html gets index.html (`no-cache`), so a deep
//     link such as /settings/users/7 survives a reload and the application routes it. As in
//     RFC 9110, `*/*`, `text/*` and a request without Accept accept it (`curl /` gets the
//     console); a path that looks like a file (/favicon.ico) gets it only when text/html is
//     named, and a missing /assets/ file never does;
//   - everything else (Accept: application/json, text/html;q=0), and every path under the API
//     prefixes (/api/, /auth/, /oauth, /healthz, /metrics), keeps the 404 problem, so API
//     clients never receive HTML.
// Pages carry a Content-Security-Policy that allows scripts only from the site itself.
// The files must outlive the router (they are static data).
#pragma once

#include <span>
#include <string_view>

#include "http/router.h"

namespace gatehouse::http {

struct StaticFile {
  std::string_view path{};          // "/index.html", "/assets/index-1a2b3c.js"
  std::string_view content_type{};  // "text/javascript; charset=utf-8"
  std::string_view body{};
  std::string_view gzip{};  // the gzip-compressed body, or empty when not worth it
  std::string_view etag{};  // a strong validator of the content, quoted: "\"3f2a…\""
};

// The Content-Security-Policy of console responses.
inline constexpr std::string_view kConsoleCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Installs the fallback that serves `files` (see above). `files` must contain "/index.html";
// when it is empty (a build without the console) pages get a 503 problem saying so.
void RegisterStaticSite(Router& router, std::span<const StaticFile> files);

}  // namespace gatehouse::http
