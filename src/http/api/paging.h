// `page`, `limit` and `order` of a list request, parsed one way for every list of the API.
//
// Out of range is refused, never clamped (a client asking for more than a page holds would read
// a short page as the end): 400 InvalidValue naming the parameter, with one wording everywhere.
// An order the list cannot sort by is refused too, never ignored (a client would take the page
// for sorted).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>

#include "base/status.h"
#include "http/query.h"
#include "storage/query.h"

namespace gatehouse::http::api {

inline constexpr int kMaxPage = 1'000'000;
inline constexpr int kDefaultPageLimit = 50;

struct Paging {
  int page = 1;
  int limit = kDefaultPageLimit;
};

// page (1..kMaxPage, default 1) and limit (1..max_limit, default default_limit) from the query.
// An endpoint with another documented maximum passes it as max_limit.
base::Result<Paging> ParsePaging(const Query& query, int default_limit = kDefaultPageLimit,
                                 int max_limit = storage::kMaxPageLimit);
// The same for a list that takes no other parameter: any other key is refused as
// Query::CheckKnownKeys refuses it.
base::Result<Paging> ParseOnlyPaging(const Query& query);

struct ListOrder {
  storage::OrderField field = storage::OrderField::kId;
  storage::OrderDirection direction = storage::OrderDirection::kAsc;
};

// order[field]=asc|desc: one field at most, among `sortable`; nullopt when the query has none.
base::Result<std::optional<ListOrder>> ParseOrder(
    const Query& query, std::initializer_list<storage::OrderField> sortable);

// The page's part of a list held in memory of `total` items: indexes [begin, end), and whether
// a next page exists.
struct PageSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool has_next = false;
};
PageSpan SpanOf(const Paging& paging, std::size_t total);
// How many pages of `paging.limit` items `total` items fill (Kommo's _page_count).
int PageCount(const Paging& paging, std::size_t total);

}  // namespace gatehouse::http::api
