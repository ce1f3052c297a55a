// RecordService: incoming leads (Kommo's unsorted): forms and calls (sip), one item each.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "auth/tokens.h"
#include "domain/incoming_category.h"
#include "service/admin/custom_fields.h"
#include "service/json_text.h"
#include "service/records/notes.h"
#include "service/records/records.h"
#include "service/records/records_internal.h"
#include "service/service_names.h"

namespace gatehouse::service {

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
  if (!item.ok()) return base::NotFoundAs(item.status(), IncomingNotFound(uid));
  if (!CanView(caller, RefOf(*item))) return IncomingNotFound(uid);
  return item;
}

// Accepting and declining: one write that loads the incoming lead `uid` the caller may view,
// requires `action` on it and hands it to `decide`.
template <typename Decide>
Status DecideIncoming(storage::Store& store, const Caller& caller, std::string_view uid,
                      Action action, Decide decide) {
  return store.Write(caller.account_id, [&](storage::AccountWriter& w) -> Status {
    GH_ASSIGN_OR_RETURN(storage::IncomingLead item, LoadVisibleIncoming(caller, w, uid));
    GH_RETURN_IF_ERROR(Require(caller, action, RefOf(item)));
    return decide(w, item);
  });
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

// storage::IncomingLead::embedded_json of a form: {"contacts": [...], "companies": [...]}.
std::string EncodeEmbedded(const IncomingInput& in) {
  if (in.contacts.empty() && in.companies.empty()) return "";
  json out = {{"contacts", json::array()}, {"companies", json::array()}};
  for (const ContactInput& c : in.contacts) {
    out["contacts"].push_back(
        {{"name", c.name.value_or("")},
         {"first_name", c.first_name.value_or("")},
         {"last_name", c.last_name.value_or("")},
         {"custom_fields_values", StoredJsonOrNull(c.custom_fields_json.value_or(""))}});
  }
  for (const CompanyInput& c : in.companies) {
    out["companies"].push_back(
        {{"name", c.name.value_or("")},
         {"custom_fields_values", StoredJsonOrNull(c.custom_fields_json.value_or(""))}});
  }
  return Dump(out);
}

// The definitions of the contacts' and the companies' custom fields, read once per write.
struct EmbeddedFieldDefinitions {
  std::vector<domain::CustomField> contacts;
  std::vector<domain::CustomField> companies;

  static Result<EmbeddedFieldDefinitions> Load(const storage::AccountReader& reader) {
    EmbeddedFieldDefinitions out;
    GH_ASSIGN_OR_RETURN(out.contacts, reader.ListCustomFields(DataSet::kContacts));
    GH_ASSIGN_OR_RETURN(out.companies, reader.ListCustomFields(DataSet::kCompanies));
    return out;
  }
  std::span<const domain::CustomField> Of(DataSet data_set) const {
    return data_set == DataSet::kContacts ? contacts : companies;
  }
};

// A form's contacts and company carry custom_fields_values that become values of records only
// on accept; they are checked now, under the sender's field rights, so a bad or forbidden value
// is refused with the form instead of being kept and lost later.
Status CheckEmbeddedFields(const Caller& caller, const EmbeddedFieldDefinitions& definitions,
                           const IncomingInput& in) {
  auto check = [&](DataSet data_set, std::string_view key, std::size_t index,
                   const std::optional<std::string>& sent) -> Status {
    if (!sent || sent->empty()) return Status::Ok();
    return AtEmbedded(CheckFieldValues(caller, data_set, definitions.Of(data_set), *sent).status(),
                      key, index);
  };
  for (std::size_t i = 0; i < in.contacts.size(); ++i) {
    GH_RETURN_IF_ERROR(check(DataSet::kContacts, "contacts", i, in.contacts[i].custom_fields_json));
  }
  for (std::size_t i = 0; i < in.companies.size(); ++i) {
    GH_RETURN_IF_ERROR(
        check(DataSet::kCompanies, "companies", i, in.companies[i].custom_fields_json));
  }
  return Status::Ok();
}

bool SendsFieldValues(const IncomingInput& in) {
  auto sends = [](const auto& record) {
    return record.custom_fields_json && !record.custom_fields_json->empty();
  };
  return std::any_of(in.contacts.begin(), in.contacts.end(), sends) ||
         std::any_of(in.companies.begin(), in.companies.end(), sends);
}

// True when `entry` (of a custom_fields_values array) names one of `fields` by id or code.
bool NamesDefinedField(const json& entry, std::span<const domain::CustomField> fields) {
  if (!entry.is_object()) return false;
  auto id = entry.find("field_id");
  auto code = entry.find("field_code");
  return std::any_of(fields.begin(), fields.end(), [&](const domain::CustomField& f) {
    if (id != entry.end() && id->is_number_integer()) return f.id == id->get<std::int64_t>();
    return code != entry.end() && code->is_string() && !f.code.empty() &&
           f.code == code->get<std::string>();
  });
}

// The custom_fields_values a form sent with an embedded contact or company, for the record
// created from it on accept. Entries naming today's fields become values (checked when the form
// was sent, under the sender's rights: only their shape is checked again); a field deleted since
// took its values with it, as it does from every record. Entries naming no field at all stay the
// record's free-form text (forms sent before values were checked may hold some).
struct EmbeddedFields {
  std::vector<FieldWrite> writes;
  std::string rest;
};
Result<EmbeddedFields> FieldsOfEmbedded(const Caller& caller,
                                        const EmbeddedFieldDefinitions& definitions,
                                        DataSet data_set, const json& sent) {
  EmbeddedFields out;
  auto it = sent.find("custom_fields_values");
  if (it == sent.end() || !it->is_array()) return out;
  json defined = json::array();
  json rest = json::array();
  for (const json& entry : *it) {
    (NamesDefinedField(entry, definitions.Of(data_set)) ? defined : rest).push_back(entry);
  }
  GH_ASSIGN_OR_RETURN(out.writes, CheckFieldValues(caller, data_set, definitions.Of(data_set),
                                                   defined.dump(), FieldRightsCheck::kAuthorized));
  if (!rest.empty()) out.rest = Dump(rest);
  return out;
}

// Creates the contact or company `sent` of a form (`record` with its kind's own fields set;
// index `index` of its kind) with the lead's responsible user, logs it, and writes its id into
// `sent`. Linking it is the caller's.
template <typename R>
Result<R> CreateEmbedded(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                         const EmbeddedFieldDefinitions& definitions, const storage::Lead& lead,
                         json& sent, std::size_t index, R record) {
  using Traits = storage::RecordTraits<R>;
  record.name = sent.value("name", "");
  record.responsible_user_id = lead.responsible_user_id;
  record.created_by = record.updated_by = caller.user_id;
  record.created_at = record.updated_at = now;
  Result<EmbeddedFields> fields = FieldsOfEmbedded(caller, definitions, Traits::kDataSet, sent);
  GH_RETURN_IF_ERROR(AtEmbedded(fields.status(), Traits::kPlural, index));
  record.custom_fields_json = fields->rest;
  GH_ASSIGN_OR_RETURN(R created, w.Create(record));
  GH_RETURN_IF_ERROR(StoreFieldValues(w, Traits::kDataSet, created.id, fields->writes).status());
  sent["id"] = created.id;
  const std::string kind(Traits::kName);
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now, {kind + "_added", kind, created.id, "[]", "[]"}));
  return created;
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
  GH_ASSIGN_OR_RETURN(const EmbeddedFieldDefinitions definitions,
                      EmbeddedFieldDefinitions::Load(w));
  bool main = true;
  std::size_t index = 0;
  for (json& sent : embedded["contacts"]) {
    const storage::Contact contact{.first_name = sent.value("first_name", ""),
                                   .last_name = sent.value("last_name", "")};
    GH_ASSIGN_OR_RETURN(storage::Contact created,
                        CreateEmbedded(caller, w, now, definitions, lead, sent, index++, contact));
    GH_RETURN_IF_ERROR(LinkLeadContact(w, caller, now, lead.id, created.id, main));
    main = false;
  }
  index = 0;
  for (json& sent : embedded["companies"]) {
    GH_ASSIGN_OR_RETURN(
        storage::Company created,
        CreateEmbedded(caller, w, now, definitions, lead, sent, index++, storage::Company{}));
    GH_RETURN_IF_ERROR(LinkLeadCompany(w, caller, now, lead.id, created.id));
  }
  return w.SetIncomingEmbedded(item.id, Dump(embedded));
}

// Rewrites each contact and company kept with `item` (its embedded_json) by `edit(data_set,
// record)`, which may fail; a kept text that is not the service's shape is left as it is.
template <typename Edit>
Status EditEmbeddedRecords(storage::IncomingLead& item, const Edit& edit) {
  if (item.embedded_json.empty()) return Status::Ok();
  json embedded = json::parse(item.embedded_json, nullptr, false);
  if (!embedded.is_object()) return Status::Ok();
  for (const auto& [key, data_set] :
       {std::pair{"contacts", DataSet::kContacts}, std::pair{"companies", DataSet::kCompanies}}) {
    auto records = embedded.find(key);
    if (records == embedded.end() || !records->is_array()) continue;
    for (json& record : *records) {
      if (record.is_object()) GH_RETURN_IF_ERROR(edit(data_set, record));
    }
  }
  item.embedded_json = Dump(embedded);
  return Status::Ok();
}

// Whether `caller` may view record `id` of `data_set`; a missing record is not viewable.
Result<bool> Viewable(const Caller& caller, const storage::AccountReader& reader, DataSet data_set,
                      domain::RecordId id) {
  Result<domain::RecordRef> ref = reader.GetRef(data_set, id);
  if (!ref.ok()) {
    if (ref.status().code() == base::Code::kNotFound) return false;
    return ref.status();
  }
  return CanView(caller, *ref);
}

// `item` as `caller` may see it, in one pass over what it keeps:
// - its contacts' and company's custom_fields_values without the fields the caller may not view
//   (the same rule as on records);
// - once accepted, the lead it became and the contacts and company created from it named (by id)
//   only where the caller may view them, since a record a user cannot view does not exist for
//   that user (SPEC §2). What the form sent stays shown: it is the item's own data.
Status ShowIncomingAs(const Caller& caller, const storage::AccountReader& reader,
                      const EmbeddedFieldDefinitions& definitions, storage::IncomingLead& item) {
  const bool accepted = item.state == "accepted";
  if (accepted && item.accepted_lead_id != 0) {
    GH_ASSIGN_OR_RETURN(const bool lead,
                        Viewable(caller, reader, DataSet::kLeads, item.accepted_lead_id));
    if (!lead) item.accepted_lead_id = 0;
  }
  return EditEmbeddedRecords(item, [&](DataSet data_set, json& record) -> Status {
    if (auto values = record.find("custom_fields_values");
        values != record.end() && values->is_array()) {
      const json shown = json::parse(
          VisibleFieldEntries(caller, data_set, definitions.Of(data_set), values->dump()), nullptr,
          false);
      *values = shown.is_discarded() || shown.empty() ? json(nullptr) : shown;
    }
    auto id = record.find("id");
    if (!accepted || id == record.end() || !id->is_number_integer()) return Status::Ok();
    GH_ASSIGN_OR_RETURN(const bool shown,
                        Viewable(caller, reader, data_set, id->get<domain::RecordId>()));
    if (!shown) record.erase("id");
    return Status::Ok();
  });
}

// ---- calls (sip) ----

// The call fields a call_in note takes (notes.h), as a sip item's metadata names them and as the
// note does.
constexpr std::pair<std::string_view, std::string_view> kCallNoteParams[] = {
    {"uniq", "uniq"},
    {"duration", "duration"},
    {"service_code", "source"},
    {"phone", "phone"},
    {"link", "link"}};

// A sip item's metadata: its call under Kommo's SipMetadata names (absent optionals left out).
json CallJson(const IncomingCall& call) {
  json out = {{"uniq", call.uniq},
              {"phone", call.phone},
              {"called_at", call.called_at},
              {"duration", call.duration},
              {"service_code", call.service_code},
              {"is_call_event_needed", call.is_call_event_needed}};
  if (call.link) out["link"] = *call.link;
  if (call.from) out["from"] = *call.from;
  if (call.call_responsible) out["call_responsible"] = *call.call_responsible;
  return out;
}

// The params of the call_in note the call `metadata` (CallJson) becomes.
json CallNoteParams(const json& metadata) {
  json params = json::object();
  for (const auto& [key, param] : kCallNoteParams) {
    auto it = metadata.find(std::string(key));
    if (it != metadata.end()) params[std::string(param)] = *it;
  }
  return params;
}

// A refusal of CallNoteParams by ValidateNoteParams, told at the metadata keys they came from
// ("params.source" is "metadata.service_code").
Status AtMetadata(const Status& status) {
  if (status.ok() || status.code() != base::Code::kInvalidArgument) return status;
  std::vector<base::FieldError> fields = status.fields();
  for (base::FieldError& field : fields) {
    for (const auto& [key, param] : kCallNoteParams) {
      const std::string from = "params." + std::string(param);
      if (field.path != from) continue;
      field.path = "metadata." + std::string(key);
      if (field.detail.starts_with(from)) {
        field.detail = field.path + field.detail.substr(from.size());
      }
      break;
    }
  }
  std::string message = fields.empty() ? status.message() : fields.front().detail;
  return Status::Invalid(std::move(message), std::move(fields));
}

// `user` while they are an active user of the account, else `fallback`.
Result<UserId> ActiveUserOr(const storage::AccountReader& reader, UserId user, UserId fallback) {
  Result<storage::UserRow> row = reader.GetUser(user);
  if (!row.ok()) {
    if (row.status().code() == base::Code::kNotFound) return fallback;
    return row.status();
  }
  return row->user.is_active ? user : fallback;
}

// The metadata item `in` keeps: a form's as sent; a call's (sip) its CallJson, checked now as
// the note it may become on accept, so that accepting never fails on it.
Result<std::string> MetadataOf(const storage::AccountReader& reader, const IncomingInput& in) {
  if (in.category == domain::IncomingCategory::kForms) {
    if (!in.call) return in.metadata_json;
    return Status::InvalidField("metadata", "NotSupported", "a form's metadata is not a call");
  }
  if (in.category != domain::IncomingCategory::kSip) {
    return Status::InvalidField("category", "NotSupportedChoice",
                                "only sip and forms incoming leads are created through the API");
  }
  if (!in.call) {
    return Status::InvalidField("metadata", "Required", "metadata (the call) is required");
  }
  const json call = CallJson(*in.call);
  GH_RETURN_IF_ERROR(
      AtMetadata(ValidateNoteParams("call_in", Dump(CallNoteParams(call))).status()));
  if (const std::optional<UserId> user = in.call->call_responsible) {
    GH_ASSIGN_OR_RETURN(const UserId active, ActiveUserOr(reader, *user, 0));
    if (active == 0) {
      return Status::InvalidField("metadata.call_responsible", "NotFound",
                                  "metadata.call_responsible: user " + std::to_string(*user) +
                                      " is not an active user of this account");
    }
  }
  return Dump(call);
}

// The call_in note of accepted sip item `item` on `lead`, when its call asked for one
// (is_call_event_needed); its params were checked when the item was sent (MetadataOf). Its
// responsible user is the call's call_responsible while they are active, else the acceptor.
Status AddCallNote(const Caller& caller, storage::AccountWriter& w, std::int64_t now,
                   const storage::IncomingLead& item, const storage::Lead& lead) {
  if (item.category != domain::IncomingCategory::kSip) return Status::Ok();
  const json call = json::parse(item.metadata_json, nullptr, false);
  auto needed = call.find("is_call_event_needed");
  if (needed == call.end() || *needed != true) return Status::Ok();
  Result<std::string> params = ValidateNoteParams("call_in", Dump(CallNoteParams(call)));
  if (!params.ok()) {
    return Status::Internal("incoming lead " + item.uid +
                            " keeps a call that is not a call note: " + params.status().message());
  }
  UserId responsible = caller.user_id;
  if (auto named = call.find("call_responsible");
      named != call.end() && named->is_number_integer()) {
    GH_ASSIGN_OR_RETURN(responsible, ActiveUserOr(w, named->get<UserId>(), caller.user_id));
  }
  const storage::Note note{.entity_type = DataSet::kLeads,
                           .entity_id = lead.id,
                           .note_type = "call_in",
                           .params_json = std::move(params).value(),
                           .responsible_user_id = responsible,
                           .created_by = caller.user_id,
                           .updated_by = caller.user_id,
                           .created_at = now,
                           .updated_at = now};
  return WriteNewNote(w, caller, now, note).status();
}

// ---- forms and calls ----

// Stores `in` as an incoming lead of its category and logs it; the caller needs the right to add
// leads to its pipeline (the main one when it names none).
Result<storage::IncomingLead> AddIncomingItem(storage::AccountWriter& w, const Caller& caller,
                                              const EmbeddedFieldDefinitions& definitions,
                                              const IncomingInput& in, std::int64_t now) {
  GH_RETURN_IF_ERROR(CheckEmbeddedFields(caller, definitions, in));
  storage::IncomingLead item{.pipeline_id = in.pipeline_id};
  if (item.pipeline_id == 0) {
    GH_ASSIGN_OR_RETURN(item.pipeline_id, MainPipeline(w));
  }
  GH_RETURN_IF_ERROR(
      Require(caller, Action::kAdd, {DataSet::kLeads, caller.user_id, item.pipeline_id, 0}));
  GH_ASSIGN_OR_RETURN(item.metadata_json, MetadataOf(w, in));
  item.uid = auth::HexEncode(auth::RandomBytes(16));
  item.category = in.category;
  item.source_uid = in.source_uid;
  item.source_name = in.source_name;
  item.lead_name = in.lead_name;
  item.lead_price = in.lead_price;
  item.embedded_json = EncodeEmbedded(in);
  item.created_at = in.created_at.value_or(now);
  item.updated_at = now;
  GH_ASSIGN_OR_RETURN(storage::IncomingLead created, w.Create(item));
  GH_RETURN_IF_ERROR(RecordEvent(w, caller, now,
                                 {"incoming_lead_added", "incoming_lead", created.id, "[]", "[]"}));
  return created;
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
  ListPage<storage::IncomingLead> out{.items = std::move(page.items)};
  const storage::AccountReader reader = store_.Reader(caller.account_id);
  // The field definitions are read only when some item keeps contacts or a company.
  EmbeddedFieldDefinitions definitions;
  if (std::any_of(out.items.begin(), out.items.end(),
                  [](const storage::IncomingLead& item) { return !item.embedded_json.empty(); })) {
    GH_ASSIGN_OR_RETURN(definitions, EmbeddedFieldDefinitions::Load(reader));
  }
  for (storage::IncomingLead& item : out.items) {
    GH_RETURN_IF_ERROR(ShowIncomingAs(caller, reader, definitions, item));
  }
  out.has_next = page.next.has_value();
  return out;
}

Result<storage::IncomingLead> RecordService::GetIncoming(const Caller& caller,
                                                         std::string_view uid) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const storage::AccountReader reader = store_.Reader(caller.account_id);
  GH_ASSIGN_OR_RETURN(storage::IncomingLead item, LoadVisibleIncoming(caller, reader, uid));
  EmbeddedFieldDefinitions definitions;
  if (!item.embedded_json.empty()) {
    GH_ASSIGN_OR_RETURN(definitions, EmbeddedFieldDefinitions::Load(reader));
  }
  GH_RETURN_IF_ERROR(ShowIncomingAs(caller, reader, definitions, item));
  return item;
}

Result<std::vector<storage::IncomingLead>> RecordService::AddIncoming(
    const Caller& caller, std::span<const IncomingInput> items, FailedItem failed) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  return store_.WriteResult(
      caller.account_id,
      [&](storage::AccountWriter& w) -> Result<std::vector<storage::IncomingLead>> {
        // The field definitions are read only when some form sends field values.
        EmbeddedFieldDefinitions definitions;
        if (std::any_of(items.begin(), items.end(), SendsFieldValues)) {
          GH_ASSIGN_OR_RETURN(definitions, EmbeddedFieldDefinitions::Load(w));
        }
        return CollectItems<storage::IncomingLead>(items.size(), failed, [&](std::size_t i) {
          return AddIncomingItem(w, caller, definitions, items[i], now);
        });
      });
}

Result<storage::Lead> RecordService::AcceptIncoming(const Caller& caller, std::string_view uid,
                                                    StatusId status_id) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  storage::Lead lead;
  auto accept = [&](storage::AccountWriter& w, const storage::IncomingLead& item) -> Status {
    GH_ASSIGN_OR_RETURN(lead, w.AcceptIncomingLead(item.id, caller.user_id, status_id, now));
    GH_RETURN_IF_ERROR(RequireStageAdmitsNewLead(caller, lead));
    GH_RETURN_IF_ERROR(CreateEmbeddedRecords(caller, w, now, item, lead));
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now,
        {"incoming_lead_accepted", "incoming_lead", item.id, "[]", LeadValue(lead.id)}));
    GH_RETURN_IF_ERROR(RecordEvent(w, caller, now, {"lead_added", "lead", lead.id, "[]", "[]"}));
    return AddCallNote(caller, w, now, item, lead);
  };
  GH_RETURN_IF_ERROR(DecideIncoming(store_, caller, uid, Action::kAccept, accept));
  return lead;
}

Result<storage::IncomingLead> RecordService::DeclineIncoming(const Caller& caller,
                                                             std::string_view uid) const {
  GH_RETURN_IF_ERROR(RequirePolicy(caller));
  const std::int64_t now = clock_.NowSeconds();
  storage::IncomingLead declined;
  auto decline = [&](storage::AccountWriter& w, const storage::IncomingLead& item) -> Status {
    GH_RETURN_IF_ERROR(w.DeclineIncomingLead(item.id, now));
    GH_RETURN_IF_ERROR(RecordEvent(
        w, caller, now, {"incoming_lead_declined", "incoming_lead", item.id, "[]", "[]"}));
    GH_ASSIGN_OR_RETURN(declined, w.Get<storage::IncomingLead>(item.id));
    return Status::Ok();
  };
  GH_RETURN_IF_ERROR(DecideIncoming(store_, caller, uid, Action::kDecline, decline));
  return declined;
}

}  // namespace gatehouse::service
