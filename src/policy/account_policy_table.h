// The layout of a compiled permission table (see account_policy.cc for why it is laid out so):
// shared by the checks (account_policy.cc) and the explanations (explain.cc), nobody else.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "policy/account_policy.h"

namespace gatehouse::policy {

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
  Decision gate_decision{};
  // Read by Explain, CompileFilter and the feature checks only.
  bool is_admin = false;  // the flag as stored, whatever the user's state
  domain::GroupId group_id = 0;
  std::uint32_t index = 0;  // position in Impl::users
};

inline constexpr std::uint8_t kCellNotApplicable = 4;
inline constexpr std::uint8_t kCellGate = 5;

// A user's compiled levels for leads inside one stage.
struct CompiledStage {
  domain::StageKey key{};
  std::array<domain::Level, domain::kActionCount> levels{};
};

// Where an id lives: its dense index (-1: absent) and its group's slot, so that the team-wide
// comparison needs no second hop to the user.
struct IndexEntry {
  std::int32_t index = -1;
  std::int32_t group_slot = -1;
};

struct AccountPolicy::Impl {
  std::uint32_t custom_field_sets = 0;  // bit 1 << DataSet: the account has fields of it
  std::vector<CompiledUser> users{};
  std::vector<domain::Rights> rights{};  // normalized, parallel to users (Explain, features)
  std::vector<CompiledStage> stages{};
  std::vector<std::vector<domain::UserId>> group_members{};  // by group slot; sorted, without 0
  std::vector<domain::Group> groups{};

  // Open addressing, linear probing, power-of-two capacity, load <= 1/2. Used when ids are
  // sparse; it also finds repeated ids while building.
  struct Slot {
    domain::UserId id = 0;
    IndexEntry entry;
  };
  std::vector<Slot> slots{};
  int shift = 64;
  std::uint64_t mask = 0;

  // When ids are not too spread out (one account's users usually come from a few runs of a
  // sequence) a direct table replaces the hash probe.
  std::vector<IndexEntry> dense{};  // for ids dense_base .. dense_base + size - 1
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

  // A rights question about `user_id`: yes for an administrator, no for a user without general
  // rights (unknown, inactive, free), else what `ask` answers of the user's normalized rights.
  template <typename Ask>
  bool AskRights(domain::UserId user_id, Ask ask) const {
    const CompiledUser* user = Find(user_id);
    if (user == nullptr) return false;
    if (user->gate == Rule::kAdmin) return true;
    if (user->gate != Rule::kGeneralRight) return false;
    return ask(rights[user->index]);
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

}  // namespace gatehouse::policy
