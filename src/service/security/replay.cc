#include "service/security/replay.h"

#include <algorithm>
#include <string>

#include "service/security/security_service.h"
#include "service/service_names.h"

namespace gatehouse::service {

bool IsAdminOrSystem(const Caller& caller) {
  // The system (CLI, jobs) acts as nobody: a Caller naming a user is that user, whatever `via`
  // defaults to.
  return (caller.via == Via::kSystem && caller.user_id == 0) || caller.is_admin();
}

namespace {

// Refuses a time replay cannot answer for; returns the history start.
Result<std::int64_t> CheckReplayTime(const AdminDeps& deps, const storage::AccountReader& reader,
                                     std::int64_t at) {
  GH_ASSIGN_OR_RETURN(std::int64_t from, reader.ReplayStart());
  const std::int64_t now = deps.clock->NowSeconds();
  if (at > now) {
    return Status::InvalidField("at", "OutOfRange",
                                "at must not be in the future (now is " + std::to_string(now) +
                                    "); replay answers for times from " + std::to_string(from) +
                                    " to now");
  }
  if (at < from) {
    return Status::InvalidField(
        "at", "OutOfRange",
        "replay is possible from " + std::to_string(from) +
            " on (history starts when the server was upgraded to keep it, or at the account's "
            "creation); at " +
            std::to_string(at) + " is earlier");
  }
  return from;
}

std::string AtSuffix(std::optional<std::int64_t> at) {
  return at ? " at " + std::to_string(*at) : std::string();
}

// The record as at `at` (or now), kNotFound naming it when it did not exist then.
Result<domain::RecordRef> RecordOf(const storage::AccountReader& reader, domain::DataSet data_set,
                                   domain::RecordId id, std::optional<std::int64_t> at) {
  const std::string missing = std::string(domain::DataSetName(data_set)) + " " +
                              std::to_string(id) + " not found" + AtSuffix(at);
  if (!at) {
    auto record = reader.GetRef(data_set, id);
    if (!record.ok()) return base::NotFoundAs(record.status(), Status::NotFound(missing));
    return *record;
  }
  GH_ASSIGN_OR_RETURN(std::optional<domain::RecordRef> record, reader.RecordAt(data_set, id, *at));
  if (!record) return Status::NotFound(missing);
  return *record;
}

}  // namespace

Result<std::shared_ptr<const policy::AccountPolicy>> BuildPolicyAt(
    const storage::AccountReader& reader, std::optional<std::int64_t> at) {
  GH_ASSIGN_OR_RETURN(domain::AccountModel model,
                      at ? reader.LoadAccountModelAt(*at) : reader.LoadAccountModel());
  return policy::AccountPolicy::Build(model);
}

Result<ExplainResult> ExplainAt(const AdminDeps& deps, const Caller& caller,
                                const ExplainRequest& request) {
  if (!IsAdminOrSystem(caller)) GH_RETURN_IF_ERROR(RequireAdmin(caller));
  storage::AccountReader reader = deps.store->Reader(caller.account_id);
  ExplainResult out;
  GH_ASSIGN_OR_RETURN(out.replay_from, CheckReplayTime(deps, reader, *request.at));
  GH_ASSIGN_OR_RETURN(auto engine, BuildPolicyAt(reader, request.at));
  if (engine->FindUser(request.user_id) == nullptr) {
    return Status::NotFound("user " + std::to_string(request.user_id) + " not found" +
                            AtSuffix(request.at));
  }
  GH_ASSIGN_OR_RETURN(out.record,
                      RecordOf(reader, request.data_set, request.entity_id, request.at));
  out.explanation = engine->Explain(request.user_id, request.action, out.record);
  return out;
}

Result<ViewersResult> SecurityService::ListViewers(const Caller& caller,
                                                   const ViewersRequest& request) const {
  if (!IsAdminOrSystem(caller)) GH_RETURN_IF_ERROR(RequireAdmin(caller));
  storage::AccountReader reader = deps_.store->Reader(caller.account_id);
  ViewersResult out;
  if (request.at) {
    GH_ASSIGN_OR_RETURN(out.replay_from, CheckReplayTime(deps_, reader, *request.at));
  }
  GH_ASSIGN_OR_RETURN(out.record,
                      RecordOf(reader, request.data_set, request.entity_id, request.at));
  // One model for both the user list and the engine, so they agree on who existed.
  GH_ASSIGN_OR_RETURN(domain::AccountModel model, request.at
                                                      ? reader.LoadAccountModelAt(*request.at)
                                                      : reader.LoadAccountModel());
  auto engine = policy::AccountPolicy::Build(model);
  for (const domain::User& user : model.users) {
    policy::Explanation e = engine->Explain(user.id, domain::Action::kView, out.record);
    if (e.decision.allowed) out.viewers.push_back({user.id, std::move(e)});
  }
  std::sort(out.viewers.begin(), out.viewers.end(),
            [](const Viewer& a, const Viewer& b) { return a.user_id < b.user_id; });
  return out;
}

}  // namespace gatehouse::service
