// The record phases of an import: contacts, companies and leads with their tags and custom
// field values, then tasks and notes attached to them and to customers (import_customers.cc).
#include <algorithm>

#include "import/import_run.h"
#include "service/admin/custom_fields.h"
#include "service/events.h"
#include "service/records/notes.h"

namespace gatehouse::import::internal {

Status Run::FieldValues(AccountWriter& w, const std::string& entity_type, storage::RecordId record,
                        const json& item) {
  auto it = item.find("custom_fields_values");
  if (it == item.end() || !it->is_array() || it->empty()) return Status::Ok();
  if (!field_writer_.policy) {
    ++left_out_["records' custom field values (no active administrator to write them)"];
    return Status::Ok();
  }
  json sent = json::array();
  for (const json& entry : *it) {
    auto field = Local("field:" + entity_type, IntOf(entry, "field_id"));
    if (!field) {
      ++left_out_["values of custom fields that were not imported"];
      continue;
    }
    json values = json::array();
    if (entry.contains("values") && entry["values"].is_array()) {
      for (json value : entry["values"]) {
        if (value.is_object() && value.contains("enum_id")) {
          auto local = Local("enum:" + entity_type, IntOf(value, "enum_id"));
          if (local) {
            value["enum_id"] = *local;
          } else {
            value.erase("enum_id");
          }
        }
        values.push_back(std::move(value));
      }
    }
    sent.push_back({{"field_id", *field}, {"values", std::move(values)}});
  }
  if (sent.empty()) return Status::Ok();
  auto wrote = service::internal::WriteFieldValues(
      field_writer_, w, *domain::RecordDataSetFromName(entity_type), record, sent.dump());
  if (!wrote.ok()) {
    const base::Code code = wrote.status().code();
    if (code != base::Code::kInvalidArgument && code != base::Code::kPermissionDenied) {
      return wrote.status();
    }
    ++left_out_["records' custom field values Gatehouse refuses (" +
                (wrote.status().fields().empty() ? wrote.status().message()
                                                 : wrote.status().fields().front().detail) +
                ")"];
  }
  return Status::Ok();
}

// Tags of a record: the entity type's catalog gets each tag once (by the source's id),
// reusing a tag of the same name.
Status Run::Tags(AccountWriter& w, domain::DataSet entity_type, storage::RecordId record,
                 const json& item) {
  const json& tags = Embedded(item, "tags");
  if (tags.empty()) return Status::Ok();
  const std::string kind = "tag:" + std::string(domain::DataSetName(entity_type));
  std::vector<std::int64_t> ids;
  for (const json& tag : tags) {
    const std::int64_t id = IntOf(tag, "id");
    auto local = Local(kind, id);
    if (!local) {
      const storage::TagQuery query{.name = TextOf(tag, "name"), .limit = 1};
      GH_ASSIGN_OR_RETURN(std::vector<storage::Tag> same, w.ListTags(entity_type, query));
      if (same.empty()) {
        GH_ASSIGN_OR_RETURN(
            storage::Tag created,
            w.CreateTag(entity_type, {0, query.name, TagColor(TextOf(tag, "color"))}));
        local = created.id;
      } else {
        local = same.front().id;
      }
      GH_RETURN_IF_ERROR(Remember(w, kind, id, *local));
    }
    ids.push_back(*local);
  }
  return w.SetRecordTags(entity_type, record, ids);
}

// Writes `record` (a contact, company or lead) with the source item's tags and custom field
// values; returns it as stored.
template <typename R>
Result<R> Run::CreateTagged(AccountWriter& w, const R& record, const json& item) {
  const std::string plural(storage::RecordTraits<R>::kPlural);
  GH_ASSIGN_OR_RETURN(R stored, w.Create(record));
  GH_RETURN_IF_ERROR(Tags(w, storage::RecordTraits<R>::kDataSet, stored.id, item));
  GH_RETURN_IF_ERROR(FieldValues(w, plural, stored.id, item));
  return stored;
}

template <typename R>
void Run::Ownership(R& record, const json& item) {
  record.responsible_user_id = LocalUser(IntOf(item, "responsible_user_id"));
  record.created_by = LocalUser(IntOf(item, "created_by"));
  record.updated_by = LocalUser(IntOf(item, "updated_by"));
  record.created_at = IntOf(item, "created_at");
  record.updated_at = IntOf(item, "updated_at");
}

// Customers are written in import_customers.cc.
template Result<storage::Customer> Run::CreateTagged(AccountWriter&, const storage::Customer&,
                                                     const json&);
template void Run::Ownership(storage::Customer&, const json&);

// Walks a record list, one transaction per page; `create` makes one record (its mapping is
// written here, in the same transaction).
Status Run::Records(
    std::string_view phase, const std::string& path, const std::string& query,
    const std::string& plural, const std::string& kind,
    const std::function<Result<std::int64_t>(AccountWriter&, const json&)>& create) {
  return Pages(path, query, plural, [&](const json& items) {
    Status s = store_.Write(account_, [&](AccountWriter& w) -> Status {
      for (const json& item : items) {
        const std::int64_t id = IntOf(item, "id");
        ++counts_[std::string(phase)].read;
        if (Local(kind, id)) continue;
        GH_ASSIGN_OR_RETURN(std::int64_t local, create(w, item));
        if (local == 0) continue;  // left out, counted by `create`
        GH_RETURN_IF_ERROR(Remember(w, kind, id, local));
        ++counts_[std::string(phase)].created;
      }
      return Status::Ok();
    });
    Progress(phase);
    return s;
  });
}

Status Run::Contacts() {
  return Records("contacts", "/api/v4/contacts", "", "contacts", "contact",
                 [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                   storage::Contact contact{.name = TextOf(item, "name"),
                                            .first_name = TextOf(item, "first_name"),
                                            .last_name = TextOf(item, "last_name")};
                   Ownership(contact, item);
                   GH_ASSIGN_OR_RETURN(storage::Contact stored, CreateTagged(w, contact, item));
                   return stored.id;
                 });
}

Status Run::Companies() {
  return Records("companies", "/api/v4/companies", "", "companies", "company",
                 [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                   storage::Company company{.name = TextOf(item, "name")};
                   Ownership(company, item);
                   GH_ASSIGN_OR_RETURN(storage::Company stored, CreateTagged(w, company, item));
                   return stored.id;
                 });
}

Status Run::LossReasons() {
  return Records(
      "loss_reasons", "/api/v4/leads/loss_reasons", "", "loss_reasons", "loss_reason",
      [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
        const std::string name = TextOf(item, "name");
        if (name.empty()) {
          LeaveOut("loss_reasons", "loss reasons without a name");
          return std::int64_t{0};
        }
        GH_ASSIGN_OR_RETURN(std::vector<storage::LossReason> locals, w.ListLossReasons());
        for (const storage::LossReason& local : locals) {
          if (local.name == name) return local.id;
        }
        GH_ASSIGN_OR_RETURN(storage::LossReason created,
                            w.CreateLossReason({.name = name,
                                                .sort = IntOf(item, "sort"),
                                                .created_at = IntOf(item, "created_at"),
                                                .updated_at = IntOf(item, "updated_at")}));
        return created.id;
      });
}

Status Run::Leads() {
  return Records(
      "leads", "/api/v4/leads", "with=contacts", "leads", "lead",
      [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
        storage::Lead lead{.name = TextOf(item, "name"), .price = IntOf(item, "price")};
        const auto pipeline = Local("pipeline", IntOf(item, "pipeline_id"));
        const std::int64_t status = IntOf(item, "status_id");
        const auto local_status =
            IsSystemStage(status) ? std::optional<std::int64_t>(status) : Local("status", status);
        if (!pipeline || !local_status) {
          LeaveOut("leads", "leads in a stage the source did not list");
          return std::int64_t{0};
        }
        lead.pipeline_id = *pipeline;
        lead.status_id = *local_status;
        lead.closed_at = IntOf(item, "closed_at");
        if (const std::int64_t reason = IntOf(item, "loss_reason_id"); reason != 0) {
          if (auto local = Local("loss_reason", reason)) {
            lead.loss_reason_id = *local;
          } else {
            ++left_out_["leads' loss reasons the source did not list (the lead is kept without)"];
          }
        }
        Ownership(lead, item);
        GH_ASSIGN_OR_RETURN(storage::Lead stored, CreateTagged(w, lead, item));
        GH_RETURN_IF_ERROR(Links(w, domain::DataSet::kLeads, stored.id, item));
        return stored.id;
      });
}

// The contacts (with the main one) and the company of a lead or customer (`kind`) `id`, as
// the source item's _embedded names them.
Status Run::Links(AccountWriter& w, domain::DataSet kind, storage::RecordId id, const json& item) {
  const bool lead = kind == domain::DataSet::kLeads;
  const std::string owner = lead ? "lead" : "customer";
  for (const json& contact : Embedded(item, "contacts")) {
    const bool is_main = BoolOf(contact, "is_main", false);
    if (auto local = Local("contact", IntOf(contact, "id"))) {
      GH_RETURN_IF_ERROR(lead ? w.LinkContact(id, *local, is_main)
                              : w.LinkCustomerContact(id, *local, is_main));
    } else {
      ++left_out_[owner + "-contact links to a contact the source did not list"];
    }
  }
  for (const json& company : Embedded(item, "companies")) {
    if (auto local = Local("company", IntOf(company, "id"))) {
      GH_RETURN_IF_ERROR(lead ? w.LinkCompany(id, *local) : w.LinkCustomerCompany(id, *local));
    } else {
      ++left_out_[owner + "-company links to a company the source did not list"];
    }
  }
  return Status::Ok();
}

// The local record a task or note is attached to: {its kind, its local id}, or nullopt.
std::optional<std::pair<domain::DataSet, std::int64_t>> Run::Attached(
    const std::string& entity_type, std::int64_t entity_id) {
  static const std::map<std::string, std::string> kKinds = {{"leads", "lead"},
                                                            {"contacts", "contact"},
                                                            {"companies", "company"},
                                                            {"customers", "customer"}};
  const std::optional<domain::DataSet> data_set = domain::AttachableDataSetFromName(entity_type);
  auto kind = kKinds.find(entity_type);
  if (!data_set || kind == kKinds.end()) return std::nullopt;
  auto local = Local(kind->second, entity_id);
  if (!local) return std::nullopt;
  return std::make_pair(*data_set, *local);
}

Status Run::Tasks() {
  return Records("tasks", "/api/v4/tasks", "", "tasks", "task",
                 [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
                   storage::Task task;
                   const std::string entity_type = TextOf(item, "entity_type");
                   const std::int64_t entity_id = IntOf(item, "entity_id");
                   if (!entity_type.empty() || entity_id != 0) {
                     auto attached = Attached(entity_type, entity_id);
                     if (!attached) {
                       LeaveOut("tasks", "tasks of records that were not imported");
                       return std::int64_t{0};
                     }
                     task.entity_type = attached->first;
                     task.entity_id = attached->second;
                   }
                   task.task_type_id = IntOf(item, "task_type_id");
                   if (task.task_type_id != 1 && task.task_type_id != 2) {
                     ++left_out_["tasks' account-specific types (kept as follow-ups)"];
                     task.task_type_id = 1;
                   }
                   task.text = TextOf(item, "text");
                   task.complete_till = IntOf(item, "complete_till");
                   task.duration = IntOf(item, "duration");
                   task.is_completed = BoolOf(item, "is_completed", false);
                   if (auto result = item.find("result");
                       result != item.end() && result->is_object()) {
                     task.result_text = TextOf(*result, "text");
                   }
                   Ownership(task, item);
                   GH_ASSIGN_OR_RETURN(storage::Task stored, w.Create(task));
                   return stored.id;
                 });
}

Status Run::Notes() {
  for (std::string_view entity : kNoted) {
    const std::string entity_type(entity);
    GH_RETURN_IF_ERROR(Records(
        "notes", "/api/v4/" + entity_type + "/notes", "", "notes", "note:" + entity_type,
        [&](AccountWriter& w, const json& item) -> Result<std::int64_t> {
          auto attached = Attached(entity_type, IntOf(item, "entity_id"));
          if (!attached) {
            LeaveOut("notes", "notes of records that were not imported");
            return std::int64_t{0};
          }
          const std::string type = TextOf(item, "note_type");
          const json params = item.value("params", json::object());
          auto canonical = service::ValidateNoteParams(type, params.dump());
          if (!canonical.ok()) {
            LeaveOut("notes", "notes of type '" + type + "', which Gatehouse does not keep (" +
                                  canonical.status().message() + ")");
            return std::int64_t{0};
          }
          const storage::Note note{
              .entity_type = attached->first,
              .entity_id = attached->second,
              .note_type = type,
              .params_json = *canonical,
              .responsible_user_id = LocalUser(IntOf(item, "responsible_user_id")),
              .created_by = LocalUser(IntOf(item, "created_by")),
              .updated_by = LocalUser(IntOf(item, "updated_by")),
              .created_at = IntOf(item, "created_at"),
              .updated_at = IntOf(item, "updated_at"),
          };
          GH_ASSIGN_OR_RETURN(storage::Note stored, w.CreateNote(note));
          return stored.id;
        }));
  }
  return Status::Ok();
}

}  // namespace gatehouse::import::internal
