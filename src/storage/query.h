// What a list, count or export query asks for besides the permission filter: the caller's own
// filters, order and page. The permission filter the engine compiled for the caller is an
// argument of its own to every list, count and export (AccountReader::List<R> ...), so that no
// query can run without the caller's rights being named.
//
// Every filter is optional (empty vector / nullopt = no constraint) and they combine with AND;
// every member has an initializer, so a query names just the filters it sets.
// Filters that a table has no column for are refused (kInvalidArgument naming the filter), e.g.
// pipeline_ids on contacts. Ranges are inclusive. `text` and each of `names` are a
// case-insensitive substring match on the record's name (ASCII case folding on SQLite), in which
// LIKE's wildcards match themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/ids.h"
#include "domain/incoming_category.h"
#include "domain/rights.h"
#include "policy/list_filter.h"
#include "policy/list_totals.h"

namespace gatehouse::storage {

struct Range {
  std::optional<std::int64_t> from{};  // inclusive
  std::optional<std::int64_t> to{};    // inclusive
  bool empty() const { return !from && !to; }
};

// One condition of Kommo's filter[custom_fields_values][FIELD_ID]: records with a value of the
// field that matches. Two stages: the HTTP layer fills field_id and what was sent; the service
// (service/admin/custom_fields.h ResolveFieldFilters) checks it against the field's definition and
// the caller's field rights and sets `match` and the typed operands. Storage refuses an unresolved
// condition (kInternal), so a filter can never run unchecked.
struct FieldCondition {
  enum class Match : std::uint8_t {
    kUnresolved,
    kText,    // a stored value equal to one of `texts`
    kEnum,    // a stored enum among `enum_ids`
    kNumber,  // a stored number equal to one of `numbers`, and within [from, to]
  };
  std::int64_t field_id = 0;
  // As sent: filter[...][ID][]=v (any of) and filter[...][ID][from|to]=n.
  std::vector<std::string> sent{};
  std::optional<std::string> sent_from{};
  std::optional<std::string> sent_to{};

  Match match = Match::kUnresolved;
  std::vector<std::string> texts{};
  std::vector<std::int64_t> enum_ids{};
  std::vector<double> numbers{};
  std::optional<double> from{};  // inclusive
  std::optional<double> to{};    // inclusive
  // Records with no matching value instead (a checkbox filtered on false: never checked).
  bool negate = false;
};

enum class OrderField { kId, kCreatedAt, kUpdatedAt };
enum class OrderDirection { kAsc, kDesc };

// Where a keyset page starts: strictly after the row with this (order value, id).
struct Cursor {
  std::int64_t value = 0;  // value of the order field (equals id when ordering by id)
  domain::RecordId id = 0;
  bool operator==(const Cursor&) const = default;
};

inline constexpr int kMaxPageLimit = 250;

struct ListQuery {
  std::vector<domain::RecordId> ids{};
  std::string text{};  // Kommo's query: a substring of the name; empty: none
  // Kommo's filter[name]: the name contains one of these, OR-ed (each matched as `text` is).
  std::vector<std::string> names{};
  std::vector<domain::PipelineId> pipeline_ids{};  // leads, incoming leads
  std::vector<domain::StageKey> stages{};          // leads: (pipeline, status) pairs, OR-ed
  std::vector<domain::UserId> responsible_user_ids{};
  std::vector<domain::UserId> created_by{};
  std::vector<domain::UserId> updated_by{};            // leads, contacts, companies, tasks
  std::vector<std::int64_t> task_type_ids{};           // tasks
  std::vector<domain::IncomingCategory> categories{};  // incoming leads
  std::vector<std::string> uids{};                     // incoming leads: Kommo's uid
  Range created_at{};
  Range updated_at{};
  Range closed_at{};                                // leads
  Range closest_task_at{};                          // leads, contacts, companies, customers
  Range price{};                                    // leads
  std::optional<bool> is_completed{};               // tasks
  std::optional<domain::DataSet> entity_type{};     // tasks, conversations: attached to such
  std::vector<domain::RecordId> entity_ids{};       // tasks, conversations; needs entity_type
  std::vector<std::int64_t> customer_status_ids{};  // customers: status_id, OR-ed
  Range next_date{};                                // customers
  // Tagged kinds (TableTraits::tags): records carrying any of these tags, or all of them with
  // tags_all (Kommo's filter[tags] and filter[tags_logic]).
  std::vector<std::int64_t> tag_ids{};
  bool tags_all = false;
  // Kinds with custom fields (TableTraits::custom_fields): every condition holds (AND).
  std::vector<FieldCondition> custom_fields{};

  OrderField order_field = OrderField::kId;
  OrderDirection order_direction = OrderDirection::kAsc;
  int limit = 50;                 // 1..kMaxPageLimit; larger values are clamped
  int page = 1;                   // 1-based offset paging; ignored when `after` is set
  std::optional<Cursor> after{};  // keyset paging: continue after this row
};

// A count answered from the totals (AccountReader::TotalsByStage): the records `allowed` admits
// and `minus` does not (default: matches nothing, so a plain count), optionally restricted.
struct TotalsQuery {
  policy::ListFilter allowed{};
  policy::ListFilter minus{};
  std::vector<domain::PipelineId> pipeline_ids{};  // leads: only these pipelines (empty: all)
  std::vector<domain::StageKey> stages{};          // leads: only these stages (empty: all)
  // Only records whose responsible user is one of these (0: nobody); nullopt: any.
  std::optional<std::vector<domain::UserId>> responsible_user_ids{};
};

// True when Count<R>(permission, query) depends only on what the totals keep (the permission
// filter and, for leads, pipeline_ids and stages; responsible_user_ids for every data set), so
// that it can be answered by TotalsByStage: every other filter is empty. Incoming leads have no
// totals.
bool AnsweredByTotals(domain::DataSet data_set, const ListQuery& query);

// The TotalsQuery that counts what `query` lists under `permission` (AnsweredByTotals must hold).
TotalsQuery ToTotalsQuery(const policy::ListFilter& permission, const ListQuery& query);

// A page of records plus the cursor to continue with (nullopt when this page is the last).
template <typename Record>
struct Page {
  std::vector<Record> items{};
  std::optional<Cursor> next{};
};

}  // namespace gatehouse::storage
