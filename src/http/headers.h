// Headers: an ordered list of HTTP header fields with case-insensitive lookup.
//
// Shared by Request and Response; free of Beast so handlers and tests include it cheaply. Not
// thread-safe; a request and its response belong to one thread at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::http {

// True when `a` and `b` are equal ignoring ASCII case (header names, tokens).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  // Appends a field; repeated names are kept in order (Set-Cookie).
  void Add(std::string name, std::string value);
  // Replaces every field named `name` with one field.
  void Set(std::string name, std::string value);
  // Removes every field named `name`.
  void Remove(std::string_view name);

  // The first value named `name`, or nullptr when absent.
  const std::string* Find(std::string_view name) const;
  // The first value named `name`, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // How many field lines are named `name`.
  std::size_t Count(std::string_view name) const;
  // Every line named `name` combined in order into one value, joined by ", " (RFC 9110 §5.3:
  // a recipient may combine repeated list-based fields so); "" when absent. Use this, not
  // Get, for list fields whose every element matters (X-Forwarded-For, Transfer-Encoding).
  std::string Combined(std::string_view name) const;

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace gatehouse::http
