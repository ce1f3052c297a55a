#include "base/text.h"

#include <algorithm>

namespace gatehouse::base {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::size_t CodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool HasControlCharacter(std::string_view text, bool multiline) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (multiline && (byte == '\t' || byte == '\n' || byte == '\r')) continue;
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

std::string_view Trim(std::string_view text, std::string_view chars) {
  const std::size_t begin = text.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(chars) - begin + 1);
}

bool IsHexColor(std::string_view text) {
  return text.size() == 6 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace gatehouse::base
