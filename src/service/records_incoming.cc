// RecordService: incoming leads (Kommo's unsorted).
#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "service/records.h"
#include "service/records_internal.h"

namespace gatehouse::service {

using base::Result;
using base::Status;
using domain::Action;
using domain::DataSet;
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

Status IncomingNotFound(std::string_view uid) {
  return Status::NotFound("incoming lead " + std::string(uid) + " not found");
}

// Loads a pending-or-not incoming lead the caller may view; else NotFound.
Result<storage::IncomingLead> LoadVisibleIncoming(const Caller& caller,
                                                  const storage::AccountReader& reader,
                                                  std::string_view uid) {
  Result<storage::IncomingLead> item = reader.FindIncomingLeadByUid(uid);
  if (!item.ok()) {
    if (item.status().code() == base::Code::kNotFound) return IncomingNotFound(uid);
    return item.status();
  }
  if (!CanView(caller, RefOf(*item))) return IncomingNotFound(uid);
  return item;
}

Result<PipelineId> MainPipeline(const storage::AccountReader& reader) {
  GH_ASSIGN_OR_RETURN(std::vector<domain::Pipeline> pipelines, reader.ListPipelines());
  for (const domain::Pipeline& p : pipelines) {
    if (p.is_main) return p.id;
  }
  if (pipelines.empty()) return Status::Error(base::Code::kFailedPrecondition, "no pipeline");
  return pipelines.front().id;
}

std::string LeadValue(RecordId lead_id) {
  return nlohmann::json::array({{{"lead", {{"id", lead_id}}}}}).dump();
}

using nlohmann::json;

json CustomFieldsOf(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  json parsed = json::parse(*text, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

// storage::IncomingLead::embedded_json of a form: {"contacts": [...], "companies": [...]}.
std::string EncodeEmbedded(const IncomingInput& in) {
  if (in.contacts.empty() && in.companies.empty()) return "";
  json out = {{"contacts", json::array()}, {"companies", json::array()}};
  for (const ContactInput& c : in.contacts) {
    out["contacts"].push_back({{"name", c.name.value_or("")},
                               {"first_name", c.first_name.value_or("")},
                               {"last_name", c.last_name.value_or("")},
                               {"custom_fields_values", CustomFieldsOf(c.custom_fields_json)}});
  }
  for (const CompanyInput& c : in.companies) {
    out["companies"].push_back({{"name", c.name.value_or("")},
                                {"custom_fields_values", CustomFieldsOf(c.custom_fields_json)}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string CustomFieldsText(const json& record) {
  auto it = record.find("custom_fields_values");
  return it == record.end() || it->is_null() ? "" : it->dump();
}

// Creates the contacts and company a form sent with `item` (responsible: the lead's), links
// them to `lead` (the first contact as the main one), logs each step, and writes the created
// ids back into the item.
Status CreateEmbeddedRecords(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                             const storage::IncomingLead& item, const storage::Lead& lead) {
  if (item.embedded_json.empty()) return Status::Ok();
  json embedded = json::parse(item.embedded_json, nullptr, false);
  if (!embedded.is_object() || !embedded["contacts"].is_array() ||
      !embedded["companies"].is_array()) {
    return Status::Internal("incoming lead " + item.uid + " holds malformed contacts");
  }
  bool main = true;
  for (json& sent : embedded["contacts"]) {
    storage::Contact contact;
    contact.name = sent.value("name", "");
    contact.first_name = sent.value("first_name", "");
    contact.last_name = sent.value("last_name", "");
    contact.custom_fields_json = CustomFieldsText(sent);
    contact.responsible_user_id = lead.responsible_user_id;
    contact.created_by = contact.updated_by = caller.user_id;
    contact.created_at = contact.updated_at = now;
    GH_ASSIGN_OR_RETURN(storage::Contact created, w.Create(contact));
    sent["id"] = created.id;
    GH_RETURN_IF_ERROR(Log(w, caller, now, "contact_added", "contact", created.id));
    GH_RETURN_IF_ERROR(w.LinkContact(lead.id, created.id, main));
    GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_linked", "lead", lead.id, "[]",
                           LinkValue("contact", created.id)));
    main = false;
  }
  for (json& sent : embedded["companies"]) {
    storage::Company company;
    company.name = sent.value("name", "");
    company.custom_fields_json = CustomFieldsText(sent);
    company.responsible_user_id = lead.responsible_user_id;
    company.created_by = company.updated_by = caller.user_id;
    company.created_at = company.updated_at = now;
    GH_ASSIGN_OR_RETURN(storage::Company created, w.Create(company));
    sent["id"] = created.id;
    GH_RETURN_IF_ERROR(Log(w, caller, now, "company_added", "company", created.id));
    GH_RETURN_IF_ERROR(w.LinkCompany(lead.id, created.id));
    GH_RETURN_IF_ERROR(Log(w, caller, now, "entity_linked", "lead", lead.id, "[]",
                           LinkValue("company", created.id)));
  }
  return w.SetIncomingEmbedded(item.id,
                               embedded.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

Result<ListPage<storage::IncomingLead>> RecordService::ListIncoming(
    const Caller& caller, storage::ListQuery query) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const policy::ListFilter permission =
      caller.policy->CompileFilter(caller.user_id, DataSet::kIncomingLeads, Action::kView);
  GH_ASSIGN_OR_RETURN(
      storage::Page<storage::IncomingLead> page,
      store_.Reader(caller.account_id).List<storage::IncomingLead>(permission, query));
  ListPage<storage::IncomingLead> out;
  out.items = std::move(page.items);
  out.has_next = page.next.has_value();
  return out;
}

Result<storage::IncomingLead> RecordService::GetIncoming(const Caller& caller,
                                                         std::string_view uid) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  return LoadVisibleIncoming(caller, store_.Reader(caller.account_id), uid);
}

Result<std::vector<storage::IncomingLead>> RecordService::AddIncomingForms(
    const Caller& caller, std::span<const IncomingInput> items, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  std::vector<storage::IncomingLead> out;
  Status status = store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    out.clear();
    return ForEachItem(items.size(), failed, [&](std::size_t i) -> Status {
      const IncomingInput& in = items[i];
      storage::IncomingLead item;
      item.pipeline_id = in.pipeline_id;
      if (item.pipeline_id == 0) {
        GH_ASSIGN_OR_RETURN(item.pipeline_id, MainPipeline(w));
      }
      GH_RETURN_IF_ERROR(
          Require(caller, Action::kAdd, {DataSet::kLeads, caller.user_id, item.pipeline_id, 0}));
      item.uid = auth::HexEncode(auth::RandomBytes(16));
      item.category = "forms";
      item.source_uid = in.source_uid;
      item.source_name = in.source_name;
      item.lead_name = in.lead_name;
      item.lead_price = in.lead_price;
      item.metadata_json = in.metadata_json;
      item.embedded_json = EncodeEmbedded(in);
      item.created_at = now;
      item.updated_at = now;
      GH_ASSIGN_OR_RETURN(storage::IncomingLead created, w.Create(item));
      GH_RETURN_IF_ERROR(Log(w, caller, now, "incoming_lead_added", "incoming_lead", created.id));
      out.push_back(std::move(created));
      return Status::Ok();
    });
  });
  if (!status.ok()) return status;
  return out;
}

Result<storage::Lead> RecordService::AcceptIncoming(const Caller& caller, std::string_view uid,
                                                    StatusId status_id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  storage::Lead lead;
  GH_RETURN_IF_ERROR(store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::IncomingLead item, LoadVisibleIncoming(caller, w, uid));
    GH_RETURN_IF_ERROR(Require(caller, Action::kAccept, RefOf(item)));
    GH_ASSIGN_OR_RETURN(lead, w.AcceptIncomingLead(item.id, caller.user_id, status_id, now));
    GH_RETURN_IF_ERROR(RequireStageAdmitsNewLead(caller, lead));
    GH_RETURN_IF_ERROR(CreateEmbeddedRecords(caller, w, now, item, lead));
    GH_RETURN_IF_ERROR(Log(w, caller, now, "incoming_lead_accepted", "incoming_lead", item.id, "[]",
                           LeadValue(lead.id)));
    return Log(w, caller, now, "lead_added", "lead", lead.id);
  }));
  return lead;
}

Result<storage::IncomingLead> RecordService::DeclineIncoming(const Caller& caller,
                                                             std::string_view uid) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  storage::IncomingLead declined;
  GH_RETURN_IF_ERROR(store_.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::IncomingLead item, LoadVisibleIncoming(caller, w, uid));
    GH_RETURN_IF_ERROR(Require(caller, Action::kDecline, RefOf(item)));
    GH_RETURN_IF_ERROR(w.DeclineIncomingLead(item.id, now));
    GH_RETURN_IF_ERROR(Log(w, caller, now, "incoming_lead_declined", "incoming_lead", item.id));
    GH_ASSIGN_OR_RETURN(declined, w.Get<storage::IncomingLead>(item.id));
    return Status::Ok();
  }));
  return declined;
}

}  // namespace gatehouse::service
