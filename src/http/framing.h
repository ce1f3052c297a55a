// Framing rules: what the server demands of a request head before it reads a body or runs a
// handler (RFC 9112 §3.2, §6.1, §6.3; RFC 9110 §5.3). Pure functions over Headers, free of
// Beast, so the fuzz target and a table test exercise exactly what the server enforces.
//
// A request is refused (and its connection closed after the answer, since its body cannot be
// delimited reliably) when:
//   - Transfer-Encoding is present together with Content-Length              -> 400
//   - Transfer-Encoding is present in an HTTP/1.0 request                    -> 400
//   - the combined Transfer-Encoding list does not end in "chunked", or names
//     "chunked" more than once                                               -> 400
//   - it names a coding before the final "chunked" (gzip, ...), which we do
//     not decode                                                              -> 501
//   - Content-Length lines disagree or are not decimal                        -> 400
//   - an HTTP/1.1 request has no Host, any request has more than one Host line,
//     or the Host value is not "uri-host[:port]"                              -> 400
// Thread-safety: values only.
#pragma once

#include <string>
#include <string_view>

#include "http/headers.h"

namespace gatehouse::http {

struct FramingVerdict {
  int status = 0;        // 0: acceptable; else the HTTP status to answer before closing
  std::string field{};   // the offending header, e.g. "Transfer-Encoding"
  std::string detail{};  // a sentence for the problem's detail

  bool ok() const { return status == 0; }
};

// Checks a request head. `version` is 10 or 11 (HTTP/1.0, HTTP/1.1).
FramingVerdict CheckFraming(const Headers& headers, unsigned version);

// True when `host` is "uri-host[:port]" (RFC 3986 §3.2.2): a reg-name of unreserved,
// percent-encoded or sub-delim characters, an IPv4 address, or a bracketed IPv6 literal,
// optionally followed by ':' and up to five digits. Empty is not valid here.
bool IsValidHost(std::string_view host);

}  // namespace gatehouse::http
