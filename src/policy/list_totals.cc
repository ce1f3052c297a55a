// Counting from the cells: see list_totals.h for the per-stage rule.
#include "policy/list_totals.h"

#include <algorithm>

namespace gatehouse::policy {

using domain::UserId;
using Kind = Audience::Kind;

namespace {

void AddUsers(const Audience& audience, std::vector<UserId>& users) {
  if (audience.kind == Kind::kResponsibleIn) {
    users.insert(users.end(), audience.users.begin(), audience.users.end());
  }
}

bool Contains(const std::vector<UserId>& sorted, UserId user) {
  return std::binary_search(sorted.begin(), sorted.end(), user);
}

// The totals of one stage from its rollup (if read) and its users' cells.
Totals CountStage(const Audience& a, const Audience& m, const CellTotals* rollup,
                  std::span<const CellTotals> users, const std::vector<UserId>* responsible) {
  Totals out;
  auto add = [&out](const CellTotals& cell, int sign) {
    out.count += sign * cell.count;
    out.price += sign * cell.price;
  };
  if (a.kind == Kind::kNone || m.kind == Kind::kAll) return out;
  if (responsible != nullptr || a.kind == Kind::kResponsibleIn) {
    for (const CellTotals& cell : users) {
      const UserId user = cell.responsible_user_id;
      if (responsible != nullptr && !Contains(*responsible, user)) continue;
      if (a.Admits(user) && !m.Admits(user)) add(cell, +1);
    }
    return out;
  }
  // A admits everyone: the rollup, less what M takes back.
  if (rollup != nullptr) add(*rollup, +1);
  if (m.kind == Kind::kResponsibleIn) {
    for (const CellTotals& cell : users) {
      if (m.Admits(cell.responsible_user_id)) add(cell, -1);
    }
  }
  return out;
}

}  // namespace

const Audience& AudienceAt(const ListFilter& filter, domain::DataSet data_set,
                           const domain::StageKey& stage) {
  if (data_set == domain::DataSet::kLeads) {
    const auto it = std::lower_bound(
        filter.stages.begin(), filter.stages.end(), stage,
        [](const StageAudience& entry, const domain::StageKey& k) { return entry.stage < k; });
    if (it != filter.stages.end() && it->stage == stage) return it->audience;
  }
  return filter.otherwise;
}

CellsNeeded NeededFor(const ListFilter& allowed, const ListFilter& minus,
                      const std::vector<UserId>* responsible) {
  CellsNeeded out;
  if (allowed.MatchesNothing() || minus.MatchesEverything()) return out;
  if (responsible != nullptr) {
    out.users = *responsible;
  } else {
    out.rollups = allowed.otherwise.kind == Kind::kAll ||
                  std::any_of(allowed.stages.begin(), allowed.stages.end(),
                              [](const StageAudience& s) { return s.audience.kind == Kind::kAll; });
    AddUsers(allowed.otherwise, out.users);
    for (const StageAudience& s : allowed.stages) AddUsers(s.audience, out.users);
    // M's users matter only where A admits everyone, but listing them all keeps this simple
    // and costs at most the cells of a few more users.
    if (out.rollups) {
      AddUsers(minus.otherwise, out.users);
      for (const StageAudience& s : minus.stages) AddUsers(s.audience, out.users);
    }
  }
  std::sort(out.users.begin(), out.users.end());
  out.users.erase(std::unique(out.users.begin(), out.users.end()), out.users.end());
  return out;
}

std::map<domain::StageKey, Totals> TotalsByStage(domain::DataSet data_set,
                                                 const ListFilter& allowed, const ListFilter& minus,
                                                 std::span<const CellTotals> cells,
                                                 const std::vector<UserId>* responsible) {
  // Group the cells by stage without assuming their order: sort pointers to them.
  std::vector<const CellTotals*> sorted;
  sorted.reserve(cells.size());
  for (const CellTotals& cell : cells) sorted.push_back(&cell);
  std::sort(sorted.begin(), sorted.end(), [](const CellTotals* x, const CellTotals* y) {
    if (x->stage != y->stage) return x->stage < y->stage;
    return x->responsible_user_id < y->responsible_user_id;
  });
  std::map<domain::StageKey, Totals> out;
  std::vector<CellTotals> users;
  for (std::size_t at = 0; at < sorted.size();) {
    const domain::StageKey stage = sorted[at]->stage;
    const CellTotals* rollup = nullptr;
    users.clear();
    for (; at < sorted.size() && sorted[at]->stage == stage; ++at) {
      if (sorted[at]->responsible_user_id == kEveryone) {
        rollup = sorted[at];
      } else {
        users.push_back(*sorted[at]);
      }
    }
    const Totals totals =
        CountStage(AudienceAt(allowed, data_set, stage), AudienceAt(minus, data_set, stage), rollup,
                   users, responsible);
    if (totals.count != 0 || totals.price != 0) out[stage] = totals;
  }
  return out;
}

}  // namespace gatehouse::policy
