// RecordService: tasks. Tasks have view, edit and delete rights against their responsible user
// and no add right, so a new task must be one the caller could edit.
#include "service/records.h"
#include "service/records_internal.h"

namespace gatehouse::service {

using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The record a task is attached to must exist and be viewable by the caller; otherwise it is
// reported like a missing one.
Status CheckTaskEntity(const Caller& caller, const storage::AccountReader& reader,
                       const storage::Task& task) {
  if (task.entity_type.empty() && task.entity_id == 0) return Status::Ok();
  if (task.entity_id == 0) {
    return Status::InvalidField("entity_id", "Required", "entity_id is required with entity_type");
  }
  Status missing =
      Status::InvalidField("entity_id", "NotFound",
                           task.entity_type + " " + std::to_string(task.entity_id) + " not found");
  std::optional<domain::RecordRef> ref;
  auto take = [&](const auto& row) -> Status {
    if (!row.ok()) {
      return row.status().code() == base::Code::kNotFound ? missing : row.status();
    }
    ref = RefOf(*row);
    return Status::Ok();
  };
  if (task.entity_type == "leads") {
    GH_RETURN_IF_ERROR(take(reader.GetLead(task.entity_id)));
  } else if (task.entity_type == "contacts") {
    GH_RETURN_IF_ERROR(take(reader.GetContact(task.entity_id)));
  } else if (task.entity_type == "companies") {
    GH_RETURN_IF_ERROR(take(reader.GetCompany(task.entity_id)));
  } else {
    return Status::InvalidField("entity_type", "NotSupportedChoice",
                                "entity_type must be leads, contacts or companies");
  }
  return CanView(caller, *ref) ? Status::Ok() : missing;
}

Status LogTaskChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                      const storage::Task& old, const storage::Task& task) {
  if (!old.is_completed && task.is_completed) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "task_completed", "task", task.id));
  }
  if (old.text != task.text) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "task_text_changed", "task", task.id,
                           TaskTextValue(old.text), TaskTextValue(task.text)));
  }
  if (old.complete_till != task.complete_till) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "task_deadline_changed", "task", task.id,
                           TaskDeadlineValue(old.complete_till),
                           TaskDeadlineValue(task.complete_till)));
  }
  if (old.task_type_id != task.task_type_id) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "task_type_changed", "task", task.id));
  }
  if (old.result_text != task.result_text && !task.result_text.empty()) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "task_result_added", "task", task.id, "[]",
                           TaskResultValue(task.result_text)));
  }
  if (old.responsible_user_id != task.responsible_user_id) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_responsible_changed", "task", task.id,
                           ResponsibleValue(old.responsible_user_id),
                           ResponsibleValue(task.responsible_user_id)));
  }
  return Status::Ok();
}

}  // namespace

Result<ListPage<TaskView>> RecordService::ListTasks(const Caller& caller,
                                                    storage::ListQuery query) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  query.permission = caller.policy->CompileFilter(caller.user_id, DataSet::kTasks, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Task> page, reader.ListTasks(query));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<TaskView> out;
  out.has_next = page.next.has_value();
  for (storage::Task& task : page.items) {
    TaskView view;
    view.group_id = groups.Of(task.responsible_user_id);
    view.task = std::move(task);
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<TaskView> RecordService::GetTask(const Caller& caller, RecordId id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  TaskView view;
  GH_ASSIGN_OR_RETURN(view.task, LoadVisibleRecord<storage::Task>(caller, reader, id));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  view.group_id = groups.Of(view.task.responsible_user_id);
  return view;
}

Result<std::vector<Written>> RecordService::AddTasks(const Caller& caller,
                                                     std::span<const TaskInput> items,
                                                     FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const TaskInput& in = items[i];
                      if (!in.text || in.text->empty()) {
                        return Status::InvalidField("text", "Required", "text is required");
                      }
                      if (!in.complete_till) {
                        return Status::InvalidField("complete_till", "Required",
                                                    "complete_till is required");
                      }
                      storage::Task task;
                      task.text = *in.text;
                      task.complete_till = *in.complete_till;
                      task.entity_type = in.entity_type.value_or("");
                      task.entity_id = in.entity_id.value_or(0);
                      task.task_type_id = in.task_type_id.value_or(1);
                      task.duration = in.duration.value_or(0);
                      task.is_completed = in.is_completed.value_or(false);
                      task.result_text = in.result_text.value_or("");
                      task.responsible_user_id = in.responsible_user_id.value_or(caller.user_id);
                      task.created_by = caller.user_id;
                      task.updated_by = caller.user_id;
                      task.created_at = now;
                      task.updated_at = now;
                      GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(task)));
                      GH_RETURN_IF_ERROR(CheckTaskEntity(caller, w, task));
                      GH_ASSIGN_OR_RETURN(storage::Task created, w.CreateTask(task));
                      GH_RETURN_IF_ERROR(Log(w, caller, now, "task_added", "task", created.id));
                      return Written{created.id, created.updated_at};
                    });
}

Result<std::vector<Written>> RecordService::UpdateTasks(const Caller& caller,
                                                        std::span<const TaskInput> items,
                                                        FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const TaskInput& in = items[i];
                      GH_ASSIGN_OR_RETURN(storage::Task old,
                                          LoadVisibleRecord<storage::Task>(caller, w, in.id));
                      GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(old)));
                      storage::Task task = old;
                      if (in.text) task.text = *in.text;
                      if (in.complete_till) task.complete_till = *in.complete_till;
                      if (in.entity_type) task.entity_type = *in.entity_type;
                      if (in.entity_id) task.entity_id = *in.entity_id;
                      if (in.task_type_id) task.task_type_id = *in.task_type_id;
                      if (in.duration) task.duration = *in.duration;
                      if (in.is_completed) task.is_completed = *in.is_completed;
                      if (in.result_text) task.result_text = *in.result_text;
                      if (in.responsible_user_id)
                        task.responsible_user_id = *in.responsible_user_id;
                      task.updated_by = caller.user_id;
                      task.updated_at = now;
                      if (task.entity_type != old.entity_type || task.entity_id != old.entity_id) {
                        GH_RETURN_IF_ERROR(CheckTaskEntity(caller, w, task));
                      }
                      GH_RETURN_IF_ERROR(w.UpdateTask(task));
                      GH_ASSIGN_OR_RETURN(storage::Task updated, w.GetTask(task.id));
                      GH_RETURN_IF_ERROR(LogTaskChanges(w, caller, now, old, updated));
                      return Written{updated.id, updated.updated_at};
                    });
}

Status RecordService::DeleteTask(const Caller& caller, RecordId id) const {
  return DeleteRecord<storage::Task>(store_, clock_, caller, id);
}

}  // namespace gatehouse::service
