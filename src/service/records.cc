// RecordService: shared helpers and the leads use cases. Contacts and companies live in
// records_people.cc, tasks in records_tasks.cc, incoming leads and exports in
// records_incoming.cc.
#include "service/records.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "policy/decision.h"
#include "service/records_internal.h"

namespace gatehouse::service {

using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using nlohmann::json;

namespace internal {

domain::RecordRef RefOf(const storage::Lead& lead) {
  return {DataSet::kLeads, lead.responsible_user_id, lead.pipeline_id, lead.status_id};
}
domain::RecordRef RefOf(const storage::Contact& contact) {
  return {DataSet::kContacts, contact.responsible_user_id, 0, 0};
}
domain::RecordRef CompanyRef(domain::UserId responsible_user_id) {
  return {DataSet::kCompanies, responsible_user_id, 0, 0};
}
domain::RecordRef RefOf(const storage::Company& company) {
  return CompanyRef(company.responsible_user_id);
}
domain::RecordRef RefOf(const storage::LeadWithCompany& read) { return RefOf(read.lead); }
domain::RecordRef RefOf(const storage::Task& task) {
  return {DataSet::kTasks, task.responsible_user_id, 0, 0};
}
domain::RecordRef RefOf(const storage::IncomingLead& item) {
  return {DataSet::kIncomingLeads, item.responsible_user_id, item.pipeline_id, 0};
}

Status NotFound(std::string_view what, std::int64_t id) {
  return Status::NotFound(std::string(what) + " " + std::to_string(id) + " not found");
}

namespace {

// "leads.edit is M (if responsible) and you are not the responsible user".
std::string DeniedMessage(Action action, const domain::RecordRef& record,
                          const policy::Decision& decision) {
  const std::string right =
      std::string(DataSetName(record.data_set)) + "." + std::string(ActionName(action));
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
std::string ResponsibleValue(domain::UserId user) {
  return json::array({{{"responsible_user", {{"id", user}}}}}).dump();
}
std::string NameValue(std::string_view name) {
  return json::array({{{"name_field_value", {{"name", name}}}}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}
std::string SaleValue(std::int64_t price) {
  return json::array({{{"sale_field_value", {{"sale", price}}}}}).dump();
}
std::string LinkValue(std::string_view entity_type, std::int64_t id) {
  return json::array({{{"link", {{"entity", {{"type", entity_type}, {"id", id}}}}}}}).dump();
}
std::string TaskTextValue(std::string_view text) {
  return json::array({{{"task", {{"text", text}}}}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}
std::string TaskDeadlineValue(std::int64_t timestamp) {
  return json::array({{{"task_deadline", {{"timestamp", timestamp}}}}}).dump();
}
std::string TaskResultValue(std::string_view text) {
  return json::array({{{"task_result", {{"text", text}}}}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}
std::string ExportValue(std::string_view entity, std::int64_t rows) {
  return json::array({{{"export", {{"entity", entity}, {"rows", rows}}}}}).dump();
}

Status Log(storage::AccountWriter& w, const Caller& caller, std::int64_t now, std::string type,
           std::string entity_type, std::int64_t entity_id, std::string before, std::string after) {
  return RecordEvent(
      w, caller, now,
      {std::move(type), std::move(entity_type), entity_id, std::move(before), std::move(after)});
}

}  // namespace internal

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The lead's contacts (with=contacts), each only when viewable.
Status FillLeadContacts(const Caller& caller, const storage::AccountReader& reader,
                        const Embed& embed, LeadView& view) {
  if (!embed.contacts) return Status::Ok();
  GH_ASSIGN_OR_RETURN(std::vector<storage::LeadContactLink> links,
                      reader.LeadContacts(view.lead.id));
  for (const storage::LeadContactLink& link : links) {
    Result<storage::Contact> row = reader.GetContact(link.contact_id);
    if (!row.ok() && row.status().code() != base::Code::kNotFound) return row.status();
    if (row.ok() && CanView(caller, RefOf(*row))) view.contacts.push_back(link);
  }
  return Status::Ok();
}

// Links the contacts and company named in a write; each must exist and be viewable by the
// caller, else a field error as if it did not exist. Logs entity_linked for new links only.
Status LinkLead(const Caller& caller, storage::AccountWriter& w, std::int64_t now, RecordId lead_id,
                const LeadInput& in) {
  if (!in.contacts.empty()) {
    GH_ASSIGN_OR_RETURN(std::vector<storage::LeadContactLink> existing, w.LeadContacts(lead_id));
    for (std::size_t j = 0; j < in.contacts.size(); ++j) {
      const LinkInput& link = in.contacts[j];
      Result<storage::Contact> contact = w.GetContact(link.id);
      if (!contact.ok() && contact.status().code() != base::Code::kNotFound) {
        return contact.status();
      }
      if (!contact.ok() || !CanView(caller, RefOf(*contact))) {
        return Status::InvalidField("_embedded.contacts." + std::to_string(j) + ".id", "NotFound",
                                    "contact " + std::to_string(link.id) + " not found");
      }
      bool already = false;
      for (const auto& e : existing) {
        already = already || (e.contact_id == link.id && e.is_main == link.is_main);
      }
      if (already) continue;
      GH_RETURN_IF_ERROR(w.LinkContact(lead_id, link.id, link.is_main));
      GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_linked", "lead", lead_id, "[]",
                             LinkValue("contact", link.id)));
    }
  }
  if (in.company) {
    Result<storage::Company> company = w.GetCompany(*in.company);
    if (!company.ok() && company.status().code() != base::Code::kNotFound) {
      return company.status();
    }
    if (!company.ok() || !CanView(caller, RefOf(*company))) {
      return Status::InvalidField("_embedded.companies.0.id", "NotFound",
                                  "company " + std::to_string(*in.company) + " not found");
    }
    GH_ASSIGN_OR_RETURN(std::optional<RecordId> current, w.LeadCompany(lead_id));
    if (current != in.company) {
      GH_RETURN_IF_ERROR(w.LinkCompany(lead_id, *in.company));
      GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_linked", "lead", lead_id, "[]",
                             LinkValue("company", *in.company)));
    }
  }
  return Status::Ok();
}

// The events of one lead update, Kommo types with before/after values.
Status LogLeadChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                      const storage::Lead& old, const storage::Lead& lead) {
  if (old.pipeline_id != lead.pipeline_id || old.status_id != lead.status_id) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "lead_status_changed", "lead", lead.id,
                           StatusValue(old.pipeline_id, old.status_id),
                           StatusValue(lead.pipeline_id, lead.status_id)));
  }
  if (old.responsible_user_id != lead.responsible_user_id) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_responsible_changed", "lead", lead.id,
                           ResponsibleValue(old.responsible_user_id),
                           ResponsibleValue(lead.responsible_user_id)));
  }
  if (old.name != lead.name) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "name_field_changed", "lead", lead.id,
                           NameValue(old.name), NameValue(lead.name)));
  }
  if (old.price != lead.price) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "sale_field_changed", "lead", lead.id,
                           SaleValue(old.price), SaleValue(lead.price)));
  }
  if (old.custom_fields_json != lead.custom_fields_json) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "custom_field_value_changed", "lead", lead.id));
  }
  return Status::Ok();
}

}  // namespace

Result<ListPage<LeadView>> RecordService::ListLeads(const Caller& caller, storage::ListQuery query,
                                                    const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  query.permission = caller.policy->CompileFilter(caller.user_id, DataSet::kLeads, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Lead> page, reader.ListLeads(query));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<LeadView> out;
  out.has_next = page.next.has_value();
  std::vector<RecordId> ids;
  ids.reserve(page.items.size());
  for (const storage::Lead& lead : page.items) ids.push_back(lead.id);
  GH_ASSIGN_OR_RETURN(std::vector<storage::LeadCompanyRef> companies, reader.CompaniesOfLeads(ids));
  std::unordered_map<RecordId, const storage::LeadCompanyRef*> company_of;
  for (const storage::LeadCompanyRef& company : companies) company_of[company.lead_id] = &company;
  for (storage::Lead& lead : page.items) {
    LeadView view;
    view.group_id = groups.Of(lead.responsible_user_id);
    view.lead = std::move(lead);
    if (auto it = company_of.find(view.lead.id);
        it != company_of.end() && CanView(caller, CompanyRef(it->second->responsible_user_id))) {
      view.companies.push_back(it->second->company_id);
    }
    GH_RETURN_IF_ERROR(FillLeadContacts(caller, reader, embed, view));
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<std::int64_t> RecordService::CountLeads(const Caller& caller,
                                               storage::ListQuery query) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  query.permission = caller.policy->CompileFilter(caller.user_id, DataSet::kLeads, Action::kView);
  return store_.Reader(caller.account_id).CountLeads(query);
}

Result<LeadView> RecordService::GetLead(const Caller& caller, RecordId id,
                                        const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  // One statement for the lead and its company: this is the hottest read of the API.
  GH_ASSIGN_OR_RETURN(
      storage::LeadWithCompany read,
      LoadVisible<storage::LeadWithCompany>(
          caller, [&](RecordId i) { return reader.GetLeadWithCompany(i); }, "lead", id));
  LeadView view;
  view.lead = std::move(read.lead);
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  view.group_id = groups.Of(view.lead.responsible_user_id);
  if (read.company_id != 0 && CanView(caller, CompanyRef(read.company_responsible_user_id))) {
    view.companies.push_back(read.company_id);
  }
  GH_RETURN_IF_ERROR(FillLeadContacts(caller, reader, embed, view));
  return view;
}

Result<std::vector<Written>> RecordService::AddLeads(const Caller& caller,
                                                     std::span<const LeadInput> items,
                                                     FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const LeadInput& in = items[i];
                      storage::Lead lead;
                      lead.name = in.name.value_or("");
                      lead.price = in.price.value_or(0);
                      lead.pipeline_id = in.pipeline_id.value_or(0);
                      lead.status_id = in.status_id.value_or(0);
                      lead.responsible_user_id = in.responsible_user_id.value_or(caller.user_id);
                      lead.closed_at = in.closed_at.value_or(0);
                      lead.loss_reason_id = in.loss_reason_id.value_or(0);
                      lead.custom_fields_json = in.custom_fields_json.value_or("");
                      lead.created_by = caller.user_id;
                      lead.updated_by = caller.user_id;
                      lead.created_at = now;
                      lead.updated_at = now;
                      GH_RETURN_IF_ERROR(Require(caller, Action::kAdd, RefOf(lead)));
                      GH_ASSIGN_OR_RETURN(storage::Lead created, w.CreateLead(lead));
                      // On the lead as stored: its stage defaults are resolved by then.
                      GH_RETURN_IF_ERROR(RequireStageAdmitsNewLead(caller, created));
                      GH_RETURN_IF_ERROR(Log(w, caller, now, "lead_added", "lead", created.id));
                      GH_RETURN_IF_ERROR(LinkLead(caller, w, now, created.id, in));
                      return Written{created.id, created.updated_at};
                    });
}

Result<std::vector<Written>> RecordService::UpdateLeads(const Caller& caller,
                                                        std::span<const LeadInput> items,
                                                        FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
        const LeadInput& in = items[i];
        GH_ASSIGN_OR_RETURN(storage::Lead old, LoadVisibleRecord<storage::Lead>(caller, w, in.id));
        // Edit on the lead as it is: this covers the responsible user and the stage it leaves.
        GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(old)));
        storage::Lead lead = old;
        if (in.name) lead.name = *in.name;
        if (in.price) lead.price = *in.price;
        if (in.pipeline_id && *in.pipeline_id != old.pipeline_id) {
          lead.pipeline_id = *in.pipeline_id;
          lead.status_id = 0;  // the new pipeline's first working stage unless one is given
        }
        if (in.status_id) lead.status_id = *in.status_id;
        if (in.responsible_user_id) lead.responsible_user_id = *in.responsible_user_id;
        if (in.closed_at) lead.closed_at = *in.closed_at;
        if (in.loss_reason_id) lead.loss_reason_id = *in.loss_reason_id;
        if (in.custom_fields_json) lead.custom_fields_json = *in.custom_fields_json;
        lead.updated_by = caller.user_id;
        lead.updated_at = now;
        // The lead as stored (stage defaults resolved); a stage move must leave a lead the caller
        // may edit under the target stage's rights, else the transaction rolls back.
        storage::Lead updated;
        GH_RETURN_IF_ERROR(w.UpdateLead(lead, &updated));
        if (updated.pipeline_id != old.pipeline_id || updated.status_id != old.status_id) {
          Status target = Require(caller, Action::kEdit, RefOf(updated));
          if (!target.ok()) {
            return Status::Denied("moving lead " + std::to_string(old.id) +
                                  " to the target stage is not allowed: " + target.message());
          }
        }
        GH_RETURN_IF_ERROR(LogLeadChanges(w, caller, now, old, updated));
        GH_RETURN_IF_ERROR(LinkLead(caller, w, now, updated.id, in));
        return Written{updated.id, updated.updated_at};
      });
}

Status RecordService::DeleteLead(const Caller& caller, RecordId id) const {
  return DeleteRecord<storage::Lead>(store_, clock_, caller, id);
}

}  // namespace gatehouse::service
