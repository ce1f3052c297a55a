#include "http/json.h"

namespace gatehouse::http {

namespace {

base::Status InvalidJson(std::string detail) {
  return base::Status::Invalid("request body: " + detail,
                               {base::FieldError{"body", "InvalidJson", std::move(detail)}});
}

// Nesting depth outside strings; the parser itself is iterative, but destroying and walking a
// deep tree is not, so deep input is refused before it is built.
int MaxDepth(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

base::Result<nlohmann::json> ParseJsonBody(const Request& request) {
  if (request.body.empty()) return InvalidJson("the request body is empty");
  if (MaxDepth(request.body) > kMaxJsonDepth) return InvalidJson("JSON nested too deeply");
  nlohmann::json value = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Find where it broke without exceptions: the SAX parser reports the byte offset.
    struct Locator : nlohmann::json_sax<nlohmann::json> {
      std::size_t position = 0;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t pos, const std::string&,
                       const nlohmann::detail::exception&) override {
        position = pos;
        return false;
      }
    } locator;
    nlohmann::json::sax_parse(request.body, &locator, nlohmann::json::input_format_t::json,
                              /*strict=*/true, /*ignore_comments=*/false);
    return InvalidJson("malformed JSON at byte " + std::to_string(locator.position));
  }
  return value;
}

Response JsonResponse(int status, const nlohmann::json& body, std::string_view content_type) {
  return Response::Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        content_type);
}

}  // namespace gatehouse::http
