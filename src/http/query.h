// Query: a parsed URL query string in PHP's bracket syntax, as Kommo API v4 clients send it.
//
// Grammar (application/x-www-form-urlencoded, then PHP brackets on the decoded name):
//   query  = [ pair *( "&" pair ) ]          ; empty pairs ("a=1&&b=2") are skipped
//   pair   = name [ "=" value ]              ; '+' is a space, %XX a byte, in name and value
//   name   = key *( "[" [ key ] "]" )        ; "filter[statuses][0][status_id]", "id[]"
// Brackets may arrive raw or percent-encoded (%5B %5D); both decode to the same tree. A node
// is a string value, a list (built by "x[]=" appends) or a map (built by "x[key]="). A map
// whose keys are all array indexes ("x[0]=&x[1]=") reads as a list ordered by index. Errors:
// malformed %-escapes, an unclosed bracket, a name that is both a value and a container
// ("a=1&a[b]=2"), a scalar given twice ("limit=1&limit=250", "x[0]=a&x[0]=b": PHP keeps the
// last, other stacks the first, so neither is guessed), a NUL byte in a name or value, an empty
// value under "filter" ("filter[id]=", "filter[id][]="), more than kMaxPairs pairs or
// kMaxDepth brackets.
//
// Typed accessors take a path in the same bracket form ("filter[id]") and return a
// base::Result whose error names the offending field: "filter[id][1]: not an integer".
// A Query is immutable after Parse and safe to read from many threads.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace gatehouse::http {

class QueryNode {
 public:
  enum class Kind { kValue, kList, kMap };
  using Entry = std::pair<std::string, QueryNode>;

  QueryNode() = default;  // an empty map (the root of an empty query)
  explicit QueryNode(std::string value) : is_value_(true), value_(std::move(value)) {}

  // kList for "[]" appends and for maps keyed only by array indexes.
  Kind kind() const;
  bool is_value() const { return is_value_; }
  // The string of a kValue node ("" otherwise).
  const std::string& value() const { return value_; }
  // Children of a container in insertion order; keys of "[]" appends are "0", "1", ...
  const std::vector<Entry>& children() const { return children_; }
  // Children of a kList ordered by index (of any container: its children in order).
  std::vector<const QueryNode*> Items() const;
  // The child named `key`, or nullptr.
  const QueryNode* FindChild(std::string_view key) const;

 private:
  friend class Query;

  bool is_value_ = false;
  std::string value_;
  std::vector<Entry> children_;
};

// An inclusive range from "x[from]=&x[to]=", "x=a,b" or a single "x=a" (from == to).
struct IntRange {
  std::optional<std::int64_t> from{};
  std::optional<std::int64_t> to{};

  bool operator==(const IntRange&) const = default;
};

class Query {
 public:
  static constexpr int kMaxPairs = 1000;
  static constexpr int kMaxDepth = 8;

  // Parses the raw query (the target after '?', undecoded). Errors are kInvalidArgument.
  static base::Result<Query> Parse(std::string_view raw);

  const QueryNode& root() const { return root_; }
  bool empty() const { return root_.children_.empty(); }

  // The node at `path` ("filter[id]", "order"), or nullptr when absent.
  const QueryNode* Find(std::string_view path) const;
  bool Has(std::string_view path) const { return Find(path) != nullptr; }

  // Absent -> nullopt. Present but a container -> error.
  base::Result<std::optional<std::string>> GetString(std::string_view path) const;
  // Absent -> nullopt. Decimal int64 only ("12", "-3"); anything else -> error.
  base::Result<std::optional<std::int64_t>> GetInt(std::string_view path) const;
  // Absent -> nullopt. "1"/"true" and "0"/"false".
  base::Result<std::optional<bool>> GetBool(std::string_view path) const;
  // Absent -> empty. Accepts "x=a", "x=a,b", "x[]=a&x[]=b" and "x[0]=a&x[1]=b"; a comma list
  // inside an element ("x[]=1,2") is split too. Empty elements are skipped; a "filter[...]"
  // list left with no element ("filter[id]=,") is an error (code "EmptyValue").
  base::Result<std::vector<std::string>> GetStringList(std::string_view path) const;
  // As GetStringList, each element an integer; the error names its position:
  // "filter[id][1]: not an integer".
  base::Result<std::vector<std::int64_t>> GetIntList(std::string_view path) const;
  // Absent -> nullopt. See IntRange; "x[from]" and "x[to]" are each optional; other keys err.
  base::Result<std::optional<IntRange>> GetRange(std::string_view path) const;
  // Absent -> empty. "order[created_at]=asc&order[id]=desc" -> {{created_at,asc},{id,desc}}
  // in query order; a non-map or a nested value is an error.
  base::Result<std::vector<std::pair<std::string, std::string>>> GetStringMap(
      std::string_view path) const;

  // Validates the keys the caller sent: every top-level name must be in `params`, and every
  // key under "filter[...]" in `filter_keys` (when `filter_keys` is non-empty, "filter" is
  // allowed implicitly and must be a map; when it is empty, each "filter[...]" sent is unknown).
  // Returns OK, or kInvalidArgument with one FieldError (code "UnknownParameter") per unknown
  // key, e.g. paths "foo" and "filter[bar]".
  base::Status CheckKnownKeys(std::initializer_list<std::string_view> params,
                              std::initializer_list<std::string_view> filter_keys = {}) const;

 private:
  QueryNode root_;
};

// Decodes %XX escapes (and '+' as a space when `plus_is_space`). Returns nullopt on a
// malformed escape ("%", "%4", "%zz").
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace gatehouse::http
