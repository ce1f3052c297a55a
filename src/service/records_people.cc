// RecordService: contacts and companies. Same rules as leads without stages.
#include "service/records.h"
#include "service/records_internal.h"

namespace gatehouse::service {

using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The ids among `lead_ids` of leads the caller may view.
Result<std::vector<RecordId>> VisibleLeads(const Caller& caller,
                                           const storage::AccountReader& reader,
                                           const std::vector<RecordId>& lead_ids) {
  std::vector<RecordId> out;
  for (RecordId id : lead_ids) {
    Result<storage::Lead> lead = reader.GetLead(id);
    if (!lead.ok() && lead.status().code() != base::Code::kNotFound) return lead.status();
    if (lead.ok() && CanView(caller, RefOf(*lead))) out.push_back(id);
  }
  return out;
}

Status FillContactLinks(const Caller& caller, const storage::AccountReader& reader,
                        const Embed& embed, ContactView& view) {
  if (!embed.leads) return Status::Ok();
  GH_ASSIGN_OR_RETURN(std::vector<RecordId> ids, reader.ContactLeads(view.contact.id));
  GH_ASSIGN_OR_RETURN(view.leads, VisibleLeads(caller, reader, ids));
  return Status::Ok();
}

// Companies link to leads only in the store (no direct company-contact link), so a company
// embeds its viewable leads; `contacts` stays empty.
Status FillCompanyLinks(const Caller& caller, const storage::AccountReader& reader,
                        const Embed& embed, CompanyView& view) {
  if (!embed.leads) return Status::Ok();
  GH_ASSIGN_OR_RETURN(std::vector<RecordId> ids, reader.CompanyLeads(view.company.id));
  GH_ASSIGN_OR_RETURN(view.leads, VisibleLeads(caller, reader, ids));
  return Status::Ok();
}

// Name and responsible-user events shared by contacts and companies.
template <typename R>
Status LogPersonChanges(storage::AccountWriter& w, const Caller& caller, std::int64_t now,
                        std::string_view entity, const R& old, const R& updated) {
  if (old.responsible_user_id != updated.responsible_user_id) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_responsible_changed", std::string(entity),
                           updated.id, ResponsibleValue(old.responsible_user_id),
                           ResponsibleValue(updated.responsible_user_id)));
  }
  if (old.name != updated.name) {
    GH_RETURN_IF_ERROR(Log(w, caller, now, "name_field_changed", std::string(entity), updated.id,
                           NameValue(old.name), NameValue(updated.name)));
  }
  if (old.custom_fields_json != updated.custom_fields_json) {
    GH_RETURN_IF_ERROR(
        Log(w, caller, now, "custom_field_value_changed", std::string(entity), updated.id));
  }
  return Status::Ok();
}

}  // namespace

// ---- contacts ----

Result<ListPage<ContactView>> RecordService::ListContacts(const Caller& caller,
                                                          storage::ListQuery query,
                                                          const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  query.permission =
      caller.policy->CompileFilter(caller.user_id, DataSet::kContacts, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Contact> page, reader.ListContacts(query));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<ContactView> out;
  out.has_next = page.next.has_value();
  for (storage::Contact& contact : page.items) {
    ContactView view;
    view.group_id = groups.Of(contact.responsible_user_id);
    view.contact = std::move(contact);
    GH_RETURN_IF_ERROR(FillContactLinks(caller, reader, embed, view));
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<ContactView> RecordService::GetContact(const Caller& caller, RecordId id,
                                              const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  ContactView view;
  GH_ASSIGN_OR_RETURN(view.contact, LoadVisibleRecord<storage::Contact>(caller, reader, id));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  view.group_id = groups.Of(view.contact.responsible_user_id);
  GH_RETURN_IF_ERROR(FillContactLinks(caller, reader, embed, view));
  return view;
}

Result<std::vector<Written>> RecordService::AddContacts(const Caller& caller,
                                                        std::span<const ContactInput> items,
                                                        FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
        const ContactInput& in = items[i];
        storage::Contact contact;
        contact.name = in.name.value_or("");
        contact.first_name = in.first_name.value_or("");
        contact.last_name = in.last_name.value_or("");
        contact.responsible_user_id = in.responsible_user_id.value_or(caller.user_id);
        contact.custom_fields_json = in.custom_fields_json.value_or("");
        contact.created_by = caller.user_id;
        contact.updated_by = caller.user_id;
        contact.created_at = now;
        contact.updated_at = now;
        GH_RETURN_IF_ERROR(Require(caller, Action::kAdd, RefOf(contact)));
        GH_ASSIGN_OR_RETURN(storage::Contact created, w.CreateContact(contact));
        GH_RETURN_IF_ERROR(Log(w, caller, now, "contact_added", "contact", created.id));
        return Written{created.id, created.updated_at};
      });
}

Result<std::vector<Written>> RecordService::UpdateContacts(const Caller& caller,
                                                           std::span<const ContactInput> items,
                                                           FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const ContactInput& in = items[i];
                      GH_ASSIGN_OR_RETURN(storage::Contact old,
                                          LoadVisibleRecord<storage::Contact>(caller, w, in.id));
                      GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(old)));
                      storage::Contact contact = old;
                      if (in.name) contact.name = *in.name;
                      if (in.first_name) contact.first_name = *in.first_name;
                      if (in.last_name) contact.last_name = *in.last_name;
                      if (in.responsible_user_id)
                        contact.responsible_user_id = *in.responsible_user_id;
                      if (in.custom_fields_json)
                        contact.custom_fields_json = *in.custom_fields_json;
                      contact.updated_by = caller.user_id;
                      contact.updated_at = now;
                      GH_RETURN_IF_ERROR(w.UpdateContact(contact));
                      GH_ASSIGN_OR_RETURN(storage::Contact updated, w.GetContact(contact.id));
                      GH_RETURN_IF_ERROR(LogPersonChanges(w, caller, now, "contact", old, updated));
                      return Written{updated.id, updated.updated_at};
                    });
}

Status RecordService::DeleteContact(const Caller& caller, RecordId id) const {
  return DeleteRecord<storage::Contact>(store_, clock_, caller, id);
}

// ---- companies ----

Result<ListPage<CompanyView>> RecordService::ListCompanies(const Caller& caller,
                                                           storage::ListQuery query,
                                                           const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  query.permission =
      caller.policy->CompileFilter(caller.user_id, DataSet::kCompanies, Action::kView);
  storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::Page<storage::Company> page, reader.ListCompanies(query));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  ListPage<CompanyView> out;
  out.has_next = page.next.has_value();
  for (storage::Company& company : page.items) {
    CompanyView view;
    view.group_id = groups.Of(company.responsible_user_id);
    view.company = std::move(company);
    GH_RETURN_IF_ERROR(FillCompanyLinks(caller, reader, embed, view));
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<CompanyView> RecordService::GetCompany(const Caller& caller, RecordId id,
                                              const Embed& embed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  storage::AccountReader reader = store_.Reader(caller.account_id);
  CompanyView view;
  GH_ASSIGN_OR_RETURN(view.company, LoadVisibleRecord<storage::Company>(caller, reader, id));
  GH_ASSIGN_OR_RETURN(Groups groups, Groups::Load(caller));
  view.group_id = groups.Of(view.company.responsible_user_id);
  GH_RETURN_IF_ERROR(FillCompanyLinks(caller, reader, embed, view));
  return view;
}

Result<std::vector<Written>> RecordService::AddCompanies(const Caller& caller,
                                                         std::span<const CompanyInput> items,
                                                         FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(
      store_, caller.account_id, items.size(), failed,
      [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
        const CompanyInput& in = items[i];
        storage::Company company;
        company.name = in.name.value_or("");
        company.responsible_user_id = in.responsible_user_id.value_or(caller.user_id);
        company.custom_fields_json = in.custom_fields_json.value_or("");
        company.created_by = caller.user_id;
        company.updated_by = caller.user_id;
        company.created_at = now;
        company.updated_at = now;
        GH_RETURN_IF_ERROR(Require(caller, Action::kAdd, RefOf(company)));
        GH_ASSIGN_OR_RETURN(storage::Company created, w.CreateCompany(company));
        GH_RETURN_IF_ERROR(Log(w, caller, now, "company_added", "company", created.id));
        return Written{created.id, created.updated_at};
      });
}

Result<std::vector<Written>> RecordService::UpdateCompanies(const Caller& caller,
                                                            std::span<const CompanyInput> items,
                                                            FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return WriteBatch(store_, caller.account_id, items.size(), failed,
                    [&](storage::AccountWriter& w, std::size_t i) -> Result<Written> {
                      const CompanyInput& in = items[i];
                      GH_ASSIGN_OR_RETURN(storage::Company old,
                                          LoadVisibleRecord<storage::Company>(caller, w, in.id));
                      GH_RETURN_IF_ERROR(Require(caller, Action::kEdit, RefOf(old)));
                      storage::Company company = old;
                      if (in.name) company.name = *in.name;
                      if (in.responsible_user_id)
                        company.responsible_user_id = *in.responsible_user_id;
                      if (in.custom_fields_json)
                        company.custom_fields_json = *in.custom_fields_json;
                      company.updated_by = caller.user_id;
                      company.updated_at = now;
                      GH_RETURN_IF_ERROR(w.UpdateCompany(company));
                      GH_ASSIGN_OR_RETURN(storage::Company updated, w.GetCompany(company.id));
                      GH_RETURN_IF_ERROR(LogPersonChanges(w, caller, now, "company", old, updated));
                      return Written{updated.id, updated.updated_at};
                    });
}

Status RecordService::DeleteCompany(const Caller& caller, RecordId id) const {
  return DeleteRecord<storage::Company>(store_, clock_, caller, id);
}

}  // namespace gatehouse::service
