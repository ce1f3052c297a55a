// What each record kind adds to the generic use cases (records_kinds.h): defaults of a new
// record, a PATCH's fields, checks beyond the rights every kind shares, the events of an update,
// and a lead's links.
#include "service/records/records_kinds.h"

#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service::internal {

using domain::Action;

namespace {

// The responsible-user event, shared by every kind.
template <typename R>
Status LogResponsibleChange(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                            const R& old, const R& updated) {
  if (old.responsible_user_id == updated.responsible_user_id) return Status::Ok();
  return RecordEvent(
      w, caller, now,
      {"entity_responsible_changed", std::string(storage::RecordTraits<R>::kName), updated.id,
       ResponsibleValue(old.responsible_user_id), ResponsibleValue(updated.responsible_user_id)});
}

// Responsible-user and name events, shared by leads, contacts, companies and customers.
template <typename R>
Status LogPersonChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                        const R& old, const R& updated) {
  const std::string entity(storage::RecordTraits<R>::kName);
  GH_RETURN_IF_ERROR(LogResponsibleChange(w, caller, now, old, updated));
  if (old.name != updated.name) {
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"name_field_changed", entity, updated.id, NameValue(old.name), NameValue(updated.name)}));
  }
  // Custom field values are written and logged apart, one event per field (records_crud.cc).
  return Status::Ok();
}

// How a lead or a customer reads and writes its contacts and company (LinkNamed).
template <typename R>
struct Links;

template <>
struct Links<storage::Lead> {
  static auto Contacts(storage::AccountWriter& w, RecordId id) { return w.LeadContacts(id); }
  static Status LinkContact(storage::AccountWriter& w, RecordId id, RecordId contact, bool main) {
    return w.LinkContact(id, contact, main);
  }
  static auto Company(storage::AccountWriter& w, RecordId id) { return w.LeadCompany(id); }
  static Status LinkCompany(storage::AccountWriter& w, RecordId id, RecordId company) {
    return w.LinkCompany(id, company);
  }
};

template <>
struct Links<storage::Customer> {
  static auto Contacts(storage::AccountWriter& w, RecordId id) { return w.CustomerContacts(id); }
  static Status LinkContact(storage::AccountWriter& w, RecordId id, RecordId contact, bool main) {
    return w.LinkCustomerContact(id, contact, main);
  }
  static auto Company(storage::AccountWriter& w, RecordId id) { return w.CustomerCompany(id); }
  static Status LinkCompany(storage::AccountWriter& w, RecordId id, RecordId company) {
    return w.LinkCustomerCompany(id, company);
  }
};

// Links contact `contact` (the main one or not) or company `company` to record `id` and logs
// entity_linked; the callers have checked what the link needs.
template <typename R>
Status LinkContactLogged(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                         RecordId id, RecordId contact, bool main) {
  GH_RETURN_IF_ERROR(Links<R>::LinkContact(w, id, contact, main));
  return RecordEvent(w, caller, now,
                     {"entity_linked", std::string(storage::RecordTraits<R>::kName), id, "[]",
                      LinkValue("contact", contact)});
}

template <typename R>
Status LinkCompanyLogged(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                         RecordId id, RecordId company) {
  GH_RETURN_IF_ERROR(Links<R>::LinkCompany(w, id, company));
  return RecordEvent(w, caller, now,
                     {"entity_linked", std::string(storage::RecordTraits<R>::kName), id, "[]",
                      LinkValue("company", company)});
}

// Links the contacts and company named in a write of record `id`; each must exist and be
// viewable by the caller, else a field error as if it did not exist. Logs entity_linked for
// new links only.
template <typename R>
Status LinkNamed(const Caller& caller, storage::AccountWriter& w, std::int64_t now, RecordId id,
                 const std::vector<LinkInput>& contacts, const std::optional<RecordId>& company) {
  if (!contacts.empty()) {
    GH_ASSIGN_OR_RETURN(auto existing, Links<R>::Contacts(w, id));
    for (std::size_t j = 0; j < contacts.size(); ++j) {
      const LinkInput& link = contacts[j];
      Result<storage::Contact> contact = w.Get<storage::Contact>(link.id);
      if (!contact.ok() && contact.status().code() != base::Code::kNotFound) {
        return contact.status();
      }
      if (!contact.ok() || !CanView(caller, RefOf(*contact))) {
        return Status::FieldNotFound("_embedded.contacts." + std::to_string(j) + ".id", "contact",
                                     link.id);
      }
      bool already = false;
      for (const auto& e : existing) {
        already = already || (e.contact_id == link.id && e.is_main == link.is_main);
      }
      if (already) continue;
      GH_RETURN_IF_ERROR(LinkContactLogged<R>(w, caller, now, id, link.id, link.is_main));
    }
  }
  if (company) {
    Result<storage::Company> found = w.Get<storage::Company>(*company);
    if (!found.ok() && found.status().code() != base::Code::kNotFound) return found.status();
    if (!found.ok() || !CanView(caller, RefOf(*found))) {
      return Status::FieldNotFound("_embedded.companies.0.id", "company", *company);
    }
    GH_ASSIGN_OR_RETURN(std::optional<RecordId> current, Links<R>::Company(w, id));
    if (current != company) {
      GH_RETURN_IF_ERROR(LinkCompanyLogged<R>(w, caller, now, id, *company));
    }
  }
  return Status::Ok();
}

}  // namespace

Status LinkLeadContact(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                       RecordId lead_id, RecordId contact_id, bool main) {
  return LinkContactLogged<storage::Lead>(w, caller, now, lead_id, contact_id, main);
}

Status LinkLeadCompany(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                       RecordId lead_id, RecordId company_id) {
  return LinkCompanyLogged<storage::Lead>(w, caller, now, lead_id, company_id);
}

// ---- leads ----

void Kind<storage::Lead>::Apply(const LeadInput& in, storage::Lead& lead) {
  if (in.name) lead.name = *in.name;
  if (in.price) lead.price = *in.price;
  if (in.pipeline_id && *in.pipeline_id != lead.pipeline_id) {
    lead.pipeline_id = *in.pipeline_id;
    lead.status_id = 0;  // the new pipeline's first working stage unless one is given
  }
  if (in.status_id) lead.status_id = *in.status_id;
  if (in.responsible_user_id) lead.responsible_user_id = *in.responsible_user_id;
  if (in.closed_at) lead.closed_at = *in.closed_at;
  if (in.loss_reason_id) lead.loss_reason_id = *in.loss_reason_id;
}

Status Kind<storage::Lead>::CheckStored(const Caller& caller, const storage::Lead* old,
                                        const storage::Lead& stored) {
  // On the lead as stored: its stage defaults are resolved by then.
  if (old == nullptr) return RequireStageAdmitsNewLead(caller, stored);
  if (stored.pipeline_id == old->pipeline_id && stored.status_id == old->status_id) {
    return Status::Ok();
  }
  Status target = Require(caller, Action::kEdit, RefOf(stored));
  if (target.ok()) return target;
  return Status::Denied("moving lead " + std::to_string(old->id) +
                        " to the target stage is not allowed: " + target.message());
}

Status Kind<storage::Lead>::LogChanges(storage::AccountWriter& w, const Caller& caller,
                                       std::int64_t now, const storage::Lead& old,
                                       const storage::Lead& lead) {
  if (old.pipeline_id != lead.pipeline_id || old.status_id != lead.status_id) {
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"lead_status_changed", "lead", lead.id, StatusValue(old.pipeline_id, old.status_id),
         StatusValue(lead.pipeline_id, lead.status_id)}));
  }
  GH_RETURN_IF_ERROR(LogPersonChanges(w, caller, now, old, lead));
  if (old.price != lead.price) {
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"sale_field_changed", "lead", lead.id, SaleValue(old.price), SaleValue(lead.price)}));
  }
  return Status::Ok();
}

Status Kind<storage::Lead>::Link(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                                 RecordId lead_id, const LeadInput& in) {
  return LinkNamed<storage::Lead>(caller, w, now, lead_id, in.contacts, in.company);
}

Result<LeadView> Kind<storage::Lead>::Read(const Caller& caller,
                                           const storage::AccountReader& reader, RecordId id) {
  GH_ASSIGN_OR_RETURN(
      storage::LeadWithCompany read,
      LoadVisible<storage::LeadWithCompany>(
          caller, [&](RecordId i) { return reader.GetLeadWithCompany(i); }, "lead", id));
  LeadView view{.record = std::move(read.lead), .tags = std::move(read.tags)};
  if (read.company_id != 0 && CanView(caller, CompanyRef(read.company_responsible_user_id))) {
    view.companies.push_back(read.company_id);
  }
  return view;
}

// ---- contacts ----

void Kind<storage::Contact>::Apply(const ContactInput& in, storage::Contact& contact) {
  if (in.name) contact.name = *in.name;
  if (in.first_name) contact.first_name = *in.first_name;
  if (in.last_name) contact.last_name = *in.last_name;
  if (in.responsible_user_id) contact.responsible_user_id = *in.responsible_user_id;
}

Status Kind<storage::Contact>::LogChanges(storage::AccountWriter& w, const Caller& caller,
                                          std::int64_t now, const storage::Contact& old,
                                          const storage::Contact& updated) {
  return LogPersonChanges(w, caller, now, old, updated);
}

// ---- companies ----

void Kind<storage::Company>::Apply(const CompanyInput& in, storage::Company& company) {
  if (in.name) company.name = *in.name;
  if (in.responsible_user_id) company.responsible_user_id = *in.responsible_user_id;
}

Status Kind<storage::Company>::LogChanges(storage::AccountWriter& w, const Caller& caller,
                                          std::int64_t now, const storage::Company& old,
                                          const storage::Company& updated) {
  return LogPersonChanges(w, caller, now, old, updated);
}

// ---- tasks ----

Status Kind<storage::Task>::CheckNew(const TaskInput& in) {
  if (!in.text || in.text->empty()) {
    return Status::InvalidField("text", "Required", "text is required");
  }
  if (!in.complete_till) {
    return Status::InvalidField("complete_till", "Required", "complete_till is required");
  }
  return Status::Ok();
}

void Kind<storage::Task>::Apply(const TaskInput& in, storage::Task& task) {
  if (in.text) task.text = *in.text;
  if (in.complete_till) task.complete_till = *in.complete_till;
  if (in.entity_type) task.entity_type = *in.entity_type;
  if (in.entity_id) task.entity_id = *in.entity_id;
  if (in.task_type_id) task.task_type_id = *in.task_type_id;
  if (in.duration) task.duration = *in.duration;
  if (in.is_completed) task.is_completed = *in.is_completed;
  if (in.result_text) task.result_text = *in.result_text;
  if (in.responsible_user_id) task.responsible_user_id = *in.responsible_user_id;
}

Status Kind<storage::Task>::CheckReferences(const Caller& caller,
                                            const storage::AccountReader& reader,
                                            const storage::Task* old, const storage::Task& task) {
  if (old != nullptr && task.entity_type == old->entity_type && task.entity_id == old->entity_id) {
    return Status::Ok();
  }
  if (!task.entity_type && task.entity_id == 0) return Status::Ok();
  if (task.entity_id == 0) {
    return Status::InvalidField("entity_id", "Required", "entity_id is required with entity_type");
  }
  const domain::DataSet attached = task.entity_type.value_or(domain::DataSet::kTasks);
  Status missing = Status::InvalidField(
      "entity_id", "NotFound",
      (task.entity_type ? std::string(domain::DataSetName(attached)) : std::string()) + " " +
          std::to_string(task.entity_id) + " not found");
  if (!domain::IsAttachable(attached)) {
    return Status::InvalidField("entity_type", "NotSupportedChoice",
                                "entity_type must be " + domain::AttachableNames());
  }
  const Result<domain::RecordRef> ref = reader.GetRef(attached, task.entity_id);
  if (!ref.ok()) return base::NotFoundAs(ref.status(), missing);
  return CanView(caller, *ref) ? Status::Ok() : missing;
}

Status Kind<storage::Task>::LogChanges(storage::AccountWriter& w, const Caller& caller,
                                       std::int64_t now, const storage::Task& old,
                                       const storage::Task& task) {
  if (!old.is_completed && task.is_completed) {
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now, {"task_completed", "task", task.id, "[]", "[]"}));
  }
  if (old.text != task.text) {
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"task_text_changed", "task", task.id, TaskTextValue(old.text), TaskTextValue(task.text)}));
  }
  if (old.complete_till != task.complete_till) {
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now,
                    {"task_deadline_changed", "task", task.id, TaskDeadlineValue(old.complete_till),
                     TaskDeadlineValue(task.complete_till)}));
  }
  if (old.task_type_id != task.task_type_id) {
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now, {"task_type_changed", "task", task.id, "[]", "[]"}));
  }
  if (old.result_text != task.result_text && !task.result_text.empty()) {
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"task_result_added", "task", task.id, "[]", TaskResultValue(task.result_text)}));
  }
  return LogResponsibleChange(w, caller, now, old, task);
}

// ---- customers ----

void Kind<storage::Customer>::Apply(const CustomerInput& in, storage::Customer& customer) {
  if (in.name) customer.name = *in.name;
  if (in.next_price) customer.next_price = *in.next_price;
  if (in.next_date) customer.next_date = *in.next_date;
  if (in.status_id) customer.status_id = *in.status_id;
  if (in.periodicity) customer.periodicity = *in.periodicity;
  if (in.responsible_user_id) customer.responsible_user_id = *in.responsible_user_id;
}

Status Kind<storage::Customer>::LogChanges(storage::AccountWriter& w, const Caller& caller,
                                           std::int64_t now, const storage::Customer& old,
                                           const storage::Customer& updated) {
  if (old.status_id != updated.status_id) {
    GH_RETURN_IF_ERROR(
        RecordEvent(w, caller, now,
                    {"customer_status_changed", "customer", updated.id,
                     CustomerStatusValue(old.status_id), CustomerStatusValue(updated.status_id)}));
  }
  return LogPersonChanges(w, caller, now, old, updated);
}

Status Kind<storage::Customer>::Link(const Caller& caller, storage::AccountWriter& w,
                                     std::int64_t now, RecordId customer_id,
                                     const CustomerInput& in) {
  return LinkNamed<storage::Customer>(caller, w, now, customer_id, in.contacts, in.company);
}

}  // namespace gatehouse::service::internal
