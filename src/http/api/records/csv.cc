#include "http/api/records/csv.h"

namespace gatehouse::http::api::csv {

std::string Text(std::string_view text) {
  std::string guarded;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    guarded = "'" + std::string(text);
    text = guarded;
  }
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void Row(std::string& out, std::initializer_list<std::string> cells) {
  bool first = true;
  for (const std::string& cell : cells) {
    if (!first) out += ',';
    first = false;
    out += cell;
  }
  out += "\r\n";
}

Response Download(std::string body, std::string_view name) {
  Response response = Response::Text(200, std::move(body), "text/csv");
  response.headers.Set("Content-Disposition",
                       "attachment; filename=\"" + std::string(name) + ".csv\"");
  return response;
}

}  // namespace gatehouse::http::api::csv
