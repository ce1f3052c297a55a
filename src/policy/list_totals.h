// Counting with totals instead of rows: what a compiled list filter admits, computed from
// per-cell counters rather than from the records.
//
// Every permission predicate of SPEC §2 reads only a record's responsible user and, for leads,
// its stage, so the store keeps one counter per (stage, responsible user) — a "cell" — and, per
// stage, a rollup of all of its cells (responsible_user_id == kEveryone). Contacts, companies
// and tasks have no stage: their cells all carry the stage {0, 0}.
//
// A ListFilter gives each stage one Audience, so the records of a stage that `allowed` admits
// and `minus` does not are, with A and M the two audiences of that stage:
//   A None or M All       -> nothing
//   A ResponsibleIn(U)    -> the cells of the users of U that M does not admit
//   A All                 -> the rollup minus the cells of the users M admits (M None: the
//                            rollup; M ResponsibleIn(V): the rollup minus the cells of V)
// so a count never needs more than the stage rollups and the cells of the users the two
// filters name. With a `responsible` restriction (the list's responsible_user_id filter) only
// the cells of those users count, each one if A admits it and M does not.
//
// Pure: no SQL, no I/O; the caller reads the cells (CellsNeeded says which) and passes them in.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "domain/account.h"
#include "policy/list_filter.h"

namespace gatehouse::policy {

// The responsible_user_id of a stage's rollup cell: the sum of every cell of that stage.
inline constexpr domain::UserId kEveryone = -1;

// One counter: `count` records of `stage` whose responsible user is `responsible_user_id` (0:
// nobody; kEveryone: the stage's rollup), with prices summing to `price` (0 but for leads).
struct CellTotals {
  domain::StageKey stage{};
  domain::UserId responsible_user_id = 0;
  std::int64_t count = 0;
  std::int64_t price = 0;
  bool operator==(const CellTotals&) const = default;
};

struct Totals {
  std::int64_t count = 0;
  std::int64_t price = 0;
  bool operator==(const Totals&) const = default;
};

// Which cells a TotalsByStage call needs: the rollups of every stage (when `rollups`) and the
// cells of `users` (sorted, unique; may contain 0 for "nobody").
struct CellsNeeded {
  bool rollups = false;
  std::vector<domain::UserId> users{};
  bool operator==(const CellsNeeded&) const = default;
};

// What the records `allowed` admits and `minus` does not need, optionally restricted to the
// records whose responsible user is in `responsible` (sorted; 0 is "nobody"; nullptr: any).
CellsNeeded NeededFor(const ListFilter& allowed, const ListFilter& minus,
                      const std::vector<domain::UserId>* responsible = nullptr);

// Per stage, the number and price sum of the records of `data_set` that `allowed` admits and
// `minus` does not (restricted as above). `cells` must hold at least what NeededFor asks for
// (any other cells are ignored) and list each (stage, responsible user) at most once. Stages
// that contribute nothing are left out. For data sets other than leads the stage audiences of
// the filters do not apply (as in ListFilter::Matches).
std::map<domain::StageKey, Totals> TotalsByStage(
    domain::DataSet data_set, const ListFilter& allowed, const ListFilter& minus,
    std::span<const CellTotals> cells, const std::vector<domain::UserId>* responsible = nullptr);

// The audience of `filter` for the records of `data_set` in `stage` (see ListFilter).
const Audience& AudienceAt(const ListFilter& filter, domain::DataSet data_set,
                           const domain::StageKey& stage);

}  // namespace gatehouse::policy
