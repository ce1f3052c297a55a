// RecordService: helpers shared by the use cases: rights checks and the messages of their
// refusals, event values. The record use cases are records_crud.cc (generic) and
// records_kinds.cc (what each kind adds); incoming leads are records_incoming.cc.
#include "service/records/records.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "policy/decision.h"
#include "service/json_text.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

using domain::Action;
using domain::DataSet;

namespace internal {

domain::RecordRef CompanyRef(domain::UserId responsible_user_id) {
  return {DataSet::kCompanies, responsible_user_id, 0, 0};
}

namespace {

// "leads.edit is M (if responsible) and you are not the responsible user".
std::string DeniedMessage(Action action, const domain::RecordRef& record,
                          const policy::Decision& decision) {
  // The right that decides (customers: the leads').
  const std::string right = std::string(DataSetName(domain::RightsRow(record.data_set))) + "." +
                            std::string(ActionName(action));
  switch (decision.rule) {
    case policy::Rule::kUnknownUser:
      return "the acting user is not a user of this account";
    case policy::Rule::kInactiveUser:
      return "the acting user is deactivated";
    case policy::Rule::kFreeUser:
      return "a free user acts on no data (" + right + ")";
    case policy::Rule::kNotApplicable:
      return right + " does not exist";
    case policy::Rule::kAdmin:
    case policy::Rule::kGeneralRight:
    case policy::Rule::kStageRight:
      break;
  }
  std::string level(LevelName(decision.level));
  for (char& c : level) c = c == '_' ? ' ' : c;
  std::string text =
      right + " is " + std::string(1, LevelLetter(decision.level)) + " (" + level + ")";
  if (decision.rule == policy::Rule::kStageRight) {
    text += " in stage " + std::to_string(record.status_id) + " of pipeline " +
            std::to_string(record.pipeline_id);
  }
  if (decision.match == policy::Match::kNotResponsible) {
    text += " and you are not the responsible user";
  } else if (decision.match == policy::Match::kOtherGroup) {
    text += " and the responsible user is not in your group";
  }
  return text;
}

}  // namespace

Status Require(const Caller& caller, Action action, const domain::RecordRef& record) {
  if (caller.policy == nullptr) return Status::Internal("caller without a policy");
  policy::Decision decision = caller.policy->Check(caller.user_id, action, record);
  if (decision.allowed) return Status::Ok();
  return Status::Denied(DeniedMessage(action, record, decision));
}

Status RequireStageAdmitsNewLead(const Caller& caller, const storage::Lead& lead) {
  if (caller.policy == nullptr) return Status::Internal("caller without a policy");
  domain::RecordRef as_own = RefOf(lead);
  as_own.responsible_user_id = caller.user_id;
  policy::Decision decision = caller.policy->Check(caller.user_id, Action::kEdit, as_own);
  if (decision.allowed || decision.rule != policy::Rule::kStageRight) return Status::Ok();
  return Status::Denied("a lead cannot enter stage " + std::to_string(lead.status_id) +
                        " of pipeline " + std::to_string(lead.pipeline_id) + ": " +
                        DeniedMessage(Action::kEdit, as_own, decision));
}

Status RequirePolicy(const Caller& caller) {
  if (caller.policy == nullptr || caller.policy->account_id() != caller.account_id) {
    return Status::Internal("caller without the account's policy");
  }
  return Status::Ok();
}

Status RequireFeature(const Caller& caller, domain::Feature feature, std::string_view denial) {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  if (!caller.policy->HasFeature(caller.user_id, feature)) {
    return Status::Denied(std::string(denial));
  }
  return Status::Ok();
}

bool CanView(const Caller& caller, const domain::RecordRef& record) {
  return caller.policy != nullptr &&
         caller.policy->Check(caller.user_id, Action::kView, record).allowed;
}

Result<Groups> Groups::Load(const Caller& caller) {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  Groups groups;
  groups.policy_ = caller.policy.get();
  return groups;
}

domain::GroupId Groups::Of(domain::UserId user) const { return policy_->GroupOf(user).value_or(0); }

std::string StatusValue(domain::PipelineId pipeline_id, domain::StatusId status_id) {
  return json::array({{{"lead_status", {{"id", status_id}, {"pipeline_id", pipeline_id}}}}}).dump();
}
std::string CustomerStatusValue(std::int64_t status_id) {
  return json::array({{{"customer_status", {{"id", status_id}}}}}).dump();
}
std::string ResponsibleValue(domain::UserId user) {
  return json::array({{{"responsible_user", {{"id", user}}}}}).dump();
}
std::string NameValue(std::string_view name) {
  return Dump(json::array({{{"name_field_value", {{"name", name}}}}}));
}
std::string SaleValue(std::int64_t price) {
  return json::array({{{"sale_field_value", {{"sale", price}}}}}).dump();
}
std::string LinkValue(std::string_view entity_type, std::int64_t id) {
  return json::array({{{"link", {{"entity", {{"type", entity_type}, {"id", id}}}}}}}).dump();
}
std::string TaskTextValue(std::string_view text) {
  return Dump(json::array({{{"task", {{"text", text}}}}}));
}
std::string TaskDeadlineValue(std::int64_t timestamp) {
  return json::array({{{"task_deadline", {{"timestamp", timestamp}}}}}).dump();
}
std::string TaskResultValue(std::string_view text) {
  return Dump(json::array({{{"task_result", {{"text", text}}}}}));
}
std::string ExportValue(std::string_view entity, std::int64_t rows) {
  return json::array({{{"export", {{"entity", entity}, {"rows", rows}}}}}).dump();
}

Status AtEmbedded(Status status, std::string_view key, std::size_t index) {
  if (status.ok()) return status;
  const std::string prefix = "_embedded." + std::string(key) + "." + std::to_string(index) + ".";
  std::vector<base::FieldError> fields = status.fields();
  for (base::FieldError& field : fields) field.path = prefix + field.path;
  std::string message = prefix + status.message();
  if (status.code() == base::Code::kInvalidArgument) {
    return Status::Invalid(std::move(message), std::move(fields));
  }
  return Status::Error(status.code(), std::move(message));
}

}  // namespace internal

}  // namespace gatehouse::service
