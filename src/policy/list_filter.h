// The compiled list filter: exactly which records of one data set a user may act on with one
// action, as a neutral predicate that storage turns into SQL (only storage writes SQL).
//
// Semantics: a record qualifies iff the audience that applies to it admits its responsible user.
// The audience that applies is the one of the StageAudience whose stage equals the record's
// (pipeline_id, status_id), if any (leads only), else `otherwise`.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/account.h"

namespace gatehouse::policy {

struct Audience {
  enum class Kind : std::uint8_t {
    kNone,           // no record qualifies
    kAll,            // every record qualifies
    kResponsibleIn,  // the record's responsible_user_id is in `users` (0 never is)
  };
  Kind kind = Kind::kNone;
  std::vector<domain::UserId> users{};  // sorted, unique, non-empty when kResponsibleIn

  bool Admits(domain::UserId responsible_user_id) const;
  bool operator==(const Audience&) const = default;
};

struct StageAudience {
  domain::StageKey stage{};
  Audience audience{};
  bool operator==(const StageAudience&) const = default;
};

struct ListFilter {
  Audience otherwise{};
  std::vector<StageAudience> stages{};  // sorted by stage; only stages whose audience differs
                                        // from `otherwise` are listed

  // The filter every record passes (what an administrator sees; reports that read as one).
  static ListFilter All() { return {Audience{Audience::Kind::kAll, {}}, {}}; }

  bool Matches(const domain::RecordRef& record) const;
  // True when no record can qualify (storage may skip the query).
  bool MatchesNothing() const;
  // True when every record qualifies (no WHERE clause needed).
  bool MatchesEverything() const;
  bool operator==(const ListFilter&) const = default;
};

}  // namespace gatehouse::policy
