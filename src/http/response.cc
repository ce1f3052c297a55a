#include "http/response.h"

namespace gatehouse::http {

Response Response::Json(int status, std::string serialized, std::string_view content_type) {
  return Response{
      .status = status, .content_type = std::string(content_type), .body = std::move(serialized)};
}

Response Response::Text(int status, std::string text, std::string_view content_type) {
  return Json(status, std::move(text), content_type);
}

Response Response::NoContent() { return Response{.status = 204}; }

namespace {

struct Reason {
  int status;
  std::string_view phrase;
};

// The statuses this server answers (and the proxies it talks to may), in order.
constexpr Reason kReasons[] = {
    {100, "Continue"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {411, "Length Required"},
    {413, "Payload Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Entity"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
};

}  // namespace

std::string_view ReasonPhrase(int status) {
  for (const Reason& reason : kReasons) {
    if (reason.status == status) return reason.phrase;
  }
  return "Unknown";
}

}  // namespace gatehouse::http
