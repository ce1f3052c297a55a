// JsonWriter: appends JSON text to a string as it is written, with no document tree.
//
// For responses on hot paths (a record, a page of records), where building an nlohmann::json
// tree and then serializing it costs more than reading the record. Strings are escaped like
// nlohmann's dump with error_handler_t::replace: quotes, backslashes and control characters
// escaped, every invalid UTF-8 byte replaced by U+FFFD. The caller keeps the nesting right
// (checked in debug builds); commas are the writer's business.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace gatehouse::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // The name of the next member of the current object.
  JsonWriter& Key(std::string_view name);

  JsonWriter& String(std::string_view text);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Kommo writes unset ids and timestamps as null.
  JsonWriter& IntOrNull(std::int64_t value) { return value == 0 ? Null() : Int(value); }
  // `json` must be one complete, valid JSON value.
  JsonWriter& Raw(std::string_view json);

  // Key(name) followed by the value.
  template <typename T>
  JsonWriter& Member(std::string_view name, const T& value);

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void BeforeValue();

  std::string& out_;
  int depth_ = 0;
  std::uint64_t has_items_ = 0;  // bit d: the container at depth d already holds an item
  bool after_key_ = false;
};

// Appends `text` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view text);

template <typename T>
JsonWriter& JsonWriter::Member(std::string_view name, const T& value) {
  Key(name);
  if constexpr (std::is_same_v<T, bool>) {
    return Bool(value);
  } else if constexpr (std::is_integral_v<T>) {
    return Int(static_cast<std::int64_t>(value));
  } else {
    return String(value);
  }
}

}  // namespace gatehouse::http
