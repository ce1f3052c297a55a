// The placeholder rewrite of the PostgreSQL driver (postgres_placeholders.h).
#include "storage/sql/postgres_placeholders.h"

#include <string>

namespace gatehouse::storage::sql {
namespace {

using base::Result;
using base::Status;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the dollar-quote tag ("$tag$" or "$$") starting at sql[i], or 0 if none starts there.
std::size_t DollarTagLength(std::string_view sql, std::size_t i) {
  std::size_t j = i + 1;
  if (j < sql.size() && sql[j] == '$') return 2;
  if (j >= sql.size() || IsDigit(sql[j]) || !IsIdentChar(sql[j])) return 0;
  while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
  return j < sql.size() && sql[j] == '$' ? j - i + 1 : 0;
}

Status Unterminated(const char* what) {
  return Status::Invalid(std::string("postgres: unterminated ") + what + " in statement");
}

// The position just past the string or quoted identifier that starts at sql[i] (a quote).
// E'...' strings honour backslash escapes; '' and "" are doubled quotes.
Result<std::size_t> SkipQuoted(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  const char prev = i > 0 ? sql[i - 1] : '\0';
  const bool backslash =
      c == '\'' && (prev == 'E' || prev == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
  ++i;
  while (true) {
    if (i >= sql.size()) return Unterminated(c == '\'' ? "string" : "quoted identifier");
    if (backslash && sql[i] == '\\') {
      i += 2;
    } else if (sql[i] == c) {
      ++i;
      if (i < sql.size() && sql[i] == c) {
        ++i;
      } else {
        return i;
      }
    } else {
      ++i;
    }
  }
}

// The position just past the (possibly nested) block comment that starts at sql[i] ("/*").
Result<std::size_t> SkipBlockComment(std::string_view sql, std::size_t i) {
  int depth = 0;
  do {
    if (i + 1 >= sql.size()) return Unterminated("comment");
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      --depth;
      i += 2;
    } else {
      ++i;
    }
  } while (depth > 0);
  return i;
}

}  // namespace

Result<std::string> RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    char prev = i > 0 ? sql[i - 1] : '\0';
    std::size_t start = i;
    if (c == '\'' || c == '"') {
      GH_ASSIGN_OR_RETURN(i, SkipQuoted(sql, i));
    } else if (c == '-' && next == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && next == '*') {
      GH_ASSIGN_OR_RETURN(i, SkipBlockComment(sql, i));
    } else if (c == '$' && !IsIdentChar(prev) && IsDigit(next)) {
      return Status::Invalid("postgres: statement mixes $n and ? parameters");
    } else if (std::size_t tag = c == '$' && !IsIdentChar(prev) ? DollarTagLength(sql, i) : 0;
               tag > 0) {
      std::size_t close = sql.find(sql.substr(i, tag), i + tag);
      if (close == std::string_view::npos) return Unterminated("dollar-quoted string");
      i = close + tag;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
      continue;
    } else {
      ++i;
    }
    out.append(sql.substr(start, i - start));
  }
  *count = n;
  return out;
}

}  // namespace gatehouse::storage::sql
