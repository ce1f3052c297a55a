// The kinds' own rules (RecordTraits hooks, record_traits.h): what a lead, contact, task,
// incoming lead or conversation checks and fills beyond the generic write in store_records.cc.
#include <algorithm>
#include <string>

#include "domain/incoming_category.h"
#include "domain/rights.h"
#include "storage/record_traits.h"
#include "storage/store.h"
#include "storage/store_internal.h"
#include "storage/value_ranges.h"

namespace gatehouse::storage {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// Fills a lead's pipeline (main when 0) and status (first working stage when 0) and checks that
// the status is a stage of the pipeline, both of this account.
Status ResolveStage(AccountReader& reader, sql::Connection& c, Lead& lead) {
  if (lead.pipeline_id == 0) {
    Params params{Int(reader.account_id())};
    GH_ASSIGN_OR_RETURN(auto row, QueryRow(c,
                                           "SELECT id FROM pipelines WHERE account_id = ? "
                                           "ORDER BY is_main DESC, sort, id LIMIT 1",
                                           params, "pipeline"));
    lead.pipeline_id = sql::AsInt(row[0]);
  }
  Result<domain::Pipeline> pipeline = reader.GetPipeline(lead.pipeline_id);
  if (!pipeline.ok()) {
    return base::NotFoundAs(pipeline.status(),
                            Status::InvalidField("pipeline_id", "NotFound",
                                                 "pipeline " + std::to_string(lead.pipeline_id) +
                                                     " does not exist in this account"));
  }
  if (lead.status_id == 0) {
    for (const domain::Stage& stage : pipeline->stages) {
      if (stage.type == domain::kStageTypeNormal && stage.id != domain::kWonStatusId &&
          stage.id != domain::kLostStatusId) {
        lead.status_id = stage.id;
        break;
      }
    }
  }
  bool found = std::any_of(pipeline->stages.begin(), pipeline->stages.end(),
                           [&](const domain::Stage& s) { return s.id == lead.status_id; });
  if (!found) {
    return Status::InvalidField("status_id", "NotFound",
                                "status " + std::to_string(lead.status_id) +
                                    " is not a stage of pipeline " +
                                    std::to_string(lead.pipeline_id));
  }
  return Status::Ok();
}

void ApplyClosing(Lead& lead, std::int64_t now) {
  const bool closed =
      lead.status_id == domain::kWonStatusId || lead.status_id == domain::kLostStatusId;
  if (!closed) lead.closed_at = 0;
  if (closed && lead.closed_at == 0) lead.closed_at = now;
}

// A record a task or conversation is attached to must exist in this account.
Status CheckEntity(sql::Connection& c, AccountId account, std::optional<domain::DataSet> type,
                   RecordId id) {
  if (!type && id == 0) return Status::Ok();
  if (!type || !domain::IsAttachable(*type)) {
    return Status::InvalidField("entity_type", "NotSupportedChoice",
                                "entity_type must be " + domain::AttachableNames());
  }
  // The data set's name is its table's.
  Params params{Int(account), Int(id)};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      c.Query("SELECT id FROM " + std::string(domain::DataSetName(*type)) +
                                  " WHERE account_id = ? AND id = ?",
                              params));
  if (!rows.empty()) return Status::Ok();
  return Status::InvalidField("entity_id", "NotFound",
                              "the linked record does not exist in this account");
}

}  // namespace

Status RecordTraits<Lead>::Resolve(AccountWriter& w, Lead& lead, const Lead* old) {
  // The stage a lead is in exists (stages and pipelines cannot be deleted while leads are in
  // them): two statements saved on every update that keeps it.
  if (old != nullptr && lead.pipeline_id == old->pipeline_id && lead.status_id == old->status_id) {
    return Status::Ok();
  }
  return ResolveStage(w, w.connection(), lead);
}

Status RecordTraits<Lead>::Validate(AccountWriter& w, Lead& lead, const Lead* old,
                                    std::int64_t now) {
  GH_RETURN_IF_ERROR(CheckAmount("price", lead.price));
  GH_RETURN_IF_ERROR(CheckTime("closed_at", lead.closed_at));
  if (old == nullptr && lead.updated_by == 0) lead.updated_by = lead.created_by;
  if (lead.loss_reason_id != 0 && (old == nullptr || lead.loss_reason_id != old->loss_reason_id)) {
    Result<LossReason> reason = w.GetLossReason(lead.loss_reason_id);
    if (!reason.ok()) {
      return base::NotFoundAs(
          reason.status(),
          Status::FieldNotFound("loss_reason_id", "loss reason", lead.loss_reason_id));
    }
  }
  ApplyClosing(lead, now);
  return Status::Ok();
}

Status RecordTraits<Contact>::Validate(AccountWriter&, Contact& contact, const Contact* old,
                                       std::int64_t) {
  if (old == nullptr && contact.name.empty()) {
    const bool both = !contact.first_name.empty() && !contact.last_name.empty();
    contact.name = contact.first_name + (both ? " " : "") + contact.last_name;
  }
  return Status::Ok();
}

Status RecordTraits<Task>::Resolve(AccountWriter& w, Task& task, const Task*) {
  return CheckEntity(w.connection(), w.account_id(), task.entity_type, task.entity_id);
}

Status RecordTraits<Task>::Validate(AccountWriter&, Task& task, const Task*, std::int64_t) {
  if (task.task_type_id != kFollowUpTaskType && task.task_type_id != kMeetingTaskType) {
    return Status::InvalidField(
        "task_type_id", "NotFound",
        "task_type_id must be a task type of the account: " + std::to_string(kFollowUpTaskType) +
            " (follow-up) or " + std::to_string(kMeetingTaskType) + " (meeting)");
  }
  GH_RETURN_IF_ERROR(CheckTime("complete_till", task.complete_till));
  return CheckRange("duration", task.duration, 0, kMaxTime, "a number of seconds");
}

Status RecordTraits<IncomingLead>::Resolve(AccountWriter& w, IncomingLead& item,
                                           const IncomingLead*) {
  if (item.uid.empty()) return Status::InvalidField("uid", "Required", "uid is required");
  if (!item.category) {
    return Status::InvalidField("category", "NotSupportedChoice",
                                "category must be sip, forms, mail or chats");
  }
  if (Result<domain::Pipeline> pipeline = w.GetPipeline(item.pipeline_id); !pipeline.ok()) {
    return base::NotFoundAs(
        pipeline.status(),
        Status::InvalidField("pipeline_id", "NotFound", "pipeline does not exist in this account"));
  }
  return Status::Ok();
}

Status RecordTraits<IncomingLead>::Validate(AccountWriter&, IncomingLead& item,
                                            const IncomingLead* old, std::int64_t) {
  if (old == nullptr) {
    item.state = "pending";
    item.accepted_lead_id = 0;
  }
  return Status::Ok();
}

Status RecordTraits<Conversation>::Resolve(AccountWriter& w, Conversation& conversation,
                                           const Conversation*) {
  return CheckEntity(w.connection(), w.account_id(), conversation.entity_type,
                     conversation.entity_id);
}

}  // namespace gatehouse::storage
