#include "http/json.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gatehouse::http {

namespace {

base::Status InvalidJson(const std::string& detail) {
  // The message is built before the field error takes its copy: both carry the reason.
  std::string message = "request body: " + detail;
  return base::Status::Invalid(std::move(message),
                               {base::FieldError{"body", "InvalidJson", detail}});
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

// Watches the parser's events for a key given twice in one object. nlohmann keeps the last
// of them silently, while another reader of the same text (a proxy, a WAF, a log) may take the
// first: the body would mean two things, so it is refused. Tracks the path to name the key.
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
        stack_.emplace_back().object = true;
        break;
      case Event::array_start:
        stack_.emplace_back().object = false;
        break;
      case Event::key: {
        Frame& top = stack_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second && !duplicate_) duplicate_ = Path();
        break;
      }
      case Event::object_end:
      case Event::array_end:
        stack_.pop_back();
        EndValue();
        break;
      case Event::value:
        EndValue();
        break;
    }
    return true;
  }

  // The path of the first repeated key ("0._embedded.contacts.1.name"), if any.
  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool object = true;
    std::set<std::string> keys;  // objects: the keys seen so far
    std::string key;             // objects: the current key
    std::size_t index = 0;       // arrays: the current element
  };

  void EndValue() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
  }

  std::string Path() const {
    std::string path;
    for (const Frame& frame : stack_) {
      if (!path.empty()) path += '.';
      path += frame.object ? frame.key : std::to_string(frame.index);
    }
    return path;
  }

  std::vector<Frame> stack_;
  std::optional<std::string> duplicate_;
};

}  // namespace

base::Result<nlohmann::json> ParseJsonBody(const Request& request) {
  if (request.body.empty()) return InvalidJson("the request body is empty");
  if (MaxDepth(request.body) > kMaxJsonDepth) return InvalidJson("JSON nested too deeply");
  DuplicateKeyFinder duplicates;
  nlohmann::json value =
      nlohmann::json::parse(request.body, std::ref(duplicates), /*allow_exceptions=*/false);
  if (!value.is_discarded() && duplicates.duplicate()) {
    const std::string& path = *duplicates.duplicate();
    return base::Status::Invalid(
        "request body: " + path + " is given more than once",
        {base::FieldError{path, "DuplicateKey", "the key is given more than once in its object"}});
  }
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
