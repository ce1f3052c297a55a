// Fuzzes the query-string parser (http/query.h): every request's target after '?', and the
// form-encoded bodies of the login and OAuth routes.
//
// Invariants: the parsed tree written back as a query string (every byte %-escaped) parses to
// the same tree; every node is found again by its bracket path; the typed accessors answer a
// value or an error naming a field on every node, never crash; an integer list holds exactly
// the elements of the string list.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "http/query.h"

namespace {

using gatehouse::http::Query;
using gatehouse::http::QueryNode;

std::string Escape(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    out += buf;
  }
  return out;
}

// "a=1&b[c]=2": one pair per value node, in tree order, names and values fully escaped.
void Encode(const QueryNode& node, const std::string& name, std::string& out) {
  if (node.is_value()) {
    out += (out.empty() ? "" : "&") + name + "=" + Escape(node.value());
    return;
  }
  for (const auto& [key, child] : node.children()) {
    Encode(child, name.empty() ? Escape(key) : name + "[" + Escape(key) + "]", out);
  }
}

bool SameTree(const QueryNode& a, const QueryNode& b) {
  if (a.is_value() != b.is_value() || a.value() != b.value() ||
      a.children().size() != b.children().size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.children().size(); ++i) {
    if (a.children()[i].first != b.children()[i].first ||
        !SameTree(a.children()[i].second, b.children()[i].second)) {
      return false;
    }
  }
  return true;
}

// Bracket paths ("filter[id][0]") of the first `limit` nodes, depth first.
void Paths(const QueryNode& node, const std::string& path,
           std::vector<std::pair<std::string, const QueryNode*>>& out, std::size_t limit) {
  for (const auto& [key, child] : node.children()) {
    if (out.size() >= limit) return;
    std::string at = path.empty() ? key : path + "[" + key + "]";
    out.emplace_back(at, &child);
    Paths(child, at, out, limit);
  }
}

template <typename T>
void CheckError(const gatehouse::base::Result<T>& result) {
  if (!result.ok()) {
    FUZZ_CHECK(result.status().code() == gatehouse::base::Code::kInvalidArgument,
               "an accessor refuses with kInvalidArgument");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  (void)gatehouse::http::PercentDecode(raw, true);
  auto query = Query::Parse(raw);
  if (!query.ok()) {
    FUZZ_CHECK(query.status().code() == gatehouse::base::Code::kInvalidArgument,
               "a refused query is kInvalidArgument");
    return 0;
  }

  std::string encoded;
  Encode(query->root(), "", encoded);
  auto again = Query::Parse(encoded);
  FUZZ_CHECK(again.ok(), "a parsed query written back parses");
  FUZZ_CHECK(SameTree(query->root(), again->root()), "a parsed query written back is the same");

  std::vector<std::pair<std::string, const QueryNode*>> paths;
  Paths(query->root(), "", paths, 64);
  for (const auto& [path, node] : paths) {
    FUZZ_CHECK(query->Find(path) == node, "a node is found by its path");
    CheckError(query->GetString(path));
    CheckError(query->GetInt(path));
    CheckError(query->GetBool(path));
    CheckError(query->GetRange(path));
    CheckError(query->GetStringMap(path));
    auto strings = query->GetStringList(path);
    auto ints = query->GetIntList(path);
    CheckError(strings);
    CheckError(ints);
    if (ints.ok()) {
      FUZZ_CHECK(strings.ok() && strings->size() == ints->size(),
                 "an integer list has the string list's elements");
    }
    (void)node->kind();
    (void)node->Items();
  }
  CheckError(query->GetIntList("filter[id]"));
  (void)query->CheckKnownKeys({"page", "limit", "with", "query", "order"}, {"id", "statuses"});
  (void)query->CheckKnownKeys({"page"});
  return 0;
}
