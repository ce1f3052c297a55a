// The compiled permission table. Layout, chosen for Check() at tens of millions per second:
//   - users live in one dense vector; an open-addressing table maps an id to its index;
//   - each compiled user carries its own [data set][action] level table, its group id and a
//     precomputed decision for the gates that end a check early (inactive, free, admin);
//   - stage entries of all users live in one sorted vector; a user points at its slice, and
//     the common user (no stage rights) has an empty slice, so Check skips the lookup;
//   - per group, the sorted member ids, so CompileFilter for G only copies a vector.
// Nothing in the table changes after Build(), so every method is const and lock-free.
#include "policy/account_policy.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <map>
#include <string>

#include "policy/account_policy_table.h"
#include "policy/rights_validation.h"

namespace gatehouse::policy {
namespace {

using domain::Action;
using domain::DataSet;
using domain::Level;

std::atomic<std::uint64_t> g_build_counter{0};

// ActionApplies as a constant table for the hot path (view add edit delete export accept
// decline); Build() asserts that the two agree.
constexpr bool kApplies[domain::kDataSetCount][domain::kActionCount] = {
    {true, true, true, true, true, false, false},    // leads
    {true, true, true, true, true, false, false},    // contacts
    {true, true, true, true, true, false, false},    // companies
    {true, false, true, true, false, false, false},  // tasks
    {true, false, false, false, false, true, true},  // incoming leads
};

bool Applicable(unsigned data_set, unsigned action) {
  return data_set < domain::kDataSetCount && action < domain::kActionCount &&
         kApplies[data_set][action];
}

// Re-applies the dependency chain of one data set's row (edit <= view; delete <= view, edit;
// export <= view) after a stage entry replaced some of its levels.
void ApplyChain(std::array<Level, domain::kActionCount>& row) {
  auto at = [&row](Action action) -> Level& { return row[static_cast<int>(action)]; };
  at(Action::kEdit) = std::min(at(Action::kEdit), at(Action::kView));
  at(Action::kDelete) = std::min({at(Action::kDelete), at(Action::kView), at(Action::kEdit)});
  at(Action::kExport) = std::min(at(Action::kExport), at(Action::kView));
}

}  // namespace

namespace {

using CompiledUser = AccountPolicy::CompiledUser;

// The gate that settles every check of `user` (inactive, free, administrator) with its decision;
// kGeneralRight when the user's rights decide.
void CompileGate(const domain::User& user, CompiledUser& compiled) {
  if (!user.is_active) {
    compiled.gate = Rule::kInactiveUser;
  } else if (user.is_free) {
    compiled.gate = Rule::kFreeUser;
  } else if (user.is_admin) {
    compiled.gate = Rule::kAdmin;
  }
  if (compiled.gate != Rule::kGeneralRight) {
    const bool admin = compiled.gate == Rule::kAdmin;
    compiled.gate_decision = Decision{
        admin, compiled.gate, admin ? Level::kAllowed : Level::kDenied, Match::kNotCompared};
  }
}

// Each cell's level from the normalized `rights`; kCellGate everywhere for a gated user.
void CompileCells(const domain::Rights& rights, CompiledUser& compiled) {
  for (int d = 0; d < domain::kDataSetCount; ++d) {
    for (int a = 0; a < domain::kActionCount; ++a) {
      compiled.cells[d][a] = compiled.gate != Rule::kGeneralRight ? kCellGate
                             : kApplies[d][a] ? static_cast<std::uint8_t>(rights.levels[d][a])
                                              : kCellNotApplicable;
    }
  }
}

// Appends the user's slice of stage entries (each the leads' row with the stage's levels over
// it, the dependency chain re-applied) to `stages`.
void CompileStages(const domain::Rights& rights, std::vector<CompiledStage>& stages,
                   CompiledUser& compiled) {
  compiled.stage_begin = static_cast<std::uint32_t>(stages.size());
  for (const domain::StageRights& entry : rights.stage_rights) {
    // Normalize sorted the entries; a repeated stage keeps its first entry.
    if (stages.size() > compiled.stage_begin && stages.back().key == entry.stage) continue;
    CompiledStage stage{.key = entry.stage,
                        .levels = rights.levels[static_cast<int>(DataSet::kLeads)]};
    for (Action action : domain::kStageActions) {
      if (auto level = entry.Get(action)) stage.levels[static_cast<int>(action)] = *level;
    }
    ApplyChain(stage.levels);
    stages.push_back(stage);
  }
  compiled.stage_end = static_cast<std::uint32_t>(stages.size());
  compiled.has_stage_rights = compiled.stage_end > compiled.stage_begin;
}

}  // namespace

AccountPolicy::AccountPolicy() : impl_(std::make_unique<Impl>()) {}
AccountPolicy::~AccountPolicy() = default;

std::shared_ptr<const AccountPolicy> AccountPolicy::Build(const domain::AccountModel& model) {
  std::shared_ptr<AccountPolicy> policy(new AccountPolicy());
  policy->account_id_ = model.id;
  policy->version_ = g_build_counter.fetch_add(1, std::memory_order_relaxed) + 1;
  Impl& impl = *policy->impl_;
  impl.groups = model.groups;
  for (const auto& field : model.custom_fields) {
    impl.custom_field_sets |= 1U << static_cast<unsigned>(field.first);
  }
  impl.InitSlots(model.users.size());
  for (int d = 0; d < domain::kDataSetCount; ++d) {
    for (int a = 0; a < domain::kActionCount; ++a) {
      assert(kApplies[d][a] ==
             domain::ActionApplies(static_cast<DataSet>(d), static_cast<Action>(a)));
    }
  }

  // First pass: dense indices; the first user with a given id wins.
  std::map<domain::GroupId, std::int32_t> group_slots;
  for (const domain::User& user : model.users) {
    const auto index = static_cast<std::int32_t>(impl.users.size());
    auto [slot, inserted] =
        group_slots.emplace(user.group_id, static_cast<std::int32_t>(impl.group_members.size()));
    if (inserted) impl.group_members.emplace_back();
    if (!impl.Insert(user.id, IndexEntry{index, slot->second})) continue;
    CompiledUser compiled{.id = user.id,
                          .group_slot = slot->second,
                          .is_admin = user.is_admin,
                          .group_id = user.group_id,
                          .index = static_cast<std::uint32_t>(index)};
    if (user.id != 0) impl.group_members[static_cast<std::size_t>(slot->second)].push_back(user.id);

    CompileGate(user, compiled);
    domain::Rights rights = user.rights;
    Normalize(rights);
    CompileCells(rights, compiled);
    CompileStages(rights, impl.stages, compiled);
    impl.users.push_back(compiled);
    impl.rights.push_back(std::move(rights));
  }
  impl.InitDense();
  for (auto& members : impl.group_members) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
  }
  return policy;
}

const AccountPolicy::CompiledUser* AccountPolicy::FindUser(domain::UserId user_id) const {
  return impl_->Find(user_id);
}

Decision AccountPolicy::Check(domain::UserId user_id, domain::Action action,
                              const domain::RecordRef& record) const {
  return Check(impl_->Find(user_id), action, record);
}

Decision AccountPolicy::Check(const CompiledUser* user, domain::Action action,
                              const domain::RecordRef& record) const {
  if (user == nullptr) return Decision{};  // kUnknownUser, denied
  // Customers are decided by the leads' row; stage rights below apply to leads only.
  const auto d = static_cast<unsigned>(domain::RightsRow(record.data_set));
  const auto a = static_cast<unsigned>(action);
  // Out-of-range enum values (a corrupt caller) are not applicable, after the gates.
  const std::uint8_t cell =
      d < domain::kDataSetCount && a < domain::kActionCount
          ? user->cells[d][a]
          : (user->gate != Rule::kGeneralRight ? kCellGate : kCellNotApplicable);
  if (cell > static_cast<std::uint8_t>(Level::kAllowed)) {
    if (cell == kCellGate) return user->gate_decision;
    return Decision{false, Rule::kNotApplicable, Level::kDenied, Match::kNotCompared};
  }
  Decision decision{false, Rule::kGeneralRight, static_cast<Level>(cell), Match::kNotCompared};
  if (user->has_stage_rights && record.data_set == DataSet::kLeads && action != Action::kAdd) {
    if (const CompiledStage* stage =
            impl_->FindStage(*user, {record.pipeline_id, record.status_id})) {
      decision.rule = Rule::kStageRight;
      decision.level = stage->levels[a];
    }
  }
  switch (decision.level) {
    case Level::kDenied:
      break;
    case Level::kAllowed:
      decision.allowed = true;
      break;
    case Level::kIfResponsible:
      decision.allowed = record.responsible_user_id != 0 && record.responsible_user_id == user->id;
      decision.match = decision.allowed ? Match::kResponsible : Match::kNotResponsible;
      break;
    case Level::kTeamWide: {
      const IndexEntry* responsible =
          record.responsible_user_id == 0 ? nullptr : impl_->Lookup(record.responsible_user_id);
      decision.allowed = responsible != nullptr && responsible->group_slot == user->group_slot;
      decision.match = decision.allowed ? Match::kSameGroup : Match::kOtherGroup;
      break;
    }
  }
  return decision;
}

namespace {

Audience MakeAudience(Level level, domain::UserId user_id,
                      const std::vector<domain::UserId>& group_members) {
  Audience audience;
  switch (level) {
    case Level::kDenied:
      break;
    case Level::kAllowed:
      audience.kind = Audience::Kind::kAll;
      break;
    case Level::kIfResponsible:
      if (user_id != 0) {
        audience.kind = Audience::Kind::kResponsibleIn;
        audience.users = {user_id};
      }
      break;
    case Level::kTeamWide:
      if (!group_members.empty()) {
        audience.kind = Audience::Kind::kResponsibleIn;
        audience.users = group_members;
      }
      break;
  }
  return audience;
}

}  // namespace

ListFilter AccountPolicy::CompileFilter(domain::UserId user_id, domain::DataSet data_set,
                                        domain::Action action) const {
  ListFilter filter;
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return filter;
  if (user->gate == Rule::kAdmin) {
    filter.otherwise.kind = Audience::Kind::kAll;
    return filter;
  }
  if (user->gate != Rule::kGeneralRight) return filter;
  const auto d = static_cast<unsigned>(domain::RightsRow(data_set));
  const auto a = static_cast<unsigned>(action);
  if (!Applicable(d, a)) {
    return filter;
  }
  const std::vector<domain::UserId>& members =
      impl_->group_members[static_cast<std::size_t>(user->group_slot)];
  const auto general = static_cast<Level>(user->cells[d][a]);
  filter.otherwise = MakeAudience(general, user->id, members);
  if (!user->has_stage_rights || data_set != DataSet::kLeads || action == Action::kAdd) {
    return filter;
  }
  for (std::uint32_t i = user->stage_begin; i < user->stage_end; ++i) {
    const CompiledStage& stage = impl_->stages[i];
    const Level level = stage.levels[a];
    if (level == general) continue;
    Audience audience = MakeAudience(level, user->id, members);
    // Two levels can still admit the same users (M and G for a user alone in its group).
    if (audience == filter.otherwise) continue;
    filter.stages.push_back(StageAudience{stage.key, std::move(audience)});
  }
  return filter;
}

bool AccountPolicy::HasFeature(domain::UserId user_id, domain::Feature feature) const {
  return impl_->AskRights(user_id,
                          [&](const domain::Rights& rights) { return rights.HasFeature(feature); });
}

bool AccountPolicy::CanViewField(domain::UserId user_id, domain::DataSet data_set,
                                 std::int64_t field_id) const {
  return impl_->AskRights(user_id, [&](const domain::Rights& rights) {
    return rights.CanViewField(data_set, field_id);
  });
}

bool AccountPolicy::CanEditField(domain::UserId user_id, domain::DataSet data_set,
                                 std::int64_t field_id) const {
  return impl_->AskRights(user_id, [&](const domain::Rights& rights) {
    return rights.CanEditField(data_set, field_id);
  });
}

bool AccountPolicy::HasCustomFields(domain::DataSet data_set) const {
  return (impl_->custom_field_sets >> static_cast<unsigned>(data_set) & 1U) != 0;
}

bool AccountPolicy::SeesAllFields(domain::UserId user_id, domain::DataSet data_set) const {
  return impl_->AskRights(user_id, [&](const domain::Rights& rights) {
    return std::none_of(
        rights.field_rights.begin(), rights.field_rights.end(),
        [&](const domain::FieldRight& f) { return f.data_set == data_set && !f.view; });
  });
}

std::optional<domain::GroupId> AccountPolicy::GroupOf(domain::UserId user_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return std::nullopt;
  return user->group_id;
}

bool AccountPolicy::IsAdmin(domain::UserId user_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  // Exactly the users Check lets through as administrators: a free admin acts on nothing, so
  // it must not reach settings either.
  return user != nullptr && user->gate == Rule::kAdmin;
}

bool AccountPolicy::IsActive(domain::UserId user_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  return user != nullptr && user->gate != Rule::kInactiveUser;
}

bool AccountPolicy::IsActivePaid(domain::UserId user_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  return user != nullptr && user->gate != Rule::kInactiveUser && user->gate != Rule::kFreeUser;
}

}  // namespace gatehouse::policy
