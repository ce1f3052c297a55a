#include "http/json_writer.h"

#include <cassert>
#include <charconv>

namespace gatehouse::http {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The UTF-8 sequence starting at text[at]: its length when valid (`valid` true), else the
// length of its maximal invalid prefix, which is replaced by one U+FFFD as Unicode recommends
// (and nlohmann does). Overlong forms, surrogates and code points above U+10FFFF are invalid.
std::size_t Utf8Sequence(std::string_view text, std::size_t at, bool* valid) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  *valid = false;
  std::size_t length;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 1;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (at + i >= text.size()) return i;
    const unsigned char next = byte(at + i);
    const bool in_range = i == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    if (!in_range) return i;
  }
  *valid = true;
  return length;
}

// The escape of one byte that may not stand as it is in a JSON string: a quote, a backslash, a
// control character, or the first byte of an invalid UTF-8 sequence (replaced by U+FFFD).
void AppendEscaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      } else {
        out += kReplacement;  // an invalid UTF-8 sequence
      }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  std::size_t plain_from = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 1;
    if (c >= 0x80) {
      bool valid = false;
      length = Utf8Sequence(text, i, &valid);
      if (valid) {
        i += length;
        continue;
      }
    }
    out.append(text.substr(plain_from, i - plain_from));
    AppendEscaped(out, c);
    i += length;
    plain_from = i;
  }
  out.append(text.substr(plain_from));
  out.push_back('"');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;
  const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
  if (has_items_ & bit) out_.push_back(',');
  has_items_ |= bit;
}

JsonWriter& JsonWriter::Open(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  ++depth_;
  assert(depth_ <= 64);
  has_items_ &= ~(std::uint64_t{1} << (depth_ - 1));
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  assert(depth_ > 0 && !after_key_);
  --depth_;
  out_.push_back(bracket);
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  assert(depth_ > 0 && !after_key_);
  BeforeValue();
  AppendJsonString(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  BeforeValue();
  AppendJsonString(out_, text);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

}  // namespace gatehouse::http
