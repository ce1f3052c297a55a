// Administrative use cases shared pieces: what every admin service needs, rights as they arrive
// from outside, and per-item errors of batch writes.
//
// The administrative services (the methods of AdminService, admin_service.h; their types are in
// admin_users.h, admin_settings.h, admin_events.h, custom_fields.h) decide rights
// through the Caller's policy only, write through one Store::Write per request (the change and
// its activity-log entries commit together or not at all), and after a commit that changed
// users, groups, roles or pipelines refresh the account's policy so the very next request sees
// the change. They throw nothing; every failure is a Status:
//   kPermissionDenied  the caller is not an administrator (for administrator-only operations)
//   kInvalidArgument   bad input, one FieldError per offending field (batch: see ItemErrors)
//   kNotFound          no such user/role/group/pipeline/stage in the caller's account
//   kFailedPrecondition / kConflict  a rule about the current state (last admin, role held, ...)
//   kResourceExhausted no free paid seat
#pragma once

#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/account.h"
#include "policy/rights_validation.h"
#include "service/caller.h"
#include "service/policy_cache.h"
#include "storage/store.h"

namespace gatehouse::service {

// Not owned; all three outlive the calls.
struct AdminDeps {
  storage::Store* store = nullptr;
  PolicyCache* policies = nullptr;
  const base::Clock* clock = nullptr;
};

// A rights matrix as it arrives (letters and names, not yet validated). Only what the input
// carried is set: a data set listed in `data_sets` replaces that data set (its unlisted actions
// become D); an absent one keeps its current levels on update and is D on create. Stage rights
// replace all current stage rights when `has_status_rights` (null or [] clears them).
// One entry of rights.custom_fields_rights as sent: {"leads": {"<field_id>": {"view": "A"|"D",
// "edit": "A"|"D"}}}; a letter left out is "A".
struct RawFieldRight {
  std::string data_set{};  // "leads", "contacts", "companies"
  std::string field_id{};  // the key as sent
  std::string view = "A";
  std::string edit = "A";
};

struct RightsInput {
  // rights.custom_fields_rights was sent: its entries replace every field right (null or {}
  // clears them); absent: the current ones are kept (none on create).
  bool has_custom_fields_rights = false;
  std::vector<RawFieldRight> field_rights{};
  std::vector<std::string> data_sets{};  // present data-set keys, e.g. {"leads", "tasks"}
  policy::RawRights raw{};               // entries of those data sets; stages when present
  bool has_status_rights = false;
  std::optional<bool> mail_access{};
  std::optional<bool> catalog_access{};
  std::optional<bool> files_access{};

  // True when the input sets any part of the matrix (a hand edit).
  bool HasMatrix() const {
    return !data_sets.empty() || has_status_rights || mail_access || catalog_access ||
           files_access || has_custom_fields_rights;
  }
};

// Validates `input` over `current` (nullptr on create: everything absent is denied) and returns
// normalized rights. Field errors carry policy::Validate's paths ("rights.leads.add"); field
// rights are checked against `custom_fields` (the account's, AccountModel::custom_fields): an
// unknown field is an error at "rights.custom_fields_rights.leads.<id>".
base::Result<domain::Rights> ResolveRights(
    const RightsInput& input, const domain::Rights* current,
    std::span<const domain::Pipeline> pipelines,
    std::span<const std::pair<domain::DataSet, std::int64_t>> custom_fields);

// One batch item's field errors; request_id is the item's own or its index ("0", "1", ...).
struct ItemErrors {
  std::string request_id{};
  std::vector<base::FieldError> errors{};
};

// Rebuilds the caller's account policy after a committed change (errors are logged, not
// returned: the change is committed and the next Refresh will pick it up).
void RefreshPolicy(const AdminDeps& deps, domain::AccountId account_id);

// Runs `write` in one transaction of the caller's account and, once it is committed, rebuilds
// the account's policy: the administrators' writes change who may see and do what. `write`
// answers a Status, or a Result<T> whose value is returned once the transaction is committed.
template <typename Write>
std::invoke_result_t<Write&, storage::AccountWriter&> WriteModel(const AdminDeps& deps,
                                                                 const Caller& caller,
                                                                 Write&& write) {
  using Answer = std::invoke_result_t<Write&, storage::AccountWriter&>;
  if constexpr (std::is_same_v<Answer, base::Status>) {
    GH_RETURN_IF_ERROR(deps.store->Write(caller.account_id, write));
    RefreshPolicy(deps, caller.account_id);
    return base::Status::Ok();
  } else {
    Answer answer = deps.store->WriteResult(caller.account_id, write);
    if (answer.ok()) RefreshPolicy(deps, caller.account_id);
    return answer;
  }
}

}  // namespace gatehouse::service
