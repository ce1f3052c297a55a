// Typed reads of request bodies and the batch splitter. nlohmann never throws here: every access
// checks the type first.
#include "http/api/body_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace gatehouse::http::api {

using base::FieldError;
using base::Status;
using nlohmann::json;

const json* BodyReader::Find(std::string_view name) const {
  asked_.emplace_back(name);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(name);
  if (it == object_.end() || (dialect_.null_is_absent && it->is_null())) return nullptr;
  return &*it;
}

std::string BodyReader::Path(std::string_view name) const {
  return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name);
}

void BodyReader::Add(std::string path, std::string code, std::string detail) {
  errors_.push_back({std::move(path), std::move(code), std::move(detail)});
}

void BodyReader::RefuseUnread(std::span<const std::string_view> read_only) {
  if (!object_.is_object()) return;
  for (auto member = object_.begin(); member != object_.end(); ++member) {
    const std::string& name = member.key();
    if (std::find(asked_.begin(), asked_.end(), name) != asked_.end() ||
        std::find(read_only.begin(), read_only.end(), name) != read_only.end()) {
      continue;
    }
    const std::string path = Path(name.empty() ? "\"\"" : name);  // a member named "" too
    Add(path, "UnknownField", path + " is not a member of this resource");
  }
}

Status BodyReader::status() const {
  if (errors_.empty()) return Status::Ok();
  return Status::Invalid("Request validation failed", errors_);
}

std::nullopt_t BodyReader::Missing(std::string_view name) {
  Add(Path(name), "Required", std::string(name) + " is required");
  return std::nullopt;
}

std::nullopt_t BodyReader::Mistyped(std::string_view path, std::string_view what) {
  Add(std::string(path), "InvalidType", std::string(path) + " " + std::string(what));
  return std::nullopt;
}

const json* BodyReader::Member(std::string_view name, bool required) {
  const json* value = Find(name);
  if (value == nullptr || (value->is_null() && !required)) {
    if (required) Missing(name);
    return nullptr;
  }
  return value;
}

std::optional<std::string> BodyReader::String(std::string_view name, bool required) {
  const json* value = Member(name, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) return Mistyped(Path(name), "must be a string");
  return value->get<std::string>();
}

std::optional<std::int64_t> BodyReader::Int(std::string_view name, bool required) {
  const json* value = Member(name, required);
  if (value == nullptr) return std::nullopt;
  return IntAt(*value, Path(name));
}

std::optional<std::int64_t> BodyReader::IntAt(const json& value, std::string_view path) {
  // is_number_integer() is true for unsigned numbers too: those past int64 would wrap around
  // to negative ids, so they are checked first.
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() <=
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
    if (dialect_.whole_numbers) return Mistyped(path, "is out of range");
  } else if (value.is_number_integer()) {
    return value.get<std::int64_t>();
  } else if (dialect_.whole_numbers && value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) {
      return static_cast<std::int64_t>(d);
    }
  } else if (dialect_.form_strings && value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return out;
  }
  return Mistyped(path, "must be an integer");
}

std::optional<bool> BodyReader::Bool(std::string_view name, bool required) {
  const json* value = Member(name, required);
  if (value == nullptr) return std::nullopt;
  if (value->is_boolean()) return value->get<bool>();
  if (dialect_.form_strings && value->is_string()) {
    const std::string& text = value->get_ref<const std::string&>();
    if (text == "1" || text == "true") return true;
    if (text == "0" || text == "false") return false;
  }
  return Mistyped(Path(name), "must be true or false");
}

std::optional<int> BodyReader::SmallInt(std::string_view name) {
  std::optional<std::int64_t> value = Int(name);
  if (!value) return std::nullopt;
  if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    Add(Path(name), "OutOfRange", std::string(name) + " is out of range");
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

std::optional<std::optional<std::int64_t>> BodyReader::NullableInt(std::string_view name) {
  const json* value = Find(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<std::int64_t>();
  std::optional<std::int64_t> number = IntAt(*value, Path(name));
  if (!number) return std::nullopt;
  return std::optional<std::int64_t>(*number);
}

// ---- batches ----

base::Result<BatchBody> SplitBatch(const json& body, std::size_t max_items) {
  BatchBody out;
  if (body.is_object()) {
    out.items.push_back(&body);
  } else if (body.is_array()) {
    for (const json& item : body) out.items.push_back(&item);
  } else {
    return Status::InvalidField("body", "InvalidType", "the body must be a JSON array of objects");
  }
  if (out.items.empty()) {
    return Status::InvalidField("body", "Required", "the body must hold at least one item");
  }
  if (out.items.size() > max_items) {
    return Status::InvalidField("body", "TooMany",
                                "at most " + std::to_string(max_items) + " items per request");
  }
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < out.items.size(); ++i) {
    const json& item = *out.items[i];
    if (!item.is_object()) {
      errors.push_back({std::to_string(i), "InvalidType", "each item must be a JSON object"});
    }
    out.request_ids.push_back(RequestIdOf(item, i));
  }
  if (!errors.empty()) return Status::Invalid("each item must be a JSON object", errors);
  return out;
}

std::string RequestIdOf(const json& item, std::size_t index) {
  if (item.is_object()) {
    auto it = item.find("request_id");
    if (it != item.end()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number_integer()) return it->dump();  // signed or unsigned: echoed as sent
    }
  }
  return std::to_string(index);
}

}  // namespace gatehouse::http::api
