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

std::string LevelText(Level level) {
  std::string text(1, domain::LevelLetter(level));
  switch (level) {
    case Level::kDenied:
      return text + " (denied)";
    case Level::kIfResponsible:
      return text + " (if responsible)";
    case Level::kTeamWide:
      return text + " (team-wide)";
    case Level::kAllowed:
      return text + " (allowed)";
  }
  return text;
}

std::string StageText(domain::StageKey key) {
  return "(pipeline " + std::to_string(key.pipeline_id) + ", status " +
         std::to_string(key.status_id) + ")";
}

}  // namespace

struct AccountPolicy::CompiledUser {
  // Read by every Check, so kept together at the front: the level of each cell (0..3),
  // kCellNotApplicable, or for a gated user kCellGate everywhere, so that one load and one
  // branch settle the common case.
  std::array<std::array<std::uint8_t, 8>, domain::kDataSetCount> cells{};
  domain::UserId id = 0;
  std::int32_t group_slot = 0;    // dense number of the user's group: equal slots, equal groups
  std::uint32_t stage_begin = 0;  // slice of Impl::stages
  std::uint32_t stage_end = 0;
  bool has_stage_rights = false;  // stage_end > stage_begin
  // kGeneralRight when the user's rights decide; otherwise the gate that decides every check
  // (kInactiveUser, kFreeUser, kAdmin) in `gate_decision`.
  Rule gate = Rule::kGeneralRight;
  Decision gate_decision;
  // Read by Explain, CompileFilter and the feature checks only.
  bool is_admin = false;  // the flag as stored, whatever the user's state
  domain::GroupId group_id = 0;
  std::uint32_t index = 0;  // position in Impl::users
};

namespace {

constexpr std::uint8_t kCellNotApplicable = 4;
constexpr std::uint8_t kCellGate = 5;

// A user's compiled levels for leads inside one stage.
struct CompiledStage {
  domain::StageKey key;
  std::array<Level, domain::kActionCount> levels{};
};

// Where an id lives: its dense index (-1: absent) and its group's slot, so that the team-wide
// comparison needs no second hop to the user.
struct IndexEntry {
  std::int32_t index = -1;
  std::int32_t group_slot = -1;
};

}  // namespace

struct AccountPolicy::Impl {
  std::uint32_t custom_field_sets = 0;  // bit 1 << DataSet: the account has fields of it
  std::vector<CompiledUser> users;
  std::vector<domain::Rights> rights;  // normalized, parallel to users (Explain, features)
  std::vector<CompiledStage> stages;
  std::vector<std::vector<domain::UserId>> group_members;  // by group slot; sorted, without 0
  std::vector<domain::Group> groups;

  // Open addressing, linear probing, power-of-two capacity, load <= 1/2. Used when ids are
  // sparse; it also finds repeated ids while building.
  struct Slot {
    domain::UserId id = 0;
    IndexEntry entry;
  };
  std::vector<Slot> slots;
  int shift = 64;
  std::uint64_t mask = 0;

  // When ids are not too spread out (one account's users usually come from a few runs of a
  // sequence) a direct table replaces the hash probe.
  std::vector<IndexEntry> dense;  // for ids dense_base .. dense_base + size - 1
  domain::UserId dense_base = 0;

  std::size_t Home(domain::UserId id) const {
    // Mix first (murmur3's 64-bit finalizer): a plain multiplicative hash clusters evenly
    // spaced ids (a shared sequence handing every n-th id to one account) into long probes.
    std::uint64_t x = static_cast<std::uint64_t>(id);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return static_cast<std::size_t>(x >> shift);
  }

  void InitSlots(std::size_t count) {
    std::size_t capacity = std::bit_ceil(std::max<std::size_t>(8, count * 2));
    slots.assign(capacity, Slot{});
    mask = capacity - 1;
    shift = 64 - std::countr_zero(capacity);
  }

  // False when the id is already present.
  bool Insert(domain::UserId id, IndexEntry entry) {
    for (std::size_t i = Home(id);; i = (i + 1) & mask) {
      if (slots[i].entry.index < 0) {
        slots[i] = Slot{id, entry};
        return true;
      }
      if (slots[i].id == id) return false;
    }
  }

  void InitDense() {
    if (users.empty()) return;
    domain::UserId low = users[0].id;
    domain::UserId high = users[0].id;
    for (const CompiledUser& user : users) {
      low = std::min(low, user.id);
      high = std::max(high, user.id);
    }
    const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    // Up to 64 entries (8 bytes each) per user: ~0.5 MiB for 1,000 users spread over a shared
    // id sequence, and one load instead of a probe on every check.
    if (span >= 64 * users.size() + 64) return;
    dense_base = low;
    dense.assign(span + 1, IndexEntry{});
    for (const CompiledUser& user : users) {
      dense[static_cast<std::uint64_t>(user.id) - static_cast<std::uint64_t>(low)] =
          IndexEntry{static_cast<std::int32_t>(user.index), user.group_slot};
    }
  }

  // nullptr when the id is not a user of the account.
  const IndexEntry* Lookup(domain::UserId id) const {
    if (!dense.empty()) {
      // Unsigned wrap-around sends ids below the base out of range too.
      const std::uint64_t offset =
          static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(dense_base);
      if (offset >= dense.size() || dense[offset].index < 0) return nullptr;
      return &dense[offset];
    }
    for (std::size_t i = Home(id);; i = (i + 1) & mask) {
      const Slot& slot = slots[i];
      if (slot.entry.index < 0) return nullptr;
      if (slot.id == id) return &slot.entry;
    }
  }

  const CompiledUser* Find(domain::UserId id) const {
    const IndexEntry* entry = Lookup(id);
    return entry == nullptr ? nullptr : &users[static_cast<std::size_t>(entry->index)];
  }

  const CompiledStage* FindStage(const CompiledUser& user, domain::StageKey key) const {
    // Slices are short; a linear scan beats a binary search below a dozen entries.
    for (std::uint32_t i = user.stage_begin; i < user.stage_end; ++i) {
      if (stages[i].key == key) return &stages[i];
    }
    return nullptr;
  }

  const domain::Group* FindGroup(domain::GroupId id) const {
    for (const domain::Group& group : groups) {
      if (group.id == id) return &group;
    }
    return nullptr;
  }
};

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
    CompiledUser compiled;
    compiled.id = user.id;
    compiled.group_id = user.group_id;
    compiled.index = static_cast<std::uint32_t>(index);
    compiled.is_admin = user.is_admin;
    compiled.group_slot = slot->second;
    if (user.id != 0) impl.group_members[static_cast<std::size_t>(slot->second)].push_back(user.id);

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

    domain::Rights rights = user.rights;
    Normalize(rights);
    for (int d = 0; d < domain::kDataSetCount; ++d) {
      for (int a = 0; a < domain::kActionCount; ++a) {
        compiled.cells[d][a] = compiled.gate != Rule::kGeneralRight ? kCellGate
                               : kApplies[d][a] ? static_cast<std::uint8_t>(rights.levels[d][a])
                                                : kCellNotApplicable;
      }
    }

    compiled.stage_begin = static_cast<std::uint32_t>(impl.stages.size());
    for (const domain::StageRights& entry : rights.stage_rights) {
      // Normalize sorted the entries; a repeated stage keeps its first entry.
      if (impl.stages.size() > compiled.stage_begin && impl.stages.back().key == entry.stage) {
        continue;
      }
      CompiledStage stage;
      stage.key = entry.stage;
      stage.levels = rights.levels[static_cast<int>(DataSet::kLeads)];
      for (Action action : domain::kStageActions) {
        if (auto level = entry.Get(action)) stage.levels[static_cast<int>(action)] = *level;
      }
      ApplyChain(stage.levels);
      impl.stages.push_back(stage);
    }
    compiled.stage_end = static_cast<std::uint32_t>(impl.stages.size());
    compiled.has_stage_rights = compiled.stage_end > compiled.stage_begin;

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

Explanation AccountPolicy::Explain(domain::UserId user_id, domain::Action action,
                                   const domain::RecordRef& record) const {
  Explanation out;
  const CompiledUser* user = impl_->Find(user_id);
  out.decision = Check(user, action, record);
  // The right that decides: customers have the leads' (without stage rights).
  const std::string data_set_name(domain::DataSetName(domain::RightsRow(record.data_set)));
  const std::string action_name(domain::ActionName(action));
  const std::string right = data_set_name + "." + action_name;
  const std::string inherited =
      record.data_set == DataSet::kCustomers ? " (customers have the leads' rights)" : "";

  if (user == nullptr) {
    out.reasons.push_back({"unknown_user", "user " + std::to_string(user_id) +
                                               " is not a user of account " +
                                               std::to_string(account_id_) + ", so it is denied"});
    return out;
  }
  out.user_group_id = user->group_id;
  const CompiledUser* responsible =
      record.responsible_user_id == 0 ? nullptr : impl_->Find(record.responsible_user_id);
  if (responsible != nullptr) out.responsible_group_id = responsible->group_id;

  switch (user->gate) {
    case Rule::kInactiveUser:
      out.reasons.push_back({"inactive_user", "user " + std::to_string(user_id) +
                                                  " is deactivated and may do nothing"});
      return out;
    case Rule::kFreeUser:
      out.reasons.push_back({"free_user", "user " + std::to_string(user_id) +
                                              " is a free user (holds no paid seat) and acts on "
                                              "no data"});
      return out;
    case Rule::kAdmin:
      out.reasons.push_back({"admin", "user " + std::to_string(user_id) +
                                          " is an administrator and may do "
                                          "everything"});
      return out;
    default:
      break;
  }
  if (out.decision.rule == Rule::kNotApplicable) {
    out.reasons.push_back({"not_applicable", right + " does not exist: " + data_set_name +
                                                 " have no " + action_name + " action"});
    return out;
  }

  const Level level = out.decision.level;
  if (out.decision.rule == Rule::kStageRight) {
    const domain::StageKey key{record.pipeline_id, record.status_id};
    out.stage_rule = key;
    const domain::Rights& rights = impl_->rights[user->index];
    const domain::StageRights* entry = rights.FindStage(key);
    // A plain flag and level rather than an optional: GCC 12 at -O2 warns (maybe-uninitialized)
    // about the optional's payload here.
    const bool is_set = entry != nullptr && entry->Get(action).has_value();
    const Level set =
        is_set ? entry->Get(action).value_or(Level::kDenied) : rights.Get(DataSet::kLeads, action);
    std::string text =
        "the lead is in stage " + StageText(key) + ", where the user's special stage rights ";
    if (is_set) {
      text += "set " + action_name + " to " + std::string(1, domain::LevelLetter(set));
    } else {
      text += "do not set " + action_name + ", so the general level " +
              std::string(1, domain::LevelLetter(set)) + " applies";
    }
    if (set != level) {
      if (is_set) text += ", narrowed by the actions it depends on";
      text += "; the effective level is " + LevelText(level);
    }
    out.reasons.push_back({"stage_right", text});
  } else {
    out.reasons.push_back(
        {"general_right", right + " is " + LevelText(level) + " for this user" + inherited});
  }

  if (level == Level::kIfResponsible) {
    if (out.decision.match == Match::kResponsible) {
      out.reasons.push_back({"responsible", "the user (" + std::to_string(user_id) +
                                                ") is the record's responsible user"});
    } else if (record.responsible_user_id == 0) {
      out.reasons.push_back({"responsible", "the record has no responsible user"});
    } else {
      out.reasons.push_back(
          {"responsible", "the responsible user is " + std::to_string(record.responsible_user_id) +
                              ", not this user (" + std::to_string(user_id) + ")"});
    }
  } else if (level == Level::kTeamWide) {
    const std::string user_group = "the user's group is " + std::to_string(user->group_id);
    if (record.responsible_user_id == 0) {
      out.reasons.push_back({"group", "the record has no responsible user, so no group matches"});
    } else if (responsible == nullptr) {
      out.reasons.push_back({"group", "responsible user " +
                                          std::to_string(record.responsible_user_id) +
                                          " is not a user of this account"});
    } else {
      std::string group = "group " + std::to_string(responsible->group_id);
      if (const domain::Group* found = impl_->FindGroup(responsible->group_id)) {
        group += " (" + found->name + ")";
      }
      out.reasons.push_back({"group", "responsible user " +
                                          std::to_string(record.responsible_user_id) + " is in " +
                                          group + ", " + user_group});
    }
  }
  return out;
}

bool AccountPolicy::HasFeature(domain::UserId user_id, domain::Feature feature) const {
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return false;
  if (user->gate == Rule::kAdmin) return true;
  if (user->gate != Rule::kGeneralRight) return false;
  return impl_->rights[user->index].HasFeature(feature);
}

bool AccountPolicy::CanViewField(domain::UserId user_id, domain::DataSet data_set,
                                 std::int64_t field_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return false;
  if (user->gate == Rule::kAdmin) return true;
  if (user->gate != Rule::kGeneralRight) return false;
  return impl_->rights[user->index].CanViewField(data_set, field_id);
}

bool AccountPolicy::CanEditField(domain::UserId user_id, domain::DataSet data_set,
                                 std::int64_t field_id) const {
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return false;
  if (user->gate == Rule::kAdmin) return true;
  if (user->gate != Rule::kGeneralRight) return false;
  return impl_->rights[user->index].CanEditField(data_set, field_id);
}

bool AccountPolicy::HasCustomFields(domain::DataSet data_set) const {
  return (impl_->custom_field_sets >> static_cast<unsigned>(data_set) & 1U) != 0;
}

bool AccountPolicy::SeesAllFields(domain::UserId user_id, domain::DataSet data_set) const {
  const CompiledUser* user = impl_->Find(user_id);
  if (user == nullptr) return false;
  if (user->gate == Rule::kAdmin) return true;
  if (user->gate != Rule::kGeneralRight) return false;
  for (const domain::FieldRight& f : impl_->rights[user->index].field_rights) {
    if (f.data_set == data_set && !f.view) return false;
  }
  return true;
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
