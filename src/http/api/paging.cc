#include "http/api/paging.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names.h"
#include "base/text.h"

namespace gatehouse::http::api {

namespace {

constexpr base::EnumNames<storage::OrderField, 3> kOrderFields{
    {{storage::OrderField::kId, "id"},
     {storage::OrderField::kCreatedAt, "created_at"},
     {storage::OrderField::kUpdatedAt, "updated_at"}}};
constexpr base::EnumNames<storage::OrderDirection, 2> kOrderDirections{
    {{storage::OrderDirection::kAsc, "asc"}, {storage::OrderDirection::kDesc, "desc"}}};

// "a, b or c"
std::string Choices(std::initializer_list<storage::OrderField> fields) {
  std::string out;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (it != fields.begin()) out += std::next(it) == fields.end() ? " or " : ", ";
    out += base::NameOf(kOrderFields, *it);
  }
  return out;
}

// The value of an integer parameter between 1 and max (absent: nullopt); an error is added to
// `errors` at `name`.
std::optional<int> Within(const Query& query, const std::string& name, std::int64_t max,
                          std::vector<base::FieldError>& errors) {
  base::Result<std::optional<std::int64_t>> value = query.GetInt(name);
  if (!value.ok()) {
    const auto& fields = value.status().fields();
    errors.insert(errors.end(), fields.begin(), fields.end());
    return std::nullopt;
  }
  if (!*value) return std::nullopt;
  if (**value < 1 || **value > max) {
    errors.push_back(
        {name, "InvalidValue", name + " must be between 1 and " + std::to_string(max)});
    return std::nullopt;
  }
  return static_cast<int>(**value);
}

}  // namespace

base::Result<Paging> ParsePaging(const Query& query, int default_limit, int max_limit) {
  std::vector<base::FieldError> errors;
  const std::optional<int> page = Within(query, "page", kMaxPage, errors);
  const std::optional<int> limit = Within(query, "limit", max_limit, errors);
  if (!errors.empty()) {
    std::string message;
    for (const base::FieldError& e : errors) {
      message += (message.empty() ? "" : "; ") + e.path + ": " + e.detail;
    }
    return base::Status::Invalid(std::move(message), std::move(errors));
  }
  return Paging{.page = page.value_or(1), .limit = limit.value_or(default_limit)};
}

base::Result<Paging> ParseOnlyPaging(const Query& query) {
  GH_RETURN_IF_ERROR(query.CheckKnownKeys({"page", "limit"}));
  return ParsePaging(query);
}

base::Result<std::optional<ListOrder>> ParseOrder(
    const Query& query, std::initializer_list<storage::OrderField> sortable) {
  GH_ASSIGN_OR_RETURN(auto order, query.GetStringMap("order"));
  if (order.empty()) return std::optional<ListOrder>();
  if (order.size() > 1) {
    return base::Status::InvalidField("order", "InvalidValue", "order by one field only");
  }
  const auto& [name, direction_name] = order.front();
  const std::string path = "order[" + name + "]";
  const std::optional<storage::OrderField> field = base::ValueOf(kOrderFields, name);
  if (!field || std::find(sortable.begin(), sortable.end(), *field) == sortable.end()) {
    return base::Status::InvalidField(path, "NotSupportedChoice", "order by " + Choices(sortable));
  }
  // Kommo's clients send both "desc" and "DESC".
  const std::optional<storage::OrderDirection> direction =
      base::ValueOf(kOrderDirections, base::AsciiLower(direction_name));
  if (!direction) {
    return base::Status::InvalidField(path, "NotSupportedChoice",
                                      "order direction must be asc or desc");
  }
  return std::optional<ListOrder>(ListOrder{*field, *direction});
}

PageSpan SpanOf(const Paging& paging, std::size_t total) {
  // page <= kMaxPage and limit <= 250: the product fits a size_t.
  const std::size_t begin = static_cast<std::size_t>(paging.page - 1) * paging.limit;
  const std::size_t end = begin + static_cast<std::size_t>(paging.limit);
  return {.begin = std::min(begin, total), .end = std::min(end, total), .has_next = end < total};
}

int PageCount(const Paging& paging, std::size_t total) {
  return static_cast<int>((total + static_cast<std::size_t>(paging.limit) - 1) /
                          static_cast<std::size_t>(paging.limit));
}

}  // namespace gatehouse::http::api
