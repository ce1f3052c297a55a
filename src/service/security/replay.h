// Point-in-time replay (SPEC §6, issue 16): "could user U do X on record R at time T, and
// through which rule", and "who could view record R at time T".
//
// The answers come from the history migration 19 keeps (storage: LoadAccountModelAt,
// RecordAt): the account model and the record are rebuilt as they were at T and compiled by
// the same permission engine as today's (policy::AccountPolicy::Build), so replay can never
// disagree with the rules the server enforced. History starts when migration 19 ran, or at the
// account's creation; T before that, or in the future, is refused naming the field `at`.
//
// Replay is an investigator's tool: administrators (and the system, for the CLI) only — it
// reveals records' past owners and stages, and other users' past rights.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "policy/account_policy.h"
#include "service/admin/admin.h"
#include "service/admin/admin_events.h"

namespace gatehouse::service {

// True for an administrator and for the system (CLI, jobs).
bool IsAdminOrSystem(const Caller& caller);

// The engine compiled from the account model as of `at` (nullopt: as now).
base::Result<std::shared_ptr<const policy::AccountPolicy>> BuildPolicyAt(
    const storage::AccountReader& reader, std::optional<std::int64_t> at);

// ExplainAccess with `request.at` set. kInvalidArgument ("at") when at is in the future or
// before the history starts (the detail says from when); kNotFound when the user or the record
// did not exist at that time.
base::Result<ExplainResult> ExplainAt(const AdminDeps& deps, const Caller& caller,
                                      const ExplainRequest& request);

struct ViewersRequest {
  domain::DataSet data_set = domain::DataSet::kLeads;
  domain::RecordId entity_id = 0;
  std::optional<std::int64_t> at{};  // nullopt: now
};

struct Viewer {
  domain::UserId user_id = 0;
  policy::Explanation explanation{};  // the engine's view decision, allowed
};

struct ViewersResult {
  domain::RecordRef record{};     // as at `at` (or now)
  std::vector<Viewer> viewers{};  // every user who could view it, by id
  std::int64_t replay_from = 0;   // with `at`: the earliest time replay can answer for
};

}  // namespace gatehouse::service
