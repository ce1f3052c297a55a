#include "http/headers.h"

#include <algorithm>

#include "base/text.h"

namespace gatehouse::http {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (base::AsciiLower(a[i]) != base::AsciiLower(b[i])) return false;
  }
  return true;
}

void Headers::Add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(entries_, [name](const Entry& e) { return EqualsIgnoreCase(e.first, name); });
}

const std::string* Headers::Find(std::string_view name) const {
  for (const Entry& e : entries_) {
    if (EqualsIgnoreCase(e.first, name)) return &e.second;
  }
  return nullptr;
}

std::size_t Headers::Count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(),
                    [name](const Entry& e) { return EqualsIgnoreCase(e.first, name); }));
}

std::string Headers::Combined(std::string_view name) const {
  std::string out;
  bool first = true;
  for (const Entry& e : entries_) {
    if (!EqualsIgnoreCase(e.first, name)) continue;
    if (!first) out.append(", ");
    out.append(e.second);
    first = false;
  }
  return out;
}

std::string_view Headers::Get(std::string_view name) const {
  const std::string* value = Find(name);
  return value == nullptr ? std::string_view() : std::string_view(*value);
}

}  // namespace gatehouse::http
