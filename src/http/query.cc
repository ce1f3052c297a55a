// Query-string parsing in PHP's bracket syntax. The names are decoded before the brackets are
// read, which is what makes raw and percent-encoded brackets equivalent. Containers are kept
// as ordered (key, node) lists, like PHP arrays; "[]" appends under the next free integer key.
#include "http/query.h"

#include <algorithm>
#include <charconv>

namespace gatehouse::http {

namespace {

using base::FieldError;
using base::Status;

Status InvalidAt(const std::string& path, std::string code, std::string detail) {
  std::string message = path.empty() ? detail : path + ": " + detail;
  return Status::Invalid(std::move(message),
                         {FieldError{path, std::move(code), std::move(detail)}});
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A canonical array index: "0" or a digit string without a leading zero, at most 9 digits.
std::optional<std::int64_t> IndexOf(std::string_view key) {
  if (key.empty() || key.size() > 9 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  std::int64_t value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Splits "filter[id][]" into {"filter", "id", ""}. nullopt on malformed brackets.
std::optional<std::vector<std::string>> SplitName(std::string_view name) {
  size_t open = name.find('[');
  std::vector<std::string> keys;
  keys.emplace_back(name.substr(0, open));
  if (keys[0].empty() || keys[0].find(']') != std::string::npos) return std::nullopt;
  while (open != std::string_view::npos) {
    if (open >= name.size() || name[open] != '[') return std::nullopt;
    size_t close = name.find(']', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view key = name.substr(open + 1, close - open - 1);
    if (key.find('[') != std::string_view::npos) return std::nullopt;
    keys.emplace_back(key);
    open = close + 1 == name.size() ? std::string_view::npos : close + 1;
  }
  return keys;
}

std::string JoinPath(const std::vector<std::string>& keys, size_t count) {
  std::string path = keys[0];
  for (size_t i = 1; i < count; ++i) path += "[" + keys[i] + "]";
  return path;
}

std::vector<std::string_view> SplitCommas(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

base::Result<std::int64_t> ParseInt(std::string_view text, const std::string& path) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return InvalidAt(path, "InvalidType", "not an integer");
  }
  return value;
}

// One list element: its field path and its text.
struct Element {
  std::string path;
  std::string text;
};

}  // namespace

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

QueryNode::Kind QueryNode::kind() const {
  if (is_value_) return Kind::kValue;
  if (children_.empty()) return Kind::kMap;
  for (const Entry& child : children_) {
    if (!IndexOf(child.first)) return Kind::kMap;
  }
  return Kind::kList;
}

std::vector<const QueryNode*> QueryNode::Items() const {
  std::vector<const Entry*> entries;
  for (const Entry& child : children_) entries.push_back(&child);
  if (kind() == Kind::kList) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
      return *IndexOf(a->first) < *IndexOf(b->first);
    });
  }
  std::vector<const QueryNode*> items;
  for (const Entry* e : entries) items.push_back(&e->second);
  return items;
}

const QueryNode* QueryNode::FindChild(std::string_view key) const {
  for (const Entry& child : children_) {
    if (child.first == key) return &child.second;
  }
  return nullptr;
}

namespace {

// One "name=value" of a query, decoded: the name split at its brackets.
struct DecodedPair {
  std::vector<std::string> keys;
  std::string value;
};

base::Result<DecodedPair> DecodePair(std::string_view pair) {
  size_t eq = pair.find('=');
  std::optional<std::string> name = PercentDecode(pair.substr(0, eq), true);
  if (!name) return InvalidAt("", "InvalidEncoding", "malformed percent-encoding in a name");
  std::optional<std::string> value =
      PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
  if (!value) return InvalidAt(*name, "InvalidEncoding", "malformed percent-encoding");
  if (name->empty()) return InvalidAt("", "InvalidName", "empty parameter name");
  std::optional<std::vector<std::string>> keys = SplitName(*name);
  if (!keys) return InvalidAt(*name, "InvalidName", "malformed parameter name");
  if (static_cast<int>(keys->size()) - 1 > Query::kMaxDepth) {
    return InvalidAt(*name, "InvalidName", "too deeply nested");
  }
  // A NUL would be cut short by C APIs and is refused by PostgreSQL text columns: no client
  // means one.
  if (name->find('\0') != std::string::npos) {
    return InvalidAt("", "InvalidCharacter", "a parameter name contains a NUL byte");
  }
  if (value->find('\0') != std::string::npos) {
    return InvalidAt(JoinPath(*keys, keys->size()), "InvalidCharacter", "contains a NUL byte");
  }
  // "filter[id]=" or "filter[id][]=" would otherwise read as "no filter" and widen the list
  // the caller meant to narrow.
  if ((*keys)[0] == "filter" && value->empty()) {
    return InvalidAt(JoinPath(*keys, keys->size()), "EmptyValue",
                     "an empty filter value: give a value or leave the filter out");
  }
  return DecodedPair{std::move(*keys), std::move(*value)};
}

}  // namespace

base::Result<Query> Query::Parse(std::string_view raw) {
  Query query;
  int pairs = 0;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t amp = raw.find('&', start);
    std::string_view pair = raw.substr(start, amp == std::string_view::npos ? amp : amp - start);
    start = amp == std::string_view::npos ? raw.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    if (++pairs > kMaxPairs) return InvalidAt("", "TooManyParameters", "too many query parameters");

    GH_ASSIGN_OR_RETURN(DecodedPair decoded, DecodePair(pair));
    const std::vector<std::string>& keys = decoded.keys;

    QueryNode* node = &query.root_;
    for (size_t i = 0; i < keys.size(); ++i) {
      std::string key = keys[i];
      bool last = i + 1 == keys.size();
      if (key.empty()) {  // "[]": append under the next integer key, as PHP does.
        std::int64_t next = 0;
        for (const QueryNode::Entry& child : node->children_) {
          if (auto index = IndexOf(child.first)) next = std::max(next, *index + 1);
        }
        key = std::to_string(next);
      }
      QueryNode* child = nullptr;
      for (QueryNode::Entry& entry : node->children_) {
        if (entry.first == key) child = &entry.second;
      }
      if (child != nullptr && child->is_value_ != last) {
        return InvalidAt(JoinPath(keys, i + 1), "InvalidName",
                         "given both as a value and with brackets");
      }
      // PHP keeps the last of "limit=1&limit=250" and other stacks the first: which one a
      // proxy, a cache or a log saw is anyone's guess, so neither is taken.
      if (child != nullptr && last) {
        return InvalidAt(JoinPath(keys, i + 1), "DuplicateParameter", "given more than once");
      }
      if (child == nullptr) {
        node->children_.emplace_back(key, last ? QueryNode(std::string()) : QueryNode());
        child = &node->children_.back().second;
      }
      if (last) child->value_ = std::move(decoded.value);
      node = child;
    }
  }
  return query;
}

const QueryNode* Query::Find(std::string_view path) const {
  std::optional<std::vector<std::string>> keys = SplitName(path);
  if (!keys) return nullptr;
  const QueryNode* node = &root_;
  for (const std::string& key : *keys) {
    if (node->is_value()) return nullptr;
    node = node->FindChild(key);
    if (node == nullptr) return nullptr;
  }
  return node;
}

base::Result<std::optional<std::string>> Query::GetString(std::string_view path) const {
  const QueryNode* node = Find(path);
  if (node == nullptr) return std::optional<std::string>();
  if (!node->is_value()) return InvalidAt(std::string(path), "InvalidType", "expected a value");
  return std::optional<std::string>(node->value());
}

base::Result<std::optional<std::int64_t>> Query::GetInt(std::string_view path) const {
  GH_ASSIGN_OR_RETURN(std::optional<std::string> text, GetString(path));
  if (!text) return std::optional<std::int64_t>();
  GH_ASSIGN_OR_RETURN(std::int64_t value, ParseInt(*text, std::string(path)));
  return std::optional<std::int64_t>(value);
}

base::Result<std::optional<bool>> Query::GetBool(std::string_view path) const {
  GH_ASSIGN_OR_RETURN(std::optional<std::string> text, GetString(path));
  if (!text) return std::optional<bool>();
  if (*text == "1" || *text == "true") return std::optional<bool>(true);
  if (*text == "0" || *text == "false") return std::optional<bool>(false);
  return InvalidAt(std::string(path), "InvalidType", "not a boolean (expected 1, 0, true, false)");
}

namespace {

// A filter list that names nothing ("filter[id]=,") is refused like an empty filter value.
base::Result<std::vector<Element>> NonEmptyFilter(const std::string& path,
                                                  std::vector<Element> elements) {
  if (elements.empty() && path.starts_with("filter[")) {
    return InvalidAt(path, "EmptyValue",
                     "an empty filter value: give a value or leave the filter out");
  }
  return elements;
}

base::Result<std::vector<Element>> ListElements(const Query& query, std::string_view path) {
  std::vector<Element> elements;
  const QueryNode* node = query.Find(path);
  if (node == nullptr) return elements;
  std::string base(path);
  if (node->is_value()) {
    std::vector<std::string_view> parts = SplitCommas(node->value());
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].empty()) continue;
      std::string at = parts.size() == 1 ? base : base + "[" + std::to_string(i) + "]";
      elements.push_back({std::move(at), std::string(parts[i])});
    }
    return NonEmptyFilter(base, std::move(elements));
  }
  if (node->kind() != QueryNode::Kind::kList) {
    return InvalidAt(base, "InvalidType", "expected a list");
  }
  std::vector<QueryNode::Entry> sorted(node->children().begin(), node->children().end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return *IndexOf(a.first) < *IndexOf(b.first);
  });
  for (const auto& [key, item] : sorted) {
    std::string at = base + "[" + key + "]";
    if (!item.is_value()) return InvalidAt(at, "InvalidType", "expected a value");
    for (std::string_view part : SplitCommas(item.value())) {
      if (!part.empty()) elements.push_back({at, std::string(part)});
    }
  }
  return NonEmptyFilter(base, std::move(elements));
}

}  // namespace

base::Result<std::vector<std::string>> Query::GetStringList(std::string_view path) const {
  GH_ASSIGN_OR_RETURN(std::vector<Element> elements, ListElements(*this, path));
  std::vector<std::string> out;
  for (Element& e : elements) out.push_back(std::move(e.text));
  return out;
}

base::Result<std::vector<std::int64_t>> Query::GetIntList(std::string_view path) const {
  GH_ASSIGN_OR_RETURN(std::vector<Element> elements, ListElements(*this, path));
  std::vector<std::int64_t> out;
  for (const Element& e : elements) {
    GH_ASSIGN_OR_RETURN(std::int64_t value, ParseInt(e.text, e.path));
    out.push_back(value);
  }
  return out;
}

base::Result<std::optional<IntRange>> Query::GetRange(std::string_view path) const {
  const QueryNode* node = Find(path);
  if (node == nullptr) return std::optional<IntRange>();
  std::string base(path);
  IntRange range;
  if (node->is_value()) {
    std::vector<std::string_view> parts = SplitCommas(node->value());
    if (parts.size() > 2 || (parts.size() == 1 && parts[0].empty())) {
      return InvalidAt(base, "InvalidType", "expected a timestamp or from,to");
    }
    if (!parts[0].empty()) {
      GH_ASSIGN_OR_RETURN(range.from, ParseInt(parts[0], base));
    }
    std::string_view to = parts.size() == 2 ? parts[1] : parts[0];
    if (!to.empty()) {
      GH_ASSIGN_OR_RETURN(range.to, ParseInt(to, base));
    }
  } else {
    for (const auto& [key, item] : node->children()) {
      std::string at = base + "[" + key + "]";
      if (key != "from" && key != "to") {
        return InvalidAt(at, "UnknownParameter", "unknown key (expected from or to)");
      }
      if (!item.is_value()) return InvalidAt(at, "InvalidType", "expected a value");
      GH_ASSIGN_OR_RETURN(std::int64_t value, ParseInt(item.value(), at));
      (key == "from" ? range.from : range.to) = value;
    }
  }
  if (range.from && range.to && *range.from > *range.to) {
    return InvalidAt(base, "InvalidRange", "from is after to");
  }
  return std::optional<IntRange>(range);
}

base::Result<std::vector<std::pair<std::string, std::string>>> Query::GetStringMap(
    std::string_view path) const {
  std::vector<std::pair<std::string, std::string>> out;
  const QueryNode* node = Find(path);
  if (node == nullptr) return out;
  std::string base(path);
  if (node->is_value()) {
    return InvalidAt(base, "InvalidType", "expected " + base + "[field]=value");
  }
  for (const auto& [key, item] : node->children()) {
    if (!item.is_value())
      return InvalidAt(base + "[" + key + "]", "InvalidType", "expected a value");
    out.emplace_back(key, item.value());
  }
  return out;
}

base::Status Query::CheckKnownKeys(std::initializer_list<std::string_view> params,
                                   std::initializer_list<std::string_view> filter_keys) const {
  auto contains = [](std::initializer_list<std::string_view> set, std::string_view key) {
    return std::find(set.begin(), set.end(), key) != set.end();
  };
  std::vector<FieldError> errors;
  std::string names;
  auto unknown = [&](std::string path) {
    names += (names.empty() ? "" : ", ") + path;
    errors.push_back(FieldError{std::move(path), "UnknownParameter", "unknown query parameter"});
  };
  for (const auto& [key, node] : root_.children()) {
    bool is_filter = key == "filter" && filter_keys.size() > 0;
    if (!is_filter) {
      if (contains(params, key)) continue;
      if (key == "filter" && !node.is_value()) {
        // No filters here at all: name each one sent ("filter[id]"), not just "filter".
        for (const auto& [filter_key, unused] : node.children()) {
          unknown("filter[" + filter_key + "]");
        }
        if (!node.children().empty()) continue;
      }
      unknown(key);
      continue;
    }
    if (node.is_value()) {
      errors.push_back(FieldError{"filter", "InvalidType", "expected filter[field]=value"});
      names += (names.empty() ? "" : ", ") + std::string("filter");
      continue;
    }
    for (const auto& [filter_key, unused] : node.children()) {
      if (!contains(filter_keys, filter_key)) unknown("filter[" + filter_key + "]");
    }
  }
  if (errors.empty()) return Status::Ok();
  return Status::Invalid("unknown query parameters: " + names, std::move(errors));
}

}  // namespace gatehouse::http
