// ASCII text helpers for every layer: case folding and trimming of protocol text (header values,
// e-mail addresses, host names, names compared without case). They never consult the C locale,
// so "I" folds to "i" whatever the process's locale is, and bytes outside ASCII pass unchanged.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::base {

// HTTP's optional white space (RFC 9110 §5.6.3): what surrounds list elements and header values.
inline constexpr std::string_view kBlanks = " \t";
// Blanks and line ends: what a line read from a file or a typed form field may carry.
inline constexpr std::string_view kWhitespace = " \t\r\n";

constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string AsciiLower(std::string_view text);

// How many code points UTF-8 `text` holds: each has exactly one byte that is not a continuation
// byte (10xxxxxx). What users call a name's or a text's length.
std::size_t CodePoints(std::string_view text);

// Whether `text` holds a control character (C0 or DEL) that a typed value may not: a single-line
// value none, a `multiline` one all but tab and line breaks.
bool HasControlCharacter(std::string_view text, bool multiline);

// `text` without the leading and trailing characters found in `chars`.
std::string_view Trim(std::string_view text, std::string_view chars = kBlanks);

// Whether `text` is a colour as six hexadecimal digits ("DDEBB5", "99ccff"), without the '#'.
bool IsHexColor(std::string_view text);

}  // namespace gatehouse::base
